"""The repository model shared by ``check``, ``soa`` and the handbook.

Plain dataclasses, no I/O: :mod:`toolkit.loader` builds them from disk, :mod:`toolkit.check` analyses
them, reporters and the handbook read them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

Level = Literal["error", "warning"]

IN_FORCE = "approved"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a repository. ``file`` is relative to the repository, with ``/``."""

    file: str
    line: int | None
    code: str
    level: Level
    message: str
    field: str | None = None

    def sort_key(self) -> tuple[str, int, str, str]:
        """Stable order: by file, line, code, message."""
        return (self.file, self.line or 0, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of a finding."""
        return {
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "field": self.field,
        }


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_date(value: object) -> dt.date | None:
    """An ISO date string (already schema-checked) as a date; anything else as None."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass
class Document:
    """One Markdown document of the repository with its front matter.

    ``meta`` is the front matter as written (dates as strings). ``valid`` is False when the front matter
    could not be read or failed the schema; such a document still has a path and, where readable, an id.
    """

    path: Path
    rel: str
    meta: dict[str, Any]
    body: str
    body_line: int
    front_matter: str = ""
    valid: bool = True

    @cached_property
    def id(self) -> str:
        return str(self.meta.get("id") or self.rel)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.rel)

    @cached_property
    def status(self) -> str:
        return str(self.meta.get("status") or "draft")

    @property
    def version(self) -> str:
        return str(self.meta.get("version") or "")

    @cached_property
    def controls(self) -> list[str]:
        refs = self.meta.get("controls") or []
        # An entry that is not text (a schema finding already) is kept as "" so indexes match the list.
        return [ref if isinstance(ref, str) else "" for ref in refs] if isinstance(refs, list) else []

    @property
    def approved_on(self) -> dt.date | None:
        return parse_date(self.meta.get("approved_on"))

    @property
    def effective(self) -> dt.date | None:
        return parse_date(self.meta.get("effective")) or self.approved_on

    def in_force(self, today: dt.date) -> bool:
        """Approved, not retired, and effective on ``today``."""
        if self.status != IN_FORCE:
            return False
        start = self.effective
        return start is None or start <= today

    def next_review(self, default_cycle: int) -> dt.date | None:
        """``next_review`` if given, else approval (or effective) date plus the review cycle."""
        explicit = parse_date(self.meta.get("next_review"))
        if explicit is not None:
            return explicit
        start = self.approved_on or parse_date(self.meta.get("effective"))
        if start is None:
            return None
        cycle = self.meta.get("review_cycle_months")
        return add_months(start, cycle if isinstance(cycle, int) else default_cycle)


@dataclass
class SoaEntry:
    """One control's decision in ``soa.yml``."""

    ref: str
    applicable: bool = True
    justification: str | None = None
    status: str | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Repository:
    """A loaded policy repository: configuration, applicability decisions, documents, load findings."""

    root: Path
    config: dict[str, Any]
    config_text: str
    soa: dict[str, SoaEntry]
    soa_text: str | None
    soa_valid: bool
    documents: list[Document]
    findings: list[Finding] = field(default_factory=list)
    soa_meta: dict[str, Any] = field(default_factory=dict)

    @property
    def frameworks(self) -> list[str]:
        names = self.config.get("frameworks") or []
        return [str(name) for name in names] if isinstance(names, list) else []

    @property
    def review_cycle_months(self) -> int:
        parameters = self.config.get("parameters") or {}
        cycle = parameters.get("review_cycle_months") if isinstance(parameters, dict) else None
        return cycle if isinstance(cycle, int) else 12

    @property
    def name(self) -> str:
        organisation = self.config.get("organisation") or {}
        if isinstance(organisation, dict):
            return str(organisation.get("short_name") or organisation.get("name") or self.root.name)
        return self.root.name


CoverageState = Literal["covered", "drafted", "excluded", "missing"]


# Coverage states in words for people (SoA exports, the handbook).
COVERAGE_WORDS = {"covered": "Covered", "drafted": "Drafted", "excluded": "Excluded", "missing": "Missing"}


@dataclass
class Coverage:
    """Coverage of one catalog: each control's state and the documents that address it."""

    catalog: str
    title: str
    states: dict[str, CoverageState]
    documents: dict[str, list[str]]

    def ids(self, state: CoverageState) -> list[str]:
        return [control for control, value in self.states.items() if value == state]

    @property
    def total(self) -> int:
        return len(self.states)

    @property
    def applicable(self) -> int:
        return self.total - len(self.ids("excluded"))

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape: counts, the missing ids, and every control's state."""
        return {
            "title": self.title,
            "total": self.total,
            "applicable": self.applicable,
            "covered": len(self.ids("covered")),
            "drafted": len(self.ids("drafted")),
            "excluded": len(self.ids("excluded")),
            "missing": self.ids("missing"),
            "controls": dict(self.states),
        }
