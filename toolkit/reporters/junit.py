"""``--format junit``: JUnit XML, one test case per checked file and one per catalog's coverage."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from toolkit.reporters import location

if TYPE_CHECKING:
    from toolkit.check import CheckResult
    from toolkit.model import Finding


def render(result: CheckResult, *, color: bool = False) -> str:
    """Failing findings become ``<failure>``; non-failing warnings go to ``<system-out>``."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.shown:
        by_file[finding.file].append(finding)
    files = sorted({*by_file, "isms.yml"})
    suites = ET.Element("testsuites", name="isms check")
    suite = ET.SubElement(suites, "testsuite", name=f"isms check {result.name}")
    failures = 0
    for file in files:
        case = ET.SubElement(suite, "testcase", classname="isms.documents", name=file)
        failing = [f for f in by_file.get(file, []) if f.level == "error" or result.strict]
        other = [f for f in by_file.get(file, []) if f not in failing]
        if failing:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=f"{len(failing)} finding(s)", type=failing[0].code
            )
            failure.text = "\n".join(_line(f) for f in failing)
        if other:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in other)
    for catalog_id, coverage in result.coverage.items():
        case = ET.SubElement(suite, "testcase", classname="isms.coverage", name=catalog_id)
        missing = coverage.ids("missing")
        if missing:
            failures += 1
            failure = ET.SubElement(
                case, "failure", message=f"{len(missing)} control(s) missing", type="control-missing"
            )
            failure.text = ", ".join(missing)
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites.set("tests", str(len(suite)))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _line(finding: Finding) -> str:
    return f"{location(finding.file, finding.line)}: {finding.level}: [{finding.code}] {finding.message}"
