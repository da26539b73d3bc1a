"""``soa.yml``: the applicability decisions behind the Statement of Applicability."""

from __future__ import annotations

from typing import Any

from toolkit.model import SoaEntry
from toolkit.sources.base import YamlSource

SOA_FILE = "soa.yml"


def entries(data: dict[str, Any]) -> dict[str, SoaEntry]:
    """Each control's decision by reference; values the schema refuses are left out (already reported)."""
    controls = data.get("controls")
    found: dict[str, SoaEntry] = {}
    if not isinstance(controls, dict):
        return found
    for ref, decision in controls.items():
        decision = decision if isinstance(decision, dict) else {}  # noqa: PLW2901 - schema already reported it
        evidence = decision.get("evidence")
        justification = decision.get("justification")
        status = decision.get("status")
        baseline = decision.get("baseline")
        found[str(ref)] = SoaEntry(
            ref=str(ref),
            applicable=decision.get("applicable", True) is not False,
            justification=justification if isinstance(justification, str) else None,
            status=status if isinstance(status, str) else None,
            evidence=[item for item in evidence if isinstance(item, dict)]
            if isinstance(evidence, list)
            else [],
            baseline=baseline if isinstance(baseline, str) and baseline.strip() else None,
        )
    return found


KIND = YamlSource(
    name="soa",
    path=SOA_FILE,
    schema="soa",
    title="soa.yml",
    description="Applicability decisions for the Statement of Applicability, at the root.",
    entries=entries,
    order=10,
)
