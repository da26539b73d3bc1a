"""Tailoring holds for every combination: every BPO type x a spread of client regions, rendered once each
(documents, starting registers and soa.yml), scanned for roles, regions, retention periods, numbers,
example leftovers, voice and card terms."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from tests import docset
from toolkit import scaffold
from toolkit.resources import controls_dir

TYPES = scaffold.bpo_types()
REGION_SETS = ("", "us, eu-gdpr", "us-healthcare, uk-fca, australia, middle-east")
ROLES = {
    "top_management": {"title": "Managing Director", "name": "Lakshmi Iyer"},
    "ciso": {"title": "Information Security Lead", "name": "Karthik Raman"},
    "dpo": {"title": "Privacy Lead", "name": "Divya Menon"},
    "hr_head": {"title": "People Lead", "name": "Suresh Babu"},
    "facilities_head": {"title": "Admin Lead", "name": "Priya Nair"},
    "it_head": {"title": "Technology Lead", "name": "Vijay Kumar"},
}
OWN = {
    "company_name": "Kaveri Process Services Private Limited",
    "company_short_name": "Kaveri",
    "isms_scope": "Back-office services delivered from the Guindy and Coimbatore centres.",
    "incident_email": "soc@kaveri.test",
    "incident_phone": "+91 44 5555 0101",
    "roles": ROLES,
    "sites": {
        "chennai": {"name": "Guindy Centre", "city": "Chennai", "seats": 120},
        "coimbatore": {"name": "Tidel Centre", "city": "Coimbatore", "seats": 60},
    },
    "cctv_retention_days": 47,
    "visitor_log_retention_days": 401,
    "incident_notification_hours": 13,
    "client_data_deletion_days": 29,
    "review_cycle_months": 11,
}


def answers(bpo_type: str, regions: str) -> dict[str, object]:
    return {**OWN, "bpo_type": bpo_type, "client_regions": regions}


@cache
def rendered(bpo_type: str, regions: str) -> dict[str, str]:
    return docset.render_documents(answers(bpo_type, regions))


@cache
def registers(bpo_type: str, regions: str) -> dict[str, str]:
    return docset.render_registers(answers(bpo_type, regions))


def test_the_fast_renderer_gives_what_isms_init_writes(tmp_path: Path) -> None:
    given = answers("healthcare-bpo", "us-healthcare, eu-gdpr")
    scaffold.render(given, tmp_path / "repo", generated_on=None)
    recorded = (tmp_path / "repo" / "isms.yml").read_text(encoding="utf-8")
    date = recorded.split("generated_on: ")[1].split("\n")[0].strip('"')
    fast = docset.render_documents({**given, "generated_on": date})
    written = {
        path.relative_to(tmp_path / "repo").as_posix()
        for path in (tmp_path / "repo" / "policies").glob("*.md")
    }
    # The post-generation hook ran on both (documents removed, shared controls added).
    assert set(fast) == written
    for name in written:
        assert (tmp_path / "repo" / name).read_text(encoding="utf-8") == fast[name], name
    fast = docset.render_registers({**given, "generated_on": date})
    assert set(fast) == {*docset.REGISTER_FILES, "soa.yml"}
    for name, text in fast.items():
        assert (tmp_path / "repo" / name).read_text(encoding="utf-8") == text, name


@pytest.mark.parametrize("regions", REGION_SETS)
@pytest.mark.parametrize("bpo_type", TYPES)
def test_every_combination_is_tailored(bpo_type: str, regions: str) -> None:
    files = {**rendered(bpo_type, regions), **registers(bpo_type, regions)}
    assert docset.scan(files, answers(bpo_type, regions)) == []


# ISO/IEC 27701 in scope adds the privacy documents: each BPO type once, with each region set twice.
PIMS_COMBINATIONS = [
    (bpo_type, REGION_SETS[index % len(REGION_SETS)]) for index, bpo_type in enumerate(TYPES)
]


@pytest.mark.parametrize(("bpo_type", "regions"), PIMS_COMBINATIONS)
def test_every_combination_with_27701_in_scope_is_tailored(bpo_type: str, regions: str) -> None:
    given = {**answers(bpo_type, regions), "extra_standards": "ISO/IEC 27701:2025"}
    documents = docset.render_documents(given)
    assert "policies/privacy-information-management-policy.md" in documents
    assert docset.scan(documents, given) == []


def _plant(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


PLANTS = {
    "role": ("policies/incident-response.md", "leads the response", "leads the response with the CISO"),
    "region": ("policies/backup.md", "## Purpose", "## Purpose\n\nThe FCA may ask for these copies."),
    "retention": (
        "policies/risk-assessment-and-treatment.md",
        "kept for at least 3 years",
        "kept for at least 4 years",
    ),
    "number": ("policies/incident-response.md", "overwritten after 47 days", "overwritten after 90 days"),
    "example": ("policies/backup.md", "## Purpose", "## Purpose\n\nAsk Arjun Deshpande."),
    "voice": ("policies/backup.md", "## Purpose", "## Purpose\n\nThe dialler is backed up too."),
    "cards": ("policies/backup.md", "## Purpose", "## Purpose\n\nNever back up a CVV."),
}
# Voice work in the registers, in words the documents' terms do not catch.
REGISTER_PLANTS = {
    "calls": ("registers/risks.yml", "drops client sessions", "drops calls and client sessions"),
    "recordings": ("registers/risks.yml", "mailboxes, case systems", "mailboxes, recordings"),
    "dialer": ("soa.yml", "scripts, macros", "scripts, Dialer logic, macros"),
    "call handling": ("registers/risks.yml", "measured on turnaround time", "measured on call handling time"),
}


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_the_scan_catches_a_planted_defect_of_each_kind(kind: str) -> None:
    given = answers("kpo", "")
    documents = dict(rendered("kpo", ""))
    name, old, new = PLANTS[kind]
    documents[name] = _plant(documents[name], old, new)
    assert {defect.kind for defect in docset.scan(documents, given)} == {kind}


@pytest.mark.parametrize("words", sorted(REGISTER_PLANTS))
def test_the_scan_catches_voice_work_planted_in_a_register(words: str) -> None:
    given = answers("kpo", "")
    files = dict(registers("kpo", ""))
    assert docset.scan(files, given) == []
    name, old, new = REGISTER_PLANTS[words]
    files[name] = _plant(files[name], old, new)
    assert [(defect.file, defect.kind) for defect in docset.scan(files, given)] == [(name, "voice")]


def test_cctv_recordings_and_a_helpdesk_caller_are_not_voice_work() -> None:
    given = answers("it-helpdesk", "")
    files = registers("it-helpdesk", "")
    assert "CCTV cameras and recordings" in files["registers/assets.yml"]
    assert "Callers impersonate client users" in files["registers/risks.yml"]
    assert docset.scan(files, given) == []


def test_voice_and_card_text_follows_the_answers() -> None:
    given = {**answers("kpo", ""), "voice_processes": True, "handles_payment_cards": True}
    voice = docset.render_documents(given)
    assert "voice zone" in voice["policies/network-security.md"].lower()
    assert "PCI DSS" in voice["policies/classification-and-handling.md"]
    assert "voice zone" not in rendered("kpo", "")["policies/network-security.md"].lower()
    # The registers follow the same answer: the dialler and its recordings, and no scan finds them odd.
    voice_registers = docset.render_registers(given)
    assert "Dialler and call recording platform" in voice_registers["registers/assets.yml"]
    assert "Dialler" not in registers("kpo", "")["registers/assets.yml"]
    assert docset.scan(voice_registers, given) == []


@pytest.mark.parametrize("bpo_type", ["general-bpo", "kpo"])
def test_no_voice_answer_leaves_no_voice_work_in_the_registers(bpo_type: str) -> None:
    given = {**answers(bpo_type, "us, eu-gdpr"), "voice_processes": False}
    assert docset.scan({**docset.render_documents(given), **docset.render_registers(given)}, given) == []


def test_hipaa_sets_six_years_for_every_isms_record() -> None:
    text = "\n".join(rendered("healthcare-bpo", "").values())
    assert 'kept for at least 6 years (the retention schedule\'s row "ISMS records"' in text
    assert "at least 3 years" not in text


def test_incident_evidence_is_kept_while_legal_action_is_open() -> None:
    documents = rendered("legal-process-outsourcing", "")
    kept = "at least 3 years after the incident is closed, and longer while a legal claim"
    assert kept in documents["policies/incident-response.md"]
    assert kept in documents["policies/legal-regulatory-compliance.md"]


def test_flood_season_follows_the_city() -> None:
    text = rendered("general-bpo", "")["policies/business-continuity.md"]
    assert "before 1 October each year at the Chennai site" in text
    assert "before 1 June each year at the Coimbatore site" in text


@pytest.mark.parametrize(
    ("bpo_type", "regions", "document", "phrases"),
    [
        (
            "legal-process-outsourcing",
            "us",
            "legal-regulatory-compliance.md",
            (
                "Conflict check of each new matter",
                "Ethical walls",
                "Protective orders",
                "clawback",
                "Legal hold",
                "ABA Model Rules",
                "No practice of law",
            ),
        ),
        (
            "finance-accounting",
            "australia",
            "legal-regulatory-compliance.md",
            (
                "Vendor bank detail changes",
                "calls the vendor back",
                "Dual authorisation",
                "Crime insurance",
                "SOC 1",
                "SSAE 18",
                "IT general controls",
                "APP 8",
                "Tax file numbers",
                "CPS 234",
            ),
        ),
        (
            "it-helpdesk",
            "middle-east",
            "legal-regulatory-compliance.md",
            (
                "records the session",
                "credential vault",
                "just in time",
                "remote-management",
                "change,\n   incident and problem management",
                "section 19 of the Indian Copyright Act",
                "SDAIA",
                "DIFC",
                "ADGM",
                "National Cybersecurity Authority",
            ),
        ),
    ],
)
def test_each_type_gets_its_own_sections(
    bpo_type: str, regions: str, document: str, phrases: tuple[str, ...]
) -> None:
    text = " ".join(rendered(bpo_type, regions)[f"policies/{document}"].split())
    for phrase in phrases:
        assert " ".join(phrase.split()) in text, phrase
    for other in set(TYPES) - {bpo_type}:
        assert "Conflict check of each new matter" not in rendered(other, regions)[
            f"policies/{document}"
        ] or (other == "legal-process-outsourcing")


def test_loss_of_privilege_is_scored_as_high_as_a_personal_data_breach() -> None:
    text = rendered("legal-process-outsourcing", "eu-gdpr")["policies/risk-assessment-and-treatment.md"]
    assert "loss of legal professional privilege" in text


def test_catalog_summaries_agree_with_the_documents() -> None:
    """A.5.35: the catalog's independent review frequency is the internal audit programme's; and no catalog
    summary shown in every handbook names a role or a voice system the company may not have."""
    catalog = yaml.safe_load((controls_dir() / "iso27001-2022.yml").read_text(encoding="utf-8"))
    summaries = {control["id"]: control["summary"] for control in catalog["controls"]}
    audit = " ".join(rendered("kpo", "")["policies/internal-audit-programme.md"].split())
    assert "at least every three years" in summaries["A.5.35"]
    assert "independent of the ISMS team, at least every three years" in audit
    for control, summary in summaries.items():
        assert "CISO" not in summary and "dialer" not in summary.lower(), control
