"""Benchmark ``isms ack import`` and ``isms ack report`` at BPO size: 10,000 staff x 30 staff policies.

Generates a policy repository with 30 approved staff policies (audience all-staff), an HR roster export
of 10,000 staff (with names and other columns the import leaves out, and a few hundred leavers) and an
LMS export of about 300,000 acknowledgements (most staff acknowledged most policies), then times, end to
end as a user would run them:

- ``isms ack import roster.csv --roster`` and ``isms ack import lms.csv`` into an empty repository;
- the same acknowledgement import again (every row already recorded: the merge path);
- ``isms ack report`` as text, and as xlsx to a file;
- ``isms check --format json`` with the records beside it without them.

Each figure is the best of several runs. Usage: ``python bench/ack_bench.py [--staff 10000]
[--documents 30] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.seal import fingerprint  # noqa: E402
from toolkit.yamlio import parse  # noqa: E402

ISMS = """\
schema_version: 1
organisation: {name: Bench Services Private Limited, short_name: Bench}
scope: Voice and back-office processes delivered from Pune.
frameworks: [demo]
acknowledgements:
  threshold_percent: 95
  induction_days: 7
  columns: {employee_id: Employee ID, document_id: Course Code, version: Course Version, date: Completed On}
  roster_columns: {employee_id: Emp Code, team: Process, joined: DOJ, left: LWD}
"""
CATALOG = """\
id: demo
title: Demo catalog
version: "1"
kind: controls
controls:
  - {id: D.1, title: Staff rules, summary: Staff follow the rules.}
"""
SOA = """\
version: "1.0"
status: draft
controls:
  demo:D.1: {applicable: true, status: implemented}
"""
TODAY = dt.date(2026, 6, 1)


def policy(index: int) -> str:
    meta = f"""\
id: POL-STAFF-{index:02d}
title: Staff Policy {index:02d}
type: policy
status: approved
version: {1 + index % 3}.{index % 2}.0
owner: Chief Information Security Officer
approver: Chief Executive Officer
approved_on: 2026-01-15
review_cycle_months: 12
audience: all-staff
controls:
  - demo:D.1
"""
    body = f"\n# Staff Policy {index:02d}\n\nEvery member of staff follows rule {index}.\n"
    data, _problem = parse(meta)
    seal = fingerprint(data, body)
    return f'---\n{meta}approval_seal: "{seal}"\n---\n{body}'


def generate(folder: Path, staff: int, documents: int) -> tuple[Path, Path, Path]:
    rng = random.Random(11)
    repo = folder / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / "controls").mkdir()
    (repo / "isms.yml").write_text(ISMS, encoding="utf-8")
    (repo / "controls" / "demo.yml").write_text(CATALOG, encoding="utf-8")
    (repo / "soa.yml").write_text(SOA, encoding="utf-8")
    for index in range(documents):
        (repo / "policies" / f"staff-{index:02d}.md").write_text(policy(index), encoding="utf-8")
    roster = ["Emp Code,Employee Name,Process,DOJ,LWD,Mobile"]
    acks = ["Learner,Employee ID,Course Code,Course Version,Completed On,Score"]
    for number in range(staff):
        employee = f"E{100000 + number}"
        joined = TODAY - dt.timedelta(days=rng.randint(1, 900))
        left = (joined + dt.timedelta(days=rng.randint(30, 300))).isoformat() if rng.random() < 0.05 else ""
        roster.append(f"{employee},Agent {number},Process {number % 40},{joined},{left},9800000000")
        for index in range(documents):
            if rng.random() < 0.97:
                major = 1 + index % 3
                day = max(joined, dt.date(2026, 1, 15)) + dt.timedelta(days=rng.randint(0, 5))
                acks.append(f"Agent {number},{employee},POL-STAFF-{index:02d},{major}.0.0,{day} 10:15,100")
    (folder / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    (folder / "lms.csv").write_text("\n".join(acks) + "\n", encoding="utf-8")
    return repo, folder / "roster.csv", folder / "lms.csv"


def timed(args: list[str], repeat: int, reset: Path | None = None, *, findings: bool = False) -> float:
    """Best wall-clock time of ``args``; exit 1 (findings) is allowed only when ``findings``."""
    best = float("inf")
    for _ in range(repeat):
        if reset is not None:
            shutil.rmtree(reset, ignore_errors=True)
        start = time.perf_counter()
        done = subprocess.run(args, check=False, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
        if done.returncode not in ((0, 1) if findings else (0,)):
            raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    isms = [sys.executable, "-m", "toolkit"]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        repo, roster, lms = generate(folder, options.staff, options.documents)
        rows = len(lms.read_text(encoding="utf-8").splitlines()) - 1
        print(
            f"{options.staff} staff, {options.documents} documents, {rows} acknowledgement rows", flush=True
        )
        today = ["--today", TODAY.isoformat()]
        base = timed([*isms, "check", str(repo), "-f", "json", *today], options.repeat, findings=True)
        records = repo / "records"
        figures = {
            "ack import --roster (new)": timed(
                [*isms, "ack", "import", str(roster), str(repo), "--roster"], options.repeat, reset=records
            ),
        }
        subprocess.run([*isms, "ack", "import", str(roster), str(repo), "--roster"], check=True)
        shutil.rmtree(records / "acknowledgements", ignore_errors=True)
        figures["ack import (new)"] = timed(
            [*isms, "ack", "import", str(lms), str(repo)], options.repeat, reset=records / "acknowledgements"
        )
        subprocess.run([*isms, "ack", "import", str(lms), str(repo)], check=True, capture_output=True)
        figures["ack import (all repeated)"] = timed(
            [*isms, "ack", "import", str(lms), str(repo)], options.repeat
        )
        figures["ack report (text)"] = timed([*isms, "ack", "report", str(repo), *today], options.repeat)
        out = folder / "report.xlsx"
        figures["ack report (xlsx)"] = timed(
            [*isms, "ack", "report", str(repo), *today, "-o", str(out)], options.repeat
        )
        figures["check, no records"] = base
        figures["check, with records"] = timed(
            [*isms, "check", str(repo), "-f", "json", *today], options.repeat, findings=True
        )
        for name, seconds in figures.items():
            print(f"{name:<28} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
