"""Rules on soa.yml: every decision names a real control, exclusions say why, inclusions are complete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.catalogs import resolve
from toolkit.chain import needed_by
from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import rule
from toolkit.rules.references import UNKNOWN_CONTROL
from toolkit.sources.soa import SOA_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace


@rule(
    {
        "unknown-control": UNKNOWN_CONTROL,
        "exclusion-unjustified": Code("error", "soa.yml excludes a control without a justification."),
    }
)
def soa_decisions(workspace: Workspace) -> Iterable[Finding]:
    """Each decision in soa.yml names a known control; an exclusion has a justification."""
    text = workspace.soa_file.text or ""
    for ref, entry in workspace.soa.items():
        reason = resolve(ref, workspace.catalogs) if ":" in ref else None
        field = f"controls.{ref}"
        if reason is not None:
            yield Finding(
                SOA_FILE, locate(text, ["controls", ref]), "unknown-control", "error", reason, field
            )
            continue
        if not entry.applicable and not (entry.justification or "").strip():
            line = locate(text, ["controls", ref])
            message = f"{ref} is excluded without a justification; say why it does not apply"
            yield Finding(SOA_FILE, line, "exclusion-unjustified", "error", message, f"{field}.justification")


@rule(
    {
        "soa-incomplete": Code(
            "warning",
            "An applicable control has no implementation status, or no reason for its inclusion: no risk "
            "treatment or requirement chooses it and soa.yml gives no baseline reason or justification.",
        )
    }
)
def soa_completeness(workspace: Workspace) -> Iterable[Finding]:
    """An applicable control needs an implementation status and a reason for its inclusion: a risk
    treatment or requirement that chooses it (the registers), or a baseline reason or justification."""
    source = workspace.soa_file
    text = source.text
    if text is None:
        return  # no soa.yml at all: the Statement of Applicability item reports it once
    if not source.data and source.findings:
        return  # soa.yml cannot be read or parsed: its own finding says why, once
    for catalog_id in workspace.in_scope:
        catalog = workspace.catalogs[catalog_id]
        if catalog.kind != "controls":
            continue
        for control in catalog:
            entry = workspace.soa.get(control.ref)
            if entry is not None and not entry.applicable:
                continue
            missing = []
            if entry is None or not entry.status:
                missing.append("no implementation status (status: planned, partial or implemented)")
            reasons = workspace.reasons.get(control.ref)
            if not reasons and (entry is None or not (entry.justification or "").strip()):
                missing.append(
                    "no reason for including it (a risk or requirement choosing it, or a baseline: reason)"
                )
            if missing:
                # A control soa.yml does not list: point at `controls:`, where its entry belongs.
                line = locate(text, ["controls", control.ref] if entry is not None else ["controls"])
                message = f"{control.ref} is applicable but has {' and '.join(missing)} in {SOA_FILE}"
                yield Finding(SOA_FILE, line, "soa-incomplete", "warning", message, f"controls.{control.ref}")


@rule(
    {
        "exclusion-contradicted": Code(
            "error",
            "soa.yml excludes a control that a risk treatment chose, a requirement needs or an approved "
            "document claims.",
        )
    }
)
def exclusions_not_needed(workspace: Workspace) -> Iterable[Finding]:
    """An excluded control is needed by nothing: no risk treatment, requirement or approved document."""
    text = workspace.soa_file.text or ""
    for ref, entry in workspace.soa.items():
        if entry.applicable:
            continue
        needs = needed_by(workspace, ref)
        if needs:
            message = (
                f"{ref} is excluded, but {', '.join(needs)} needs it; include it (applicable: true), or "
                "change what needs it"
            )
            line = locate(text, ["controls", ref, "applicable"])
            yield Finding(
                SOA_FILE, line, "exclusion-contradicted", "error", message, f"controls.{ref}.applicable"
            )


# A sentence given as the reason of this many controls or more reads as boilerplate, not a reason.
SHARED_LIMIT = 5


@rule(
    {
        "soa-boilerplate": Code(
            "warning",
            f"One justification or baseline sentence is given for {SHARED_LIMIT} or more controls: say why "
            "each one applies (or link the risks and requirements that choose it).",
        )
    }
)
def reasons_not_shared(workspace: Workspace) -> Iterable[Finding]:
    """A justification (or baseline reason) is written for its control, not shared by many."""
    text = workspace.soa_file.text or ""
    by_sentence: dict[tuple[str, str], list[str]] = {}
    for ref, entry in workspace.soa.items():
        for key, value in (("justification", entry.justification), ("baseline", entry.baseline)):
            if value and value.strip():
                by_sentence.setdefault((key, " ".join(value.split())), []).append(ref)
    for (key, sentence), refs in by_sentence.items():
        if len(refs) >= SHARED_LIMIT:
            shown = sentence if len(sentence) <= 60 else f"{sentence[:57]}..."
            message = f"the same {key} {shown!r} is given for {len(refs)} controls ({refs[0]} and others)"
            line = locate(text, ["controls", refs[0], key])
            yield Finding(SOA_FILE, line, "soa-boilerplate", "warning", message, f"controls.{refs[0]}.{key}")


RULES = (soa_decisions, soa_completeness, exclusions_not_needed, reasons_not_shared)
