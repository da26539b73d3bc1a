"""Output formats for ``isms check``: one registry, each format a small class over :class:`CheckResult`.

Reporters are imported only when chosen, so ``isms --help`` loads none of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from toolkit.check import CheckResult

REPORTERS: dict[str, str] = {
    "text": "toolkit.reporters.text:TextReporter",
    "json": "toolkit.reporters.jsonreport:JsonReporter",
    "junit": "toolkit.reporters.junit:JunitReporter",
    "sarif": "toolkit.reporters.sarif:SarifReporter",
    "github": "toolkit.reporters.github:GithubReporter",
    "markdown": "toolkit.reporters.markdown:MarkdownReporter",
}


class Reporter(Protocol):
    """Renders a check result as text. ``color`` is only honoured by terminal formats."""

    def render(self, result: CheckResult, *, color: bool = False) -> str: ...


def get_reporter(name: str) -> Reporter:
    """The reporter registered as ``name`` (a key of :data:`REPORTERS`)."""
    module_name, _, class_name = REPORTERS[name].partition(":")
    reporter: Reporter = getattr(import_module(module_name), class_name)()
    return reporter


def verdict(result: CheckResult) -> str:
    """The one-line verdict every human-readable format ends with."""
    errors, warnings = result.count("error"), result.count("warning")
    counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    if result.passed:
        return f"PASSED: {result.name}: {counts}"
    reason = " (--strict: warnings fail)" if result.strict and not errors else ""
    return f"FAILED: {result.name}: {counts}{reason}"


def location(file: str, line: int | None) -> str:
    """``file:line`` or ``file``."""
    return file if line is None else f"{file}:{line}"
