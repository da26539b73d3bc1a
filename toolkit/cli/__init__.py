"""The ``isms`` command line: thin click commands over the library, one module per command group.

Each command turns its options into arguments, calls one documented library function, and picks a
renderer from :mod:`toolkit.outputs`. Heavy modules (jsonschema, cookiecutter, mkdocs, rich, openpyxl) are
imported inside the commands, never at start-up. Errors a user can cause are
:class:`toolkit.errors.IsmsError`, turned into a message and an exit code here, and only here.
Exit codes: 0 passed, 1 findings at the failing level, 2 usage error or unreadable input.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any, NoReturn

import click

from toolkit import __version__
from toolkit.cli import ack, check, controls, init, lifecycle, pdf, readiness, registers, schemas, soa
from toolkit.errors import IsmsError


def describe(error: IsmsError) -> str:
    """``Error: file:line: message``, and on a second line the cause that led to it, when there is one
    that the message does not already say."""
    from toolkit.model import printable  # noqa: PLC0415 - only on an error; --help stays light

    # A message may list several problems, one a line; control characters within a line are escaped.
    text = "Error: " + "\n".join(printable(line) for line in error.format().split("\n"))
    cause = error.__cause__
    if cause is None or isinstance(cause, IsmsError):
        return text
    detail = (getattr(cause, "strerror", None) or str(cause)).strip().splitlines()
    if not detail or detail[0] in text:
        return text
    return f"{text}\n  cause: {type(cause).__name__}: {printable(detail[0])}"


class IsmsGroup(click.Group):
    """Converts :class:`toolkit.errors.IsmsError` into a message and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IsmsError as exc:
            click.echo(describe(exc), err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=IsmsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="isms")
def cli() -> None:
    """ISO/IEC 27001 policy-as-code: generate, check and publish an ISMS policy repository.

    Exit codes: 0 passed, 1 findings at the failing level, 2 usage error or unreadable input.
    """


for module in (check, init, lifecycle, pdf, soa, registers, controls, schemas, readiness, ack):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    """Console-script entry point."""
    # A command builds many long-lived objects (documents, registers, pages) and few cycles: collect
    # after every 100,000 new objects rather than every 700, as type checkers such as mypy do. A run
    # over a large repository spends noticeably less time in the cycle collector; memory stays bounded.
    gc.set_threshold(100_000, 20, 20)
    try:
        cli(prog_name="isms")
    except SystemExit as exc:
        if isinstance(exc.code, int) and _command() in LEAVE_QUICKLY:
            _leave(exc.code)
        raise


# Commands that only read the repository and print or write one report. Once the report is out, the
# process ends without freeing its objects one by one, as mypy does: for a large repository that
# teardown takes tens of milliseconds and does nothing the user can see.
LEAVE_QUICKLY = frozenset({"check"})


def _command() -> str | None:
    """The command named on the command line (the group itself has no options that take a value)."""
    return next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)


def _leave(code: int) -> NoReturn:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe, say: the interpreter's own exit reports it as it always does
        raise SystemExit(code) from None
    os._exit(code)
