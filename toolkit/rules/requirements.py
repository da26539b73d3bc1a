"""Rules on the requirements register: every requirement is met, by controls and documents that exist."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.registers import Requirement
from toolkit.rules.base import rule
from toolkit.rules.ownership import close_match
from toolkit.rules.references import UNKNOWN_CONTROL, unresolved
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

KIND = "requirements"


def _requirements(workspace: Workspace) -> list[Requirement]:
    found: list[Requirement] = workspace.entries(KIND)
    return found


def _finding(
    workspace: Workspace, requirement: Requirement, path: list[str | int], code: str, message: str
) -> Finding:
    source = workspace.source(KIND)
    line = locate(source.text or "", [KIND, requirement.index, *path])
    field = f"{KIND}[{requirement.index}]" + "".join(
        f"[{step}]" if isinstance(step, int) else f".{step}" for step in path
    )
    return Finding(source.rel, line, code, "error", message, field)


def _name(requirement: Requirement) -> str:
    return requirement.id or f"requirement {requirement.index + 1}"


@rule({"requirement-unmet": Code("error", "A requirement names no control and no document that meets it.")})
def requirements_met(workspace: Workspace) -> Iterable[Finding]:
    """Every requirement is met by at least one control or document."""
    for requirement in _requirements(workspace):
        if not requirement.controls and not requirement.documents:
            message = (
                f"{_name(requirement)} is met by nothing: list the controls (controls:) or the documents "
                "(documents:) that meet it"
            )
            yield _finding(workspace, requirement, ["id"], "requirement-unmet", message)


@rule(
    {
        "unknown-control": UNKNOWN_CONTROL,
        "document-unknown": Code("error", "A requirement names a document id that no document has."),
    }
)
def requirement_references(workspace: Workspace) -> Iterable[Finding]:
    """Every control a requirement names is in its catalog, and every document it names exists."""
    known: dict[str, str | None] = {}
    ids: set[str] | None = None
    for requirement in _requirements(workspace):
        for index, reason in unresolved(requirement.controls, workspace.catalogs, known):
            message = f"{_name(requirement)}: {reason}"
            yield _finding(workspace, requirement, ["controls", index], "unknown-control", message)
        for index, doc_id in enumerate(requirement.documents):
            if ids is None:
                ids = {d.id for d in workspace.documents if isinstance(d.meta.get("id"), str)}
            if doc_id in ids:
                continue
            near = close_match(doc_id, sorted(ids))
            hint = f"; did you mean {near}?" if near else ""
            message = f"{_name(requirement)}: no document has the id {doc_id!r}{hint}"
            yield _finding(workspace, requirement, ["documents", index], "document-unknown", message)


RULES = (requirements_met, requirement_references)
