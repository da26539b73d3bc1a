"""Benchmark ``isms build`` against a plain ``mkdocs build`` of the same Markdown without the isms plugin.

Two repositories: the built-in example company (31 documents) and a 300-document one (the example plus
generated policies). For each, times ``isms build`` (check, then the MkDocs build with the isms plugin)
and ``mkdocs build`` with the same mkdocs.yml minus the isms plugin, in turn, round after round, and prints
the best and the median of each, and the ratio (best to best, and the median of each round's ratio: the
figure least moved by other load on the machine). Usage: ``python bench/build_bench.py [--repeat 15]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit import scaffold  # noqa: E402

RUN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
FILLER = (
    "Staff must lock screens when leaving the desk and keep client data inside the process floor. "
    "Report any lost badge to the floor supervisor within one hour and never share a login.\n\n"
)


def isms_command() -> list[str]:
    script = Path(sys.executable).parent / "isms"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "toolkit"]


def grow(repo: Path, documents: int) -> None:
    """Add generated approved-looking drafts until the repository holds ``documents`` documents."""
    existing = len(list((repo / "policies").glob("*.md")))
    for index in range(documents - existing):
        front = (
            f"---\nid: POL-EXTRA-{index:04d}\ntitle: Extra Procedure {index}\ntype: procedure\n"
            "area: IT operations\nstatus: draft\nversion: 0.1.0\nowner: Head of IT\ncontrols:\n"
            "  - iso27001-2022:A.8.1\n---\n"
        )
        body = f"\n# Extra Procedure {index}\n\n" + "## Steps\n\n" + FILLER * 8
        (repo / "policies" / f"extra-{index:04d}.md").write_text(front + body, encoding="utf-8")


def plain_config(repo: Path) -> Path:
    """mkdocs.yml without the isms plugin (and without its validation of the nav)."""
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [plugin for plugin in config["plugins"] if plugin != "isms"]
    config["strict"] = False
    path = repo / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def interleaved(commands: list[list[str]], repeat: int, cwd: Path) -> list[list[float]]:
    """Run the commands in turn, ``repeat`` rounds after a warm-up round, so that each sees the same
    machine conditions; return each command's wall-clock times."""
    times: list[list[float]] = [[] for _ in commands]
    for attempt in range(repeat + 1):
        for index, command in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(command, cwd=cwd, env=RUN_ENV, check=True, capture_output=True)
            if attempt:
                times[index].append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="isms-build-bench-") as temp:
        for label, documents in (("example", 0), ("300 documents", 300)):
            repo = Path(temp) / label.replace(" ", "-")
            scaffold.render({}, repo)
            if documents:
                grow(repo, documents)
            count = len(list((repo / "policies").glob("*.md")))
            plain_command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain_config(repo))]
            ours, plain = interleaved(
                [
                    [*isms_command(), "build", str(repo), "--site-dir", str(repo / "site-isms")],
                    [*plain_command, "-d", str(repo / "site-plain")],
                ],
                args.repeat,
                repo,
            )
            rows.append((label, count, ours, plain))
    header = f"{'repository':<14} {'documents':>9}  {'isms build':<20} {'plain mkdocs build':<20}"
    print(f"{header} ratio (best, median of rounds)")
    for label, count, ours, plain in rows:
        per_round = statistics.median(mine / theirs for mine, theirs in zip(ours, plain, strict=True))
        ratios = f"{min(ours) / min(plain):.2f}x, {per_round:.2f}x"
        print(
            f"{label:<14} {count:>9}  {min(ours):.2f}s (med {statistics.median(ours):.2f}s)  "
            f"{min(plain):.2f}s (med {statistics.median(plain):.2f}s)  {ratios}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
