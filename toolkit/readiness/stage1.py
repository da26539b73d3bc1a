"""Stage 1 prerequisites: the documents a certification body reviews first.

The clause 4-10 documents and the policies for every applicable Annex A control approved and sealed, the
risk assessment and treatment done and approved, the Statement of Applicability approved and sealed, and
every requirement met. A template's starting draft (a scored risk register, a requirements register) is
not the company's own until management approves the documents that own it, so it counts as open until then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.readiness.base import (
    Status,
    approve_command,
    approved_items,
    by_counts,
    findings_of,
    listed,
    load_findings,
    pending_paths,
    plural,
    prerequisite,
    sealed,
)
from toolkit.registers import Requirement, Risk, risk_method
from toolkit.seal import soa_seal_state
from toolkit.sources.config import CONFIG_FILE
from toolkit.sources.soa import SOA_FILE

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

CLAUSES = "iso27001-2022-clauses"
CHECK = "isms check (it names each problem's file and line)"


def _items(workspace: Workspace, kind: str) -> list[tuple[str, str, str]]:
    """The applicable items of the catalogs in scope of ``kind`` (``clauses`` or ``controls``), as
    ``(reference, id, coverage state)``; the Statement of Applicability's own item is its own prerequisite."""
    items: list[tuple[str, str, str]] = []
    for catalog_id, coverage in workspace.coverage.items():
        catalog = workspace.catalogs[catalog_id]
        if catalog.kind != kind:
            continue
        items += [
            (control.ref, control.id, coverage.states[control.id])
            for control in catalog
            if control.satisfied_by != "soa" and coverage.states[control.id] != "excluded"
        ]
    return items


def _documents_status(workspace: Workspace, kind: str, noun: str) -> Status:
    items = _items(workspace, kind)
    if not items:
        return Status("open", f"no {noun} in scope: list iso27001-2022 under frameworks in {CONFIG_FILE}")
    done, pending = approved_items(workspace, [ref for ref, _id, _state in items])
    ids = {ref: control_id for ref, control_id, _state in items}
    state = by_counts(len(done), len(items))
    reason = f"{len(done)} of {plural(len(items), noun)} addressed by an approved, sealed document"
    if not pending:
        return Status(state, reason)
    reason += f"; not yet: {listed([ids[ref] for ref in pending], 6)}"
    paths = pending_paths(workspace, pending)
    missing = {ref for ref, _id, state in items if state == "missing"}
    without = [ids[ref] for ref in pending if ref in missing]
    if without:
        return Status(state, reason, f"write a document whose controls list {listed(without, 3)}")
    return Status(state, reason, approve_command(paths) if paths else CHECK)


@prerequisite(
    "mandatory-documents", stage=1, title="Clause 4-10 mandatory documents approved", phase="policies"
)
def mandatory_documents(workspace: Workspace) -> Status:
    """Every clause 4-10 item of documented information has an approved, sealed document in force."""
    return _documents_status(workspace, "clauses", "clause item")


@prerequisite(
    "policies-approved", stage=1, title="Policies for applicable Annex A controls approved", phase="policies"
)
def policies_approved(workspace: Workspace) -> Status:
    """Every applicable control has an approved, sealed document in force."""
    return _documents_status(workspace, "controls", "applicable control")


def _clause_documents(workspace: Workspace, items: tuple[str, ...]) -> tuple[bool, list[str]]:
    """Whether the clause ``items`` are approved and sealed, and the files that still need approving."""
    if CLAUSES not in workspace.coverage:
        return True, []
    refs = [f"{CLAUSES}:{item}" for item in items]
    _done, pending = approved_items(workspace, refs)
    return not pending, pending_paths(workspace, pending)


def _register_gate(workspace: Workspace) -> Status | None:
    """Open when the risk register or the risk method is missing or unreadable."""
    source = workspace.source("risks")
    risks: list[Risk] = workspace.entries("risks")
    if not source.exists:
        return Status("open", f"{source.rel} is missing", f"create {source.rel} (see docs/registers.md)")
    if not risks:
        problems = load_findings(workspace, source.rel)
        why = f"{source.rel} cannot be read" if problems else f"{source.rel} lists no risks"
        return Status("open", why, CHECK if problems else f"add the risks to {source.rel}")
    if risk_method(workspace.config) is None:
        return Status("open", f"{CONFIG_FILE} has no risk_method to score the risks on", f"{CONFIG_FILE}")
    return None


def _register_status(
    workspace: Workspace, gaps: list[str], done: str, items: tuple[str, ...], what: str
) -> Status:
    """Closed when the register has no ``gaps`` and the clause ``items`` are approved; open while they are
    not (the register is a draft until then); in progress when approved but with gaps."""
    approved, paths = _clause_documents(workspace, items)
    clauses = ", ".join(items)
    if not approved:
        reason = f"{done}, but the {what} (clauses {clauses}) is not approved"
        if gaps:
            reason += f"; and {listed(gaps, 3)}"
        return Status("open", reason, approve_command(paths) if paths else CHECK)
    if gaps:
        return Status("in progress", f"{done}; but {listed(gaps, 3)}", CHECK)
    return Status("closed", f"{done}; the {what} (clauses {clauses}) is approved")


@prerequisite("risk-assessment", stage=1, title="Risk assessment done", phase="risk-assessment")
def risk_assessment(workspace: Workspace) -> Status:
    """The register is there, every risk is scored on the method of isms.yml, and the assessment's
    method and results (6.1.2, 8.2) are approved."""
    gate = _register_gate(workspace)
    if gate is not None:
        return gate
    rel = workspace.source("risks").rel
    risks: list[Risk] = workspace.entries("risks")
    unscored = [
        risk.id or f"risk {risk.index + 1}" for risk in risks if None in (risk.likelihood, risk.impact)
    ]
    problems = load_findings(workspace, rel) + findings_of(
        workspace, ("risk-score-out-of-scale", "risk-level-mismatch"), rel
    )
    gaps = [f"{listed(unscored, 3)} not scored"] if unscored else []
    if problems:
        gaps.append(f"{plural(len(problems), 'scoring problem')} in {rel}")
    scored = len(risks) - len(unscored)
    return _register_status(
        workspace, gaps, f"{scored} of {plural(len(risks), 'risk')} scored", ("6.1.2", "8.2"), "assessment"
    )


@prerequisite(
    "risk-treatment", stage=1, title="Risk treatment plan and acceptance done", phase="risk-assessment"
)
def risk_treatment(workspace: Workspace) -> Status:
    """Every risk at or above the treatment threshold is treated, high residual risks are accepted by the
    acceptance authority, and the treatment's method and results (6.1.3, 8.3) are approved."""
    gate = _register_gate(workspace)
    if gate is not None:
        return gate
    method = risk_method(workspace.config)
    assert method is not None  # noqa: S101 - the gate returned otherwise
    rel = workspace.source("risks").rel
    risks: list[Risk] = workspace.entries("risks")
    high = [
        risk
        for risk in risks
        if (level := method.level(risk.likelihood, risk.impact)) is not None
        and level >= method.treatment_threshold
    ]
    untreated = findings_of(workspace, ("risk-untreated",), rel)
    unaccepted = findings_of(workspace, ("risk-not-accepted", "risk-acceptance-future"), rel)
    gaps = []
    if untreated:
        gaps.append(f"{plural(len(untreated), 'risk')} not treated in full")
    if unaccepted:
        gaps.append(f"{plural(len(unaccepted), 'acceptance')} missing or wrong")
    treated = len(high) - len(untreated)
    done = f"{treated} of {plural(len(high), 'risk')} at or above level {method.treatment_threshold} treated"
    return _register_status(workspace, gaps, done, ("6.1.3", "8.3"), "treatment plan")


@prerequisite(
    "soa-approved", stage=1, title="Statement of Applicability approved and sealed", phase="policies"
)
def soa_approved(workspace: Workspace) -> Status:
    """soa.yml is valid, approved, and unchanged since (its seal matches)."""
    source = workspace.soa_file
    approve = f"isms approve {SOA_FILE} --by NAME"
    if not source.exists:
        return Status("open", f"{SOA_FILE} is missing", f"create {SOA_FILE} (isms init writes one)")
    if not source.valid:
        return Status("open", f"{SOA_FILE} has problems", CHECK)
    data = source.data
    if not data.get("approver") or not data.get("approved_on"):
        return Status("open", f"{SOA_FILE} is not approved", approve)
    when = f"approved on {data['approved_on']} by {data['approver']}"
    state = soa_seal_state(data)
    if state == "broken":
        return Status("in progress", f"{SOA_FILE} changed since it was {when}", approve)
    if state == "unsealed":
        return Status("in progress", f"{SOA_FILE} was {when} without an approval seal", approve)
    return Status("closed", f"{SOA_FILE} {when}, and sealed")


def _met(requirement: Requirement, approved: set[str], covered: set[str]) -> bool:
    """A requirement is met once every document it names is approved and sealed, and every control it
    names is covered."""
    return set(requirement.documents) <= approved and set(requirement.controls) <= covered


@prerequisite("requirements-register", stage=1, title="Requirements register complete", phase="policies")
def requirements_register(workspace: Workspace) -> Status:
    """Every requirement (law, regulation, client contract) is met by approved documents and covered
    controls, and the register has no problems."""
    source = workspace.source("requirements")
    requirements: list[Requirement] = workspace.entries("requirements")
    if not source.exists:
        return Status("open", f"{source.rel} is missing", f"create {source.rel} (see docs/registers.md)")
    problems = load_findings(workspace, source.rel) + findings_of(
        workspace, ("requirement-unmet", "unknown-control", "document-unknown"), source.rel
    )
    if not requirements:
        return Status("open", f"{source.rel} lists no requirements", f"add them to {source.rel}")
    approved = {document.id for document in workspace.documents if document.valid and sealed(document)}
    covered = {
        control.ref
        for catalog_id, coverage in workspace.coverage.items()
        for control in workspace.catalogs[catalog_id]
        if coverage.states[control.id] == "covered"
    }
    unmet = [r.id or f"requirement {r.index + 1}" for r in requirements if not _met(r, approved, covered)]
    met = len(requirements) - len(unmet)
    reason = f"{met} of {plural(len(requirements), 'requirement')} met by approved documents and controls"
    if problems:
        reason += f"; {plural(len(problems), 'problem')} in {source.rel}"
    if unmet:
        reason += f"; not yet: {listed(unmet, 4)}"
    state = by_counts(met, len(requirements))
    if problems and state == "closed":
        state = "in progress"
    action = CHECK if problems else ("approve the documents and controls they name" if unmet else "")
    return Status(state, reason, action)


PREREQUISITES = (
    mandatory_documents,
    policies_approved,
    risk_assessment,
    risk_treatment,
    soa_approved,
    requirements_register,
)
