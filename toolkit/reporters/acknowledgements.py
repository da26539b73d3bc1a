"""Renderers for ``isms ack report``: a summary for people, Markdown, the follow-up list as CSV, JSON, xlsx.

The report holds employee ids, teams and joining dates (personal data): it is written where the user asks,
never into the handbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import TYPE_CHECKING, Any

from toolkit.model import csv_safe, printable
from toolkit.reporters.markdown import cell

if TYPE_CHECKING:
    from toolkit.ack_report import AckReport, FollowUp

TEXT_ROWS = 20  # follow-up rows shown at a terminal; the other formats list everyone
FOLLOW_UP_HEADERS = ("Employee id", "Team", "Joined", "Documents to acknowledge", "Induction overdue")
DOCUMENT_HEADERS = (
    "Document",
    "Title",
    "Version",
    "Current staff",
    "Acknowledged",
    "Share",
    "Overdue joiners",
)


def _threshold(report: AckReport) -> str:
    return f"{report.settings.threshold_percent:g}%"


def _below(report: AckReport, share: float | None) -> bool:
    return share is not None and share * 100 < report.settings.threshold_percent


def _follow_up_cells(item: FollowUp) -> list[str]:
    return [
        item.employee_id,
        item.team,
        item.joined.isoformat(),
        " ".join(item.missing),
        " ".join(item.overdue),
    ]


def text(report: AckReport, *, color: bool = False) -> str:
    """Per document one line; then the counts of overdue joiners and of staff to follow up."""
    out = [
        f"Staff acknowledgements on {report.today.isoformat()}: {report.staff} current staff, "
        f"threshold {_threshold(report)}, induction window {report.settings.induction_days} days.",
    ]
    if not report.documents:
        out.append("No staff policy (audience all-staff) is approved and in force: nothing to acknowledge.")
    for item in report.documents:
        mark = "BELOW" if _below(report, item.share) else "ok"
        out.append(
            printable(
                f"  {item.id:<28} v{item.version:<9} {item.acknowledged:>6}/{item.staff:<6} "
                f"{item.percent:>7}  {mark:<5}  overdue joiners: {len(item.overdue)}"
            )
        )
    overdue = report.overdue
    out.append(f"{len(overdue)} joiner(s) past their induction window without an acknowledgement.")
    out.append(f"{len(report.follow_up)} member(s) of staff to follow up:")
    for person in report.follow_up[:TEXT_ROWS]:
        late = f"  (overdue: {' '.join(person.overdue)})" if person.overdue else ""
        out.append(
            printable(f"  {person.employee_id:<14} {person.team:<24} {' '.join(person.missing)}{late}")
        )
    if len(report.follow_up) > TEXT_ROWS:
        rest = len(report.follow_up) - TEXT_ROWS
        out.append(f"  ... and {rest} more: write the whole list with --format csv or xlsx --output FILE")
    return "\n".join(out) + "\n"


def markdown(report: AckReport) -> str:
    """Headed tables: the documents, the overdue joiners, the follow-up list."""
    out = [f"# Staff acknowledgements on {report.today.isoformat()}", ""]
    out += [
        f"{report.staff} current staff; threshold {_threshold(report)}; induction window "
        f"{report.settings.induction_days} days.",
        "",
        "| " + " | ".join(DOCUMENT_HEADERS) + " |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for item in report.documents:
        share = item.percent + (" (below threshold)" if _below(report, item.share) else "")
        out.append(
            f"| {cell(item.id)} | {cell(item.title)} | {cell(item.version)} | {item.staff} | "
            f"{item.acknowledged} | {share} | {len(item.overdue)} |"
        )
    for title, rows in (
        ("Joiners past their induction window", report.overdue),
        ("Follow-up", report.follow_up),
    ):
        out += ["", f"## {title} ({len(rows)})", ""]
        if not rows:
            out.append("None.")
            continue
        out += ["| " + " | ".join(FOLLOW_UP_HEADERS) + " |", "|---|---|---|---|---|"]
        out += ["| " + " | ".join(cell(value) for value in _follow_up_cells(item)) + " |" for item in rows]
    return "\n".join(out) + "\n"


def to_csv(report: AckReport) -> str:
    """The follow-up list, one row per member of staff with documents to acknowledge (RFC 4180)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["employee_id", "team", "joined", "missing", "induction_overdue"])
    writer.writerows([csv_safe(value) for value in _follow_up_cells(item)] for item in report.follow_up)
    return buffer.getvalue()


def to_json(report: AckReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def to_xlsx(report: AckReport) -> bytes:
    """Sheets ``Documents``, ``Induction overdue`` and ``Follow-up``."""
    from openpyxl import Workbook  # noqa: PLC0415 - only for this format

    from toolkit import xlsx  # noqa: PLC0415

    workbook = Workbook()
    documents = workbook.active
    documents.title = "Documents"
    rows: list[list[Any]] = [
        [
            item.id,
            item.title,
            item.version,
            item.staff,
            item.acknowledged,
            item.percent,
            len(item.overdue),
        ]
        for item in report.documents
    ]
    xlsx.table_sheet(documents, DOCUMENT_HEADERS, rows, [28, 40, 10, 14, 14, 10, 16])
    widths = [16, 28, 12, 60, 40]
    for title, items in (("Induction overdue", report.overdue), ("Follow-up", report.follow_up)):
        sheet = workbook.create_sheet(title)
        values = [
            [item.employee_id, item.team, item.joined, " ".join(item.missing), " ".join(item.overdue)]
            for item in items
        ]
        xlsx.table_sheet(sheet, FOLLOW_UP_HEADERS, values, widths)
    stamp = dt.datetime.combine(report.today, dt.time())
    return xlsx.to_bytes(workbook, stamp, f"Staff acknowledgements {report.today.isoformat()}")
