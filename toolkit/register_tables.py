"""The registers as tables: the risks, requirements, assets and suppliers under ``registers/``.

:func:`build` turns each register present in the workspace into a :class:`Table`: labelled columns and
one row per entry, each value typed (text, whole number, date, yes/no, list), the risk levels computed
with the risk method of ``isms.yml`` (:meth:`toolkit.registers.RiskMethod.level`). ``isms registers
export`` writes the tables as xlsx or json (below); the handbook's register pages read the same tables.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from toolkit.registers import RiskMethod, risk_method
from toolkit.workspace import Workspace

ColumnKind = Literal["text", "number", "date", "yesno", "list", "controls", "documents"]
Value = str | int | bool | dt.date | tuple[str, ...] | None


@dataclass(frozen=True)
class Column:
    """One column: the key of its values in a row, its label, the kind of its values, its xlsx width."""

    key: str
    label: str
    kind: ColumnKind = "text"
    width: int = 18


@dataclass(frozen=True)
class Table:
    """One register as a table: ``name`` (``risks``), its title, its file, columns and rows."""

    name: str
    title: str
    file: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Value], ...]


@dataclass(frozen=True)
class Registers:
    """Every register present, with the company, the date and the risk method they are read with."""

    company: str
    date: str
    tables: tuple[Table, ...]
    method: RiskMethod | None = None


def _c(key: str, label: str, kind: ColumnKind = "text", width: int = 18) -> Column:
    return Column(key, label, kind, width)


RISK_COLUMNS = (
    _c("id", "Id", width=12),
    _c("title", "Title", width=32),
    _c("assets", "Assets or processes", "list", 20),
    _c("threat", "Threat", width=32),
    _c("vulnerability", "Vulnerability", width=32),
    _c("owner", "Owner"),
    _c("likelihood", "Likelihood", "number", 11),
    _c("impact", "Impact", "number", 9),
    _c("level", "Level", "number", 8),
    _c("treatment", "Treatment", width=11),
    _c("controls", "Controls chosen", "controls", 24),
    _c("action", "Action", width=36),
    _c("action_owner", "Action owner"),
    _c("due", "Due", "date", 12),
    _c("action_status", "Action status", width=13),
    _c("residual_likelihood", "Residual likelihood", "number", 11),
    _c("residual_impact", "Residual impact", "number", 9),
    _c("residual_level", "Residual level", "number", 9),
    _c("accepted_by", "Accepted by"),
    _c("accepted_on", "Accepted on", "date", 12),
    _c("acceptance_note", "Acceptance note", width=32),
)
REQUIREMENT_COLUMNS = (
    _c("id", "Id", width=16),
    _c("title", "Title", width=32),
    _c("source", "Source", width=28),
    _c("kind", "Kind", width=11),
    _c("owner", "Owner"),
    _c("description", "Description", width=40),
    _c("controls", "Controls", "controls", 24),
    _c("documents", "Documents", "documents", 24),
)
ASSET_COLUMNS = (
    _c("id", "Id", width=12),
    _c("name", "Name", width=32),
    _c("type", "Type", width=12),
    _c("owner", "Owner"),
    _c("classification", "Classification", width=16),
    _c("location", "Location", width=24),
    _c("client", "Client"),
    _c("description", "Description", width=40),
)
SUPPLIER_COLUMNS = (
    _c("id", "Id", width=12),
    _c("name", "Name", width=24),
    _c("services", "Services", width=32),
    _c("owner", "Owner"),
    _c("client_data_access", "Client data access", "yesno", 11),
    _c("data_location", "Data location"),
    _c("encryption", "Encryption", width=24),
    _c("subcontracting_approval", "Sub-contracting approval", "yesno", 13),
    _c("audit_rights", "Audit rights", "yesno", 9),
    _c("incident_notice_hours", "Incident notice (hours)", "number", 11),
    _c("data_return_days", "Data return and deletion (days)", "number", 13),
    _c("deletion_certificate", "Deletion certificate", "yesno", 11),
    _c("insurance", "Insurance", width=24),
    _c("ip_ownership", "IP ownership", width=20),
    _c("nda_signed", "NDA signed", "date", 12),
    _c("dpa_signed", "DPA signed", "date", 12),
    _c("baa_signed", "BAA signed", "date", 12),
    _c("last_review", "Last review", "date", 12),
)


def _date(value: Any) -> Any:
    """``value`` as a date when it is one (``YYYY-MM-DD``); else as it was."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _value(value: Any, kind: ColumnKind) -> Value:
    """``value`` as written in the register, typed for the column; what does not fit becomes text."""
    if kind == "date":
        value = _date(value)
    if kind in ("list", "controls", "documents") and value is not None:
        items = value if isinstance(value, list) else [value]
        value = tuple(str(item) for item in items if item is not None)
    typed = (
        value is None
        or isinstance(value, (dt.date, tuple))
        or (kind == "number" and isinstance(value, int) and not isinstance(value, bool))
        or (kind == "yesno" and isinstance(value, bool))
    )
    if typed:
        result: Value = value
        return result
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _plain(item: dict[str, Any], columns: tuple[Column, ...]) -> dict[str, Value]:
    return {column.key: _value(item.get(column.key), column.kind) for column in columns}


def _risk(item: dict[str, Any]) -> dict[str, Value]:
    action, residual, acceptance = (_mapping(item.get(key)) for key in ("action", "residual", "acceptance"))
    flat = {
        **item,
        "action": action.get("description"),
        "action_owner": action.get("owner"),
        "due": action.get("due"),
        "action_status": action.get("status"),
        "residual_likelihood": residual.get("likelihood"),
        "residual_impact": residual.get("impact"),
        "accepted_by": acceptance.get("by"),
        "accepted_on": acceptance.get("on"),
        "acceptance_note": acceptance.get("note"),
    }
    row = _plain(flat, RISK_COLUMNS)
    row["level"] = _level(row["likelihood"], row["impact"])
    row["residual_level"] = _level(row["residual_likelihood"], row["residual_impact"])
    return row


def _level(likelihood: Value, impact: Value) -> int | None:
    """The level on the risk method: likelihood times impact, when both are whole numbers."""
    return RiskMethod.level(
        likelihood if isinstance(likelihood, int) and not isinstance(likelihood, bool) else None,
        impact if isinstance(impact, int) and not isinstance(impact, bool) else None,
    )


# name: (title, columns, row builder), in the order the tables, sheets and pages follow.
REGISTERS: dict[str, tuple[str, tuple[Column, ...], Callable[[dict[str, Any]], dict[str, Value]]]] = {
    "risks": ("Risk register", RISK_COLUMNS, _risk),
    "requirements": (
        "Requirements register",
        REQUIREMENT_COLUMNS,
        lambda item: _plain(item, REQUIREMENT_COLUMNS),
    ),
    "assets": ("Asset inventory", ASSET_COLUMNS, lambda item: _plain(item, ASSET_COLUMNS)),
    "suppliers": ("Supplier register", SUPPLIER_COLUMNS, lambda item: _plain(item, SUPPLIER_COLUMNS)),
}
NAMES = tuple(REGISTERS)


def present(workspace: Workspace) -> list[str]:
    """The registers whose file is in the repository (readable or not), in :data:`NAMES` order."""
    return [name for name in NAMES if getattr(workspace.loaded.get(name), "exists", False)]


def _items(workspace: Workspace, name: str) -> list[dict[str, Any]]:
    """The register's entries as written, one mapping each (those :mod:`toolkit.registers` reads)."""
    written = workspace.source(name).data.get(name)
    written = written if isinstance(written, list) else []
    return [written[entry.index] for entry in workspace.entries(name)]


def build(workspace: Workspace, names: tuple[str, ...] | list[str] | None = None) -> Registers:
    """The registers of ``workspace`` that are present (and among ``names``, when given) as tables."""
    tables = []
    for name in present(workspace):
        if names is not None and name not in names:
            continue
        title, columns, row = REGISTERS[name]
        rows = tuple(row(item) for item in _items(workspace, name))
        tables.append(Table(name, title, workspace.source(name).rel, columns, rows))
    organisation = workspace.config.get("organisation") or {}
    company = organisation.get("name") if isinstance(organisation, dict) else None
    return Registers(
        company=str(company or workspace.name),
        date=workspace.today.isoformat(),
        tables=tuple(tables),
        method=risk_method(workspace.config),
    )


def _json_value(value: Value) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def to_json(registers: Registers) -> str:
    """Every register as JSON: its columns and its rows (numbers as numbers, dates ``YYYY-MM-DD``)."""
    method = registers.method
    data = {
        "format_version": 1,
        "company": registers.company,
        "date": registers.date,
        "risk_method": None
        if method is None
        else {
            "likelihood": list(method.likelihood),
            "impact": list(method.impact),
            "treatment_threshold": method.treatment_threshold,
            "acceptance_threshold": method.acceptance_threshold,
            "acceptance_authority": method.acceptance_authority,
        },
        "registers": [
            {
                "name": table.name,
                "title": table.title,
                "file": table.file,
                "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
                "rows": [{key: _json_value(value) for key, value in row.items()} for row in table.rows],
            }
            for table in registers.tables
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


SHEET_NAMES = {"risks": "Risks", "requirements": "Requirements", "assets": "Assets", "suppliers": "Suppliers"}


def to_xlsx(registers: Registers) -> bytes:
    """One sheet per register: header row frozen and printed on every page, filters, typed cells."""
    from openpyxl import Workbook  # noqa: PLC0415 - only for this format

    from toolkit import xlsx  # noqa: PLC0415

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in registers.tables:
        sheet = workbook.create_sheet(SHEET_NAMES[table.name])
        xlsx.table_sheet(
            sheet,
            [column.label for column in table.columns],
            [[row[column.key] for column in table.columns] for row in table.rows],
            [column.width for column in table.columns],
        )
    if not workbook.worksheets:
        workbook.create_sheet("Registers")
    stamp = dt.datetime.fromisoformat(registers.date)
    return xlsx.to_bytes(workbook, stamp, f"ISMS registers: {registers.company}")
