"""Rules on the document lifecycle: approvals recorded in full, reviews on time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import front_matter_line, rule

if TYPE_CHECKING:
    from toolkit.workspace import Workspace


@rule({"approval-incomplete": Code("error", "An approved document has no approver or no approval date.")})
def approval_complete(workspace: Workspace) -> Iterable[Finding]:
    """An approved document names who approved it and when."""
    for document in workspace.documents:
        if not document.valid or document.status != "approved":
            continue
        for key, what in (("approver", "approver"), ("approved_on", "approval date")):
            if not document.meta.get(key):
                line = front_matter_line(document, [key] if key in document.meta else ["status"])
                message = f"approved document has no {what}; record who approved it and when"
                yield Finding(document.rel, line, "approval-incomplete", "error", message, key)


@rule({"review-overdue": Code("warning", "An approved document's next review date has passed.")})
def review_due(workspace: Workspace) -> Iterable[Finding]:
    """An approved document is reviewed by its next review date."""
    today, cycle = workspace.today, workspace.review_cycle_months
    for document in workspace.documents:
        if not document.valid or document.status != "approved":
            continue
        due = document.next_review(cycle)
        if due is not None and due < today:
            key = "next_review" if document.meta.get("next_review") else "approved_on"
            line = front_matter_line(document, [key])
            days = (today - due).days
            message = (
                f"review overdue since {due.isoformat()} ({days} days); review it and record the approval"
            )
            yield Finding(document.rel, line, "review-overdue", "warning", message, key)


RULES = (approval_complete, review_due)
