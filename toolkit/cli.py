"""The ``isms`` command line: thin click commands over the library.

Each command turns its options into arguments, calls the library, and picks a reporter. Heavy modules
(jsonschema, cookiecutter, mkdocs, rich, openpyxl) are imported inside the commands, never at start-up.
Exit codes: 0 passed, 1 findings at the failing level, 2 usage error or unreadable input.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from toolkit import __version__
from toolkit.errors import IsmsError

FORMATS = ("text", "json", "junit", "sarif", "github", "markdown")


class IsmsGroup(click.Group):
    """Converts :class:`toolkit.errors.IsmsError` into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IsmsError as exc:
            click.echo(f"Error: {exc.format()}", err=True)
            ctx.exit(exc.exit_code)


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


repository_argument = click.argument(
    "directory", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
today_option = click.option(
    "--today",
    metavar="DATE",
    callback=_parse_date,
    help="Check as if today were DATE (YYYY-MM-DD), for reproducible reports.",
)


@click.group(cls=IsmsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="isms")
def cli() -> None:
    """ISO/IEC 27001 policy-as-code: generate, check and publish an ISMS policy repository.

    Exit codes: 0 passed, 1 findings at the failing level, 2 usage error or unreadable input.
    """


@cli.command()
@repository_argument
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE."
)
@click.option("--strict", is_flag=True, help="Fail on warnings too (drafts, overdue reviews, placeholders).")
@today_option
def check(
    directory: Path, output_format: str, output: Path | None, strict: bool, today: dt.date | None
) -> None:
    """Validate the repository in DIRECTORY and report control coverage.

    Reads isms.yml, soa.yml and every document under policies/, checks them against the schemas and
    the control catalogs, and exits 1 when there are errors (or warnings, with --strict).
    """
    from toolkit.check import CheckOptions, execute  # noqa: PLC0415 - keep start-up light
    from toolkit.reporters import get_reporter  # noqa: PLC0415

    result = execute(CheckOptions(root=directory, strict=strict, today=today))
    reporter = get_reporter(output_format)
    if output is None:
        color = output_format == "text" and sys.stdout.isatty()
        click.echo(reporter.render(result, color=color), nl=False)
    else:
        from toolkit.fsutil import write_atomic  # noqa: PLC0415

        write_atomic(output, reporter.render(result))
        click.echo(f"{output_format} report written to {output}", err=True)
    sys.exit(result.exit_code)


@cli.command()
@click.option(
    "--copy-to",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Copy the schema files into DIR (e.g. .isms/schemas) for editors to use.",
)
@click.option("--force", is_flag=True, help="With --copy-to: replace schema files that differ.")
def schemas(copy_to: Path | None, force: bool) -> None:
    """Print where the JSON Schemas are, or copy them for editor validation.

    Point an editor at them with a first line such as
    '# yaml-language-server: $schema=.isms/schemas/isms.schema.json' in isms.yml.
    """
    from toolkit.resources import schemas_dir  # noqa: PLC0415

    sources = sorted(schemas_dir().glob("*.schema.json"))
    if copy_to is None:
        for path in sources:
            click.echo(path)
        return
    from toolkit.errors import TargetNotEmptyError  # noqa: PLC0415
    from toolkit.fsutil import write_atomic  # noqa: PLC0415

    changed = [
        p.name
        for p in sources
        if (copy_to / p.name).is_file() and (copy_to / p.name).read_bytes() != p.read_bytes()
    ]
    if changed and not force:
        raise TargetNotEmptyError(f"would replace {', '.join(changed)}; use --force", path=copy_to)
    for path in sources:
        write_atomic(copy_to / path.name, path.read_bytes())
    click.echo(f"{len(sources)} schemas copied to {copy_to}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="isms")
