"""`isms build --engine zensical`: the handbook built by Zensical from the generated pages.

The builds need Zensical (`pip install 'isms-toolkit[zensical]'`) and are skipped without it; the derived
configuration, the written pages and the missing-engine message are tested everywhere.
"""

from __future__ import annotations

import importlib.util
import json
import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli
from toolkit.handbook import zensical
from toolkit.handbook.markup import anchor
from toolkit.handbook.pages import Handbook
from toolkit.sources.site import Tagged
from toolkit.workspace import open_workspace

INSTALLED = importlib.util.find_spec("zensical") is not None
needs_zensical = pytest.mark.skipif(
    not INSTALLED, reason="Zensical is not installed (pip install 'isms-toolkit[zensical]')"
)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("zensical") / "company"
    scaffold.render({}, target)
    return target


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not INSTALLED:
        pytest.skip("Zensical is not installed (pip install 'isms-toolkit[zensical]')")
    out = tmp_path_factory.mktemp("zensical-site") / "site"
    result = CliRunner().invoke(cli, ["build", str(repo), "--engine", "zensical", "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "Handbook built with Zensical" in result.output
    return out


def page(site: Path, path: str) -> str:
    """A page of the site, which names each page's file (it opens from disk): ``.`` is the home page."""
    return (site / ("index.html" if path == "." else f"{path}.html")).read_text(encoding="utf-8")


@needs_zensical
def test_every_document_has_its_control_block_and_draft_banner(repo: Path, site: Path) -> None:
    documents = sorted((repo / "policies").glob("*.md"))
    assert documents
    for document in documents:
        text = page(site, document.stem)
        assert text.count('class="isms-document-control"') == 1, document.name
        assert '<p class="admonition-title">DRAFT: ' in text, document.name
        # under the title, as the MkDocs build puts it
        assert text.index("</h1>") < text.index('class="isms-document-control"'), document.name
    text = page(site, "clear-desk-and-clear-screen")
    assert "<td>Document id</td><td>POL-CLEAR-DESK</td>" in text
    assert f'href="isms/controls.html#{anchor("iso27001-2022:A.7.7")}"' in text
    assert "<td>Approver</td><td>Chief Information Security Officer (not approved yet)</td>" in text


@needs_zensical
def test_generated_pages_are_built_with_their_html(site: Path) -> None:
    home = page(site, ".")
    assert "Report a security incident now" in home
    controls = page(site, "isms/controls")
    assert f'id="{anchor("iso27001-2022:A.7.4")}"' in controls
    assert "No software is developed in scope" in controls
    soa = page(site, "isms/statement-of-applicability")
    assert re.search(
        r"<tr><td>A\.8\.25</td><td>Secure development life cycle</td><td>[^<]*</td><td>No</td>", soa
    )
    coverage = page(site, "isms/coverage")
    assert f'<a href="controls.html#{anchor("iso27001-2022:A.7.7")}">A.7.7</a>' in coverage
    assert "First draft generated" in page(site, "isms/changelog")
    for register in ("risks", "requirements", "assets", "suppliers"):
        assert (site / "isms" / f"{register}.html").is_file(), register
    leftovers = [path for path in site.rglob("*.html") if "ISMSBLOCK" in path.read_text(encoding="utf-8")]
    assert not leftovers, "a generated HTML block was not put into its page"
    assert (site / "assets" / "isms.css").is_file()
    assert (site / ".isms-handbook").is_file(), "the next isms build may replace the folder"
    # A page carries the navigation a reader can see (navigation.prune): its own area's documents.
    nav = re.findall(r'<a href="([^"]+)" class="md-nav__link', page(site, "cctv-and-visitor-management"))
    assert "./clear-desk-and-clear-screen.html" in nav
    assert not list(site.parent.glob(".isms-site-*")), "the temporary project folder was removed"


@needs_zensical
def test_every_link_between_pages_leads_to_a_page(site: Path) -> None:
    """Zensical rewrites relative links in HTML as it does in Markdown: the generated blocks' links must
    still lead to their pages (``../isms/controls.html``, not ``../../isms/controls.html``)."""
    checked = 0
    for built in site.rglob("*.html"):
        folder = built.parent.relative_to(site).as_posix()
        for href in re.findall(r'href="([^"#?]+)', built.read_text(encoding="utf-8")):
            if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|/", href) or not href.endswith(".html"):
                continue
            target = posixpath.normpath(posixpath.join(folder, href))
            assert not target.startswith(".."), f"{built}: {href} leaves the site"
            assert (site / target).is_file(), f"{built}: {href}"
            checked += 1
    assert checked > 1000


@needs_zensical
def test_search_leaves_out_the_reference_pages_and_document_control(site: Path) -> None:
    items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    locations = {item["location"].split("#")[0] for item in items}
    assert "clear-desk-and-clear-screen.html" in locations
    assert not [location for location in locations if location.startswith("isms/")]
    text = " ".join(item["text"] for item in items if item["location"].startswith("clear-desk"))
    assert "Lock your screen" in text
    assert "POL-CLEAR-DESK" not in text, "the document-control block is not searched"


@needs_zensical
def test_user_text_is_escaped(tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    config = repo / "mkdocs.yml"
    config.write_text(
        re.sub(
            r"(?m)^site_name: .*$", 'site_name: "Acme <script>alert(1)</script> & Co"', config.read_text()
        ),
        encoding="utf-8",
    )
    policy = repo / "policies" / "clear-desk-and-clear-screen.md"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "title: Clear Desk and Clear Screen Policy", 'title: "Clear <img src=x onerror=alert(1)> Desk"', 1
        ),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(repo), "--engine", "zensical", "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    for built in out.rglob("*.html"):
        text = built.read_text(encoding="utf-8")
        assert "<script>alert" not in text, built
        assert "<img src=x" not in text, built
    assert "Acme &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page(out, ".")


@needs_zensical
def test_a_failed_build_keeps_the_previous_site(repo: Path, site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "company"
    scaffold.render({}, broken)
    with (broken / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("  - pymdownx.nonexistent\n")  # appended to markdown_extensions
    out = tmp_path / "site"
    out.mkdir()
    (out / ".isms-handbook").write_text("previous\n")
    result = CliRunner().invoke(cli, ["build", str(broken), "--engine", "zensical", "--site-dir", str(out)])
    assert result.exit_code == 1, result.output
    assert "handbook build with Zensical failed: ModuleNotFoundError" in result.output
    assert "pymdownx.nonexistent" in result.output
    assert (out / ".isms-handbook").read_text() == "previous\n"
    assert not list(tmp_path.glob(".isms-site-*"))


@needs_zensical
def test_a_folder_that_is_not_a_site_is_refused(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "papers"
    out.mkdir()
    (out / "contract.pdf").write_bytes(b"%PDF")
    result = CliRunner().invoke(cli, ["build", str(repo), "--engine", "zensical", "--site-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert "--force" in result.output
    assert (out / "contract.pdf").is_file()


def test_without_zensical_the_build_says_how_to_install_it(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> Any:
        return None if name == "zensical" else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    result = CliRunner().invoke(
        cli, ["build", str(repo), "--engine", "zensical", "--site-dir", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "Zensical is not installed: pip install 'isms-toolkit[zensical]'" in result.output
    assert "Traceback" not in result.output
    assert "isms check passed" not in result.output, "the missing engine is reported before the check"


def test_document_page_puts_the_block_under_the_title_and_keeps_line_numbers(repo: Path) -> None:
    workspace = open_workspace(repo)
    document = next(doc for doc in workspace.documents if doc.rel == "policies/backup.md")
    source = (repo / document.rel).read_text(encoding="utf-8").split("\n")
    written, lines = zensical.document_page(document, "<div>HEADER\nROWS</div>\n\n", "policies/backup.md")
    meta = yaml.safe_load(written.split("---\n")[1])
    assert meta == {"title": "Backup Policy", "status": "draft"}
    out = written.split("\n")
    title = out.index("# Backup Policy")
    assert out[title + 1 : title + 5] == ["", "<div>HEADER", "ROWS</div>", ""]
    for number, text in enumerate(out, start=1):
        if text and not text.startswith("<div>") and text != "ROWS</div>" and number >= lines.first:
            assert source[lines.line(number) - 1] == text, number
    assert lines.line(title + 3) == source.index("# Backup Policy") + 1, "a block line names the title"


def test_a_heading_inside_a_code_fence_is_not_the_title(repo: Path) -> None:
    document = next(doc for doc in open_workspace(repo).documents if doc.rel == "policies/backup.md")
    document.body = "Intro\n\n```\n# not a title\n```\n\n# Title\n\nText\n"
    written, _lines = zensical.document_page(document, "<p>BLOCK</p>", "policies/backup.md")
    body = written.split("---\n", 2)[2]
    assert body.index("# Title") < body.index("<p>BLOCK</p>") < body.index("Text")


def test_derived_config_carries_what_zensical_understands() -> None:
    emoji = Tagged("tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji", 3, "x")
    site = {
        "site_name": "A & B <i>",
        "site_description": "<b>",
        "strict": True,
        "theme": {"name": "material", "features": ["navigation.tabs"]},
        "markdown_extensions": [{"pymdownx.emoji": {"emoji_index": emoji}}],
        "plugins": ["search", {"isms": {"nav": True}}, {"print-site": {}}, {"offline": {"enabled": True}}],
        "extra_css": ["own.css"],
    }
    handbook = Handbook([], [{"Home": "index.md"}])
    config = zensical.derived_config(site, handbook, "assets/isms.css")
    assert config["site_name"] == "A &amp; B &lt;i&gt;"
    assert config["site_description"] == "&lt;b&gt;"
    assert config["theme"] == {"name": "material", "features": ["navigation.tabs"], "variant": "classic"}
    assert config["plugins"] == [{"offline": {"enabled": True}}]
    assert config["nav"] == [{"Home": "index.md"}]
    assert config["extra_css"] == ["own.css", "assets/isms.css"]
    assert config["extra"]["status"]["draft"].startswith("Draft")
    assert (config["docs_dir"], config["site_dir"]) == ("docs", "site")
    assert "strict" not in config
    written = yaml.dump(config, Dumper=zensical._Dumper)
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in written
    own = zensical.derived_config({**site, "nav": [{"Mine": "a.md"}], "theme": "mkdocs"}, handbook, "s.css")
    assert own["nav"] == [{"Mine": "a.md"}]
    assert own["theme"] == {"name": "material", "variant": "classic"}
    off = zensical.derived_config({"plugins": [{"isms": {"nav": False}}]}, handbook, "s.css")
    assert "nav" not in off


# What Zensical 0.0.x prints for a broken link (colours removed), and for a failure.
WARNED = """Build started
Build finished in 5.66s
\x1b[33mWarning:\x1b[0m page does not exist
     ╭─[ backup.md:40:10 ]
     │
  40 │ [broken](nowhere.md)
─────╯
1 issue found
"""
FAILED = """Traceback (most recent call last):
  File "main.py", line 81, in execute_build
RuntimeError: Python error: ModuleNotFoundError: No module named 'pymdownx.nonexistent'
"""


def test_zensical_warnings_name_the_repository_file_and_line() -> None:
    lines = {"backup.md": zensical.Lines("policies/backup.md", first=5, body_line=27, at=2, added=14)}
    warnings, reason = zensical.relay(WARNED, lines)
    assert warnings == ["WARNING - zensical: policies/backup.md:48: page does not exist"]
    assert reason is None
    warnings, reason = zensical.relay(FAILED, {})
    assert reason == "ModuleNotFoundError: No module named 'pymdownx.nonexistent'"
    assert warnings == []


@needs_zensical
def test_a_file_that_cannot_be_published_stops_a_strict_build(tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    (repo / "policies" / "page.html").write_text("<script>alert(1)</script>\n")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(repo), "--engine", "zensical", "--site-dir", str(out)])
    assert result.exit_code == 1, result.output
    assert "policies/page.html is left out of the handbook: a .html file" in result.output
    assert not out.exists()
    (repo / "mkdocs.yml").write_text(
        (repo / "mkdocs.yml").read_text().replace("strict: true", "strict: false")
    )
    result = CliRunner().invoke(cli, ["build", str(repo), "--engine", "zensical", "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "policies/page.html is left out" in result.output
    assert not list(out.rglob("page*")), "the HTML file is not published"


def test_linked_folders_inside_are_walked_and_outside_are_not(tmp_path: Path) -> None:
    """Documents under a linked folder inside the repository are published as MkDocs publishes them; a
    linked folder that leads outside is not entered, with a warning, and a loop is walked once."""
    from toolkit.handbook.zensical import _walked  # noqa: PLC0415

    root = tmp_path / "repo"
    (root / "shared").mkdir(parents=True)
    (root / "shared" / "team.md").write_text("# Team\n", encoding="utf-8")
    docs = root / "policies"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n", encoding="utf-8")
    (docs / "shared").symlink_to(root / "shared", target_is_directory=True)
    (docs / "loop").symlink_to(docs, target_is_directory=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# Secret\n", encoding="utf-8")
    (docs / "out").symlink_to(outside, target_is_directory=True)
    warnings: list[str] = []
    walked = [path.relative_to(docs).as_posix() for path in _walked(docs, root, warnings)]
    assert walked == ["a.md", "shared/team.md"]
    assert warnings == ["isms: out is left out of the handbook: it leads outside the repository"]
