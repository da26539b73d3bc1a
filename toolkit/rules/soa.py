"""Rules on soa.yml: every decision names a real control, exclusions say why, inclusions are complete."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.catalogs import resolve
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
            "warning", "An applicable control has no implementation status or no justification in soa.yml."
        )
    }
)
def soa_completeness(workspace: Workspace) -> Iterable[Finding]:
    """An applicable control needs an implementation status and a reason for its inclusion in soa.yml."""
    text = workspace.soa_file.text
    if text is None:
        return  # no soa.yml at all: the Statement of Applicability item reports it once
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
                missing.append("an implementation status")
            if entry is None or not (entry.justification or "").strip():
                missing.append("a justification for including it")
            if missing:
                line = locate(text, ["controls", control.ref]) if entry is not None else None
                message = f"{control.ref} is applicable but {SOA_FILE} gives no {' or '.join(missing)}"
                yield Finding(SOA_FILE, line, "soa-incomplete", "warning", message, f"controls.{control.ref}")


RULES = (soa_decisions, soa_completeness)
