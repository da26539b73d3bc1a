"""Stopped or given impossible names, `isms init` and `isms build` leave nothing behind and say why.

A CI job that is cancelled gets SIGTERM: the temporary folder beside the target goes, as on Ctrl+C.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli

# Runs an isms command in which one slow step is replaced by "say so, then wait": the test can then
# terminate the process at a known point, with the temporary folder made.
SLOW_STEP = textwrap.dedent(
    """
    import sys, time
    import {module} as target
    from toolkit.cli import main

    original = target.{name}

    def slow(*args, **kwargs):
        result = original(*args, **kwargs) if {call_first} else None
        print("waiting", flush=True)
        time.sleep(60)
        return result

    target.{name} = slow
    sys.argv = ["isms", *sys.argv[1:]]
    main()
    """
)


def terminate_midway(module: str, name: str, call_first: bool, args: list[str]) -> int:
    code = SLOW_STEP.format(module=module, name=name, call_first=call_first)
    with subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line == "waiting\n", process.stderr.read() if process.stderr else line
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=30)


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_terminated_init_leaves_no_temporary_folder(tmp_path: Path) -> None:
    code = terminate_midway(
        "toolkit.scaffold", "_render_into", True, ["init", "--no-input", str(tmp_path / "company")]
    )
    assert code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_terminated_build_leaves_no_temporary_folder(tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    before = sorted(path.name for path in repo.iterdir())
    code = terminate_midway("mkdocs.commands.build", "build", False, ["build", str(repo)])
    assert code == 128 + signal.SIGTERM
    assert sorted(path.name for path in repo.iterdir()) == before, "no .isms-site-* folder, no site"


def test_a_very_long_short_name_gives_a_short_folder_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    slug = scaffold.repository_slug("Sahyadri Business Services " * 200)
    assert len(slug) <= scaffold.SLUG_LENGTH + len("-isms")
    assert slug.startswith("sahyadri-business-services-") and slug.endswith("-isms")
    assert not slug.removesuffix("-isms").endswith("-")
    result = CliRunner().invoke(cli, ["init", "--no-input", "--short-name", "a" * 5000])
    assert result.exit_code == 0, result.output
    assert [path.name for path in tmp_path.iterdir()] == [f"{'a' * scaffold.SLUG_LENGTH}-isms"]


def test_a_folder_name_too_long_is_a_clean_error(tmp_path: Path) -> None:
    target = tmp_path / ("b" * 300)
    result = CliRunner().invoke(cli, ["init", "--no-input", str(target)])
    assert result.exit_code == 2, result.output
    assert "cannot create the repository: the name is too long" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("inside", [False, True])
def test_a_symbolic_link_loop_is_a_clean_error(tmp_path: Path, inside: bool) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    target = loop / "company" if inside else loop
    result = CliRunner().invoke(cli, ["init", "--no-input", str(target)])
    assert result.exit_code == 2, result.output
    assert "cannot create the repository: a symbolic link in the path leads round in a loop" in result.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["loop"] and loop.is_symlink()
