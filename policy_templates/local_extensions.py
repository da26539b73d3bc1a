"""Jinja filters for the policy templates.

Loaded by cookiecutter through ``_extensions`` in ``cookiecutter.json``. Every answer a user types goes
through one of these filters when it is written into a file, so that quotes, colons, HTML and Jinja-like
text in an answer come out literally:

- ``yaml``: a YAML double-quoted scalar (safe in front matter and in isms.yml).
- ``md``: text for a Markdown body, with ``&``, ``<`` and ``>`` escaped so HTML in an answer is shown,
  not interpreted.
- ``quantity``: a count with its unit, singular for one (``1 day``, ``30 days``).
- ``answers_yaml``: the whole context's public answers as YAML, recorded for later upgrades.
- ``register_yaml``: a register's entries (made by ``isms_registers()``) as a YAML block.

Globals: ``isms_profile()``, ``annex_a()``, ``isms_registers()`` (the starting registers of
``registers.yml`` and the SoA decisions that follow from them) and ``supplier_deadlines()``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2.ext import Extension

PROFILES_FILE = Path(__file__).with_name("profiles.yml")
REGISTERS_FILE = Path(__file__).with_name("registers.yml")
# The toolkit's catalogs sit beside the templates: in a checkout, in the wheel and in isms init's copy.
ANNEX_A_FILE = Path(__file__).resolve().parent.parent / "controls" / "iso27001-2022.yml"


def yaml_scalar(value: Any) -> str:
    """Return ``value`` as a YAML double-quoted string (JSON string syntax is valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


# Answers derived from others at render time: not recorded, so that a re-render derives them afresh.
DERIVED_KEYS = ("repo_slug",)


def _number(value: Any) -> Any:
    """Cookiecutter hands every answer over as text; give counts back as numbers."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def answers_yaml(context: dict[str, Any]) -> str:
    """The answers of a cookiecutter context as a YAML document, as a person would write them.

    Private ``_`` keys and derived keys are left out, and counts (days, hours, months, seats) are numbers.
    """
    answers: dict[str, Any] = {}
    for key, value in context.items():
        if key.startswith("_") or key in DERIVED_KEYS or value == "auto":
            continue
        if key == "sites" and isinstance(value, dict):
            answers[key] = {
                name: {field: _number(item) if field == "seats" else item for field, item in site.items()}
                for name, site in value.items()
            }
        else:
            answers[key] = _number(value) if key.endswith(("_days", "_hours", "_months")) else value
    return yaml.safe_dump(answers, sort_keys=False, allow_unicode=True, width=100)


def quantity(value: Any, unit: str) -> str:
    """``12 | quantity("month")`` -> ``12 months``; ``1 | quantity("month")`` -> ``1 month``."""
    number = int(value)
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def markdown_text(value: Any) -> str:
    """Return ``value`` escaped for a Markdown body."""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def load_profiles() -> dict[str, Any]:
    """The profile table of ``profiles.yml``."""
    with PROFILES_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@cache
def annex_a() -> list[dict[str, Any]]:
    """The ISO/IEC 27001:2022 Annex A controls (id, title, theme), in catalog order."""
    with ANNEX_A_FILE.open(encoding="utf-8") as handle:
        controls: list[dict[str, Any]] = yaml.safe_load(handle)["controls"]
    return controls


def split_list(value: Any) -> list[str]:
    """``"a, b"`` -> ``["a", "b"]`` (a list is accepted as it is; blanks dropped)."""
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def split_regions(value: Any) -> list[str]:
    """``"us, EU-GDPR"`` -> ``["us", "eu-gdpr"]``."""
    return [item.lower() for item in split_list(value)]


def resolve_profile(answers: dict[str, Any]) -> dict[str, Any]:
    """What the BPO type and client regions imply: standards, duties, exclusions and the reasons.

    ``answers`` is the cookiecutter context (or the same keys from an answers file). Raises
    ``KeyError`` naming an unknown BPO type or client region.
    """
    table = load_profiles()
    bpo_key = str(answers["bpo_type"])
    if bpo_key not in table["bpo_types"]:
        raise KeyError(f"unknown bpo_type {bpo_key!r}")
    bpo = table["bpo_types"][bpo_key]
    regions = []
    for key in split_regions(answers.get("client_regions", "")):
        if key not in table["client_regions"]:
            raise KeyError(f"unknown client region {key!r}")
        regions.append({"key": key, **table["client_regions"][key]})
    standards = list(bpo["standards"])
    for name in split_list(answers.get("extra_standards", "")):
        if name not in standards:
            standards.append(name)
    recommended: list[str] = []
    for name in [*bpo["recommended"], *(r for region in regions for r in region["recommended"])]:
        if name not in standards and name not in recommended:
            recommended.append(name)
    reasons = [f"{bpo['label']}: {bpo['why']}"]
    reasons += [
        f"{region['label']}: recommends {', '.join(region['recommended'])}"
        for region in regions
        if region["recommended"]
    ]
    # "auto" (the template's default) or left out: the BPO type decides.
    develops = answers.get("develops_software", "auto")
    if develops is None or str(develops).lower() == "auto":
        develops = bpo["develops_software"]
    develops = develops is True or str(develops).lower() in {"true", "yes", "y", "1"}
    exclusions = {} if develops else dict(table["exclusions"]["no_software_development"])
    return {
        "bpo_type": bpo_key,
        "bpo_label": bpo["label"],
        "regions": regions,
        "region_keys": [region["key"] for region in regions],
        "standards": standards,
        "recommended": recommended,
        "duties": [*bpo["duties"], *(duty for region in regions for duty in region["duties"])],
        "develops_software": develops,
        "exclusions": exclusions,
        "reasons": reasons,
        "risk_method": table["risk_method"],
    }


@cache
def load_register_library() -> dict[str, Any]:
    """The register entries of ``registers.yml``, by kind and key."""
    with REGISTERS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def supplier_deadlines(context: dict[str, Any]) -> dict[str, int]:
    """The deadlines suppliers with client data get, always shorter than the company's own.

    Half the company's incident notification hours (at most 12) and half its client data deletion days,
    so that a supplier's late notice or slow deletion still leaves the company within its promise to
    clients. When the company's own deadline is 1 or 0, the supplier's is 0: at once, or on the day.
    """
    hours = int(context["incident_notification_hours"])
    days = int(context["client_data_deletion_days"])
    return {
        "incident_notification_hours": hours,
        "client_data_deletion_days": days,
        "incident_notice_hours": min(hours // 2, 12) if hours > 1 else 0,
        "data_return_days": days // 2 if days > 1 else 0,
    }


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


REGISTER_KINDS = ("assets", "risks", "suppliers", "requirements")
ANNEX_A = "iso27001-2022"


def register_keys(profile: dict[str, Any]) -> dict[str, list[str]]:
    """The entries of ``registers.yml`` a company gets, by kind: every company's, then its BPO type's,
    then each client region's, then software development's if it writes software (each once)."""
    table = load_profiles()
    layers = [table["every_company"], table["bpo_types"][profile["bpo_type"]]]
    layers += [table["client_regions"][key] for key in profile["region_keys"]]
    if profile["develops_software"]:
        layers.append(table["software_development"])
    chosen: dict[str, list[str]] = {kind: [] for kind in REGISTER_KINDS}
    for layer in layers:
        for kind, keys in (layer.get("registers") or {}).items():
            chosen[kind] += [key for key in keys if key not in chosen[kind]]
    return chosen


def _level(name: str, levels: list[str]) -> str:
    """The company's classification level for the library's level ``name``: the same name if the company
    has it, else the level at the same relative place in the company's list (lowest first)."""
    if name in levels:
        return name
    order = load_register_library()["classification_order"]
    return levels[round(order.index(name) * (len(levels) - 1) / (len(order) - 1))]


def _entry(library: dict[str, Any], kind: str, key: str) -> Any:
    """The entry ``key`` of the library's ``kind``; a ``KeyError`` names both when it is missing."""
    if key not in library[kind]:
        raise KeyError(f"{kind} entry {key!r}")
    return library[kind][key]


def _title(context: dict[str, Any], role: str) -> str:
    """The company's title for the role ``role`` (a key of isms.yml roles)."""
    if role not in context["roles"]:
        raise KeyError(f"role {role!r}")
    return str(context["roles"][role]["title"])


def _assets(context: dict[str, Any], keys: list[str]) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The asset register, and the asset ids each asset key or group stands for."""
    library = load_register_library()
    sites, levels = list(context["sites"].values()), list(context["classification_levels"])
    assets: list[dict[str, Any]] = []
    ids: dict[str, list[str]] = {}
    for key in keys:
        item = _entry(library, "assets", key)
        for site in sites if item.get("per_site") else sites[:1]:
            asset_id = f"AST-{len(assets) + 1:03d}"
            name = f"{item['name']} at {site['name']}" if item.get("per_site") else item["name"]
            entry = {
                "id": asset_id,
                "name": name,
                "type": item["type"],
                "owner": _title(context, item["owner"]),
            }
            entry |= {"classification": _level(item["classification"], levels), "location": site["name"]}
            entry |= {field: item[field] for field in ("client", "description") if field in item}
            assets.append(entry)
            for ref in (key, *item.get("groups", ())):
                ids.setdefault(ref, []).append(asset_id)
    return assets, ids


def _risk(item: dict[str, Any], number: int, context: dict[str, Any], ids: dict[str, list[str]]) -> Any:
    """One risk of the register, its action due as the risk's level allows (see risk_method)."""
    method = load_profiles()["risk_method"]
    (likelihood, impact), (left_likelihood, left_impact) = item["score"], item["residual"]
    level = likelihood * impact
    band = "high" if level >= method["acceptance_threshold"] else "medium"
    band = "low" if level < method["treatment_threshold"] else band
    limit = method["due_months"][band]
    due = add_months(_generated_on(context), min(item["action"].get("months", limit), limit))
    refs: list[str] = []
    for ref in item["assets"]:
        if ref not in ids:
            raise KeyError(f"asset {ref!r} named by risk {item['title']!r}")
        refs += [asset_id for asset_id in ids[ref] if asset_id not in refs]
    refs.sort(key=lambda asset_id: int(asset_id.rsplit("-", 1)[1]))
    entry = {"id": f"RSK-{number:03d}", "title": item["title"], "assets": refs}
    entry |= {"threat": item["threat"], "vulnerability": item["vulnerability"]}
    entry |= {"owner": _title(context, item["owner"]), "likelihood": likelihood, "impact": impact}
    entry |= {"treatment": item["treatment"], "controls": [f"{ANNEX_A}:{c}" for c in item["controls"]]}
    action = {"description": item["action"]["do"], "owner": _title(context, item["action"]["owner"])}
    entry["action"] = action | {"due": due.isoformat(), "status": "planned"}
    entry["residual"] = {"likelihood": left_likelihood, "impact": left_impact}
    return entry


def _requirement(item: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
    """One requirement of the register."""
    entry = {field: item[field] for field in ("id", "title", "source", "kind")}
    entry |= {"owner": _title(context, item["owner"]), "description": item["description"]}
    entry["controls"] = [f"{ANNEX_A}:{control}" for control in item["controls"]]
    entry["documents"] = list(item["documents"])
    return entry


def _supplier(item: dict[str, Any], number: int, context: dict[str, Any], flows_down: list[str]) -> Any:
    """One supplier; one with client data access carries every protection the company's own promises to
    clients need, with deadlines shorter than the company's (see :func:`supplier_deadlines`)."""
    on, deadlines = _generated_on(context).isoformat(), supplier_deadlines(context)
    entry = {"id": f"SUP-{number:03d}", "name": item["name"], "services": item["services"]}
    entry |= {"owner": _title(context, item["owner"]), "client_data_access": item["client_data_access"]}
    if item["client_data_access"]:
        entry |= {field: item[field] for field in ("data_location", "encryption")}
        entry |= {"subcontracting_approval": True, "audit_rights": True}
        entry |= {field: deadlines[field] for field in ("incident_notice_hours", "data_return_days")}
        entry["deletion_certificate"] = True
        entry |= {field: item[field] for field in ("insurance", "ip_ownership") if field in item}
        entry |= dict.fromkeys(("nda_signed", "dpa_signed", *flows_down), on)
    else:
        entry["nda_signed"] = on
    entry["last_review"] = on
    return entry


def _soa(profile: dict[str, Any], chosen: set[str]) -> dict[str, dict[str, Any]]:
    """Each Annex A control's decision: excluded with its justification, applicable because a risk or
    requirement chooses it (the registers give the reasons), or applicable for its baseline reason."""
    library = load_register_library()
    soa: dict[str, dict[str, Any]] = {}
    for control in annex_a():
        control_id = control["id"]
        if control_id in profile["exclusions"] and control_id not in chosen:
            reason = profile["exclusions"][control_id]
            soa[control_id] = {"applicable": False, "justification": reason, "status": "not-applicable"}
        elif control_id in chosen:
            soa[control_id] = {"applicable": True, "status": "planned"}
        else:
            baseline = _entry(library, "soa_baselines", control_id)
            soa[control_id] = {"applicable": True, "baseline": baseline, "status": "planned"}
    return soa


def _generated_on(context: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(str(context.get("generated_on") or dt.date.today().isoformat()))


def build_registers(context: dict[str, Any]) -> dict[str, Any]:
    """A company's starting registers (``assets``, ``risks``, ``suppliers``, ``requirements``: entries as
    their schemas describe them), its ``soa`` decisions by Annex A id, the ids a risk or requirement
    ``chosen``, and the supplier ``deadlines``. ``KeyError`` names an entry or role the tables lack."""
    library, profile = load_register_library(), resolve_profile(context)
    keys = register_keys(profile)
    assets, ids = _assets(context, keys["assets"])
    risks = [
        _risk(_entry(library, "risks", key), number, context, ids)
        for number, key in enumerate(keys["risks"], 1)
    ]
    items = [_entry(library, "requirements", key) for key in keys["requirements"]]
    requirements = [_requirement(item, context) for item in items]
    flows_down = list(dict.fromkeys(field for item in items for field in item.get("flows_down", ())))
    suppliers = [
        _supplier(_entry(library, "suppliers", key), number, context, flows_down)
        for number, key in enumerate(keys["suppliers"], 1)
    ]
    chosen = {ref.split(":", 1)[1] for entry in (*risks, *requirements) for ref in entry["controls"]}
    return {
        "assets": assets,
        "risks": risks,
        "suppliers": suppliers,
        "requirements": requirements,
        "soa": _soa(profile, chosen),
        "chosen": sorted(chosen),
        "deadlines": supplier_deadlines(context),
    }


class _BlockDumper(yaml.SafeDumper):
    """Sequences indented under their key; short lists of words on one line."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _sequence(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
    words = all(isinstance(item, (str, int)) and ":" not in str(item) for item in data)
    short = words and len(", ".join(map(str, data))) < 80
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=short)


_BlockDumper.add_representer(list, _sequence)


def register_yaml(entries: list[dict[str, Any]], key: str) -> str:
    """``entries`` as the YAML block ``key:`` with one entry after another, a blank line between."""
    text = yaml.dump({key: entries}, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)
    head, _, rest = text.partition("\n")
    return head + "\n" + rest.replace("\n  - ", "\n\n  - ").rstrip()


class IsmsFilters(Extension):
    """Registers the filters and the ``isms_profile()`` and ``annex_a()`` globals."""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.filters["yaml"] = yaml_scalar
        environment.filters["md"] = markdown_text
        environment.filters["quantity"] = quantity
        environment.filters["answers_yaml"] = answers_yaml
        environment.globals["isms_profile"] = resolve_profile
        environment.globals["annex_a"] = annex_a
        environment.globals["isms_registers"] = build_registers
        environment.globals["supplier_deadlines"] = supplier_deadlines
        environment.filters["register_yaml"] = register_yaml
