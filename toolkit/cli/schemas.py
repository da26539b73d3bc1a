"""``isms schemas``: where the JSON Schemas are, or a copy of them for editors."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(short_help="Locate the JSON Schemas, or copy them for editors.")
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


COMMANDS = (schemas,)
