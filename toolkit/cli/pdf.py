"""``isms pdf``: the handbook as PDFs, one per document and one for the whole book."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.check import checked_workspace
from toolkit.cli.options import repository_argument


@click.command(short_help="Check, then write the handbook as PDFs (one per document, one book).")
@repository_argument
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder for the PDFs (default: pdf/ in the repository).",
)
@click.option("--strict", is_flag=True, help="Fail on check warnings too.")
@click.option("--force", is_flag=True, help="Replace an output folder that holds other files.")
def pdf(directory: Path, output: Path | None, strict: bool, force: bool) -> None:
    """Check the repository, then write the handbook as PDF files.

    handbook.pdf holds every document after a cover and a table of contents with page numbers; each
    document also gets its own ID.pdf. Every page has the company's name, the document's id, title,
    version and status, its owner and approval, and "Page x of y"; a draft's pages are marked DRAFT.
    Needs the optional 'pdf' extra: pip install 'isms-toolkit[pdf]'.
    """
    from toolkit.handbook.pdf import load_engine, write_pdfs  # noqa: PLC0415 - keep start-up light

    load_engine()  # before the check: a missing engine is a usage error, named at once
    workspace, _findings = checked_workspace(directory, strict, action="writing the PDFs")
    target = output if output is not None else directory / "pdf"
    result = write_pdfs(workspace, target, force=force)
    for name, refused in result.refused.items():
        for url, reason in refused:
            click.echo(f"Warning: {name}: the picture {url} is left out: {reason}", err=True)
    click.echo(f"{len(result.files)} PDFs written to {result.folder} (the whole handbook: handbook.pdf)")


COMMANDS = (pdf,)
