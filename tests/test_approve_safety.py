"""``isms approve`` never loses a write: locking, re-reading, line endings, read-only files, bad layouts."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.test_lifecycle import DRAFT, approve, make_repo
from toolkit import editing, lifecycle, versions
from toolkit.errors import IsmsError, StaleDocumentError
from toolkit.fsutil import write_atomic
from toolkit.seal import fingerprint
from toolkit.sources.documents import split_front_matter
from toolkit.workspace import open_workspace

ON = dt.date(2026, 11, 25)
CHANGED = "changed since it was read"


def _front(path: Path) -> dict[str, Any]:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    assert isinstance(parts, tuple)
    data: dict[str, Any] = yaml.safe_load(parts[0])
    return data


def _approve_after_barrier(repo: str, barrier: Any, results: Any) -> None:
    """One of many processes: load the repository, wait for all the others, then approve."""
    repository = open_workspace(repo)
    barrier.wait()
    try:
        run = lifecycle.approve_documents(repository, ["POL-CLEAR-DESK"], by="CEO", on=ON, today=ON)
    except IsmsError as exc:
        results.put(("refused", exc.format()))
        return
    if run.failed is not None:
        results.put(("refused", run.failed.format()))
    else:
        results.put(("approved", run.approved[0].version))


def test_of_twelve_parallel_approvals_exactly_one_is_written(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(12)
    results = context.Queue()
    workers = [
        context.Process(target=_approve_after_barrier, args=(str(repo), barrier, results)) for _ in range(12)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(kind for kind, _detail in outcomes) == ["approved"] + ["refused"] * 11
    assert all(CHANGED in detail for kind, detail in outcomes if kind == "refused")
    versions = [entry["version"] for entry in _front(repo / "policies" / "clear-desk.md")["changelog"]]
    assert versions == ["0.1.0", "1.0.0"]


def test_parallel_cli_runs_never_lose_or_duplicate_an_approval(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    command = [
        sys.executable,
        "-m",
        "toolkit",
        "approve",
        "POL-CLEAR-DESK",
        "--by",
        "CEO",
        "--repo",
        str(repo),
    ]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(12)]
    finished: list[tuple[int, str, str]] = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        finished.append((run.returncode, out.decode(), err.decode()))
    approved = [out for code, out, _err in finished if code == 0]
    refused = [err for code, _out, err in finished if code != 0]
    assert approved, finished
    assert all(CHANGED in err for err in refused), refused
    assert all(code in (0, 2) for code, _out, _err in finished)
    versions = [entry["version"] for entry in _front(repo / "policies" / "clear-desk.md")["changelog"]]
    assert len(versions) == 1 + len(approved)  # every run that said "approved" is there, once
    assert len(set(versions)) == len(versions)
    assert all(f"-> {version} " in out for version, out in zip(versions[1:], sorted(approved), strict=True))


def test_an_edit_made_after_loading_is_not_overwritten(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    path = repo / "policies" / "clear-desk.md"
    repository = open_workspace(repo)
    edited = path.read_bytes().replace(b"status: draft   # becomes approved", b"status: retired")
    path.write_bytes(edited.replace(b"version: 0.1.0\nowner", b"version: 3.4.0\nowner"))
    with pytest.raises(StaleDocumentError, match=CHANGED):
        lifecycle.approve_documents(repository, ["POL-CLEAR-DESK"], by="CEO", on=ON, today=ON)
    front = _front(path)
    assert (front["status"], front["version"]) == ("retired", "3.4.0")


def test_a_change_made_while_approve_waits_for_the_lock_is_not_overwritten(tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    repo = make_repo(tmp_path)
    path = repo / "policies" / "clear-desk.md"
    repository = open_workspace(repo)
    outcome: list[str] = []

    def run() -> None:
        try:
            done = lifecycle.approve_documents(repository, ["POL-CLEAR-DESK"], by="CEO", on=ON, today=ON)
            outcome.append(done.failed.message if done.failed else "approved")
        except IsmsError as exc:
            outcome.append(exc.message)

    descriptor = os.open(path, os.O_RDONLY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # as another approval holding the file would
    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive(), outcome  # waiting for the lock, nothing written yet
        edited = path.read_bytes().replace(b"Lock your screen.", b"Lock your screen now.")
        write_atomic(path, edited)  # the other writer replaces the file while holding the lock
    finally:
        os.close(descriptor)
    worker.join(30)
    assert len(outcome) == 1 and CHANGED in outcome[0]
    assert path.read_bytes() == edited


def test_without_fcntl_approve_still_works(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    monkeypatch.setattr(sys, "platform", "win32")
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-11-25")
    assert result.exit_code == 0, result.output
    assert _front(repo / "policies" / "clear-desk.md")["status"] == "approved"


def test_each_line_keeps_its_own_ending(runner: CliRunner, tmp_path: Path) -> None:
    lines = DRAFT.split("\n")[:-1]
    endings = ["\r\n" if index % 3 == 1 else "\n" for index in range(len(lines))]
    repo = make_repo(tmp_path)
    path = repo / "policies" / "clear-desk.md"
    path.write_bytes("".join(line + end for line, end in zip(lines, endings, strict=True)).encode())
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "Meera", "--on", "2026-11-25")
    assert result.exit_code == 0, result.output

    parts = split_front_matter(DRAFT)
    assert isinstance(parts, tuple)
    front_matter, body, _line = parts
    seal = fingerprint(yaml.safe_load(front_matter), body)
    replaced = {
        "status: draft   # becomes approved": "status: approved   # becomes approved",
        "version: 0.1.0": "version: 1.0.0",
        "approver: null": "approver: Meera",
        "approved_on: null": "approved_on: 2026-11-25",
    }
    expected = []
    for index, (line, end) in enumerate(zip(lines, endings, strict=True)):
        if line == "controls:":  # the seal goes before it, with the ending of the line above
            expected.append(f'approval_seal: "{seal}"' + endings[index - 1])
        expected.append(replaced.get(line, line) + end)
        if line == "    summary: First draft.":  # the new change log entry takes this line's ending
            expected += [f"{text}{end}" for text in ("  - version: 1.0.0", "    date: 2026-11-25")]
            expected.append(f"    summary: Approved by Meera{end}")
    assert path.read_bytes() == "".join(expected).encode()


def test_a_read_only_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    path = repo / "policies" / "clear-desk.md"
    path.chmod(0o444)
    before = path.read_bytes()
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO")
    assert result.exit_code == 2
    assert "clear-desk.md: is read-only; make it writable first" in result.stderr
    assert path.read_bytes() == before and (path.stat().st_mode & 0o777) == 0o444


def test_a_read_only_file_behind_a_link_is_named_by_the_link(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "shared").mkdir()
    shared = repo / "shared" / "clear-desk.md"  # inside the repository: a link out is never read
    (repo / "policies" / "clear-desk.md").rename(shared)
    (repo / "policies" / "clear-desk.md").symlink_to(shared)
    shared.chmod(0o444)
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO")
    assert result.exit_code == 2
    assert "policies/clear-desk.md: is read-only; make it writable first" in result.stderr


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        (
            "{id: POL-A, title: Alpha policy, type: policy, status: draft, version: 0.1.0, owner: CEO, "
            "controls: [demo:D.2]}",
            "a.md:2: cannot record the approval (nothing was written): the front matter is written as one "
            "flow mapping",
        ),
        (
            '{"id": "POL-A", "title": "Alpha policy", "type": "policy", "status": "draft", '
            '"version": "0.1.0", "owner": "CEO", "controls": ["demo:D.2"]}',
            "a.md:2: cannot record the approval (nothing was written): the front matter is written as one "
            "flow mapping ({...}) or JSON",
        ),
        (
            "id: POL-A\ntitle: Alpha policy\ntype: policy\nx-state: &s draft\nstatus: *s\nversion: 0.1.0\n"
            "owner: CEO\ncontrols: [demo:D.2]",
            "front matter problems keep these from being searched: policies/a.md; run isms check",
        ),
        (
            "id: POL-A\ntitle: Alpha policy\ntype: policy\nstatus: draft\nversion: &v 0.1.0\nowner: CEO\n"
            "x-was: *v\ncontrols: [demo:D.2]",
            "front matter problems keep these from being searched: policies/a.md; run isms check",
        ),
        (
            "id: POL-A\ntitle: Alpha policy\ntype: policy\nstatus: draft\nversion: 0.1.0\nowner: CEO\n"
            "x-first: &first {version: 0.1.0, date: 2026-01-01, summary: Draft}\n"
            "controls: [demo:D.2]\nchangelog:\n  - *first",
            "front matter problems keep these from being searched: policies/a.md; run isms check",
        ),
    ],
    ids=["flow-mapping", "json", "alias", "anchor", "changelog-alias"],
)
def test_front_matter_that_cannot_be_edited_in_place_is_a_clean_error(
    runner: CliRunner, tmp_path: Path, front_matter: str, message: str
) -> None:
    repo = make_repo(tmp_path)
    path = repo / "policies" / "a.md"
    path.write_text(f"---\n{front_matter}\n---\n# Alpha\n", encoding="utf-8")
    # A YAML alias is refused when the document is read (the check names it), so approve refuses too.
    assert open_workspace(repo).documents[0].valid is ("*" not in front_matter)
    result = approve(runner, repo, "POL-A", "--by", "CEO")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a traceback
    assert path.read_text(encoding="utf-8") == f"---\n{front_matter}\n---\n# Alpha\n"


@pytest.mark.parametrize(
    ("on", "message"),
    [
        ((dt.date.today() + dt.timedelta(days=1)).isoformat(), "is in the future"),
        ("9999-12-31", "--on: 9999-12-31 is in the future"),
        ("1899-12-31", "--on: 1899-12-31 is before 1900"),
    ],
)
def test_an_approval_date_in_the_future_or_before_1900_is_refused(
    runner: CliRunner, tmp_path: Path, on: str, message: str
) -> None:
    repo = make_repo(tmp_path)
    before = (repo / "policies" / "clear-desk.md").read_bytes()
    result = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", on)
    assert result.exit_code == 2
    assert message in result.stderr
    assert (repo / "policies" / "clear-desk.md").read_bytes() == before


def test_a_version_part_of_thousands_of_digits_is_handled(runner: CliRunner, tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    huge = f"1.{'9' * 5000}.0"
    first = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-01-01", "--version", huge)
    assert first.exit_code == 0, first.output
    second = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-02-01")
    assert second.exit_code == 0, second.output
    assert _front(repo / "policies" / "clear-desk.md")["version"] == f"1.1{'0' * 5000}.0"
    lower = approve(runner, repo, "POL-CLEAR-DESK", "--by", "CEO", "--on", "2026-03-01", "--version", huge)
    assert lower.exit_code == 2 and "is not higher than the document's version 1.1000" in lower.stderr
    assert len(lower.stderr) < 300


@pytest.mark.parametrize(
    ("digits", "expected"), [("0", "1"), ("9", "10"), ("199", "200"), ("1234", "1235"), ("99", "100")]
)
def test_increment_adds_one_to_a_decimal_string(digits: str, expected: str) -> None:
    assert versions.increment(digits) == expected


def test_a_run_stopped_part_way_reports_what_it_wrote(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path)
    second = repo / "policies" / "second.md"
    second.write_text(DRAFT.replace("POL-CLEAR-DESK", "POL-SECOND"), encoding="utf-8")
    real_write = write_atomic

    def write_then_edit_the_other(path: Path, data: bytes) -> None:
        real_write(path, data)
        second.write_text(second.read_text(encoding="utf-8").replace("Lock your", "Always lock your"))

    monkeypatch.setattr(editing, "write_atomic", write_then_edit_the_other)
    result = approve(runner, repo, "POL-CLEAR-DESK", "POL-SECOND", "--by", "CEO", "--on", "2026-11-25")
    assert result.exit_code == 2
    assert "POL-CLEAR-DESK approved by CEO on 2026-11-25" in result.stdout
    assert f"second.md: {CHANGED}" in result.stderr
    assert _front(second)["status"] == "draft"
    assert "Always lock your" in second.read_text(encoding="utf-8")


def test_approve_documents_returns_what_it_approved_and_skipped(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    (repo / "policies" / "broken.md").write_text("---\nid: [unclosed\n---\n# Broken\n", encoding="utf-8")
    run = lifecycle.approve_documents(open_workspace(repo), [], all_drafts=True, by="CEO", today=ON)
    assert run.skipped == ["policies/broken.md"] and run.failed is None
    assert [(done.document_id, done.version, done.approved_on) for done in run.approved] == [
        ("POL-CLEAR-DESK", "1.0.0", ON)
    ]
