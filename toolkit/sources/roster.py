"""``records/roster.csv``: the staff roster, who must acknowledge the staff policies.

Written by ``isms ack import --roster`` (see :mod:`toolkit.acknowledgements`) with the header
``employee_id,team,joined,left``: no names, the minimum the evidence needs. Personal data: never published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.sources._staffdata import ROSTER_FILE, ROSTER_HEADER, Checker, problem, read_csv

TEAM_MAX = 100


@dataclass(frozen=True)
class Staff:
    """One member of staff: employee id, process or team, joining date, last working day (None: employed)."""

    employee_id: str
    team: str
    joined: dt.date
    left: dt.date | None
    line: int = 0

    def current(self, today: dt.date) -> bool:
        """Joined on or before ``today`` and not left: the last working day is after ``today``."""
        return self.joined <= today and (self.left is None or self.left > today)


@dataclass
class Roster:
    """The roster as loaded: staff by employee id."""

    rel: str = ROSTER_FILE
    exists: bool = False
    findings: list[Finding] = field(default_factory=list)
    staff: dict[str, Staff] = field(default_factory=dict)

    def current(self, today: dt.date) -> list[Staff]:
        """The staff employed on ``today``, by employee id."""
        return [member for member in self.staff.values() if member.current(today)]


def staff_rows(path: Path, rel: str, findings: list[Finding], root: Path) -> Iterator[Staff]:
    """Every valid row of a stored roster; a ``schema`` finding for every other row."""
    checker = Checker()
    for line, cells in read_csv(path, rel, ROSTER_HEADER, findings, root=root):
        employee, team, joined_text, left_text = (cell.strip() for cell in cells)
        why = checker.employee_problem(employee)
        if why is not None:
            findings.append(problem(rel, line, "employee_id", why))
            continue
        if len(team) > TEAM_MAX:
            findings.append(problem(rel, line, "team", f"longer than {TEAM_MAX} characters"))
            continue
        joined = checker.date(joined_text)
        if joined is None:
            message = f"{joined_text!r} is not a date in the form YYYY-MM-DD"
            findings.append(problem(rel, line, "joined", message))
            continue
        left = checker.date(left_text) if left_text else None
        if left_text and left is None:
            message = f"{left_text!r} is not a date in the form YYYY-MM-DD (leave it empty while employed)"
            findings.append(problem(rel, line, "left", message))
            continue
        if left is not None and left < joined:
            message = f"the last working day {left_text} is before the joining date {joined_text}"
            findings.append(problem(rel, line, "left", message))
            continue
        yield Staff(employee, team, joined, left, line)


@dataclass(frozen=True)
class RosterSource:
    """Source kind for the staff roster (row schema ``schemas/roster.schema.json``)."""

    name: str = "roster"
    schema: str = "roster"
    title: str = "records/roster.csv"
    description: str = (
        "The staff roster (employee id, team, joined, left), one CSV row each, written by isms ack import "
        "--roster; the table lists the columns. Personal data: never published."
    )
    order: int = 60
    codes: dict[str, Code] = field(default_factory=dict)

    def load(self, root: Path, loaded: dict[str, Any]) -> Roster:
        """``records/roster.csv``; an empty roster when it is missing."""
        result = Roster()
        path = root / ROSTER_FILE
        if not (path.exists() or path.is_symlink()):
            return result
        result.exists = True
        for member in staff_rows(path, ROSTER_FILE, result.findings, root):
            first = result.staff.get(member.employee_id)
            if first is not None:
                message = (
                    f"employee id {member.employee_id} is already on line {first.line}; keep one row per "
                    "employee"
                )
                result.findings.append(problem(ROSTER_FILE, member.line, "employee_id", message))
                continue
            result.staff[member.employee_id] = member
        return result

    def files(self, loaded: Any) -> list[str]:
        return [ROSTER_FILE]

    def meta_of(self, text: str) -> dict[str, Any]:
        return {}


KIND = RosterSource()
