"""``isms approve``, ``isms review`` and ``isms changes``: the document lifecycle."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from toolkit.cli.options import emit, output_options, parse_date, repository_argument, today_option


@click.command(short_help="Record the approval of documents or soa.yml.")
@click.argument("documents", nargs=-1)
@click.option("--all-drafts", is_flag=True, help="Approve every draft in the repository.")
@click.option("--by", "approver", required=True, help="Who approves: a name or role, recorded as approver.")
@click.option(
    "--on", "approved_on", metavar="DATE", callback=parse_date, help="Approval date (default: today)."
)
@click.option("--effective", metavar="DATE", callback=parse_date, help="Date the documents take effect.")
@click.option(
    "--version",
    "new_version",
    metavar="X.Y.Z",
    help="Version to record, for one document (default: 1.0.0 for a draft, else the next minor version).",
)
@click.option("--summary", help="Change log summary (default: 'Approved by NAME').")
@click.option(
    "--repo",
    "repository",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The policy repository (default: the one the current folder is in).",
)
def approve(
    documents: tuple[str, ...],
    all_drafts: bool,
    approver: str,
    approved_on: dt.date | None,
    effective: dt.date | None,
    new_version: str | None,
    summary: str | None,
    repository: Path | None,
) -> None:
    """Record the approval of DOCUMENTS (paths, document ids, or soa.yml), or of --all-drafts.

    Sets status, approver, approved_on and version, appends a change log entry and records the approval
    seal; nothing else in the files changes. Every document is checked before any is written.
    """
    from toolkit import lifecycle  # noqa: PLC0415
    from toolkit.workspace import find_root, open_workspace  # noqa: PLC0415

    repo = open_workspace(repository if repository is not None else find_root(Path()))
    run = lifecycle.approve_documents(
        repo,
        documents,
        all_drafts=all_drafts,
        by=approver,
        on=approved_on,
        version=new_version,
        summary=summary,
        effective=effective,
    )
    from toolkit.model import printable  # noqa: PLC0415

    if run.skipped:
        skipped = printable(", ".join(run.skipped))
        click.echo(f"Skipped (front matter problems; run isms check): {skipped}", err=True)
    for done in run.approved:
        where = f" ({done.rel})" if done.rel != done.document_id else ""
        click.echo(
            printable(
                f"{done.document_id} approved by {done.approver} on {done.approved_on.isoformat()}: "
                f"version {done.old_version} -> {done.version}{where}"
            )
        )
    if run.failed is not None:
        raise run.failed
    if not run.approved:
        click.echo("No drafts to approve.")
    elif len(run.approved) > 1:
        click.echo(f"{len(run.approved)} documents approved.")


def _parse_days(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    """A period as days: ``30``, ``30d``, ``6w``, ``3m`` (30 days) or ``1y`` (365 days)."""
    text = value.strip().lower()
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    number, unit = (text[:-1], text[-1]) if text and text[-1] in units else (text, "d")
    if not (number.isascii() and number.isdigit()) or len(number) > 5:
        raise click.BadParameter(f"{value!r} is not a period such as 30d, 6w, 3m or 1y")
    return int(number) * units[unit]


@click.command(short_help="List documents whose review is due or overdue.")
@repository_argument
@click.option(
    "--within",
    default="30d",
    show_default=True,
    callback=_parse_days,
    metavar="PERIOD",
    help="List reviews due within PERIOD (days d, weeks w, months m of 30 days, years y).",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any review is overdue.")
@output_options("review", default="text")
@today_option
def review(
    directory: Path,
    within: int,
    strict: bool,
    output_format: str | None,
    output: Path | None,
    today: dt.date | None,
) -> None:
    """List approved documents whose review is due or overdue, with their owners."""
    from toolkit.reviews import review_report  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    report = review_report(open_workspace(directory, today=today), within)
    emit("review", report, output_format, output, default="text")
    sys.exit(1 if strict and report.overdue else 0)


@click.command(short_help="List documents changed since a git revision.")
@repository_argument
@click.option(
    "--since", "revision", required=True, metavar="REV", help="A git revision: tag, branch or commit."
)
@output_options("changes", default="text")
def changes(directory: Path, revision: str, output_format: str | None, output: Path | None) -> None:
    """List documents and other ISMS files added, changed, retired or removed since REV (for example the
    last audit's tag)."""
    from toolkit.changes import change_report  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    emit("changes", change_report(open_workspace(directory), revision), output_format, output, default="text")


COMMANDS = (approve, review, changes)
