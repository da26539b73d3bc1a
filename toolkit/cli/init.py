"""``isms init``: generate a company's policy repository from the cookiecutter templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import parse_date


class ListedHelpOption(click.Option):
    """An option whose help ends with a list read only when help is shown (the templates' profiles)."""

    def __init__(self, *args: Any, listing: Callable[[], list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listing = listing

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = f"{self.help} {', '.join(self.listing())}."
        return super().get_help_record(ctx)


def _bpo_types() -> list[str]:
    from toolkit import scaffold  # noqa: PLC0415 - cookiecutter stays out of start-up

    return scaffold.bpo_types()


def _client_regions() -> list[str]:
    from toolkit import scaffold  # noqa: PLC0415

    return scaffold.client_regions()


@click.command(short_help="Generate a company's policy repository.")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--answers",
    "answers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML answers file (see the answers format); validated before anything is rendered.",
)
@click.option(
    "--no-input", is_flag=True, help="Do not prompt: use the answers file, the options and the example."
)
@click.option(
    "--force", is_flag=True, help="Render over a non-empty DIRECTORY (rendered files replace theirs)."
)
@click.option("--company", help="Company legal name.")
@click.option("--short-name", help="Short company name (the folder name is derived from it).")
@click.option("--bpo-type", cls=ListedHelpOption, listing=_bpo_types, help="The kind of business:")
@click.option("--client-regions", cls=ListedHelpOption, listing=_client_regions, help="Comma separated:")
@click.option("--byod/--no-byod", default=None, help="Whether staff may use their own devices.")
@click.option(
    "--develops-software/--no-develops-software",
    default=None,
    help="Whether the company writes software (default: from the BPO type).",
)
@click.option(
    "--incident-hours", type=click.IntRange(min=1), help="Hours within which clients hear of an incident."
)
@click.option(
    "--date",
    "generated_on",
    metavar="DATE",
    callback=parse_date,
    help="Date for the change logs, YYYY-MM-DD (default: the answers file's, else today).",
)
def init(
    directory: Path | None,
    answers_file: Path | None,
    no_input: bool,
    force: bool,
    company: str | None,
    short_name: str | None,
    bpo_type: str | None,
    client_regions: str | None,
    byod: bool | None,
    develops_software: bool | None,
    incident_hours: int | None,
    generated_on: dt.date | None,
) -> None:
    """Generate a policy repository for a company in DIRECTORY.

    Without an answers file or options, --no-input renders the built-in example company. DIRECTORY
    defaults to a folder named after the short name, in the current folder.
    """
    from toolkit import scaffold  # noqa: PLC0415 - cookiecutter stays out of start-up

    answers = scaffold.example_answers()
    if answers_file is not None:
        answers.update(scaffold.load_answers(answers_file))
    options = {
        "company_name": company,
        "company_short_name": short_name,
        "bpo_type": bpo_type,
        "client_regions": client_regions,
        "byod_allowed": byod,
        "develops_software": develops_software,
        "incident_notification_hours": incident_hours,
    }
    answers = scaffold.merge_answers(answers, options)
    if not no_input:
        from toolkit.cli.prompts import prompt_answers  # noqa: PLC0415

        answers = prompt_answers(answers)
    target = directory or Path(scaffold.repository_slug(answers["company_short_name"]))
    result = scaffold.render(answers, target, force=force, generated_on=generated_on)
    _report(result)


def _report(result: Any) -> None:
    """What was rendered, what the profile chose and why, and what to do next."""
    profile = result.profile
    click.echo(f"Rendered {len(result.files)} files into {result.target}")
    click.echo(
        f"Profile: {profile['bpo_label']}; clients: "
        f"{', '.join(region['label'] for region in profile['regions']) or 'none named'}"
    )
    click.echo(f"Standards in scope: {', '.join(profile['standards'])}")
    if profile["recommended"]:
        click.echo(f"Recommended: {', '.join(profile['recommended'])}")
    for reason in profile["reasons"]:
        click.echo(f"  why: {reason}")
    if profile["exclusions"]:
        click.echo(f"Excluded in soa.yml (no software development): {', '.join(profile['exclusions'])}")
    if result.example_leftovers:
        click.echo(
            "Warning: these answers still hold the example company's values; give them in the answers "
            f"file, or edit isms.yml and the policies: {', '.join(result.example_leftovers)}",
            err=True,
        )
    click.echo(
        f"Every document is a draft until your management approves it. Next: isms check {result.target}"
    )


COMMANDS = (init,)
