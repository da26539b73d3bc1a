"""``isms ack``: import staff acknowledgements and the roster, and report who still has to acknowledge."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from toolkit.cli.options import emit, output_options, repository_argument, today_option


@click.group(short_help="Import staff acknowledgements and the roster; report who has to acknowledge.")
def ack() -> None:
    """Staff acknowledgements of the policies: import the CSV export of the company's form or LMS (or of
    the HR roster) into records/, and report the share of staff who acknowledged each staff policy."""


@ack.command("import", short_help="Import a CSV export of acknowledgements (or, with --roster, the roster).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@repository_argument
@click.option(
    "--roster", is_flag=True, help="FILE is the HR roster export (employee id, team, joined, left)."
)
@click.option("--replace", is_flag=True, help="With --roster: replace the whole roster instead of merging.")
def import_command(file: Path, directory: Path, roster: bool, replace: bool) -> None:
    """Read FILE, a CSV export, into records/acknowledgements/acknowledgements.csv (or records/roster.csv
    with --roster). Columns are found by the header names of isms.yml acknowledgements.columns (or
    roster_columns); other columns, such as names, are never imported. A file with any bad row is not
    imported at all (exit 2) and every bad row is listed with its line. Repeated imports merge."""
    from toolkit.acknowledgements import import_export  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    if replace and not roster:
        raise click.UsageError("--replace applies to --roster only")
    workspace = open_workspace(directory)
    result = import_export(workspace, file, roster=roster, replace=replace)
    what = "staff" if roster else "acknowledgements"
    click.echo(
        f"Imported {result.read} rows from {file}: {result.added} new; {result.total} {what} now in "
        f"{result.target}."
    )


@ack.command(short_help="Per staff policy, the share of staff who acknowledged it; who to follow up.")
@repository_argument
@output_options("acknowledgements", default="text")
@today_option
def report(directory: Path, output_format: str | None, output: Path | None, today: dt.date | None) -> None:
    """Per staff policy (audience all-staff, approved, in force): the share of current staff who
    acknowledged its current major version, the joiners past their induction window, and the list of
    staff to follow up (csv: that list; xlsx, json, markdown: everything)."""
    from toolkit.ack_report import build_report  # noqa: PLC0415
    from toolkit.outputs import choose  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    dash = output is not None and str(output) == "-"
    choose("acknowledgements", output_format, None if dash else output, "text", stream=dash)
    workspace = open_workspace(directory, today=today)
    roster = workspace.source("roster")
    if not roster.exists:
        click.echo(
            f"No staff roster ({roster.rel}): import the HR roster first with isms ack import FILE --roster.",
            err=True,
        )
        sys.exit(2)
    problems = [*roster.findings, *workspace.source("acknowledgements").findings]
    if problems:
        lines = [f"  {finding.file}:{finding.line}: {finding.message}" for finding in problems]
        click.echo("\n".join(["Not reporting: the records have problems; fix them first.", *lines]), err=True)
        sys.exit(1)
    result = build_report(workspace)
    emit("acknowledgements", result, output_format, output, default="text")


COMMANDS = (ack,)
