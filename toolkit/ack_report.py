"""``isms ack report``: per staff policy, the share of current staff who acknowledged its current major
version, the joiners past their induction window without an acknowledgement, and the follow-up list.

A member of staff is *current* when they joined on or before the report's date and their last working day
is after it. An acknowledgement counts for every version with the same major number: a new major version
asks everyone again, a minor one does not. A *joiner* of a document joined on or after the day its
current major version came into force (the first change-log entry of that major version, else the
document's effective date); a joiner is overdue once ``induction_days`` have passed since joining.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from toolkit.acknowledgements import Settings, settings, staff_facing
from toolkit.model import Document, parse_date
from toolkit.sources.acknowledgements import Acknowledgements
from toolkit.sources.roster import Roster, Staff
from toolkit.workspace import Workspace


@dataclass(frozen=True)
class DocumentShare:
    """One staff policy: how many current staff must acknowledge it, how many did, who is overdue."""

    id: str
    title: str
    file: str
    version: str
    major: str
    effective: dt.date | None
    since: dt.date | None
    staff: int
    acknowledged: int
    overdue: tuple[str, ...] = ()

    @property
    def share(self) -> float | None:
        """``acknowledged / staff``, 0.0 to 1.0; None when no one is employed."""
        return self.acknowledged / self.staff if self.staff else None

    @property
    def percent(self) -> str:
        share = self.share
        return "-" if share is None else f"{share * 100:.1f}%"


@dataclass(frozen=True)
class FollowUp:
    """A current member of staff with documents to acknowledge; ``overdue`` are past the induction window."""

    employee_id: str
    team: str
    joined: dt.date
    missing: tuple[str, ...]
    overdue: tuple[str, ...]


@dataclass
class AckReport:
    """What ``isms ack report`` shows."""

    today: dt.date
    settings: Settings
    staff: int
    documents: list[DocumentShare] = field(default_factory=list)
    follow_up: list[FollowUp] = field(default_factory=list)

    @property
    def overdue(self) -> list[FollowUp]:
        """The joiners past their induction window without an acknowledgement, by employee id."""
        return [item for item in self.follow_up if item.overdue]

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "threshold_percent": self.settings.threshold_percent,
            "induction_days": self.settings.induction_days,
            "current_staff": self.staff,
            "documents": [
                {
                    "id": item.id,
                    "title": item.title,
                    "file": item.file,
                    "version": item.version,
                    "major": item.major,
                    "effective": item.effective.isoformat() if item.effective else None,
                    "staff": item.staff,
                    "acknowledged": item.acknowledged,
                    "share": None if item.share is None else round(item.share, 4),
                    "induction_overdue": list(item.overdue),
                }
                for item in self.documents
            ],
            "follow_up": [
                {
                    "employee_id": item.employee_id,
                    "team": item.team,
                    "joined": item.joined.isoformat(),
                    "missing": list(item.missing),
                    "induction_overdue": list(item.overdue),
                }
                for item in self.follow_up
            ],
        }


def major_of(version: str) -> str:
    return version.partition(".")[0]


def major_since(document: Document) -> dt.date | None:
    """The day the document's current major version came into force: the earliest change-log date of
    that major version, else the document's effective date."""
    major = major_of(document.version)
    changelog = document.meta.get("changelog")
    dates = [
        day
        for entry in (changelog if isinstance(changelog, list) else [])
        if isinstance(entry, dict) and major_of(str(entry.get("version") or "")) == major
        for day in [parse_date(entry.get("date"))]
        if day is not None
    ]
    return min(dates) if dates else document.effective


def required_documents(workspace: Workspace) -> list[Document]:
    """The staff policies in force on the workspace's date, by id: what every member of staff acknowledges."""
    found = [doc for doc in workspace.documents if staff_facing(doc) and doc.in_force(workspace.today)]
    return sorted(found, key=lambda doc: doc.id)


def build_report(workspace: Workspace) -> AckReport:
    """The acknowledgement report of ``workspace`` on its date."""
    config = settings(workspace.config)
    today = workspace.today
    roster: Roster = workspace.source("roster")
    acks: Acknowledgements = workspace.source("acknowledgements")
    staff: list[Staff] = sorted(roster.current(today), key=lambda member: member.employee_id)
    window = dt.timedelta(days=config.induction_days)
    report = AckReport(today, config, len(staff))
    missing: dict[str, list[str]] = {}
    overdue: dict[str, list[str]] = {}
    for document in required_documents(workspace):
        major = major_of(document.version)
        done = acks.who(document.id, major)
        since = major_since(document) or dt.date.min
        late: list[str] = []
        count = 0
        for member in staff:
            if member.employee_id in done:
                count += 1
                continue
            missing.setdefault(member.employee_id, []).append(document.id)
            if member.joined >= since and member.joined + window < today:
                late.append(member.employee_id)
                overdue.setdefault(member.employee_id, []).append(document.id)
        report.documents.append(
            DocumentShare(
                document.id,
                document.title,
                document.rel,
                document.version,
                major,
                document.effective,
                since if since != dt.date.min else None,
                len(staff),
                count,
                tuple(late),
            )
        )
    report.follow_up = [
        FollowUp(
            member.employee_id,
            member.team,
            member.joined,
            tuple(missing[member.employee_id]),
            tuple(overdue.get(member.employee_id, ())),
        )
        for member in staff
        if member.employee_id in missing
    ]
    return report
