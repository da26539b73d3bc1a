"""Snapshot every report the toolkit writes, to show a change leaves them byte-identical.

Runs ``isms check`` in every format on every example repository under ``tests/examples/`` (with each
case's own arguments) and on the generated example company, plus ``isms soa`` in md, csv and json on the
repositories that have a valid ``soa.yml``, and writes each output (with its exit code) into a folder.

Usage::

    python bench/output_snapshot.py OUT_DIR            # write the snapshot
    python bench/output_snapshot.py OUT_DIR --compare OLD_DIR

With ``--compare`` it prints every file that differs from OLD_DIR and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import filecmp
import sys
import tempfile
from pathlib import Path

import yaml
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.cli import cli  # noqa: E402

EXAMPLES = ROOT / "tests" / "examples"
CHECK_FORMATS = ("text", "json", "junit", "sarif", "github", "markdown")
SOA_FORMATS = ("md", "csv", "json")
TODAY = "2026-12-01"


def _record(out: Path, name: str, args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    (out / name).write_text(f"exit {result.exit_code}\n{result.output}", encoding="utf-8")


def snapshot(out: Path) -> int:
    """Write every output into ``out``; return how many were written."""
    out.mkdir(parents=True, exist_ok=True)
    repositories: list[tuple[str, Path, list[str]]] = []
    for case in sorted(EXAMPLES.iterdir()):
        if not (case / "case.yml").is_file():
            continue
        args = [str(arg) for arg in yaml.safe_load((case / "case.yml").read_text(encoding="utf-8"))["args"]]
        repositories.append((case.name, case / "repo", args))
    work = Path(tempfile.mkdtemp(prefix="isms-snapshot-"))
    generated = work / "example"
    CliRunner().invoke(cli, ["init", "--no-input", "--date", "2026-11-23", str(generated)])
    repositories.append(("generated-example", generated, ["--today", TODAY]))
    count = 0
    for name, repo, case_args in repositories:
        args = case_args if "--today" in case_args else [*case_args, "--today", TODAY]
        for output_format in CHECK_FORMATS:
            _record(out, f"{name}.check.{output_format}", ["check", str(repo), *args, "-f", output_format])
            count += 1
        if (repo / "soa.yml").is_file():
            for output_format in SOA_FORMATS:
                _record(
                    out,
                    f"{name}.soa.{output_format}",
                    ["soa", str(repo), "-f", output_format, "--today", TODAY],
                )
                count += 1
    # Absolute paths of the temporary example differ between runs; keep outputs comparable.
    for path in out.iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace(str(work), "<work>"), encoding="utf-8")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, metavar="OLD_DIR")
    options = parser.parse_args()
    count = snapshot(options.out)
    print(f"{count} outputs written to {options.out}")
    if options.compare is None:
        return 0
    names = sorted({p.name for p in options.out.iterdir()} | {p.name for p in options.compare.iterdir()})
    differ = [
        name
        for name in names
        if not (options.out / name).is_file()
        or not (options.compare / name).is_file()
        or not filecmp.cmp(options.out / name, options.compare / name, shallow=False)
    ]
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(names) - len(differ)} identical, {len(differ)} different")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
