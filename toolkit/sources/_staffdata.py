"""What the acknowledgement and roster files share: their CSV layout, their value checks, their reading.

Both are written by ``isms ack import`` in a fixed, normalised layout (a header row, then one record a
line) and read back by the workspace, so that ``isms check`` and ``isms ack report`` count from them. They
are CSV rather than YAML because a BPO has thousands of staff: 30 documents acknowledged by 10,000 people
is 300,000 rows. The value checks follow the row schemas (``schemas/acknowledgements.schema.json`` and
``schemas/roster.schema.json``) and remember the values already seen, since ids, versions and dates repeat
on most rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import stat
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from toolkit.fsutil import file_kind
from toolkit.model import Finding
from toolkit.sources.base import inside, read_text
from toolkit.validation import load_schema

ACK_DIR = "records/acknowledgements"
ACK_FILE = f"{ACK_DIR}/acknowledgements.csv"
ROSTER_FILE = "records/roster.csv"
ACK_HEADER = ("employee_id", "document_id", "version", "date")
ROSTER_HEADER = ("employee_id", "team", "joined", "left")
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@cache
def pattern(schema: str, key: str) -> re.Pattern[str]:
    """The ``pattern`` of a row schema's property, compiled."""
    return re.compile(load_schema(schema)["properties"][key]["pattern"])


class Checker:
    """Checks values against the row schemas, remembering the answers (most values repeat)."""

    def __init__(self) -> None:
        self.employee = pattern("acknowledgements", "employee_id")
        self.document = pattern("acknowledgements", "document_id")
        self.version = pattern("acknowledgements", "version")
        self.dates: dict[str, dt.date | None] = {}
        self.known: set[str] = set()

    def employee_problem(self, value: str) -> str | None:
        """Why ``value`` is not an employee id, or None."""
        if value in self.known:
            return None
        if not value:
            return "the employee id is empty"
        if self.employee.match(value) is None:
            return f"{value!r} is not an employee id (letters, digits and . _ / - only, at most 64)"
        self.known.add(value)
        return None

    def date(self, value: str) -> dt.date | None:
        """``value`` (YYYY-MM-DD) as a date, or None."""
        if value in self.dates:
            return self.dates[value]
        day = None
        if ISO_DATE.match(value):
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                day = None
        self.dates[value] = day
        return day


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for every non-blank row of CSV ``text``, the line being where the row starts."""
    reader = csv.reader(io.StringIO(text))
    start = 1
    for cells in reader:
        if any(cells) and "".join(cells).strip():
            yield start, cells
        start = reader.line_num + 1


def read_csv(
    path: Path, rel: str, header: tuple[str, ...], findings: list[Finding], *, root: Path
) -> Iterator[tuple[int, list[str]]]:
    """The data rows of one stored file, after checking its header; problems go to ``findings``.

    A row with the wrong number of cells is a finding and is skipped."""
    text = read_text(path, rel, findings, root=root)
    if not text:
        return
    rows = csv_rows(text)
    first = next(rows, None)
    if first is None:
        return
    line, cells = first
    if tuple(cell.strip() for cell in cells) != header:
        message = (
            f"the header must be {','.join(header)} (the layout isms ack import writes); "
            f"it is {','.join(cells)[:200]}"
        )
        findings.append(Finding(rel, line, "schema", "error", message))
        return
    width = len(header)
    for line, cells in rows:
        if len(cells) != width:
            message = f"{len(cells)} values where {width} are expected ({','.join(header)})"
            findings.append(Finding(rel, line, "schema", "error", message))
            continue
        yield line, cells


def problem(rel: str, line: int, field: str, message: str) -> Finding:
    """A ``schema`` finding on one value of a stored row."""
    return Finding(rel, line, "schema", "error", f"{field}: {message}", field)


def unsafe_target(root: Path, target: Path) -> str | None:
    """Why staff data must not be written to ``target`` (a link out of the repository ``root``, or
    anything but a regular file, which a pull request may have committed); None when it may."""
    if not inside(target.parent, root) or (os.path.lexists(target) and not inside(target, root)):
        return "leads outside the repository (put the folder itself here)"
    if not os.path.lexists(target):
        return None
    try:
        mode = target.stat().st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return None if stat.S_ISREG(mode) else f"is {file_kind(mode)}, not a file"
