"""The register rules' edges and messages, beyond the exact findings of the example folders.

Each test edits a copy of tests/examples/valid-registers (which passes with no findings) and checks what
the change does and does not report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli
from toolkit.rules import ownership
from toolkit.workspace import open_workspace

TODAY = "2026-06-01"


def check(runner: CliRunner, repo: Path) -> list[dict]:
    result = runner.invoke(cli, ["check", str(repo), "--today", TODAY, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings: list[dict] = json.loads(result.stdout)["findings"]
    return findings


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(findings: list[dict]) -> list[tuple[str, str, int]]:
    return [(f["code"], f["file"], f["line"]) for f in findings]


@pytest.fixture
def repo(example_copy) -> Path:
    copied: Path = example_copy("valid-registers")
    return copied


def test_the_base_repository_passes(runner: CliRunner, repo: Path) -> None:
    assert check(runner, repo) == []


def test_a_done_action_past_its_due_date_is_not_overdue(runner: CliRunner, repo: Path) -> None:
    edit(
        repo,
        "registers/risks.yml",
        "      due: 2026-09-30\n      status: in-progress\n",
        "      due: 2026-03-31\n      status: done\n",
    )
    assert check(runner, repo) == []
    edit(repo, "registers/risks.yml", "      status: done\n", "      status: planned\n")
    assert codes(check(runner, repo)) == [("risk-action-overdue", "registers/risks.yml", 18)]


def test_treatment_is_required_from_the_threshold_itself(runner: CliRunner, repo: Path) -> None:
    """Level 8 (2 x 4) meets the treatment threshold 8; level 6 (2 x 3) is below it."""
    edit(
        repo,
        "registers/risks.yml",
        "    likelihood: 4\n    impact: 4\n    level: 16\n",
        "    likelihood: 2\n    impact: 4\n",
    )
    edit(repo, "registers/risks.yml", "    controls:\n      - demo:D.2\n    action:", "    x-action:")
    findings = check(runner, repo)
    assert codes(findings) == [("risk-untreated", "registers/risks.yml", 11)]
    assert "RSK-001 is at level 8 (treatment threshold 8)" in findings[0]["message"]
    assert "a control (controls:)" in findings[0]["message"]
    edit(
        repo,
        "registers/risks.yml",
        "    impact: 4\n    treatment: reduce",
        "    impact: 3\n    treatment: reduce",
    )
    assert check(runner, repo) == []


def test_the_acceptance_authority_may_be_named_by_key_or_title(runner: CliRunner, repo: Path) -> None:
    edit(repo, "registers/risks.yml", "      by: Chief Executive Officer\n", "      by: top_management\n")
    assert check(runner, repo) == []
    edit(repo, "registers/risks.yml", "      by: top_management\n", "      by: Head of IT\n")
    findings = check(runner, repo)
    assert codes(findings) == [("risk-not-accepted", "registers/risks.yml", 44)]
    assert (
        "must be accepted by Chief Executive Officer (top_management), not 'Head of IT'"
        in findings[0]["message"]
    )


def test_an_unreadable_risk_method_is_left_to_the_schema(runner: CliRunner, repo: Path) -> None:
    """A risk_method that is there but incomplete is a schema finding, not risk-method-missing."""
    edit(repo, "isms.yml", "  acceptance_threshold: 12\n", "")
    findings = check(runner, repo)
    assert [f["code"] for f in findings] == ["schema"]
    assert findings[0]["file"] == "isms.yml"


def test_owners_and_levels_are_not_checked_without_roles_and_levels(runner: CliRunner, repo: Path) -> None:
    edit(
        repo,
        "registers/assets.yml",
        "    owner: it_head\n    classification: internal\n",
        "    owner: Chief Nobody\n    classification: top-secret\n",
    )
    assert {f["code"] for f in check(runner, repo)} == {"owner-unknown", "classification-unknown"}
    text = (repo / "isms.yml").read_text(encoding="utf-8")
    start, end = text.index("roles:"), text.index("risk_method:")
    kept = text[:start] + text[end:]
    (repo / "isms.yml").write_text(kept, encoding="utf-8")
    # without roles, the acceptance authority can only be named by its key
    edit(repo, "registers/risks.yml", "      by: Chief Executive Officer\n", "      by: top_management\n")
    assert check(runner, repo) == []


def test_a_near_miss_owner_gets_a_suggestion(runner: CliRunner, repo: Path) -> None:
    edit(
        repo,
        "registers/requirements.yml",
        "    owner: Chief Information Security Officer\n",
        "    owner: chief information security officer\n",
    )
    findings = check(runner, repo)
    assert codes(findings) == [("owner-unknown", "registers/requirements.yml", 7)]
    assert "did you mean 'Chief Information Security Officer'?" in findings[0]["message"]


def test_a_baa_is_required_only_for_us_healthcare_clients(runner: CliRunner, repo: Path) -> None:
    edit(repo, "registers/suppliers.yml", "    baa_signed: 2025-11-01\n", "")
    assert [f["code"] for f in check(runner, repo)] == ["supplier-protection-missing"]
    edit(repo, "isms.yml", "    - us-healthcare\n", "    - eu-gdpr\n")
    assert check(runner, repo) == []


def test_supplier_deadlines_are_compared_only_with_promises_made(runner: CliRunner, repo: Path) -> None:
    edit(
        repo, "registers/suppliers.yml", "    incident_notice_hours: 12\n", "    incident_notice_hours: 23\n"
    )
    assert check(runner, repo) == []
    edit(
        repo, "registers/suppliers.yml", "    incident_notice_hours: 23\n", "    incident_notice_hours: 48\n"
    )
    findings = check(runner, repo)
    assert codes(findings) == [("supplier-deadline-too-long", "registers/suppliers.yml", 12)]
    assert "could not keep that promise" in findings[0]["message"]
    edit(repo, "isms.yml", "  incident_notification_hours: 24\n", "")
    assert check(runner, repo) == []


@pytest.mark.parametrize(("last_review", "overdue"), [("2025-06-01", False), ("2025-05-31", True)])
def test_a_supplier_review_is_due_twelve_months_after_the_last(
    runner: CliRunner, repo: Path, last_review: str, overdue: bool
) -> None:
    edit(
        repo, "registers/suppliers.yml", "    last_review: 2026-01-10\n", f"    last_review: {last_review}\n"
    )
    expected = [("supplier-review-overdue", "registers/suppliers.yml", 18)] if overdue else []
    assert codes(check(runner, repo)) == expected


def test_the_generated_company_uses_its_own_roles_and_levels(tmp_path: Path) -> None:
    """Every document of `isms init --no-input` has an owner that is a role and a level that exists."""
    company = tmp_path / "company"
    scaffold.render({}, company)
    workspace = open_workspace(company)
    assert workspace.config["roles"] and workspace.config["classification_levels"]
    assert all(document.meta.get("owner") for document in workspace.documents)
    found = [
        finding
        for rule in (ownership.document_owners, ownership.classifications, ownership.register_owners)
        for finding in rule(workspace)
    ]
    assert found == []


def test_an_unparsable_isms_yml_is_not_also_missing_its_risk_method(runner: CliRunner, repo: Path) -> None:
    edit(repo, "isms.yml", "scope: Back-office", "scope: [Back-office")
    assert [f["code"] for f in check(runner, repo)] == ["yaml-syntax"]
