"""Renderers for ``isms review`` and ``isms changes``: a line per item for people, JSON for tools."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from toolkit.model import printable

if TYPE_CHECKING:
    from toolkit.changes import ChangeReport
    from toolkit.reviews import ReviewReport


def review_text(report: ReviewReport, *, color: bool = False) -> str:
    """One line per review, soonest first, then the counts."""
    day = report.checked_on.isoformat()
    if not report.reviews:
        return f"No reviews due within {report.within_days} days of {day}.\n"
    lines = []
    for review in report.reviews:
        document = review.document
        when = f"OVERDUE by {-review.days_left} days" if review.overdue else f"due in {review.days_left} days"
        lines.append(
            printable(
                f"{review.due.isoformat()}  {when:<22} {document.id:<24} owner: {document.meta.get('owner')}"
                f"  ({document.rel})"
            )
        )
    lines.append(f"{len(report.reviews)} due, {report.overdue} overdue.")
    return "\n".join(lines) + "\n"


def review_json(report: ReviewReport) -> str:
    """The reviews as JSON: the date, the window and one object per review."""
    rows = [
        {
            "id": review.document.id,
            "file": review.document.rel,
            "owner": review.document.meta.get("owner"),
            "due": review.due.isoformat(),
            "days_left": review.days_left,
            "overdue": review.overdue,
        }
        for review in report.reviews
    ]
    data = {"checked_on": report.checked_on.isoformat(), "within_days": report.within_days, "reviews": rows}
    return json.dumps(data, indent=2) + "\n"


def changes_text(report: ChangeReport, *, color: bool = False) -> str:
    """One line per changed file: kind, id, versions, status, file (and a note such as "text changed
    since approval"); then the count."""
    if not report.changes:
        return f"No document changed since {report.since}.\n"
    lines = []
    for change in report.changes:
        versions = (
            change.new_version if not change.old_version else f"{change.old_version} -> {change.new_version}"
        )
        lines.append(
            printable(
                f"{change.kind:<8} {change.document_id:<24} {versions:<18} {change.status:<9} {change.file}"
                + (f"  ({change.note})" if change.note else "")
            )
        )
    lines.append(f"{len(report.changes)} document(s) changed since {report.since}.")
    return "\n".join(lines) + "\n"


def changes_json(report: ChangeReport) -> str:
    """The changes as JSON."""
    return (
        json.dumps({"since": report.since, "changes": [asdict(c) for c in report.changes]}, indent=2) + "\n"
    )
