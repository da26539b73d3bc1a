"""The handbook publishes only the repository's own pages and pictures, and no script from its files.

It goes to every member of staff and is built in CI from pull requests by many authors: a link to a file
outside the repository, an HTML or SVG file, a FIFO, a folder named like a ``javascript:`` URL or a
company name holding HTML must never put anything but plain text on the site.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES, time_limit
from toolkit.cli import cli
from toolkit.errors import IsmsError
from toolkit.handbook.pages import relative_url
from toolkit.handbook.plugin import build_date
from toolkit.handbook.published import left_out

OUTSIDE_MARKER = "OUTSIDE-OUTSIDE_MARKER-4f1c9a"
PAYLOAD = '<script>alert("evil")</script>'
SHORT_NAME = "<img src=x onerror=alert(1)>"
SCHEME_FOLDER = "javascript:alert(document.domain)"
DOCUMENT = """\
---
id: POL-ODD-FOLDER
title: Odd Folder Policy
type: policy
status: draft
version: 0.1.0
owner: Chief Information Security Officer
approver: Chief Information Security Officer
classification: internal
controls:
  - iso27001-2022:A.7.7
changelog:
  - {version: 0.1.0, date: 2026-01-01, summary: First draft}
---

# Odd Folder Policy

Kept in a folder whose name looks like a URL.
"""


Built = tuple[Path, "subprocess.CompletedProcess[str]"]


def passwd_line() -> str | None:
    path = Path("/etc/passwd")
    return path.read_text(encoding="utf-8").splitlines()[0] if path.is_file() else None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A repository holding every kind of file that must not be published, built without strict."""
    base = tmp_path_factory.mktemp("unsafe")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"{OUTSIDE_MARKER}\n", encoding="utf-8")
    (outside / "picture.png").write_text(f"{OUTSIDE_MARKER} in a picture\n", encoding="utf-8")
    repo = base / "company"
    runner = CliRunner()
    made = runner.invoke(cli, ["init", "--no-input", "--short-name", SHORT_NAME, str(repo)])
    assert made.exit_code == 0, made.output
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("strict: true", "strict: false"), "utf-8")
    policies = repo / "policies"
    (policies / "secret.txt").symlink_to(outside / "secret.txt")
    (policies / "passwd.txt").symlink_to("/etc/passwd")
    (policies / "linked").symlink_to(outside, target_is_directory=True)
    (policies / "evil.html").write_text(f"<p>Hello</p>{PAYLOAD}\n", encoding="utf-8")
    (policies / "evil.js").write_text('alert("evil");\n', encoding="utf-8")
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{PAYLOAD}</svg>\n'
    (policies / "diagram.svg").write_text(svg, encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(policies / "pipe.md")
        os.mkfifo(policies / "pipe.txt")
    (policies / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (policies / SCHEME_FOLDER).mkdir()
    (policies / SCHEME_FOLDER / "odd.md").write_text(DOCUMENT, encoding="utf-8")
    site = base / "site"
    with time_limit():  # a FIFO read by the check would block it
        refused = runner.invoke(cli, ["build", str(repo), "--site-dir", str(site)])
    assert refused.exit_code == 1, refused.output  # the check names them first
    check = runner.invoke(cli, ["check", str(repo), "-f", "json"])
    found = {(f["code"], f["file"]) for f in json.loads(check.stdout)["findings"] if f["level"] == "error"}
    expected = {
        ("file-outside-repository", f"policies/{name}") for name in ("secret.txt", "passwd.txt", "linked")
    }
    if hasattr(os, "mkfifo"):
        expected |= {("file-special", "policies/pipe.md"), ("file-special", "policies/pipe.txt")}
    assert found == expected
    # A plain `mkdocs build` does not stop at the check: the plugin itself leaves the files out.
    with time_limit():  # a FIFO read by the build would block it
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
            capture_output=True,
            text=True,
            check=False,
            cwd=base,
        )
    assert result.returncode == 0, result.stderr
    return site, result


def test_nothing_from_outside_the_repository_and_no_script_is_published(
    built: Built,
) -> None:
    site, result = built
    everything = b"".join(path.read_bytes() for path in site.rglob("*") if path.is_file())
    assert OUTSIDE_MARKER.encode() not in everything
    line = passwd_line()
    assert line is None or line.encode() not in everything
    assert PAYLOAD.encode() not in everything
    assert b'alert("evil")' not in everything
    for name in ("secret.txt", "passwd.txt", "linked", "evil.html", "evil.js", "diagram.svg", "pipe"):
        assert not list(site.glob(f"{name}*")), name
    assert (site / "logo.png").is_file(), "pictures of the repository's own are published"
    for name in ("secret.txt", "passwd.txt", "linked/secret.txt", "linked/picture.png"):
        assert f"policies/{name} is left out of the handbook: it is a link to a file outside" in result.stderr
    assert "policies/evil.html is left out of the handbook: a .html file is not part" in result.stderr
    assert "policies/diagram.svg is left out" in result.stderr
    if hasattr(os, "mkfifo"):
        assert (
            "policies/pipe.md is left out of the handbook: it is a FIFO, not a regular file" in result.stderr
        )


def test_company_name_is_escaped_on_every_page(built: Built) -> None:
    site, _result = built
    pages = list(site.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        assert "<img src=x" not in path.read_text(encoding="utf-8"), path
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt; Policy Handbook</title>" in home
    assert 'title="&lt;img src=x onerror=alert(1)&gt; Policy Handbook"' in home, "escaped once, not twice"


def test_a_folder_named_like_a_url_scheme_gives_no_script_link(
    built: Built,
) -> None:
    site, _result = built
    links = set()
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", text, re.IGNORECASE), path
        links |= {
            (path.relative_to(site).as_posix(), link) for link in re.findall(r'href="([^"]*odd\.html)"', text)
        }
    assert ("index.html", "javascript%3Aalert%28document.domain%29/odd.html") in links
    assert ("isms/changelog.html", "../javascript%3Aalert%28document.domain%29/odd.html") in links
    assert (site / SCHEME_FOLDER / "odd.html").is_file(), "the encoded links lead to the page"


@pytest.mark.parametrize(
    ("source", "target", "link"),
    [
        ("index.md", "javascript:alert(1)/a.md", "javascript%3Aalert%281%29/a/"),
        ("isms/controls.md", 'a"b <c>/d.md', "../../a%22b%20%3Cc%3E/d/"),
        ("index.md", "data:text/html,x.md", "data%3Atext/html%2Cx/"),
    ],
)
def test_links_from_paths_are_encoded(source: str, target: str, link: str) -> None:
    assert relative_url(source, target, True) == link


def test_the_published_kinds_of_file(tmp_path: Path) -> None:
    for name in ("a.md", "b.PNG", "c.jpeg", "d.webp", "e.pdf", "f.css"):
        (tmp_path / name).write_text("x", encoding="utf-8")
        assert left_out(tmp_path / name, tmp_path) is None, name
    for name in ("a.html", "b.htm", "c.js", "d.svg", "e.txt", "Makefile"):
        (tmp_path / name).write_text("x", encoding="utf-8")
        assert left_out(tmp_path / name, tmp_path) is not None, name
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    assert "cannot be read" in str(left_out(tmp_path / "loop.md", tmp_path))


@pytest.mark.parametrize("value", ["", " ", "abc", "-1", "1e9", "١٢٣", "99999999999999", "9" * 400])
def test_a_malformed_source_date_epoch_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(IsmsError, match="environment variable SOURCE_DATE_EPOCH is"):
        build_date()
    result = CliRunner().invoke(cli, ["build", str(EXAMPLES / "valid-minimal" / "repo")])
    assert result.exit_code == 2, result.output
    assert "Error: the environment variable SOURCE_DATE_EPOCH is" in result.stderr
    assert len(result.stderr) < 400, "a long value is shortened"


def test_source_date_epoch_sets_the_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795478400")
    assert build_date() == dt.date(2026, 11, 24)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert build_date() == dt.date.today()


@pytest.mark.parametrize("address", ["127.0.0.1:99999", "localhost", "127.0.0.1:0", ":8000", "host:80a"])
def test_serve_refuses_a_malformed_address(address: str) -> None:
    result = CliRunner().invoke(
        cli, ["serve", str(EXAMPLES / "valid-minimal" / "repo"), "--dev-addr", address]
    )
    assert result.exit_code == 2, result.output
    assert "is not HOST:PORT with a port from 1 to 65535" in result.stderr


@pytest.mark.parametrize(
    "line",
    [
        "site_name: !!python/object/apply:pathlib.Path.touch "
        '[!!python/object/apply:pathlib.Path ["{marker}"]]',
        "site_name: !!python/object/apply:os.system [\"touch '{marker}'\"]",
        "hooks: ['{marker}.py']",
    ],
)
def test_isms_build_runs_no_code_from_mkdocs_yml(tmp_path: Path, line: str) -> None:
    """MkDocs' loader runs Python tags and hooks: isms build refuses the file before MkDocs reads it."""
    repo = tmp_path / "company"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--no-input", str(repo)]).exit_code == 0
    marker = tmp_path / "ran"
    (tmp_path / "ran.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if line.startswith("site_name:"):
        text = text.replace("site_name: ", "# site_name: ", 1)
    config.write_text(f"{line.format(marker=marker)}\n{text}", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(repo)])
    assert result.exit_code == 1, result.output
    assert "handbook-config-unsafe" in result.output
    assert not marker.exists()
    assert not (repo / "site").exists()


def test_an_environment_variable_never_reaches_the_handbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``!ENV`` would copy a CI secret into every page: the check refuses it and nothing is built."""
    monkeypatch.setenv("ISMS_TEST_SECRET", "secret-4f1c9a")
    repo = tmp_path / "company"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--no-input", str(repo)]).exit_code == 0
    config = repo / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "copyright: !ENV ISMS_TEST_SECRET\n", encoding="utf-8")
    result = runner.invoke(cli, ["build", str(repo)])
    assert result.exit_code == 1, result.output
    assert "!ENV" in result.output
    assert not (repo / "site").exists()


@pytest.mark.parametrize(
    "target", [".git/config", "isms.yml", "records/nonconformities.yml", "registers/risks.png"]
)
def test_a_picture_that_leads_to_a_repository_file_is_not_published(tmp_path: Path, target: str) -> None:
    """A link named like a picture must lead to a picture of a published folder: `logo.png` leading to
    `.git/config` (which holds a CI job's token) would put that file on the staff's site."""
    (tmp_path / target).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / target).write_text("[remote]\n", encoding="utf-8")
    (tmp_path / "policies").mkdir()
    link = tmp_path / "policies" / "logo.png"
    link.symlink_to(tmp_path / target)
    assert left_out(link, tmp_path) is not None
    (tmp_path / "policies" / "real.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "policies" / "alias.png").symlink_to(tmp_path / "policies" / "real.png")
    assert left_out(tmp_path / "policies" / "alias.png", tmp_path) is None  # a picture linked inside stays


def test_without_the_isms_plugin_the_site_name_is_not_escaped_so_markup_is_refused(tmp_path: Path) -> None:
    """The isms plugin escapes site_name, site_description and site_author; a mkdocs.yml that leaves the
    plugin out gets no such escaping, so markup there is refused too."""
    from toolkit.rules.site import problems  # noqa: PLC0415

    data = {"site_name": "<img src=x onerror=alert(1)>", "plugins": ["search"]}
    assert [path for path, _message in problems(data, tmp_path)] == [["site_name"]]
    assert list(problems({**data, "plugins": ["search", "isms"]}, tmp_path)) == []
    assert [path for path, _ in problems({"docs_dir": "po\x00l"}, tmp_path)] == [["docs_dir"]]


def test_the_preview_checks_mkdocs_yml_before_each_reload(tmp_path: Path) -> None:
    """`isms serve` checks once, then MkDocs reloads mkdocs.yml (with a loader that runs Python tags)
    before every rebuild: each reload is checked first, and a refused file is never handed to MkDocs."""
    from mkdocs.exceptions import ConfigurationError  # noqa: PLC0415

    from toolkit.handbook.preview import _checked_first  # noqa: PLC0415

    repo = tmp_path / "company"
    assert CliRunner().invoke(cli, ["init", "--no-input", str(repo)]).exit_code == 0
    config = repo / "mkdocs.yml"
    loaded: list[str] = []
    load = _checked_first(lambda **kwargs: loaded.append(kwargs["config_file"]), config)
    load(config_file=str(config))
    assert loaded == [str(config)]
    marker = tmp_path / "ran"
    config.write_text(f"hooks: [{marker!s}.py]\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(
        ConfigurationError, match=r"mkdocs.yml is refused: mkdocs.yml:1: hooks runs Python files"
    ):
        load(config_file=str(config))
    assert loaded == [str(config)], "the refused file never reached MkDocs"
