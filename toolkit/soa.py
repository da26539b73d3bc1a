"""The Statement of Applicability (ISO/IEC 27001:2022 clause 6.1.3 d), built from the repository.

:func:`build` is pure over the model: one :class:`SoaRow` per control of every catalog in scope, with
applicability and justification from ``soa.yml``, the documents that address the control (with versions
and status) and the evidence pointers. Writers turn the rows into csv, json, md or xlsx; csv, json and md
are byte-identical for the same repository.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from toolkit.model import COVERAGE_WORDS
from toolkit.workspace import Workspace

COLUMNS = (
    ("catalog", "Catalog"),
    ("control", "Control"),
    ("title", "Title"),
    ("theme", "Theme"),
    ("applicable", "Applicable"),
    ("justification", "Justification"),
    ("status", "Implementation status"),
    ("coverage", "Policy coverage"),
    ("documents", "Documents"),
    ("evidence", "Evidence"),
)
STATUS_WORDS = {
    "implemented": "Implemented",
    "partial": "Partial",
    "planned": "Planned",
    "not-applicable": "Not applicable",
}


@dataclass(frozen=True)
class SoaRow:
    """One control's line in the Statement of Applicability."""

    catalog: str
    control: str
    title: str
    theme: str
    applicable: bool
    justification: str
    status: str
    coverage: str
    documents: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """The whole SoA: cover details and rows."""

    company: str
    scope: str
    version: str
    approver: str
    approved_on: str
    date: str
    rows: tuple[SoaRow, ...]
    # Each catalog's title by id, in the order the rows follow (for headings).
    catalog_titles: dict[str, str] = field(default_factory=dict)

    def cover(self) -> list[tuple[str, str]]:
        """The cover details, labelled, in the order every format shows them."""
        return [
            ("Company", self.company),
            ("ISMS scope", self.scope),
            ("Version", self.version),
            ("Approved by", self.approver),
            ("Approved on", self.approved_on),
            ("Generated on", self.date),
        ]


def build(workspace: Workspace) -> Statement:
    """The Statement of Applicability of ``workspace`` on its date."""
    documents = {document.id: document for document in workspace.documents if document.valid}
    catalogs = workspace.catalogs
    rows = []
    for catalog_id in workspace.in_scope:
        catalog = catalogs[catalog_id]
        coverage = workspace.coverage[catalog_id]
        theme_names = catalog.themes
        for control in catalog:
            entry = workspace.soa.get(control.ref)
            applicable = entry is None or entry.applicable
            status = (entry.status if entry and entry.status else "") or (
                "" if applicable else "not-applicable"
            )
            addressed = tuple(
                f"{doc_id} v{documents[doc_id].version} ({documents[doc_id].status})"
                for doc_id in coverage.documents[control.id]
                if doc_id in documents
            )
            evidence = tuple(
                f"{item.get('location', '')}" + (f" (owner: {item['owner']})" if item.get("owner") else "")
                for item in (entry.evidence if entry else [])
            )
            rows.append(
                SoaRow(
                    catalog=catalog_id,
                    control=control.id,
                    title=control.title,
                    theme=theme_names.get(control.theme, control.theme),
                    applicable=applicable,
                    justification=(entry.justification or "") if entry else "",
                    status=STATUS_WORDS.get(status, status),
                    coverage=COVERAGE_WORDS[coverage.states[control.id]],
                    documents=addressed,
                    evidence=evidence,
                )
            )
    soa_meta = workspace.soa_file.data
    return Statement(
        company=str((workspace.config.get("organisation") or {}).get("name", workspace.name)),
        scope=str(workspace.config.get("scope", "")),
        version=str(soa_meta.get("version") or ""),
        approver=str(soa_meta.get("approver") or ""),
        approved_on=str(soa_meta.get("approved_on") or ""),
        date=workspace.today.isoformat(),
        rows=tuple(rows),
        catalog_titles={catalog_id: catalogs[catalog_id].title for catalog_id in workspace.in_scope},
    )


HEADERS = [label for _key, label in COLUMNS]


def cells(row: SoaRow) -> list[str]:
    values = asdict(row)
    out = []
    for key, _label in COLUMNS:
        value = values[key]
        if isinstance(value, bool):
            out.append("Yes" if value else "No")
        elif isinstance(value, (list, tuple)):
            out.append("; ".join(value))
        else:
            out.append(str(value))
    return out


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: str) -> str:
    """``value``, with a leading apostrophe when a spreadsheet would otherwise run it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def to_csv(statement: Statement) -> str:
    """RFC 4180 CSV with a header row; newlines ``\\r\\n`` as the RFC and spreadsheets expect."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows([_csv_safe(cell) for cell in cells(row)] for row in statement.rows)
    return buffer.getvalue()


def to_json(statement: Statement) -> str:
    """The statement as JSON: cover fields and rows (lists for documents and evidence)."""
    data: dict[str, Any] = asdict(statement)
    data["rows"] = [
        {**asdict(row), "documents": list(row.documents), "evidence": list(row.evidence)}
        for row in statement.rows
    ]
    return json.dumps({"format_version": 1, **data}, indent=2, ensure_ascii=False) + "\n"


def _md_cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def to_markdown(statement: Statement) -> str:
    """A Markdown page: cover table, then one table per catalog."""
    out = [f"# Statement of Applicability: {_md_cell(statement.company)}", ""]
    out += ["| | |", "|---|---|"]
    out += [f"| {label} | {_md_cell(value)} |" for label, value in statement.cover()]
    headers = HEADERS[1:]
    current = None
    for row in statement.rows:
        if row.catalog != current:
            current = row.catalog
            title = _md_cell(statement.catalog_titles.get(current, current))
            out += ["", f"## {title}", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        out.append("| " + " | ".join(_md_cell(cell) for cell in cells(row)[1:]) + " |")
    return "\n".join(out) + "\n"


def to_xlsx(statement: Statement) -> bytes:
    """An auditor's workbook: a cover sheet, then the SoA with a frozen header, filters and set widths."""
    from openpyxl import Workbook  # noqa: PLC0415 - only for this format
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    workbook = Workbook()
    cover = workbook.active
    cover.title = "Cover"
    cover.append(["Statement of Applicability"])
    cover["A1"].font = Font(bold=True, size=14)
    for label, value in (
        *statement.cover(),
        ("Controls", str(len(statement.rows))),
        ("Applicable", str(sum(1 for row in statement.rows if row.applicable))),
    ):
        cover.append([label, value])
    cover.column_dimensions["A"].width = 18
    cover.column_dimensions["B"].width = 100
    for row in cover.iter_rows(min_row=2):
        row[0].font = Font(bold=True)
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet = workbook.create_sheet("SoA")
    sheet.append(HEADERS)
    for row in statement.rows:
        sheet.append(cells(row))
    widths = {
        "catalog": 22,
        "control": 10,
        "title": 40,
        "theme": 22,
        "applicable": 11,
        "justification": 60,
        "status": 16,
        "coverage": 12,
        "documents": 45,
        "evidence": 45,
    }
    header_fill = PatternFill("solid", fgColor="1F3864")
    for index, (key, _label) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths[key]
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(statement.rows) + 1}"
    _as_text(workbook)
    stamp = dt.datetime.fromisoformat(statement.date)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.title = f"Statement of Applicability: {statement.company}"
    return _stamp_zip(_save(workbook), stamp)


def _as_text(workbook: Any) -> None:
    """Every cell is text: openpyxl stores a value starting with ``=`` as a formula, and a justification
    or company name must never run as one in the auditor's spreadsheet."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _save(workbook: Any) -> bytes:
    """The workbook as xlsx bytes, with the document dates it was given.

    ``Workbook.save`` would set the modified date to the clock; ``ExcelWriter`` writes what is set.
    """
    import zipfile  # noqa: PLC0415 - only for the xlsx format

    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415

    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return buffer.getvalue()


def _stamp_zip(data: bytes, stamp: dt.datetime) -> bytes:
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


WRITERS = {"csv": to_csv, "json": to_json, "md": to_markdown}
