"""``--format codequality``: GitLab's Code Quality report (a subset of the Code Climate issue format).

A JSON array with one object per finding: ``description``, ``check_name``, ``fingerprint`` (unique per
finding, stable when unrelated lines move), ``severity`` and ``location.path`` / ``location.lines.begin``.
GitLab reads it from a job's ``artifacts:reports:codequality`` and shows the findings a merge request adds
or fixes.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from toolkit.reporters.fingerprint import finding_fingerprints

if TYPE_CHECKING:
    from toolkit.check import CheckResult

# GitLab's scale is info, minor, major, critical, blocker: an error fails the check, a warning does not.
SEVERITY = {"error": "critical", "warning": "minor"}


def render(result: CheckResult, *, color: bool = False) -> str:
    """The findings as a Code Quality JSON array (``[]`` when there are none), UTF-8 without a BOM."""
    issues: list[dict[str, Any]] = [
        {
            "description": f"{finding.message} [{finding.code}]",
            "check_name": finding.code,
            "fingerprint": hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:32],
            "severity": SEVERITY[finding.level],
            # GitLab needs a line: a finding about a whole file is placed on its first line.
            "location": {"path": finding.file, "lines": {"begin": finding.line or 1}},
        }
        for finding, fingerprint in zip(result.shown, finding_fingerprints(result.shown), strict=True)
    ]
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
