"""The records page of the handbook: internal audits, management reviews and nonconformities, for the ISMS
team and auditors.

One page (``isms/records.md``) among the reference pages, never among the staff pages: kept out of the
search index and out of the printable staff handbook like the others. It lists what is on record, one line
per record, with its state on the handbook's date; the files under ``records/`` hold the rest. Every value
is escaped.
"""

from __future__ import annotations

import html
from collections import Counter

from toolkit import records
from toolkit.handbook.markup import GENERATED_DIR, Blocks, Page
from toolkit.handbook.reference import WIDE, html_table
from toolkit.workspace import Workspace

RECORDS = f"{GENERATED_DIR}/records.md"


def _audit_rows(workspace: Workspace) -> list[list[str]]:
    rows = []
    for audit in reversed(records.audits_of(workspace)):
        grades = Counter(finding.grade for finding in audit.findings)
        found = ", ".join(f"{grades[grade]} {grade}" for grade in records.GRADES if grades[grade]) or "none"
        auditor = " ".join(str(audit.auditor.get(key) or "") for key in ("name", "role"))
        rows.append(
            [
                audit.date.isoformat() if audit.date else "",
                audit.id,
                audit.area,
                auditor.strip(),
                f"{len(audit.clauses)} clauses, {len(audit.controls)} controls",
                found,
            ]
        )
    return rows


def _review_rows(workspace: Workspace) -> list[list[str]]:
    rows = []
    for review in reversed(records.reviews_of(workspace)):
        covered = sum(
            1 for key, _meaning in records.REVIEW_INPUTS if review.inputs.get(key, {}).get("covered") is True
        )
        open_count = sum(1 for action in review.actions if action.done_on is None)
        rows.append(
            [
                review.date.isoformat() if review.date else "",
                ", ".join(review.attendees),
                f"{covered} of {len(records.REVIEW_INPUTS)}",
                f"{len(review.actions)} ({open_count} open)",
            ]
        )
    return rows


def _nonconformity_rows(workspace: Workspace) -> list[list[str]]:
    rows = []
    for item in workspace.entries("nonconformities"):
        if item.closed_on is not None:
            state = f"closed on {item.closed_on.isoformat()}"
        elif item.due is not None and item.due < workspace.today:
            state = "overdue"
        else:
            state = "open"
        rows.append([item.id, item.source, item.owner, item.due.isoformat() if item.due else "", state])
    return rows


SECTIONS = (
    ("Internal audits", ("Date", "Audit", "Area", "Auditor", "Sampled", "Findings"), _audit_rows),
    ("Management reviews", ("Date", "Attendees", "Inputs covered", "Actions"), _review_rows),
    ("Nonconformities", ("Nonconformity", "Source", "Owner", "Due", "State"), _nonconformity_rows),
)


def records_pages(workspace: Workspace) -> list[Page]:
    """The records page, or none when the repository keeps no records at all."""
    kept = (
        workspace.source("nonconformities").exists
        or workspace.source("audits").files
        or workspace.source("management_reviews").files
    )
    if not kept:
        return []
    blocks = Blocks()
    out = [
        WIDE + "# Records",
        "",
        "The evidence that the ISMS runs, newest first: internal audits, management reviews, and "
        "nonconformities with their corrective actions. The files under records/ hold the details.",
        "",
    ]
    for title, headers, build in SECTIONS:
        rows = [[html.escape(cell) for cell in row] for row in build(workspace)]
        out += [f"## {title}", ""]
        out += [
            blocks.add(html_table(list(headers), rows, escaped=True)) if rows else "None on record yet.",
            "",
        ]
    return [Page(RECORDS, "Records", "\n".join(out), blocks.items)]
