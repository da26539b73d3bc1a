"""GitHub code scanning's ingestion requirements for a SARIF file, as checks.

Each check names where it comes from: GitHub's "SARIF support for code scanning" page (the tables of
required properties and the upload limits) or a rule of the SARIF Multitool's GitHub validation
(``GH1001``-``GH1007``, ``SARIF1xxx``/``SARIF2xxx`` from microsoft/sarif-sdk). ``problems(document)`` lists
every broken requirement; an empty list means the file would be taken as it is.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

PASCAL = re.compile(r"^[A-Z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
LEVELS = {"none", "note", "warning", "error"}
# GitHub's limits (docs: "maximum values") and the Multitool's stricter defaults (GH1004).
MAX_RUNS, MAX_RULES, MAX_RESULTS, MAX_LOCATIONS, MAX_TAGS = 5, 1000, 1000, 10, 20


def _text(node: Any, key: str) -> str:
    value = node.get(key) if isinstance(node, dict) else None
    return value.get("text", "") if isinstance(value, dict) else ""


def _absolute_http(uri: object) -> bool:
    parts = urlsplit(uri) if isinstance(uri, str) else None
    return parts is not None and parts.scheme == "https" and bool(parts.netloc)


def problems(document: dict[str, Any]) -> list[str]:
    found: list[str] = []
    schema = document.get("$schema", "")
    # docs sarifLog table: $schema and version required; GH1011 / SARIF1011: the final 2.1.0 schema.
    if not (isinstance(schema, str) and schema.endswith(("sarif-2.1.0.json", "sarif-schema-2.1.0.json"))):
        found.append(f"$schema {schema!r} is not the final SARIF 2.1.0 schema (GH1011)")
    if document.get("version") != "2.1.0":
        found.append("version is not 2.1.0 (docs: sarifLog.version)")
    runs = document.get("runs")
    if not isinstance(runs, list) or not runs:
        return [*found, "runs[] is missing or empty (docs: sarifLog.runs)"]
    if len(runs) > MAX_RUNS:
        found.append(f"{len(runs)} runs, more than {MAX_RUNS} (GH1004)")
    for number, run in enumerate(runs):
        found += [f"runs[{number}]: {problem}" for problem in _run_problems(run)]
    return found


def _run_problems(run: dict[str, Any]) -> list[str]:
    found: list[str] = []
    driver = run.get("tool", {}).get("driver")
    if not isinstance(driver, dict):
        return ["tool.driver is missing (docs: run.tool.driver; Base1018)"]
    if not str(driver.get("name", "")).strip():
        found.append("tool.driver.name is empty (docs: toolComponent.name)")
    if not _absolute_http(driver.get("informationUri")):
        found.append("tool.driver.informationUri is not an absolute URL (SARIF2005)")
    if not SEMVER.match(str(driver.get("semanticVersion", ""))):
        found.append("tool.driver.semanticVersion is not a semantic version (docs; SARIF2005)")
    if not re.match(r"^\d", str(driver.get("version", ""))):
        found.append("tool.driver.version does not start with a number (SARIF2005)")
    rules = driver.get("rules")
    if not isinstance(rules, list):
        return [*found, "tool.driver.rules[] is missing (docs: toolComponent.rules; Base1018)"]
    if len(rules) > MAX_RULES:
        found.append(f"{len(rules)} rules, more than {MAX_RULES} (GH1004)")
    ids = [rule.get("id") for rule in rules]
    if len(set(ids)) != len(ids):
        found.append("rule ids are not unique")
    for rule in rules:
        found += [f"rule {rule.get('id')!r}: {problem}" for problem in _rule_problems(rule)]
    results = run.get("results")
    if not isinstance(results, list):
        return [*found, "results[] is missing (docs: run.results; Base1014)"]
    if len(results) > MAX_RESULTS:
        found.append(f"{len(results)} results, more than {MAX_RESULTS} (GH1004)")
    bases = set(run.get("originalUriBaseIds", {}))
    for number, result in enumerate(results):
        problems_here = _result_problems(result, rules, bases)
        found += [f"results[{number}]: {problem}" for problem in problems_here]
    return found


def _rule_problems(rule: dict[str, Any]) -> list[str]:
    found: list[str] = []
    rule_id, name = str(rule.get("id", "")), str(rule.get("name", ""))
    if not rule_id.strip():
        found.append("no id (docs: reportingDescriptor.id; Base2012)")
    # SARIF2012: a friendly name, one PascalCase identifier; SARIF1001: name and id must differ.
    if not PASCAL.match(name) or len(name) > 255:
        found.append(f"name {name!r} is not a PascalCase identifier of at most 255 characters (SARIF2012)")
    if name.lower() == rule_id.lower():
        found.append("name equals id (SARIF1001)")
    for key in ("shortDescription", "fullDescription"):
        text = _text(rule, key)
        if not text.strip() or len(text) > 1024:
            found.append(f"{key}.text is empty or over 1024 characters (docs; GH2012)")
    if not _text(rule, "help").strip():
        found.append("help.text is empty (docs: help.text required; GH2012)")
    if not str(rule.get("help", {}).get("markdown", "")).strip():
        found.append("help.markdown is empty (docs: recommended)")
    if not _absolute_http(rule.get("helpUri")):
        found.append("helpUri is not an absolute URL (SARIF2012, SARIF1005)")
    if rule.get("defaultConfiguration", {}).get("level") not in {"note", "warning", "error"}:
        found.append("defaultConfiguration.level is not note, warning or error (docs)")
    if len(rule.get("properties", {}).get("tags", [])) > MAX_TAGS:
        found.append(f"more than {MAX_TAGS} tags (docs: limits)")
    return found


def _result_problems(result: dict[str, Any], rules: list[dict[str, Any]], bases: set[str]) -> list[str]:
    found: list[str] = []
    rule_id, index = result.get("ruleId"), result.get("ruleIndex")
    # SARIF1010: a rule id; SARIF1009: the index points at a rule, and (SARIF1010) the same one.
    if not isinstance(rule_id, str) or rule_id not in {rule.get("id") for rule in rules}:
        found.append(f"ruleId {rule_id!r} names no rule (SARIF1010)")
    if index is not None and not (isinstance(index, int) and 0 <= index < len(rules)):
        found.append(f"ruleIndex {index!r} is outside rules[] (SARIF1009)")
    elif index is not None and rules[index].get("id") != rule_id:
        found.append("ruleIndex and ruleId name different rules (SARIF1010)")
    if result.get("level", "warning") not in LEVELS:
        found.append(f"level {result.get('level')!r} is not a SARIF level")
    if not _text(result, "message").strip():
        found.append("message.text is empty (docs: message.text required; GH1007)")
    prints = result.get("partialFingerprints")
    if (
        not isinstance(prints, dict)
        or not prints
        or not all(isinstance(v, str) and v for v in prints.values())
    ):
        found.append("partialFingerprints is missing or has an empty value (docs; Base1015)")
    elif "primaryLocationLineHash" not in prints:
        found.append("partialFingerprints has no primaryLocationLineHash, the key GitHub uses (docs)")
    locations = result.get("locations")
    if not isinstance(locations, list) or not locations:
        return [*found, "locations[] is missing or empty (docs; GH1001)"]
    if len(locations) > MAX_LOCATIONS:
        found.append(f"{len(locations)} locations, more than {MAX_LOCATIONS} (docs; GH1004)")
    for location in locations:
        found += _location_problems(location.get("physicalLocation"), bases)
    return found + _flow_problems(result)


def _flow_problems(result: dict[str, Any]) -> list[str]:
    found = []
    for related in result.get("relatedLocations", []):
        if "message" not in related:
            found.append("a related location has no message (GH1007)")
    for flow in result.get("codeFlows", []):
        for thread in flow.get("threadFlows", []):
            if any("index" in step for step in thread.get("locations", [])):
                found.append("a threadFlowLocation refers to run.threadFlowLocations (GH1002)")
    return found


def _location_problems(physical: Any, bases: set[str]) -> list[str]:
    if not isinstance(physical, dict):
        return ["a location has no physicalLocation (docs; GH1001)"]
    found: list[str] = []
    artifact = physical.get("artifactLocation", {})
    uri = artifact.get("uri")
    if not isinstance(uri, str) or not uri:
        found.append("physicalLocation.artifactLocation.uri is missing (docs; GH1001)")
    else:
        parts = urlsplit(uri)
        # GH1005/GH1006: a path relative to the repository (no scheme, no absolute path); SARIF1002: no '..'.
        if parts.scheme or uri.startswith("/") or ".." in uri.split("/") or "\\" in uri:
            found.append(f"uri {uri!r} is not a relative path inside the repository (GH1005, GH1006)")
    base = artifact.get("uriBaseId")
    if base is not None and base not in bases:
        found.append(f"uriBaseId {base!r} is not in run.originalUriBaseIds (SARIF1004)")
    region = physical.get("region")
    if not isinstance(region, dict):
        return [*found, "physicalLocation has no region (docs; GH1003)"]
    start_line, start_column = region.get("startLine"), region.get("startColumn")
    # docs physicalLocation table: startLine and startColumn; GH1003: startLine at least.
    if not (isinstance(start_line, int) and start_line >= 1):
        found.append("region.startLine is missing or below 1 (docs; GH1003)")
        return found
    if not (isinstance(start_column, int) and start_column >= 1):
        found.append("region.startColumn is missing or below 1 (docs)")
        return found
    end_line = region.get("endLine", start_line)
    if end_line < start_line:
        found.append("region.endLine is before startLine (SARIF1007)")
    if end_line == start_line and region.get("endColumn", start_column) < start_column:
        found.append("region.endColumn is before startColumn (SARIF1007)")
    return found
