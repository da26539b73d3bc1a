"""Strict tooling is part of the test run: ruff and mypy --strict pass, CI runs the README command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed with the test extra")
def test_ruff_lint_passes() -> None:
    result = _run("ruff", "check", "toolkit", "tests", "bench", "policy_templates")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed with the test extra")
def test_ruff_format_is_clean() -> None:
    result = _run("ruff", "format", "--check", "toolkit", "tests", "bench", "policy_templates")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes() -> None:
    result = _run(sys.executable, "-m", "mypy", "--strict", "toolkit")
    assert result.returncode == 0, result.stdout + result.stderr


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_main_command_runs_end_to_end(tmp_path: Path) -> None:
    steps = readme_commands()[0].split(" && ")
    assert steps[0] == "pip install ."
    isms = Path(sys.executable).parent / "isms"
    for step in steps[1:]:
        words = step.split()
        assert words[0] == "isms", step
        command = [str(isms)] if isms.is_file() else [sys.executable, "-m", "toolkit"]
        result = subprocess.run(
            [*command, *words[1:]], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{step}: {result.stdout}{result.stderr}"
    assert (tmp_path / "build" / "sahyadri-isms" / "site" / "index.html").is_file()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    ci_lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(("#", "set ", "cd ", "export "))
    ]
    assert ci_lines[-1] == test_command


def test_no_hand_written_module_passes_400_lines() -> None:
    long = [
        (path.relative_to(ROOT).as_posix(), count)
        for path in (ROOT / "toolkit").rglob("*.py")
        if "_validators" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert long == []
