"""A generated repository installs the toolkit as its workflow says, and its pre-commit hook works.

The toolkit is made into a git repository in tmp_path (a copy of this checkout, tagged with this
version), so the tests need no network: the workflow's own install step installs it from that repository
at the tag, or from a wheel built here, into a fresh virtual environment whose dependencies come from the
environment running the tests. ``pre-commit try-repo`` of that repository then runs ``isms-check`` on a
generated repository; pre-commit builds the hook's environment offline too (no index, no build
isolation: hatchling and the dependencies come from the environment running the tests).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import ROOT
from toolkit import __version__
from toolkit.cli import cli
from toolkit.yamlio import parse

pytestmark = pytest.mark.slow

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w"]
TRY_REPO = [sys.executable, "-m", "pre_commit", "try-repo"]
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv*", "__pycache__", ".*_cache", ".hypothesis", "build", "dist", "site", "*.egg-info"
)


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def as_git_repository(folder: Path, tag: str | None = None) -> Path:
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "snapshot")
    if tag:
        git(folder, "tag", tag)
    return folder


@pytest.fixture(scope="module")
def toolkit_repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as a git repository, tagged v<this version>, as a release of the toolkit would be."""
    target = tmp_path_factory.mktemp("toolkit") / "isms-toolkit"
    shutil.copytree(ROOT, target, ignore=NOT_COPIED)
    return as_git_repository(target, f"v{__version__}")


def generate(target: Path, **answers: str) -> Path:
    answers_file = target.with_suffix(".json")
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["init", str(target), "--no-input", "--date", "2026-11-24", "--answers", str(answers_file)]
    )
    assert result.exit_code == 0, result.output
    return target


def fresh_environment(where: Path) -> Path:
    """A new virtual environment that sees the test environment's packages (so nothing is downloaded),
    its own site-packages first; returns its bin folder."""
    venv.EnvBuilder(with_pip=True).create(where)
    bindir = where / ("Scripts" if os.name == "nt" else "bin")
    site = subprocess.run(
        [str(bindir / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    here = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    (Path(site) / "test-dependencies.pth").write_text("\n".join(sorted(here)) + "\n", encoding="utf-8")
    return bindir


def workflow_step(repo: Path, job: str, name: str) -> tuple[str, dict[str, str]]:
    """The ``run`` of the step called ``name`` in the generated workflow, and the workflow's env."""
    data, problem = parse((repo / ".github/workflows/isms.yml").read_text(encoding="utf-8"))
    assert problem is None
    (step,) = [step for step in data["jobs"][job]["steps"] if step.get("name") == name]
    return step["run"], {key: str(value) for key, value in data["env"].items()}


def run_like_the_workflow(
    repo: Path, bindir: Path, step: str, **overrides: str
) -> subprocess.CompletedProcess[str]:
    run, env = workflow_step(repo, "check", step)
    environment = {
        **os.environ,
        **env,
        **overrides,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "PIP_NO_INDEX": "1",  # everything it needs is here already
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling for "build with hatchling from here"
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    return subprocess.run(
        ["bash", "-e", "-c", run], cwd=repo, env=environment, capture_output=True, text=True, check=False
    )


def assert_installed_here(bindir: Path, env_dir: Path, repo: Path) -> None:
    where = subprocess.run(
        [str(bindir / "python"), "-c", "import toolkit.resources as r; print(r.controls_dir())"],
        cwd=repo.parent,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where


def test_the_workflow_installs_the_default_form_a_git_url_at_the_tag(
    toolkit_repository: Path, tmp_path: Path
) -> None:
    url = f"git+file://localhost{toolkit_repository.as_posix()}@v{__version__}"
    repo = generate(tmp_path / "company", toolkit_requirement=f"isms-toolkit @ {url}")
    bindir = fresh_environment(tmp_path / "venv")
    # The install really comes from the tag: a tag the repository lacks fails the same step.
    missing = f"isms-toolkit @ git+file://localhost{toolkit_repository.as_posix()}@v0.0.0-missing"
    failed = run_like_the_workflow(repo, bindir, "Install isms-toolkit", ISMS_TOOLKIT=missing)
    assert failed.returncode != 0 and "v0.0.0-missing" in failed.stdout + failed.stderr
    installed = run_like_the_workflow(repo, bindir, "Install isms-toolkit")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert_installed_here(bindir, tmp_path / "venv", repo)
    checked = run_like_the_workflow(repo, bindir, "Check control coverage")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "::warning file=" in checked.stdout  # annotations for the drafted controls


def test_the_workflow_installs_a_wheel_kept_in_the_repository(
    toolkit_repository: Path, tmp_path: Path
) -> None:
    built = tmp_path / "built"
    subprocess.run(
        [*PIP_WHEEL, str(built), str(toolkit_repository)],
        check=True,
        capture_output=True,
    )
    (wheel,) = built.glob("isms_toolkit-*.whl")
    repo = generate(tmp_path / "company", toolkit_requirement=f"wheels/{wheel.name}")
    (repo / "wheels").mkdir()
    shutil.copy(wheel, repo / "wheels")
    bindir = fresh_environment(tmp_path / "venv")
    installed = run_like_the_workflow(repo, bindir, "Install isms-toolkit")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert_installed_here(bindir, tmp_path / "venv", repo)


def try_repo(toolkit: Path, repo: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit try-repo`` of the toolkit at its tag, in ``repo``: offline, the hook's environment
    built with hatchling and the dependencies of the environment running the tests (on PYTHONPATH)."""
    here = sorted({sysconfig.get_paths()[key] for key in ("purelib", "platlib")})
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
        "PYTHONPATH": os.pathsep.join(here),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",
    }
    return subprocess.run(
        [*TRY_REPO, str(toolkit), "isms-check", "--all-files", "--ref", f"v{__version__}"],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_pre_commit_try_repo_passes_a_generated_repository_and_fails_a_broken_one(
    toolkit_repository: Path, tmp_path: Path
) -> None:
    repo = as_git_repository(generate(tmp_path / "company"))
    passed = try_repo(toolkit_repository, repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "isms check" in passed.stdout and "Passed" in passed.stdout
    soa = repo / "soa.yml"
    soa.write_text(
        soa.read_text(encoding="utf-8").replace("\ncontrols:", "\ncontrols: [", 1), encoding="utf-8"
    )
    git(repo, "add", "soa.yml")  # staged, as a commit would have it
    failed = try_repo(toolkit_repository, repo)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout and "soa.yml" in failed.stdout
