"""``isms approve`` and ``isms review``: front matter edits that touch only the intended keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from toolkit import lifecycle, scaffold
from toolkit.cli import cli
from toolkit.errors import InvalidApprovalError
from toolkit.frontmatter import append_to_list, set_keys
from toolkit.seal import fingerprint
from toolkit.sources.documents import split_front_matter
from toolkit.workspace import open_workspace

DRAFT = """---
# Owned by facilities; keep the id stable.
id: POL-CLEAR-DESK
title: "Clear Desk: and Clear Screen Policy"
type: policy
status: draft   # becomes approved
version: 0.1.0
owner: Facilities Manager
approver: null
approved_on: null
review_cycle_months: 12
controls:
  - demo:D.2
changelog:
  - version: 0.1.0
    date: "2026-01-02"
    summary: First draft.
x-ticket: SEC-12
---

# Clear Desk Policy

Lock your screen.SPACES
Tabs\tand trailing spaces stay.
""".replace("SPACES", "   ")


def make_repo(tmp_path: Path, document: str = DRAFT, newline: str = "\n") -> Path:
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / "isms.yml").write_text(
        "organisation: {name: Demo}\nscope: Demo scope text.\nframeworks: [demo]\n"
    )
    (repo / "controls").mkdir()
    (repo / "controls" / "demo.yml").write_text(
        "id: demo\ntitle: Demo\nkind: controls\ncontrols:\n"
        "  - {id: D.2, title: Clear desk, theme: org, summary: Keep desks clear.}\n"
    )
    (repo / "policies" / "clear-desk.md").write_bytes(document.replace("\n", newline).encode("utf-8"))
    return repo


def approve(runner: CliRunner, repo: Path, *args: str):
    return runner.invoke(cli, ["approve", *args, "--repo", str(repo)])


def test_approve_changes_only_the_approval_keys(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "Meera Kulkarni", "--on", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert "version 0.1.0 -> 1.0.0" in result.output
    after = (repo / "policies" / "clear-desk.md").read_text(encoding="utf-8")
    parts = split_front_matter(DRAFT)
    assert isinstance(parts, tuple)
    front_matter, body, _line = parts
    seal = fingerprint(yaml.safe_load(front_matter), body)
    expected = (
        DRAFT.replace("status: draft   #", "status: approved   #")
        .replace("version: 0.1.0\nowner", "version: 1.0.0\nowner")
        .replace("approver: null", "approver: Meera Kulkarni")
        .replace("approved_on: null", "approved_on: 2026-11-25")
        .replace(
            "    summary: First draft.\n",
            "    summary: First draft.\n  - version: 1.0.0\n    date: 2026-11-25\n"
            "    summary: Approved by Meera Kulkarni\n",
        )
        .replace("controls:\n", f'approval_seal: "{seal}"\ncontrols:\n')
    )
    assert after == expected


def test_approved_document_counts_as_covered(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    before = runner.invoke(cli, ["check", str(repo), "--strict", "--today", "2026-11-26", "-f", "json"])
    assert before.exit_code == 1
    approve(runner, repo, "policies/clear-desk.md", "--by", "CEO", "--on", "2026-11-25")
    after = runner.invoke(cli, ["check", str(repo), "--strict", "--today", "2026-11-26", "-f", "json"])
    assert after.exit_code == 0, after.stdout
    assert json.loads(after.stdout)["coverage"]["demo"]["covered"] == 1


def test_second_approval_raises_the_minor_version(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2025-11-25")
    result = approve(
        runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-11-20", "--summary", "Annual review"
    )
    assert "1.0.0 -> 1.1.0" in result.output
    text = (repo / "policies" / "clear-desk.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(split_front_matter(text)[0])
    assert [entry["summary"] for entry in meta["changelog"]] == [
        "First draft.",
        "Approved by CEO",
        "Annual review",
    ]
    assert str(meta["approved_on"]) == "2026-11-20"


def test_crlf_and_bom_files_keep_their_bytes(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path, newline="\r\n")
    path = repo / "policies" / "clear-desk.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-11-25")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.endswith(b"Lock your screen.   \r\nTabs\tand trailing spaces stay.\r\n")


def test_flow_style_changelog_gets_a_flow_entry() -> None:
    fm = "id: X\nchangelog:\n  - {version: 1.0.0, date: 2026-01-01, summary: First}\ncontrols: []\n"
    out = append_to_list(
        fm, "changelog", {"version": "1.1.0", "date": "2026-02-01", "summary": "Second: more"}
    )
    assert out == (
        "id: X\nchangelog:\n  - {version: 1.0.0, date: 2026-01-01, summary: First}\n"
        '  - {version: 1.1.0, date: 2026-02-01, summary: "Second: more"}\ncontrols: []\n'
    )


def test_single_flow_list_changelog_gets_its_entry_inside(runner: CliRunner, tmp_path: Path) -> None:
    flow = DRAFT.replace(
        'changelog:\n  - version: 0.1.0\n    date: "2026-01-02"\n    summary: First draft.\n',
        'changelog: [{version: 0.1.0, date: "2026-01-02", summary: First draft.}]\n',
    )
    repo = make_repo(tmp_path, flow)
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-03-01")
    assert result.exit_code == 0, result.output
    text = (repo / "policies" / "clear-desk.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert [entry["version"] for entry in front["changelog"]] == ["0.1.0", "1.0.0"]


def test_an_edit_that_does_not_read_back_is_never_written(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    document = open_workspace(repo).documents[0]
    with pytest.raises(InvalidApprovalError):
        lifecycle._check_edit("status: draft\nversion: 0.1.0\n", "1.0.0", document)


def test_retired_document_is_not_approved_back(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path, DRAFT.replace("status: draft   # becomes approved", "status: retired"))
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO")
    assert result.exit_code == 2 and "is retired" in result.stderr


def test_an_old_effective_date_moves_to_the_approval(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path, DRAFT.replace("approved_on: null\n", "approved_on: null\neffective: 2026-01-05\n")
    )
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-03-01")
    assert result.exit_code == 0, result.output
    assert "effective: 2026-03-01" in (repo / "policies" / "clear-desk.md").read_text(encoding="utf-8")


def test_approve_through_a_symlink_keeps_the_link(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "shared").mkdir()
    shared = repo / "shared" / "clear-desk.md"  # inside the repository: a link out is never read
    (repo / "policies" / "clear-desk.md").rename(shared)
    (repo / "policies" / "clear-desk.md").symlink_to(shared)
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO")
    assert result.exit_code == 0, result.output
    assert (repo / "policies" / "clear-desk.md").is_symlink()
    assert "status: approved" in shared.read_text(encoding="utf-8")


def test_all_drafts_names_the_documents_it_skips(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "policies" / "broken.md").write_text("---\nid: [unclosed\n---\n# Broken\n", encoding="utf-8")
    result = runner.invoke(cli, ["approve", "--all-drafts", "--by", "CEO", "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    assert "Skipped (front matter problems; run isms check): policies/broken.md" in result.stderr


def test_missing_keys_are_inserted_before_controls() -> None:
    out = set_keys("id: X\ncontrols: []\n", {"approver": "A: B", "approved_on": "2026-01-01"})
    assert out == 'id: X\napprover: "A: B"\napproved_on: 2026-01-01\ncontrols: []\n'


def test_unknown_document_is_a_clean_error(runner: CliRunner, tmp_path: Path) -> None:
    result = approve(runner, make_repo(tmp_path), "POL-NOPE", "--by", "CEO")
    assert result.exit_code == 2
    assert "no document with id or path 'POL-NOPE'" in result.stderr


def test_unknown_document_suggests_a_close_id(runner: CliRunner, tmp_path: Path) -> None:
    result = approve(runner, make_repo(tmp_path), "pol-clear-dsk", "--by", "CEO")
    assert result.exit_code == 2
    assert "did you mean POL-CLEAR-DESK?" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "  "], "--by: give the approver's name"),
        (["--by", "CEO", "--version", "banana"], "--version: 'banana' is not a version such as 1.2.0"),
        (
            ["--by", "CEO", "--version", "0.0.9"],
            "--version: 0.0.9 is not higher than the document's version 0.1.0",
        ),
        (["--by", "CEO", "--version", "0.1.0"], "is not higher than"),
        (
            ["--by", "CEO", "--on", "2026-02-01", "--effective", "2026-01-15"],
            "--effective: 2026-01-15 is before",
        ),
    ],
)
def test_approve_refuses_values_that_would_break_the_document(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    repo = make_repo(tmp_path)
    before = (repo / "policies" / "clear-desk.md").read_bytes()
    result = approve(runner, repo, "POL-CLEAR-DESK", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert (repo / "policies" / "clear-desk.md").read_bytes() == before


def test_approve_finds_the_repository_from_a_subfolder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.chdir(repo / "policies")
    result = runner.invoke(cli, ["approve", "clear-desk.md", "--by", "CEO", "--on", "2026-03-01"])
    assert result.exit_code == 0, result.output
    assert "status: approved" in (repo / "policies" / "clear-desk.md").read_text(encoding="utf-8")


def test_review_lists_due_and_overdue(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2025-11-01")
    text = runner.invoke(cli, ["review", str(repo), "--today", "2026-11-24"])
    assert text.exit_code == 0
    assert "2026-11-01  OVERDUE by 23 days" in text.output and "owner: Facilities Manager" in text.output
    strict = runner.invoke(cli, ["review", str(repo), "--today", "2026-11-24", "--strict"])
    assert strict.exit_code == 1
    early = runner.invoke(cli, ["review", str(repo), "--today", "2026-09-01", "--within", "2m", "-f", "json"])
    data = json.loads(early.output)
    assert data["reviews"] == []
    soon = runner.invoke(cli, ["review", str(repo), "--today", "2026-09-01", "--within", "3m", "--strict"])
    assert soon.exit_code == 0 and "due in 61 days" in soon.output


def test_review_rejects_a_bad_period(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["review", str(make_repo(tmp_path)), "--within", "soon"])
    assert result.exit_code == 2


def test_approving_every_draft_and_the_soa_makes_the_example_pass_strict(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The example company with its own incident contacts (the example's are findings: see
    tests/test_example_values.py)."""
    repo = tmp_path / "company"
    scaffold.render({"incident_email": "infosec@company.test", "incident_phone": "+91 22 5550 0100"}, repo)
    result = runner.invoke(
        cli, ["approve", "--all-drafts", "--by", "Chief Executive Officer", "--repo", str(repo)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith("documents approved.")
    unapproved = runner.invoke(cli, ["check", "--strict", "-f", "json", str(repo)])
    assert unapproved.exit_code == 1
    assert {f["code"] for f in json.loads(unapproved.stdout)["findings"]} == {"soa-unapproved"}
    soa = runner.invoke(cli, ["approve", "soa.yml", "--by", "Chief Executive Officer", "--repo", str(repo)])
    assert soa.exit_code == 0, soa.output
    check = runner.invoke(cli, ["check", "--strict", "-f", "json", str(repo)])
    assert check.exit_code == 0, check.stdout
    assert json.loads(check.stdout)["findings"] == []
    coverage = json.loads(check.stdout)["coverage"]
    assert all(item["drafted"] == 0 and item["missing"] == [] for item in coverage.values())
    again = runner.invoke(cli, ["approve", "--all-drafts", "--by", "CEO", "--repo", str(repo)])
    assert again.exit_code == 0 and "No drafts to approve." in again.output


def test_several_documents_are_checked_before_any_is_written(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    backup = repo / "policies" / "backup.md"
    before = backup.read_bytes()
    result = runner.invoke(cli, ["approve", "POL-BACKUP", "POL-NOPE", "--by", "CEO", "--repo", str(repo)])
    assert result.exit_code == 2 and "POL-NOPE" in result.stderr
    assert backup.read_bytes() == before
    both = runner.invoke(cli, ["approve", "POL-BACKUP", "POL-CRYPTO", "--by", "CEO", "--repo", str(repo)])
    assert both.exit_code == 0, both.output
    assert both.output.count(" approved by CEO ") == 2


@pytest.mark.parametrize(
    "args",
    [
        ["--by", "CEO"],
        ["POL-CLEAR-DESK", "--all-drafts", "--by", "CEO"],
        ["A", "B", "--by", "C", "--version", "2.0.0"],
    ],
)
def test_approve_needs_documents_or_all_drafts(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    result = approve(runner, make_repo(tmp_path), *args)
    assert result.exit_code == 2
