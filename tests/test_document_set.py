"""The generated document set: the procedures, plans and forms an auditor and a client expect, each
checkable, approvable and published, and the documents a region, healthcare work or card payments add."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.check import CheckOptions, execute
from toolkit.cli import cli
from toolkit.handbook.navigation import STAFF_SECTIONS
from toolkit.handbook.pages import build_handbook
from toolkit.sources.documents import split_front_matter
from toolkit.workspace import open_workspace

DATE = "2026-11-24"

# The procedures, plans and forms every company gets, whatever its type and client regions.
EVERY_COMPANY = {
    "control-of-documented-information.md": "procedure",
    "planning-of-changes.md": "procedure",
    "communication-plan.md": "procedure",
    "isms-committee-terms-of-reference.md": "isms-document",
    "business-impact-analysis.md": "procedure",
    "site-continuity-plan.md": "procedure",
    "ict-disaster-recovery-plan.md": "procedure",
    "incident-playbooks.md": "procedure",
    "staff-privacy-notice.md": "policy",
    "data-principal-rights.md": "procedure",
    "incident-report-form.md": "form",
    "joining-declaration.md": "form",
    "screening-consent-form.md": "form",
    "leaver-checklist.md": "form",
    "visitor-log-and-gate-pass.md": "form",
    "clear-desk-audit-checklist.md": "form",
    "cctv-footage-request.md": "form",
    "certificate-of-deletion.md": "form",
    "client-go-live-security-checklist.md": "form",
    "access-request-form.md": "form",
    "access-review-record.md": "form",
    "change-request-form.md": "form",
    "restore-test-log.md": "form",
    "continuity-exercise-report.md": "form",
}
EU_DOCUMENTS = (
    "gdpr-processor-duties.md",
    "records-of-processing.md",
    "data-subject-request-assistance.md",
    "dpia-assistance.md",
)
HIPAA_DOCUMENTS = ("hipaa-security-official-appointment.md", "baa-obligations-checklist.md")
CARDS_DOCUMENT = "payment-card-security.md"


# The company's own incident contacts: the example's are a finding of their own (example-value).
OWN_CONTACTS = {"incident_email": "security@company.test", "incident_phone": "+91 80 5550 0100"}


def render(target: Path, **answers: object) -> Path:
    scaffold.render({**OWN_CONTACTS, **answers}, target)
    return target


def front_matter(path: Path) -> dict[str, object]:
    parts = split_front_matter(path.read_text(encoding="utf-8"))
    meta: dict[str, object] = yaml.safe_load(parts[0])
    return meta


def documents(repo: Path) -> dict[str, dict[str, object]]:
    return {path.name: front_matter(path) for path in sorted((repo / "policies").glob("*.md"))}


@pytest.fixture(scope="module")
def general(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A general BPO with no client regions: the smallest set the templates make."""
    return render(tmp_path_factory.mktemp("general") / "repo", bpo_type="general-bpo", client_regions="")


@pytest.fixture(scope="module")
def healthcare(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A healthcare BPO in Chennai and Coimbatore with US healthcare and EU clients."""
    sites = {
        "chennai": {"name": "Chennai Centre", "city": "Chennai", "seats": 300},
        "coimbatore": {"name": "Coimbatore Centre", "city": "Coimbatore", "seats": 120},
    }
    target = tmp_path_factory.mktemp("healthcare") / "repo"
    return render(target, bpo_type="healthcare-bpo", client_regions="us-healthcare, eu-gdpr", sites=sites)


def test_a_general_bpo_gets_at_least_fifty_documents_and_forms(general: Path) -> None:
    found = documents(general)
    assert len(found) >= 50, sorted(found)
    for name, kind in EVERY_COMPANY.items():
        assert name in found, name
        assert found[name]["type"] == kind, name
    assert not [name for name in (*EU_DOCUMENTS, *HIPAA_DOCUMENTS) if name in found]


def test_healthcare_with_us_and_eu_clients_gets_its_privacy_and_hipaa_documents(healthcare: Path) -> None:
    found = documents(healthcare)
    for name in (*EVERY_COMPANY, *EU_DOCUMENTS, *HIPAA_DOCUMENTS):
        assert name in found, name
    duties = (healthcare / "policies" / "gdpr-processor-duties.md").read_text(encoding="utf-8")
    assert "special category data" in duties  # EU health data (GDPR Article 9)
    assert "instruction" in duties and "break" in duties  # telling the controller of an unlawful one
    playbooks = (healthcare / "policies" / "incident-playbooks.md").read_text(encoding="utf-8")
    assert "## 3. Misdirected email or PHI disclosure" in playbooks
    site_plan = (healthcare / "policies" / "site-continuity-plan.md").read_text(encoding="utf-8")
    assert "### Chennai Centre (Chennai)" in site_plan and "### Coimbatore Centre (Coimbatore)" in site_plan


def test_new_documents_name_only_isms_roles_and_cite_controls(healthcare: Path) -> None:
    config = yaml.safe_load((healthcare / "isms.yml").read_text(encoding="utf-8"))
    titles = {role["title"] for role in config["roles"].values()}
    found = documents(healthcare)
    for name in (*EVERY_COMPANY, *EU_DOCUMENTS, *HIPAA_DOCUMENTS, CARDS_DOCUMENT):
        meta = found[name]
        assert meta["status"] == "draft" and meta["controls"], name
        assert meta["owner"] in titles and meta["approver"] in titles, name


@pytest.mark.parametrize(
    ("bpo_type", "answer", "expected"),
    [
        ("general-bpo", None, True),
        ("general-bpo", False, False),
        ("kpo", None, False),
        ("legal-process-outsourcing", True, True),
    ],
)
def test_the_payment_card_standard_follows_the_answer_or_the_bpo_type(
    tmp_path: Path, bpo_type: str, answer: bool | None, expected: bool
) -> None:
    answers: dict[str, object] = {"bpo_type": bpo_type, "client_regions": "us"}
    if answer is not None:
        answers["handles_payment_cards"] = answer
    repo = render(tmp_path / "repo", **answers)
    assert (repo / "policies" / CARDS_DOCUMENT).is_file() is expected
    checklist = (repo / "policies" / "client-go-live-security-checklist.md").read_text(encoding="utf-8")
    assert ("Payment Card Security Standard" in checklist) is expected
    recorded = yaml.safe_load((repo / ".isms" / "answers.yml").read_text(encoding="utf-8"))
    assert recorded["handles_payment_cards"] is expected


def test_the_prompts_ask_about_payment_cards(runner: CliRunner, tmp_path: Path) -> None:
    # software at its default, no voice processes, then payment cards: yes
    keystrokes = "\n".join(["Acme", "Acme", "", "kpo", "us", "", "n", "", "n", "y"]) + "\n" * 40
    result = runner.invoke(cli, ["init", str(tmp_path / "acme"), "--date", DATE], input=keystrokes)
    assert result.exit_code == 0, result.output
    assert "payment card numbers" in result.output
    assert (tmp_path / "acme" / "policies" / CARDS_DOCUMENT).is_file()


@pytest.mark.parametrize(
    ("bpo_type", "regions"),
    [
        ("healthcare-bpo", "us-healthcare, eu-gdpr"),
        ("legal-process-outsourcing", "uk-fca"),
        ("finance-accounting", "us, australia"),
        ("it-helpdesk", "middle-east"),
    ],
)
def test_the_whole_set_passes_strict_once_approved(
    runner: CliRunner, tmp_path: Path, bpo_type: str, regions: str
) -> None:
    repo = render(tmp_path / "repo", bpo_type=bpo_type, client_regions=regions)
    first = execute(CheckOptions(root=repo))
    assert [f for f in first.findings if f.level == "error"] == []
    by = ["--by", "Chief Executive Officer", "--repo", str(repo)]
    assert runner.invoke(cli, ["approve", "--all-drafts", *by]).exit_code == 0
    assert runner.invoke(cli, ["approve", "soa.yml", *by]).exit_code == 0
    check = runner.invoke(cli, ["check", "--strict", "-f", "json", str(repo)])
    assert check.exit_code == 0, check.stdout
    assert json.loads(check.stdout)["findings"] == []


def test_the_check_needs_a_procedure_for_documented_information(general: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(general, repo)
    (repo / "policies" / "control-of-documented-information.md").unlink()
    for path in (repo / "policies").glob("*.md"):  # links to the removed file are not the point here
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("(control-of-documented-information.md)", ""), encoding="utf-8")
    outcome = execute(CheckOptions(root=repo))
    assert outcome.coverage["iso27001-2022-clauses"].states["7.5"] == "missing"
    errors = [f for f in outcome.findings if f.level == "error"]
    assert [f.code for f in errors] == ["control-missing"]
    assert "iso27001-2022-clauses:7.5 " in errors[0].message


def test_a_control_cited_only_by_a_form_is_missing_and_the_message_says_why(
    general: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(general, repo)
    (repo / "policies" / "cctv-and-visitor-management.md").unlink()
    for path in (repo / "policies").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("(cctv-and-visitor-management.md)", ""), encoding="utf-8")
    outcome = execute(CheckOptions(root=repo))
    cctv = [
        f for f in outcome.findings if f.code == "control-missing" and "iso27001-2022:A.7.4 " in f.message
    ]
    assert len(cctv) == 1
    assert "only forms cite it: FORM-CCTV-REQUEST" in cctv[0].message


FORMS = next(title for title, kinds in STAFF_SECTIONS if "form" in kinds)


def test_forms_have_their_own_handbook_section_after_the_policies(healthcare: Path) -> None:
    workspace = open_workspace(healthcare)
    handbook = build_handbook(workspace)
    sections = [next(iter(entry)) for entry in handbook.nav]
    assert sections[:3] == ["Home", "Policies", FORMS]

    def pages(section: str) -> set[str]:
        groups = handbook.nav[sections.index(section)][section]
        return {next(iter(item.values())) for group in groups for item in next(iter(group.values()))}

    forms = pages(FORMS)
    expected = {name for name, meta in documents(healthcare).items() if meta["type"] == "form"}
    assert {Path(page).stem for page in forms} == {Path(name).stem for name in expected}
    assert "incident-report-form" in {Path(page).stem for page in forms}
    others = [section for section in sections[1:] if section not in (FORMS, "ISMS reference")]
    assert not any(forms & pages(section) for section in others)


def test_the_healthcare_handbook_builds_with_every_new_document(healthcare: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(healthcare), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    for name in (*EVERY_COMPANY, *EU_DOCUMENTS, *HIPAA_DOCUMENTS, CARDS_DOCUMENT):
        page = (out / f"{Path(name).stem}.html").read_text(encoding="utf-8")  # opened from disk: no folders
        assert 'class="isms-document-control"' in page, name
