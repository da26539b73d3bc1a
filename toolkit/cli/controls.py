"""``isms controls``: browse the catalogs, show one control, search, and the 2013 to 2022 transition."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.options import repository_argument

if TYPE_CHECKING:
    from toolkit.workspace import Workspace


def _optional_repository(path: Path) -> Workspace | None:
    """The repository at ``path``, or the one the folder is in; None outside any repository."""
    from toolkit.sources.config import CONFIG_FILE  # noqa: PLC0415
    from toolkit.workspace import find_root, open_workspace  # noqa: PLC0415

    root = find_root(path)
    return open_workspace(root) if (root / CONFIG_FILE).is_file() else None


repo_option = click.option(
    "--repo",
    "repository",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Policy repository whose documents are shown beside each control (if it has an isms.yml).",
)


@click.group(short_help="Browse the control catalogs.", invoke_without_command=True)
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

    repo = _optional_repository(repository)
    catalogs = repo.catalogs if repo is not None else load_catalogs()
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
    from toolkit.browse import shared_with  # noqa: PLC0415

    shared = shared_with(found.ref)
    if shared:
        click.echo(f"Shared with: {', '.join(shared)} (one integrated document can serve both)")
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
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    report = transition_report(open_workspace(directory), load_crosswalk("iso27001-2013-to-2022"))
    if not report:
        click.echo("No ISO/IEC 27001:2013 ids found: nothing to transition.")
        return
    for item in report:
        targets = ", ".join(f"iso27001-2022:{target}" for target in item.new_ids) or "no 2022 equivalent"
        click.echo(f"{item.file}: {item.line_ref} -> {targets} ({describe_change(item.change)})")
    click.echo(f"{len(report)} reference(s) to update.")


COMMANDS = (controls,)
