"""The approval seal: what it covers, what breaks it, and isms approve writing it (documents, soa.yml)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.test_lifecycle import DRAFT, approve, make_repo
from toolkit import scaffold, versions
from toolkit.cli import cli
from toolkit.seal import (
    SEAL_KEY,
    fingerprint,
    first_changed_line,
    seal_state,
    soa_fingerprint,
    soa_seal_state,
)
from toolkit.workspace import open_workspace
from toolkit.yamlio import parse

SOA = """# Decisions
schema_version: 1
version: "0.1"
approver: null
approved_on: null
controls:
  demo:D.2:
    applicable: true
    justification: Clear desks protect client papers.
    status: planned
"""


def _document(repo: Path) -> tuple[dict[str, Any], str]:
    document = open_workspace(repo).documents[0]
    assert document.valid
    return document.meta, document.body


def _approved(runner: CliRunner, tmp_path: Path, document: str = DRAFT) -> Path:
    repo = make_repo(tmp_path, document)
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-11-25")
    assert result.exit_code == 0, result.output
    return repo


def test_fingerprint_is_sha256_of_sorted_keys() -> None:
    meta = {"id": "POL-X", "title": "X policy", "controls": ["a:B.1"]}
    value = fingerprint(meta, "Text\n")
    assert value.startswith("sha256:") and len(value) == len("sha256:") + 64
    assert fingerprint(dict(reversed(meta.items())), "Text\n") == value
    assert fingerprint(meta, "Text\r\n") == value
    assert fingerprint(meta, "Text!\n") != value


def test_lifecycle_and_extension_fields_are_outside_the_seal() -> None:
    meta = {"id": "POL-X", "title": "X policy", "status": "draft", "version": "0.1.0"}
    lifecycle_changed = {
        **meta,
        "status": "approved",
        "version": "1.0.0",
        "approver": "CEO",
        "approved_on": "2026-01-01",
        "effective": "2026-02-01",
        "next_review": "2027-01-01",
        "changelog": [{"version": "1.0.0"}],
        SEAL_KEY: "sha256:0",
        "x-ticket": "SEC-1",
    }
    assert fingerprint(lifecycle_changed, "Body") == fingerprint(meta, "Body")
    assert fingerprint({**meta, "review_cycle_months": 36}, "Body") != fingerprint(meta, "Body")


def test_approve_writes_the_seal(runner: CliRunner, tmp_path: Path) -> None:
    repo = _approved(runner, tmp_path)
    meta, body = _document(repo)
    assert meta[SEAL_KEY] == fingerprint(meta, body)
    assert seal_state(meta, body) == "sealed"
    strict = runner.invoke(cli, ["check", str(repo), "--strict", "--today", "2026-11-26"])
    assert strict.exit_code == 0, strict.output  # the schema knows the key


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Lock your screen.", "Leave your screen unlocked."),
        ('title: "Clear Desk: and Clear Screen Policy"', "title: Clear Desk Policy"),
        ("  - demo:D.2\n", "  - demo:D.2\n  - demo:D.3\n"),
        ("owner: Facilities Manager", "owner: Office Manager"),
        ("review_cycle_months: 12", "review_cycle_months: 36"),
        ("review_cycle_months: 12", "review_cycle_months: 12\nclassification: public"),
        ("review_cycle_months: 12", "review_cycle_months: 12\naudience: managers"),
    ],
    ids=["body", "title", "controls", "owner", "review-cycle", "classification", "audience"],
)
def test_a_change_to_what_staff_read_breaks_the_seal(
    runner: CliRunner, tmp_path: Path, old: str, new: str
) -> None:
    repo = _approved(runner, tmp_path)
    path = repo / "policies" / "clear-desk.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert seal_state(*_document(repo)) == "broken"


def test_line_endings_a_bom_key_order_and_lifecycle_keys_keep_the_seal(
    runner: CliRunner, tmp_path: Path
) -> None:
    repo = _approved(runner, tmp_path)
    path = repo / "policies" / "clear-desk.md"
    text = path.read_text(encoding="utf-8")
    moved = text.replace("type: policy\n", "").replace(
        "owner: Facilities Manager\n", "owner: Facilities Manager\ntype: policy\n"
    )
    relaxed = moved.replace("review_cycle_months: 12\n", "review_cycle_months: 12\nnext_review: 2027-06-01\n")
    path.write_bytes(
        b"\xef\xbb\xbf"
        + relaxed.replace("x-ticket: SEC-12", "x-ticket: SEC-99").replace("\n", "\r\n").encode()
    )
    assert seal_state(*_document(repo)) == "sealed"


def test_a_document_without_a_seal_is_unsealed() -> None:
    assert seal_state({"id": "X", "status": "approved"}, "Body") == "unsealed"
    assert seal_state({"id": "X", SEAL_KEY: ""}, "Body") == "unsealed"


def test_approving_again_after_review_records_a_new_seal(runner: CliRunner, tmp_path: Path) -> None:
    repo = _approved(runner, tmp_path)
    path = repo / "policies" / "clear-desk.md"
    first = _document(repo)[0][SEAL_KEY]
    path.write_text(
        path.read_text(encoding="utf-8").replace("Lock your screen.", "Lock it."), encoding="utf-8"
    )
    assert seal_state(*_document(repo)) == "broken"
    again = approve(
        runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-11-30", "--summary", "Wording"
    )
    assert again.exit_code == 0, again.output
    meta, body = _document(repo)
    assert seal_state(meta, body) == "sealed" and meta[SEAL_KEY] != first
    assert path.read_text(encoding="utf-8").count(SEAL_KEY) == 1
    assert meta["version"] == "1.1.0"


def test_approving_every_draft_seals_them_and_a_changed_sentence_breaks_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    result = runner.invoke(cli, ["approve", "--all-drafts", "--by", "CEO", "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    documents = open_workspace(repo).documents
    assert {seal_state(document.meta, document.body) for document in documents} == {"sealed"}
    path = next(document.path for document in documents if "Never write down a password" in document.body)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Never write down a password", "You may write down a password"
        ),
        encoding="utf-8",
    )
    states = {
        document.rel: seal_state(document.meta, document.body) for document in open_workspace(repo).documents
    }
    assert [rel for rel, state in states.items() if state != "sealed"] == [path.relative_to(repo).as_posix()]


# ---- soa.yml ----------------------------------------------------------------------------------------


def _with_soa(tmp_path: Path, soa: str = SOA) -> Path:
    repo = make_repo(tmp_path)
    (repo / "soa.yml").write_text(soa, encoding="utf-8")
    return repo


def _soa(repo: Path) -> dict[str, Any]:
    data, problem = parse((repo / "soa.yml").read_text(encoding="utf-8"))
    assert problem is None and isinstance(data, dict)
    return data


def test_approve_soa_records_approver_date_version_and_seal(runner: CliRunner, tmp_path: Path) -> None:
    repo = _with_soa(tmp_path)
    result = approve(runner, repo, "soa.yml", "--by", "CEO", "--on", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "soa.yml approved by CEO on 2026-11-25: version 0.1 -> 1.0\n" in result.output
    text = (repo / "soa.yml").read_text(encoding="utf-8")
    seal = soa_fingerprint(yaml.safe_load(SOA))
    assert text == SOA.replace('version: "0.1"', 'version: "1.0"').replace(
        "approver: null\napproved_on: null\n",
        f'approver: CEO\napproved_on: 2026-11-25\napproval_seal: "{seal}"\n',
    )
    assert soa_seal_state(_soa(repo)) == "sealed"
    check = runner.invoke(cli, ["check", str(repo), "-f", "json", "--today", "2026-11-26"])
    assert not [item for item in json.loads(check.stdout)["findings"] if item["file"] == "soa.yml"]
    again = approve(runner, repo, str(repo / "soa.yml"), "--by", "CEO", "--on", "2026-11-30")
    assert "version 1.0 -> 1.1" in again.output


def test_a_changed_decision_breaks_the_soa_seal_and_crlf_does_not(runner: CliRunner, tmp_path: Path) -> None:
    repo = _with_soa(tmp_path)
    approve(runner, repo, "soa.yml", "--by", "CEO", "--on", "2026-11-25")
    path = repo / "soa.yml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert soa_seal_state(_soa(repo)) == "sealed"
    path.write_text(text.replace("status: planned", "status: implemented"), encoding="utf-8")
    assert soa_seal_state(_soa(repo)) == "broken"
    path.write_text(text.replace("approver: CEO", "approver: CISO"), encoding="utf-8")
    assert soa_seal_state(_soa(repo)) == "sealed"
    assert soa_seal_state(yaml.safe_load(SOA)) == "unsealed"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--effective", "2026-11-25"], "--effective does not apply to soa.yml"),
        (["--summary", "Annual"], "--summary does not apply to soa.yml"),
        (["--version", "0.0.5"], "--version: 0.0.5 is not higher than soa.yml's version 0.1"),
        (["--version", "one"], "--version: 'one' is not a version such as 1.2"),
    ],
)
def test_approve_soa_refuses_what_it_cannot_record(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    repo = _with_soa(tmp_path)
    result = approve(runner, repo, "soa.yml", "--by", "CEO", "--on", "2026-11-25", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert (repo / "soa.yml").read_text(encoding="utf-8") == SOA


def test_approve_soa_refuses_an_invalid_or_missing_soa(runner: CliRunner, tmp_path: Path) -> None:
    repo = _with_soa(tmp_path, SOA.replace("status: planned", "status: maybe"))
    invalid = approve(runner, repo, "soa.yml", "--by", "CEO")
    assert invalid.exit_code == 2 and "soa.yml: has problems; run isms check" in invalid.stderr
    (repo / "soa.yml").unlink()
    missing = approve(runner, repo, "soa.yml", "--by", "CEO")
    assert missing.exit_code == 2 and "there is no soa.yml" in missing.stderr


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (None, "1.0"),
        ("", "1.0"),
        ("0.1", "1.0"),
        ("0.3.1", "1.0.0"),
        ("1.0", "1.1"),
        ("2.9", "2.10"),
        ("1.2.3", "1.3.0"),
    ],
)
def test_next_soa_version(version: str | None, expected: str) -> None:
    assert versions.next_soa_version(version) == expected


# ---- first_changed_line -----------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


def test_first_changed_line_finds_the_edited_line(runner: CliRunner, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = _approved(runner, tmp_path)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "approved")
    path = repo / "policies" / "clear-desk.md"
    meta, _body = _document(repo)
    seal = meta[SEAL_KEY]
    text = path.read_text(encoding="utf-8")
    lifecycle_only = text.replace(
        "review_cycle_months: 12\n", "review_cycle_months: 12\nnext_review: 2027-01-01\n"
    )
    assert first_changed_line(repo, "policies/clear-desk.md", seal, lifecycle_only) is None
    path.write_text(lifecycle_only, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "review date")
    edited = lifecycle_only.replace("Tabs\tand", "Tabs\tor")
    expected = edited.split("\n").index("Tabs\tor trailing spaces stay.") + 1
    assert first_changed_line(repo, "policies/clear-desk.md", seal, edited.replace("\n", "\r\n")) == expected
    assert first_changed_line(repo, "policies/clear-desk.md", "sha256:" + "0" * 64, edited) is None
    assert first_changed_line(tmp_path / "elsewhere", "policies/clear-desk.md", seal, edited) is None


def test_first_changed_line_without_git_is_none(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _approved(runner, tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))
    meta, _body = _document(repo)
    assert first_changed_line(repo, "policies/clear-desk.md", meta[SEAL_KEY], "changed") is None
