"""The repository model shared by ``check``, ``soa`` and the handbook.

Plain dataclasses, no I/O: the source kinds of :mod:`toolkit.sources` build them from disk, the rules of
:mod:`toolkit.rules` analyse them, renderers and the handbook read them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
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

    def printable(self) -> Finding:
        """This finding with control characters in its text escaped (see :func:`printable`)."""
        return Finding(
            printable(self.file),
            self.line,
            self.code,
            self.level,
            printable(self.message),
            printable(self.field) if self.field is not None else None,
        )

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


# Characters that must not reach a terminal or a report as they are: C0 and C1 controls (escape sequences
# that clear a screen or set a window title, bytes XML 1.0 forbids), line breaks inside one-line fields,
# and the bidirectional overrides that can make text read differently from what it is.
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def normalise_text(text: str) -> str:
    """``text`` with a leading byte order mark dropped and every newline ``\\n`` (as files are read)."""
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# What a spreadsheet reads as the start of a formula in a CSV cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """``value``, with a leading apostrophe when a spreadsheet would otherwise run it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def printable(text: str) -> str:
    """``text`` with every control character written as a visible escape (``\\x1b``, ``\\n``)."""
    if not UNPRINTABLE.search(text):
        return text
    return UNPRINTABLE.sub(lambda match: match.group(0).encode("unicode_escape").decode("ascii"), text)


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
    def is_form(self) -> bool:
        """A form, checklist or log (``type: form``): evidence that a control works, never its coverage."""
        return self.meta.get("type") == "form"

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
    baseline: str | None = None


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
