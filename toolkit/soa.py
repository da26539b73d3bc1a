"""The Statement of Applicability (ISO/IEC 27001:2022 clause 6.1.3 d), built from the repository.

:func:`build` is pure over the model: one :class:`SoaRow` per control of every catalog in scope, with
applicability and justification from ``soa.yml``, the reasons for including the control (the risks and
requirements that chose it and its baseline reason, from :mod:`toolkit.chain`), the documents that
address it (with versions and status) and the evidence pointers. The controls (Annex A) are the
statement's rows; the clause 4-10 documented information (catalogs of another kind) is kept apart, in
:attr:`Statement.clauses`. The cover says DRAFT until ``soa.yml`` is approved and its seal is intact.
Writers turn the statement into csv, json or md here, and xlsx in :mod:`toolkit.soa_xlsx`; every format
is byte-identical for the same repository on the same day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from toolkit.catalogs import scope_catalogs
from toolkit.chain import Reason
from toolkit.model import COVERAGE_WORDS, csv_safe
from toolkit.seal import soa_seal_state
from toolkit.workspace import Workspace

COLUMNS = (
    ("catalog", "Catalog"),
    ("control", "Control"),
    ("title", "Title"),
    ("theme", "Theme"),
    ("applicable", "Applicable"),
    ("reasons", "Reasons for inclusion"),
    ("justification", "Justification"),
    ("status", "Implementation status"),
    ("coverage", "Policy coverage"),
    ("documents", "Documents"),
    ("evidence", "Evidence"),
)
HEADERS = [label for _key, label in COLUMNS]
STATUS_WORDS = {
    "implemented": "Implemented",
    "partial": "Partial",
    "planned": "Planned",
    "not-applicable": "Not applicable",
}
# The kind of catalog whose entries are the statement's rows; other kinds (clauses) are kept apart.
CONTROLS_KIND = "controls"
SECTION_WORDS = {"controls": "Controls", "clauses": "Clauses"}
APPROVED = "Approved"
# The framework whose statement `isms soa` exports unless told otherwise: ISO/IEC 27001 Annex A.
DEFAULT_FRAMEWORK = "iso27001-2022"


@dataclass(frozen=True)
class SoaRow:
    """One control's line in the Statement of Applicability."""

    catalog: str
    control: str
    title: str
    theme: str
    applicable: bool
    reasons: tuple[Reason, ...]
    justification: str
    status: str
    coverage: str
    documents: tuple[str, ...]
    evidence: tuple[str, ...]
    # The catalog's kind: "controls" (Annex A) or "clauses" (clause 4-10 documented information).
    section: str = CONTROLS_KIND


@dataclass(frozen=True)
class Statement:
    """The whole SoA: cover details, the controls' rows and the clause items' rows."""

    company: str
    scope: str
    version: str
    approver: str
    approved_on: str
    date: str
    rows: tuple[SoaRow, ...]
    clauses: tuple[SoaRow, ...] = ()
    # "Approved", or "DRAFT: ..." saying why not (see :func:`approval_status`).
    status: str = "DRAFT: not approved"
    # Each catalog's title by id, in the order the rows follow (for headings).
    catalog_titles: dict[str, str] = field(default_factory=dict)

    @property
    def approved(self) -> bool:
        """True when ``soa.yml`` is approved and its seal is intact."""
        return self.status == APPROVED

    def counts(self) -> list[tuple[str, int]]:
        """How many controls, applicable and not, and clause items: whole numbers, labelled."""
        applicable = sum(1 for row in self.rows if row.applicable)
        return [
            ("Controls", len(self.rows)),
            ("Applicable", applicable),
            ("Not applicable", len(self.rows) - applicable),
            ("Applicable with reasons", sum(1 for row in self.rows if row.applicable and row.reasons)),
            ("Clause items", len(self.clauses)),
        ]

    def cover_values(self) -> list[tuple[str, str | int | dt.date]]:
        """The cover details as values: text, whole numbers (counts) and dates (approval, report)."""
        return [
            ("Status", self.status),
            ("Company", self.company),
            ("ISMS scope", self.scope),
            ("Version", self.version),
            ("Approved by", self.approver),
            ("Approved on", _date(self.approved_on)),
            ("Generated on", _date(self.date)),
            *self.counts(),
        ]

    def cover(self) -> list[tuple[str, str]]:
        """The cover details, labelled and as text, in the order every format shows them."""
        return [
            (label, value.isoformat() if isinstance(value, dt.date) else str(value))
            for label, value in self.cover_values()
        ]

    def all_rows(self) -> tuple[SoaRow, ...]:
        """The controls' rows, then the clause items'."""
        return self.rows + self.clauses


def _date(value: str) -> str | dt.date:
    """An ISO date as a date; anything else (empty, not a date) as it was written."""
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else value
    except ValueError:
        return value


def approval_status(data: Mapping[str, Any]) -> str:
    """``Approved`` for a ``soa.yml`` with an approver, a date and an intact seal; else ``DRAFT: ...``."""
    if not data.get("approver") or not data.get("approved_on"):
        return "DRAFT: not approved"
    state = soa_seal_state(data)
    if state == "sealed":
        return APPROVED
    if state == "broken":
        return f"DRAFT: changed since its approval on {data.get('approved_on')}"
    return "DRAFT: the approval is not sealed"


def framework_catalogs(workspace: Workspace, framework: str | None) -> list[str]:
    """The catalogs of one framework's statement: the framework and its companion catalogs, in scope.

    ``None`` means every catalog in scope (one statement for all frameworks)."""
    if framework is None:
        return list(workspace.in_scope)
    return [cid for cid in scope_catalogs([framework], workspace.catalogs) if cid in workspace.in_scope]


def default_framework(workspace: Workspace) -> str | None:
    """ISO/IEC 27001:2022 Annex A when it is in scope, else the first framework of isms.yml."""
    frameworks = [name for name in workspace.frameworks if name in workspace.in_scope]
    if DEFAULT_FRAMEWORK in frameworks:
        return DEFAULT_FRAMEWORK
    return frameworks[0] if frameworks else None


def build(workspace: Workspace, framework: str | None = None) -> Statement:
    """The Statement of Applicability of ``workspace`` on its date, for one framework (with its companion
    catalogs), or for every catalog in scope when ``framework`` is None."""
    documents = {document.id: document for document in workspace.documents if document.valid}
    catalogs = workspace.catalogs
    reasons = workspace.reasons
    rows = []
    scope = framework_catalogs(workspace, framework)
    for catalog_id in scope:
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
            rows.append(
                SoaRow(
                    catalog=catalog_id,
                    control=control.id,
                    title=control.title,
                    theme=theme_names.get(control.theme, control.theme),
                    applicable=applicable,
                    reasons=tuple(reasons.get(control.ref, ())),
                    justification=(entry.justification or "") if entry else "",
                    status=STATUS_WORDS.get(status, status),
                    coverage=COVERAGE_WORDS[coverage.states[control.id]],
                    documents=addressed,
                    evidence=tuple(_evidence(item) for item in (entry.evidence if entry else [])),
                    section=catalog.kind,
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
        rows=tuple(row for row in rows if row.section == CONTROLS_KIND),
        clauses=tuple(row for row in rows if row.section != CONTROLS_KIND),
        status=approval_status(soa_meta),
        catalog_titles={catalog_id: catalogs[catalog_id].title for catalog_id in scope},
    )


def _evidence(item: Mapping[str, str]) -> str:
    """``location: description (owner: X)``, from one evidence pointer of ``soa.yml``."""
    text = str(item.get("location", ""))
    if item.get("description"):
        text += f": {item['description']}"
    if item.get("owner"):
        text += f" (owner: {item['owner']})"
    return text


def cells(row: SoaRow) -> list[str]:
    """The row as text, one cell per column of :data:`COLUMNS`."""
    out = []
    for key, _label in COLUMNS:
        value = getattr(row, key)
        if isinstance(value, bool):
            out.append("Yes" if value else "No")
        elif key == "reasons":
            out.append("; ".join(reason.describe() for reason in value))
        elif isinstance(value, tuple):
            out.append("; ".join(value))
        else:
            out.append(str(value))
    return out


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula.
def to_csv(statement: Statement) -> str:
    """RFC 4180 CSV with a header row; newlines ``\\r\\n`` as the RFC and spreadsheets expect.

    One file: the controls' rows, then the clause items', told apart by the first column, ``Section``.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Section", *HEADERS])
    writer.writerows(
        [SECTION_WORDS.get(row.section, row.section), *(csv_safe(cell) for cell in cells(row))]
        for row in statement.all_rows()
    )
    return buffer.getvalue()


def _json_row(row: SoaRow) -> dict[str, Any]:
    data = asdict(row)
    data.pop("section")
    data["documents"], data["evidence"] = list(row.documents), list(row.evidence)
    data["reasons"] = [
        {"kind": reason.kind, "id": reason.id, "title": reason.title, "text": reason.describe()}
        for reason in row.reasons
    ]
    return data


def to_json(statement: Statement) -> str:
    """The statement as JSON: cover fields, ``rows`` (the controls) and ``clauses`` (the clause items)."""
    data: dict[str, Any] = {
        "format_version": 2,
        "company": statement.company,
        "scope": statement.scope,
        "version": statement.version,
        "approver": statement.approver,
        "approved_on": statement.approved_on,
        "approved": statement.approved,
        "status": statement.status,
        "date": statement.date,
        "counts": {label.lower().replace(" ", "_"): count for label, count in statement.counts()},
        "catalog_titles": statement.catalog_titles,
        "rows": [_json_row(row) for row in statement.rows],
        "clauses": [_json_row(row) for row in statement.clauses],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _md_cell(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def to_markdown(statement: Statement) -> str:
    """A Markdown page: a DRAFT line until approved, the cover table, then one table per catalog."""
    out = [f"# Statement of Applicability: {_md_cell(statement.company)}", ""]
    if not statement.approved:
        out += [f"**{_md_cell(statement.status)}**", ""]
    out += ["| | |", "|---|---|"]
    out += [f"| {label} | {_md_cell(value)} |" for label, value in statement.cover()]
    headers = HEADERS[1:]
    current = None
    for row in statement.all_rows():
        if row.catalog != current:
            current = row.catalog
            title = _md_cell(statement.catalog_titles.get(current, current))
            out += ["", f"## {title}", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        out.append("| " + " | ".join(_md_cell(cell) for cell in cells(row)[1:]) + " |")
    return "\n".join(out) + "\n"


WRITERS = {"csv": to_csv, "json": to_json, "md": to_markdown}
