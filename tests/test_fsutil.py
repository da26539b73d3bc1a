"""Files the toolkit writes: whole or not at all, and with the permissions a normal write would give."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli
from toolkit.fsutil import write_atomic


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_gets_the_umask_default(tmp_path: Path, umask_022: None) -> None:
    write_atomic(tmp_path / "report.json", "{}")
    assert mode(tmp_path / "report.json") == 0o644


def test_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    path = tmp_path / "policy.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "new" and mode(path) == 0o640


@pytest.mark.parametrize(("umask", "expected"), [(0o002, 0o664), (0o077, 0o600)])
def test_generated_repository_files_follow_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    previous = os.umask(umask)
    try:
        scaffold.render({}, tmp_path / "company")
    finally:
        os.umask(previous)
    modes = {mode(path) for path in (tmp_path / "company").rglob("*") if path.is_file()}
    assert modes == {expected}


def test_built_site_can_be_served_by_another_user(tmp_path: Path, umask_022: None) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    result = CliRunner().invoke(cli, ["build", str(repo)])
    assert result.exit_code == 0, result.output
    assert mode(repo / "site") == 0o755
    assert mode(repo / "site" / "index.html") == 0o644


def test_unwritable_targets_are_clean_errors(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    init = CliRunner().invoke(cli, ["init", "--no-input", str(blocker / "company")])
    assert init.exit_code == 2, init.output
    assert f"{blocker / 'company'}: cannot create the repository: {blocker} is a file" in init.stderr
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    build = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(blocker / "site")])
    assert build.exit_code == 2, build.output
    assert "cannot write the site" in build.stderr
