"""``isms soa``: export the Statement of Applicability."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from toolkit.cli.options import emit, output_options, repository_argument, today_option


@click.command(short_help="Export the Statement of Applicability.")
@repository_argument
@output_options("soa", default="markdown")
@click.option(
    "--framework",
    metavar="ID",
    help="The framework whose statement to export, a catalog id of isms.yml's frameworks, e.g. "
    "iso27701-2025 (default: iso27001-2022, Annex A with its clause items).",
)
@today_option
def soa(
    directory: Path,
    output_format: str | None,
    output: Path | None,
    today: dt.date | None,
    framework: str | None,
) -> None:
    """Export the Statement of Applicability of one framework: one row per control of its catalog, then
    its clause items."""
    from toolkit import soa as statement_of_applicability  # noqa: PLC0415
    from toolkit.model import printable  # noqa: PLC0415
    from toolkit.outputs import choose  # noqa: PLC0415
    from toolkit.reporters import location  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    dash = output is not None and str(output) == "-"
    # A format it cannot tell stops here, before the repository is read.
    choose("soa", output_format, None if dash else output, "markdown", guess=False, stream=dash)
    workspace = open_workspace(directory, today=today)
    source = workspace.soa_file
    if not source.valid:
        problems = [f"  {location(f.file, f.line)}: {printable(f.message)}" for f in source.findings]
        reason = "has problems" if problems else "is missing"
        click.echo(
            "\n".join([f"Not exporting: soa.yml {reason}; fix it first (isms check).", *problems]), err=True
        )
        sys.exit(1)
    chosen = framework or statement_of_applicability.default_framework(workspace)
    if chosen is not None and chosen not in workspace.in_scope:
        known = ", ".join(name for name in workspace.frameworks if name in workspace.in_scope) or "none"
        raise click.UsageError(
            f"--framework {chosen}: not a framework of this repository's isms.yml (its frameworks: {known}); "
            "add it to frameworks in isms.yml, or choose one of those"
        )
    statement = statement_of_applicability.build(workspace, chosen)
    emit(
        "soa",
        statement,
        output_format,
        output,
        default="markdown",
        guess=False,
        written=lambda _name: (
            f"Statement of Applicability ({len(statement.rows)} controls, {len(statement.clauses)} clause "
            f"items) written to {output}"
        ),
    )


COMMANDS = (soa,)
