"""``isms readiness``: how far the repository is from Stage 1 and Stage 2, and the plan to get there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from toolkit.cli.options import emit, output_options, parse_date, repository_argument, today_option


@click.command(short_help="Show the certification prerequisites and the plan to Stage 2.")
@repository_argument
@click.option(
    "--target",
    metavar="DATE",
    callback=parse_date,
    help="The Stage 2 date wanted (YYYY-MM-DD): plan towards it and say whether it is realistic.",
)
@click.option(
    "--start",
    metavar="DATE",
    callback=parse_date,
    help="The day the plan starts (YYYY-MM-DD; default: today). Gives the plan without a target.",
)
@output_options("readiness", default="text")
@today_option
def readiness(
    directory: Path,
    target: dt.date | None,
    start: dt.date | None,
    output_format: str | None,
    output: Path | None,
    today: dt.date | None,
) -> None:
    """List the Stage 1 and Stage 2 prerequisites, where each stands and what closes it.

    With --target or --start, add a week-by-week plan to Stage 2 sized by the seats and standards of
    isms.yml, and say whether the target is realistic. A report: exits 0 whatever it finds; 2 when the
    repository cannot be read or a date is wrong.
    """
    from toolkit.errors import NotARepositoryError  # noqa: PLC0415
    from toolkit.model import printable  # noqa: PLC0415
    from toolkit.readiness import assess  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    workspace = open_workspace(directory, today=today)
    config = workspace.config_file
    if not config.data:  # isms.yml does not parse: nothing to size or judge the repository by
        problem = next(iter(config.findings), None)
        where = f"{config.rel}:{problem.line}" if problem and problem.line else config.rel
        detail = f": {printable(problem.message)}" if problem else ""
        raise NotARepositoryError(f"{where} cannot be read{detail}; fix it first (isms check)")
    begin = start or workspace.today
    if target is not None and target <= begin:
        raise click.BadParameter(
            f"{target.isoformat()} is not after the plan's start, {begin.isoformat()}; give a later date",
            param_hint="'--target'",
        )
    result = assess(workspace, start=start, target=target)
    emit("readiness", result, output_format, output, default="text")


COMMANDS = (readiness,)
