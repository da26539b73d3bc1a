"""The registries: every finding has a declared code, each rule emits only its own, and a new kind of
file with its rule is added by touching only its schema, one source module and one rules module."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT
from toolkit import rules, scaffold, sources
from toolkit.codes import all_codes
from toolkit.errors import NotARepositoryError
from toolkit.workspace import open_workspace

CASES = sorted(path.name for path in EXAMPLES.iterdir() if (path / "case.yml").is_file())
# Codes no example folder can hold: git keeps neither an unreadable file nor a FIFO (file-special is
# shown in tests/test_handbook_safety.py).
NOT_IN_EXAMPLES = {"file-unreadable", "file-special"}


@pytest.fixture(scope="module")
def workspaces(tmp_path_factory: pytest.TempPathFactory) -> list:
    """Every example repository that opens, and the generated example company, opened."""
    opened = []
    for name in CASES:
        try:
            opened.append(open_workspace(EXAMPLES / name / "repo"))
        except NotARepositoryError:
            continue
    company = tmp_path_factory.mktemp("company") / "company"
    scaffold.render({}, company)
    opened.append(open_workspace(company))
    return opened


def test_each_rule_emits_only_the_codes_it_declares(workspaces: list) -> None:
    for workspace in workspaces:
        for rule in rules.all_rules():
            emitted = {finding.code for finding in rule(workspace)}
            assert emitted <= set(rule.codes), f"{rule.name} on {workspace.root}: {emitted - set(rule.codes)}"


def test_loading_emits_only_codes_the_sources_declare(workspaces: list) -> None:
    declared = set(sources.load_codes())
    for workspace in workspaces:
        assert {finding.code for finding in workspace.findings} <= declared, workspace.root


def test_every_declared_code_has_an_example_folder() -> None:
    in_examples = {
        finding["code"]
        for name in CASES
        for finding in yaml.safe_load((EXAMPLES / name / "case.yml").read_text(encoding="utf-8"))["findings"]
        or []
    }
    assert set(all_codes()) - NOT_IN_EXAMPLES <= in_examples


def test_registries_hold_the_kinds_and_subjects() -> None:
    assert [kind.name for kind in sources.kinds()][:1] == ["config"]
    assert {"config", "soa", "documents", "catalogs"} <= {kind.name for kind in sources.kinds()}
    modules = {rule.check.__module__.rsplit(".", 1)[-1] for rule in rules.all_rules()}
    assert {"references", "soa", "coverage", "lifecycle", "text"} <= modules


TOY_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:isms-toolkit:schema:toys",
    "title": "toys.yml",
    "description": "A toy register.",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "toys": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "owner"],
                "additionalProperties": False,
                "properties": {"id": {"type": "string"}, "owner": {"type": "string"}},
            },
        }
    },
}
TOY_SOURCE = """
from toolkit.sources.base import YamlSource

KIND = YamlSource(
    name="toys",
    path="registers/toys.yml",
    schema="toys",
    title="toys.yml",
    description="A toy register.",
    entries=lambda data: [item for item in data.get("toys") or [] if isinstance(item, dict)],
)
"""
TOY_RULE = """
from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import rule
from toolkit.yamlio import locate


@rule({"toy-owner-unknown": Code("error", "A toy's owner is not a role in isms.yml.")})
def toy_owners(workspace):
    source = workspace.source("toys")
    roles = {role.get("title") for role in (workspace.config.get("roles") or {}).values()}
    for index, toy in enumerate(source.entries or []):
        if toy.get("owner") not in roles:
            line = locate(source.text, ["toys", index, "owner"])
            yield Finding(source.rel, line, "toy-owner-unknown", "error", f"no role {toy.get('owner')!r}")


RULES = (toy_owners,)
"""


@pytest.mark.slow
def test_a_new_source_kind_and_rule_need_only_their_own_files(tmp_path: Path) -> None:
    """The walk-through of docs/extending.md, done: a copy of the toolkit gains a toy register."""
    copy = tmp_path / "copy"
    for folder in ("toolkit", "schemas", "controls", "policy_templates"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "schemas" / "toys.schema.json").write_text(json.dumps(TOY_SCHEMA), encoding="utf-8")
    (copy / "toolkit" / "sources" / "toys.py").write_text(TOY_SOURCE, encoding="utf-8")
    (copy / "toolkit" / "rules" / "toys.py").write_text(TOY_RULE, encoding="utf-8")
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    (repo / "registers").mkdir()
    (repo / "registers" / "toys.yml").write_text(
        "toys:\n  - id: T-1\n    owner: Chief Nobody\n  - id: T-2\n    colour: red\n", encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "check", str(repo), "-f", "json", "--today", "2026-06-01"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(copy)},
    )
    report = json.loads(result.stdout)
    found = {(f["code"], f["file"], f["line"]) for f in report["findings"]}
    assert ("toy-owner-unknown", "registers/toys.yml", 3) in found
    assert ("schema", "registers/toys.yml", 5) in found  # the unknown key `colour`
    assert ("schema", "registers/toys.yml", 4) in found  # T-2 has no owner
    assert result.returncode == 1
