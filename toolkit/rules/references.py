"""Rules on what the repository names: frameworks in isms.yml, control references, document ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.catalogs import resolve
from toolkit.codes import Code
from toolkit.model import Document, Finding
from toolkit.rules.base import front_matter_line, rule
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

UNKNOWN_CONTROL = Code(
    "error", "A document, soa.yml, a risk or a requirement names a control that is not in its catalog."
)


@rule({"unknown-catalog": Code("error", "isms.yml names a control catalog the toolkit does not have.")})
def unknown_catalogs(workspace: Workspace) -> Iterable[Finding]:
    """Every framework named in isms.yml must be a known catalog."""
    catalogs = workspace.catalogs
    for index, name in enumerate(workspace.frameworks):
        if name not in catalogs:
            line = locate(workspace.config_file.text or "", ["frameworks", index])
            message = f"unknown control catalog {name!r}; known: {', '.join(catalogs)}"
            yield Finding(CONFIG_FILE, line, "unknown-catalog", "error", message, f"frameworks[{index}]")


@rule({"unknown-control": UNKNOWN_CONTROL})
def unknown_controls(workspace: Workspace) -> Iterable[Finding]:
    """Every control a document cites is in its catalog."""
    for document in workspace.documents:
        for index, ref in enumerate(document.controls):
            if ":" not in ref:
                continue  # the schema pattern already reported it
            reason = resolve(ref, workspace.catalogs)
            if reason is not None:
                line = front_matter_line(document, ["controls", index])
                yield Finding(document.rel, line, "unknown-control", "error", reason, f"controls[{index}]")


@rule({"duplicate-id": Code("error", "Two documents share an id.")})
def duplicate_ids(workspace: Workspace) -> Iterable[Finding]:
    """No two documents share an id."""
    first: dict[str, Document] = {}
    for document in workspace.documents:
        doc_id = document.meta.get("id")
        if not isinstance(doc_id, str):
            continue
        if doc_id in first:
            line = front_matter_line(document, ["id"])
            message = f"duplicate document id {doc_id}: also used by {first[doc_id].rel}"
            yield Finding(document.rel, line, "duplicate-id", "error", message, "id")
        else:
            first[doc_id] = document


RULES = (unknown_catalogs, unknown_controls, duplicate_ids)
