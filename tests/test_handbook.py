"""The staff handbook: built by `isms build` and by a plain `mkdocs build`, strict, escaped, deterministic."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli
from toolkit.handbook.markup import anchor, relative_url
from toolkit.handbook.pages import build_handbook
from toolkit.workspace import open_workspace

EPOCH = "1795478400"  # 2026-11-24


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("handbook") / "company"
    scaffold.render({}, target)
    return target


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out


def page(site: Path, path: str) -> str:
    """A page of the site: the generated mkdocs.yml names each page's HTML file (no directory URLs)."""
    return (site / ("index.html" if path == "." else f"{path}.html")).read_text(encoding="utf-8")


def test_every_document_has_a_page_with_a_control_block(repo: Path, site: Path) -> None:
    for document in sorted((repo / "policies").glob("*.md")):
        text = page(site, document.stem)
        assert 'class="isms-document-control"' in text, document.name
        assert "DRAFT" in text, document.name


def test_document_control_block_contents(site: Path) -> None:
    text = page(site, "clear-desk-and-clear-screen")
    for label in (
        "Document id",
        "Version",
        "Status",
        "Owner",
        "Approver",
        "Approved on",
        "Effective",
        "Next review",
        "Classification",
        "Controls",
    ):
        assert f"<td>{label}</td>" in text, label
    assert "POL-CLEAR-DESK" in text
    assert f'href="isms/controls.html#{anchor("iso27001-2022:A.7.7")}"' in text
    assert "<td>Approver</td><td>Chief Information Security Officer (not approved yet)</td>" in text


def test_generated_pages_and_navigation(site: Path) -> None:
    home = page(site, ".")
    assert "Report a security incident now" in home
    assert "security@example.in" in home
    assert "ISO/IEC 27001:2022" in home
    controls = page(site, "isms/controls")
    assert f'id="{anchor("iso27001-2022:A.7.4")}"' in controls
    assert "Physical security monitoring" in controls
    assert "No software is developed in scope" in controls
    soa_page = page(site, "isms/statement-of-applicability")
    assert "Statement of Applicability" in soa_page
    excluded_row = r"<tr><td>A\.8\.25</td><td>Secure development life cycle</td><td>[^<]*</td><td>No</td>"
    assert re.search(excluded_row, soa_page)
    assert '">ISO/IEC 27001:2022 Annex A' in soa_page, "SoA sections are titled by catalog"
    assert 'data-md-type="navigation" hidden' in soa_page, "the wide SoA table gets the full width"
    coverage = page(site, "isms/coverage")
    assert "Coverage matrix" in coverage
    assert f'<a href="controls.html#{anchor("iso27001-2022:A.7.7")}">A.7.7</a>' in coverage
    assert "First draft generated" in page(site, "isms/changelog")
    leftovers = [path for path in site.rglob("*.html") if "ISMSBLOCK" in path.read_text(encoding="utf-8")]
    assert not leftovers, "a generated HTML block was not put into its page"
    assert (site / "print_page.html").is_file()
    # Each page carries the navigation a reader can see (navigation.prune): the open area's documents.
    nav = re.findall(r'<a href="([^"]+)" class="md-nav__link', page(site, "cctv-and-visitor-management"))
    assert "clear-desk-and-clear-screen.html" in nav


def test_search_finds_what_policies_say_not_reference_pages(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [entry["location"] for entry in index["docs"]]
    assert any(location.startswith("cctv-and-visitor-management.html") for location in locations)
    assert not [location for location in locations if location.startswith("isms/")]
    texts = " ".join(entry["text"] for entry in index["docs"])
    assert "Document control" not in texts, "control blocks stay out of search"
    assert "visitor" in texts.lower()


@pytest.mark.parametrize(
    ("source", "target", "directory_urls", "link"),
    [
        ("isms/coverage.md", "isms/controls.md", True, "../controls/"),
        ("clear-desk.md", "isms/controls.md", True, "../isms/controls/"),
        ("index.md", "isms/controls.md", True, "isms/controls/"),
        ("isms/changelog.md", "backup.md", True, "../../backup/"),
        ("isms/controls.md", "index.md", True, "../../"),
        ("isms/coverage.md", "isms/controls.md", False, "controls.html"),
        ("isms/changelog.md", "backup.md", False, "../backup.html"),
        ("index.md", "backup.md", False, "backup.html"),
        ("isms/controls.md", "index.md", False, "../index.html"),  # opened from disk, "../" is a listing
        ("backup.md", "isms/index.md", False, "isms/index.html"),
    ],
)
def test_links_between_pages_are_relative(source: str, target: str, directory_urls: bool, link: str) -> None:
    assert relative_url(source, target, directory_urls) == link


def nav_paths(entries: object) -> list[str]:
    """Every page path below a navigation entry."""
    if isinstance(entries, str):
        return [entries]
    if isinstance(entries, dict):
        return [path for value in entries.values() for path in nav_paths(value)]
    assert isinstance(entries, list)
    return [path for entry in entries for path in nav_paths(entry)]


def test_navigation_puts_staff_documents_first_by_type_then_area(repo: Path) -> None:
    handbook = build_handbook(open_workspace(repo, today=dt.date(2026, 11, 24)))
    sections = [next(iter(item)) for item in handbook.nav]
    assert sections == ["Home", "Policies", "Forms", "Procedures", "ISMS reference"]
    types = {}
    for document in (repo / "policies").glob("*.md"):
        kind = re.search(r"^type: (\S+)$", document.read_text(encoding="utf-8"), re.MULTILINE)
        assert kind is not None, document.name
        types[document.name] = kind.group(1)
    policies, forms, procedures, reference = (handbook.nav[i][sections[i]] for i in (1, 2, 3, 4))
    assert sorted(nav_paths(policies)) == sorted(n for n, t in types.items() if t == "policy")
    assert sorted(nav_paths(forms)) == sorted(n for n, t in types.items() if t == "form")
    assert sorted(nav_paths(procedures)) == sorted(
        n for n, t in types.items() if t in ("procedure", "standard")
    )
    own = next(entry["ISMS documents"] for entry in reference if "ISMS documents" in entry)
    assert sorted(nav_paths(own)) == sorted(n for n, t in types.items() if t == "isms-document")
    # Inside a section, documents are grouped by area, the known areas in their order.
    areas = [next(iter(entry)) for entry in policies]
    assert areas[:3] == ["ISMS governance", "People", "Workplace and physical security"]
    assert sorted(nav_paths(handbook.nav)) == sorted([*types, *(p.path for p in handbook.pages)])


def test_plain_mkdocs_build_uses_the_plugin(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert 'class="isms-document-control"' in (out / "access-control.html").read_text(encoding="utf-8")


def test_build_stops_when_the_check_fails(repo: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    scaffold.render({}, broken)
    for name in ("backup.md", "ict-disaster-recovery-plan.md"):  # the documents that cite A.8.13
        path = broken / "policies" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace("  - iso27001-2022:A.8.13\n", ""), encoding="utf-8"
        )
    result = CliRunner().invoke(cli, ["build", str(broken), "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "control-missing" in result.output
    assert not (tmp_path / "site").exists()


def test_build_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    target = tmp_path / "Documents"
    target.mkdir()
    (target / "board-minutes.docx").write_bytes(b"not ours")
    refused = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(target)])
    assert refused.exit_code == 2
    assert str(target) in refused.stderr and "--force" in refused.stderr
    assert sorted(p.name for p in target.iterdir()) == ["board-minutes.docx"]
    forced = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert (target / "index.html").is_file() and not (target / "board-minutes.docx").exists()


def test_rebuild_replaces_the_site_and_a_failed_build_keeps_the_old_one(tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    site = repo / "site"
    first = CliRunner().invoke(cli, ["build", str(repo)])
    assert first.exit_code == 0, first.output
    (site / "stale.html").write_text("from an old build", encoding="utf-8")
    again = CliRunner().invoke(cli, ["build", str(repo)])
    assert again.exit_code == 0, again.output
    assert not (site / "stale.html").exists(), "a rebuild replaces the whole site"
    before = (site / "backup.html").read_bytes()
    path = repo / "policies" / "backup.md"
    link = "\nSee [a missing section](access-control.md#no-such-section).\n"
    path.write_text(path.read_text(encoding="utf-8") + link, encoding="utf-8")
    failed = CliRunner().invoke(cli, ["build", str(repo)])  # mkdocs.yml is strict: the anchor fails it
    assert failed.exit_code == 1
    assert "handbook build failed" in failed.stderr
    assert "no-such-section" in failed.stderr, "the MkDocs warning that stopped the build is shown"
    assert (site / "backup.html").read_bytes() == before
    assert [p.name for p in repo.iterdir() if p.name.startswith(".isms-site")] == []


def test_mkdocs_strict_fails_on_check_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    scaffold.render({}, broken)
    path = broken / "policies" / "backup.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("iso27001-2022:A.8.13", "iso27001-2022:A.8.99"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=broken,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "unknown-control" in result.stderr


NASTY_TITLE = '<script>alert("x")</script> & <b>Bold</b>'


def test_user_metadata_is_escaped(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    scaffold.render({"incident_email": "<img src=x onerror=alert(1)>@example.in"}, target)
    path = target / "policies" / "backup.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace('title: "Backup Policy"', f"title: {json.dumps(NASTY_TITLE)}")
    text = re.sub(r"owner: .*", 'owner: "<i>Owner</i> | pipe"', text, count=1)
    path.write_text(text, encoding="utf-8")
    config = target / "isms.yml"  # the owner must be a role: give the role that title
    roles = config.read_text(encoding="utf-8").replace(
        "roles:\n", 'roles:\n  nasty:\n    title: "<i>Owner</i> | pipe"\n', 1
    )
    config.write_text(roles, encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(target), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    everything = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "<script>alert(" not in everything
    assert "<img src=x" not in everything
    assert "<i>Owner</i>" not in everything
    assert html.escape("<i>Owner</i>", quote=False) in page(out, "backup")


def test_build_is_deterministic(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    outputs = []
    for attempt in range(2):
        out = tmp_path / f"site{attempt}"
        result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(
            {
                p.relative_to(out).as_posix(): p.read_bytes()
                for p in out.rglob("*")
                if p.is_file() and p.suffix != ".gz"
            }
        )
    assert outputs[0].keys() == outputs[1].keys()
    different = [name for name in outputs[0] if outputs[0][name] != outputs[1][name]]
    assert different == []


def test_overdue_document_shows_a_notice(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    scaffold.render({}, target)
    runner = CliRunner()
    runner.invoke(cli, ["approve", "POL-BACKUP", "--by", "CEO", "--on", "2020-01-01", "--repo", str(target)])
    out = tmp_path / "site"
    assert runner.invoke(cli, ["build", str(target), "--site-dir", str(out)]).exit_code == 0
    text = page(out, "backup")
    assert "Review overdue" in text and "DRAFT" not in text
    # Navigation marks drafts with a labelled status and approved documents with none.
    assert "md-status--approved" not in text
    assert "Draft: not approved, not in force" in text


def test_serve_checks_first_and_refuses_a_failing_repository(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    scaffold.render({}, broken)
    (broken / "policies" / "backup.md").write_text("no front matter\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["serve", str(broken)])
    assert result.exit_code == 1
    assert "front-matter-missing" in result.output


def test_serve_on_a_taken_address_is_a_clean_error(repo: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        result = CliRunner().invoke(cli, ["serve", str(repo), "--dev-addr", address])
    assert result.exit_code == 2, result.output
    assert f"cannot serve the handbook on {address}" in result.stderr


def test_build_without_mkdocs_yml_is_a_clean_error(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    scaffold.render({}, target)
    (target / "mkdocs.yml").unlink()
    result = CliRunner().invoke(cli, ["build", str(target)])
    assert result.exit_code == 2
    assert "no mkdocs.yml" in result.stderr


def test_isms_build_hands_its_checked_workspace_to_the_plugin(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The repository is opened and checked once per `isms build`: the plugin reads nothing again."""
    from toolkit.handbook import plugin  # noqa: PLC0415

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the plugin opened the repository a second time")

    monkeypatch.setattr(plugin, "open_workspace", refuse)
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
