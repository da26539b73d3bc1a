"""Rules on the management review minutes and the corrective actions under ``records/``.

A management review is due ``records.management_review_months`` (default 12) after the last one, the first
one that long after ``records.operating_since`` (default ``template.generated_on``); the latest minutes
cover every input a review must look at. An action (a corrective action of ``nonconformities.yml`` or an
action of a review) past its due date and not closed is overdue; a nonconformity is closed only after an
effectiveness check found its corrective action effective. Owners are roles of ``isms.yml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.records import REVIEW_INPUTS, ManagementReview, reviews_of, settings
from toolkit.rules.base import rule
from toolkit.rules.ownership import OWNER_UNKNOWN, roles_of
from toolkit.rules.records import overdue
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

REVIEWS = "records/management-reviews"
KIND = "nonconformities"


def _line(workspace: Workspace, review: ManagementReview, path: list[str | int]) -> int:
    source = workspace.source("management_reviews").file(review.rel)
    return locate(source.text or "", path) if source is not None else 1


@rule(
    {
        "management-review-overdue": Code(
            "warning",
            "No management review within the interval of isms.yml records.management_review_months after "
            "the ISMS went live or after the last review.",
        )
    }
)
def reviews_on_time(workspace: Workspace) -> Iterable[Finding]:
    """A management review is on record within each interval, once the first interval is over."""
    months = settings(workspace.config).management_review_months
    every = f"every {months} months (records.management_review_months in {CONFIG_FILE})"
    yield from overdue(
        workspace,
        "management_reviews",
        reviews_of(workspace),
        months,
        "management-review-overdue",
        lambda last, due: (
            f"the last management review was on {last}; the next was due by {due}, as top management "
            f"reviews the ISMS {every}: hold it and add the minutes under {REVIEWS}/"
        ),
        lambda due, since: (
            f"no management review minutes under {REVIEWS}/: the first review was due by {due}, "
            f"{months} months after the ISMS went live on {since}: hold it and add the minutes there"
        ),
    )


@rule(
    {
        "review-input-missing": Code(
            "warning",
            "The latest management review minutes leave out, or mark not covered, an input a review must "
            "look at.",
        )
    }
)
def review_inputs(workspace: Workspace) -> Iterable[Finding]:
    """The latest management review covers every input; earlier minutes are history and left as written."""
    reviews = reviews_of(workspace)
    if not reviews:
        return
    latest = reviews[-1]
    for key, meaning in REVIEW_INPUTS:
        entry = latest.inputs.get(key)
        if entry is None:
            line = _line(workspace, latest, ["inputs"])
            problem = "leave out"
        elif entry.get("covered") is not True:
            line = _line(workspace, latest, ["inputs", key, "covered"])
            problem = "mark as not covered"
        else:
            continue
        message = (
            f"the minutes {problem} {meaning} (inputs.{key}): review it, then write it as covered: true "
            "with a short note"
        )
        yield Finding(latest.rel, line, "review-input-missing", "warning", message, f"inputs.{key}")


def _nonconformity_line(workspace: Workspace, index: int, key: str) -> int:
    return locate(workspace.source(KIND).text or "", [KIND, index, key])


@rule(
    {
        "action-overdue": Code(
            "warning",
            "A corrective action or a management review action is past its due date and not closed.",
        )
    }
)
def actions_on_time(workspace: Workspace) -> Iterable[Finding]:
    """No corrective action or review action is open past its due date."""
    today = workspace.today
    rel = workspace.source(KIND).rel
    for item in workspace.entries(KIND):
        if item.due is not None and item.due < today and item.closed_on is None:
            message = (
                f"{item.id or f'entry {item.index + 1}'}: the corrective action was due on "
                f"{item.due.isoformat()} ({(today - item.due).days} days ago) and is not closed; finish it, "
                "check that it worked and close it, or agree a new due date"
            )
            line = _nonconformity_line(workspace, item.index, "due")
            yield Finding(rel, line, "action-overdue", "warning", message, f"{KIND}[{item.index}].due")
    for review in reviews_of(workspace):
        for action in review.actions:
            if action.due is not None and action.due < today and action.done_on is None:
                message = (
                    f"action {action.index + 1} of this review was due on {action.due.isoformat()} "
                    f"({(today - action.due).days} days ago) and has no done_on: finish it and write the day "
                    "it was done, or agree a new due date"
                )
                line = _line(workspace, review, ["actions", action.index, "due"])
                field = f"actions[{action.index}].due"
                yield Finding(review.rel, line, "action-overdue", "warning", message, field)


@rule(
    {
        "action-unverified": Code(
            "warning",
            "A nonconformity is closed without an effectiveness check that found its corrective action "
            "effective.",
        )
    }
)
def closures_verified(workspace: Workspace) -> Iterable[Finding]:
    """A closed nonconformity has an effectiveness check with the result effective."""
    rel = workspace.source(KIND).rel
    for item in workspace.entries(KIND):
        if item.closed_on is None:
            continue
        result = item.effectiveness.get("result")
        if result == "effective":
            continue
        why = (
            "but its effectiveness check found the corrective action not effective"
            if result
            else "without an effectiveness check"
        )
        message = (
            f"{item.id or f'entry {item.index + 1}'} is closed {why}: check that the corrective action "
            "worked (effectiveness: checked_on, result, by) before closing it, or reopen it"
        )
        line = _nonconformity_line(workspace, item.index, "closure")
        yield Finding(rel, line, "action-unverified", "warning", message, f"{KIND}[{item.index}].closure")


@rule({"owner-unknown": OWNER_UNKNOWN})
def action_owners(workspace: Workspace) -> Iterable[Finding]:
    """The owner of each management review action is a role of isms.yml (nonconformity owners are checked
    with the registers' owners)."""
    roles = roles_of(workspace.config)
    if roles is None:
        return
    for review in workspace.entries("management_reviews"):
        for action in review.actions:
            if action.owner and action.owner not in roles:
                line = _line(workspace, review, ["actions", action.index, "owner"])
                message = f"owner of action {action.index + 1}: {roles.unknown(action.owner)}"
                field = f"actions[{action.index}].owner"
                yield Finding(review.rel, line, "owner-unknown", "error", message, field)


RULES = (reviews_on_time, review_inputs, actions_on_time, closures_verified, action_owners)
