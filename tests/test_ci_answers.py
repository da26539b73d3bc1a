"""The answers about CI, handbook publishing and the toolkit source: refused when they do not fit
together, asked at the prompts, and the handbook-public warning of isms check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from toolkit.cli import cli
from toolkit.distribution import RequirementError, parse_requirement

DATE = "2026-11-24"


def init_with(tmp_path: Path, text: str):
    answers = tmp_path / "answers.yml"
    answers.write_text(text, encoding="utf-8")
    return CliRunner().invoke(
        cli, ["init", str(tmp_path / "out"), "--no-input", "--date", DATE, "--answers", str(answers)]
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("company_name: Acme\nhandbook_publish: gitlab-pages\n", 2, "set ci: gitlab"),
        ("ci: github\nhandbook_publish: github-pages\n", 2, "handbook_public_confirmed: true"),
        ("handbook_classification: staff-only\n", 1, "'staff-only' is not one of classification_levels"),
        ("toolkit_requirement: isms-toolkit>=0.1\n", 1, "not a pinned toolkit requirement"),
        ("toolkit_requirement: git+https://github.com/o/isms-toolkit\n", 1, "names no tag"),
    ],
)
def test_answers_that_do_not_fit_are_refused_with_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    result = init_with(tmp_path, text)
    assert result.exit_code == 2, result.output
    assert f"answers.yml:{line}:" in result.stderr and words in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_confirmed_website_or_a_public_handbook_is_accepted(tmp_path: Path) -> None:
    result = init_with(tmp_path, "handbook_publish: github-pages\nhandbook_public_confirmed: true\n")
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((tmp_path / "out" / "isms.yml").read_text(encoding="utf-8"))
    assert config["handbook"] == {
        "classification": "internal",
        "publish": "github-pages",
        "confirmed_public": True,
    }
    shutil.rmtree(tmp_path / "out")
    result = init_with(tmp_path, "handbook_publish: github-pages\nhandbook_classification: public\n")
    assert result.exit_code == 0, result.output


def test_the_default_handbook_is_an_internal_artifact(tmp_path: Path) -> None:
    assert init_with(tmp_path, "company_name: Acme\n").exit_code == 0
    config = yaml.safe_load((tmp_path / "out" / "isms.yml").read_text(encoding="utf-8"))
    assert config["handbook"] == {
        "classification": "internal",
        "publish": "artifact",
        "confirmed_public": False,
    }


PROMPTS = (
    ["Acme Outsourcing Pvt Ltd", "Acme", "", "kpo", "us", "", "n", "", "", ""]
    + [""] * (5 + 2 + 12)
    + [""] * 7
)  # software, voice and cards at their defaults; then the two sites as they are


def test_prompts_ask_for_the_ci_and_a_website_needs_a_yes(tmp_path: Path) -> None:
    # CI gitlab, publish gitlab-pages, decline the website (so: artifact), an unpinned source then a pin
    keystrokes = [*PROMPTS, "gitlab", "gitlab-pages", "n", "isms-toolkit", "isms-toolkit==0.1.0"]
    result = CliRunner().invoke(
        cli, ["init", str(tmp_path / "acme"), "--date", DATE], input="\n".join(keystrokes) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "public on most plans" in result.output and "not a pinned toolkit requirement" in result.output
    recorded = yaml.safe_load((tmp_path / "acme" / ".isms" / "answers.yml").read_text(encoding="utf-8"))
    assert recorded["ci"] == "gitlab" and recorded["handbook_publish"] == "artifact"
    assert recorded["toolkit_requirement"] == "isms-toolkit==0.1.0"
    assert (tmp_path / "acme" / ".gitlab-ci.yml").is_file() and not (tmp_path / "acme" / ".github").exists()


def test_prompts_offer_only_the_ci_systems_website(tmp_path: Path) -> None:
    keystrokes = [*PROMPTS, "github", "gitlab-pages", "github-pages", "y", ""]
    result = CliRunner().invoke(
        cli, ["init", str(tmp_path / "acme"), "--date", DATE], input="\n".join(keystrokes) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "'gitlab-pages' is not one of 'artifact', 'github-pages'" in result.output
    config = yaml.safe_load((tmp_path / "acme" / "isms.yml").read_text(encoding="utf-8"))
    assert config["handbook"]["publish"] == "github-pages" and config["handbook"]["confirmed_public"] is True


def check_json(repo: Path) -> dict:
    result = CliRunner().invoke(cli, ["check", str(repo), "--today", "2026-06-01", "--format", "json"])
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("change", "warned"),
    [
        ("", True),
        ("  confirmed_public: true\n", False),
        ("  confirmed_public: false\n", True),
    ],
)
def test_handbook_public_warns_until_confirmed(tmp_path: Path, change: str, warned: bool) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "handbook-public" / "repo", repo)
    with (repo / "isms.yml").open("a", encoding="utf-8") as handle:
        handle.write(change)
    codes = [finding["code"] for finding in check_json(repo)["findings"]]
    assert ("handbook-public" in codes) is warned


@pytest.mark.parametrize(
    ("old", "new"), [("internal\n  publish", "public\n  publish"), ("github-pages", "artifact")]
)
def test_handbook_public_is_quiet_for_a_public_handbook_or_an_artifact(
    tmp_path: Path, old: str, new: str
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "handbook-public" / "repo", repo)
    text = (repo / "isms.yml").read_text(encoding="utf-8")
    assert old in text
    (repo / "isms.yml").write_text(text.replace(old, new), encoding="utf-8")
    assert check_json(repo)["findings"] == []


@pytest.mark.parametrize(
    "requirement",
    [
        "isms-toolkit",
        "isms-toolkit>=0.1",
        "isms-toolkit @ git+https://h/o/r",
        "git+https://h/o/r@",
        "http://h/x.tar.gz",
    ],
)
def test_unpinned_requirements_are_refused(requirement: str) -> None:
    with pytest.raises(RequirementError):
        parse_requirement(requirement)


def test_a_git_url_with_a_user_keeps_its_tag() -> None:
    source = parse_requirement("isms-toolkit @ git+ssh://git@git.example.in/tools/isms-toolkit.git@v1.2.0")
    assert (source.kind, source.repo, source.rev) == (
        "git",
        "ssh://git@git.example.in/tools/isms-toolkit.git",
        "v1.2.0",
    )


def test_the_handbook_level_follows_the_companys_own_levels(tmp_path: Path) -> None:
    """Without "internal" among the levels, the handbook takes the level just above the lowest."""
    levels = "classification_levels:\n  open: Anyone.\n  restricted: Staff only.\n  secret: Named people.\n"
    assert init_with(tmp_path, levels).exit_code == 0
    config = yaml.safe_load((tmp_path / "out" / "isms.yml").read_text(encoding="utf-8"))
    assert config["handbook"]["classification"] == "restricted"
    shutil.rmtree(tmp_path / "out")
    result = init_with(tmp_path, levels + "handbook_publish: github-pages\n")
    assert result.exit_code == 2 and "classified restricted" in result.stderr
