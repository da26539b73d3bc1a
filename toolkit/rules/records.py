"""Rules on the internal audit records: audits on time, the audit programme's sampling, findings recorded.

Due dates, not presence, drive these rules (see docs/records.md): the first internal audit is due one audit
cycle (``isms.yml`` ``records.audit_cycle_months``, default 12) after ``records.operating_since`` (default
``template.generated_on``), each later one a cycle after the last. A repository that was just generated has
nothing due yet. The programme's sampling is judged over the audits of the last cycle, and only once the
first cycle is over and an audit of the last cycle is on record: before that, an audit programme that
spreads its audits over the year is still under way, and without any audit ``audit-overdue`` alone says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding, add_months
from toolkit.records import (
    NONCONFORMITY_GRADES,
    Audit,
    ManagementReview,
    RecordSettings,
    audits_of,
    next_due,
    settings,
)
from toolkit.rules.base import rule
from toolkit.rules.references import UNKNOWN_CONTROL, unresolved
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

AUDITS = "records/audits"
NONCONFORMITIES = "records/nonconformities.yml"
# How many unsampled ids a finding lists before it says "and N more".
SHOWN = 12


def _line(workspace: Workspace, audit: Audit, path: list[str | int]) -> int:
    source = workspace.source("audits").file(audit.rel)
    return locate(source.text or "", path) if source is not None else 1


def since_finding(workspace: Workspace, code: str, record: RecordSettings, message: str) -> Finding:
    """A finding on the ``isms.yml`` value the first due date was counted from."""
    key = list(record.since_key)
    line = locate(workspace.config_file.text or "", key)
    return Finding(CONFIG_FILE, line, code, "warning", message, ".".join(key))


@rule(
    {
        "audit-overdue": Code(
            "warning",
            "No internal audit within the audit cycle (isms.yml records.audit_cycle_months) after the ISMS "
            "went live or after the last audit.",
        )
    }
)
def audits_on_time(workspace: Workspace) -> Iterable[Finding]:
    """An internal audit is on record within each audit cycle, once the first cycle is over."""
    months = settings(workspace.config).audit_cycle_months
    cycle = f"every {months} months (records.audit_cycle_months in {CONFIG_FILE})"
    yield from overdue(
        workspace,
        "audits",
        audits_of(workspace),
        months,
        "audit-overdue",
        lambda last, due: (
            f"the last internal audit was on {last}; the next was due by {due}, as audits run {cycle}: "
            f"audit now and add the report under {AUDITS}/"
        ),
        lambda due, since: (
            f"no internal audit report under {AUDITS}/: the first was due by {due}, one audit cycle "
            f"after the ISMS went live on {since} (audits run {cycle}): audit now and add the report there"
        ),
    )


def overdue(
    workspace: Workspace,
    kind: str,
    dated: Sequence[Audit | ManagementReview],
    months: int,
    code: str,
    after_last: Callable[[str, str], str],
    first: Callable[[str, str], str],
) -> Iterator[Finding]:
    """The warning ``code`` when the next record of the source ``kind`` (``dated``: its audits or
    management reviews, oldest first), due ``months`` after the latest one held or after the ISMS went
    live, is late: on the latest one's date (message ``after_last(its date, due)``), or on the
    ``isms.yml`` value the first due date was counted from (``first(due, that date)``)."""
    record, today = settings(workspace.config), workspace.today
    held = [entry for entry in dated if entry.date is not None and entry.date <= today]
    latest = held[-1] if held else None
    due = next_due(latest.date if latest else None, record.operating_since, months)
    if due is None or today <= due:
        return
    if latest is not None and latest.date is not None:
        file = workspace.source(kind).file(latest.rel)
        line = locate(file.text or "", ["date"]) if file is not None else 1
        message = after_last(latest.date.isoformat(), due.isoformat())
        yield Finding(latest.rel, line, code, "warning", message, "date")
        return
    since = record.operating_since.isoformat() if record.operating_since else ""
    yield since_finding(workspace, code, record, first(due.isoformat(), since))


def _listed(ids: list[str]) -> str:
    shown = ", ".join(ids[:SHOWN])
    return shown + (f" and {len(ids) - SHOWN} more" if len(ids) > SHOWN else "")


def _unsampled(workspace: Workspace, kind: str, sampled: set[str]) -> list[str]:
    """Ids of the in-scope catalogs of ``kind`` (clauses or controls) that no audit sampled; controls
    excluded in soa.yml are left out."""
    missing = []
    for catalog_id in workspace.in_scope:
        catalog = workspace.catalogs[catalog_id]
        if catalog.kind != kind:
            continue
        states = workspace.coverage[catalog_id].states
        missing += [
            control.ref
            for control in catalog
            if control.ref not in sampled and states.get(control.id) != "excluded"
        ]
    return missing


@rule(
    {
        "audit-clause-unsampled": Code(
            "warning",
            "A clause of the clauses catalog was not sampled by any internal audit of the last audit cycle.",
        ),
        "audit-control-unsampled": Code(
            "warning",
            "An applicable control in scope was not sampled by any internal audit of the last audit cycle.",
        ),
    }
)
def programme_sampling(workspace: Workspace) -> Iterator[Finding]:
    """Over the audits of the last cycle, every clause and every applicable control is sampled once."""
    record = settings(workspace.config)
    today = workspace.today
    start = add_months(today, -record.audit_cycle_months)
    audits = [
        audit for audit in audits_of(workspace) if audit.date is not None and start < audit.date <= today
    ]
    first_cycle_over = (
        record.operating_since is None
        or add_months(record.operating_since, record.audit_cycle_months) <= today
    )
    if not audits or not first_cycle_over:
        return
    sampled = {ref for audit in audits for ref in (*audit.clauses, *audit.controls)}
    latest = audits[-1]
    window = f"the internal audits since {start.isoformat()} (one audit cycle)"
    for kind, code, what in (
        ("clauses", "audit-clause-unsampled", "clause"),
        ("controls", "audit-control-unsampled", "control"),
    ):
        missing = _unsampled(workspace, kind, sampled)
        if missing:
            many = len(missing) > 1
            them = "them" if many else "it"
            message = (
                f"{window} sampled no evidence for {len(missing)} {what}{'s' if many else ''}: "
                f"{_listed(missing)}; plan {them} into the next audit and list {them} under {kind}"
            )
            yield Finding(latest.rel, _line(workspace, latest, [kind]), code, "warning", message, kind)


@rule({"unknown-control": UNKNOWN_CONTROL})
def sampled_references(workspace: Workspace) -> Iterable[Finding]:
    """Every clause and control an audit lists as sampled is in its catalog."""
    known: dict[str, str | None] = {}
    for audit in workspace.entries("audits"):
        for key in ("clauses", "controls"):
            for index, reason in unresolved(getattr(audit, key), workspace.catalogs, known):
                line = _line(workspace, audit, [key, index])
                yield Finding(audit.rel, line, "unknown-control", "error", reason, f"{key}[{index}]")


@rule(
    {
        "audit-finding-unrecorded": Code(
            "warning",
            "An audit finding graded major or minor (a nonconformity) has no record in "
            "records/nonconformities.yml.",
        )
    }
)
def findings_recorded(workspace: Workspace) -> Iterable[Finding]:
    """Every nonconformity an audit found names its record in nonconformities.yml."""
    recorded = {item.id for item in workspace.entries("nonconformities") if item.id}
    for audit in workspace.entries("audits"):
        for finding in audit.findings:
            if finding.grade not in NONCONFORMITY_GRADES:
                continue
            field = f"findings[{finding.index}].nonconformity"
            name = f"finding {finding.index + 1} is graded {finding.grade}, a nonconformity,"
            if not finding.nonconformity:
                line = _line(workspace, audit, ["findings", finding.index])
                message = (
                    f"{name} but names no record: add it to {NONCONFORMITIES} with its corrective action "
                    "and write its id here as nonconformity: NC-..."
                )
            elif finding.nonconformity not in recorded:
                line = _line(workspace, audit, ["findings", finding.index, "nonconformity"])
                message = (
                    f"{name} but {NONCONFORMITIES} has no {finding.nonconformity}: add the record there, or "
                    "correct the id"
                )
            else:
                continue
            yield Finding(audit.rel, line, "audit-finding-unrecorded", "warning", message, field)


RULES = (audits_on_time, programme_sampling, sampled_references, findings_recorded)
