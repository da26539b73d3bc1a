"""Rules on what the repository names: frameworks in isms.yml, control references, document ids."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from toolkit.catalogs import Catalog, resolve
from toolkit.codes import Code
from toolkit.model import Document, Finding
from toolkit.rules.base import front_matter_line, rule
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

UNKNOWN_CONTROL = Code(
    "error",
    "A document, soa.yml, a risk, a requirement or an audit names a control that is not in its catalog.",
)


def unresolved(
    refs: Sequence[str], catalogs: dict[str, Catalog], known: dict[str, str | None]
) -> Iterator[tuple[int, str]]:
    """``(index, reason)`` for each reference of ``refs`` that names no known control. ``known`` keeps
    each reference's answer across calls (a register names the same controls many times); a reference
    without a colon is left to the schema, which already reported it."""
    for index, ref in enumerate(refs):
        if ":" not in ref:
            continue
        if ref not in known:
            known[ref] = resolve(ref, catalogs)
        reason = known[ref]
        if reason is not None:
            yield index, reason


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
    known: dict[str, str | None] = {}
    for document in workspace.documents:
        for index, reason in unresolved(document.controls, workspace.catalogs, known):
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
