"""ISO/IEC 27701 in scope: the privacy information management documents, the controls the existing
privacy documents cite, coverage of every clause and applicable control, and the 27701 statement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.catalogs import load_catalogs
from toolkit.cli import cli
from toolkit.sources.documents import split_front_matter

DATE = "2026-11-24"
ISO27701 = "ISO/IEC 27701:2025"
OWN_CONTACTS = {"incident_email": "security@company.test", "incident_phone": "+91 80 5550 0100"}
PIMS_DOCUMENTS = (
    "privacy-information-management-policy.md",
    "records-of-processing-procedure.md",
    "privacy-by-design-and-default.md",
    "sub-processors-and-transfers.md",
    "privacy-requests.md",
    "personal-data-breach-notification.md",
    "personal-data-retention-and-disposal.md",
)
CASES = {
    "healthcare-eu": {"bpo_type": "healthcare-bpo", "client_regions": "eu-gdpr", "extra_standards": ISO27701},
    "general": {"bpo_type": "general-bpo", "client_regions": "", "extra_standards": ISO27701},
}
FRAMEWORKS = ("iso27701-2025", "iso27701-2025-clauses")


def generate(tmp_path: Path, name: str, answers: dict[str, object]) -> Path:
    target = tmp_path / name
    scaffold.render({"generated_on": DATE, **OWN_CONTACTS, **answers}, target)
    return target


def check(repo: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(cli, ["check", str(repo), "--format", "json", "--today", DATE, *args])
    return result.exit_code, json.loads(result.stdout)


def controls_of(path: Path) -> list[str]:
    meta = yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8"))[0])
    return list(meta["controls"])


def applicable(repo: Path, framework: str) -> int:
    """How many controls of ``framework`` soa.yml leaves applicable (clauses always are)."""
    soa = yaml.safe_load((repo / "soa.yml").read_text(encoding="utf-8"))["controls"]
    excluded = [
        ref for ref, entry in soa.items() if ref.startswith(f"{framework}:") and not entry["applicable"]
    ]
    return len(load_catalogs()[framework]) - len(excluded)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_clause_and_applicable_control_is_drafted_then_approved(tmp_path: Path, case: str) -> None:
    repo = generate(tmp_path, case, CASES[case])
    code, report = check(repo)
    assert code == 0, [f for f in report["findings"] if f["level"] == "error"]  # type: ignore[union-attr]
    for framework in FRAMEWORKS:
        coverage = report["coverage"][framework]  # type: ignore[index]
        assert coverage["missing"] == [], framework
        assert coverage["drafted"] == applicable(repo, framework), framework
    code, report = check(repo, "--strict")
    assert code == 1
    assert {f["code"] for f in report["findings"]} == {"control-drafted", "soa-unapproved"}  # type: ignore[union-attr]
    runner = CliRunner()
    for args in (["--all-drafts"], ["soa.yml"]):
        approved = runner.invoke(cli, ["approve", *args, "--by", "X", "--on", DATE, "--repo", str(repo)])
        assert approved.exit_code == 0, approved.output
    code, report = check(repo, "--strict")
    assert code == 0, report["findings"]
    for framework in FRAMEWORKS:
        assert report["coverage"][framework]["covered"] == applicable(repo, framework)  # type: ignore[index]


def test_the_27701_statement_names_a_document_for_every_applicable_control(tmp_path: Path) -> None:
    repo = generate(tmp_path, "general", CASES["general"])
    result = CliRunner().invoke(
        cli, ["soa", str(repo), "--framework", "iso27701-2025", "--format", "json", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert [row["control"] for row in rows] == list(load_catalogs()["iso27701-2025"].controls)
    assert all(row["justification"] for row in rows)
    assert all(row["documents"] for row in rows if row["applicable"])
    assert not [row for row in rows if not row["applicable"] and row["documents"]]
    controller = next(row for row in rows if row["control"] == "A.1.3.5")
    assert "marketing" in controller["justification"]


def test_pims_documents_only_with_27701_in_scope(tmp_path: Path) -> None:
    eu_only = generate(tmp_path, "eu", {"bpo_type": "general-bpo", "client_regions": "eu-gdpr"})
    names = {path.name for path in (eu_only / "policies").glob("*.md")}
    assert "records-of-processing.md" in names and not names & set(PIMS_DOCUMENTS)
    assert not [
        ref for ref in controls_of(eu_only / "policies" / "gdpr-processor-duties.md") if "27701" in ref
    ]
    pims = generate(tmp_path, "pims", CASES["general"])
    names = {path.name for path in (pims / "policies").glob("*.md")}
    assert set(PIMS_DOCUMENTS) <= names
    # The processor's record per client comes with ISO/IEC 27701 too, without GDPR wording.
    record = (pims / "policies" / "records-of-processing.md").read_text(encoding="utf-8")
    assert "iso27701-2025:A.2.2.7" in record and "GDPR" not in record
    assert "gdpr-processor-duties.md" not in names
    for name in PIMS_DOCUMENTS:
        assert "gdpr" not in (pims / "policies" / name).read_text(encoding="utf-8").lower(), name


def test_existing_privacy_documents_cite_the_27701_controls_they_meet(tmp_path: Path) -> None:
    repo = generate(tmp_path, "eu", CASES["healthcare-eu"])
    policies = repo / "policies"
    assert "iso27701-2025:A.2.2.5" in controls_of(policies / "gdpr-processor-duties.md")
    assert "iso27701-2025:A.2.3.2" in controls_of(policies / "data-subject-request-assistance.md")
    assert "iso27701-2025:A.2.2.6" in controls_of(policies / "dpia-assistance.md")
    assert "iso27701-2025:A.1.3.7" in controls_of(policies / "data-principal-rights.md")
    assert "iso27701-2025:A.1.3.4" in controls_of(policies / "staff-privacy-notice.md")
    # With EU clients the privacy documents link to the GDPR procedures.
    requests = (policies / "privacy-requests.md").read_text(encoding="utf-8")
    assert "(data-subject-request-assistance.md)" in requests


def test_the_retention_procedure_quotes_the_one_retention_table(tmp_path: Path) -> None:
    repo = generate(tmp_path, "hc", {**CASES["healthcare-eu"], "client_data_deletion_days": 21})
    text = (repo / "policies" / "personal-data-retention-and-disposal.md").read_text(encoding="utf-8")
    table = scaffold.resolve_profile(scaffold.normalise(CASES["healthcare-eu"]))["retention"]
    for key in ("screening_summaries", "competence_records", "incident_evidence", "deletion_certificates"):
        assert f"| {table[key]['label']}: {table[key]['covers']} | {table[key]['period']} |" in text, key
    assert "returned or deleted within 21 days of the contract ending" in text


def test_removing_a_pims_document_names_the_standard_and_control(tmp_path: Path) -> None:
    repo = generate(tmp_path, "general", CASES["general"])
    (repo / "policies" / "sub-processors-and-transfers.md").unlink()
    for path in (repo / "policies").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("(sub-processors-and-transfers.md)", ""), encoding="utf-8")
    code, report = check(repo)
    assert code == 1
    missing = [f["message"] for f in report["findings"] if f["code"] == "control-missing"]  # type: ignore[union-attr]
    assert missing and all(m.startswith("ISO/IEC 27701:2025 Annex A: iso27701-2025:A.") for m in missing)
    assert any(m.startswith("ISO/IEC 27701:2025 Annex A: iso27701-2025:A.2.5.8 ") for m in missing)
