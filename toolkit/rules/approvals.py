"""Rules on approval seals: what staff read, and the Statement of Applicability, are what was approved.

``isms approve`` records a seal (:mod:`toolkit.seal`) of what it approved. A later change to the text or
to what a document claims breaks the seal until a person reviews it and approves it again; an approved
document or soa.yml without a seal (approved by hand, or before seals existed) is a warning that fails
``--strict``; so is a soa.yml that was never approved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import front_matter_line, rule
from toolkit.seal import SEAL_KEY, first_changed_line, seal_state, soa_seal_state
from toolkit.sources.soa import SOA_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

CHANGED = Code(
    "error",
    "An approved document or soa.yml changed after its approval (its approval seal no longer matches); "
    "review the change and approve it again.",
)
UNSEALED = Code(
    "warning",
    "An approved document or soa.yml carries no approval seal (approved by hand or before seals); "
    "seal it with isms approve.",
)


def _changed_line(workspace: Workspace, rel: str, seal: object, fallback: int | None) -> int | None:
    """The first line changed since the sealed version (asking git), else ``fallback``."""
    if not isinstance(seal, str):
        return fallback
    try:
        text = (workspace.root / rel).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return fallback
    return first_changed_line(workspace.root, rel, seal, text) or fallback


@rule({"approved-text-changed": CHANGED, "approval-unsealed": UNSEALED})
def document_seals(workspace: Workspace) -> Iterable[Finding]:
    """An approved document still reads as approved: its seal matches its text and claims."""
    for document in workspace.documents:
        if not document.valid or document.status != "approved":
            continue
        state = seal_state(document.meta, document.body)
        if state == "broken":
            seal = document.meta.get(SEAL_KEY)
            line = _changed_line(workspace, document.rel, seal, front_matter_line(document, [SEAL_KEY]))
            message = (
                "changed since it was approved (the approval seal no longer matches); review the change "
                f"and approve it again: isms approve {document.rel} --by NAME"
            )
            yield Finding(document.rel, line, "approved-text-changed", "error", message, SEAL_KEY)
        elif state == "unsealed":
            message = (
                f"approved without an approval seal; record one with: isms approve {document.rel} --by NAME"
            )
            yield Finding(
                document.rel, front_matter_line(document, ["status"]), "approval-unsealed", "warning", message
            )


@rule(
    {
        "approved-text-changed": CHANGED,
        "approval-unsealed": UNSEALED,
        "soa-unapproved": Code(
            "warning", "soa.yml, a controlled document, has not been approved (isms approve soa.yml)."
        ),
    }
)
def soa_seal(workspace: Workspace) -> Iterable[Finding]:
    """soa.yml is approved, and unchanged since."""
    source = workspace.soa_file
    if source.text is None or not source.valid:
        return  # missing or invalid: its own findings say so
    data = source.data
    if not data.get("approver") or not data.get("approved_on"):
        message = f"{SOA_FILE} is not approved; once management agrees it: isms approve {SOA_FILE} --by NAME"
        yield Finding(SOA_FILE, 1, "soa-unapproved", "warning", message)
        return
    state = soa_seal_state(data)
    if state == "broken":
        seal_line = locate(source.text, [SEAL_KEY])
        line = _changed_line(workspace, SOA_FILE, data.get(SEAL_KEY), seal_line)
        message = (
            f"{SOA_FILE} changed since it was approved (the approval seal no longer matches); review the "
            f"change and approve it again: isms approve {SOA_FILE} --by NAME"
        )
        yield Finding(SOA_FILE, line, "approved-text-changed", "error", message, SEAL_KEY)
    elif state == "unsealed":
        message = f"{SOA_FILE} is approved without a seal; record one: isms approve {SOA_FILE} --by NAME"
        yield Finding(SOA_FILE, locate(source.text, ["approved_on"]), "approval-unsealed", "warning", message)


RULES = (document_seals, soa_seal)
