"""The docs: generated reference pages are fresh, every command has a page, and the site builds strictly."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from toolkit import docgen, rules, scaffold, sources
from toolkit.cli import cli

REFERENCE = ROOT / "docs" / "reference"


@pytest.mark.parametrize("name", sorted(docgen.PAGES))
def test_generated_page_is_fresh(name: str) -> None:
    current = (REFERENCE / name).read_text(encoding="utf-8")
    assert current == docgen.PAGES[name](), f"docs/reference/{name} is stale: run python -m toolkit.docgen"


def test_every_command_has_a_page() -> None:
    for command in cli.commands:
        assert (ROOT / "docs" / "commands" / f"{command}.md").is_file(), command


def test_every_declared_finding_code_is_documented_once() -> None:
    """The page's table lists each code that loading and the rules declare, once, with its level."""
    page = (REFERENCE / "finding-codes.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[`([a-z-]+)`\]\(#\1\) \| (error|warning) \|", page, re.MULTILINE)
    declared = {**sources.load_codes(), **rules.codes()}
    assert sorted(code for code, _level in rows) == sorted(declared)
    assert all(declared[code].level == level for code, level in rows)


@pytest.mark.slow
def test_toolkit_docs_build_strict(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "reference" / "formats" / "index.html").is_file()
    handbook = tmp_path / "site" / "example-handbook"
    assert "Sahyadri Policy Handbook" in (handbook / "index.html").read_text(encoding="utf-8")
    assert (handbook / "clear-desk-and-clear-screen.html").is_file()
    assert 'href="example-handbook/"' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_guide_answers_file_is_valid_and_complete(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    answers = yaml.safe_load(re.search(r"```yaml\n(.*?)```", guide, re.DOTALL).group(1))
    scaffold.check_answers(answers)
    result = scaffold.render(answers, tmp_path / "acme-isms")
    assert result.example_leftovers == [], "the guide's answers leave nothing at the example's values"
