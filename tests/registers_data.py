"""Registers for tests: the four registers and a risk method, written into a copy of the example company."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

RISK_METHOD = {
    "likelihood": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
    "impact": ["Minor", "Moderate", "Major", "Severe", "Critical"],
    "treatment_threshold": 8,
    "acceptance_threshold": 10,
    "acceptance_authority": "top_management",
}

RISKS: list[dict[str, Any]] = [
    {
        "id": "RSK-001",
        "title": "Shared logins between shifts",
        "assets": ["AST-001"],
        "threat": "An agent on the night shift uses a day-shift login to reach client records.",
        "vulnerability": "Team leaders share one login per process to save time at shift change.",
        "owner": "it_head",
        "likelihood": 4,
        "impact": 4,
        "treatment": "reduce",
        "controls": ["iso27001-2022:A.5.16", "iso27001-2022:A.8.5"],
        "action": {
            "description": "Give every agent a named login and turn off the shared ones.",
            "owner": "it_head",
            "due": "2027-03-31",
            "status": "in-progress",
        },
        "residual": {"likelihood": 2, "impact": 4},
    },
    {
        "id": "RSK-002",
        "title": "Client papers left on desks",
        "assets": ["AST-002"],
        "threat": "A visitor or cleaner reads or takes a printed client form.",
        "vulnerability": "Agents print forms for data entry and leave them at the desk.",
        "owner": "facilities_head",
        "likelihood": 3,
        "impact": 4,
        "treatment": "reduce",
        "controls": ["iso27001-2022:A.7.7"],
        "action": {
            "description": "Lockable drawers on every floor and a clear-desk round at shift end.",
            "owner": "facilities_head",
            "due": "2027-01-31",
        },
        "residual": {"likelihood": 3, "impact": 4},
        "acceptance": {"by": "top_management", "on": "2026-11-20", "note": "Drawers are on order."},
    },
]
ASSETS: list[dict[str, Any]] = [
    {
        "id": "AST-001",
        "name": "Client CRM (hosted by the client)",
        "type": "software",
        "owner": "it_head",
        "classification": "client-restricted",
        "location": "Client's cloud, reached over the VPN",
        "client": "US healthcare client",
    },
    {
        "id": "AST-002",
        "name": "Printed client forms",
        "type": "information",
        "owner": "facilities_head",
        "classification": "client-restricted",
        "location": "Pune Delivery Centre, floor 3",
    },
]
SUPPLIERS: list[dict[str, Any]] = [
    {
        "id": "SUP-001",
        "name": "Deccan Shredding Services",
        "services": "Collects and shreds paper from the delivery floors every week.",
        "owner": "facilities_head",
        "client_data_access": True,
        "data_location": "Pune",
        "encryption": "Locked bins in transit; paper is shredded on site, nothing is stored",
        "subcontracting_approval": True,
        "audit_rights": True,
        "incident_notice_hours": 12,
        "data_return_days": 7,
        "deletion_certificate": True,
        "nda_signed": "2026-04-01",
        "dpa_signed": "2026-04-01",
        "last_review": "2026-10-15",
    },
]
REQUIREMENTS: list[dict[str, Any]] = [
    {
        "id": "REQ-GDPR-28",
        "title": "Process EU personal data only on the client's instructions",
        "source": "GDPR Article 28",
        "kind": "law",
        "owner": "dpo",
        "controls": ["iso27001-2022:A.5.34"],
        "documents": ["POL-COMPLIANCE"],
    },
    {
        "id": "REQ-CLIENT-MSA",
        "title": "Client master services agreement: security schedule",
        "source": "US healthcare client MSA, schedule 4",
        "kind": "contract",
        "owner": "ciso",
        "controls": ["iso27001-2022:A.5.16", "iso27001-2022:A.7.7"],
        "documents": ["POL-ACCESS", "POL-CLEAR-DESK"],
    },
]


def write_registers(
    repo: Path, *, names: tuple[str, ...] = ("risks", "assets", "suppliers", "requirements")
) -> None:
    """Write the registers ``names`` under ``repo/registers/`` and the risk method into ``isms.yml``."""
    data = {"risks": RISKS, "assets": ASSETS, "suppliers": SUPPLIERS, "requirements": REQUIREMENTS}
    folder = repo / "registers"
    folder.mkdir(exist_ok=True)
    for name in names:
        text = yaml.safe_dump({"schema_version": 1, name: data[name]}, sort_keys=False, allow_unicode=True)
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    config = repo / "isms.yml"
    text = config.read_text(encoding="utf-8")
    if "risk_method:" not in text:
        method = yaml.safe_dump({"risk_method": RISK_METHOD}, sort_keys=False)
        config.write_text(text + method, encoding="utf-8")


def add_baselines(repo: Path) -> None:
    """Give every applicable control of ``soa.yml`` a baseline reason of its own."""
    path = repo / "soa.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for ref, decision in data["controls"].items():
        if decision.get("applicable", True):
            decision["baseline"] = f"Every delivery floor needs {ref.partition(':')[2]} in place."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
