"""The command line: help, version, exit codes, and a light start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from toolkit import __version__
from toolkit.cli import cli


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"isms, version {__version__}\n"


def test_help_lists_commands_and_exit_codes(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].strip().splitlines()}
    assert {"init", "check", "build", "serve", "soa", "approve", "review", "controls", "changes"} <= listed
    assert "Exit codes: 0 passed, 1 findings" in result.output


@pytest.mark.parametrize("group", [[], ["controls"]])
def test_command_lists_read_in_full(runner: CliRunner, group: list[str]) -> None:
    output = runner.invoke(cli, [*group, "--help"]).output
    commands = output.split("Commands:")[1].strip().splitlines()
    assert commands and all(not line.endswith("...") for line in commands), commands


def test_missing_directory_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_bad_date_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(EXAMPLES / "valid-minimal" / "repo"), "--today", "31/12/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", str(EXAMPLES / "valid-minimal" / "repo"), "--format", "pdf"])
    assert result.exit_code == 2


def test_unwritable_output_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(
        cli, ["check", str(EXAMPLES / "valid-minimal" / "repo"), "-o", str(blocker / "r.txt")]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


def test_check_defaults_to_the_current_directory(tmp_path: Path) -> None:
    repo = EXAMPLES / "valid-minimal" / "repo"
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "check", "--today", "2026-06-01"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "PASSED" in result.stdout


@pytest.mark.parametrize(
    ("example", "args", "code"),
    [
        ("valid-minimal", ["-f", "json"], 0),
        ("approval-unsealed-strict", ["-f", "sarif", "--strict"], 1),
        ("schema-front-matter", ["-f", "junit"], 1),
        ("approved-text-changed", [], 1),
    ],
)
def test_check_run_as_a_program_prints_the_whole_report_and_its_exit_code(
    runner: CliRunner, tmp_path: Path, example: str, args: list[str], code: int
) -> None:
    """``isms check`` leaves without tearing the interpreter down: nothing of the report may be lost,
    whether it goes to a pipe or to a file, and the exit code is the check's."""
    repo = EXAMPLES / example / "repo"
    command = ["check", str(repo), "--today", "2026-06-01", *args]
    expected = runner.invoke(cli, command)
    assert expected.exit_code == code, expected.output
    piped = subprocess.run([sys.executable, "-m", "toolkit", *command], capture_output=True, check=False)
    assert piped.returncode == code, piped.stderr
    assert piped.stdout.decode("utf-8") == expected.stdout
    report = tmp_path / "report.out"
    written = subprocess.run(
        [sys.executable, "-m", "toolkit", *command, "-o", str(report)], capture_output=True, check=False
    )
    assert written.returncode == code, written.stderr
    assert report.read_text(encoding="utf-8") == expected.stdout
    assert b"report written to" in written.stderr


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from toolkit.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('jsonschema', 'fastjsonschema', 'yaml', 'cookiecutter', 'mkdocs', 'rich', "
        "'openpyxl', 'jinja2', 'weasyprint', 'pypdf', 'markdown') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "HEAVY="


def test_an_error_shows_its_cause_on_one_line(runner: CliRunner, tmp_path: Path) -> None:
    """The low-level reason behind an error is said once, under it, without a traceback."""
    from toolkit.cli import describe  # noqa: PLC0415
    from toolkit.errors import OutputError  # noqa: PLC0415

    try:
        try:
            raise ValueError("the disk said no")
        except ValueError as exc:
            raise OutputError("cannot write", path="r.json") from exc
    except OutputError as error:
        assert describe(error) == "Error: r.json: cannot write\n  cause: ValueError: the disk said no"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(cli, ["check", str(EXAMPLES / "valid-minimal" / "repo"), "-o", str(blocker / "r")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") <= 2 and "Traceback" not in result.stderr


def test_every_command_group_uses_the_same_format_names(runner: CliRunner) -> None:
    """`markdown` everywhere (the SoA's `md` still accepted), choices read from one registry."""
    for command in (["check"], ["soa"], ["review"], ["changes"]):
        help_text = runner.invoke(cli, [*command, "--help"]).output
        assert "--format" in help_text and "-o, --output" in help_text, command
    assert "markdown" in runner.invoke(cli, ["soa", "--help"]).output
    valid = str(EXAMPLES / "valid-minimal" / "repo")
    by_alias = runner.invoke(cli, ["soa", valid, "-f", "md", "--today", "2026-06-01"])
    by_name = runner.invoke(cli, ["soa", valid, "-f", "markdown", "--today", "2026-06-01"])
    assert by_alias.exit_code == 0 and by_alias.stdout == by_name.stdout


SUBFOLDER = "REPO/policies"


@pytest.mark.parametrize(
    "command",
    [
        ["check", SUBFOLDER, "--today", "2026-06-01"],
        ["soa", SUBFOLDER, "-f", "csv", "--today", "2026-06-01"],
        ["review", SUBFOLDER, "--today", "2026-06-01"],
        ["controls", "transition", SUBFOLDER],
        ["build", SUBFOLDER, "--site-dir", "SITE"],
    ],
)
def test_every_command_finds_the_repository_from_a_subfolder(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    """Given policies/ (or run there), a command works on the repository, not on a nested new one."""
    import shutil  # noqa: PLC0415

    from toolkit import scaffold  # noqa: PLC0415

    repo = tmp_path / "company"
    if command[0] == "build":
        scaffold.render({}, repo)
    else:
        shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    words = [word.replace("REPO", str(repo)).replace("SITE", str(tmp_path / "site")) for word in command]
    result = runner.invoke(cli, words)
    assert result.exit_code == 0, result.output
    assert "not a policy repository" not in result.output


def test_periods_and_2013_ids_read_as_people_write_them(runner: CliRunner) -> None:
    valid = str(EXAMPLES / "valid-minimal" / "repo")
    year = runner.invoke(cli, ["review", valid, "--within", "1y", "--today", "2026-06-01", "-f", "json"])
    assert year.exit_code == 0, year.output
    assert '"within_days": 365' in year.stdout
    old = runner.invoke(cli, ["controls", "--from-2013", "11.2.9"])
    assert old.exit_code == 0, old.output
    assert "iso27001-2022:A.7.7" in old.output
    assert runner.invoke(cli, ["review", valid, "--within", "99999999999d"]).exit_code == 2
