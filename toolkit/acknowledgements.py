"""Staff acknowledgements: the settings of ``isms.yml``, ``isms ack import``, and the acknowledged share.

The handbook is a static site, so staff acknowledge the policies where the company already records things
(its own form or LMS course). ``isms ack import`` reads that tool's CSV export, or the HR roster's, into
the repository's normalised files (:mod:`toolkit.sources.acknowledgements`, :mod:`toolkit.sources.roster`):
only the mapped columns, never names. A file with any bad row is refused whole. Imports merge: a row
already recorded is not added twice, and the merge is done under a lock on the re-read file, so two
imports at once both land. ``isms ack report`` and the check rules count from the loaded files
(:mod:`toolkit.ack_report`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.editing import locked
from toolkit.errors import IsmsError
from toolkit.fsutil import read_regular, write_atomic
from toolkit.model import Finding
from toolkit.sources import _staffdata as staffdata
from toolkit.sources._staffdata import ACK_FILE, ACK_HEADER, ROSTER_FILE, ROSTER_HEADER, Checker
from toolkit.sources.acknowledgements import records
from toolkit.sources.config import CONFIG_FILE
from toolkit.sources.roster import TEAM_MAX, staff_rows
from toolkit.versions import version_key
from toolkit.workspace import Workspace

STAFF_AUDIENCES = ("all-staff", "staff")
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Settings:
    """``isms.yml`` ``acknowledgements``, with the defaults filled in."""

    threshold_percent: float = 95.0
    induction_days: int = 7
    form_url: str = ""
    date_format: str = ""
    columns: dict[str, str] = field(default_factory=lambda: {key: key for key in ACK_HEADER})
    roster_columns: dict[str, str] = field(default_factory=lambda: {key: key for key in ROSTER_HEADER})


def settings(config: dict[str, Any]) -> Settings:
    """The acknowledgement settings of ``config`` (``isms.yml`` as data); a value of the wrong type is
    left at its default (the schema check reports it)."""
    raw = config.get("acknowledgements")
    raw = raw if isinstance(raw, dict) else {}
    threshold = raw.get("threshold_percent")
    days = raw.get("induction_days")
    url = raw.get("form_url")
    date_format = raw.get("date_format")

    def mapping(key: str, names: tuple[str, ...]) -> dict[str, str]:
        given = raw.get(key)
        given = given if isinstance(given, dict) else {}
        return {name: str(given[name]) if isinstance(given.get(name), str) else name for name in names}

    return Settings(
        float(threshold) if isinstance(threshold, (int, float)) and not isinstance(threshold, bool) else 95.0,
        days if isinstance(days, int) and not isinstance(days, bool) and days >= 0 else 7,
        url if isinstance(url, str) and url.startswith(("https://", "http://")) else "",
        date_format if isinstance(date_format, str) else "",
        mapping("columns", ACK_HEADER),
        mapping("roster_columns", ROSTER_HEADER),
    )


def staff_facing(document: Any) -> bool:
    """True for an approved document that every member of staff must read (audience ``all-staff``).

    Forms are filled in, not acknowledged: a form for all staff (the joining declaration) is itself a
    record, so it asks nobody to acknowledge it.
    """
    return bool(
        document.valid
        and document.status == "approved"
        and document.meta.get("audience") in STAFF_AUDIENCES
        and document.meta.get("type") != "form"
    )


class ImportRefusedError(IsmsError):
    """The export has problems (a missing column, bad rows); nothing was imported."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did: rows read from the export, rows new to the records, rows now recorded."""

    target: str
    read: int
    added: int
    total: int


def _export_rows(path: Path, shown: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the ``(line, cells)`` rows of an export file (UTF-8, BOM allowed; comma, semicolon
    or tab separated, told from the header line)."""
    try:
        raw = read_regular(path)
    except OSError as exc:
        raise ImportRefusedError(f"cannot read the file: {exc.strerror}", path=shown) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = "not UTF-8 text: save the export as 'CSV UTF-8' and import it again"
        raise ImportRefusedError(message, path=shown, line=line) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            if header is None:
                header = [cell.strip() for cell in cells]
            elif any(cells) and "".join(cells).strip():
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRefusedError(f"not a CSV file: {exc}", path=shown, line=reader.line_num) from exc
    if not header or not any(header):
        raise ImportRefusedError("the file is empty: export it again with its header row", path=shown)
    return header, rows


def _columns(header: list[str], mapping: dict[str, str], key: str, shown: str) -> dict[str, int]:
    """The position of each mapped column in ``header``; refused when one is missing."""
    positions = {name: index for index, name in reversed(list(enumerate(header)))}
    missing = [(field_name, column) for field_name, column in mapping.items() if column not in positions]
    if missing:
        found = ", ".join(repr(name) for name in header)[:300]
        lines = [
            f"{shown}:1: the header has no column {column!r} ({CONFIG_FILE} acknowledgements.{key}."
            f"{field_name}); it has {found}"
            for field_name, column in missing
        ]
        raise ImportRefusedError("\n".join([*lines, "Nothing was imported."]))
    return {field_name: positions[column] for field_name, column in mapping.items()}


class _Dates:
    """Dates of an export: YYYY-MM-DD (a time after it ignored) or ``isms.yml``'s ``date_format``."""

    def __init__(self, date_format: str) -> None:
        self.date_format = date_format
        self.seen: dict[str, dt.date | None] = {}

    def __call__(self, value: str) -> dt.date | None:
        if value not in self.seen:
            self.seen[value] = self._parse(value)
        return self.seen[value]

    def _parse(self, value: str) -> dt.date | None:
        try:
            if self.date_format:
                return dt.datetime.strptime(value, self.date_format).date()
            head = value[:10]
            if len(value) > 10 and value[10] not in "T ":
                return None
            return dt.date.fromisoformat(head) if len(head) == 10 and head[4] == "-" else None
        except ValueError:
            return None

    @property
    def expected(self) -> str:
        return f"the form {self.date_format}" if self.date_format else "the form YYYY-MM-DD"


def _version(value: str) -> str | None:
    """``2``, ``v2.1`` or ``2.1.0`` as ``2.1.0``; None when it is not a version."""
    parts = value.strip().removeprefix("v").removeprefix("V").split(".")
    if not 1 <= len(parts) <= 3 or not all(part.isascii() and part.isdigit() for part in parts):
        return None
    parts = [str(int(part)) for part in parts] + ["0"] * (3 - len(parts))
    return ".".join(parts)


def _refuse(problems: list[str], shown: str, rows: int) -> ImportRefusedError:
    summary = f"{len(problems)} problem(s) in {shown} ({rows} rows); nothing was imported: fix the export"
    return ImportRefusedError("\n".join([*problems, summary]))


def _read_acknowledgements(
    workspace: Workspace, path: Path, shown: str, config: Settings
) -> tuple[list[tuple[str, str, str, str]], int]:
    header, rows = _export_rows(path, shown)
    where = _columns(header, config.columns, "columns", shown)
    current = {document.id: document.version for document in workspace.documents}
    dates, checker = _Dates(config.date_format), Checker()
    positions = (where["employee_id"], where["document_id"], where["version"], where["date"])
    width = max(positions) + 1
    # (document, version) as written -> (document id, version) once found good; dates as written -> day
    good: dict[tuple[str, str], tuple[str, str]] = {}
    good_dates: dict[str, str] = {}
    problems: list[str] = []
    found: list[tuple[str, str, str, str]] = []
    for line, cells in rows:
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))  # noqa: PLW2901 - padded copy of the short row
        employee, document = cells[positions[0]].strip(), cells[positions[1]].strip()
        version, day = cells[positions[2]].strip(), cells[positions[3]].strip()
        pair, date = good.get((document, version)), good_dates.get(day)
        if pair is not None and date is not None and employee in checker.known:
            found.append((employee, pair[0], pair[1], date))
            continue
        errors = _row_problems(employee, document, version, day, current, checker, dates)
        if errors:
            problems += [f"{shown}:{line}: {config.columns[key]}: {message}" for key, message in errors]
            continue
        pair = good[(document, version)] = (document.upper(), _version(version) or "")
        date = good_dates[day] = str(dates(day))
        found.append((employee, pair[0], pair[1], date))
    if problems:
        raise _refuse(problems, shown, len(rows))
    return found, len(rows)


def _row_problems(
    employee: str,
    document_text: str,
    version_text: str,
    day: str,
    current: dict[str, str],
    checker: Checker,
    dates: _Dates,
) -> list[tuple[str, str]]:
    """``(field, problem)`` for each bad value of one export row."""
    errors: list[tuple[str, str]] = []
    why = checker.employee_problem(employee)
    if why is not None:
        errors.append(("employee_id", why))
    document = document_text.upper()
    if not document:
        errors.append(("document_id", "the document id is empty"))
    elif document not in current:
        errors.append(("document_id", f"no document has the id {document_text!r} in this repository"))
    version = _version(version_text)
    if version is None:
        errors.append(("version", f"{version_text!r} is not a version like 2.1.0"))
    elif document in current and _newer(version, current[document]):
        message = f"{document} is at version {current[document]}; {version} does not exist yet"
        errors.append(("version", message))
    if dates(day) is None:
        errors.append(("date", f"{day!r} is not a date in {dates.expected}"))
    return errors


def _newer(version: str, current: str) -> bool:
    ours, theirs = version_key(version), version_key(current)
    return ours is not None and theirs is not None and ours > theirs


def _read_roster(path: Path, shown: str, config: Settings) -> tuple[list[tuple[str, str, str, str]], int]:
    header, rows = _export_rows(path, shown)
    where = _columns(header, config.roster_columns, "roster_columns", shown)
    dates, checker = _Dates(config.date_format), Checker()
    problems: list[str] = []
    found: dict[str, tuple[str, str, str, str]] = {}
    lines: dict[str, int] = {}
    for line, cells in rows:
        values = {key: cells[index].strip() if index < len(cells) else "" for key, index in where.items()}
        errors: list[str] = []

        def bad(key: str, message: str) -> None:
            errors.append(f"{shown}:{line}: {config.roster_columns[key]}: {message}")  # noqa: B023

        employee = values["employee_id"]
        why = checker.employee_problem(employee)
        if why is not None:
            bad("employee_id", why)
        elif employee in lines:
            bad("employee_id", f"{employee} is already on line {lines[employee]}: one row per employee")
        if len(values["team"]) > TEAM_MAX:
            bad("team", f"longer than {TEAM_MAX} characters")
        joined = dates(values["joined"])
        if joined is None:
            bad("joined", f"{values['joined']!r} is not a date in {dates.expected}")
        left = dates(values["left"]) if values["left"] else None
        if values["left"] and left is None:
            bad("left", f"{values['left']!r} is not a date in {dates.expected} (empty while employed)")
        elif left is not None and joined is not None and left < joined:
            bad("left", f"the last working day {values['left']} is before the joining date")
        lines.setdefault(employee, line)
        if errors:
            problems += errors
        elif joined is not None:
            last = left.isoformat() if left is not None else ""
            found[employee] = (employee, values["team"], joined.isoformat(), last)
    if problems:
        raise _refuse(problems, shown, len(rows))
    return list(found.values()), len(rows)


def _create(path: Path, header: tuple[str, ...]) -> None:
    """Create the records file with its header unless it exists (never replacing another's file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
        stream.write(",".join(header) + "\n")


def _stored(root: Path, rel: str, roster: bool) -> list[tuple[str, str, str, str]]:
    """The rows of the records file as they are now; refused when it has problems of its own."""
    findings: list[Finding] = []
    path = root / rel
    if roster:
        rows = [
            (m.employee_id, m.team, m.joined.isoformat(), m.left.isoformat() if m.left else "")
            for m in staff_rows(path, rel, findings, root)
        ]
    else:
        rows = [(e, d, v, day.isoformat()) for _l, e, d, v, day in records(path, rel, findings, root)]
    if findings:
        problems = [f"{f.file}:{f.line}: {f.message}" for f in findings]
        raise ImportRefusedError(
            "\n".join([*problems, f"{rel} has problems; fix them first. Nothing imported."])
        )
    return rows


def _csv_text(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, plain: bool = False) -> str:
    """The records file's text; ``plain``: no value can hold a comma, quote or newline (acknowledgements)."""
    if plain:
        return "\n".join([",".join(header), *(",".join(row) for row in rows)]) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def import_export(
    workspace: Workspace, path: Path, *, roster: bool = False, replace: bool = False
) -> ImportResult:
    """Import the CSV export at ``path`` into ``workspace``'s records (the roster with ``roster``).

    Acknowledgements merge with those recorded (the earliest date of a repeated row is kept). Roster
    rows replace the recorded row of the same employee; ``replace`` replaces the whole roster.
    Raises :class:`ImportRefusedError` (nothing written) for a missing column or any bad row.
    """
    config = settings(workspace.config)
    shown = str(path)
    if roster:
        found, read = _read_roster(path, shown, config)
    else:
        found, read = _read_acknowledgements(workspace, path, shown, config)
    rel, header = (ROSTER_FILE, ROSTER_HEADER) if roster else (ACK_FILE, ACK_HEADER)
    target = workspace.root / rel
    if (unsafe := staffdata.unsafe_target(workspace.root, target)) is not None:
        raise ImportRefusedError(f"{rel} {unsafe}; nothing imported")
    _create(target, header)
    with locked(target):
        stored = [] if replace else _stored(workspace.root, rel, roster)
        if roster:
            merged = {row[0]: row for row in stored}
            before = set(merged)
            merged.update((row[0], row) for row in found)
            added = len(set(merged) - before)
            rows: Sequence[tuple[str, ...]] = sorted(merged.values())
        else:
            # Keyed by "employee,document,version": no value holds a comma, and a comma sorts before every
            # character an id may hold, so the keys sort as the rows do.
            dated = {f"{e},{d},{v}": day for e, d, v, day in stored}
            before_count = len(dated)
            for employee, document, version, day in found:
                key = f"{employee},{document},{version}"
                if day < dated.get(key, "9999"):
                    dated[key] = day
            added = len(dated) - before_count
            rows = sorted(dated.items())
        write_atomic(target, _csv_text(header, rows, plain=not roster))
    return ImportResult(rel, read, added, len(rows))


def acknowledged_share(workspace: Workspace) -> float | None:
    """The lowest share, 0.0 to 1.0, of current staff who acknowledged a staff policy's current major
    version (the measure ``isms.yml`` ``threshold_percent`` is compared with).

    None when there is nothing to measure: no roster, no one employed today, or no staff policy approved
    and in force."""
    from toolkit.ack_report import build_report  # noqa: PLC0415 - the report reads this module

    if not workspace.source("roster").exists:
        return None
    shares = [item.share for item in build_report(workspace).documents if item.share is not None]
    return min(shares) if shares else None
