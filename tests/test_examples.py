"""One test per example repository in tests/examples/: exact findings and exit code.

Each folder holds ``repo/`` (a small policy repository) and ``case.yml`` (the arguments, the expected
exit code and the expected findings as code, file, line and level). A regression case is a new folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from toolkit.cli import cli
from toolkit.outputs import names

FORMATS = names("check")

CASES = sorted(path.name for path in EXAMPLES.iterdir() if (path / "case.yml").is_file())


def load_case(name: str) -> dict:
    with (EXAMPLES / name / "case.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def run(runner: CliRunner, name: str, *extra: str):
    case = load_case(name)
    repo = EXAMPLES / name / "repo"
    return runner.invoke(cli, ["check", str(repo), *[str(arg) for arg in case["args"]], *extra])


def test_there_are_valid_and_invalid_cases() -> None:
    expectations = [load_case(name)["exit_code"] for name in CASES]
    assert expectations.count(0) >= 3
    assert expectations.count(1) >= 15


@pytest.mark.parametrize("name", CASES)
def test_example(runner: CliRunner, name: str) -> None:
    case = load_case(name)
    result = run(runner, name, "--format", "json")
    assert result.exit_code == case["exit_code"], result.output
    if case["exit_code"] == 2:
        assert case["stderr_contains"] in result.stderr
        assert "Traceback" not in result.output
        return
    report = json.loads(result.stdout)
    found = [
        {"code": f["code"], "file": f["file"], "line": f["line"], "level": f["level"]}
        for f in report["findings"]
    ]
    assert found == case["findings"]
    assert report["passed"] is (case["exit_code"] == 0)


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("name", CASES)
def test_every_format_handles_every_example(runner: CliRunner, name: str, output_format: str) -> None:
    """No traceback, the same exit code, whatever the format."""
    case = load_case(name)
    result = run(runner, name, "--format", output_format)
    assert result.exit_code == case["exit_code"], result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def test_example_files_are_utf8_except_the_encoding_case() -> None:
    """Guards the corpus itself: only file-encoding holds a non-UTF-8 file."""
    bad = []
    for path in EXAMPLES.rglob("*.md"):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            bad.append(path.relative_to(EXAMPLES).parts[0])
    assert bad == ["file-encoding"]


def test_fixture_repositories_do_not_depend_on_checkout_paths() -> None:
    for path in EXAMPLES.rglob("*.yml"):
        assert "/work/" not in path.read_text(encoding="utf-8"), Path(path)
