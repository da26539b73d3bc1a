"""Reviews: approved documents whose next review falls due within a window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from toolkit.model import Document
from toolkit.workspace import Workspace


@dataclass(frozen=True)
class Review:
    """One approved document and when its review is due."""

    document: Document
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def reviews(repository: Workspace, today: dt.date, within_days: int) -> list[Review]:
    """Approved documents whose next review is on or before ``today + within_days``, soonest first."""
    found = []
    for document in repository.documents:
        if not document.valid or document.status != "approved":
            continue
        due = document.next_review(repository.review_cycle_months)
        if due is not None and (due - today).days <= within_days:
            found.append(Review(document, due, (due - today).days))
    return sorted(found, key=lambda review: (review.due, review.document.rel))


@dataclass(frozen=True)
class ReviewReport:
    """The reviews due within a window, as ``isms review`` reports them."""

    checked_on: dt.date
    within_days: int
    reviews: list[Review]

    @property
    def overdue(self) -> int:
        return sum(1 for review in self.reviews if review.overdue)


def review_report(workspace: Workspace, within_days: int) -> ReviewReport:
    """The approved documents of ``workspace`` due for review within ``within_days`` of its date."""
    return ReviewReport(workspace.today, within_days, reviews(workspace, workspace.today, within_days))
