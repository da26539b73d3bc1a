"""`isms serve` says where the preview is and reports each rebuild; stopped, it leaves no folder behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import time_limit
from toolkit import scaffold

REBUILT = re.compile(r"^\d\d:\d\d:\d\d Rebuilt the handbook: (\d+) pages in \d+\.\d s$")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def read_until(process: subprocess.Popen[str], pattern: re.Pattern[str], seen: list[str]) -> re.Match[str]:
    """Read the preview's output line by line until one matches (the caller's time limit stops a hang)."""
    assert process.stdout is not None
    while True:
        line = process.stdout.readline()
        assert line, f"isms serve stopped; it printed: {seen}"
        seen.append(line.rstrip("\n"))
        match = pattern.search(seen[-1])
        if match:
            return match


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_serve_prints_its_address_and_each_rebuild_and_cleans_up(tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = free_port()
    env = {**os.environ, "TMPDIR": str(temporary)}
    errors = (tmp_path / "stderr.txt").open("w", encoding="utf-8")
    command = [sys.executable, "-m", "toolkit", "serve", str(repo), "--dev-addr", f"127.0.0.1:{port}"]
    seen: list[str] = []
    with (
        errors,
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True, env=env) as process,
    ):
        try:
            with time_limit(180):
                built = read_until(process, re.compile(r"^Built the handbook: (\d+) pages in "), seen)
                url = read_until(
                    process, re.compile(r"^Serving the handbook at (\S+) \(press Ctrl\+C"), seen
                )[1]
                assert url == f"http://127.0.0.1:{port}/"
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own preview
                    assert b"Policy Handbook" in response.read()
                # isms.yml is watched as well as the documents: a change rebuilds the handbook.
                config = repo / "isms.yml"
                config.write_text(config.read_text(encoding="utf-8") + "\n", encoding="utf-8")
                assert read_until(process, REBUILT, seen)[1] == built[1]
                # A broken document: one plain line, no traceback, and the preview goes on.
                (repo / "policies" / "backup.md").write_text("no front matter\n", encoding="utf-8")
                after = len(seen)
                read_until(process, re.compile(r"^\d\d:\d\d:\d\d The rebuild failed: "), seen)
                assert not any(REBUILT.match(line) for line in seen[after:]), seen
                read_until(process, re.compile(r"^The preview keeps showing the last good build"), seen)
                assert process.poll() is None
                assert [path.name for path in temporary.iterdir()] != []  # MkDocs' site folder, while serving
        finally:
            process.send_signal(signal.SIGTERM)
            code = process.wait(timeout=60)
    assert code == 128 + signal.SIGTERM
    assert list(temporary.iterdir()) == [], "the preview's temporary site folder is removed"
    assert "Traceback" not in (tmp_path / "stderr.txt").read_text(encoding="utf-8")
