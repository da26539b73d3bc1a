"""The records folders as sources (read safely, templates skipped) and the records `isms init` writes."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import time_limit
from toolkit import scaffold, sources
from toolkit.cli import cli
from toolkit.sources import _folder
from toolkit.validation import validator
from toolkit.workspace import open_workspace
from toolkit.yamlio import parse

TODAY = dt.date(2026, 6, 1)
AUDITS = "records/audits"


@pytest.fixture
def repo(example_copy) -> Path:
    copied: Path = example_copy("valid-records")
    return copied


def load_findings(repo: Path) -> list[tuple[str, str, int | None]]:
    workspace = open_workspace(repo, today=TODAY)
    return [(f.code, f.file, f.line) for f in workspace.findings]


def test_the_record_kinds_are_registered() -> None:
    kinds = {kind.name: kind for kind in sources.kinds()}
    assert kinds["audits"].schema == "audit"
    assert kinds["management_reviews"].schema == "management-review"
    assert kinds["nonconformities"].schema == "nonconformities"


def test_templates_hidden_files_other_suffixes_and_folders_are_not_records(repo: Path) -> None:
    folder = repo / AUDITS
    (folder / "_example.yml").write_text("not: [a valid audit", encoding="utf-8")
    (folder / ".draft.yml").write_text("id: [", encoding="utf-8")
    (folder / "README.md").write_text("# Audits\n", encoding="utf-8")
    (folder / "2024").mkdir()
    (folder / "2024" / "old.yml").write_text("id: [", encoding="utf-8")
    (folder / "folder.yml").mkdir()
    workspace = open_workspace(repo, today=TODAY)
    assert workspace.findings == []
    assert [audit.id for audit in workspace.entries("audits")] == ["AUD-2026-01"]


def test_a_yaml_suffix_is_read_and_a_broken_record_is_a_finding(repo: Path) -> None:
    (repo / AUDITS / "2026-04-audit.yaml").write_text("schema_version: 1\nid: [\n", encoding="utf-8")
    (repo / AUDITS / "2026-05-audit.yml").write_text("schema_version: 1\nid: AUD-2026-05\n", encoding="utf-8")
    found = load_findings(repo)
    assert ("yaml-syntax", f"{AUDITS}/2026-04-audit.yaml", 3) in found
    assert ("schema", f"{AUDITS}/2026-05-audit.yml", 1) in found


def test_a_record_that_is_not_a_mapping_or_not_utf8(repo: Path) -> None:
    (repo / AUDITS / "list.yml").write_text("- one\n- two\n", encoding="utf-8")
    (repo / AUDITS / "latin.yml").write_bytes(b"id: caf\xe9\n")
    assert load_findings(repo) == [
        ("file-encoding", f"{AUDITS}/latin.yml", 1),
        ("yaml-not-mapping", f"{AUDITS}/list.yml", 1),
    ]


def test_a_link_out_of_the_repository_is_never_read(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text("id: AUD-SECRET\n", encoding="utf-8")
    (repo / AUDITS / "linked.yml").symlink_to(secret)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2026-01-review.yml").write_text("date: 2026-01-01\n", encoding="utf-8")
    reviews = repo / "records/management-reviews"
    for path in reviews.iterdir():
        path.unlink()
    reviews.rmdir()
    reviews.symlink_to(outside, target_is_directory=True)
    workspace = open_workspace(repo, today=TODAY)
    assert sorted((f.code, f.file) for f in workspace.findings) == [
        ("file-outside-repository", f"{AUDITS}/linked.yml"),
        ("file-outside-repository", "records/management-reviews"),
    ]
    assert [audit.id for audit in workspace.entries("audits")] == ["AUD-2026-01"]
    assert workspace.entries("management_reviews") == []


def test_a_link_inside_the_repository_is_read(repo: Path) -> None:
    (repo / "elsewhere.yml").write_text(
        (repo / AUDITS / "2026-03-internal-audit.yml")
        .read_text(encoding="utf-8")
        .replace("2026-01", "2026-02"),
        encoding="utf-8",
    )
    (repo / AUDITS / "2026-04-linked.yml").symlink_to(repo / "elsewhere.yml")
    workspace = open_workspace(repo, today=TODAY)
    assert workspace.findings == []
    assert [audit.id for audit in workspace.entries("audits")] == ["AUD-2026-01", "AUD-2026-02"]


def test_a_fifo_named_like_a_record_is_never_opened(repo: Path) -> None:
    os.mkfifo(repo / AUDITS / "2026-05-audit.yml")
    with time_limit():
        found = load_findings(repo)
    assert found == [("file-special", f"{AUDITS}/2026-05-audit.yml", None)]


def test_an_unreadable_records_folder_is_a_finding(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing the folder fails as it would without permission (for root too)."""
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("audits"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(_folder.os, "scandir", scandir)
    workspace = open_workspace(repo, today=TODAY)
    assert [(f.code, f.file, f.line) for f in workspace.findings] == [("file-unreadable", AUDITS, None)]
    assert "Permission denied" in workspace.findings[0].message


def test_missing_records_are_no_finding(repo: Path) -> None:
    for path in sorted((repo / "records").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    workspace = open_workspace(repo, today=TODAY)
    assert workspace.findings == []
    assert workspace.entries("audits") == workspace.entries("nonconformities") == []


# --- what isms init writes --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("records") / "company"
    scaffold.render({}, target, generated_on=dt.date(2026, 3, 2))
    return target


def test_init_writes_empty_records_and_the_settings(company: Path) -> None:
    config = yaml.safe_load((company / "isms.yml").read_text(encoding="utf-8"))
    assert config["records"] == {
        "audit_cycle_months": 12,
        "management_review_months": 12,
        "operating_since": "2026-03-02",
    }
    workspace = open_workspace(company, today=dt.date(2026, 3, 2))
    assert workspace.source("nonconformities").valid
    assert workspace.entries("nonconformities") == []
    assert workspace.entries("audits") == workspace.entries("management_reviews") == []
    for folder in ("audits", "management-reviews"):
        assert (company / "records" / folder / "README.md").is_file()
        assert (company / "records" / folder / "_example.yml").is_file()


@pytest.mark.parametrize(
    ("rel", "schema"),
    [
        ("records/audits/_example.yml", "audit"),
        ("records/management-reviews/_example.yml", "management-review"),
    ],
)
def test_the_examples_are_valid_records_marked_as_examples(company: Path, rel: str, schema: str) -> None:
    text = (company / rel).read_text(encoding="utf-8")
    assert "AN EXAMPLE, NOT A RECORD" in text
    data, problem = parse(text)
    assert problem is None
    assert validator(schema).violations(data) == []
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=../../.isms/schemas/")
    assert (company / rel).parent.joinpath(first.split("=", 1)[1]).resolve().is_file()


def test_the_commented_nonconformity_is_a_valid_entry(company: Path) -> None:
    text = (company / "records/nonconformities.yml").read_text(encoding="utf-8")
    entry = [line[1:] for line in text.splitlines() if re.match(r"^# {1,2}( |-)", line)]
    commented = "\n".join(line for line in entry if line.startswith(("  -", "   ")))
    data, problem = parse("schema_version: 1\nnonconformities:\n" + commented + "\n")
    assert problem is None, commented
    assert validator("nonconformities").violations(data) == []
    assert len(data["nonconformities"]) == 1


def test_a_fresh_repository_has_nothing_due_until_a_cycle_has_passed(
    runner: CliRunner, company: Path
) -> None:
    def record_codes(today: str) -> set[str]:
        result = runner.invoke(cli, ["check", str(company), "--today", today, "--format", "json"])
        found = {f["code"] for f in json.loads(result.stdout)["findings"]}
        return found & {"audit-overdue", "management-review-overdue"}

    assert record_codes("2027-03-02") == set()
    assert record_codes("2027-03-03") == {"audit-overdue", "management-review-overdue"}
