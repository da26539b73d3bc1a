"""``isms soa``: export the Statement of Applicability; ``isms soa status``: record implementation."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.options import emit, output_options, repository_argument, today_option

if TYPE_CHECKING:
    from toolkit.soa_status import StatusChange


class _ExportByDefault(click.Group):
    """A group whose default command is ``export``: ``isms soa [DIRECTORY] [OPTIONS]`` runs
    ``isms soa export [DIRECTORY] [OPTIONS]``, as before ``isms soa status`` existed."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:  # `isms soa --help` too: the export's options
            args = ["export", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_ExportByDefault, short_help="Export the SoA, or record implementation status.")
def soa() -> None:
    """Export the Statement of Applicability (isms soa [DIRECTORY] [OPTIONS], the same as isms soa export),
    or record how far each control is implemented (isms soa status)."""


@soa.command(
    "export",
    short_help="Export the Statement of Applicability.",
    epilog="isms soa [DIRECTORY] is the same as isms soa export [DIRECTORY]. To record how far each "
    "control is implemented, and where its evidence is: isms soa status --help.",
)
@repository_argument
@output_options("soa", default="markdown")
@click.option(
    "--framework",
    metavar="ID",
    help="The framework whose statement to export, a catalog id of isms.yml's frameworks, e.g. "
    "iso27701-2025 (default: iso27001-2022, Annex A with its clause items).",
)
@today_option
def export(
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


def _count(number: int, what: str = "control") -> str:
    return f"{number} {what}{'' if number == 1 else 's'}"


def _summary(changes: list[StatusChange], status: str, evidence: bool) -> str:
    """``soa.yml: 85 controls set to implemented, evidence added to 90 controls.`` and the like."""
    moved = sum(1 for change in changes if change.old != change.new)
    added = sum(1 for change in changes if change.added)
    same = sum(1 for change in changes if not change.changed)
    already = f"{_count(same)} already {status}" + (" with that evidence" if evidence else "")
    if same == len(changes):
        return f"Nothing to change in soa.yml: {already}."
    parts = [f"{_count(moved)} set to {status}"] if moved else []
    parts += [f"evidence added to {_count(added)}"] if added else []
    parts += [already] if same else []
    return f"soa.yml: {', '.join(parts)}."


@soa.command("status", short_help="Record the implementation status of controls in soa.yml.")
@click.argument("refs", nargs=-1, metavar="[CONTROL]...")
@click.option(
    "--set",
    "status",
    required=True,
    type=click.Choice(["planned", "partial", "implemented"]),
    help="The implementation status to record.",
)
@click.option(
    "--evidence",
    "locations",
    multiple=True,
    metavar="LOCATION",
    help="Where the evidence that the control works is kept (a system, folder or register); repeatable. "
    "Added to each control that does not list it yet.",
)
@click.option("--owner", metavar="ROLE", help="Who keeps the evidence given with --evidence.")
@click.option("--description", metavar="TEXT", help="What the evidence given with --evidence is.")
@click.option("--all-applicable", is_flag=True, help="Every control soa.yml does not exclude.")
@click.option(
    "--repo",
    "repository",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The policy repository (default: the one the current folder is in).",
)
def status(
    refs: tuple[str, ...],
    status: str,
    locations: tuple[str, ...],
    owner: str | None,
    description: str | None,
    all_applicable: bool,
    repository: Path | None,
) -> None:
    """Record the implementation status of CONTROLs (A.5.15 or iso27001-2022:A.5.15), or of
    --all-applicable, in soa.yml, with where the evidence is kept.

    Only those entries change; comments and everything else in soa.yml stay as they were. Every control
    is checked before anything is written: an unknown or excluded one stops the run.
    """
    from toolkit import soa_status  # noqa: PLC0415
    from toolkit.model import printable  # noqa: PLC0415
    from toolkit.workspace import find_root, open_workspace  # noqa: PLC0415

    if (owner or description) and not locations:
        raise click.UsageError(
            "--owner and --description describe the evidence: give --evidence LOCATION too"
        )
    for text in (*locations, owner or "", description or ""):
        if "\n" in text or "\r" in text or (text and not text.strip()):
            raise click.UsageError("--evidence, --owner and --description: give one line of text each")
    evidence = [soa_status.Evidence(location, owner, description) for location in locations]
    workspace = open_workspace(repository if repository is not None else find_root(Path()))
    run = soa_status.set_status(
        workspace, refs, status=status, evidence=evidence, all_applicable=all_applicable
    )
    for change in run.changes:
        if change.changed:
            moved = change.old != change.new
            line = f"{change.ref}: " + (
                f"{change.old or 'no status'} -> {change.new}" if moved else change.new
            )
            if change.added:
                line += f"; evidence added: {', '.join(change.added)}"
            click.echo(printable(line))
    click.echo(_summary(run.changes, status, bool(locations)))
    if run.seal_broken:
        click.echo("soa.yml changed since its approval: approve it again with isms approve soa.yml --by NAME")


COMMANDS = (soa,)
