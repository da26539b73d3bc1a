"""Custom JSON Schema formats shared by the fast and the full validator."""

from __future__ import annotations

import calendar
import re

MIN_YEAR = 1900
MAX_YEAR = 2199
_DATE_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a date written ``YYYY-MM-DD`` in the years 1900 to 2199; None when it is one.

    Only that form is a date here: ISO week dates (``2026-W01-1``), ordinal dates and times, which
    Python's ``date.fromisoformat`` also accepts, are not.
    """
    match = _DATE_SHAPE.fullmatch(value)
    if match is None:
        return "not a date in the form YYYY-MM-DD"
    year, month, day = (int(part) for part in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        return f"the year {year} is outside {MIN_YEAR} to {MAX_YEAR}"
    if not 1 <= month <= 12:
        return f"month {month} does not exist"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= 31:
        return f"day {day} does not exist"
    if day > last:
        return f"{_MONTHS[month - 1]} {year} has {last} days, so day {day} does not exist"
    return None


def is_date(value: object) -> bool:
    """``YYYY-MM-DD``, a real calendar date from 1900 to 2199 (the ``date`` format of both validators)."""
    if not isinstance(value, str):
        return True  # format applies to strings only; "type" reports the rest
    return date_problem(value) is None
