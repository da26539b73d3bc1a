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
``supplier_deadlines()``.
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
    cards = answers.get("handles_payment_cards", "auto")
    if cards is None or str(cards).lower() == "auto":
        cards = bpo.get("handles_payment_cards", False)
    cards = cards is True or str(cards).lower() in {"true", "yes", "y", "1"}
    floors: list[dict[str, Any]] = []
    for floor in (item["impact_floor"] for item in (bpo, *regions) if "impact_floor" in item):
        floors += [floor] if floor not in floors else []
    return {
        "bpo_type": bpo_key,
        "bpo_label": bpo["label"],
        "regions": regions,
        "region_keys": [region["key"] for region in regions],
        "standards": standards,
        "recommended": recommended,
        "duties": [*bpo["duties"], *(duty for region in regions for duty in region["duties"])],
        "develops_software": develops,
        "handles_payment_cards": cards,
        "exclusions": exclusions,
        "reasons": reasons,
        "risk_method": table["risk_method"],
        "impact_floors": floors,
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
