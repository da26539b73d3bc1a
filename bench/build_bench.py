"""Benchmark ``isms build`` against a plain ``mkdocs build`` of the same Markdown without the isms plugin.

Two repositories: the built-in example company (31 documents) and a 300-document one (the example plus
generated policies). For each, times ``isms build`` (check, then the MkDocs build with the isms plugin)
and ``mkdocs build`` with the same mkdocs.yml minus the isms plugin, in turn, round after round, and prints
the best and the median of each, and the ratio (best to best, and the median of each round's ratio: the
figure least moved by other load on the machine). Beside each wall-clock time it prints the CPU time
(user + system) of the build process, the figure least moved by other work on a shared machine.

Then, for the large sizes (``--large 1000,5000``; ``--large ''`` for none), the example grown to that many
documents in one area (the shape that puts the most links on one page) is built with ``isms build``
(best of ``--large-repeat``), and the sizes of its pages are printed: a document page (the largest),
the home page, the search index and the printable page.
Usage: ``python bench/build_bench.py [--repeat 15] [--large 1000,5000] [--large-repeat 1]``.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Run ``command``; return its wall-clock time and its CPU time (user + system, children included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=RUN_ENV, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleaved(commands: list[list[str]], repeat: int, cwd: Path) -> list[list[tuple[float, float]]]:
    """Run the commands in turn, ``repeat`` rounds after a warm-up round, so that each sees the same
    machine conditions; return each command's (wall-clock, CPU) times."""
    times: list[list[tuple[float, float]]] = [[] for _ in commands]
    for attempt in range(repeat + 1):
        for index, command in enumerate(commands):
            result = timed(command, cwd)
            if attempt:
                times[index].append(result)
    return times


def shown(runs: list[tuple[float, float]]) -> str:
    walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
    return (
        f"{min(walls):.2f}s (med {statistics.median(walls):.2f}s, "
        f"cpu {min(cpus):.2f}s med {statistics.median(cpus):.2f}s)"
    )


def page_sizes(site: Path) -> dict[str, int]:
    """The largest document page, the home page, the search index and the printable page, in bytes."""
    # The site names each page's file (it opens from disk): documents are the top-level .html files.
    documents = [
        path for path in site.glob("*.html") if path.name not in ("index.html", "404.html", "print_page.html")
    ]
    return {
        "largest document page": max(path.stat().st_size for path in documents),
        "home page": (site / "index.html").stat().st_size,
        "search index": (site / "search" / "search_index.json").stat().st_size,
        "print page": (site / "print_page.html").stat().st_size,
    }


def large(temp: Path, sizes: list[int], repeat: int) -> None:
    for documents in sizes:
        repo = temp / f"large-{documents}"
        scaffold.render({}, repo)
        grow(repo, documents)
        site = repo / "site-isms"
        command = [*isms_command(), "build", str(repo), "--site-dir", str(site)]
        runs = [timed(command, repo) for _ in range(repeat)]
        sizes_kb = ", ".join(f"{name} {size / 1024:,.0f} KB" for name, size in page_sizes(site).items())
        print(f"{documents:>6} documents: isms build {shown(runs)}; {sizes_kb}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--large", default="1000,5000", help="document counts, comma-separated")
    parser.add_argument("--large-repeat", type=int, default=1)
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
        print("repository      documents  isms build | plain mkdocs build | ratio (best, median of rounds)")
        for label, count, ours, plain in rows:
            per_round = statistics.median(
                mine[0] / theirs[0] for mine, theirs in zip(ours, plain, strict=True)
            )
            best = min(wall for wall, _ in ours) / min(wall for wall, _ in plain)
            cpu = statistics.median(mine[1] / theirs[1] for mine, theirs in zip(ours, plain, strict=True))
            print(
                f"{label:<14} {count:>9}  {shown(ours)} | {shown(plain)} | "
                f"{best:.2f}x, {per_round:.2f}x (cpu {cpu:.2f}x)"
            )
        large(Path(temp), [int(size) for size in args.large.split(",") if size.strip()], args.large_repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
