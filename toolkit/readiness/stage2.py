"""Stage 2 prerequisites: evidence that the ISMS runs.

Controls implemented (from ``soa.yml``), and the records a certification body samples at Stage 2: an
internal audit and a management review within their cycles, corrective actions closed or planned, and
staff acknowledgement of the policies above the threshold of ``isms.yml``.

The records and the acknowledgements are source kinds of their own (``audits``, ``management_reviews``,
``nonconformities``, ``acknowledgements``) with their own modules (:mod:`toolkit.records`,
:mod:`toolkit.acknowledgements`). Each prerequisite here looks for its source kind by name and calls that
module's public function; while a repository has no such records, the prerequisite is open with "no
records yet", which is the truth about it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any

from toolkit.model import add_months
from toolkit.readiness.base import State, Status, by_counts, findings_of, plural, prerequisite
from toolkit.sources.config import CONFIG_FILE
from toolkit.sources.soa import SOA_FILE

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

RECORDS = "toolkit.records"
ACKNOWLEDGEMENTS = "toolkit.acknowledgements"


def contract(module: str, name: str) -> Callable[..., Any]:
    """The public function ``name`` of ``module`` (:mod:`toolkit.records` or :mod:`toolkit.acknowledgements`),
    looked up at call time."""
    function: Callable[..., Any] = getattr(import_module(module), name)
    return function


def _setting(workspace: Workspace, section: str, key: str, default: int) -> int:
    """An integer of ``isms.yml`` ``section.key``, else ``default``."""
    values = workspace.config.get(section)
    value = values.get(key) if isinstance(values, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default


def _no_records(where: str, what: str) -> Status:
    return Status("open", f"no records yet: {what}", f"record it under {where}")


@prerequisite("controls-implemented", stage=2, title="Applicable controls implemented", phase="controls")
def controls_implemented(workspace: Workspace) -> Status:
    """Every applicable control's ``status`` in soa.yml is implemented."""
    applicable = [
        control.ref
        for catalog_id, coverage in workspace.coverage.items()
        for control in workspace.catalogs[catalog_id]
        if workspace.catalogs[catalog_id].kind == "controls" and coverage.states[control.id] != "excluded"
    ]
    if not applicable:
        return Status("open", f"no controls in scope: list iso27001-2022 under frameworks in {CONFIG_FILE}")
    statuses = {ref: (workspace.soa[ref].status if ref in workspace.soa else None) for ref in applicable}
    done = [ref for ref, status in statuses.items() if status == "implemented"]
    partial = [ref for ref, status in statuses.items() if status == "partial"]
    reason = f"{len(done)} of {plural(len(applicable), 'applicable control')} implemented"
    if partial:
        reason += f", {len(partial)} partly"
    state = by_counts(len(done), len(applicable))
    if state == "open" and partial:
        state = "in progress"
    action = (
        "" if state == "closed" else f"set status: implemented (with evidence) in {SOA_FILE} as each is done"
    )
    return Status(state, reason, action)


def _latest(
    workspace: Workspace,
    source: str,
    function: str,
    cycle: int,
    noun: str,
    folder: str,
    codes: tuple[str, ...],
) -> Status:
    """A record that must exist within ``cycle`` months, found by ``toolkit.records.<function>``; the
    records rules' ``codes`` (clauses unsampled, inputs missing, ...) keep it in progress."""
    latest = contract(RECORDS, function)
    if source not in workspace.loaded:
        return _no_records(folder, f"no {noun} recorded")
    day: dt.date | None = latest(workspace)
    if day is None:
        return _no_records(folder, f"no {noun} recorded")
    due = add_months(day, cycle)
    if due < workspace.today:
        reason = f"the last {noun}, on {day.isoformat()}, is older than its {cycle}-month cycle"
        return Status("open", reason, f"hold the next one and record it under {folder}")
    problems = findings_of(workspace, codes)
    reason = f"last {noun} on {day.isoformat()}, next due by {due.isoformat()}"
    if problems:
        return Status(
            "in progress", f"{reason}; {plural(len(problems), 'gap')} found by isms check", "isms check"
        )
    return Status("closed", reason)


@prerequisite("internal-audit", stage=2, title="Internal audit held (9.2)", phase="internal-audit")
def internal_audit(workspace: Workspace) -> Status:
    """An internal audit within the audit programme's cycle that sampled every clause and control."""
    cycle = _setting(workspace, "records", "audit_cycle_months", 12)
    codes = ("audit-overdue", "audit-clause-unsampled", "audit-control-unsampled", "audit-finding-unrecorded")
    return _latest(workspace, "audits", "latest_audit", cycle, "internal audit", "records/audits/", codes)


@prerequisite("management-review", stage=2, title="Management review held (9.3)", phase="management-review")
def management_review(workspace: Workspace) -> Status:
    """A management review within its cycle that covered every required input."""
    cycle = _setting(workspace, "records", "management_review_months", 12)
    codes = ("management-review-overdue", "review-input-missing")
    folder = "records/management-reviews/"
    return _latest(
        workspace, "management_reviews", "latest_management_review", cycle, "management review", folder, codes
    )


@prerequisite(
    "corrective-actions", stage=2, title="Corrective actions closed or planned (10.2)", phase="internal-audit"
)
def corrective_actions(workspace: Workspace) -> Status:
    """Every nonconformity's corrective action is closed and verified, or planned with an owner and a due
    date that has not passed."""
    where = "records/nonconformities.yml"
    open_actions = contract(RECORDS, "open_actions")
    if "nonconformities" not in workspace.loaded:
        return _no_records(where, "no nonconformity or corrective action recorded")
    entries = workspace.entries("nonconformities")
    latest_audit = contract(RECORDS, "latest_audit")
    audited = "audits" in workspace.loaded and latest_audit(workspace) is not None
    if not entries and not audited:
        return _no_records(where, "no nonconformity recorded, and no internal audit to raise any")
    pending = list(open_actions(workspace))
    problems = findings_of(workspace, ("action-overdue", "action-unverified"))
    if problems:
        reason = f"{plural(len(problems), 'corrective action')} overdue or not verified"
        return Status("in progress", reason, f"close or re-plan them in {where} (isms check lists them)")
    if not entries:
        return Status("closed", "no nonconformity recorded since the internal audit")
    if pending:
        return Status("closed", f"{plural(len(pending), 'corrective action')} open, each planned and on time")
    return Status(
        "closed", f"{plural(len(entries), 'nonconformity', 'nonconformities')} recorded, all closed"
    )


@prerequisite(
    "acknowledgements", stage=2, title="Staff acknowledgement of policies above threshold", phase="awareness"
)
def acknowledgements(workspace: Workspace) -> Status:
    """The share of current staff who acknowledged the current version of their policies reaches the
    threshold of isms.yml (``acknowledgements.threshold_percent``, 95 by default)."""
    threshold = _setting(workspace, "acknowledgements", "threshold_percent", 95)
    share_of = contract(ACKNOWLEDGEMENTS, "acknowledged_share")
    where = "records/acknowledgements/ (isms ack import)"
    if "acknowledgements" not in workspace.loaded:
        return _no_records(where, "no staff acknowledgement recorded")
    share: float | None = share_of(workspace)
    if share is None:
        return _no_records(
            "records/roster.csv (isms ack import --roster FILE)",
            "no staff roster to measure acknowledgements against",
        )
    percent = share * 100
    reason = f"{percent:.1f} % of current staff acknowledged their policies (threshold {threshold} %)"
    if percent >= threshold:
        return Status("closed", reason)
    state: State = "in progress" if percent > 0 else "open"
    return Status(state, reason, f"follow up the list of isms ack report, then import into {where}")


PREREQUISITES = (
    controls_implemented,
    internal_audit,
    management_review,
    corrective_actions,
    acknowledgements,
)
