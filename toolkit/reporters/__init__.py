"""Renderers of ``isms check`` results (text, json, junit, sarif, github, markdown, codequality) and helpers.

Each module has one ``render(result, *, color=False)`` function; :mod:`toolkit.outputs` registers them,
and imports one only when it is chosen, so ``isms --help`` loads none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.check import CheckResult


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
