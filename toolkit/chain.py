"""The chain an auditor samples: requirement and risk -> control -> document -> evidence.

Pure functions over the workspace: why each control is in the Statement of Applicability (the risk
treatments that chose it, the requirements that need it, or a baseline reason written in ``soa.yml``),
and what needs a control that ``soa.yml`` excludes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from toolkit.registers import Requirement, Risk

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

ReasonKind = Literal["risk", "requirement", "baseline"]
# Treatments that act through controls; a risk avoided or accepted chooses none (its controls, if any
# are listed, still count: the register says they were chosen).
KIND_WORDS = {"risk": "Risk", "requirement": "Requirement", "baseline": "Baseline"}


@dataclass(frozen=True, order=True)
class Reason:
    """Why a control is included: a risk or requirement (its id and title), or a baseline reason."""

    kind: ReasonKind
    id: str
    title: str

    def describe(self) -> str:
        """``RSK-003 Shared logins between shifts`` or ``Baseline: ...``, for people."""
        return f"{self.id} {self.title}" if self.id else f"{KIND_WORDS[self.kind]}: {self.title}"


def workspace_risks(workspace: Workspace) -> list[Risk]:
    """The risks of ``registers/risks.yml`` (none when the file is missing)."""
    found: list[Risk] = workspace.entries("risks")
    return found


def workspace_requirements(workspace: Workspace) -> list[Requirement]:
    """The requirements of ``registers/requirements.yml`` (none when the file is missing)."""
    found: list[Requirement] = workspace.entries("requirements")
    return found


def soa_reasons(workspace: Workspace) -> dict[str, list[Reason]]:
    """Every control's reasons for inclusion by reference, sorted: risks, requirements, baseline."""
    reasons: dict[str, set[Reason]] = {}
    for risk in workspace_risks(workspace):
        for ref in risk.controls:
            reasons.setdefault(ref, set()).add(Reason("risk", risk.id, risk.title))
    for requirement in workspace_requirements(workspace):
        for ref in requirement.controls:
            reasons.setdefault(ref, set()).add(Reason("requirement", requirement.id, requirement.title))
    for ref, entry in workspace.soa.items():
        if entry.baseline:
            reasons.setdefault(ref, set()).add(Reason("baseline", "", entry.baseline))
    order = {"risk": 0, "requirement": 1, "baseline": 2}
    return {
        ref: sorted(found, key=lambda reason: (order[reason.kind], reason.id, reason.title))
        for ref, found in reasons.items()
    }


def needed_by(workspace: Workspace, ref: str) -> list[str]:
    """What needs control ``ref``: risks and requirements that chose it, approved documents that claim it."""
    needs = [f"risk {reason.id}" for reason in workspace.reasons.get(ref, []) if reason.kind == "risk"]
    needs += [f"requirement {r.id}" for r in workspace.reasons.get(ref, []) if r.kind == "requirement"]
    needs += [
        f"approved document {document.id}"
        for document in workspace.documents
        if document.valid and document.status == "approved" and ref in document.controls
    ]
    return needs
