"""What counts as a date: YYYY-MM-DD, a real calendar day, 1900 to 2199."""

from __future__ import annotations

import pytest

from toolkit.formats import date_problem, is_date


@pytest.mark.parametrize("value", ["2026-01-01", "1900-01-01", "2199-12-31", "2024-02-29", None, 5])
def test_real_dates_in_range_are_dates(value: object) -> None:
    assert is_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "2026-W01-1",  # an ISO week date: Python's fromisoformat accepts it
        "2026-001",  # an ordinal date
        "20260101",
        "2026-1-01",
        "9999-12-31",
        "1899-12-31",
        "2200-01-01",
        "2026-02-29",
        "2026-13-01",
        "\uff12\uff10\uff12\uff16-01-01",  # full-width digits
        "2026-01-01T10:00",
        "",
    ],
)
def test_anything_else_is_not_a_date(value: str) -> None:
    assert not is_date(value)
    assert date_problem(value) is not None
