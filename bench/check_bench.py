"""Benchmark ``isms check`` against a parse-only baseline and check-jsonschema.

Generates policy repositories of 1,000 and 10,000 documents (3 to 8 controls each, about 2 KB of text),
then times, end to end as a user would run them:

- ``isms check --format json`` on the repository;
- a minimal script that only reads the files and parses their front matter with PyYAML's C loader;
- ``check-jsonschema`` validating the same front matter (written out as YAML files) against the same
  schema (``schemas/policy.schema.json``).

With ``--risks N`` it also times ``isms check`` on the same documents plus a risk register of N risks
(scored on a risk method, with roles and classification levels in isms.yml, every risk passing the
register rules) against the documents alone, the two run in turn round after round: the best
wall-clock times and the median CPU times (the figure least moved by other load on the machine).

With ``--against REV`` (a commit of this repository, e.g. the one an issue was measured on) it times
that toolkit too, on the same documents without approval seals (it may not know them), in turn with
this toolkit on the documents alone and with the risks, and gives each against it: the best, the mean
of the fastest third and the median wall-clock time of the rounds.

It also times ``isms --help`` beside ``python -c "import click"``. Each figure is the best of several runs.
Usage: ``python bench/check_bench.py [--sizes 1000 10000] [--repeat 3] [--risks 2000] [--against REV]``.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.catalogs import load_catalogs  # noqa: E402
from toolkit.seal import fingerprint  # noqa: E402
from toolkit.yamlio import parse  # noqa: E402

PARSE_ONLY = """
import sys
from pathlib import Path
import yaml
loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
count = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    end = text.index("\\n---", 3)
    data = yaml.load(text[4:end], Loader=loader)
    count += len(data)
print(count)
"""

SENTENCE = (
    "staff must lock screens when leaving the desk and keep client data inside the process floor only "
    "report any lost badge to the floor supervisor within one hour and never share a login with anyone"
)
WORDS = SENTENCE.split(" ")


RISK_CONFIG = """roles:
  top_management: {title: Chief Executive Officer}
  ciso: {title: Chief Information Security Officer}
classification_levels:
  internal: Staff only.
  confidential: Named teams only.
risk_method:
  likelihood: [Rare, Unlikely, Possible, Likely, Almost certain]
  impact: [Minor, Moderate, Serious, Major, Severe]
  treatment_threshold: 8
  acceptance_threshold: 12
  acceptance_authority: top_management
"""


def risk_register(risks: int, controls: list[str], rng: random.Random) -> str:
    """``registers/risks.yml`` with ``risks`` risks that pass every register rule."""
    lines = ["schema_version: 1", "risks:"]
    for index in range(risks):
        likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
        lines += [
            f"  - id: RSK-{index:05d}",
            f"    title: Benchmark risk {index}",
            "    assets: [process:benchmark]",
            "    threat: Client data is seen by someone who should not see it.",
            "    vulnerability: A step of the process is not followed on a busy shift.",
            "    owner: Chief Information Security Officer",
            f"    likelihood: {likelihood}",
            f"    impact: {impact}",
            f"    level: {likelihood * impact}",
        ]
        if likelihood * impact < 8:
            lines.append("    treatment: accept")
            continue
        lines += ["    treatment: reduce", "    controls:"]
        lines += [f"      - {ref}" for ref in rng.sample(controls, 2)]
        lines += [
            "    action:",
            "      description: Add the missing step to the shift checklist and train the team.",
            "      owner: ciso",
            "      due: 2099-12-31",
            "      status: planned",
            f"    residual: {{likelihood: {rng.randint(1, 2)}, impact: {rng.randint(1, 3)}}}",
        ]
    return "\n".join(lines) + "\n"


def make_repository(folder: Path, documents: int, seed: int = 7, risks: int = 0, seal: bool = True) -> Path:
    """A policy repository of ``documents`` approved documents referencing the Annex A catalog, and with
    ``risks`` a risk register of that many risks (and the roles and risk method they need)."""
    rng = random.Random(seed)
    controls = [control.ref for control in load_catalogs()["iso27001-2022"]]
    clauses = [control.ref for control in load_catalogs()["iso27001-2022-clauses"]]
    repo = folder / (f"repo-{documents}-risks-{risks}" if risks else f"repo-{documents}")
    policies = repo / "policies"
    policies.mkdir(parents=True)
    (repo / "isms.yml").write_text(
        "organisation:\n  name: Bench Services Private Limited\nscope: Benchmark scope statement.\n"
        "frameworks: [iso27001-2022]\n" + (RISK_CONFIG if risks else ""),
        encoding="utf-8",
    )
    if risks:
        (repo / "registers").mkdir()
        (repo / "registers" / "risks.yml").write_text(risk_register(risks, controls, rng), encoding="utf-8")
    (repo / "soa.yml").write_text("controls: {}\n", encoding="utf-8")
    front_matters = folder / (f"front-matter-{documents}" + (f"-risks-{risks}" if risks else ""))
    front_matters.mkdir()
    for index in range(documents):
        refs = rng.sample(controls, rng.randint(3, 8))
        if index < len(clauses):
            refs.append(clauses[index])
        front = (
            f"id: POL-BENCH-{index:05d}\n"
            f"title: Benchmark Policy {index}\n"
            "type: policy\nstatus: approved\nversion: 1.0.0\n"
            "owner: Chief Information Security Officer\napprover: Chief Executive Officer\n"
            "approved_on: 2026-06-01\nreview_cycle_months: 12\nclassification: internal\n"
            "audience: all-staff\ncontrols:\n"
            + "".join(f"  - {ref}\n" for ref in refs)
            + "changelog:\n  - {version: 1.0.0, date: 2026-06-01, summary: First issue}\n"
        )
        words = []
        while sum(len(word) + 1 for word in words) < 2000:
            words.append(rng.choice(WORDS))
        body = f"\n# Benchmark Policy {index}\n\n" + " ".join(words) + "\n"
        # Sealed, as `isms approve` leaves an approved document. Toolkits from before approval seals do
        # not know the key: comparisons with them use seal=False.
        if seal:
            front += f'approval_seal: "{fingerprint(parse(front)[0], body)}"\n'
        (policies / f"policy-{index:05d}.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        (front_matters / f"policy-{index:05d}.yaml").write_text(front, encoding="utf-8")
    return repo


# As an installed copy runs: with Python's bytecode cache (some machines disable it for the session).
RUN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def best_of(command: list[str], repeat: int, cwd: Path | None = None) -> float:
    """Best wall-clock time of ``repeat`` runs after one warm-up run, in seconds."""
    times = []
    for attempt in range(repeat + 1):
        start = time.perf_counter()
        subprocess.run(
            command, cwd=cwd, env=RUN_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        if attempt:
            times.append(time.perf_counter() - start)
    return min(times)


def paired(commands: list[list[str]], repeat: int) -> list[tuple[float, float]]:
    """Run ``commands`` in turn, round after round (a warm-up round first), so that each sees the same
    machine conditions: for each, its best wall-clock time and its median CPU time (user + system)."""
    import resource  # noqa: PLC0415 - Unix only, and only here

    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for attempt in range(repeat + 1):
        for index, command in enumerate(commands):
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(
                command, env=RUN_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if attempt:
                walls[index].append(wall)
                cpus[index].append(after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime)
    return [(min(wall), sorted(cpu)[len(cpu) // 2]) for wall, cpu in zip(walls, cpus, strict=True)]


def toolkit_at(revision: str, folder: Path) -> Path:
    """This repository's toolkit at ``revision``, exported with ``git archive`` into ``folder`` and
    compiled, so that it runs as an installed copy would."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision],
        capture_output=True,
        check=True,
    ).stdout
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(folder / "toolkit")],
        env=RUN_ENV,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return folder


def against(revision: str, work: Path, sealed: Path, with_risks: Path, repeat: int) -> None:
    """Print this toolkit's time on the sealed documents, and on them with the risks, against the
    toolkit at ``revision`` on the same documents unsealed, interleaved round by round."""
    work.mkdir()
    baseline = toolkit_at(revision, work / "baseline")
    (work / "unsealed").mkdir()
    size = len(list((sealed / "policies").iterdir()))
    risks = with_risks.name.rsplit("-", 1)[-1]
    plain = make_repository(work / "unsealed", size, seal=False)
    old = [sys.executable, "-m", "toolkit", "check", str(plain), "--format", "json"]
    runs = {
        f"{revision}, {size} documents": (old, {**RUN_ENV, "PYTHONPATH": str(baseline)}),
        f"now, {size} documents (sealed)": (
            [*isms_command(), "check", str(sealed), "--format", "json"],
            RUN_ENV,
        ),
        f"now, {size} documents + {risks} risks": (
            [*isms_command(), "check", str(with_risks), "--format", "json"],
            RUN_ENV,
        ),
    }
    times: dict[str, list[float]] = {label: [] for label in runs}
    for attempt in range(repeat + 1):
        for label, (command, env) in runs.items():
            start = time.perf_counter()
            subprocess.run(
                command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
            )
            if attempt:
                times[label].append(time.perf_counter() - start)

    def figures(values: list[float]) -> tuple[float, float, float]:
        ordered = sorted(values)
        third = ordered[: max(1, len(ordered) // 3)]
        return ordered[0], sum(third) / len(third), ordered[len(ordered) // 2]

    base = figures(times[next(iter(runs))])
    print(f"against {revision} ({repeat} interleaved rounds): best, mean of the fastest third, median")
    for label, values in times.items():
        best, third, median = figures(values)
        print(
            f"  {label:<40} {best:.3f}s ({best / base[0]:.2f}x)  {third:.3f}s ({third / base[1]:.2f}x)  "
            f"{median:.3f}s ({median / base[2]:.2f}x)"
        )


def isms_command() -> list[str]:
    """The installed console script beside this Python (not a version manager's shim), else ``-m``."""
    script = Path(sys.executable).parent / "isms"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "toolkit"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--risks", type=int, default=0, help="also time each size with this many risks")
    parser.add_argument(
        "--against", metavar="REV", help="also time the toolkit at this commit (needs --risks)"
    )
    args = parser.parse_args()
    if args.against and not args.risks:
        parser.error("--against needs --risks")
    checker = shutil.which("check-jsonschema")
    schema = ROOT / "schemas" / "policy.schema.json"
    rows = []
    risk_rows: list[tuple[int, tuple[float, float], tuple[float, float]]] = []
    with tempfile.TemporaryDirectory(prefix="isms-bench-") as temp:
        folder = Path(temp)
        for size in args.sizes:
            repo = make_repository(folder, size)
            script = folder / "parse_only.py"
            script.write_text(PARSE_ONLY, encoding="utf-8")
            ours = best_of([*isms_command(), "check", str(repo), "--format", "json"], args.repeat)
            parse_only = best_of([sys.executable, str(script), str(repo)], args.repeat)
            peer = None
            if checker:
                files = sorted(str(path) for path in (folder / f"front-matter-{size}").iterdir())
                peer = best_of([checker, "--schemafile", str(schema), *files], max(1, args.repeat - 1))
            rows.append((size, ours, parse_only, peer))
            if args.risks:
                with_risks = make_repository(folder, size, risks=args.risks)
                without, timed = paired(
                    [
                        [*isms_command(), "check", str(repo), "--format", "json"],
                        [*isms_command(), "check", str(with_risks), "--format", "json"],
                    ],
                    max(args.repeat, 5),
                )
                risk_rows.append((size, without, timed))
                if args.against:
                    rounds = max(args.repeat, 9)
                    against(args.against, folder / f"against-{size}", repo, with_risks, rounds)
    help_time = best_of([*isms_command(), "--help"], 5)
    click_time = best_of([sys.executable, "-c", "import click"], 5)

    print(
        f"{'documents':>10} {'isms check':>11} {'parse only':>11} {'check-jsonschema':>17} "
        f"{'vs parse':>9} {'peer/isms':>10}"
    )
    for size, ours, parse_only, peer in rows:
        peer_text = f"{peer:16.2f}s" if peer is not None else f"{'not installed':>17}"
        ratio = f"{peer / ours:9.1f}x" if peer is not None else f"{'-':>10}"
        print(f"{size:>10} {ours:10.2f}s {parse_only:10.2f}s {peer_text} {ours / parse_only:8.2f}x {ratio}")
    if len(rows) >= 2:
        (small, small_time, *_), (large, large_time, *_) = rows[0], rows[-1]
        print(f"scaling: {large / small:.0f}x the documents took {large_time / small_time:.1f}x the time")
    for size, (without, without_cpu), (timed, timed_cpu) in risk_rows:
        print(
            f"{size} documents + {args.risks} risks: {timed:.2f}s against {without:.2f}s without risks "
            f"({timed / without:.2f}x); CPU time (median) {timed_cpu:.2f}s against {without_cpu:.2f}s "
            f"({timed_cpu / without_cpu:.2f}x)"
        )
    print(
        f"isms --help: {help_time * 1000:.0f} ms; python -c 'import click': {click_time * 1000:.0f} ms; "
        f"ratio {help_time / click_time:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
