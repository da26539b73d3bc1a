"""The CI formats: SARIF that GitHub code scanning takes, GitLab Code Quality, JUnit per document and per
control, and every format telling the same story for every example repository."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
import tomllib
import yaml
from jsonschema import Draft4Validator

from tests import sarif_rules
from tests.conftest import EXAMPLES, FIXTURES, ROOT
from toolkit.check import CheckOptions, CheckResult, execute
from toolkit.codes import DOCS_URL, all_codes
from toolkit.outputs import REGISTRY, render

CASES = sorted(
    path.name
    for path in EXAMPLES.iterdir()
    if (path / "case.yml").is_file() and yaml.safe_load((path / "case.yml").read_text())["exit_code"] != 2
)


def options(name: str, root: Path | None = None, today: str | None = None) -> CheckOptions:
    args = [str(arg) for arg in yaml.safe_load((EXAMPLES / name / "case.yml").read_text())["args"]]
    day = today or (args[args.index("--today") + 1] if "--today" in args else None)
    return CheckOptions(
        root=root or EXAMPLES / name / "repo",
        strict="--strict" in args,
        today=dt.date.fromisoformat(day) if day else None,
    )


@cache
def checked(name: str) -> CheckResult:
    return execute(options(name))


@cache
def report(name: str, output_format: str) -> str:
    text = render(REGISTRY["check"][output_format], checked(name))
    assert isinstance(text, str)
    return text


def sarif(name: str) -> dict:
    return json.loads(report(name, "sarif"))


# --- SARIF for GitHub code scanning ---------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_sarif_passes_github_ingestion_and_the_schema(name: str) -> None:
    document = sarif(name)
    assert sarif_rules.problems(document) == []
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert sorted(Draft4Validator(schema).iter_errors(document), key=str) == []


def test_the_ingestion_checks_catch_what_the_old_output_lacked() -> None:
    """The checks fail on the gaps of the earlier output: no fullDescription, help, helpUri, fingerprints,
    informationUri, and names equal to ids."""
    document = sarif("placeholder-approved")
    driver = document["runs"][0]["tool"]["driver"]
    del driver["informationUri"]
    rule = driver["rules"][0]
    for key in ("fullDescription", "help", "helpUri"):
        del rule[key]
    rule["name"] = rule["id"]
    del document["runs"][0]["results"][0]["partialFingerprints"]
    del document["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"]["startColumn"]
    found = "\n".join(sarif_rules.problems(document))
    for expected in (
        "informationUri",
        "fullDescription",
        "help.text",
        "helpUri",
        "name equals id",
        "partialFingerprints",
        "startColumn",
    ):
        assert expected in found


def test_every_rule_links_to_its_anchor_in_the_docs() -> None:
    from markdown.extensions.toc import slugify  # noqa: PLC0415 - the slugs MkDocs gives headings

    rules = sarif("valid-minimal")["runs"][0]["tool"]["driver"]["rules"]
    page = (ROOT / "docs" / "reference" / "finding-codes.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^## (.+)$", page, re.MULTILINE))
    assert [rule["id"] for rule in rules] == list(all_codes())
    for rule in rules:
        assert rule["helpUri"] == f"{DOCS_URL}reference/finding-codes/#{rule['id']}"
        assert rule["id"] in headings and slugify(rule["id"], "-") == rule["id"]
        assert rule["helpUri"] in rule["help"]["markdown"]


def test_the_docs_url_is_the_packages_documentation_url() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["urls"]["Documentation"] == DOCS_URL
    assert sarif("valid-minimal")["runs"][0]["tool"]["driver"]["informationUri"] == DOCS_URL


def test_result_levels_are_the_findings_levels() -> None:
    """A placeholder is a warning by default and an error in an approved document: the result says so,
    and --strict changes the verdict, not the levels."""
    for name in ("placeholder-approved", "placeholder-draft", "review-overdue-strict"):
        document = sarif(name)
        run = document["runs"][0]
        levels = [result["level"] for result in run["results"]]
        assert levels == [finding.level for finding in checked(name).findings]
    assert {r["level"] for r in sarif("placeholder-approved")["runs"][0]["results"]} == {"error"}
    rules = {r["id"]: r for r in sarif("placeholder-approved")["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["placeholder"]["defaultConfiguration"]["level"] == "warning"


def test_regions_span_the_lines_visible_text() -> None:
    """Columns in UTF-16 code units, from the first to past the last visible character; a finding
    about a whole file goes on line 1."""
    run = sarif("unknown-control")["runs"][0]
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    line = (EXAMPLES / "unknown-control" / "repo" / "policies" / "clear-desk.md").read_text().split("\n")[12]
    assert region["startLine"] == 13 and region["endLine"] == 13
    assert line[region["startColumn"] - 1 :].startswith(line.strip())
    assert region["endColumn"] == len(line.rstrip()) + 1
    whole = sarif("file-outside-repository")["runs"][0]["results"][0]
    assert whole["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 1,
        "endLine": 1,
    }


def fingerprints(document: dict) -> list[tuple[str, str]]:
    return [(r["ruleId"], r["partialFingerprints"]["ismsFinding/v1"]) for r in document["runs"][0]["results"]]


@pytest.mark.parametrize("name", CASES)
def test_fingerprints_are_unique_within_a_report(name: str) -> None:
    prints = [fingerprint for _code, fingerprint in fingerprints(sarif(name))]
    assert len(set(prints)) == len(prints)
    lines = [r["partialFingerprints"]["primaryLocationLineHash"] for r in sarif(name)["runs"][0]["results"]]
    assert len(set(lines)) == len(lines)


def shift_lines(root: Path) -> None:
    """Move every line of every file down: comment lines on top of YAML files, and inside the front
    matter of documents (after its opening '---')."""
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix in {".yml", ".yaml"}:
            path.write_bytes(b"# moved\n# moved\n" + data)
        elif path.suffix == ".md" and data.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
            end = data.index(b"\n") + 1
            path.write_bytes(data[:end] + b"# moved\n# moved\n" + data[end:])


@pytest.mark.parametrize("name", CASES)
def test_fingerprints_survive_unrelated_lines_moving(name: str, tmp_path: Path) -> None:
    """Every finding of the example is found again after the lines moved, with its fingerprint."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / name / "repo", root, symlinks=True)
    shift_lines(root)
    moved = execute(options(name, root))
    document = json.loads(render(REGISTRY["check"]["sarif"], moved))
    before = [f for f in checked(name).findings if f.file != "policies/latin1.md"]
    after_prints = set(fingerprints(document))
    for finding, fingerprint in zip(checked(name).findings, fingerprints(sarif(name)), strict=True):
        if finding in before:
            assert fingerprint in after_prints, finding
    if name in MOVING:
        # The same fingerprints, two lines further down.
        lines = dict(zip(fingerprints(sarif(name)), [f.line for f in checked(name).findings], strict=True))
        moved_lines = dict(zip(fingerprints(document), [f.line for f in moved.findings], strict=True))
        assert {key: line + 2 for key, line in lines.items()} == moved_lines


# Examples whose every finding is on a line that shift_lines moves (a sanity check of the test above).
MOVING = (
    "broken-link",
    "owner-unknown",
    "risk-untreated",
    "schema-front-matter",
    "unsafe-html",
    "soa-incomplete",
)


def test_fingerprints_survive_a_day_passing() -> None:
    """Day counts in messages ("62 days ago") change daily; the fingerprints do not."""
    for name in ("review-overdue", "risk-action-overdue", "risk-acceptance-future"):
        later = execute(options(name, today="2026-06-20"))
        assert [f.message for f in later.findings] != [f.message for f in checked(name).findings]
        document = json.loads(render(REGISTRY["check"]["sarif"], later))
        assert fingerprints(document) == fingerprints(sarif(name))


def test_a_different_finding_gets_a_different_fingerprint(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "broken-link" / "repo", root)
    page = root / "policies" / "clear-desk.md"
    page.write_text(page.read_text().replace("visitor-management.md", "visitors-old.md"))
    document = json.loads(render(REGISTRY["check"]["sarif"], execute(options("broken-link", root))))
    assert fingerprints(document) != fingerprints(sarif("broken-link"))


# --- GitLab Code Quality --------------------------------------------------------------------------

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


@pytest.mark.parametrize("name", CASES)
def test_codequality_has_gitlabs_required_fields(name: str) -> None:
    """GitLab's custom-tool format: a JSON array of objects with description, check_name, a unique
    fingerprint, a severity of its scale, location.path relative and location.lines.begin; no BOM."""
    text = report(name, "codequality")
    assert not text.startswith("\ufeff")
    issues = json.loads(text)
    assert isinstance(issues, list) and len(issues) == len(checked(name).findings)
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert issue["check_name"] in all_codes()
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in GITLAB_SEVERITIES
        path = issue["location"]["path"]
        assert path and not path.startswith("/") and ".." not in path.split("/")
        assert (
            isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
        )
    prints = [issue["fingerprint"] for issue in issues]
    assert len(set(prints)) == len(prints)


def test_codequality_ranks_errors_above_warnings_and_is_chosen_by_name(runner) -> None:
    from toolkit.cli import cli  # noqa: PLC0415

    result = runner.invoke(
        cli, ["check", str(EXAMPLES / "owner-unknown" / "repo"), "--today", "2026-06-01", "-f", "codequality"]
    )
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    levels = [finding.level for finding in checked("owner-unknown").findings]
    assert [issue["severity"] for issue in issues] == [
        {"error": "critical", "warning": "minor"}[x] for x in levels
    ]
    assert "critical" in {issue["severity"] for issue in issues}
    warnings = json.loads(report("review-overdue", "codequality"))
    assert [issue["severity"] for issue in warnings] == ["minor"]
    assert json.loads(report("valid-minimal", "codequality")) == []


def multitool() -> str | None:
    """The SARIF Multitool's native binary (from npm's @microsoft/sarif-multitool-linux), if installed:
    ISMS_SARIF_MULTITOOL names it, else it is looked up on PATH."""
    return os.environ.get("ISMS_SARIF_MULTITOOL") or shutil.which("Sarif.Multitool")


@pytest.mark.slow
@pytest.mark.skipif(multitool() is None, reason="the SARIF Multitool is not installed (see docs/ci.md)")
def test_the_sarif_multitool_reports_no_errors_or_warnings(tmp_path: Path) -> None:
    """GitHub's own validator, with its GitHub (Ghas) and SARIF rules, over every example's SARIF."""
    for name in CASES:
        (tmp_path / f"{name}.sarif").write_text(report(name, "sarif"), encoding="utf-8")
    out = tmp_path / "validation.sarif"
    command = [str(multitool()), "validate", "--rule-kind", "Ghas;Sarif", "--level", "Error;Warning"]
    subprocess.run([*command, "-o", str(out), *map(str, sorted(tmp_path.glob("*.sarif")))], check=False)
    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    assert not run["invocations"][0].get("toolExecutionNotifications"), "the Multitool did not run"
    found = run["results"]
    assert [f"{r['ruleId']}: {r['message'].get('text', r['message'])}" for r in found] == []
