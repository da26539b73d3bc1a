"""The Statement of Applicability as an auditor's workbook.

A cover sheet (DRAFT until ``soa.yml`` is approved and sealed, the version and approval, the counts as
numbers and the dates as dates), the ``SoA`` sheet with one row per control (Annex A), and a ``Clauses``
sheet with the clause 4-10 documented information. Every sheet prints landscape, one page wide, with the
header row repeated; every text cell stays text. The same repository gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from toolkit import xlsx
from toolkit.soa import COLUMNS, HEADERS, SECTION_WORDS, SoaRow, Statement

WIDTHS = {
    "catalog": 18,
    "control": 9,
    "title": 32,
    "theme": 18,
    "applicable": 11,
    "reasons": 48,
    "justification": 48,
    "status": 15,
    "coverage": 11,
    "documents": 36,
    "evidence": 36,
}
MAIN_SHEET = "SoA"


def _row_values(row: SoaRow) -> list[Any]:
    values: list[Any] = []
    for key, _label in COLUMNS:
        value = getattr(row, key)
        if key == "reasons":
            value = tuple(reason.describe() for reason in value)
        values.append(value)
    return values


def _cover(sheet: Any, statement: Statement) -> None:
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415

    title = "Statement of Applicability" + ("" if statement.approved else " (DRAFT)")
    xlsx.put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    for number, (label, value) in enumerate(statement.cover_values(), start=2):
        xlsx.put(sheet, number, 1, label).font = Font(bold=True)
        cell = xlsx.put(sheet, number, 2, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if label == "Status":
            cell.font = Font(bold=True, color="006100" if statement.approved else "C00000")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    xlsx.print_setup(sheet, "" if statement.approved else "DRAFT")


def to_xlsx(statement: Statement) -> bytes:
    """The workbook's bytes: ``Cover``, ``SoA`` and, when the catalogs in scope have clause items,
    ``Clauses`` (named after the catalog kind)."""
    from openpyxl import Workbook  # noqa: PLC0415 - only for this format

    workbook = Workbook()
    cover = workbook.active
    cover.title = "Cover"
    _cover(cover, statement)
    draft = "" if statement.approved else "DRAFT"
    widths = [WIDTHS[key] for key, _label in COLUMNS]
    sheet = workbook.create_sheet(MAIN_SHEET)
    xlsx.table_sheet(sheet, HEADERS, [_row_values(row) for row in statement.rows], widths, print_header=draft)
    sections: dict[str, list[SoaRow]] = {}
    for row in statement.clauses:
        sections.setdefault(row.section, []).append(row)
    for section, rows in sections.items():
        extra = workbook.create_sheet(SECTION_WORDS.get(section, section.title())[:31])
        xlsx.table_sheet(extra, HEADERS, [_row_values(row) for row in rows], widths, print_header=draft)
    stamp = dt.datetime.fromisoformat(statement.date)
    return xlsx.to_bytes(workbook, stamp, f"Statement of Applicability: {statement.company}")
