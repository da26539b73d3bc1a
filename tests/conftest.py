"""Shared fixtures: the example repositories and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

TESTS = Path(__file__).parent
EXAMPLES = TESTS / "examples"
FIXTURES = TESTS / "fixtures"
ROOT = TESTS.parent


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def example_copy(tmp_path: Path):
    """Copy an example repository into tmp_path so a test may change it."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name / "repo", target)
        return target

    return copy
