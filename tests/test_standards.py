"""Several standards in one repository: the profile table, the ISO 9001 and ISO/IEC 20000-1 documents,
coverage per framework and the ISO/IEC 27701 statement of applicability."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.catalogs import load_catalogs
from toolkit.cli import cli

DATE = "2026-11-24"
ISO27001, ISO9001 = "ISO/IEC 27001:2022", "ISO 9001:2015"
ISO20000, ISO27701 = "ISO/IEC 20000-1:2018", "ISO/IEC 27701:2025"

# The market's table (issue 13): standards per BPO type, all put in scope.
BPO_TYPES = {
    "general-bpo": [ISO27001, ISO9001],
    "kpo": [ISO27001, ISO9001],
    "healthcare-bpo": [ISO27001, ISO9001],
    "legal-process-outsourcing": [ISO27001],
    "it-helpdesk": [ISO27001, ISO20000],
    "finance-accounting": [ISO27001, ISO9001],
}
# Per client region: what it adds to scope ("mandatory" or a plain "+") and what it prefers.
REGIONS = {
    "us": ([], [ISO9001]),
    "us-healthcare": ([], []),
    "uk-fca": ([], []),
    "eu-gdpr": ([], [ISO27701]),
    "australia": ([], []),
    "middle-east": ([ISO9001], []),
}


@pytest.mark.parametrize("bpo_type", sorted(BPO_TYPES))
def test_bpo_type_puts_the_tables_standards_in_scope(bpo_type: str) -> None:
    profile = scaffold.resolve_profile({"bpo_type": bpo_type, "client_regions": ""})
    assert profile["standards"] == BPO_TYPES[bpo_type]
    assert profile["recommended"] == []


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_client_region_adds_or_recommends_as_the_table_says(region: str) -> None:
    # Legal process outsourcing has ISO/IEC 27001 alone, so whatever a region adds shows.
    profile = scaffold.resolve_profile({"bpo_type": "legal-process-outsourcing", "client_regions": region})
    in_scope, preferred = REGIONS[region]
    assert profile["standards"] == [ISO27001, *in_scope]
    assert profile["recommended"] == preferred
    assert any(reason.startswith(profile["regions"][0]["label"]) for reason in profile["reasons"])


def test_a_recommendation_already_in_scope_is_not_repeated() -> None:
    profile = scaffold.resolve_profile({"bpo_type": "general-bpo", "client_regions": "us"})
    assert profile["standards"] == [ISO27001, ISO9001] and profile["recommended"] == []


def test_the_users_extra_standards_stay_the_users_choice() -> None:
    profile = scaffold.resolve_profile(
        {"bpo_type": "legal-process-outsourcing", "client_regions": "eu-gdpr", "extra_standards": ISO27701}
    )
    assert profile["standards"] == [ISO27001, ISO27701] and profile["recommended"] == []
    assert profile["frameworks"] == ["iso27001-2022", "iso27701-2025"]


def test_init_prints_why_for_the_type_and_each_region(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["init", str(tmp_path / "r"), "--no-input", "--date", DATE, "--bpo-type", "legal-process-outsourcing",
         "--client-regions", "us,middle-east"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"Standards in scope: {ISO27001}, {ISO9001}" in result.output
    assert "why: Middle East clients: " in result.output and "ISO 9001" in result.output
    config = yaml.safe_load((tmp_path / "r" / "isms.yml").read_text(encoding="utf-8"))
    assert config["frameworks"] == ["iso27001-2022", "iso9001-2015"]


# The company's own incident contacts: the example's are a finding of their own (example-value).
OWN_CONTACTS = {"incident_email": "security@company.test", "incident_phone": "+91 80 5550 0100"}


def generate(tmp_path: Path, name: str, answers: dict[str, object]) -> Path:
    target = tmp_path / name
    scaffold.render({"generated_on": DATE, **OWN_CONTACTS, **answers}, target)
    return target


def check(runner: CliRunner, repo: Path, *args: str) -> tuple[int, dict[str, object]]:
    result = runner.invoke(cli, ["check", str(repo), "--format", "json", "--today", DATE, *args])
    return result.exit_code, json.loads(result.stdout)


CASES = {
    "healthcare": ({"bpo_type": "healthcare-bpo", "client_regions": "us-healthcare"}, "iso9001-2015"),
    "helpdesk": ({"bpo_type": "it-helpdesk", "client_regions": "uk-fca"}, "iso20000-1-2018"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_clause_of_the_added_standard_is_drafted_then_approved(tmp_path: Path, case: str) -> None:
    answers, framework = CASES[case]
    repo = generate(tmp_path, case, answers)
    runner = CliRunner()
    code, report = check(runner, repo)
    assert code == 0
    coverage = report["coverage"][framework]  # type: ignore[index]
    assert coverage["missing"] == [] and coverage["drafted"] == len(load_catalogs()[framework])
    code, report = check(runner, repo, "--strict")
    assert code == 1
    assert {finding["code"] for finding in report["findings"]} == {"control-drafted", "soa-unapproved"}  # type: ignore[union-attr]
    for args in (["--all-drafts"], ["soa.yml"]):
        approved = runner.invoke(cli, ["approve", *args, "--by", "X", "--on", DATE, "--repo", str(repo)])
        assert approved.exit_code == 0, approved.output
    code, report = check(runner, repo, "--strict")
    assert code == 0, report["findings"]
    assert report["coverage"][framework]["covered"] == len(load_catalogs()[framework])  # type: ignore[index]


@pytest.mark.parametrize(
    ("case", "document", "clause"),
    [
        ("healthcare", "nonconforming-output.md", "ISO 9001:2015 clauses 4-10: iso9001-2015:8.7 "),
        ("helpdesk", "service-catalogue.md", "ISO/IEC 20000-1:2018 clauses 4-10: iso20000-1-2018:8.2.4 "),
    ],
)
def test_removing_an_added_document_names_the_standard_and_clause(
    tmp_path: Path, case: str, document: str, clause: str
) -> None:
    repo = generate(tmp_path, case, CASES[case][0])
    (repo / "policies" / document).unlink()
    code, report = check(CliRunner(), repo)
    assert code == 1
    missing = [f["message"] for f in report["findings"] if f["code"] == "control-missing"]  # type: ignore[union-attr]
    assert len(missing) == 1 and missing[0].startswith(clause)


def test_documents_of_a_standard_out_of_scope_are_not_rendered(tmp_path: Path) -> None:
    repo = generate(tmp_path, "legal", {"bpo_type": "legal-process-outsourcing", "client_regions": ""})
    names = {path.name for path in (repo / "policies").glob("*.md")}
    assert not names & {
        "quality-policy-and-objectives.md",
        "service-catalogue.md",
        "service-levels-and-reporting.md",
    }
    assert "iso9001-2015" not in (repo / "policies" / "management-review.md").read_text(encoding="utf-8")


def test_integrated_documents_gain_the_other_standards_clause(tmp_path: Path) -> None:
    repo = generate(tmp_path, "both", {"bpo_type": "it-helpdesk", "client_regions": "middle-east"})
    review = (repo / "policies" / "management-review.md").read_text(encoding="utf-8")
    front = yaml.safe_load(review.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert {"iso9001-2015:9.3", "iso20000-1-2018:9.3", "iso27001-2022-clauses:9.3"} <= set(front["controls"])
    levels = (repo / "policies" / "service-levels-and-reporting.md").read_text(encoding="utf-8")
    assert "iso9001-2015:8.2" in levels and "iso20000-1-2018:8.3.3" in levels


def test_soa_for_27701_lists_every_control_with_applicability_and_justification(tmp_path: Path) -> None:
    repo = generate(
        tmp_path, "eu", {"bpo_type": "general-bpo", "client_regions": "eu-gdpr", "extra_standards": ISO27701}
    )
    runner = CliRunner()
    result = runner.invoke(
        cli, ["soa", str(repo), "--framework", "iso27701-2025", "--format", "json", "-o", "-"]
    )
    assert result.exit_code == 0, result.output
    statement = json.loads(result.stdout)
    annex = load_catalogs()["iso27701-2025"]
    assert [row["control"] for row in statement["rows"]] == list(annex.controls)
    assert all(row["catalog"] == "iso27701-2025" and row["justification"] for row in statement["rows"])
    assert {row["applicable"] for row in statement["rows"]} == {True, False}
    assert [row["control"] for row in statement["clauses"]] == list(
        load_catalogs()["iso27701-2025-clauses"].controls
    )
    default = json.loads(runner.invoke(cli, ["soa", str(repo), "--format", "json", "-o", "-"]).stdout)
    assert {row["catalog"] for row in default["rows"]} == {"iso27001-2022"}


def test_soa_for_a_framework_not_in_scope_is_a_usage_error(tmp_path: Path) -> None:
    repo = generate(tmp_path, "legal", {"bpo_type": "legal-process-outsourcing", "client_regions": ""})
    result = CliRunner().invoke(cli, ["soa", str(repo), "--framework", "iso9001-2015", "-o", "-"])
    assert result.exit_code == 2
    assert "not a framework of this repository's isms.yml" in result.output


def test_controls_browses_every_catalog_and_shows_what_a_control_is_shared_with() -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["controls", "--catalog", "iso20000-1-2018"])
    assert listed.exit_code == 0 and "iso20000-1-2018:8.6.3" in listed.output
    shown = runner.invoke(cli, ["controls", "show", "iso9001-2015:9.2"])
    assert shown.exit_code == 0
    assert "Shared with: iso27001-2022-clauses:9.2" in shown.output
    annex = runner.invoke(cli, ["controls", "show", "iso27001-2022:A.5.1"])
    assert "iso20000-1-2018:8.7.3" in annex.output and "iso27701-2025:A.3.3" in annex.output
