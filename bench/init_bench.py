"""Benchmark ``isms init``: the render time of the full document set for the example company.

Times, end to end as a user runs it, ``isms init --no-input`` into a fresh folder, and separately the
library call :func:`toolkit.scaffold.render` in one process (no interpreter start-up). Each figure is the
best of several runs. Usage: ``python bench/init_bench.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import scaffold  # noqa: E402

RUN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def isms_command() -> list[str]:
    script = Path(sys.executable).parent / "isms"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "toolkit"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cli_times, library_times = [], []
    with tempfile.TemporaryDirectory(prefix="isms-init-bench-") as temp:
        for attempt in range(args.repeat + 1):
            target = Path(temp) / f"cli-{attempt}"
            start = time.perf_counter()
            subprocess.run(
                [*isms_command(), "init", "--no-input", str(target)],
                env=RUN_ENV,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            if attempt:
                cli_times.append(time.perf_counter() - start)
        files = sum(1 for path in (Path(temp) / "cli-1").rglob("*") if path.is_file())
        documents = len(list((Path(temp) / "cli-1" / "policies").glob("*.md")))
        for attempt in range(args.repeat + 1):
            start = time.perf_counter()
            scaffold.render({}, Path(temp) / f"lib-{attempt}")
            if attempt:
                library_times.append(time.perf_counter() - start)
    print(
        f"isms init --no-input (end to end): {min(cli_times):.2f} s for {files} files ({documents} documents)"
    )
    print(f"toolkit.scaffold.render (in process): {min(library_times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
