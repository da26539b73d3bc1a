"""``isms pdf``: the handbook as PDFs, read back with a PDF reader (pypdf)."""

from __future__ import annotations

import os
import re
import socket
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

pypdf = pytest.importorskip("pypdf")


def _engine_ready() -> bool:
    try:
        import weasyprint  # noqa: F401, PLC0415
    except (ImportError, OSError):
        return False
    return True


# CI installs the extra and Pango (.ci/run): there, a missing engine fails the tests instead of skipping.
needs_engine = pytest.mark.skipif(
    not _engine_ready() and not os.environ.get("CI"),
    reason="the pdf extra (WeasyPrint and Pango) is not installed",
)

DRAFT = """\
---
id: POL-VISITORS
title: Visitor Policy
type: policy
status: draft
version: 0.2.0
owner: Chief Information Security Officer
approver: Chief Executive Officer
approved_on: null
review_cycle_months: 12
controls:
  - demo:D.1
---

# Visitor Policy

<style>.isms-watermark, section {{ display: none !important; }}</style>
<div class="isms-running" style="display:none">FAKE-HEADER</div>

{paragraphs}
"""


def _png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def repo(example_copy: Any) -> Path:
    """The minimal example (two approved policies) with a long draft added."""
    root: Path = example_copy("valid-minimal")
    paragraphs = "\n\n".join(f"Rule {n}: sign every visitor in and out at reception." for n in range(140))
    (root / "policies" / "visitors.md").write_text(DRAFT.format(paragraphs=paragraphs), encoding="utf-8")
    return root


def _pdf(runner: CliRunner, root: Path, *args: str) -> Path:
    result = runner.invoke(cli, ["pdf", str(root), *args])
    assert result.exit_code == 0, result.output
    return root / "pdf"


def _texts(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(path).pages]


def _images(path: Path) -> int:
    """How many distinct images the PDF holds (in its pages' and forms' resources; pages share them)."""
    seen: set[tuple[int, int]] = set()

    def walk(resources: Any) -> None:
        for reference in ((resources or {}).get("/XObject") or {}).values():
            key = (reference.idnum, reference.generation)
            if key in seen:
                continue
            seen.add(key)
            xobject = reference.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in pypdf.PdfReader(path).pages:
        walk(page.get("/Resources"))
    reader = pypdf.PdfReader(path)
    return sum(
        1
        for idnum, generation in seen
        if reader.get_object(pypdf.generic.IndirectObject(idnum, generation, reader)).get("/Subtype")
        == "/Image"
    )


@needs_engine
def test_a_pdf_per_document_and_one_book(runner: CliRunner, repo: Path) -> None:
    folder = _pdf(runner, repo)
    names = sorted(path.name for path in folder.glob("*.pdf"))
    assert names == ["POL-CLEAR-DESK.pdf", "POL-INFOSEC.pdf", "POL-VISITORS.pdf", "handbook.pdf"]
    for name in names:
        assert len(pypdf.PdfReader(folder / name).pages) > 0
    book = _texts(folder / "handbook.pdf")
    assert "Demo Services Private Limited" in book[0]
    assert "Rule 139: sign every visitor in and out" in "".join(book)


@needs_engine
def test_every_page_has_the_document_control_header_and_page_x_of_y(runner: CliRunner, repo: Path) -> None:
    texts = _texts(_pdf(runner, repo) / "POL-VISITORS.pdf")
    assert len(texts) >= 3  # long enough to show the header repeats
    for number, text in enumerate(texts, start=1):
        assert "Demo Services Private Limited" in text
        assert "POL-VISITORS · Visitor Policy · Version 0.2.0 · DRAFT" in text
        assert "Owner: Chief Information Security Officer · Not approved yet" in text
        assert f"Page {number} of {len(texts)}" in text
    # The control table under the title, on the first page.
    assert re.search(r"Document id\s*POL-VISITORS", texts[0])
    assert re.search(r"Version\s*0\.2\.0", texts[0])
    approved = _texts(repo / "pdf" / "POL-INFOSEC.pdf")
    assert "POL-INFOSEC · Information Security Policy · Version 1.0.0 · APPROVED" in approved[0]
    assert "Approved on 2026-01-15 by Chief Executive Officer" in approved[0]


@needs_engine
def test_draft_watermark_on_a_draft_only_and_a_document_cannot_hide_it(runner: CliRunner, repo: Path) -> None:
    folder = _pdf(runner, repo)
    draft = _texts(folder / "POL-VISITORS.pdf")
    header = "POL-VISITORS · Visitor Policy · Version 0.2.0 · DRAFT"
    assert all("DRAFT" in text.replace(header, "") for text in draft)
    # Its style sheet is dropped, and its would-be running header is plain text on one page.
    assert sum("FAKE-HEADER" in text for text in draft) == 1
    approved = _texts(folder / "POL-CLEAR-DESK.pdf")
    assert not any("DRAFT" in text for text in approved)
    # In the book: on the draft's pages, not on the approved documents' pages.
    for text in _texts(folder / "handbook.pdf")[2:]:
        assert ("DRAFT" in text) == ("POL-VISITORS ·" in text), text[:200]


@needs_engine
def test_the_books_contents_give_the_page_where_each_document_starts(runner: CliRunner, repo: Path) -> None:
    texts = _texts(_pdf(runner, repo) / "handbook.pdf")
    contents = next(text for text in texts if text.lstrip().startswith("Contents"))
    entries = re.findall(r"^(POL-[A-Z-]+) .*?\.{3,}\s*(\d+)\s*$", contents, flags=re.MULTILINE)
    assert [doc_id for doc_id, _page in entries] == ["POL-CLEAR-DESK", "POL-INFOSEC", "POL-VISITORS"]
    for doc_id, page in entries:
        number = int(page)
        assert f"{doc_id} ·" in texts[number - 1], (doc_id, number)
        assert f"{doc_id} ·" not in texts[number - 2], (doc_id, number)
        assert f"Page {number} of {len(texts)}" in texts[number - 1]


@needs_engine
def test_a_picture_outside_the_documents_folder_is_not_read_and_nothing_is_fetched(
    runner: CliRunner, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.png"
    secret.write_bytes(_png(3, 3))
    pictures = repo / "policies" / "pictures"
    pictures.mkdir()
    (pictures / "ok.png").write_bytes(_png(1, 1))
    (repo / "isms.png").write_bytes(_png(2, 2))  # in the repository, not in the documents folder
    document = repo / "policies" / "visitors.md"
    document.write_text(
        document.read_text(encoding="utf-8")
        + "\n![ok](pictures/ok.png)\n\n![up](../../outside/secret.png)\n\n![root](../isms.png)\n\n"
        f'<img src="{secret.as_uri()}">\n\n<img src="{secret}">\n\n'
        "![web](http://127.0.0.1:9/web.png)\n\n![data](data:image/png;base64,iVBORw0KGgo=)\n",
        encoding="utf-8",
    )
    connections: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        connections.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    result = runner.invoke(cli, ["pdf", str(repo)])
    assert result.exit_code == 0, result.output
    assert connections == []
    assert _images(repo / "pdf" / "POL-VISITORS.pdf") == 1  # ok.png only
    assert _images(repo / "pdf" / "handbook.pdf") == 1
    assert "secret.png is left out: it is outside the documents folder" in result.output
    assert "isms.png is left out: it is outside the documents folder" in result.output
    assert "127.0.0.1:9/web.png is left out: a http: URL" in result.output
    assert "left out: a data: URL" in result.output

    # What the check reports as an error (a link leading outside, an <object>) is refused by the engine
    # too, when the library is used without the check.
    from toolkit.handbook.pdf import write_pdfs  # noqa: PLC0415
    from toolkit.workspace import open_workspace  # noqa: PLC0415

    (pictures / "linked.png").symlink_to(secret)
    document.write_text(
        document.read_text(encoding="utf-8")
        + '\n![link](pictures/linked.png)\n\n<object data="pictures/ok.png"></object>\n'
        '<embed src="pictures/ok.png"><link rel="attachment" href="pictures/ok.png">\n',
        encoding="utf-8",
    )
    written = write_pdfs(open_workspace(repo), tmp_path / "library")
    assert _images(tmp_path / "library" / "POL-VISITORS.pdf") == 1
    assert connections == []
    reasons = {reason for url, reason in written.refused["POL-VISITORS.pdf"] if url.endswith("linked.png")}
    assert reasons == {"it is outside the documents folder"}
    assert pypdf.PdfReader(tmp_path / "library" / "POL-VISITORS.pdf").attachments == {}


@needs_engine
def test_a_folder_of_other_files_is_refused_and_force_replaces_it(runner: CliRunner, repo: Path) -> None:
    target = repo / "papers"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(cli, ["pdf", str(repo), "--output", str(target)])
    assert refused.exit_code == 2
    assert "use --force" in refused.output
    assert (target / "notes.txt").is_file()
    forced = runner.invoke(cli, ["pdf", str(repo), "--output", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert not (target / "notes.txt").exists()
    assert (target / "handbook.pdf").is_file()
    again = runner.invoke(cli, ["pdf", str(repo), "--output", str(target)])  # its own folder is replaced
    assert again.exit_code == 0, again.output


def test_without_the_extra_it_names_the_extra_and_exits_2(
    runner: CliRunner, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint raises ImportError
    result = runner.invoke(cli, ["pdf", str(repo)])
    assert result.exit_code == 2
    assert "pip install 'isms-toolkit[pdf]'" in result.output
    assert "Traceback" not in result.output
    assert not (repo / "pdf").exists()


@needs_engine
def test_a_failing_check_writes_no_pdf(runner: CliRunner, repo: Path) -> None:
    (repo / "policies" / "infosec.md").write_text("---\nid: broken\n---\n# Broken\n", encoding="utf-8")
    result = runner.invoke(cli, ["pdf", str(repo)])
    assert result.exit_code == 1
    assert "Not writing the PDFs" in result.output
    assert not (repo / "pdf").exists()


@needs_engine
@pytest.mark.slow
def test_the_readme_pdf_command_prints_the_example_handbook(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import ROOT  # noqa: PLC0415

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    main = re.findall(r"```bash\n(.+?)\n```", readme)[0].split(" && ")
    command = next(block for block in re.findall(r"```bash\n(.+?)\n```", readme) if "isms pdf" in block)
    steps = command.split(" && ")
    assert steps[0] == "pip install '.[pdf]'"
    monkeypatch.chdir(tmp_path)
    init = next(step for step in main if step.startswith("isms init"))
    for step in [init, *steps[1:]]:
        result = runner.invoke(cli, step.split()[1:])
        assert result.exit_code == 0, f"{step}: {result.output}"
    folder = tmp_path / "build" / "sahyadri-isms" / "pdf"
    book = _texts(folder / "handbook.pdf")
    assert "Sahyadri" in book[0]
    assert len(list(folder.glob("POL-*.pdf"))) > 10
    assert all(re.search(rf"Page {n} of {len(book)}\b", text) for n, text in enumerate(book, start=1))
