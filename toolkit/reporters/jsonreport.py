"""``--format json``: the documented, stable machine-readable result."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from toolkit import __version__

if TYPE_CHECKING:
    from toolkit.check import CheckResult

JSON_FORMAT_VERSION = 1


def result_dict(result: CheckResult) -> dict[str, Any]:
    """The JSON document as a dict (see docs/formats.md#check-json)."""
    return {
        "format_version": JSON_FORMAT_VERSION,
        "tool": {"name": "isms-toolkit", "version": __version__},
        "repository": result.name,
        "checked_on": result.today.isoformat(),
        "strict": result.strict,
        "passed": result.passed,
        "summary": {
            "documents": result.documents,
            "errors": result.count("error"),
            "warnings": result.count("warning"),
        },
        "coverage": {catalog_id: coverage.to_dict() for catalog_id, coverage in result.coverage.items()},
        "findings": [finding.to_dict() for finding in result.shown],
    }


def render(result: CheckResult, *, color: bool = False) -> str:
    """Pretty-printed JSON, UTF-8, keys in documented order, newline at the end."""
    return json.dumps(result_dict(result), indent=2, ensure_ascii=False) + "\n"
