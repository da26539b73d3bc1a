"""Rules on the supplier register: the protections owed to clients flow down to suppliers that see their data.

A supplier with ``client_data_access: true`` needs every protection below, and deadlines shorter than the
company's own promises to its clients (isms.yml ``parameters``): a supplier that may tell the company of an
incident only after the company had to tell its client cannot let the company keep its word. Every
supplier is reviewed at least once a year.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from toolkit.codes import Code
from toolkit.model import Finding, Level, add_months, parse_date
from toolkit.registers import Supplier
from toolkit.rules.base import rule
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

KIND = "suppliers"
REVIEW_MONTHS = 12

# Each protection: the field, what it must be ("text", "true", "number" or "date"), and what it means.
PROTECTIONS: tuple[tuple[str, str, str], ...] = (
    ("data_location", "text", "where it keeps the data"),
    ("encryption", "text", "how the data is encrypted"),
    ("subcontracting_approval", "true", "sub-contracting only with the company's approval"),
    ("audit_rights", "true", "the right to audit it"),
    ("incident_notice_hours", "number", "its incident notice deadline in hours"),
    ("data_return_days", "number", "its deadline in days to return and delete the data"),
    ("deletion_certificate", "true", "a certificate of deletion"),
    ("nda_signed", "date", "the date its NDA was signed"),
    ("dpa_signed", "date", "the date its data processing agreement was signed"),
)
BAA = ("baa_signed", "date", "the date its HIPAA business associate agreement was signed")

# Each deadline: the supplier's field, the isms.yml parameter it must undercut, and the promise.
DEADLINES: tuple[tuple[str, str, str, str], ...] = (
    ("incident_notice_hours", "incident_notification_hours", "hours", "tell a client about an incident"),
    ("data_return_days", "client_data_deletion_days", "days", "return and delete a client's data"),
)


def _suppliers(workspace: Workspace) -> list[Supplier]:
    found: list[Supplier] = workspace.entries(KIND)
    return found


def _finding(workspace: Workspace, supplier: Supplier, key: str | None, code: str, message: str) -> Finding:
    source = workspace.source(KIND)
    path: list[str | int] = [KIND, supplier.index, *([key] if key else [])]
    level: Level = "warning" if code == "supplier-review-overdue" else "error"
    field = f"{KIND}[{supplier.index}]" + (f".{key}" if key else "")
    return Finding(source.rel, locate(source.text or "", path), code, level, message, field)


def _present(value: Any, kind: str) -> bool:
    if kind == "true":
        return value is True
    if kind == "number":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "date":
        return parse_date(value) is not None
    return isinstance(value, str) and bool(value.strip())


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@rule(
    {
        "supplier-protection-missing": Code(
            "error",
            "A supplier with client data access lacks a protection: data location, encryption, approval of "
            "sub-contracting, audit rights, incident notice, data return, deletion certificate, NDA, DPA "
            "(and BAA for US healthcare clients).",
        )
    }
)
def protections(workspace: Workspace) -> Iterable[Finding]:
    """A supplier that can see client data has every protection the company owes its clients."""
    regions = _mapping(workspace.config.get("profile")).get("client_regions")
    needed = PROTECTIONS + ((BAA,) if isinstance(regions, list) and "us-healthcare" in regions else ())
    for supplier in _suppliers(workspace):
        if not supplier.client_data_access:
            continue
        for key, kind, what in needed:
            value = supplier.data.get(key)
            if _present(value, kind):
                continue
            state = "is false" if value is False else "is missing" if value is None else "is not filled in"
            if kind == "true":
                ask = "set it to true once the contract says so"
            elif kind == "date":
                ask = "record the date it was signed (YYYY-MM-DD)"
            else:
                ask = "fill it in from the contract"
            message = (
                f"{supplier.id or supplier.name}: {key} ({what}) {state}; it has access to client data, so "
                f"{ask}"
            )
            yield _finding(
                workspace,
                supplier,
                key if key in supplier.data else None,
                "supplier-protection-missing",
                message,
            )


@rule(
    {
        "supplier-deadline-too-long": Code(
            "error",
            "A supplier's incident notice or data return deadline is not shorter than the company's own "
            "promise to its clients in isms.yml parameters.",
        )
    }
)
def deadlines(workspace: Workspace) -> Iterable[Finding]:
    """A supplier with client data must act faster than the company promised its clients to."""
    parameters = _mapping(workspace.config.get("parameters"))
    for supplier in _suppliers(workspace):
        if not supplier.client_data_access:
            continue
        for key, parameter, unit, promise in DEADLINES:
            ours, theirs = _number(parameters.get(parameter)), _number(supplier.data.get(key))
            if ours is None or theirs is None or theirs < ours:
                continue
            message = (
                f"{supplier.id or supplier.name}: {key} is {theirs} {unit}, but the company promises its "
                f"clients to {promise} within {ours} {unit} ({CONFIG_FILE} parameters.{parameter}); with "
                f"this supplier it could not keep that promise: agree fewer than {ours} {unit}"
            )
            yield _finding(workspace, supplier, key, "supplier-deadline-too-long", message)


@rule(
    {
        "supplier-review-overdue": Code(
            "warning", "A supplier was last reviewed more than 12 months ago, or never."
        )
    }
)
def reviews(workspace: Workspace) -> Iterable[Finding]:
    """Every supplier's security is reviewed at least every 12 months."""
    today = workspace.today
    for supplier in _suppliers(workspace):
        last = parse_date(supplier.data.get("last_review"))
        if last is not None and add_months(last, REVIEW_MONTHS) >= today:
            continue
        if last is None:
            message = (
                f"{supplier.id or supplier.name}: no security review is recorded; "
                "review it and record last_review"
            )
        else:
            message = (
                f"{supplier.id or supplier.name}: last reviewed on {last.isoformat()}, more than "
                f"{REVIEW_MONTHS} months ago; review it again and update last_review"
            )
        key = "last_review" if "last_review" in supplier.data else None
        yield _finding(workspace, supplier, key, "supplier-review-overdue", message)


RULES = (protections, deadlines, reviews)
