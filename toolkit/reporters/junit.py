"""``--format junit``: JUnit XML, one test case per checked file and one per control of each catalog.

A file's case lists every finding in it and is typed by its most severe one; a control's case says what
the coverage table says: covered passes, missing fails (``control-missing``), drafted passes with a note
(fails under ``--strict``), and excluded is skipped with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from toolkit.reporters import location

if TYPE_CHECKING:
    from toolkit.check import CheckResult
    from toolkit.model import Coverage, Finding


def render(result: CheckResult, *, color: bool = False) -> str:
    """Failing findings make a ``<failure>``; a file with only non-failing warnings passes and lists them
    in ``<system-out>``."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.shown:
        by_file[finding.file].append(finding)
    suites = ET.Element("testsuites", name="isms check")
    files = ET.SubElement(suites, "testsuite", name=f"isms check {result.name}: files")
    for file in sorted({*by_file, *result.document_files, "isms.yml"}):
        _file_case(files, file, by_file.get(file, []), result.strict)
    for catalog_id, coverage in result.coverage.items():
        suite = ET.SubElement(suites, "testsuite", name=f"isms check {result.name}: coverage {catalog_id}")
        _coverage_cases(suite, catalog_id, coverage, result)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for suite in suites:
        counts = {
            "tests": len(suite),
            "failures": sum(1 for case in suite if case.find("failure") is not None),
            "skipped": sum(1 for case in suite if case.find("skipped") is not None),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key in ("tests", "failures"):
        suites.set(key, str(totals[key]))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _file_case(suite: ET.Element, file: str, findings: list[Finding], strict: bool) -> None:
    case = ET.SubElement(suite, "testcase", classname="isms.documents", name=file)
    if not findings:
        return
    errors = sum(1 for f in findings if f.level == "error")
    warnings = len(findings) - errors
    body = "\n".join(_line(f) for f in findings)
    if errors or strict:
        # Typed by the most severe finding: the first error, else the first warning.
        worst = next((f for f in findings if f.level == "error"), findings[0])
        counts = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        failure = ET.SubElement(case, "failure", message=f"{counts}: {worst.message}", type=worst.code)
        failure.text = body
    else:
        ET.SubElement(case, "system-out").text = body


def _coverage_cases(suite: ET.Element, catalog_id: str, coverage: Coverage, result: CheckResult) -> None:
    # The control-missing findings, by the control they name (their message starts with the reference).
    reported = {f.message.split(" ", 1)[0]: f for f in result.findings if f.code == "control-missing"}
    for control_id, state in coverage.states.items():
        ref = f"{catalog_id}:{control_id}"
        case = ET.SubElement(suite, "testcase", classname=f"isms.coverage.{catalog_id}", name=ref)
        documents = ", ".join(coverage.documents.get(control_id, []))
        if state == "excluded":
            ET.SubElement(case, "skipped", message=f"{ref} is excluded in soa.yml (applicable: false)")
        elif state == "missing" and ref in reported:
            finding = reported[ref]
            failure = ET.SubElement(case, "failure", message=finding.message, type="control-missing")
            failure.text = _line(finding)
        elif state == "missing":
            # No control-missing finding: a document with errors cites the control, and its own findings
            # fail the check; the text, JSON and SARIF reports say the same.
            message = f"{ref} is not judged: a document that cites it has errors; fix that document first"
            ET.SubElement(case, "skipped", message=message)
        elif state == "drafted":
            message = f"{ref} is addressed only by documents not yet in force: {documents}"
            if result.strict:
                ET.SubElement(case, "failure", message=message, type="control-drafted")
            else:
                ET.SubElement(case, "system-out").text = message
        else:
            ET.SubElement(case, "system-out").text = f"{ref} is covered by {documents}"


def _line(finding: Finding) -> str:
    return f"{location(finding.file, finding.line)}: {finding.level}: [{finding.code}] {finding.message}"
