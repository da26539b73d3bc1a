"""The records on the handbook's auditor pages: one page among the reference pages, never a staff page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from tests.conftest import EXAMPLES
from toolkit.handbook.markup import fill_blocks
from toolkit.handbook.pages import build_handbook
from toolkit.workspace import open_workspace

TODAY = dt.date(2026, 6, 1)
NASTY = '<script>alert("r")</script> & <b>bold</b>'


def records_html(repo: Path) -> tuple[str, list]:
    handbook = build_handbook(open_workspace(repo, today=TODAY))
    pages = {page.path: page for page in handbook.pages}
    page = pages["isms/records.md"]
    wrapped = re.sub(r"(ISMSBLOCK\d+END)", r"<p>\1</p>", page.content)  # as Markdown converts it
    return fill_blocks(wrapped, page.blocks), handbook.nav


def test_the_records_page_lists_each_record_on_the_reference_pages_only(example_copy) -> None:
    repo = example_copy("valid-records")
    content, nav = records_html(repo)
    assert content.startswith("---\nsearch:\n  exclude: true\n")  # out of the staff search
    reference = next(item["ISMS reference"] for item in nav if "ISMS reference" in item)
    assert {"Records": "isms/records.md"} in reference
    staff = [item for item in nav if "ISMS reference" not in item]
    assert "isms/records.md" not in str(staff)
    assert "<td>AUD-2026-01</td>" in content and "<td>1 minor, 1 observation</td>" in content
    assert "<td>Meera Joshi Quality Lead</td>" in content
    assert "<td>10 of 10</td>" in content and "<td>1 (0 open)</td>" in content
    assert "<td>NC-2026-001</td><td>audit</td><td>Head of IT</td><td>2026-07-31</td><td>open</td>" in content
    assert "<td>closed on 2025-10-02</td>" in content


def test_record_text_is_escaped(example_copy) -> None:
    repo = example_copy("valid-records")
    path = repo / "records/audits/2026-03-internal-audit.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("area: Pune office, floor 2, and the IT helpdesk", f"area: '{NASTY}'"), "utf-8"
    )
    content, _nav = records_html(repo)
    assert "<script>" not in content and "&lt;script&gt;" in content


def test_no_records_no_page_and_an_empty_register_says_so(example_copy) -> None:
    repo = example_copy("valid-records")
    for rel in ("records/audits/2026-03-internal-audit.yml", "records/management-reviews/2026-04-review.yml"):
        (repo / rel).unlink()
    (repo / "records/nonconformities.yml").write_text("nonconformities: []\n", encoding="utf-8")
    content, _nav = records_html(repo)
    assert content.count("None on record yet.") == 3
    bare = build_handbook(open_workspace(EXAMPLES / "valid-minimal" / "repo", today=TODAY))
    assert "isms/records.md" not in [page.path for page in bare.pages]
