"""``--format text`` (the default): tables for a terminal, ending in a one-line verdict."""

from __future__ import annotations

import io
from collections import Counter
from typing import TYPE_CHECKING

from toolkit.reporters import location, verdict

if TYPE_CHECKING:
    from toolkit.check import CheckResult

MAX_PER_CODE = 15
WIDTH = 120


def render(result: CheckResult, *, color: bool = False) -> str:
    """Coverage table, findings table (at most 15 per code, the rest counted), verdict."""
    from rich.console import Console  # noqa: PLC0415 - rich is only needed for this format
    from rich.table import Table  # noqa: PLC0415

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=WIDTH, force_terminal=color, no_color=not color, highlight=False, emoji=False
    )
    console.print(
        f"isms check: [bold]{_escape(result.name)}[/bold], {result.documents} documents, "
        f"on {result.today.isoformat()}{' (strict)' if result.strict else ''}"
    )
    if result.coverage:
        table = Table(title="Coverage", title_justify="left", show_edge=False, pad_edge=False)
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
        console.print()
        console.print(table)
    if result.findings:
        table = Table(title="Findings", title_justify="left", show_edge=False, pad_edge=False)
        table.add_column("level")
        table.add_column("code")
        table.add_column("where", overflow="fold")
        table.add_column("message", overflow="fold")
        shown: Counter[str] = Counter()
        for finding in result.findings:
            shown[finding.code] += 1
            if shown[finding.code] > MAX_PER_CODE:
                continue
            failing = finding.level == "error" or result.strict
            style = "red" if failing else "yellow"
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
    drafted = sum(len(coverage.ids("drafted")) for coverage in result.coverage.values())
    if drafted:
        console.print()
        subject = "1 control is" if drafted == 1 else f"{drafted} controls are"
        console.print(f"{subject} addressed only by drafts; approve documents with 'isms approve'.")
    console.print()
    style = "bold green" if result.passed else "bold red"
    console.print(f"[{style}]{_escape(verdict(result))}[/{style}]")
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def _escape(text: str) -> str:
    from rich.markup import escape  # noqa: PLC0415

    return escape(text)
