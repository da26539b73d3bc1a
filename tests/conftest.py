"""Shared fixtures: the example repositories and a CLI runner."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def time_limit(seconds: int = 30) -> Iterator[None]:
    """Fail, instead of hanging the run, when a read or write blocks (on a FIFO, say) for ``seconds``."""

    def expired(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"blocked for {seconds} s: something waited on a FIFO or device")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def deadline() -> Iterator[None]:
    """The test fails after 30 s blocked (see :func:`time_limit`)."""
    with time_limit():
        yield
