"""The CI files: a generated repository's GitHub workflow, GitLab file and pre-commit config, and the
toolkit's own action.yml, .pre-commit-hooks.yaml and release workflow, checked against the vendored
schemas (tests/fixtures/ci-schemas, offline) and for what each must do."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource

from tests.conftest import FIXTURES, ROOT
from toolkit import __version__
from toolkit.cli import cli
from toolkit.yamlio import parse

SCHEMAS = FIXTURES / "ci-schemas"
DATE = "2026-11-24"


def _offline(uri: str) -> Any:
    raise NoSuchResource(ref=uri)  # a schema that refers elsewhere fails here instead of downloading


def validate(schema_name: str, path: Path) -> list[str]:
    """The schema errors of the YAML file ``path`` (YAML 1.2: ``on:`` stays a key, not a boolean)."""
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    data, problem = parse(path.read_text(encoding="utf-8"))
    assert problem is None, problem
    validator = Draft7Validator(schema, registry=Registry(retrieve=_offline))
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(data)]


def load(path: Path) -> Any:
    data, problem = parse(path.read_text(encoding="utf-8"))
    assert problem is None, problem
    return data


def generate(tmp_path: Path, name: str, **answers: Any) -> Path:
    answers_file = tmp_path / f"{name}.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    target = tmp_path / name
    result = CliRunner().invoke(
        cli, ["init", str(target), "--no-input", "--date", DATE, "--answers", str(answers_file)]
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One generated repository per CI system and publishing target."""
    base = tmp_path_factory.mktemp("ci")
    return {
        "github": generate(base, "github"),
        "github-pages": generate(
            base, "github-pages", handbook_publish="github-pages", handbook_public_confirmed=True
        ),
        "gitlab": generate(base, "gitlab", ci="gitlab", toolkit_requirement="isms-toolkit==0.1.0"),
        "gitlab-pages": generate(
            base, "gitlab-pages", ci="gitlab", handbook_publish="gitlab-pages", handbook_public_confirmed=True
        ),
        "none": generate(base, "none", ci="none"),
    }


@pytest.mark.parametrize("name", ["github", "github-pages"])
def test_generated_workflow_passes_the_workflow_schema(repos: dict[str, Path], name: str) -> None:
    assert validate("github-workflow.json", repos[name] / ".github/workflows/isms.yml") == []


@pytest.mark.parametrize("name", ["gitlab", "gitlab-pages"])
def test_generated_gitlab_file_passes_gitlabs_schema(repos: dict[str, Path], name: str) -> None:
    assert validate("gitlab-ci.json", repos[name] / ".gitlab-ci.yml") == []


def test_the_toolkits_action_and_release_workflow_pass_their_schemas() -> None:
    assert validate("github-action.json", ROOT / "action.yml") == []
    assert validate("github-workflow.json", ROOT / ".github/workflows/release.yml") == []


def test_the_schemas_catch_a_broken_file(tmp_path: Path) -> None:
    """The validation can fail: a job without runs-on, a GitLab job with an unknown keyword."""
    workflow = tmp_path / "workflow.yml"
    workflow.write_text("on: push\njobs:\n  check:\n    steps:\n      - run: isms check\n", encoding="utf-8")
    assert validate("github-workflow.json", workflow)
    gitlab = tmp_path / ".gitlab-ci.yml"
    gitlab.write_text("check:\n  script: isms check\n  artefacts: {paths: [site]}\n", encoding="utf-8")
    assert validate("gitlab-ci.json", gitlab)


def test_one_ci_systems_files_are_generated(repos: dict[str, Path]) -> None:
    assert (repos["github"] / ".github/workflows/isms.yml").is_file()
    assert not (repos["github"] / ".gitlab-ci.yml").exists()
    assert (repos["gitlab"] / ".gitlab-ci.yml").is_file()
    assert not (repos["gitlab"] / ".github").exists()
    assert not (repos["none"] / ".gitlab-ci.yml").exists() and not (repos["none"] / ".github").exists()
    for repo in repos.values():
        assert (repo / ".pre-commit-config.yaml").is_file()
    readme = (repos["gitlab"] / "README.md").read_text(encoding="utf-8")
    assert "`.gitlab-ci.yml`" in readme and ".github/workflows" not in readme


def _steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def test_github_check_uploads_sarif_writes_a_summary_and_annotates(repos: dict[str, Path]) -> None:
    workflow = load(repos["github"] / ".github/workflows/isms.yml")
    job = workflow["jobs"]["check"]
    assert job["permissions"]["security-events"] == "write"
    runs = [step.get("run", "") for step in _steps(job)]
    assert "isms check --format github" in runs  # the gate, and annotations on the lines
    assert any('--format markdown >> "$GITHUB_STEP_SUMMARY"' in run for run in runs)
    assert any("--format sarif --output isms.sarif" in run for run in runs)
    (upload,) = [step for step in _steps(job) if "upload-sarif" in step.get("uses", "")]
    assert upload["with"]["sarif_file"] == "isms.sarif"
    # pushes and same-repository pull requests upload; pull requests from forks do not
    assert "github.event.pull_request.head.repo.full_name == github.repository" in upload["if"]
    assert "github.event_name != 'pull_request'" in upload["if"]
    assert set(workflow["on"]) == {"push", "pull_request"}


def test_github_handbook_is_an_artifact_unless_pages_was_chosen(repos: dict[str, Path]) -> None:
    artifact = load(repos["github"] / ".github/workflows/isms.yml")["jobs"]["handbook"]
    uses = [step.get("uses", "") for step in _steps(artifact)]
    assert "actions/upload-artifact@v4" in uses and "actions/deploy-pages@v4" not in uses
    assert "pages" not in artifact.get("permissions", {})
    pages = load(repos["github-pages"] / ".github/workflows/isms.yml")["jobs"]["handbook"]
    assert "actions/deploy-pages@v4" in [step.get("uses", "") for step in _steps(pages)]
    assert pages["permissions"]["pages"] == "write"


def test_gitlab_check_reports_junit_and_code_quality(repos: dict[str, Path]) -> None:
    gitlab = load(repos["gitlab"] / ".gitlab-ci.yml")
    job = gitlab["isms-check"]
    reports = job["artifacts"]["reports"]
    assert reports == {"junit": "isms-junit.xml", "codequality": "gl-code-quality-report.json"}
    assert job["artifacts"]["when"] == "always"
    assert any("--format junit --output isms-junit.xml" in line for line in job["script"])
    assert any("--format codequality --output gl-code-quality-report.json" in line for line in job["script"])
    assert job["script"][-1] == "isms check"  # the gate
    assert gitlab["variables"]["ISMS_TOOLKIT"] == "isms-toolkit==0.1.0"
    assert gitlab["default"]["before_script"] == ['pip install "$ISMS_TOOLKIT"']
    handbook = gitlab["handbook"]
    assert handbook["artifacts"]["paths"] == ["site"] and "pages" not in gitlab
    pages = load(repos["gitlab-pages"] / ".gitlab-ci.yml")
    assert pages["pages"]["artifacts"]["paths"] == ["public"] and "handbook" not in pages


@pytest.mark.parametrize(
    ("requirement", "repo", "rev"),
    [
        ("isms-toolkit @ git+https://git.example.in/tools/isms-toolkit@v9.8.7", None, "v9.8.7"),
        ("isms-toolkit==2.3.4", "SOURCE", "v2.3.4"),
        ("wheels/isms_toolkit-3.4.5-py3-none-any.whl", "SOURCE", "v3.4.5"),
    ],
)
def test_pre_commit_config_follows_the_toolkit_source(
    tmp_path: Path, requirement: str, repo: str | None, rev: str
) -> None:
    generated = generate(tmp_path, "company", toolkit_requirement=requirement)
    config = load(generated / ".pre-commit-config.yaml")
    (entry,) = config["repos"]
    expected = source_url() if repo == "SOURCE" else "https://git.example.in/tools/isms-toolkit"
    assert entry == {"repo": expected, "rev": rev, "hooks": [{"id": "isms-check"}]}
    workflow = load(generated / ".github/workflows/isms.yml")
    assert workflow["env"]["ISMS_TOOLKIT"] == requirement


def source_url() -> str:
    """The toolkit's repository as pyproject.toml names it (read here without the toolkit's code)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^\[project\.urls\]\n(?:.*\n)*?Source = "([^"]+)"', text, re.MULTILINE)
    assert found, "pyproject.toml names the repository in [project.urls] Source"
    return found[1]


def test_default_toolkit_source_is_the_repository_at_this_versions_tag(repos: dict[str, Path]) -> None:
    config = load(repos["github"] / ".pre-commit-config.yaml")
    assert config["repos"][0]["repo"] == source_url() and config["repos"][0]["rev"] == f"v{__version__}"
    workflow = load(repos["github"] / ".github/workflows/isms.yml")
    assert workflow["env"]["ISMS_TOOLKIT"] == f"isms-toolkit @ git+{source_url()}@v{__version__}"


def test_pre_commit_hooks_run_isms_check_on_markdown_and_yaml() -> None:
    (hook,) = load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "isms-check" and hook["entry"] == "isms check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for name in ("isms.yml", "soa.yml", "policies/backup.md", "registers/risks.yaml"):
        assert files.search(name), name
    for name in ("site/index.html", "notes.txt", "tools/x.py"):
        assert not files.search(name), name


def test_action_installs_checks_and_uploads() -> None:
    action = load(ROOT / "action.yml")
    assert set(action["inputs"]) >= {"path", "strict", "toolkit-requirement"}
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/setup-python@")
    assert any(use.startswith("github/codeql-action/upload-sarif@") for use in uses)
    runs = "\n".join(step.get("run", "") for step in steps)
    assert 'pip install "${REQUIREMENT:-$GITHUB_ACTION_PATH}"' in runs
    assert "--format sarif" in runs and "--format github" in runs and "GITHUB_STEP_SUMMARY" in runs


def test_release_workflow_checks_the_build_and_publishes_tags_by_trusted_publishing() -> None:
    release = load(ROOT / ".github/workflows/release.yml")
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    runs = "\n".join(step.get("run", "") for step in build["steps"])
    assert "python -m build" in runs and "twine check" in runs
    assert publish["needs"] == "build"
    assert "startsWith(github.ref, 'refs/tags/v')" in publish["if"]
    assert publish["permissions"] == {"id-token": "write"}
    assert [step["uses"] for step in publish["steps"]][-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert "password" not in json.dumps(publish)  # trusted publishing: no token
