"""docs/walkthrough.md runs as written: every file block is written and every command run, in page order.

The page is the script. A ```console block holds commands (lines starting with ``$ ``), each followed by
lines of its output that must appear, in order, in what it prints (``...`` marks lines left out). A
code block with a ``title="path"`` attribute is a file, written (relative to the folder the page is in at
that point) before the next command runs. ``isms`` commands run through click's CliRunner; ``cd DIR``
changes the folder. Nothing of the page is copied here: change a command there and this runs the change.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from toolkit.cli import cli

PAGE = ROOT / "docs" / "walkthrough.md"
FENCE = re.compile(r"^```([\w-]*)([^\n]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
TITLE = re.compile(r'\btitle="([^"]+)"')
GAP = "..."


@dataclass
class Command:
    line: str
    shown: list[str] = field(default_factory=list)  # output lines the page shows under it
    code: int | None = None
    output: str = ""


@dataclass(frozen=True)
class File:
    path: str
    text: str


def script(page: str) -> list[Command | File]:
    """The page's steps in order: files (blocks with a title) and commands (``$`` lines of console blocks)."""
    steps: list[Command | File] = []
    for match in FENCE.finditer(page):
        language, attributes, body = match.groups()
        title = TITLE.search(attributes)
        if title is not None:
            steps.append(File(title.group(1), body))
        elif language == "console":
            current: Command | None = None
            for line in body.splitlines():
                if line.startswith("$ "):
                    current = Command(line[2:].strip())
                    steps.append(current)
                elif line.strip():
                    assert current is not None, f"output before any command in a console block: {line!r}"
                    current.shown.append(line.rstrip())
    return steps


def shows_in_order(shown: list[str], output: str) -> str | None:
    """None when every shown line (but ``...``) is a line of ``output``, in the same order; else the first
    shown line that is not."""
    lines = iter(line.rstrip() for line in output.splitlines())
    for expected in shown:
        if expected == GAP:
            continue
        if not any(line == expected for line in lines):
            return expected
    return None


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Command | File], Path]:
    """The page's steps, run in an empty folder, and the folder the page ends in."""
    steps = script(PAGE.read_text(encoding="utf-8"))
    start = tmp_path_factory.mktemp("walkthrough")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(start)
        for step in steps:
            if isinstance(step, File):
                target = Path(step.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(step.text, encoding="utf-8")
                continue
            words = shlex.split(step.line)
            if words[0] == "cd":
                assert len(words) == 2, step.line
                patch.chdir(Path(words[1]))
                continue
            assert words[0] == "isms", f"the walkthrough runs isms and cd only: {step.line}"
            result = runner.invoke(cli, words[1:], catch_exceptions=False)
            step.code, step.output = result.exit_code, result.output
            assert step.code == 0, f"$ {step.line}\n{step.output}"
        end = Path.cwd()
    return steps, end


def commands(steps: list[Command | File]) -> list[Command]:
    return [step for step in steps if isinstance(step, Command) and not step.line.startswith("cd ")]


def test_the_page_is_a_script_of_files_and_commands() -> None:
    steps = script(PAGE.read_text(encoding="utf-8"))
    lines = [step.line for step in steps if isinstance(step, Command)]
    assert lines[0].startswith("isms init --answers ") and any(line.startswith("cd ") for line in lines)
    assert any(line.startswith("isms soa status ") for line in lines)
    assert any(line.startswith("isms ack import ") for line in lines)
    assert lines[-2].startswith("isms check --strict") and lines[-1].startswith("isms readiness ")
    assert "--start" in lines[-1]
    files = [step.path for step in steps if isinstance(step, File)]
    assert any(path.startswith("records/audits/") for path in files)
    assert any(path.startswith("records/management-reviews/") for path in files)
    assert "records/nonconformities.yml" in files


def test_every_command_runs_and_prints_what_the_page_shows(walked: tuple[list[Command | File], Path]) -> None:
    steps, _end = walked
    for command in commands(steps):
        assert command.code == 0, f"$ {command.line}\n{command.output}"
        missing = shows_in_order(command.shown, command.output)
        assert missing is None, f"$ {command.line}\nthe page shows {missing!r}; it printed:\n{command.output}"


def test_the_walk_ends_ready_for_stage_2(walked: tuple[list[Command | File], Path]) -> None:
    steps, end = walked
    check, readiness = commands(steps)[-2:]
    assert check.code == 0 and "PASSED" in check.output
    summary = re.search(r"(\d+) of (\d+) prerequisites closed, 0 in progress, 0 open", readiness.output)
    assert summary is not None and summary.group(1) == summary.group(2), readiness.output
    # The same, read as data: every prerequisite closed, and a plan (it ran with --start).
    words = shlex.split(readiness.line)[1:]
    result = CliRunner().invoke(cli, [*words, str(end), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["prerequisites"] and {item["state"] for item in data["prerequisites"]} == {"closed"}
    assert data["plan"] is not None and data["plan"]["phases"]
    # The first readiness of the page, on the fresh repository, had every prerequisite open.
    first = next(command for command in commands(steps) if command.line.startswith("isms readiness"))
    assert re.search(r": 0 of (\d+) prerequisites closed, 0 in progress, \1 open", first.output), first.output


def test_a_shown_line_the_command_does_not_print_fails() -> None:
    """The comparison the page is held to: in order, whole lines, gaps allowed."""
    output = "one\ntwo\nthree\n"
    assert shows_in_order(["one", GAP, "three"], output) is None
    assert shows_in_order(["three", "one"], output) == "one"
    assert shows_in_order(["tw"], output) == "tw"
