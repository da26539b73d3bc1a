"""The starting registers of a new ISMS repository and the SoA decisions that follow from them.

Pure functions over the profile table (``profiles.yml``), the register entries (``registers.yml``) and
the Annex A catalog, which ``local_extensions.py`` reads and passes in; see ``registers.yml`` for what
the entries mean. Loaded by ``local_extensions.py`` by its path, beside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

import yaml


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


def _layer_keys(layers: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The entries ``layers`` list, by kind, in the order of the layers (each once)."""
    chosen: dict[str, list[str]] = {kind: [] for kind in REGISTER_KINDS}
    for layer in layers:
        for kind, keys in (layer.get("registers") or {}).items():
            chosen[kind] += [key for key in keys if key not in chosen[kind]]
    return chosen


def register_keys(
    profile: dict[str, Any], table: dict[str, Any], library: dict[str, Any]
) -> dict[str, list[str]]:
    """The entries of ``registers.yml`` a company gets, by kind: every company's, with voice processes'
    if it runs them (and voice with payment cards' if it takes cards too; together in the order of
    ``library``, so that voice entries keep their place), then its BPO type's, payment cards' if it takes
    them, each client region's, then software development's if it writes software (each once)."""
    voice = [table["voice_processes"]] if profile["voice"] else []
    if voice and profile["handles_payment_cards"]:
        voice.append(table["voice_payment_cards"])
    common = _layer_keys([table["every_company"], *voice])
    layers = [table["bpo_types"][profile["bpo_type"]]]
    if profile["handles_payment_cards"]:
        layers.append(table["payment_cards"])
    layers += [table["client_regions"][key] for key in profile["region_keys"]]
    if profile["develops_software"]:
        layers.append(table["software_development"])
    chosen = _layer_keys(layers)
    for kind in REGISTER_KINDS:
        place = {key: number for number, key in enumerate(library.get(kind) or {})}
        ordered = sorted(common[kind], key=lambda key: place.get(key, len(place)))
        chosen[kind] = ordered + [key for key in chosen[kind] if key not in ordered]
    return chosen


def _level(name: str, levels: list[str], order: list[str]) -> str:
    """The company's classification level for the library's level ``name``: the same name if the company
    has it, else the level at the same relative place in the company's list (lowest first)."""
    if name in levels:
        return name
    return levels[round(order.index(name) * (len(levels) - 1) / (len(order) - 1))]


def _entry(library: dict[str, Any], kind: str, key: str, voice: bool = True) -> Any:
    """The entry ``key`` of the library's ``kind`` as a company with (``voice``) or without voice
    processes has it; a ``KeyError`` names both when it is missing."""
    if key not in library[kind]:
        raise KeyError(f"{kind} entry {key!r}")
    return as_run(library[kind][key], voice)


def as_run(item: Any, voice: bool) -> Any:
    """A library entry as a company with (``voice``) or without voice processes has it: without, the
    fields of its ``without_voice`` replace its own (a mapping field by field, as ``action``)."""
    if not isinstance(item, dict):
        return item
    entry = {field: value for field, value in item.items() if field != "without_voice"}
    for field, value in ({} if voice else item.get("without_voice") or {}).items():
        both = isinstance(value, dict) and isinstance(entry.get(field), dict)
        entry[field] = {**entry[field], **value} if both else value
    return entry


def _title(context: dict[str, Any], role: str) -> str:
    """The company's title for the role ``role`` (a key of isms.yml roles)."""
    if role not in context["roles"]:
        raise KeyError(f"role {role!r}")
    return str(context["roles"][role]["title"])


def _assets(
    context: dict[str, Any], keys: list[str], library: dict[str, Any], voice: bool
) -> tuple[list[Any], dict[str, Any]]:
    """The asset register, and the asset ids each asset key or group of the library stands for (none for
    one the company has no asset of)."""
    sites, levels = list(context["sites"].values()), list(context["classification_levels"])
    assets: list[dict[str, Any]] = []
    # Every key and group of the library, so that a risk may name one the company has no asset of.
    ids: dict[str, list[str]] = {
        ref: [] for key, item in library["assets"].items() for ref in (key, *item.get("groups", ()))
    }
    for key in keys:
        item = _entry(library, "assets", key, voice)
        for site in sites if item.get("per_site") else sites[:1]:
            asset_id = f"AST-{len(assets) + 1:03d}"
            name = f"{item['name']} at {site['name']}" if item.get("per_site") else item["name"]
            entry = {
                "id": asset_id,
                "name": name,
                "type": item["type"],
                "owner": _title(context, item["owner"]),
            }
            entry |= {
                "classification": _level(item["classification"], levels, library["classification_order"]),
                "location": site["name"],
            }
            entry |= {field: item[field] for field in ("client", "description") if field in item}
            assets.append(entry)
            for ref in (key, *item.get("groups", ())):
                ids.setdefault(ref, []).append(asset_id)
    return assets, ids


def _risk(
    item: dict[str, Any], number: int, context: dict[str, Any], ids: dict[str, Any], profile: Any
) -> Any:
    """One risk of the register: the assets it affects that the company has (at least one), its impacts
    raised to the profile's floors for them, and its action due as its level allows (see risk_method in
    profiles.yml)."""
    refs: list[str] = []
    for ref in item["assets"]:
        if ref not in ids:
            raise KeyError(f"asset {ref!r} named by risk {item['title']!r}")
        refs += [asset_id for asset_id in ids[ref] if asset_id not in refs]
    if not refs:
        names = ", ".join(item["assets"])
        raise KeyError(f"asset for risk {item['title']!r} that this company has (it names only {names})")
    refs.sort(key=lambda asset_id: int(asset_id.rsplit("-", 1)[1]))
    floor = max(
        [1]
        + [
            f["impact"]
            for f in profile["impact_floors"]
            if any(set(ids.get(g, ())) & set(refs) for g in f["groups"])
        ]
    )
    (likelihood, impact), (left_likelihood, left_impact) = item["score"], item["residual"]
    impact, left_impact = max(impact, floor), max(left_impact, floor)
    method, level = profile["risk_method"], likelihood * impact
    band = "high" if level >= method["acceptance_threshold"] else "medium"
    limit = method["due_months"]["low" if level < method["treatment_threshold"] else band]
    due = add_months(_generated_on(context), min(item["action"].get("months", limit), limit))
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


def _soa(profile: dict[str, Any], chosen: set[str], library: dict[str, Any], controls: list[Any]) -> Any:
    """Each Annex A control's decision: excluded with its justification, applicable because a risk or
    requirement chooses it (the registers give the reasons), or applicable for its baseline reason."""
    soa: dict[str, dict[str, Any]] = {}
    for control in controls:
        control_id = control["id"]
        if control_id in profile["exclusions"] and control_id not in chosen:
            reason = profile["exclusions"][control_id]
            soa[control_id] = {"applicable": False, "justification": reason, "status": "not-applicable"}
        elif control_id in chosen:
            soa[control_id] = {"applicable": True, "status": "planned"}
        else:
            baseline = _entry(library, "soa_baselines", control_id, profile["voice"])
            baseline = baseline["text"] if isinstance(baseline, dict) else baseline
            soa[control_id] = {"applicable": True, "baseline": baseline, "status": "planned"}
    return soa


def _generated_on(context: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(str(context.get("generated_on") or dt.date.today().isoformat()))


def build_registers(
    context: dict[str, Any],
    profile: dict[str, Any],
    table: dict[str, Any],
    library: dict[str, Any],
    controls: Any,
) -> dict[str, Any]:
    """A company's starting registers (``assets``, ``risks``, ``suppliers``, ``requirements``: entries as
    their schemas describe them), its ``soa`` decisions by Annex A id, the ids a risk or requirement
    ``chosen``, and the supplier ``deadlines``. ``KeyError`` names an entry or role the tables lack."""
    keys, voice = register_keys(profile, table, library), profile["voice"]
    assets, ids = _assets(context, keys["assets"], library, voice)
    risks = [
        _risk(_entry(library, "risks", key, voice), number, context, ids, profile)
        for number, key in enumerate(keys["risks"], 1)
    ]
    items = [_entry(library, "requirements", key, voice) for key in keys["requirements"]]
    requirements = [_requirement(item, context) for item in items]
    flows_down = list(dict.fromkeys(field for item in items for field in item.get("flows_down", ())))
    suppliers = [
        _supplier(_entry(library, "suppliers", key, voice), number, context, flows_down)
        for number, key in enumerate(keys["suppliers"], 1)
    ]
    chosen = {ref.split(":", 1)[1] for entry in (*risks, *requirements) for ref in entry["controls"]}
    return {
        "assets": assets,
        "risks": risks,
        "suppliers": suppliers,
        "requirements": requirements,
        "soa": _soa(profile, chosen, library, controls),
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
