"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.codes import all_codes

if TYPE_CHECKING:
    from toolkit.check import CheckResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(result: CheckResult, *, color: bool = False) -> str:
    """One run, one rule per finding code, one result per finding, paths relative to the repository."""
    declared = all_codes()
    codes = sorted(declared)
    rules = [
        {
            "id": code,
            "name": code.replace("-", " ").title().replace(" ", ""),
            "shortDescription": {"text": declared[code].description},
            "defaultConfiguration": {"level": declared[code].level},
        }
        for code in codes
    ]
    results: list[dict[str, Any]] = []
    for finding in result.shown:
        physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file, "uriBaseId": "SRCROOT"}}
        if finding.line is not None:
            physical["region"] = {"startLine": finding.line}
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": codes.index(finding.code),
                "level": "error" if finding.level == "error" or result.strict else "warning",
                "message": {"text": finding.message},
                "locations": [{"physicalLocation": physical}],
            }
        )
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "isms-toolkit", "version": __version__, "rules": rules}},
                "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The policy repository's root."}}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
