"""The handbook as staff meet it: opened from disk, staff documents first, auditor material apart, and
each document's control details folded under one line. Plain HTML checks (tests/test_browser.py drives
a browser over the same things)."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli
from toolkit.handbook import navigation
from toolkit.handbook.navigation import STAFF_SECTIONS, isms_documents, staff_sections
from toolkit.model import Document

ROOT = Path(__file__).resolve().parents[1]
HREF = re.compile(r'(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("staff") / "company"
    scaffold.render({}, target)
    return target


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("staff-site") / "site"
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def reference_pages(site: Path) -> set[str]:
    """The pages the navigation lists under the ISMS reference tab, as site paths. Navigation is pruned to
    what a reader can see, so it is read on a page of that tab (the controls page)."""
    inside = (site / "isms" / "controls.html").read_text(encoding="utf-8")
    label = re.search(r'id="(__nav_\d+)_label"[^>]*>\s*<span class="md-ellipsis">\s*ISMS reference', inside)
    assert label is not None, "no ISMS reference section in the navigation"
    start = inside.index(f'aria-labelledby="{label.group(1)}_label"')
    depth, position = 1, start
    while depth:  # to the </nav> that closes the section's own <nav>
        opening, closing = inside.find("<nav", position), inside.find("</nav>", position)
        depth, position = (depth + 1, opening + 4) if 0 <= opening < closing else (depth - 1, closing + 6)
    section = inside[start:position]
    links = re.findall(r'<a href="([^"]+)" class="md-nav__link', section)
    return {posixpath.normpath(posixpath.join("isms", href.split("#")[0])) for href in links}


def test_every_link_and_script_of_every_page_opens_from_disk(site: Path) -> None:
    """Opened as files, a link must name a file: a folder's address shows a listing, not a page."""
    pages = html_pages(site)
    assert len(pages) > 40
    checked = 0
    for name, text in pages.items():
        if name == "404.html":
            continue  # only a web server shows it, for a missing address: its links start at the root
        for target in HREF.findall(text):
            parts = urlsplit(target)
            if parts.scheme or target.startswith(("#", "//")) or not parts.path:
                continue
            resolved = (site / name).parent / unquote(parts.path)
            assert resolved.is_file(), f"{name} links to {target}, which is not a file of the site"
            checked += 1
    assert checked > 1000


def test_search_and_scripts_work_without_a_server_or_the_internet(site: Path) -> None:
    index = (site / "search" / "search_index.js").read_text(encoding="utf-8")
    assert index.startswith("var __index = ") and "photograph a screen" in index
    assert "location.protocol" in (site / "assets" / "isms-offline-search.js").read_text(encoding="utf-8")
    for name, text in html_pages(site).items():
        assert "unpkg.com" not in text, f"{name} loads a script from the internet"
        external = [src for src in re.findall(r'<script src="([^"]+)"', text) if urlsplit(src).scheme]
        assert external == [], name
    policy = (site / "clear-desk-and-clear-screen.html").read_text(encoding="utf-8")
    assert '<script src="assets/isms-offline-search.js"></script>' in policy


def test_the_generated_mkdocs_yml_builds_for_disk(repo: Path) -> None:
    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nuse_directory_urls: false\n" in text
    assert "  - offline\n" in text


def test_links_follow_the_offline_plugin_whatever_the_order_of_plugins(repo: Path, tmp_path: Path) -> None:
    """Material's offline plugin turns directory URLs off in its own setup: the isms plugin sets up after
    it and writes file links, even when mkdocs.yml does not say so and lists offline after isms."""
    copy = tmp_path / "company"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns("site"))
    config = copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("use_directory_urls: false\n", "")
    text = text.replace("  - offline\n  - isms\n", "  - isms\n  - offline\n")
    assert "  - isms\n  - offline\n" in text
    config.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(copy), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    policy = (out / "clear-desk-and-clear-screen.html").read_text(encoding="utf-8")
    assert 'href="isms/controls.html#iso27001-2022-a-7-7"' in policy
    assert "unpkg.com" not in policy and "assets/isms-offline-search.js" in policy


def test_without_the_offline_plugin_no_search_stand_in(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "company"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns("site"))
    config = copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - offline\n", ""), encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(copy), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert not (out / "assets" / "isms-offline-search.js").exists()
    assert "isms-offline-search" not in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "clear-desk-and-clear-screen.html").is_file(), "links still name files"


def test_implementation_status_only_in_the_isms_reference(site: Path) -> None:
    reference = reference_pages(site)
    assert {"isms/controls.html", "isms/statement-of-applicability.html", "isms/risks.html"} <= reference
    pages = html_pages(site)
    shown = {name for name, text in pages.items() if re.search(r"Implementation( status)?:?<", text)}
    assert "isms/controls.html" in shown, "the auditor's controls page shows implementation status"
    assert shown <= reference, f"implementation status on staff pages: {sorted(shown - reference)}"
    staff = [name for name in pages if name not in reference]
    assert {"index.html", "clear-desk-and-clear-screen.html", "print_page.html"} <= set(staff)
    for name in staff:
        assert "Implementation" not in pages[name], name
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "Implementation" not in " ".join(entry["text"] for entry in index["docs"])


def test_at_most_seven_tabs_staff_sections_first(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    tabs = re.findall(
        r'<li class="md-tabs__item[^"]*">\s*<a href="[^"]*" class="md-tabs__link">\s*([^<]+?)\s*<', home
    )
    assert tabs == ["Home", "Policies", "Forms", "Procedures", "ISMS reference", "Print the handbook"]
    # Every type a document may have has its place; with all of them and an unknown one, still seven.
    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    placed = {kind for _title, kinds in STAFF_SECTIONS for kind in kinds} | set(navigation.REFERENCE_TYPES)
    assert set(schema["properties"]["type"]["enum"]) <= placed
    most = 1 + len(STAFF_SECTIONS) + 1 + 1 + 1  # home, staff sections, other documents, reference, print
    assert most <= 7


def document(name: str, kind: str, area: str = "People") -> Document:
    meta = {"id": name.upper(), "title": name.title(), "type": kind, "area": area}
    return Document(Path(f"policies/{name}.md"), f"policies/{name}.md", meta, "", 1)


def test_forms_get_their_tab_after_the_policies() -> None:
    documents = [
        document("leave", "procedure"),
        document("visitor-pass", "form", "Workplace and physical security"),
        document("acceptable-use", "policy"),
        document("scope", "isms-document", "ISMS governance"),
        document("oddity", "memo"),
    ]
    sections = staff_sections(documents)
    assert [section.title for section in sections] == ["Policies", "Forms", "Procedures", "Other documents"]
    assert [doc.id for _area, docs in sections[1].areas for doc in docs] == ["VISITOR-PASS"]
    assert [doc.id for doc in isms_documents(documents)] == ["SCOPE"]


def test_a_policy_opens_with_its_title_status_and_summary_details_folded(site: Path) -> None:
    text = (site / "clear-desk-and-clear-screen.html").read_text(encoding="utf-8")
    start = text.index("<h1")
    head = text[start : text.index("<h2", start)]
    assert "DRAFT: not approved, not in force yet" in head
    details = re.search(r"<details([^>]*)>\s*<summary>([^<]*)</summary>", head)
    assert details is not None and "open" not in details.group(1), "folded: one tap opens it"
    assert details.group(2) == "Document control: POL-CLEAR-DESK, version 0.1.0, draft"
    assert "<td>Owner</td><td>Facilities and Administration Manager</td>" in head
    summary = head.index('<p class="isms-summary"><strong>In short:</strong> Start and end every shift')
    assert summary > head.index("</details>"), "the summary comes right after the folded details"


def test_the_summary_is_escaped(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    scaffold.render({}, target)
    path = target / "policies" / "backup.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^summary: .*$", 'summary: "<b onmouseover=x>bold</b> & more"', text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(target), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "backup.html").read_text(encoding="utf-8")
    assert "<b onmouseover" not in page
    assert "<strong>In short:</strong> &lt;b onmouseover=x&gt;bold&lt;/b&gt; &amp; more</p>" in page
