"""Every format tells the same story: for every example repository, text, JSON, JUnit, SARIF, Markdown,
GitHub annotations and Code Quality agree on the errors, the warnings and the findings per code, and
JUnit, SARIF, JSON and text agree on each control's coverage."""

from __future__ import annotations

import json
import re
from collections import Counter
from xml.etree import ElementTree as ET

import pytest

from tests.test_ci_formats import CASES, checked, report

FINDING_LINE = re.compile(r"^\S.*?: (error|warning): \[([a-z0-9-]+)\] ", re.MULTILINE)
Counts = Counter[tuple[str, str]]


def from_json(name: str) -> Counts:
    data = json.loads(report(name, "json"))
    counts = Counter((f["level"], f["code"]) for f in data["findings"])
    assert (data["summary"]["errors"], data["summary"]["warnings"]) == totals(counts)
    return counts


def from_sarif(name: str) -> Counts:
    results = json.loads(report(name, "sarif"))["runs"][0]["results"]
    return Counter((r["level"], r["ruleId"]) for r in results)


def from_codequality(name: str) -> Counts:
    level = {"critical": "error", "minor": "warning"}
    return Counter((level[i["severity"]], i["check_name"]) for i in json.loads(report(name, "codequality")))


def from_junit(name: str) -> Counts:
    """Findings listed in the file cases (control cases repeat the control-missing ones)."""
    root = ET.fromstring(report(name, "junit"))  # noqa: S314 - our own report
    text = "\n".join(
        (element.text or "")
        for case in root.iter("testcase")
        if case.get("classname") == "isms.documents"
        for element in case
    )
    return Counter(FINDING_LINE.findall(text))


def from_markdown(name: str) -> Counts:
    text = report(name, "markdown")
    counts = Counter(re.findall(r"^\| (error|warning) \| `([a-z0-9-]+)` \|", text, re.MULTILINE))
    assert verdict_counts(text) == totals(counts)
    return counts


def from_text(name: str) -> Counts:
    """The findings table (at most 15 rows per code, the rest counted in a '… and N more' line); with
    many findings, the table of counts per code says the same."""
    text = report(name, "text")
    table, _, summary = text.partition("Findings by code")
    row = r"^(error|warning)\s*│\s*([a-z0-9-]+)\s*│"
    counts = Counter(re.findall(row, table, re.MULTILINE))
    for more, code in re.findall(r"… and (\d+) more ([a-z0-9-]+) findings", table):
        level = next(level for level, seen in counts if seen == code)
        counts[(level, code)] += int(more)
    if summary:
        by_code = re.findall(row + r"\s*(\d+)\s*$", summary, re.MULTILINE)
        assert Counter({(level, code): int(n) for level, code, n in by_code}) == counts
    assert verdict_counts(text) == totals(counts)
    return counts


def from_github(name: str) -> Counts:
    """Annotations: warnings are annotated as errors under --strict (they fail the job)."""
    text = report(name, "github")
    found = Counter(re.findall(r"^::(error|warning) .*?title=isms ([a-z0-9-]+)::", text, re.MULTILINE))
    assert verdict_counts(text) == (checked(name).count("error"), checked(name).count("warning"))
    return found


def verdict_counts(text: str) -> tuple[int, int]:
    match = re.search(r"(\d+) errors?, (\d+) warnings?", text)
    assert match, text
    return int(match.group(1)), int(match.group(2))


def totals(counts: Counts) -> tuple[int, int]:
    return (
        sum(n for (level, _), n in counts.items() if level == "error"),
        sum(n for (level, _), n in counts.items() if level == "warning"),
    )


@pytest.mark.parametrize("name", CASES)
def test_every_format_counts_the_same_findings(name: str) -> None:
    result = checked(name)
    expected = Counter((f.level, f.code) for f in result.findings)
    assert from_json(name) == expected
    for reader in (from_sarif, from_codequality, from_junit, from_markdown, from_text):
        assert reader(name) == expected, reader.__name__
    strict = Counter(("error" if result.strict else level, code) for (level, code) in expected.elements())
    assert from_github(name) == strict


@pytest.mark.parametrize("name", CASES)
def test_coverage_agrees_in_every_format(name: str) -> None:
    """Per catalog: covered, drafted, excluded and missing controls are the same in JSON, SARIF's run
    properties, the text and Markdown tables, and JUnit's control cases (excluded controls are skipped;
    a missing control that a broken document cites is skipped too, as no control-missing is reported)."""
    data = json.loads(report(name, "json"))["coverage"]
    sarif = json.loads(report(name, "sarif"))["runs"][0]["properties"]["coverage"]
    text, markdown = report(name, "text"), report(name, "markdown")
    root = ET.fromstring(report(name, "junit"))  # noqa: S314 - our own report
    reported = {f.message.split(" ", 1)[0] for f in checked(name).findings if f.code == "control-missing"}
    for catalog_id, coverage in data.items():
        counts = [coverage[key] for key in ("applicable", "covered", "drafted", "excluded")]
        assert [sarif[catalog_id][key] for key in ("applicable", "covered", "drafted", "excluded")] == counts
        assert sarif[catalog_id]["missing"] == coverage["missing"]
        row = [*map(str, counts), str(len(coverage["missing"]))]
        pattern = r"\s*│\s*".join([re.escape(catalog_id), *row])
        assert re.search(rf"^{pattern}\s*$", text, re.MULTILINE)
        assert f"| {catalog_id} | {' | '.join(row)} |" in markdown
        cases = {
            c.get("name"): c
            for c in root.iter("testcase")
            if c.get("classname") == f"isms.coverage.{catalog_id}"
        }
        assert len(cases) == coverage["total"]
        for control_id, state in coverage["controls"].items():
            case = cases[f"{catalog_id}:{control_id}"]
            outcome = {child.tag for child in case} & {"failure", "skipped"}
            if state == "excluded":
                assert outcome == {"skipped"}
            elif state == "missing":
                ref = f"{catalog_id}:{control_id}"
                assert outcome == ({"failure"} if ref in reported else {"skipped"})
            elif state == "drafted" and checked(name).strict:
                assert outcome == {"failure"}
            else:
                assert outcome == set()


def test_a_junit_case_is_typed_by_its_most_severe_finding_and_lists_every_finding(tmp_path) -> None:
    import datetime as dt  # noqa: PLC0415

    from junitparser import JUnitXml  # noqa: PLC0415

    from toolkit.check import CheckResult  # noqa: PLC0415
    from toolkit.model import Finding  # noqa: PLC0415
    from toolkit.reporters.junit import render  # noqa: PLC0415

    findings = [
        Finding("policies/a.md", 3, "placeholder", "warning", "template placeholder 'TBD' left in the text"),
        Finding(
            "policies/a.md", 9, "broken-link", "error", "link to b.md points to a file that does not exist"
        ),
        Finding("policies/a.md", 12, "owner-unknown", "error", "owner 'X' is not a role in isms.yml"),
    ]
    result = CheckResult(
        tmp_path,
        "Demo",
        False,
        dt.date(2026, 6, 1),
        2,
        findings,
        {},
        False,
        ["policies/a.md", "policies/b.md"],
    )
    out = tmp_path / "report.xml"
    out.write_text(render(result), encoding="utf-8")
    cases = {case.name: case for suite in JUnitXml.fromfile(str(out)) for case in suite}
    assert set(cases) == {"isms.yml", "policies/a.md", "policies/b.md"}
    (failure,) = cases["policies/a.md"].result
    assert failure.type == "broken-link"
    assert failure.message.startswith("2 errors, 1 warning: link to b.md")
    assert [line.split(" [")[1].split("]")[0] for line in failure.text.splitlines()] == [
        "placeholder",
        "broken-link",
        "owner-unknown",
    ]
    assert cases["policies/b.md"].is_passed
