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
``registers.yml`` and the SoA decisions that follow from them, built by ``register_builder.py``) and
``supplier_deadlines()``; ``toolkit_default_requirement()`` and ``toolkit_source()`` (where the CI and the
pre-commit hook install the toolkit from, see ``toolkit/distribution.py``); ``handbook_level()``.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2.ext import Extension

PROFILES_FILE = Path(__file__).with_name("profiles.yml")
REGISTERS_FILE = Path(__file__).with_name("registers.yml")
BUILDER_FILE = Path(__file__).with_name("register_builder.py")
# The toolkit's catalogs sit beside the templates: in a checkout, in the wheel and in isms init's copy.
CONTROLS_DIR = Path(__file__).resolve().parent.parent / "controls"
ANNEX_A_FILE = CONTROLS_DIR / "iso27001-2022.yml"


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


@cache
def _controls_data() -> tuple[dict[str, dict[str, Any]], tuple[dict[str, Any], ...]]:
    """Every catalog of ``controls/`` by id, and every crosswalk of ``controls/crosswalks/``, read at
    once on first use (a later render in the same process may run from a copy that is gone by then)."""
    catalogs: dict[str, dict[str, Any]] = {}
    for path in sorted(CONTROLS_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        catalogs[str(data["id"])] = data
    files = sorted((CONTROLS_DIR / "crosswalks").glob("*.yml"))
    return catalogs, tuple(yaml.safe_load(path.read_text(encoding="utf-8")) for path in files)


def _catalog_file(catalog_id: str) -> dict[str, Any]:
    """The catalog ``catalog_id`` of ``controls/`` as data (``{}`` when there is none)."""
    return _controls_data()[0].get(catalog_id, {})


def catalog_controls(catalog_id: str) -> list[dict[str, Any]]:
    """The controls (id, title, theme, summary) of the catalog ``catalog_id``, in catalog order."""
    controls: list[dict[str, Any]] = _catalog_file(catalog_id).get("controls", [])
    return controls


def in_scope_catalogs(profile: dict[str, Any]) -> list[str]:
    """The profile's frameworks and their companion catalogs (the clause catalogs beside an Annex A)."""
    ids: list[str] = []
    for framework in profile["frameworks"]:
        for catalog_id in (framework, *_catalog_file(framework).get("companions", [])):
            ids += [catalog_id] if catalog_id not in ids else []
    return ids


def _crosswalks() -> tuple[dict[str, Any], ...]:
    return _controls_data()[1]


def shared_controls(context: dict[str, Any]) -> dict[str, list[str]]:
    """Where one document serves several standards: for each control reference of one in-scope catalog,
    the references of the other in-scope catalogs that a crosswalk in ``controls/crosswalks/`` pairs
    with it (``{"iso27001-2022-clauses:9.2": ["iso9001-2015:9.2"]}``). The generation hook adds them to
    the ``controls`` of every document that cites the first, so integrated documents are not repeated.
    """
    scope = in_scope_catalogs(resolve_profile(context))
    shared: dict[str, list[str]] = {}
    for crosswalk in _crosswalks():
        if crosswalk["from"] not in scope or crosswalk["to"] not in scope:
            continue
        for mapping in crosswalk["mappings"]:
            for target in mapping["to"]:
                refs = shared.setdefault(f"{crosswalk['to']}:{target}", [])
                refs += [f"{crosswalk['from']}:{mapping['from']}"]
    return shared


def documents_not_needed(context: dict[str, Any]) -> list[str]:
    """The documents of ``profiles.yml``'s ``standard_documents`` that no standard in scope needs."""
    frameworks = set(resolve_profile(context)["frameworks"])
    table: dict[str, list[str]] = load_profiles()["standard_documents"]
    return [name for name, needed_by in table.items() if not frameworks.intersection(needed_by)]


# Why each table of ISO/IEC 27701 Annex A applies to a BPO, written before each control's own summary.
PIMS_ROLES = {
    "1": "As the controller of its own staff, candidate, visitor and marketing data (HR files, CCTV, visitor"
    " logs, sales contacts)",
    "2": "As the processor of client personal data, on each client's documented instructions",
    "3": "For all personal data it holds, as controller or processor",
}


def pims_applicability(context: dict[str, Any]) -> list[dict[str, Any]]:
    """The ISO/IEC 27701 Annex A decisions ``isms init`` writes into soa.yml when ISO/IEC 27701 is in
    scope: each control applicable with the role that makes it apply and what it asks for, except a
    Table A.3 control whose ISO/IEC 27001 twin the profile excludes, which is excluded for the same
    reason."""
    profile = resolve_profile(context)
    twins = {
        mapping["from"]: mapping["to"][0]
        for crosswalk in _crosswalks()
        if crosswalk["id"] == "iso27701-2025-to-iso27001-2022"
        for mapping in crosswalk["mappings"]
    }
    decisions = []
    for control in catalog_controls("iso27701-2025"):
        twin = twins.get(control["id"])
        if twin in profile["exclusions"]:
            reason = f"Excluded like iso27001-2022:{twin}: {profile['exclusions'][twin]}"
            decisions.append({"id": control["id"], "applicable": False, "justification": reason})
            continue
        role = PIMS_ROLES[control["id"].split(".")[1]]
        summary = control["summary"][0].lower() + control["summary"][1:]
        served = f" (served with iso27001-2022:{twin})" if twin else ""
        reason = f"{role}, the company must {summary.rstrip('.')}{served}."
        decisions.append({"id": control["id"], "applicable": True, "justification": reason})
    return decisions


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
    for name in [
        *(s for region in regions for s in region.get("standards", [])),
        *split_list(answers.get("extra_standards", "")),
    ]:
        if name not in standards:
            standards.append(name)
    recommended: list[str] = []
    for name in [*bpo["recommended"], *(r for region in regions for r in region["recommended"])]:
        if name not in standards and name not in recommended:
            recommended.append(name)
    reasons = [f"{bpo['label']}: {bpo['why']}"]
    reasons += [f"{region['label']}: {region['why']}" for region in regions if region.get("why")]
    # "auto" (the template's default) or left out: the BPO type decides.
    develops = answers.get("develops_software", "auto")
    if develops is None or str(develops).lower() == "auto":
        develops = bpo["develops_software"]
    develops = develops is True or str(develops).lower() in {"true", "yes", "y", "1"}
    exclusions = {} if develops else dict(table["exclusions"]["no_software_development"])
    floors: list[dict[str, Any]] = []
    for floor in (item["impact_floor"] for item in (bpo, *regions) if "impact_floor" in item):
        floors += [floor] if floor not in floors else []
    hipaa = bpo_key == "healthcare-bpo" or "us-healthcare" in [region["key"] for region in regions]
    tailored = tailoring(answers, bpo_key, bpo, table, hipaa)
    return {
        **tailored,
        "bpo_type": bpo_key,
        "bpo_label": bpo["label"],
        "regions": regions,
        "region_keys": [region["key"] for region in regions],
        "standards": standards,
        "frameworks": [table["frameworks"][name] for name in standards if name in table["frameworks"]],
        "recommended": recommended,
        "duties": [*bpo["duties"], *(duty for region in regions for duty in region["duties"])],
        "develops_software": develops,
        "handles_payment_cards": tailored["cards"],
        "exclusions": exclusions,
        "reasons": reasons,
        "risk_method": table["risk_method"],
        "impact_floors": floors,
    }


def answer_flag(answers: dict[str, Any], key: str, default: Any) -> bool:
    """A yes/no answer; left out or ``auto``, ``default`` (the profile's) decides."""
    value = answers.get(key, "auto")
    if value is None or str(value).lower() == "auto":
        value = default
    return value is True or str(value).lower() in {"true", "yes", "y", "1"}


def tailoring(
    answers: dict[str, Any], bpo_key: str, bpo: dict[str, Any], table: dict[str, Any], hipaa: bool
) -> dict[str, Any]:
    """What shapes the text beyond duties: voice processes, payment cards, HIPAA, the one retention
    table (HIPAA's six years where it applies) and the flood season of each site's city."""
    retention = {}
    for key, row in table["retention"].items():
        if bpo_key not in row.get("only_for", [bpo_key]):
            continue
        years = row.get("hipaa_years", row["years"]) if hipaa else row["years"]
        period = f"at least {years} years" + (f" {row['after']}" if row.get("after") else "")
        period += f", {row['longer']}" if row.get("longer") else ""
        retention[key] = {"label": row["label"], "covers": row["covers"], "years": years, "period": period}
    seasons: dict[str, dict[str, Any]] = {}
    cities = table["flood_seasons"]["cities"]
    for site in (answers.get("sites") or {}).values():
        city = str(site.get("city", ""))
        season = cities.get(city.strip().lower(), table["flood_seasons"]["default"])
        entry = seasons.setdefault(season["season"], {**season, "cities": []})
        entry["cities"] += [city] if city not in entry["cities"] else []
    return {
        "voice": answer_flag(answers, "voice_processes", bpo.get("voice_processes", False)),
        "cards": answer_flag(answers, "handles_payment_cards", bpo.get("handles_payment_cards", False)),
        "hipaa": hipaa,
        "retention": retention,
        "flood_seasons": list(seasons.values()),
    }


@cache
def load_register_library() -> dict[str, Any]:
    """The register entries of ``registers.yml``, by kind and key."""
    with REGISTERS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@cache
def _builder() -> Any:
    """``register_builder.py`` beside this file, loaded by its path (cookiecutter imports this module by
    name from wherever the template is, and ``isms init`` by path)."""
    spec = importlib.util.spec_from_file_location("isms_register_builder", BUILDER_FILE)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships beside this one
        raise ImportError(BUILDER_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_registers(context: dict[str, Any]) -> dict[str, Any]:
    """A company's starting registers and SoA decisions (see ``register_builder.build_registers``)."""
    registers: dict[str, Any] = _builder().build_registers(
        context, resolve_profile(context), load_profiles(), load_register_library(), annex_a()
    )
    return registers


def supplier_deadlines(context: dict[str, Any]) -> dict[str, int]:
    """The deadlines suppliers with client data get (see ``register_builder.supplier_deadlines``)."""
    deadlines: dict[str, int] = _builder().supplier_deadlines(context)
    return deadlines


def register_yaml(entries: list[dict[str, Any]], key: str) -> str:
    """A register's entries as a YAML block (see ``register_builder.register_yaml``)."""
    return str(_builder().register_yaml(entries, key))


def toolkit_default_requirement() -> str:
    """The toolkit this template came with, from its git repository at its release tag."""
    from toolkit.distribution import default_requirement  # noqa: PLC0415 - the toolkit's own

    return default_requirement()


def toolkit_source(requirement: str) -> Any:
    """The toolkit requirement parsed: ``.requirement`` for pip, ``.repo`` and ``.rev`` for pre-commit."""
    from toolkit.distribution import parse_requirement  # noqa: PLC0415

    return parse_requirement(requirement)


def handbook_level(context: dict[str, Any]) -> str:
    """The handbook's classification (see ``toolkit/ci_answers.py``)."""
    from toolkit.ci_answers import handbook_level as level  # noqa: PLC0415

    return level(context)


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
        environment.globals["catalog_controls"] = catalog_controls
        environment.globals["shared_controls"] = shared_controls
        environment.globals["documents_not_needed"] = documents_not_needed
        environment.globals["pims_applicability"] = pims_applicability
        environment.globals["isms_registers"] = build_registers
        environment.globals["supplier_deadlines"] = supplier_deadlines
        environment.filters["register_yaml"] = register_yaml
        environment.globals["toolkit_default_requirement"] = toolkit_default_requirement
        environment.globals["toolkit_source"] = toolkit_source
        environment.globals["handbook_level"] = handbook_level
