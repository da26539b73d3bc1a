"""Output formats: each is valid for its consumer, deterministic, and carries the same findings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft4Validator
from junitparser import JUnitXml

from tests.conftest import EXAMPLES, FIXTURES
from toolkit.cli import cli
from toolkit.outputs import names

FORMATS = names("check")

TODAY = ["--today", "2026-06-01"]


def check(runner: CliRunner, name: str, *args: str):
    return runner.invoke(cli, ["check", str(EXAMPLES / name / "repo"), *TODAY, *args])


def test_json_shape_is_documented(runner: CliRunner) -> None:
    report = json.loads(check(runner, "control-missing", "-f", "json").stdout)
    assert list(report) == [
        "format_version",
        "tool",
        "repository",
        "checked_on",
        "strict",
        "passed",
        "summary",
        "coverage",
        "findings",
    ]
    assert report["passed"] is False
    coverage = report["coverage"]["demo"]
    assert {k: coverage[k] for k in ("total", "applicable", "covered", "drafted", "excluded", "missing")} == {
        "total": 3,
        "applicable": 2,
        "covered": 1,
        "drafted": 0,
        "excluded": 1,
        "missing": ["D.2"],
    }
    assert coverage["controls"] == {"D.1": "covered", "D.2": "missing", "D.3": "excluded"}
    assert set(report["findings"][0]) == {"level", "code", "message", "file", "line", "field"}


def test_sarif_passes_the_sarif_schema(runner: CliRunner) -> None:
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    for name in ("broken-link", "placeholder-approved", "schema-soa", "valid-minimal", "control-missing"):
        document = json.loads(check(runner, name, "-f", "sarif").stdout)
        errors = sorted(Draft4Validator(schema).iter_errors(document), key=str)
        assert errors == [], name
    document = json.loads(check(runner, "broken-link", "-f", "sarif").stdout)
    (result,) = document["runs"][0]["results"]
    assert result["ruleId"] == "broken-link"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 20
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "broken-link"


def test_junit_is_read_by_a_junit_parser(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.xml"
    result = check(runner, "unknown-control", "-f", "junit", "-o", str(out))
    assert result.exit_code == 1
    xml = JUnitXml.fromfile(str(out))
    cases = {case.name: case for suite in xml for case in suite}
    failing = {name for name, case in cases.items() if not case.is_passed and not case.is_skipped}
    assert failing == {"policies/clear-desk.md"}
    assert "demo:D.9" in cases["policies/clear-desk.md"].result[0].text
    assert {"isms.yml", "policies/infosec.md", "demo:D.1", "demo:D.3"} <= set(cases)


def test_junit_warnings_fail_only_under_strict(runner: CliRunner, tmp_path: Path) -> None:
    for strict, expected in ((False, set()), (True, {"policies/clear-desk.md"})):
        out = tmp_path / f"{strict}.xml"
        check(runner, "review-overdue", "-f", "junit", "-o", str(out), *(["--strict"] if strict else []))
        cases = [case for suite in JUnitXml.fromfile(str(out)) for case in suite]
        assert {case.name for case in cases if not case.is_passed and not case.is_skipped} == expected


def test_github_annotations(runner: CliRunner) -> None:
    lines = check(runner, "broken-link", "-f", "github").stdout.splitlines()
    assert lines[0] == (
        "::error file=policies/clear-desk.md,line=20,title=isms broken-link::"
        "link to visitor-management.md points to a file that does not exist"
    )
    assert lines[-1].startswith("::notice title=isms check::FAILED")
    warning = check(runner, "review-overdue", "-f", "github").stdout.splitlines()[0]
    assert warning.startswith("::warning file=policies/clear-desk.md,line=9,")


def test_markdown_summary(runner: CliRunner) -> None:
    text = check(runner, "control-missing", "-f", "markdown").stdout
    assert text.startswith("## ❌ ISMS check: FAILED")
    assert "| demo | 2 | 1 | 0 | 1 | 1 |" in text
    assert "| error | `control-missing` | `isms.yml:6` |" in text


def test_text_ends_with_a_verdict(runner: CliRunner) -> None:
    passed = check(runner, "valid-minimal").stdout.strip().splitlines()
    failed = check(runner, "broken-link").stdout.strip().splitlines()
    strict = check(runner, "control-drafted", "--strict").stdout.strip().splitlines()
    assert passed[-1] == "PASSED: Demo: 0 errors, 0 warnings"
    assert failed[-1] == "FAILED: Demo: 1 error, 0 warnings"
    assert strict[-1] == "FAILED: Demo: 0 errors, 1 warning (--strict: warnings fail)"
    assert strict[-3] == "1 control is addressed only by drafts; approve documents with 'isms approve'."
    assert any("visitor-management.md" in line for line in failed)
    assert not re.search(r"\x1b\[", "\n".join(failed)), "no colour codes when not a terminal"


@pytest.mark.parametrize("output_format", FORMATS)
def test_reports_are_byte_identical_across_runs(
    runner: CliRunner, tmp_path: Path, output_format: str
) -> None:
    outputs = []
    for attempt in range(2):
        out = tmp_path / f"{attempt}.out"
        check(runner, "placeholder-approved", "-f", output_format, "-o", str(out))
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert str(tmp_path) not in outputs[0].decode("utf-8"), "no absolute paths in reports"


def test_output_file_is_written_and_stdout_is_quiet(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "report.json"
    result = check(runner, "valid-minimal", "-f", "json", "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["passed"] is True
    assert [p.name for p in out.parent.iterdir()] == ["report.json"], "no temporary files left behind"


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("report.json", "{"),
        ("report.xml", "<?xml"),
        ("report.sarif", "{"),
        ("report.md", "## "),
        ("r.txt", ""),
    ],
)
def test_output_format_follows_the_file_extension(
    runner: CliRunner, tmp_path: Path, name: str, starts: str
) -> None:
    out = tmp_path / name
    result = check(runner, "valid-minimal", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(starts)
    if name == "report.sarif":
        assert '"version": "2.1.0"' in text
    if name == "r.txt":
        assert "PASSED" in text


def test_errors_only_lists_the_errors_and_counts_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    """One real error is not buried among a hundred warnings."""
    from toolkit import scaffold  # noqa: PLC0415

    repo = tmp_path / "company"
    # The company's own contacts, so that the findings are the drafts, the SoA and the broken link only.
    scaffold.render({"incident_email": "infosec@company.test", "incident_phone": "+91 22 5550 0100"}, repo)
    backup = repo / "policies" / "backup.md"
    backup.write_text(backup.read_text(encoding="utf-8") + "\n[gone](nowhere.md)\n", encoding="utf-8")
    full = runner.invoke(cli, ["check", str(repo), *TODAY])
    drafted = (
        len(json.loads(runner.invoke(cli, ["check", str(repo), "-f", "json", *TODAY]).stdout)["findings"]) - 2
    )
    assert "Findings by code" in full.stdout and f"control-drafted │ {drafted:>5}" in full.stdout
    errors = runner.invoke(cli, ["check", str(repo), "--errors-only", *TODAY])
    assert errors.exit_code == 1
    listed = errors.stdout.split("Findings by code")[0]
    assert "broken-link" in listed and "control-drafted" not in listed.split("Findings")[1]
    assert "warnings not listed (--errors-only)" in errors.stdout
    data = json.loads(runner.invoke(cli, ["check", str(repo), "--errors-only", "-f", "json", *TODAY]).stdout)
    assert {f["code"] for f in data["findings"]} == {"broken-link"}
    assert data["summary"]["warnings"] > 100
