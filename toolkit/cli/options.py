"""Options and helpers shared by the commands: the repository argument, dates, and output."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit import outputs

F = TypeVar("F", bound=Callable[..., Any])


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` option value as a date."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


def _repository_root(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    """The repository the folder is in: the folder itself, or the nearest one above it with isms.yml."""
    from toolkit.workspace import find_root  # noqa: PLC0415

    return find_root(value)


repository_argument = click.argument(
    "directory",
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    callback=_repository_root,
)
today_option = click.option(
    "--today",
    metavar="DATE",
    callback=parse_date,
    help="Check as if today were DATE (YYYY-MM-DD), for reproducible reports.",
)


class FormatChoice(click.Choice):  # type: ignore[type-arg]  # click 8.2 made Choice generic
    """The format names of one kind of result, from :mod:`toolkit.outputs` (``md`` still means markdown)."""

    def __init__(self, kind: str) -> None:
        super().__init__(outputs.names(kind))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(outputs.ALIASES.get(value, value), param, ctx)


def output_options(kind: str, default: str) -> Callable[[F], F]:
    """``--format/-f`` and ``--output/-o`` for a command whose result is of ``kind``."""

    def decorate(function: F) -> F:
        function = click.option(
            "--output",
            "-o",
            type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
            help="Write to FILE ('-': standard output).",
        )(function)
        return click.option(
            "--format",
            "-f",
            "output_format",
            type=FormatChoice(kind),
            help=f"Output format (default: from the --output file's extension, else {default}).",
        )(function)

    return decorate


def emit(
    kind: str,
    result: Any,
    output_format: str | None,
    output: Path | None,
    *,
    default: str,
    guess: bool = True,
    written: Callable[[str], str] | None = None,
) -> None:
    """Render ``result`` in the chosen format to standard output, or to ``output``.

    A file is written atomically; ``-`` is standard output (a binary format too), and a device or FIFO
    is written to as it is, never replaced (:func:`toolkit.fsutil.write_output`). ``written`` gives the
    line said on standard error once a file is written, from the format's name.
    """
    dash = output is not None and str(output) == "-"
    chosen = outputs.choose(kind, output_format, None if dash else output, default, guess=guess, stream=dash)
    if output is None:
        color = chosen.terminal and sys.stdout.isatty()
        click.echo(outputs.render(chosen, result, color=color), nl=False)
        return
    from toolkit.fsutil import write_output  # noqa: PLC0415

    write_output(output, outputs.render(chosen, result))
    if not dash:
        click.echo(written(chosen.name) if written else f"{chosen.name} written to {output}", err=True)
