"""``isms check``, ``isms build`` and ``isms serve``: the check, and the handbook it guards."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.options import emit, output_options, repository_argument, today_option

if TYPE_CHECKING:
    from toolkit.model import Finding
    from toolkit.workspace import Workspace


@click.command(short_help="Validate the repository and report control coverage.")
@repository_argument
@output_options("check", default="text")
@click.option("--strict", is_flag=True, help="Fail on warnings too (drafts, overdue reviews, placeholders).")
@click.option("--errors-only", is_flag=True, help="List errors only (warnings are still counted).")
@today_option
def check(
    directory: Path,
    output_format: str | None,
    output: Path | None,
    strict: bool,
    errors_only: bool,
    today: dt.date | None,
) -> None:
    """Validate the repository in DIRECTORY and report control coverage.

    Reads isms.yml, soa.yml and every document under policies/, checks them against the schemas and
    the control catalogs, and exits 1 when there are errors (or warnings, with --strict).
    """
    from toolkit.check import CheckOptions, execute  # noqa: PLC0415 - keep start-up light

    result = execute(CheckOptions(root=directory, strict=strict, today=today, errors_only=errors_only))
    emit(
        "check",
        result,
        output_format,
        output,
        default="text",
        written=lambda name: f"{name} report written to {output}",
    )
    sys.exit(result.exit_code)


def checked_workspace(
    directory: Path, strict: bool, action: str = "building the handbook"
) -> tuple[Workspace, list[Finding]]:
    """Open and check the repository; stop (exit 1) on failing findings, saying what is not done."""
    from toolkit.check import run_check  # noqa: PLC0415
    from toolkit.handbook.plugin import build_date  # noqa: PLC0415
    from toolkit.outputs import REGISTRY, render  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    workspace = open_workspace(directory, today=build_date())
    result = run_check(workspace, strict=strict)
    if not result.passed:
        click.echo(render(REGISTRY["check"]["text"], result, color=sys.stdout.isatty()), nl=False)
        click.echo(f"Not {action}: fix the findings above first.", err=True)
        sys.exit(result.exit_code)
    click.echo(f"isms check passed ({result.count('warning')} warnings).", err=True)
    return workspace, list(result.findings)


def _check_before_site(directory: Path, strict: bool) -> tuple[Path, tuple[Workspace, list[Finding]]]:
    """Run the check and stop (exit 1) on failing findings; return mkdocs.yml's path and what was checked."""
    checked = checked_workspace(directory, strict)
    config_file = directory / "mkdocs.yml"
    if not config_file.is_file():
        from toolkit.errors import NotARepositoryError  # noqa: PLC0415

        raise NotARepositoryError("no mkdocs.yml: the handbook has nothing to build from", path=directory)
    return config_file, checked


@click.command(short_help="Check, then build the staff policy handbook.")
@repository_argument
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on check warnings too (MkDocs warnings fail it already where mkdocs.yml says strict).",
)
@click.option("--force", is_flag=True, help="Replace a site folder that holds other files.")
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site builder: MkDocs with the isms plugin, or Zensical from the generated pages.",
)
def build(directory: Path, site_dir: Path | None, strict: bool, force: bool, engine: str) -> None:
    """Check the repository, then build the staff policy handbook (a static website)."""
    if engine == "zensical":
        from toolkit.handbook import zensical  # noqa: PLC0415

        zensical.require()  # a missing engine is a usage error, found before the check runs
        _config_file, checked = _check_before_site(directory, strict)
        site = zensical.build_site(directory, site_dir=site_dir, strict=strict, force=force, checked=checked)
        click.echo(f"Handbook built with Zensical in {site}")
        return
    config_file, checked = _check_before_site(directory, strict)
    from toolkit.handbook.plugin import build_site  # noqa: PLC0415 - mkdocs only for this command

    site = build_site(
        config_file, site_dir=site_dir, strict=strict, force=force, checked=checked, progress=_terminal()
    )
    click.echo(f"Handbook built in {site}")


def _terminal() -> bool:
    """Whether stderr is a terminal: the build then shows its progress there."""
    return sys.stderr.isatty()


def _dev_addr(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``HOST:PORT`` with a port from 1 to 65535, else a usage error (MkDocs would abort on it later)."""
    host, colon, port = value.rpartition(":")
    if not colon or not host or not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise click.BadParameter(
            f"{value!r} is not HOST:PORT with a port from 1 to 65535 (e.g. 127.0.0.1:8000)"
        )
    return value


@click.command(short_help="Check, then preview the handbook with live reload.")
@repository_argument
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", callback=_dev_addr
)
def serve(directory: Path, dev_addr: str) -> None:
    """Check the repository, then preview the handbook with live reload."""
    config_file, _checked = _check_before_site(directory, strict=False)
    from toolkit.handbook.preview import serve_site  # noqa: PLC0415

    serve_site(config_file, dev_addr=dev_addr, echo=click.echo)


COMMANDS = (check, build, serve)
