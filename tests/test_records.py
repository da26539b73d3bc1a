"""The records rules' edges and messages, beyond the exact findings of the example folders.

Each test edits a copy of tests/examples/valid-records (which passes with no findings) and checks what the
change does and does not report.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import records
from toolkit.cli import cli
from toolkit.validation import load_schema
from toolkit.workspace import open_workspace

TODAY = "2026-06-01"
AUDIT = "records/audits/2026-03-internal-audit.yml"
REVIEW = "records/management-reviews/2026-04-review.yml"
NONCONFORMITIES = "records/nonconformities.yml"


def check(runner: CliRunner, repo: Path, today: str = TODAY) -> list[dict]:
    result = runner.invoke(cli, ["check", str(repo), "--today", today, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings: list[dict] = json.loads(result.stdout)["findings"]
    return findings


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(findings: list[dict]) -> list[tuple[str, str, int | None]]:
    return [(f["code"], f["file"], f["line"]) for f in findings]


@pytest.fixture
def repo(example_copy) -> Path:
    copied: Path = example_copy("valid-records")
    return copied


def test_the_base_repository_passes_strict(runner: CliRunner, repo: Path) -> None:
    result = runner.invoke(cli, ["check", str(repo), "--today", TODAY, "--strict", "--format", "json"])
    assert result.exit_code == 0, result.output


def test_a_record_warning_fails_strict(runner: CliRunner, repo: Path) -> None:
    edit(repo, NONCONFORMITIES, "    due: 2026-07-31", "    due: 2026-05-15")
    result = runner.invoke(cli, ["check", str(repo), "--today", TODAY, "--strict", "--format", "json"])
    assert result.exit_code == 1
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["action-overdue"]


def test_without_any_audit_the_due_date_points_at_operating_since(runner: CliRunner, repo: Path) -> None:
    (repo / AUDIT).unlink()
    edit(repo, NONCONFORMITIES, "source: audit\n", "source: other\n")
    found = check(runner, repo)
    assert codes(found) == [("audit-overdue", "isms.yml", 18)]
    assert found[0]["field"] == "records.operating_since"
    assert "first was due by 2026-01-10" in found[0]["message"]
    # On the due date itself it is not overdue yet; the day after, it is.
    assert "audit-overdue" not in [f["code"] for f in check(runner, repo, "2026-01-10")]
    assert "audit-overdue" in [f["code"] for f in check(runner, repo, "2026-01-11")]


def test_operating_since_defaults_to_the_generation_date(runner: CliRunner, repo: Path) -> None:
    (repo / AUDIT).unlink()
    edit(repo, "isms.yml", "  operating_since: 2025-01-10\n", "")
    assert check(runner, repo) == []  # no operating_since and no template record: nothing is ever due
    with (repo / "isms.yml").open("a", encoding="utf-8") as handle:
        handle.write("template:\n  generated_on: 2025-02-01\n")
    found = check(runner, repo)
    assert codes(found) == [("audit-overdue", "isms.yml", 19)]
    assert found[0]["field"] == "template.generated_on"


def test_settings_read_the_cycles_and_fall_back_to_defaults() -> None:
    config = {"records": {"audit_cycle_months": 6}, "template": {"generated_on": "2026-02-03"}}
    assert records.settings(config) == records.RecordSettings(
        6, 12, dt.date(2026, 2, 3), ("template", "generated_on")
    )
    assert records.settings({}) == records.RecordSettings(12, 12, None, ())


def test_a_shorter_audit_cycle_makes_the_audit_due_sooner(runner: CliRunner, repo: Path) -> None:
    edit(repo, "isms.yml", "audit_cycle_months: 12", "audit_cycle_months: 2")
    found = check(runner, repo)
    assert [f["code"] for f in found] == ["audit-overdue"]
    assert "due by 2026-05-20" in found[0]["message"]


def test_sampling_waits_for_the_first_cycle_to_end(runner: CliRunner, repo: Path) -> None:
    """An audit programme that spreads its audits over the first year is not judged mid-year."""
    edit(repo, AUDIT, "  - demo:D.2\n", "")
    edit(repo, "isms.yml", "operating_since: 2025-01-10", "operating_since: 2025-09-01")
    assert check(runner, repo) == []
    edit(repo, "isms.yml", "operating_since: 2025-09-01", "operating_since: 2025-06-01")
    assert [f["code"] for f in check(runner, repo)] == ["audit-control-unsampled"]


def test_sampling_counts_every_audit_of_the_last_cycle(runner: CliRunner, repo: Path) -> None:
    edit(repo, AUDIT, "  - demo:D.2\n", "")
    second = (repo / AUDIT).read_text(encoding="utf-8")
    second = second.replace("AUD-2026-01", "AUD-2025-02").replace("date: 2026-03-20", "date: 2025-09-10")
    second = second.replace("  - demo:D.1\n", "  - demo:D.2\n")
    (repo / "records/audits/2025-09-internal-audit.yml").write_text(second, encoding="utf-8")
    assert check(runner, repo) == []
    # The same audit more than one cycle ago no longer counts.
    older = second.replace("date: 2025-09-10", "date: 2025-05-10")
    (repo / "records/audits/2025-09-internal-audit.yml").write_text(older, encoding="utf-8")
    found = check(runner, repo)
    assert codes(found) == [("audit-control-unsampled", AUDIT, 12)]
    assert "demo:D.2" in found[0]["message"] and "since 2025-06-01" in found[0]["message"]


def test_excluded_controls_need_no_sampling_and_clauses_and_controls_are_reported_apart(
    runner: CliRunner, repo: Path
) -> None:
    edit(repo, AUDIT, "controls:\n  - demo:D.1\n  - demo:D.2\n", "controls: []\n")
    edit(repo, AUDIT, "clauses:\n  - demo-clauses:9.2\n  - demo-clauses:9.3\n", "clauses: []\n")
    found = check(runner, repo)
    assert codes(found) == [
        ("audit-clause-unsampled", AUDIT, 9),
        ("audit-control-unsampled", AUDIT, 10),
    ]
    assert "2 clauses: demo-clauses:9.2, demo-clauses:9.3; plan them" in found[0]["message"]
    assert "demo:D.3" not in found[1]["message"]  # excluded in soa.yml


def test_a_sampled_control_that_does_not_exist_is_unknown(runner: CliRunner, repo: Path) -> None:
    edit(repo, AUDIT, "  - demo:D.2\n", "  - demo:D.2\n  - demo:D.9\n")
    found = check(runner, repo)
    assert codes(found) == [("unknown-control", AUDIT, 15)]
    assert found[0]["field"] == "controls[2]"


def test_a_nonconformity_finding_without_a_record_id(runner: CliRunner, repo: Path) -> None:
    edit(repo, AUDIT, "    nonconformity: NC-2026-001\n", "")
    found = check(runner, repo)
    assert codes(found) == [("audit-finding-unrecorded", AUDIT, 16)]
    assert found[0]["field"] == "findings[0].nonconformity"
    assert "names no record" in found[0]["message"]


def test_observations_and_opportunities_need_no_record(runner: CliRunner, repo: Path) -> None:
    edit(repo, AUDIT, "  - grade: minor\n", "  - grade: opportunity\n")
    edit(repo, AUDIT, "    nonconformity: NC-2026-001\n", "")
    assert check(runner, repo) == []


def test_an_input_marked_not_covered_is_missing(runner: CliRunner, repo: Path) -> None:
    edit(repo, REVIEW, "risk_status: {covered: true", "risk_status: {covered: false")
    found = check(runner, repo)
    assert codes(found) == [("review-input-missing", REVIEW, 16)]
    assert "mark as not covered" in found[0]["message"] and found[0]["field"] == "inputs.risk_status"


def test_only_the_latest_review_must_cover_every_input(runner: CliRunner, repo: Path) -> None:
    older = "schema_version: 1\ndate: 2025-10-01\nattendees: [Chief Executive Officer]\ninputs: {}\n"
    (repo / "records/management-reviews/2025-10-review.yml").write_text(older, encoding="utf-8")
    assert check(runner, repo) == []


def test_without_any_review_the_due_date_points_at_operating_since(runner: CliRunner, repo: Path) -> None:
    (repo / REVIEW).unlink()
    found = check(runner, repo)
    assert codes(found) == [("management-review-overdue", "isms.yml", 18)]
    assert "first review was due by 2026-01-10" in found[0]["message"]


def test_a_review_action_past_due_and_not_done_is_overdue(runner: CliRunner, repo: Path) -> None:
    edit(repo, REVIEW, "    done_on: 2026-05-10\n", "")
    found = check(runner, repo)
    assert codes(found) == [("action-overdue", REVIEW, 23)]
    assert found[0]["field"] == "actions[0].due"


def test_a_closed_nonconformity_found_not_effective_is_unverified(runner: CliRunner, repo: Path) -> None:
    edit(repo, NONCONFORMITIES, "result: effective", "result: not-effective")
    found = check(runner, repo)
    assert codes(found) == [("action-unverified", NONCONFORMITIES, 17)]
    assert "found the corrective action not effective" in found[0]["message"]


def test_a_closed_action_is_never_overdue(runner: CliRunner, repo: Path) -> None:
    edit(repo, NONCONFORMITIES, "    due: 2025-07-31", "    due: 2025-07-01")
    assert check(runner, repo) == []


def test_owners_of_corrective_and_review_actions_are_roles(runner: CliRunner, repo: Path) -> None:
    edit(repo, NONCONFORMITIES, "    owner: Head of IT", "    owner: Head of ITT")
    edit(repo, REVIEW, "    owner: Head of IT", "    owner: Floor Manager")
    found = check(runner, repo)
    assert codes(found) == [
        ("owner-unknown", REVIEW, 22),
        ("owner-unknown", NONCONFORMITIES, 28),
    ]
    assert "did you mean 'Head of IT'?" in found[1]["message"]


def test_the_public_questions_readiness_asks(repo: Path) -> None:
    workspace = open_workspace(repo, today=dt.date(2026, 6, 1))
    assert records.latest_audit(workspace) == dt.date(2026, 3, 20)
    assert records.latest_management_review(workspace) == dt.date(2026, 4, 15)
    assert [(action.ref, action.due) for action in records.open_actions(workspace)] == [
        ("NC-2026-001", dt.date(2026, 7, 31))
    ]
    (repo / REVIEW).write_text(
        (repo / REVIEW).read_text(encoding="utf-8").replace("    done_on: 2026-05-10\n", ""), encoding="utf-8"
    )
    (repo / AUDIT).unlink()
    workspace = open_workspace(repo, today=dt.date(2026, 6, 1))
    assert records.latest_audit(workspace) is None
    opened = records.open_actions(workspace)
    assert [(action.file, action.owner, action.overdue(workspace.today)) for action in opened] == [
        (REVIEW, "Head of IT", True),
        (NONCONFORMITIES, "Head of IT", False),
    ]


def test_the_review_schema_lists_exactly_the_inputs() -> None:
    inputs = load_schema("management-review")["properties"]["inputs"]["properties"]
    assert list(inputs) == [key for key, _meaning in records.REVIEW_INPUTS]


def test_records_settings_are_checked_by_the_schema(runner: CliRunner, repo: Path) -> None:
    edit(repo, "isms.yml", "audit_cycle_months: 12", "audit_cycle_months: 0")
    edit(repo, "isms.yml", "operating_since: 2025-01-10", "operating_since: 2025-02-30")
    found = check(runner, repo)
    assert [(f["code"], f["line"], f["field"]) for f in found if f["code"] == "schema"] == [
        ("schema", 16, "records.audit_cycle_months"),
        ("schema", 18, "records.operating_since"),
    ]
