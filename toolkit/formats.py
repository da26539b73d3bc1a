"""Custom JSON Schema formats shared by the fast and the full validator."""

from __future__ import annotations

import datetime as dt


def is_date(value: object) -> bool:
    """``YYYY-MM-DD`` and a real calendar date (the ``date`` format of both validators)."""
    if not isinstance(value, str):
        return True  # format applies to strings only; "type" reports the rest
    if len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
