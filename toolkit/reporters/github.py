"""``--format github``: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.reporters import verdict

if TYPE_CHECKING:
    from toolkit.check import CheckResult


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult, *, color: bool = False) -> str:
    """``::error file=…,line=…,title=…::message`` lines, then the verdict as a notice."""
    lines = []
    for finding in result.shown:
        command = "error" if finding.level == "error" or result.strict else "warning"
        properties = [f"file={_escape_property(finding.file)}"]
        if finding.line is not None:
            properties.append(f"line={finding.line}")
        properties.append(f"title={_escape_property('isms ' + finding.code)}")
        lines.append(f"::{command} {','.join(properties)}::{_escape_data(finding.message)}")
    lines.append(f"::notice title=isms check::{_escape_data(verdict(result))}")
    return "\n".join(lines) + "\n"
