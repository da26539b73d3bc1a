"""``isms init`` writes starting registers, and a Statement of Applicability that follows from them.

The chain facts asserted here (treatment, owners, levels, supplier deadlines, requirements met) are
checked directly on the generated files, beside ``isms check``, so that they hold whichever chain rules
the check has.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests import docset
from toolkit import scaffold
from toolkit.check import CheckOptions, execute
from toolkit.cli import cli
from toolkit.resources import controls_dir, templates_dir
from toolkit.sources.documents import split_front_matter
from toolkit.validation import validator
from toolkit.workspace import open_workspace

DATE = dt.date(2026, 11, 24)
REGISTERS = ("risks", "assets", "suppliers", "requirements")
ANNEX_A = {
    f"iso27001-2022:{control['id']}"
    for control in yaml.safe_load((controls_dir() / "iso27001-2022.yml").read_text(encoding="utf-8"))[
        "controls"
    ]
}
# Every BPO type, with region sets that between them use every client region, and the voice answer
# against the BPO type's default both ways.
PROFILES = [
    ("general-bpo", "", {}),
    ("general-bpo", "us, uk-fca, eu-gdpr", {}),
    ("general-bpo", "us, eu-gdpr", {"voice_processes": False}),
    ("kpo", "us, australia", {}),
    ("kpo", "", {"voice_processes": True}),
    ("healthcare-bpo", "us-healthcare, eu-gdpr", {}),
    ("legal-process-outsourcing", "us, uk-fca, eu-gdpr", {}),
    ("it-helpdesk", "uk-fca, middle-east", {}),
    ("finance-accounting", "us", {}),
    ("finance-accounting", "us-healthcare, australia, middle-east", {}),
]


def read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# The company's own incident contacts: the example's are findings (example-value) under --strict.
OWN_CONTACTS = {"incident_email": "infosec@company.test", "incident_phone": "+91 22 5550 0100"}


def render(target: Path, **answers: Any) -> scaffold.InitResult:
    return scaffold.render({**OWN_CONTACTS, **answers}, target, generated_on=DATE)


def documents(repo: Path) -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted((repo / "policies").glob("*.md")):
        meta = yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8"))[0])
        found[meta["id"]] = meta
    return found


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return day.replace(year=year, month=month, day=min(day.day, last))


def assert_chain(repo: Path) -> None:
    """The chain facts of a generated repository, checked on its files."""
    config = read(repo / "isms.yml")
    roles = config["roles"]
    owners = set(roles) | {role["title"] for role in roles.values()}
    method = config["risk_method"]
    levels = set(config["classification_levels"])
    sites = {site["name"] for site in config["sites"]}
    soa = read(repo / "soa.yml")["controls"]
    registers = {name: read(repo / "registers" / f"{name}.yml") for name in REGISTERS}
    for name, data in registers.items():
        assert validator(name).violations(data) == [], name
        ids = [entry["id"] for entry in data[name]]
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"

    asset_ids = {asset["id"] for asset in registers["assets"]["assets"]}
    for asset in registers["assets"]["assets"]:
        assert asset["owner"] in owners and asset["classification"] in levels, asset
        assert asset["location"] in sites, asset

    risks = registers["risks"]["risks"]
    assert len(risks) >= 25
    limits = {"high": 3, "medium": 6, "low": 12}
    for risk in risks:
        assert "level" not in risk, risk["id"]
        assert 1 <= risk["likelihood"] <= len(method["likelihood"]), risk["id"]
        assert 1 <= risk["impact"] <= len(method["impact"]), risk["id"]
        assert risk["owner"] in owners and set(risk["assets"]) <= asset_ids, risk["id"]
        assert risk["controls"] and set(risk["controls"]) <= ANNEX_A, risk["id"]
        assert all(soa[ref]["applicable"] for ref in risk["controls"]), risk["id"]
        level = risk["likelihood"] * risk["impact"]
        if level >= method["treatment_threshold"]:
            action = risk["action"]
            assert action["description"] and action["owner"] in owners and action["due"], risk["id"]
        band = "high" if level >= method["acceptance_threshold"] else "medium"
        band = "low" if level < method["treatment_threshold"] else band
        due = dt.date.fromisoformat(risk["action"]["due"])
        assert DATE < due <= add_months(DATE, limits[band]), risk["id"]
        assert risk["action"]["status"] == "planned"
        residual = risk["residual"]["likelihood"] * risk["residual"]["impact"]
        assert residual <= level, risk["id"]
        # Starting registers are drafts: nothing is presented as accepted by management.
        assert residual < method["acceptance_threshold"] and "acceptance" not in risk, risk["id"]

    parameters = config["parameters"]
    hours, days = parameters["incident_notification_hours"], parameters["client_data_deletion_days"]
    healthcare = "us-healthcare" in config["profile"]["client_regions"]
    for supplier in registers["suppliers"]["suppliers"]:
        assert supplier["owner"] in owners, supplier["id"]
        if not supplier["client_data_access"]:
            continue
        assert supplier["data_location"] and supplier["encryption"], supplier["id"]
        assert supplier["subcontracting_approval"] is supplier["audit_rights"] is True, supplier["id"]
        assert supplier["deletion_certificate"] is True, supplier["id"]
        assert supplier["incident_notice_hours"] < hours, supplier["id"]
        assert supplier["data_return_days"] < days or supplier["data_return_days"] == days == 0
        for field in ("nda_signed", "dpa_signed", "last_review", *(["baa_signed"] if healthcare else [])):
            assert supplier[field] == DATE.isoformat(), (supplier["id"], field)

    ids = documents(repo)
    for requirement in registers["requirements"]["requirements"]:
        assert requirement["owner"] in owners, requirement["id"]
        assert requirement.get("controls") or requirement.get("documents"), requirement["id"]
        assert set(requirement.get("controls", [])) <= ANNEX_A, requirement["id"]
        assert set(requirement.get("documents", [])) <= set(ids), requirement["id"]


@pytest.mark.parametrize(("bpo_type", "regions", "extra"), PROFILES)
def test_generated_registers_validate_and_hold_the_chain(
    tmp_path: Path, bpo_type: str, regions: str, extra: dict[str, Any]
) -> None:
    repo = tmp_path / "repo"
    result = render(repo, bpo_type=bpo_type, client_regions=regions, **extra)
    assert_chain(repo)
    for name in REGISTERS:  # what isms init reports it made is what it wrote
        assert read(repo / "registers" / f"{name}.yml")[name] == result.registers[name]
    outcome = execute(CheckOptions(root=repo, today=DATE))
    assert {finding.code for finding in outcome.findings} == {"control-drafted", "soa-unapproved"}


@pytest.mark.parametrize(("bpo_type", "regions", "extra"), PROFILES)
def test_soa_reasons_come_from_the_registers(
    tmp_path: Path, bpo_type: str, regions: str, extra: dict[str, Any]
) -> None:
    """No theme-level justification: each applicable control has register reasons or its own baseline."""
    repo = tmp_path / "repo"
    render(repo, bpo_type=bpo_type, client_regions=regions, **extra)
    workspace = open_workspace(repo, today=DATE)
    claimed = {ref for meta in documents(repo).values() for ref in meta["controls"]}
    baselines = []
    for ref in sorted(ANNEX_A):
        entry = workspace.soa[ref]
        chosen = [reason for reason in workspace.reasons.get(ref, []) if reason.kind != "baseline"]
        if not entry.applicable:
            assert entry.justification and not chosen and ref not in claimed, ref
            continue
        assert not entry.justification, ref
        assert bool(chosen) is not bool(entry.baseline), ref
        baselines += [entry.baseline] if entry.baseline else []
    assert len(baselines) == len(set(baselines)), "a baseline sentence is shared"


def test_general_and_healthcare_bpo_differ_where_their_risks_and_requirements_do(tmp_path: Path) -> None:
    regions = "us, eu-gdpr"
    render(tmp_path / "general", bpo_type="general-bpo", client_regions=regions)
    render(tmp_path / "health", bpo_type="healthcare-bpo", client_regions=regions)
    general = open_workspace(tmp_path / "general", today=DATE)
    health = open_workspace(tmp_path / "health", today=DATE)
    assert general.reasons != health.reasons
    access = {reason.id for reason in health.reasons["iso27001-2022:A.8.3"]}
    assert "REQ-HIPAA-BAA" in access and "REQ-HIPAA-BAA" not in {
        reason.id for reason in general.reasons["iso27001-2022:A.8.3"]
    }
    titles = {risk.title for risk in health.entries("risks")} - {
        risk.title for risk in general.entries("risks")
    }
    assert any("protected health information" in title.lower() for title in titles)
    health_suppliers = read(tmp_path / "health" / "registers" / "suppliers.yml")["suppliers"]
    assert all("baa_signed" in s for s in health_suppliers if s["client_data_access"])
    general_suppliers = read(tmp_path / "general" / "registers" / "suppliers.yml")["suppliers"]
    assert not any("baa_signed" in s for s in general_suppliers)


def test_the_risk_method_has_one_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """isms.yml and the method document both come from profiles.yml's risk_method: change it there and
    both follow, with the registers' due dates."""
    scaffold._template_module()  # isms init's own checks keep the shipped tables; the rendering uses the copy
    templates = tmp_path / "copy" / "policy_templates"
    shutil.copytree(templates_dir(), templates)
    shutil.copytree(controls_dir(), tmp_path / "copy" / "controls")
    profiles = templates / "profiles.yml"
    table = read(profiles)
    table["risk_method"] |= {"treatment_threshold": 6, "acceptance_threshold": 15}
    table["risk_method"]["acceptance_authority"] = "ciso"
    table["risk_method"]["likelihood"][0] = {
        "name": "Very rare",
        "means": "once in a lifetime of the company",
    }
    profiles.write_text(yaml.safe_dump(table, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(scaffold, "templates_dir", lambda: templates)
    # cookiecutter imports local_extensions by name: forget the copy an earlier rendering loaded.
    monkeypatch.delitem(sys.modules, "local_extensions", raising=False)
    repo = tmp_path / "repo"
    render(repo)
    config = read(repo / "isms.yml")
    method = config["risk_method"]
    assert (method["treatment_threshold"], method["acceptance_threshold"]) == (6, 15)
    assert method["acceptance_authority"] == "ciso" and method["likelihood"][0] == "Very rare"
    text = (repo / "policies" / "risk-assessment-and-treatment.md").read_text(encoding="utf-8")
    assert "| 1 | Very rare | once in a lifetime of the company |" in text
    assert "| below 6 | low |" in text and "| 6 to 14 | medium |" in text and "| 15 or more | high |" in text
    assert f"only the\n{config['roles']['ciso']['title']} may accept it" in text
    assert_chain(repo)


def test_the_method_document_shows_the_scales_and_thresholds_of_isms_yml(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    render(repo)
    method = read(repo / "isms.yml")["risk_method"]
    text = (repo / "policies" / "risk-assessment-and-treatment.md").read_text(encoding="utf-8")
    for number, name in enumerate(method["likelihood"], 1):
        assert re.search(rf"^\| {number} \| {name} \| \w", text, re.MULTILINE), name
    for number, name in enumerate(method["impact"], 1):
        assert re.search(rf"^\| {number} \| {name} \| \w", text, re.MULTILINE), name
    low, high = method["treatment_threshold"], method["acceptance_threshold"]
    assert f"| below {low} | low |" in text and f"| {high} or more | high |" in text
    # The level matrix: every cell's band follows the thresholds.
    rows = [line for line in text.splitlines() if re.match(r"^\| \d [A-Z][a-z ]+ \|", line)]
    assert len(rows) == len(method["likelihood"])
    for line in rows:
        for level, band in re.findall(r"\| (\d+) (low|medium|high) (?=\|)", line):
            expected = "high" if int(level) >= high else "medium" if int(level) >= low else "low"
            assert band == expected, line


@pytest.mark.parametrize(
    ("hours", "days", "notice", "returned"),
    [(24, 30, 12, 15), (72, 90, 12, 45), (2, 1, 1, 0), (1, 0, 0, 0), (1, 7, 0, 3)],
)
def test_supplier_deadlines_are_shorter_than_the_companys(
    tmp_path: Path, hours: int, days: int, notice: int, returned: int
) -> None:
    repo = tmp_path / "repo"
    answers = {"incident_notification_hours": hours, "client_data_deletion_days": days}
    render(repo, client_regions="us-healthcare", **answers)
    assert_chain(repo)
    register = (repo / "registers" / "suppliers.yml").read_text(encoding="utf-8")
    with_data = [s for s in yaml.safe_load(register)["suppliers"] if s["client_data_access"]]
    assert {(s["incident_notice_hours"], s["data_return_days"]) for s in with_data} == {(notice, returned)}
    policy = (repo / "policies" / "supplier-security-and-ndas.md").read_text(encoding="utf-8")
    if notice == 0:
        assert "incident_notice_hours is 0 (at once)" in register
        assert "at once, with no delay at all, because we must tell our clients within 1 hour" in policy
    else:
        unit = "hour" if notice == 1 else "hours"
        assert f"no later than {notice} {unit} after the supplier notices it" in policy
    if returned == 0:
        assert "data_return_days is 0 (on the day the contract ends)" in register
        assert "copy on the day the contract ends" in policy
    else:
        assert f"copy within {returned} days" in policy


def test_registers_use_the_companys_sites_roles_and_levels(tmp_path: Path) -> None:
    answers = {
        "sites": {
            "kochi": {"name": "Kochi Centre", "city": "Kochi", "seats": 120},
            "mysuru": {"name": "Mysuru Centre", "city": "Mysuru", "seats": 80},
            "vizag": {"name": "Vizag Centre", "city": "Visakhapatnam", "seats": 60},
        },
        "classification_levels": {"open": "Anyone.", "restricted": "Named teams.", "secret": "Client data."},
    }
    render(tmp_path / "repo", **answers)
    assert_chain(tmp_path / "repo")
    assets = read(tmp_path / "repo" / "registers" / "assets.yml")["assets"]
    cctv = [asset for asset in assets if asset["name"].startswith("CCTV")]
    assert [asset["location"] for asset in cctv] == ["Kochi Centre", "Mysuru Centre", "Vizag Centre"]
    levels = {asset["name"]: asset["classification"] for asset in assets}
    assert levels["Call and screen recordings"] == "secret"
    assert levels["Company email and collaboration service"] == "restricted"


def test_a_company_that_writes_software_gets_its_risks_instead_of_exclusions(tmp_path: Path) -> None:
    render(tmp_path / "dev", bpo_type="general-bpo", develops_software=True)
    soa = read(tmp_path / "dev" / "soa.yml")["controls"]
    assert all(decision["applicable"] for decision in soa.values())
    workspace = open_workspace(tmp_path / "dev", today=DATE)
    for ref in ("iso27001-2022:A.8.25", "iso27001-2022:A.8.28", "iso27001-2022:A.8.30"):
        assert any(reason.kind == "risk" for reason in workspace.reasons[ref]), ref
    assert_chain(tmp_path / "dev")


@pytest.mark.parametrize(("bpo_type", "regions"), [("healthcare-bpo", "us-healthcare, eu-gdpr"), ("kpo", "")])
def test_approving_everything_passes_strict(
    runner: CliRunner, tmp_path: Path, bpo_type: str, regions: str
) -> None:
    repo = tmp_path / "repo"
    render(repo, bpo_type=bpo_type, client_regions=regions)
    by = ["--by", "Chief Executive Officer", "--repo", str(repo)]
    assert runner.invoke(cli, ["approve", "--all-drafts", *by]).exit_code == 0
    assert runner.invoke(cli, ["approve", "soa.yml", *by]).exit_code == 0
    check = runner.invoke(cli, ["check", "--strict", "-f", "json", str(repo)])
    assert check.exit_code == 0, check.stdout
    assert json.loads(check.stdout)["findings"] == []


def test_pci_dss_follows_the_payment_card_answer(tmp_path: Path) -> None:
    for cards in (True, False):
        repo = tmp_path / f"cards-{cards}"
        render(repo, bpo_type="general-bpo", handles_payment_cards=cards)
        ids = [entry["id"] for entry in read(repo / "registers" / "requirements.yml")["requirements"]]
        assert ("REQ-PCI-DSS" in ids) is cards, ids
        assert_chain(repo)


def _voice_work(repo: Path) -> list[str]:
    """Every mention of voice work in the registers and soa.yml of ``repo``, as ``FILE: words``."""
    found = []
    for name in (*docset.REGISTER_FILES, "soa.yml"):
        text = (repo / name).read_text(encoding="utf-8")
        found += [f"{name}: {term}" for term in docset.VOICE_TERMS if term in text.lower()]
        found += [f"{name}: {words}" for words in docset.REGISTER_VOICE.findall(text)]
    return found


def _non_voice_types() -> list[str]:
    table = scaffold._template_module().load_profiles()
    return [key for key, bpo in table["bpo_types"].items() if not bpo["voice_processes"]]


@pytest.mark.parametrize(
    ("bpo_type", "extra"),
    [*((bpo_type, {}) for bpo_type in _non_voice_types()), ("general-bpo", {"voice_processes": False})],
)
def test_no_dialler_calls_or_call_recordings_without_voice_processes(
    tmp_path: Path, bpo_type: str, extra: dict[str, Any]
) -> None:
    """A legal process outsourcer or a finance and accounting BPO (or a general BPO answering no) gets
    no dialler, no call recordings and no risk about them: an auditor would ask what they are."""
    repo = tmp_path / "repo"
    render(repo, bpo_type=bpo_type, client_regions="us, eu-gdpr", **extra)
    assert _voice_work(repo) == []
    assert_chain(repo)
    outcome = execute(CheckOptions(root=repo, today=DATE))
    assert {finding.code for finding in outcome.findings} == {"control-drafted", "soa-unapproved"}


def _asset_ids(assets: list[dict[str, Any]], name: str) -> list[str]:
    return [
        asset["id"] for asset in assets if asset["name"] == name or asset["name"].startswith(f"{name} at ")
    ]


def test_a_company_with_voice_processes_keeps_every_voice_entry_in_its_place(tmp_path: Path) -> None:
    """The general BPO (voice by default) gets the voice processes' entries, placed among every company's
    as registers.yml lists them, and every entry as the library writes it, not its non-voice wording."""
    module = scaffold._template_module()
    library, profiles = module.load_register_library(), module.load_profiles()
    voice = {
        kind: keys + profiles["voice_payment_cards"]["registers"].get(kind, [])
        for kind, keys in profiles["voice_processes"]["registers"].items()
    }
    repo = tmp_path / "repo"
    render(repo, bpo_type="general-bpo", client_regions="us")
    assets = read(repo / "registers" / "assets.yml")["assets"]
    risks = {risk["title"]: risk for risk in read(repo / "registers" / "risks.yml")["risks"]}
    suppliers = {supplier["name"] for supplier in read(repo / "registers" / "suppliers.yml")["suppliers"]}
    names = [asset["name"] for asset in assets]
    assert {"dialler", "call-recordings"} <= set(voice["assets"]) and "card-recordings" in voice["risks"]
    assert "dialler-saas" in voice["suppliers"]
    for key in voice["assets"]:
        assert library["assets"][key]["name"] in names, key
    for key in voice["risks"]:
        assert library["risks"][key]["title"] in risks, key
    for key in voice["suppliers"]:
        assert library["suppliers"][key]["name"] in suppliers, key
    # In its place: the dialler right after the paper records of the last site, as it always was.
    last_paper = max(
        i for i, name in enumerate(names) if name.startswith(library["assets"]["paper-records"]["name"])
    )
    assert names[last_paper + 1 : last_paper + 3] == [
        library["assets"]["dialler"]["name"],
        library["assets"]["call-recordings"]["name"],
    ]
    # Every entry with a non-voice wording reads as the library's own, naming the voice assets it names.
    worded = {key: item for key, item in library["risks"].items() if "without_voice" in item}
    assert {"ransomware", "untested-changes", "cloud-provider-failure"} <= set(worded)
    for key, item in worded.items():
        risk = risks[item["title"]]
        assert (risk["threat"], risk["action"]["description"]) == (item["threat"], item["action"]["do"]), key
        for ref in set(item["assets"]) & set(library["assets"]):
            assert set(_asset_ids(assets, library["assets"][ref]["name"])) <= set(risk["assets"]), (key, ref)
    soa = (repo / "soa.yml").read_text(encoding="utf-8")
    assert library["soa_baselines"]["A.8.4"]["text"] in soa


@pytest.mark.parametrize(("cards", "expected"), [(True, True), (False, False)])
def test_card_numbers_in_recordings_are_a_risk_only_where_calls_take_cards(
    tmp_path: Path, cards: bool, expected: bool
) -> None:
    """Voice processes without card payments have recordings, but no card numbers in them."""
    title = scaffold._template_module().load_register_library()["risks"]["card-recordings"]["title"]
    repo = tmp_path / "repo"
    render(repo, bpo_type="kpo", voice_processes=True, handles_payment_cards=cards)
    titles = {risk["title"] for risk in read(repo / "registers" / "risks.yml")["risks"]}
    assert (title in titles) is expected
    assert_chain(repo)


def test_a_risk_keeps_the_assets_the_company_has(tmp_path: Path) -> None:
    """Without voice processes a risk that names the dialler names the company's other assets; with voice
    but without the general BPO's customer records, the campaign-list risk names the dialler alone."""
    library = scaffold._template_module().load_register_library()
    render(tmp_path / "no-voice", bpo_type="general-bpo", voice_processes=False)
    assets = read(tmp_path / "no-voice" / "registers" / "assets.yml")["assets"]
    risks = {risk["title"]: risk for risk in read(tmp_path / "no-voice" / "registers" / "risks.yml")["risks"]}
    power = library["risks"]["power-outage"]
    assert (
        "dialler" in power["assets"] and "without_voice" in power and "assets" not in power["without_voice"]
    )
    expected = [
        _asset_ids(assets, library["assets"][ref]["name"]) for ref in power["assets"] if ref != "dialler"
    ]
    assert sorted(risks[power["title"]]["assets"]) == sorted(asset for ids in expected for asset in ids)
    render(tmp_path / "kpo", bpo_type="kpo", voice_processes=True)
    assets = read(tmp_path / "kpo" / "registers" / "assets.yml")["assets"]
    risks = {risk["title"]: risk for risk in read(tmp_path / "kpo" / "registers" / "risks.yml")["risks"]}
    assert library["risks"]["lead-lists"]["assets"] == ["dialler", "contact-records"]
    assert risks[library["risks"]["lead-lists"]["title"]]["assets"] == _asset_ids(
        assets, library["assets"]["dialler"]["name"]
    )
    assert_chain(tmp_path / "kpo")


def test_a_risk_left_with_no_asset_of_the_company_names_the_risk(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = scaffold._template_module()
    library = module.load_register_library()
    fire = {**library["risks"]["fire"], "assets": ["dialler"]}
    broken = {**library, "risks": {**library["risks"], "fire": fire}}
    monkeypatch.setattr(module, "load_register_library", lambda: broken)
    result = runner.invoke(cli, ["init", "--no-input", "--bpo-type", "kpo", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "registers.yml" in result.stderr and fire["title"] in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_register_tables_are_complete_and_used() -> None:
    """Every entry is listed by some profile, every listed entry exists, and the data keeps its promises:
    residual levels below acceptance, controls in the catalog, one baseline sentence per control."""
    module = scaffold._template_module()
    library, table = module.load_register_library(), module.load_profiles()
    method = table["risk_method"]
    voice = [table["voice_processes"], table["voice_payment_cards"]]
    layers = [table["every_company"], *voice, table["software_development"]]
    layers += [table["payment_cards"], *table["bpo_types"].values(), *table["client_regions"].values()]
    for kind in REGISTERS:
        listed = {key for layer in layers for key in layer["registers"].get(kind, [])}
        assert listed == set(library[kind]), kind
        # A non-voice wording replaces fields the entry has, on an entry a non-voice company can get.
        for key in [k for layer in voice for k in layer["registers"].get(kind, [])]:
            assert "without_voice" not in library[kind][key], key
        for key, entry in library[kind].items():
            assert set(entry.get("without_voice", {})) <= set(entry) - {"without_voice"}, key
    roles = set(scaffold.example_answers()["roles"])
    for key, risk in library["risks"].items():
        (likelihood, impact), (left_likelihood, left_impact) = risk["score"], risk["residual"]
        assert left_likelihood * left_impact < method["acceptance_threshold"], key
        assert {risk["owner"], risk["action"]["owner"]} <= roles, key
        assert {f"iso27001-2022:{control}" for control in risk["controls"]} <= ANNEX_A, key
        assert 1 <= likelihood <= 5 and 1 <= impact <= 5, key
    builder = module._builder()
    for voice in (True, False):
        baselines = [builder.as_run(value, voice) for value in library["soa_baselines"].values()]
        baselines = [value["text"] if isinstance(value, dict) else value for value in baselines]
        assert all(isinstance(value, str) for value in baselines)
        assert len(baselines) == len(set(baselines)), voice
    assert len(method["likelihood"]) == len(method["impact"]) == 5


def test_a_register_entry_missing_from_the_tables_names_the_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = scaffold._template_module()
    library = module.load_register_library()
    broken = {**library, "risks": {key: value for key, value in library["risks"].items() if key != "fire"}}
    monkeypatch.setattr(module, "load_register_library", lambda: broken)
    result = runner.invoke(cli, ["init", "--no-input", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "registers.yml" in result.stderr and "risks entry 'fire'" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("bpo_type", "regions", "group"),
    [
        ("healthcare-bpo", "us", "phi"),
        ("general-bpo", "us-healthcare", "phi"),
        ("kpo", "eu-gdpr", "eu-personal-data"),
    ],
)
def test_impact_floors_hold_for_risks_to_those_assets(
    tmp_path: Path, bpo_type: str, regions: str, group: str
) -> None:
    """The method document's 'never scored below' rules hold in the generated risk register."""
    library = scaffold._template_module().load_register_library()
    names = {item["name"] for item in library["assets"].values() if group in item.get("groups", [])}
    repo = tmp_path / "repo"
    render(repo, bpo_type=bpo_type, client_regions=regions)
    ids = {a["id"] for a in read(repo / "registers" / "assets.yml")["assets"] if a["name"] in names}
    touching = [risk for risk in read(repo / "registers" / "risks.yml")["risks"] if ids & set(risk["assets"])]
    assert len(touching) > 5
    assert all(risk["impact"] >= 4 and risk["residual"]["impact"] >= 4 for risk in touching)
    text = (repo / "policies" / "risk-assessment-and-treatment.md").read_text(encoding="utf-8")
    assert "never below Major (4)" in text
    assert_chain(repo)


def test_no_impact_floor_without_such_data(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    render(repo, bpo_type="general-bpo", client_regions="us")
    risks = read(repo / "registers" / "risks.yml")["risks"]
    assert any(risk["impact"] < 4 for risk in risks)
    text = (repo / "policies" / "risk-assessment-and-treatment.md").read_text(encoding="utf-8")
    assert "never below" not in text
