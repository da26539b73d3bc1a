"""``--format text`` (the default): tables for a terminal, ending in a one-line verdict."""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING, Any

from toolkit.reporters import location, verdict

if TYPE_CHECKING:
    from toolkit.check import CheckResult

MAX_PER_CODE = 15
SUMMARY_FROM = 20  # more findings than this: a count per code as well
WIDTH = 120


def render(result: CheckResult, *, color: bool = False) -> str:
    """Coverage table, findings table (at most 15 per code, the rest counted), counts by code when the
    findings are many, verdict."""
    from rich.console import Console  # noqa: PLC0415 - rich is only needed for this format

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=WIDTH, force_terminal=color, no_color=not color, highlight=False, emoji=False
    )
    console.print(
        f"isms check: [bold]{_escape(result.name)}[/bold], {result.documents} documents, "
        f"on {result.today.isoformat()}{' (strict)' if result.strict else ''}"
    )
    if result.coverage:
        console.print()
        console.print(_coverage_table(result))
    if result.shown:
        _findings(console, result)
    if len(result.findings) > SUMMARY_FROM:
        # Many findings: one line per code, errors first, so that one error is not lost among warnings.
        console.print()
        console.print(_summary_table(result))
    hidden = len(result.findings) - len(result.shown)
    if hidden:
        console.print()
        console.print(f"{hidden} warning{'s' * (hidden != 1)} not listed (--errors-only).")
    drafted = sum(len(coverage.ids("drafted")) for coverage in result.coverage.values())
    if drafted:
        console.print()
        subject = "1 control is" if drafted == 1 else f"{drafted} controls are"
        console.print(f"{subject} addressed only by drafts; approve documents with 'isms approve'.")
    console.print()
    style = "bold green" if result.passed else "bold red"
    console.print(f"[{style}]{_escape(verdict(result))}[/{style}]")
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _table(title: str) -> Any:
    from rich.table import Table  # noqa: PLC0415

    return Table(title=title, title_justify="left", show_edge=False, pad_edge=False)


def _coverage_table(result: CheckResult) -> Any:
    table = _table("Coverage")
    table.add_column("catalog")
    for column in ("applicable", "covered", "drafted", "excluded", "missing"):
        table.add_column(column, justify="right")
    for catalog_id, coverage in result.coverage.items():
        data = coverage.to_dict()
        missing = len(data["missing"])
        table.add_row(
            catalog_id,
            str(data["applicable"]),
            str(data["covered"]),
            str(data["drafted"]),
            str(data["excluded"]),
            f"[red]{missing}[/red]" if missing else "0",
        )
    return table


def _style(result: CheckResult, level: str) -> str:
    return "red" if level == "error" or result.strict else "yellow"


def _findings(console: Any, result: CheckResult) -> None:
    table = _table("Findings")
    table.add_column("level")
    table.add_column("code")
    table.add_column("where", overflow="fold")
    table.add_column("message", overflow="fold")
    shown: Counter[str] = Counter()
    for finding in result.shown:
        shown[finding.code] += 1
        if shown[finding.code] > MAX_PER_CODE:
            continue
        style = _style(result, finding.level)
        table.add_row(
            f"[{style}]{finding.level}[/{style}]",
            finding.code,
            _escape(location(finding.file, finding.line)),
            _escape(finding.message),
        )
    console.print()
    console.print(table)
    for code, count in sorted(shown.items()):
        if count > MAX_PER_CODE:
            console.print(f"… and {count - MAX_PER_CODE} more {code} findings (--format json lists all)")


def _summary_table(result: CheckResult) -> Any:
    table = _table("Findings by code")
    table.add_column("level")
    table.add_column("code")
    table.add_column("count", justify="right")
    counts = Counter((finding.level, finding.code) for finding in result.findings)
    for (level, code), count in sorted(counts.items(), key=lambda item: (item[0][0] != "error", item[0][1])):
        style = _style(result, level)
        table.add_row(f"[{style}]{level}[/{style}]", code, str(count))
    return table


def _escape(text: str) -> str:
    from rich.markup import escape  # noqa: PLC0415

    return escape(text)
