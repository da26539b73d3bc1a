"""Workbooks for auditors: typed cells, text that never runs as a formula, print set-up, same bytes.

Shared by the Statement of Applicability (:mod:`toolkit.soa_xlsx`) and the register export
(:mod:`toolkit.register_tables`). openpyxl is imported inside the functions, only when a workbook is
written. Values are written as what they are: a whole number as a number, a date as a date shown
``yyyy-mm-dd``, everything else as text, a list as one line joined by ``; ``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = "1F3864"
# A4, the paper of the companies the toolkit is written for (openpyxl's paper size code).
PAPER_A4 = 9


def cell_value(value: Any) -> Any:
    """``value`` as a cell takes it: numbers and dates as they are, lists joined, booleans as Yes or No,
    text with the characters a worksheet cannot hold (control characters) replaced."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415 - only when writing xlsx

    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float, dt.date)):
        return value
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(item) for item in value)
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))


def put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """Write ``value`` into a cell, typed (see :func:`cell_value`); text is always text, never a formula."""
    cell = sheet.cell(row=row, column=column, value=cell_value(value))
    if cell.data_type == "f":  # openpyxl reads text starting with "=" as a formula
        cell.data_type = "s"
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    return cell


def table_sheet(
    sheet: Any,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int],
    *,
    print_header: str = "",
) -> None:
    """Fill ``sheet`` with a table an auditor can read and print.

    A bold header row, frozen and repeated on every printed page, filters, set column widths, wrapped
    text, landscape A4 fitted to the page width, and ``print_header`` (e.g. ``DRAFT``) at the top of each
    printed page.
    """
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, label in enumerate(headers, start=1):
        cell = put(sheet, 1, column, label)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = wrap
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            put(sheet, row_number, column, value).alignment = wrap
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = get_column_letter(max(len(headers), 1))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    print_setup(sheet, print_header)
    sheet.print_title_rows = "1:1"


def print_setup(sheet: Any, print_header: str = "") -> None:
    """Landscape A4, fitted to one page wide (as many pages tall as needed), page numbers at the foot."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "Page &P of &N"
    if print_header:
        sheet.oddHeader.center.text = print_header.replace("&", "&&")
        sheet.oddHeader.center.color = "C00000"


def to_bytes(workbook: Any, stamp: dt.datetime, title: str) -> bytes:
    """The workbook as xlsx bytes, dated ``stamp`` inside and out: the same input gives the same bytes."""
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.title = cell_value(title)
    return stamp_zip(_save(workbook), stamp)


def _save(workbook: Any) -> bytes:
    """The workbook as xlsx bytes, with the document dates it was given.

    ``Workbook.save`` would set the modified date to the clock; ``ExcelWriter`` writes what is set.
    """
    import zipfile  # noqa: PLC0415 - only for the xlsx format

    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415

    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


def stamp_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """``data`` (a zip, as openpyxl writes it) with every entry dated ``stamp`` instead of the clock.

    An xlsx file is a zip archive, and openpyxl dates its entries with the time of writing; with one
    date the same repository gives a byte-identical workbook, like the other formats.
    """
    import zipfile  # noqa: PLC0415 - only for the xlsx format

    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry))
    return out.getvalue()
