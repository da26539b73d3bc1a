"""PDF output of the handbook with WeasyPrint (CSS paged media, no LaTeX, no browser).

WeasyPrint is an optional extra (``pip install 'isms-toolkit[pdf]'``) that needs Pango from the system; it
is imported only here, and only when PDFs are asked for. Its URL fetcher is replaced: the engine may read
a picture only when it is a raster image inside the documents folder that the handbook would publish
(:func:`toolkit.handbook.published.left_out`), and nothing else, no URL, no file outside the repository,
no ``data:`` URL. A refused picture is left out of the PDF and named in a warning.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from toolkit.errors import IsmsError, TargetNotEmptyError
from toolkit.fsutil import read_regular, staged_folder
from toolkit.handbook.printed import CSS, PrintedPage, book_page, document_page, printable_documents
from toolkit.handbook.published import left_out
from toolkit.sources.documents import documents_dir
from toolkit.workspace import Workspace

EXTRA = "pdf"
INSTALL_HINT = (
    f"PDF output needs the optional '{EXTRA}' extra (WeasyPrint): pip install 'isms-toolkit[{EXTRA}]'; "
    "WeasyPrint needs Pango from the system too (Debian and Ubuntu: apt-get install libpango-1.0-0 "
    "libpangoft2-1.0-0 fonts-dejavu-core)"
)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# Written into every folder `isms pdf` makes, so that the next run may replace it.
PDF_MARKER = ".isms-pdf"
PDF_NOTE = "Written by isms pdf; the next run replaces this folder.\n"


class PdfEngineMissingError(IsmsError):
    """WeasyPrint (the ``pdf`` extra) or the system libraries it needs are not installed."""


def load_engine() -> Any:
    """The ``weasyprint`` module, or :class:`PdfEngineMissingError` naming the extra to install."""
    try:
        import weasyprint  # noqa: PLC0415 - optional and heavy: only for PDF output
    except ImportError as exc:
        raise PdfEngineMissingError(INSTALL_HINT) from exc
    except OSError as exc:  # WeasyPrint is there, but Pango (a system library) is not
        raise PdfEngineMissingError(f"{INSTALL_HINT} ({exc})") from exc
    return weasyprint


def refusal(url: str, documents: Path, root: Path) -> tuple[Path | None, str | None]:
    """The local file ``url`` names and None when the engine may read it; else None and why not."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        kind = f"a {parts.scheme}: URL" if parts.scheme else "not a file of the repository"
        return None, f"{kind}; a PDF is made from the repository's own files only"
    path = Path(url2pathname(unquote(parts.path)))
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(documents)):
        return None, "it is outside the documents folder"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return None, f"only pictures ({', '.join(IMAGE_SUFFIXES)}) are put into a PDF"
    reason = left_out(path, root)
    return (None, reason) if reason else (path, None)


@dataclass
class Guard:
    """What the engine asked for and was refused, in order: ``(url, reason)``."""

    documents: Path
    root: Path
    refused: list[tuple[str, str]] = field(default_factory=list)

    def fetcher(self, engine: Any) -> Any:
        """A WeasyPrint URL fetcher that reads only what :func:`refusal` allows."""
        urls = engine.urls
        guard = self

        class Fetcher(urls.URLFetcher):  # type: ignore[misc,name-defined]  # WeasyPrint is untyped
            def fetch(self, url: str, headers: Any = None) -> Any:
                path, reason = refusal(url, guard.documents, guard.root)
                if path is None:
                    guard.refused.append((url, reason or "refused"))
                    raise ValueError(f"not read: {reason}")
                try:
                    data = read_regular(path, max_bytes=MAX_IMAGE_BYTES)
                except OSError as exc:
                    guard.refused.append((url, str(exc)))
                    raise
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return urls.URLFetcherResponse(url, body=data, headers={"Content-Type": kind})

        return Fetcher()


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """The engine's own log (unsupported CSS, a picture it could not read) is not shown: what matters to
    the user (a refused picture) is reported by the caller."""
    logger = logging.getLogger(logger_name)
    previous = logger.propagate, logger.level
    logger.propagate, logger.level = False, logging.CRITICAL + 1
    try:
        yield
    finally:
        logger.propagate, logger.level = previous


def render(engine: Any, page: PrintedPage, base: Path, guard: Guard) -> bytes:
    """The PDF of ``page``, its relative picture paths read from the folder ``base`` (the repository)."""
    fetcher = guard.fetcher(engine)
    with _quiet("weasyprint"):
        document = engine.HTML(string=page.html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        stylesheet = engine.CSS(string=CSS, url_fetcher=fetcher)
        data: bytes = document.write_pdf(stylesheets=[stylesheet], uncompressed_pdf=False)
    return data


@dataclass
class PdfResult:
    """The folder written, the PDFs in it (book first) and the refused pictures per PDF."""

    folder: Path
    files: list[str]
    refused: dict[str, list[tuple[str, str]]]


def _replaceable(folder: Path) -> bool:
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    names = {entry.name for entry in folder.iterdir()}
    return not names or PDF_MARKER in names


def write_pdfs(
    workspace: Workspace,
    output: Path,
    *,
    force: bool = False,
    progress: Callable[[str], None] | None = None,
) -> PdfResult:
    """Write ``handbook.pdf`` and one ``<ID>.pdf`` per document into ``output``; return what was written.

    The PDFs are made in a temporary folder beside ``output`` and moved into place when all are done, so
    a failure leaves the previous folder as it was. A folder holding anything but a previous run's PDFs
    is refused unless ``force``."""
    engine = load_engine()
    if not force and not _replaceable(output):
        raise TargetNotEmptyError(
            "holds files that isms pdf did not write; use --force to replace the folder", path=output
        )
    root = workspace.root.resolve()
    documents = root / documents_dir(workspace.config)
    by_area = printable_documents(workspace)
    pages = [book_page(workspace, by_area)]
    pages += [document_page(doc, workspace) for _area, docs in by_area for doc in docs]
    refused: dict[str, list[tuple[str, str]]] = {}
    with staged_folder(
        output, prefix=".isms-pdf-", marker=PDF_MARKER, note=PDF_NOTE, what="the PDFs"
    ) as staged:
        for page in pages:
            if progress is not None:
                progress(page.name)
            guard = Guard(documents, root)
            (staged.folder / page.name).write_bytes(render(engine, page, root, guard))
            if guard.refused:
                refused[page.name] = guard.refused
    return PdfResult(output, [page.name for page in pages], refused)
