"""Property-based: whatever a pull request puts in front matter, isms.yml or soa.yml, every command
answers with its documented exit code and a clean message, never a traceback or a hang.

The default run tries a bounded number of examples so the suite stays fast; set
``HYPOTHESIS_PROFILE=thorough`` for a long run (nightly or by hand).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES
from toolkit.cli import cli

# No example database: the suite never writes into the working directory (a failure prints its example).
settings.register_profile(
    "default", max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=3000, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# YAML-ish text: the characters and tokens that make YAML interesting, mixed with plain words.
TOKENS = st.sampled_from(
    [
        "id",
        "title",
        "status",
        "approved",
        "draft",
        "controls",
        "version",
        "approved_on",
        ":",
        ": ",
        "- ",
        "\n",
        "\n  ",
        "  ",
        "\t",
        "&a",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ",",
        "?",
        "!!str",
        "!!python/name:x",
        "'",
        '"',
        "#",
        "|",
        ">",
        "---",
        "...",
        "2026-13-01",
        "9999-12-31",
        "1.0.0",
        "5.10",
        "yes",
        "no",
        "null",
        "~",
        "1",
        "true",
        "iso27001-2022:A.7.7",
        "demo:D.2",
        "<script>",
        "\x1b[2J",
        "\x00",
        "é",
        "\ufeff",
    ]
)
YAMLISH = st.lists(st.one_of(TOKENS, st.text(max_size=8)), max_size=40).map("".join)


@pytest.fixture(scope="module")
def base() -> Path:
    return EXAMPLES / "valid-minimal" / "repo"


def _run(repo: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, [*args, str(repo)])
    assert result.exit_code in (0, 1, 2), (args, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        repr(result.exception),
    )
    assert "Traceback" not in result.output


def _repo_with(base: Path, name: str, content: bytes) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="isms-property-"))
    repo = folder / "repo"
    shutil.copytree(base, repo)
    (repo / name).write_bytes(content)
    return repo


@pytest.mark.parametrize("name", ["policies/clear-desk.md", "isms.yml", "soa.yml"])
@given(text=YAMLISH)
def test_any_text_gets_a_clean_answer(base: Path, name: str, text: str) -> None:
    content = f"---\n{text}\n---\n\n# Body\n" if name.endswith(".md") else text
    repo = _repo_with(base, name, content.encode("utf-8", "surrogatepass"))
    try:
        for args in (("check", "--today", "2026-06-01"), ("soa", "-f", "json", "--today", "2026-06-01")):
            _run(repo, *args)
    finally:
        shutil.rmtree(repo.parent, ignore_errors=True)


@pytest.mark.parametrize("name", ["policies/clear-desk.md", "isms.yml", "soa.yml"])
@given(data=st.binary(max_size=200))
def test_any_bytes_get_a_clean_answer(base: Path, name: str, data: bytes) -> None:
    repo = _repo_with(base, name, data)
    try:
        _run(repo, "check", "--today", "2026-06-01")
    finally:
        shutil.rmtree(repo.parent, ignore_errors=True)
