"""``isms registers``: list the registers and export them for an auditor."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from toolkit.cli.options import emit, output_options, repository_argument, today_option


@click.group(short_help="List or export the registers (risks, requirements, assets, suppliers).")
def registers() -> None:
    """The registers under registers/: list them with their counts, or export them as xlsx or json."""


@registers.command("list", short_help="Each register with its number of entries.")
@repository_argument
def list_registers(directory: Path) -> None:
    """Print each register with its number of entries, its file, and whether it is missing or has
    problems (``isms check`` says which)."""
    from toolkit import register_tables  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    workspace = open_workspace(directory)
    width = max(len(name) for name in register_tables.NAMES)
    for name in register_tables.NAMES:
        source = workspace.source(name)
        if not source.exists:
            click.echo(f"{name:<{width}}  {'-':>4}  {source.rel} (missing)")
            continue
        note = "" if source.valid else " (has problems: run isms check)"
        click.echo(f"{name:<{width}}  {len(workspace.entries(name)):>4}  {source.rel}{note}")


@registers.command(short_help="Export the registers as xlsx or json.")
@repository_argument
@output_options("registers", default="json")
@today_option
def export(directory: Path, output_format: str | None, output: Path | None, today: dt.date | None) -> None:
    """Export every register present: one sheet per register (xlsx) or one list each (json)."""
    from toolkit import register_tables  # noqa: PLC0415
    from toolkit.outputs import choose  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    dash = output is not None and str(output) == "-"
    # A format it cannot tell stops here, before the repository is read.
    choose("registers", output_format, None if dash else output, "json", guess=False, stream=dash)
    workspace = open_workspace(directory, today=today)
    names = register_tables.present(workspace)
    if not names:
        files = ", ".join(workspace.source(name).rel for name in register_tables.NAMES)
        click.echo(f"Not exporting: there are no registers ({files}).", err=True)
        sys.exit(1)
    problems = [
        f"  {finding.file}:{finding.line}: {finding.message}"
        for name in names
        for finding in workspace.source(name).findings
    ]
    if problems:
        click.echo(
            "\n".join(["Not exporting: the registers have problems; fix them first.", *problems]), err=True
        )
        sys.exit(1)
    result = register_tables.build(workspace)
    counts = ", ".join(f"{len(table.rows)} {table.name}" for table in result.tables)
    emit(
        "registers",
        result,
        output_format,
        output,
        default="json",
        guess=False,
        written=lambda _name: f"Registers ({counts}) written to {output}",
    )


COMMANDS = (registers,)
