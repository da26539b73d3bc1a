"""The records of the ISMS as data: internal audits, management reviews and nonconformities.

Plain dataclasses built from the files under ``records/`` (see the source kinds ``audits``,
``management_reviews`` and ``nonconformities`` in :mod:`toolkit.sources`), the ``records:`` settings of
``isms.yml``, and three small questions other parts of the toolkit ask: when was the last internal audit,
when was the last management review, and which actions are still open. Like the registers, the builders
accept data that failed its schema (the schema findings already say what is wrong) and keep what they can
read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from toolkit.model import add_months, parse_date

if TYPE_CHECKING:
    from toolkit.workspace import Workspace


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


AUDIT_CYCLE_MONTHS = 12
MANAGEMENT_REVIEW_MONTHS = 12

# Grades of an audit finding; the first two are nonconformities and need a record in nonconformities.yml.
NONCONFORMITY_GRADES = ("major", "minor")
GRADES = (*NONCONFORMITY_GRADES, "observation", "opportunity")

# What a management review must look at (ISO/IEC 27001:2022 clause 9.3.2), in this project's own short
# names: the key written in the minutes, and what it means in a few words.
REVIEW_INPUTS: tuple[tuple[str, str], ...] = (
    ("previous_actions", "where the actions of earlier reviews stand"),
    ("context_changes", "changes in the issues inside and outside the company that affect the ISMS"),
    ("interested_party_needs", "changes in what clients, regulators and staff need from the ISMS"),
    ("nonconformities", "nonconformities and corrective actions, and their trend"),
    ("monitoring_results", "monitoring and measurement results"),
    ("audit_results", "internal and external audit results"),
    ("objectives", "how far the security objectives are met"),
    ("interested_party_feedback", "feedback from clients, staff and other interested parties"),
    ("risk_status", "risk assessment results and where the treatment plan stands"),
    ("improvement", "opportunities to improve"),
)


@dataclass(frozen=True)
class RecordSettings:
    """``isms.yml`` ``records:``: the audit and review cycles and the day the ISMS went live.

    ``since_key`` is the path in ``isms.yml`` of the value ``operating_since`` came from (for a finding's
    line), or ``()`` when there is none: then nothing is ever due.
    """

    audit_cycle_months: int
    management_review_months: int
    operating_since: dt.date | None
    since_key: tuple[str, ...]


def _months(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default


def settings(config: dict[str, Any]) -> RecordSettings:
    """The ``records:`` settings of ``isms.yml``, defaults filled in.

    ``operating_since`` defaults to ``template.generated_on`` (the day ``isms init`` wrote the repository).
    """
    records = _mapping(config.get("records"))
    since, key = parse_date(records.get("operating_since")), ("records", "operating_since")
    if since is None:
        since, key = (
            parse_date(_mapping(config.get("template")).get("generated_on")),
            ("template", "generated_on"),
        )
    return RecordSettings(
        _months(records.get("audit_cycle_months"), AUDIT_CYCLE_MONTHS),
        _months(records.get("management_review_months"), MANAGEMENT_REVIEW_MONTHS),
        since,
        key if since is not None else (),
    )


@dataclass(frozen=True)
class AuditFinding:
    """One finding of an internal audit: its grade, and the nonconformity record it led to."""

    index: int
    grade: str
    description: str
    nonconformity: str


@dataclass(frozen=True)
class Audit:
    """One internal audit report under ``records/audits/``."""

    rel: str
    id: str
    date: dt.date | None
    area: str
    clauses: tuple[str, ...]
    controls: tuple[str, ...]
    findings: tuple[AuditFinding, ...]
    auditor: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewAction:
    """One action decided by a management review."""

    index: int
    description: str
    owner: str
    due: dt.date | None
    done_on: dt.date | None


@dataclass(frozen=True)
class ManagementReview:
    """The minutes of one management review under ``records/management-reviews/``; ``inputs`` holds each
    input as written (``{covered, note}``) by its key."""

    rel: str
    date: dt.date | None
    attendees: tuple[str, ...]
    inputs: dict[str, dict[str, Any]]
    actions: tuple[ReviewAction, ...]


@dataclass(frozen=True)
class Nonconformity:
    """One nonconformity of ``records/nonconformities.yml`` with its corrective action."""

    index: int
    id: str
    source: str
    owner: str
    due: dt.date | None
    effectiveness: dict[str, Any]
    closure: dict[str, Any]

    @property
    def closed_on(self) -> dt.date | None:
        return parse_date(self.closure.get("closed_on"))


def audit(rel: str, data: dict[str, Any]) -> Audit:
    """The audit report ``rel`` from its data."""
    findings = data.get("findings")
    return Audit(
        rel,
        _text(data.get("id")),
        parse_date(data.get("date")),
        _text(data.get("area")),
        _texts(data.get("clauses")),
        _texts(data.get("controls")),
        tuple(
            AuditFinding(
                index,
                _text(item.get("grade")),
                _text(item.get("description")),
                _text(item.get("nonconformity")),
            )
            for index, item in enumerate(findings if isinstance(findings, list) else [])
            if isinstance(item, dict)
        ),
        _mapping(data.get("auditor")),
    )


def management_review(rel: str, data: dict[str, Any]) -> ManagementReview:
    """The management review minutes ``rel`` from their data."""
    actions = data.get("actions")
    return ManagementReview(
        rel,
        parse_date(data.get("date")),
        _texts(data.get("attendees")),
        {str(key): _mapping(value) for key, value in _mapping(data.get("inputs")).items()},
        tuple(
            ReviewAction(
                index,
                _text(item.get("description")),
                _text(item.get("owner")),
                parse_date(item.get("due")),
                parse_date(item.get("done_on")),
            )
            for index, item in enumerate(actions if isinstance(actions, list) else [])
            if isinstance(item, dict)
        ),
    )


def nonconformities(data: dict[str, Any]) -> list[Nonconformity]:
    """The nonconformities of a ``nonconformities.yml``'s data."""
    items = data.get("nonconformities")
    return [
        Nonconformity(
            index,
            _text(item.get("id")),
            _text(item.get("source")),
            _text(item.get("owner")),
            parse_date(item.get("due")),
            _mapping(item.get("effectiveness")),
            _mapping(item.get("closure")),
        )
        for index, item in enumerate(items if isinstance(items, list) else [])
        if isinstance(item, dict)
    ]


def audits_of(workspace: Workspace) -> list[Audit]:
    """Every audit report that has a date, oldest first."""
    found: list[Audit] = workspace.entries("audits")
    return sorted((item for item in found if item.date is not None), key=lambda item: (item.date, item.rel))


def reviews_of(workspace: Workspace) -> list[ManagementReview]:
    """Every management review that has a date, oldest first."""
    found: list[ManagementReview] = workspace.entries("management_reviews")
    return sorted((item for item in found if item.date is not None), key=lambda item: (item.date, item.rel))


def latest_audit(workspace: Workspace) -> dt.date | None:
    """The date of the latest internal audit on record, or None when there is none."""
    audits = [item for item in audits_of(workspace) if item.date is not None and item.date <= workspace.today]
    return audits[-1].date if audits else None


def latest_management_review(workspace: Workspace) -> dt.date | None:
    """The date of the latest management review on record, or None when there is none."""
    reviews = [
        item for item in reviews_of(workspace) if item.date is not None and item.date <= workspace.today
    ]
    return reviews[-1].date if reviews else None


@dataclass(frozen=True)
class OpenAction:
    """An action not yet closed: a corrective action of a nonconformity, or an action of a management
    review. ``ref`` names it (``NC-2026-001``, or the minutes' file and the action's number)."""

    file: str
    ref: str
    description: str
    owner: str
    due: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


def open_actions(workspace: Workspace) -> list[OpenAction]:
    """Every corrective action not closed and every management review action not done, by due date."""
    found = [
        OpenAction(workspace.source("nonconformities").rel, item.id, item.id, item.owner, item.due)
        for item in workspace.entries("nonconformities")
        if item.closed_on is None
    ]
    for review in reviews_of(workspace):
        found += [
            OpenAction(
                review.rel,
                f"{review.rel} action {action.index + 1}",
                action.description,
                action.owner,
                action.due,
            )
            for action in review.actions
            if action.done_on is None
        ]
    return sorted(found, key=lambda action: (action.due or dt.date.max, action.file, action.ref))


def next_due(latest: dt.date | None, since: dt.date | None, months: int) -> dt.date | None:
    """When the next audit or review is due: ``months`` after the latest one, else after ``since``; None
    when neither is known (then nothing is due)."""
    start = latest or since
    return add_months(start, months) if start is not None else None
