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


# `isms check -o FILE` without --format: the report format its extension names.
REPORT_SUFFIXES = {".json": "json", ".xml": "junit", ".sarif": "sarif", ".md": "markdown"}


@cli.command(short_help="Validate the repository and report control coverage.")
@repository_argument
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(FORMATS),
    help="Report format (default: from the --output file's extension, else text).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write the report to FILE ('-': standard output).",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too (drafts, overdue reviews, placeholders).")
@today_option
def check(
    directory: Path, output_format: str | None, output: Path | None, strict: bool, today: dt.date | None
) -> None:
    """Validate the repository in DIRECTORY and report control coverage.

    Reads isms.yml, soa.yml and every document under policies/, checks them against the schemas and
    the control catalogs, and exits 1 when there are errors (or warnings, with --strict).
    """
    from toolkit.check import CheckOptions, execute  # noqa: PLC0415 - keep start-up light
    from toolkit.reporters import get_reporter  # noqa: PLC0415

    if output_format is None:
        output_format = REPORT_SUFFIXES.get(output.suffix.lower(), "text") if output is not None else "text"
    result = execute(CheckOptions(root=directory, strict=strict, today=today))
    reporter = get_reporter(output_format)
    if output is None:
        color = output_format == "text" and sys.stdout.isatty()
        click.echo(reporter.render(result, color=color), nl=False)
    else:
        from toolkit.fsutil import write_output  # noqa: PLC0415

        write_output(output, reporter.render(result))  # `-`: standard output; /dev/null stays a device
        click.echo(f"{output_format} report written to {output}", err=True)
    sys.exit(result.exit_code)


def _known_regions(value: str) -> str:
    """Accept the regions typed at the prompt only when the profiles know each of them (else ask again)."""
    from toolkit import scaffold  # noqa: PLC0415

    unknown = scaffold.unknown_regions(value)
    if unknown:
        raise click.BadParameter(f"unknown client region(s): {', '.join(repr(name) for name in unknown)}")
    return value


def _prompt_answers(answers: dict[str, Any], bpo_choices: list[str]) -> dict[str, Any]:
    """Ask for the common answers, with the current answers as defaults."""
    out = dict(answers)
    out["company_name"] = click.prompt("Company legal name", default=answers["company_name"])
    out["company_short_name"] = click.prompt("Short name", default=answers["company_short_name"])
    out["isms_scope"] = click.prompt("ISMS scope statement", default=answers["isms_scope"])
    out["bpo_type"] = click.prompt("BPO type", type=click.Choice(bpo_choices), default=answers["bpo_type"])
    out["client_regions"] = click.prompt(
        "Client regions (comma separated: us, us-healthcare, uk-fca, eu-gdpr, australia, middle-east)",
        default=answers["client_regions"]
        if isinstance(answers["client_regions"], str)
        else ", ".join(answers["client_regions"]),
        value_proc=_known_regions,
    )
    out["extra_standards"] = click.prompt(
        "Other standards in scope (comma separated, e.g. ISO 9001:2015; empty for none)",
        default=answers.get("extra_standards", ""),
        show_default=False,
    )
    out["byod_allowed"] = click.confirm(
        "Are staff allowed to use their own devices (BYOD)?", default=bool(answers["byod_allowed"])
    )
    from toolkit import scaffold  # noqa: PLC0415

    develops = answers.get("develops_software")
    if develops is None:  # not given: the BPO type's usual answer is the default
        develops = scaffold.resolve_profile(out)["develops_software"]
    out["develops_software"] = click.confirm(
        "Does the company develop software in scope (for clients or as its own products)?",
        default=bool(develops),
    )
    for key, question, low, high in (
        ("cctv_retention_days", "CCTV footage kept for (days)", 1, None),
        ("visitor_log_retention_days", "Visitor logs kept for (days)", 1, None),
        ("incident_notification_hours", "Clients told of an incident within (hours)", 1, None),
        ("client_data_deletion_days", "Client data deleted after contract end within (days)", 0, None),
        ("review_cycle_months", "Documents reviewed every (months)", 1, 36),
    ):
        # The same limits as the answers schema, so a bad number is asked again at once.
        out[key] = click.prompt(question, type=click.IntRange(low, high), default=int(answers[key]))
    out["incident_email"] = click.prompt("Incident reporting email", default=answers["incident_email"])
    out["incident_phone"] = click.prompt("Incident reporting phone", default=answers["incident_phone"])
    roles = {}
    for key, role in answers["roles"].items():
        title = click.prompt(f"Role '{key}': title", default=role["title"])
        roles[key] = {
            "title": title,
            "name": click.prompt(f"  {title}: held by", default=role.get("name", "")),
        }
    out["roles"] = roles
    out["sites"] = _prompt_sites(answers["sites"])
    return out


def _prompt_sites(current: dict[str, Any]) -> dict[str, Any]:
    """Ask for the delivery sites: how many, then each one's name, city and seats."""
    from slugify import slugify  # noqa: PLC0415 - a cookiecutter dependency, only needed here

    defaults = list(current.values())
    count = click.prompt("Number of sites in scope", type=click.IntRange(1, 99), default=len(defaults))
    sites: dict[str, Any] = {}
    for number in range(1, count + 1):
        default = defaults[number - 1] if number <= len(defaults) else {}
        name = click.prompt(f"Site {number}: name", default=default.get("name"))
        city = click.prompt(f"  {name}: city", default=default.get("city"))
        seats = click.prompt(f"  {name}: seats", type=click.IntRange(min=1), default=default.get("seats"))
        key = slugify(city, separator="-") or f"site-{number}"
        while key in sites:
            key = f"{key}-{number}"
        sites[key] = {"name": name, "city": city, "seats": seats}
    return sites


@cli.command(short_help="Generate a company's policy repository.")
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
    "--force", is_flag=True, help="Render into a non-empty DIRECTORY (rendered files replace theirs)."
)
@click.option("--company", help="Company legal name.")
@click.option("--short-name", help="Short company name (the folder name is derived from it).")
@click.option(
    "--bpo-type",
    help="general-bpo, kpo, healthcare-bpo, legal-process-outsourcing, it-helpdesk, finance-accounting.",
)
@click.option(
    "--client-regions", help="Comma separated: us, us-healthcare, uk-fca, eu-gdpr, australia, middle-east."
)
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
    callback=_parse_date,
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
        answers = _prompt_answers(answers, scaffold.bpo_types())
    target = directory or Path(scaffold.repository_slug(answers["company_short_name"]))
    result = scaffold.render(answers, target, force=force, generated_on=generated_on)
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


@cli.command(short_help="Record the approval of documents.")
@click.argument("documents", nargs=-1)
@click.option("--all-drafts", is_flag=True, help="Approve every draft in the repository.")
@click.option("--by", "approver", required=True, help="Who approves: a name or role, recorded as approver.")
@click.option(
    "--on", "approved_on", metavar="DATE", callback=_parse_date, help="Approval date (default: today)."
)
@click.option("--effective", metavar="DATE", callback=_parse_date, help="Date the documents take effect.")
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
    """Record the approval of DOCUMENTS (paths or document ids), or of --all-drafts.

    Sets status, approver, approved_on and version and appends a change log entry; nothing else in the
    files changes. Every document is checked before any is written.
    """
    from toolkit import lifecycle  # noqa: PLC0415
    from toolkit.errors import DocumentNotFoundError  # noqa: PLC0415
    from toolkit.loader import find_root, load_repository  # noqa: PLC0415

    if bool(documents) == all_drafts:
        raise click.UsageError("name the documents to approve, or give --all-drafts (not both)")
    if new_version is not None and (all_drafts or len(documents) > 1):
        raise click.BadParameter("--version applies to one document at a time", param_hint="--version")
    repo = load_repository(repository if repository is not None else find_root(Path()))
    if all_drafts:
        targets = [document for document in repo.documents if document.valid and document.status == "draft"]
        broken = [document.rel for document in repo.documents if not document.valid]
        if broken:
            click.echo(f"Skipped (front matter problems; run isms check): {', '.join(broken)}", err=True)
        if not targets:
            click.echo("No drafts to approve.")
            return
    else:
        targets = []
        for ref in documents:
            found = lifecycle.find_document(repo, ref)
            if all(found is not target for target in targets):
                targets.append(found)
    on = approved_on or dt.date.today()
    for target in targets:
        if not target.valid:
            raise DocumentNotFoundError(f"{target.rel} has front matter problems; run isms check first")
        lifecycle.check_approval(target, approver, on, new_version, effective)
    for target in targets:
        done = lifecycle.approve(
            target, by=approver, on=on, version=new_version, summary=summary, effective=effective
        )
        click.echo(
            f"{done.document_id} approved by {done.approver} on {done.approved_on.isoformat()}: "
            f"version {done.old_version} -> {done.version} ({target.rel})"
        )
    if len(targets) > 1:
        click.echo(f"{len(targets)} documents approved.")


def _parse_days(_ctx: click.Context, _param: click.Parameter, value: str) -> int:
    text = value.strip().lower()
    units = {"d": 1, "w": 7, "m": 30}
    number, unit = (text[:-1], text[-1]) if text and text[-1] in units else (text, "d")
    if not number.isdigit():
        raise click.BadParameter(f"{value!r} is not a period such as 30d, 6w or 3m")
    return int(number) * units[unit]


@cli.command(short_help="List documents whose review is due or overdue.")
@repository_argument
@click.option(
    "--within",
    default="30d",
    show_default=True,
    callback=_parse_days,
    metavar="PERIOD",
    help="List reviews due within PERIOD (days d, weeks w, months m of 30 days).",
)
@click.option("--strict", is_flag=True, help="Exit 1 when any review is overdue.")
@click.option(
    "--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@today_option
def review(directory: Path, within: int, strict: bool, output_format: str, today: dt.date | None) -> None:
    """List approved documents whose review is due or overdue, with their owners."""
    import json  # noqa: PLC0415

    from toolkit.lifecycle import reviews  # noqa: PLC0415
    from toolkit.loader import load_repository  # noqa: PLC0415

    day = today or dt.date.today()
    due = reviews(load_repository(directory), day, within)
    if output_format == "json":
        rows = [
            {
                "id": r.document.id,
                "file": r.document.rel,
                "owner": r.document.meta.get("owner"),
                "due": r.due.isoformat(),
                "days_left": r.days_left,
                "overdue": r.overdue,
            }
            for r in due
        ]
        click.echo(
            json.dumps({"checked_on": day.isoformat(), "within_days": within, "reviews": rows}, indent=2)
        )
    elif not due:
        click.echo(f"No reviews due within {within} days of {day.isoformat()}.")
    else:
        for r in due:
            when = f"OVERDUE by {-r.days_left} days" if r.overdue else f"due in {r.days_left} days"
            click.echo(
                f"{r.due.isoformat()}  {when:<22} {r.document.id:<24} owner: {r.document.meta.get('owner')}"
                f"  ({r.document.rel})"
            )
    overdue = sum(1 for r in due if r.overdue)
    if output_format == "text" and due:
        click.echo(f"{len(due)} due, {overdue} overdue.")
    sys.exit(1 if strict and overdue else 0)


@cli.command(short_help="Export the Statement of Applicability.")
@repository_argument
@click.option(
    "--format",
    "-f",
    "output_format",
    type=click.Choice(["xlsx", "csv", "md", "json"]),
    help="Output format (default: from the output file's extension, else md).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write to FILE ('-': standard output).",
)
@today_option
def soa(directory: Path, output_format: str | None, output: Path | None, today: dt.date | None) -> None:
    """Export the Statement of Applicability: one row per control of every catalog in scope."""
    from toolkit import soa as statement_of_applicability  # noqa: PLC0415
    from toolkit.check import repository_catalogs  # noqa: PLC0415
    from toolkit.fsutil import write_output  # noqa: PLC0415
    from toolkit.loader import load_repository  # noqa: PLC0415

    named = output is not None and str(output) != "-"
    chosen = output_format or (output.suffix.lstrip(".").lower() if named and output else "md")
    if chosen not in ("xlsx", "csv", "md", "json"):
        raise click.BadParameter(
            f"cannot tell the format from {output}; give --format", param_hint="--format"
        )
    if chosen == "xlsx" and output is None:
        raise click.BadParameter("xlsx is a binary format; give --output FILE", param_hint="--output")
    repository = load_repository(directory)
    if not repository.soa_valid:
        problems = [f"  {f.file}:{f.line}: {f.message}" for f in repository.findings if f.file == "soa.yml"]
        reason = "has problems" if problems else "is missing"
        click.echo(
            "\n".join([f"Not exporting: soa.yml {reason}; fix it first (isms check).", *problems]), err=True
        )
        sys.exit(1)
    statement = statement_of_applicability.build(
        repository, repository_catalogs(repository), today or dt.date.today()
    )
    data: str | bytes = (
        statement_of_applicability.to_xlsx(statement)
        if chosen == "xlsx"
        else statement_of_applicability.WRITERS[chosen](statement)
    )
    if output is None:
        click.echo(data, nl=False)
        return
    write_output(output, data)  # `-`: standard output; /dev/null stays a device
    click.echo(f"Statement of Applicability ({len(statement.rows)} controls) written to {output}", err=True)


def _optional_repository(path: Path) -> Any:
    """The repository at ``path``, or the one the folder is in; None outside any repository."""
    from toolkit.loader import CONFIG_FILE, find_root, load_repository  # noqa: PLC0415

    root = find_root(path)
    return load_repository(root) if (root / CONFIG_FILE).is_file() else None


repo_option = click.option(
    "--repo",
    "repository",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Policy repository whose documents are shown beside each control (if it has an isms.yml).",
)


@cli.group(short_help="Browse the control catalogs.", invoke_without_command=True)
@click.option("--catalog", "catalog_id", help="Only this catalog, e.g. iso27001-2022.")
@click.option("--from-2013", "old_id", metavar="ID", help="Show the 2022 control(s) for a 2013 Annex A id.")
@click.pass_context
def controls(ctx: click.Context, catalog_id: str | None, old_id: str | None) -> None:
    """Browse the control catalogs: list (default), show, search, transition."""
    if ctx.invoked_subcommand is not None:
        return
    from toolkit.catalogs import load_catalogs, load_crosswalk  # noqa: PLC0415

    catalogs = load_catalogs()
    if old_id is not None:
        from toolkit.browse import describe_change, from_2013, id_2013  # noqa: PLC0415

        crosswalk = load_crosswalk("iso27001-2013-to-2022")
        targets = from_2013(crosswalk, old_id)
        key = id_2013(old_id)
        if not targets or key is None:
            raise click.BadParameter(
                f"{old_id!r} is not an ISO/IEC 27001:2013 Annex A id", param_hint="--from-2013"
            )
        change = describe_change(crosswalk.changes.get(key, ""))
        click.echo(f"{key} {crosswalk.titles.get(key, '')} ({change}) became:")
        for target in targets:
            control = catalogs[crosswalk.target_catalog].get(target)
            click.echo(f"  {crosswalk.target_catalog}:{target}  {control.title if control else ''}")
        return
    if catalog_id is not None and catalog_id not in catalogs:
        raise click.BadParameter(f"unknown catalog {catalog_id!r}; known: {', '.join(catalogs)}")
    for catalog in catalogs.values():
        if catalog_id in (None, catalog.id):
            for control in catalog:
                click.echo(f"{control.ref:<28} {control.title}")


@controls.command("show", short_help="Show one control and the documents that address it.")
@click.argument("control")
@repo_option
def controls_show(control: str, repository: Path) -> None:
    """Show one control, such as A.7.7, with our summary and the documents that address it."""
    from toolkit.browse import addressed_by, find_control  # noqa: PLC0415
    from toolkit.catalogs import load_catalogs  # noqa: PLC0415
    from toolkit.check import repository_catalogs  # noqa: PLC0415

    repo = _optional_repository(repository)
    catalogs = repository_catalogs(repo) if repo is not None else load_catalogs()
    found = find_control(catalogs, control)
    if found is None:
        from toolkit.browse import from_2013  # noqa: PLC0415
        from toolkit.catalogs import load_crosswalk  # noqa: PLC0415

        became = from_2013(load_crosswalk("iso27001-2013-to-2022"), control)
        hint = f"; as an ISO/IEC 27001:2013 id it became {', '.join(became)}" if became else ""
        raise click.BadParameter(f"no control {control!r} in any catalog{hint}", param_hint="CONTROL")
    catalog = catalogs[found.catalog]
    click.echo(f"{found.ref}  {found.title}")
    click.echo(f"Theme:   {catalog.themes.get(found.theme, found.theme)}")
    click.echo(f"Summary: {found.summary}")
    if repo is not None:
        documents = addressed_by(repo, found.ref)
        click.echo(f"Addressed by: {', '.join(documents) if documents else 'no document'}")


@controls.command("search", short_help="Find controls by words in their id, title or summary.")
@click.argument("words", nargs=-1, required=True)
def controls_search(words: tuple[str, ...]) -> None:
    """Find controls whose id, title or summary contains all WORDS."""
    from toolkit.browse import search  # noqa: PLC0415
    from toolkit.catalogs import load_catalogs  # noqa: PLC0415

    found = search(load_catalogs(), " ".join(words))
    for control in found:
        click.echo(f"{control.ref:<28} {control.title}")
    if not found:
        click.echo("No control matches.", err=True)
        sys.exit(1)


@controls.command("transition", short_help="List 2013 ids a repository still cites.")
@repository_argument
def controls_transition(directory: Path) -> None:
    """List the ISO/IEC 27001:2013 ids a repository still cites and the 2022 controls they became."""
    from toolkit.browse import describe_change, transition_report  # noqa: PLC0415
    from toolkit.catalogs import load_crosswalk  # noqa: PLC0415
    from toolkit.loader import load_repository  # noqa: PLC0415

    report = transition_report(load_repository(directory), load_crosswalk("iso27001-2013-to-2022"))
    if not report:
        click.echo("No ISO/IEC 27001:2013 ids found: nothing to transition.")
        return
    for item in report:
        targets = ", ".join(f"iso27001-2022:{target}" for target in item.new_ids) or "no 2022 equivalent"
        click.echo(f"{item.file}: {item.line_ref} -> {targets} ({describe_change(item.change)})")
    click.echo(f"{len(report)} reference(s) to update.")


@cli.command(short_help="List documents changed since a git revision.")
@repository_argument
@click.option(
    "--since", "revision", required=True, metavar="REV", help="A git revision: tag, branch or commit."
)
@click.option(
    "--format", "-f", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def changes(directory: Path, revision: str, output_format: str) -> None:
    """List documents added, changed, retired or removed since REV (for example the last audit's tag)."""
    import json  # noqa: PLC0415
    from dataclasses import asdict  # noqa: PLC0415

    from toolkit.changes import changes_since  # noqa: PLC0415
    from toolkit.loader import load_repository  # noqa: PLC0415

    found = changes_since(load_repository(directory), revision)
    if output_format == "json":
        click.echo(json.dumps({"since": revision, "changes": [asdict(change) for change in found]}, indent=2))
        return
    if not found:
        click.echo(f"No document changed since {revision}.")
        return
    for change in found:
        versions = (
            change.new_version if not change.old_version else f"{change.old_version} -> {change.new_version}"
        )
        click.echo(
            f"{change.kind:<8} {change.document_id:<24} {versions:<18} {change.status:<9} {change.file}"
        )
    click.echo(f"{len(found)} document(s) changed since {revision}.")


def _check_before_site(directory: Path, strict: bool) -> Path:
    """Run the check and stop (exit 1) on failing findings; return mkdocs.yml's path."""
    from toolkit.check import repository_catalogs, run_check  # noqa: PLC0415
    from toolkit.handbook.plugin import PRELOADED, build_date  # noqa: PLC0415
    from toolkit.loader import load_repository  # noqa: PLC0415
    from toolkit.reporters import get_reporter  # noqa: PLC0415

    repository = load_repository(directory)
    catalogs = repository_catalogs(repository)
    result = run_check(repository, catalogs, strict=strict, today=build_date())
    if not result.passed:
        click.echo(get_reporter("text").render(result, color=sys.stdout.isatty()), nl=False)
        click.echo("Not building the handbook: fix the findings above first.", err=True)
        sys.exit(result.exit_code)
    click.echo(f"isms check passed ({result.count('warning')} warnings).", err=True)
    config_file = directory / "mkdocs.yml"
    if not config_file.is_file():
        from toolkit.errors import NotARepositoryError  # noqa: PLC0415

        raise NotARepositoryError("no mkdocs.yml: the handbook has nothing to build from", path=directory)
    PRELOADED[directory.resolve()] = (repository, catalogs, result.findings)
    return config_file


@cli.command(short_help="Check, then build the staff policy handbook.")
@repository_argument
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Where to write the site.")
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on check warnings too (MkDocs warnings fail it already where mkdocs.yml says strict).",
)
@click.option("--force", is_flag=True, help="Replace a site folder that holds other files.")
def build(directory: Path, site_dir: Path | None, strict: bool, force: bool) -> None:
    """Check the repository, then build the staff policy handbook (a static website)."""
    config_file = _check_before_site(directory, strict)
    from toolkit.handbook.plugin import build_site  # noqa: PLC0415 - mkdocs only for this command

    site = build_site(config_file, site_dir=site_dir, strict=strict, force=force)
    click.echo(f"Handbook built in {site}")


def _dev_addr(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``HOST:PORT`` with a port from 1 to 65535, else a usage error (MkDocs would abort on it later)."""
    host, colon, port = value.rpartition(":")
    if not colon or not host or not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise click.BadParameter(
            f"{value!r} is not HOST:PORT with a port from 1 to 65535 (e.g. 127.0.0.1:8000)"
        )
    return value


@cli.command(short_help="Check, then preview the handbook with live reload.")
@repository_argument
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", callback=_dev_addr
)
def serve(directory: Path, dev_addr: str) -> None:
    """Check the repository, then preview the handbook with live reload."""
    config_file = _check_before_site(directory, strict=False)
    from toolkit.handbook.plugin import serve_site  # noqa: PLC0415

    serve_site(config_file, dev_addr=dev_addr)


@cli.command(short_help="Locate the JSON Schemas, or copy them for editors.")
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
