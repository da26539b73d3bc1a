"""Hostile and careless repositories: link loops, folders outside the repository, special files.

Each case is a repository a pull request could bring; the check must answer with findings (or a clean
usage error), never hang, never read outside the repository and never show a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from toolkit.cli import cli


def _loop_to_self(policies: Path) -> None:
    (policies / "loop").symlink_to(".", target_is_directory=True)


def _loop_between_two(policies: Path) -> None:
    (policies / "a").symlink_to("b")
    (policies / "b").symlink_to("a")


def _document_linked_to_itself(policies: Path) -> None:
    (policies / "x.md").symlink_to("x.md")


def _folder_link_out(policies: Path) -> None:
    (policies / "etc").symlink_to("/etc", target_is_directory=True)


CASES: dict[str, tuple[Callable[[Path], None], set[tuple[str, str]]]] = {
    "loop to itself": (_loop_to_self, set()),
    "loop between two links": (_loop_between_two, set()),
    "document linked to itself": (_document_linked_to_itself, {("file-unreadable", "policies/x.md")}),
    "folder linked outside": (_folder_link_out, {("file-outside-repository", "policies/etc")}),
}


def check(repo: Path) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(cli, ["check", str(repo), "-f", "json", "--today", "2026-06-01"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    findings = json.loads(result.stdout)["findings"] if result.stdout.startswith("{") else []
    return result.exit_code, findings, result.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_links_under_the_documents_folder_give_findings(tmp_path: Path, name: str) -> None:
    make, expected = CASES[name]
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    make(repo / "policies")
    exit_code, findings, _stderr = check(repo)
    errors = {(str(f["code"]), str(f["file"])) for f in findings if f["level"] == "error"}
    assert errors == expected
    assert exit_code == (1 if expected else 0)
    assert len({f["file"] for f in findings if str(f["file"]).endswith("clear-desk.md")}) <= 1


@pytest.mark.parametrize("folder", ["/etc", "../../..", ".."])
def test_a_documents_folder_outside_the_repository_is_refused(tmp_path: Path, folder: str) -> None:
    repo = tmp_path / "deep" / "er" / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    config = repo / "isms.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"documents_dir: {folder}\n", encoding="utf-8")
    exit_code, findings, _stderr = check(repo)
    assert exit_code == 1
    missing = [f for f in findings if f["code"] == "documents-missing"]
    assert missing and "outside the repository" in str(missing[0]["message"])
    assert all(not str(f["file"]).startswith(("/", "..")) for f in findings)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("name", ["isms.yml", "soa.yml"])
def test_a_configuration_file_that_is_a_fifo_is_a_finding(tmp_path: Path, name: str) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    (repo / name).unlink()
    os.mkfifo(repo / name)
    exit_code, findings, _stderr = check(repo)
    assert exit_code == 1
    assert ("file-special", name) in {(f["code"], f["file"]) for f in findings}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " java\tscript:alert(1)",
        "java&#115;cript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_disguised_script_urls_are_recognised(url: str) -> None:
    from toolkit.rules.markup import dangerous_url  # noqa: PLC0415

    assert dangerous_url(url)


@pytest.mark.parametrize("url", ["https://example.org", "infosec.md#scope", "mailto:security@example.in"])
def test_ordinary_urls_are_not_flagged(url: str) -> None:
    from toolkit.rules.markup import dangerous_url  # noqa: PLC0415

    assert not dangerous_url(url)
    assert not dangerous_url("data:image/png;base64,iVBORw0KGgo=")


def test_control_characters_never_reach_a_report(tmp_path: Path) -> None:
    """An escape sequence in front matter or a file name is shown escaped, in every format; JUnit parses."""
    from junitparser import JUnitXml  # noqa: PLC0415

    from toolkit.outputs import names  # noqa: PLC0415

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    hostile = "\x1b]0;owned\x07\x1b[2J\x00\u202e"
    config = repo / "isms.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "short_name: Demo", f'short_name: "Demo{hostile.encode("unicode_escape").decode()}"'
        ),
        encoding="utf-8",
    )
    (repo / "policies" / f"bad{chr(0x1B)}name.md").write_text(
        f'---\nid: "POL-\\e[31mRED"\ntitle: x\n---\n\n[broken](missing{chr(0x1B)}.md)\n', encoding="utf-8"
    )
    for output_format in names("check"):
        result = CliRunner().invoke(cli, ["check", str(repo), "-f", output_format, "--today", "2026-06-01"])
        assert result.exit_code == 1, result.output
        raw = [ch for ch in result.stdout if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]
        assert raw == [], (output_format, raw)
        assert "\u202e" not in result.stdout
        assert "\\x1b" in result.stdout or "\\\\x1b" in result.stdout, output_format
        if output_format == "junit":
            assert JUnitXml.fromstring(result.stdout) is not None


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="permissions do not stop root from reading"
)
@pytest.mark.parametrize("mode", [0o000, 0o444])
def test_a_folder_that_cannot_be_read_or_entered_is_a_finding(tmp_path: Path, mode: int) -> None:
    """0o000: not even listed; 0o444: listed but not entered. Either way a finding names it."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    locked = repo / "policies" / "locked"
    locked.mkdir()
    (locked / "hidden.md").write_text("---\nid: POL-HIDDEN\n---\n", encoding="utf-8")
    locked.chmod(mode)
    try:
        exit_code, findings, _stderr = check(repo)
    finally:
        locked.chmod(0o755)
    assert exit_code == 1
    assert any(f["code"] == "file-unreadable" and "locked" in str(f["file"]) for f in findings), findings


def test_a_folder_the_walk_cannot_list_is_a_finding_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path as above, for root too: listing the folder fails as it would without permission."""
    import errno  # noqa: PLC0415

    from toolkit.sources import documents  # noqa: PLC0415

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    (repo / "policies" / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(documents.os, "scandir", scandir)
    exit_code, findings, _stderr = check(repo)
    assert exit_code == 1
    found = [f for f in findings if f["code"] == "file-unreadable"]
    assert [f["file"] for f in found] == ["policies/locked"]
    assert "Permission denied" in str(found[0]["message"])
