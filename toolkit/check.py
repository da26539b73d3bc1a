"""``isms check``: validate a repository and compute control coverage.

Shaped like check-jsonschema: the CLI turns its options into a :class:`CheckOptions`, :func:`execute`
opens the workspace and runs every rule of :mod:`toolkit.rules` into a :class:`CheckResult`, and a
renderer from :mod:`toolkit.outputs` turns the result into text, JSON, JUnit, SARIF, ...
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import EXIT_FINDINGS, EXIT_PASSED
from toolkit.model import Coverage, Finding, Level, printable
from toolkit.rules import all_rules
from toolkit.workspace import Workspace, open_workspace


@dataclass(frozen=True)
class CheckOptions:
    """What ``isms check`` was asked to do."""

    root: Path
    strict: bool = False
    today: dt.date | None = None
    errors_only: bool = False


@dataclass
class CheckResult:
    """Findings and coverage of one repository, ready for any renderer."""

    root: Path
    name: str
    strict: bool
    today: dt.date
    documents: int
    findings: list[Finding]
    coverage: dict[str, Coverage] = field(default_factory=dict)
    errors_only: bool = False
    # The documents checked (paths relative to the repository), for reports with a line per document.
    document_files: list[str] = field(default_factory=list)

    @property
    def shown(self) -> list[Finding]:
        """The findings a report lists: all of them, or the errors alone (``--errors-only``); the counts
        and the verdict always count every finding."""
        return [f for f in self.findings if f.level == "error"] if self.errors_only else self.findings

    def count(self, level: Level) -> int:
        return sum(1 for finding in self.findings if finding.level == level)

    @property
    def failing(self) -> list[Finding]:
        """Findings at the failing level: errors, and warnings too under ``--strict``."""
        return [f for f in self.findings if f.level == "error" or self.strict]

    @property
    def passed(self) -> bool:
        return not self.failing

    @property
    def exit_code(self) -> int:
        return EXIT_PASSED if self.passed else EXIT_FINDINGS


def execute(options: CheckOptions) -> CheckResult:
    """Open the repository at ``options.root`` and check it."""
    result = run_check(open_workspace(options.root, today=options.today), strict=options.strict)
    result.errors_only = options.errors_only
    return result


def run_check(workspace: Workspace, *, strict: bool = False) -> CheckResult:
    """The load findings and every rule's findings over an opened workspace, sorted and without repeats."""
    findings = workspace.findings
    for rule in all_rules():
        findings += rule(workspace)
    return CheckResult(
        root=workspace.root,
        name=printable(workspace.name),
        strict=strict,
        today=workspace.today,
        documents=len(workspace.documents),
        # Escaped once here, so that no report format carries a control character from a user's file.
        findings=sorted({finding.printable() for finding in findings}, key=Finding.sort_key),
        coverage=workspace.coverage,
        document_files=sorted(printable(document.rel) for document in workspace.documents),
    )
