"""The built wheel carries controls/, schemas/ and policy_templates/ and works outside the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("isms_toolkit-*.whl")
    return built


def test_wheel_contains_the_data_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "toolkit/_data/schemas/policy.schema.json",
        "toolkit/_data/policy_templates/cookiecutter.json",
        "toolkit/cli/__init__.py",
        "toolkit/sources/documents.py",
        "toolkit/rules/coverage.py",
    ):
        assert expected in names
    assert any(name.startswith("toolkit/_data/controls/") and name.endswith(".yml") for name in names)
    assert not any(name.startswith("tests/") for name in names)


@pytest.mark.slow
def test_installed_wheel_checks_a_repository_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # The dependencies come from the environment running the tests (whatever it is: a virtual
    # environment or the system's), named in a .pth file, so nothing is downloaded; the wheel itself is
    # installed into the new environment, whose own site-packages come first on sys.path.
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    new_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    here = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    (Path(new_site) / "test-dependencies.pth").write_text("\n".join(sorted(here)) + "\n", encoding="utf-8")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    where = subprocess.run(
        [str(python), "-c", "import toolkit.resources as r; print(r.controls_dir())"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(env_dir), where
    repo = tmp_path / "company"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    result = subprocess.run(
        [str(bindir / "isms"), "check", str(repo), "--today", "2026-06-01"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED" in result.stdout
    broken = subprocess.run(
        [str(bindir / "isms"), "check", str(EXAMPLES / "broken-link" / "repo"), "--today", "2026-06-01"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert broken.returncode == 1
