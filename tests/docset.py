"""Render the policy documents fast for many answer sets, and scan them for tailoring defects.

:func:`render_documents` renders ``policies/*.md`` (and :func:`render_registers` the starting registers
and ``soa.yml``) with one Jinja environment shared by every call (the templates are compiled once), in
the context cookiecutter would give them; a test checks that it gives the same text as ``isms init``
(``scaffold.render``). :func:`scan` reads the rendered files as an auditor would and returns every
defect it finds, each naming the file and what is wrong.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from toolkit import scaffold
from toolkit.resources import templates_dir

SLUG_FOLDER = "{{cookiecutter.repo_slug}}"


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # noqa: PLC0415 - only when rendering

    module = scaffold._template_module()
    root = templates_dir()
    # Markdown, not HTML: cookiecutter renders without autoescape, and so must this.
    return Environment(  # noqa: S701
        loader=FileSystemLoader([str(root / SLUG_FOLDER), str(root / "templates")]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=[module.IsmsFilters],
    )


def context(answers: dict[str, Any]) -> dict[str, Any]:
    """The cookiecutter context ``isms init`` renders ``answers`` with (values as cookiecutter gives them)."""
    merged = scaffold.normalise(scaffold.merge_answers(scaffold.example_answers(), answers))
    values = {**scaffold.template_defaults(), **merged}
    values["repo_slug"] = "repository"
    values["generated_on"] = merged.get("generated_on", "2026-11-24")
    return {key: _as_cookiecutter(value) for key, value in values.items()}


def _as_cookiecutter(value: Any) -> Any:
    """Cookiecutter hands numbers over as text, and keeps booleans, dicts and lists."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, dict):
        return {key: _as_cookiecutter(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_cookiecutter(item) for item in value]
    return str(value)


def render_documents(answers: dict[str, Any]) -> dict[str, str]:
    """``policies/NAME.md`` -> rendered text, for ``answers`` (keys left out take the example's values),
    after the template's own post-generation hook has removed and completed documents as it does for
    ``isms init``."""
    environment = _environment()
    cookiecutter = context(answers)
    folder = templates_dir() / SLUG_FOLDER / "policies"
    documents = {
        f"policies/{path.name}": environment.get_template(f"policies/{path.name}").render(
            cookiecutter=cookiecutter
        )
        for path in sorted(folder.glob("*.md"))
    }
    return _after_hook(environment, cookiecutter, documents)


REGISTER_FILES = tuple(f"registers/{kind}.yml" for kind in ("assets", "risks", "suppliers", "requirements"))


def render_registers(answers: dict[str, Any]) -> dict[str, str]:
    """``registers/KIND.yml`` and ``soa.yml`` -> rendered text, for ``answers`` (as ``isms init`` writes
    them; the hook leaves them as they are)."""
    environment = _environment()
    cookiecutter = context(answers)
    return {
        name: environment.get_template(name).render(cookiecutter=cookiecutter)
        for name in (*REGISTER_FILES, "soa.yml")
    }


def _after_hook(environment: Any, cookiecutter: dict[str, Any], documents: dict[str, str]) -> dict[str, str]:
    """``documents`` as the rendered ``hooks/post_gen_project.py`` leaves them, run in a scratch folder."""
    hook = (templates_dir() / "hooks" / "post_gen_project.py").read_text(encoding="utf-8")
    source = environment.from_string(hook).render(cookiecutter=cookiecutter)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        (root / "policies").mkdir()
        for name, text in documents.items():
            (root / name).write_text(text, encoding="utf-8")
        previous = Path.cwd()
        os.chdir(root)  # the hook works in the generated folder, as cookiecutter runs it
        try:
            exec(compile(source, "post_gen_project.py", "exec"), {"__name__": "__main__"})  # noqa: S102
        finally:
            os.chdir(previous)
        return {
            f"policies/{path.name}": path.read_text(encoding="utf-8")
            for path in sorted((root / "policies").glob("*.md"))
        }


@dataclass(frozen=True)
class Defect:
    """One tailoring defect: which document, what kind, and what was found."""

    file: str
    kind: str
    found: str


# Terms that belong to a client region (or to a BPO type that brings the same law with it).
REGION_TERMS: dict[str, tuple[str, ...]] = {
    "us": ("Cal. Civ. Code", "state breach law"),
    "us-healthcare": ("HIPAA", "covered entit", "business associate"),
    "uk-fca": ("FCA", "SYSC"),
    "eu-gdpr": ("GDPR", "supervisory authority", "standard contractual clauses"),
    "australia": (
        "Privacy Act 1988",
        "Notifiable Data Breaches",
        "APP 8",
        "APRA",
        "CPS 234",
        "tax file number",
    ),
    "middle-east": ("PDPL", "SDAIA", "DIFC", "ADGM", "National Cybersecurity Authority"),
}
# A BPO type that brings a region's law with it whatever the client regions.
TYPE_REGIONS = {"healthcare-bpo": ("us-healthcare",)}
# A region that brings another's law with it (US healthcare clients are US clients).
REGION_IMPLIES = {"us-healthcare": ("us",)}
VOICE_TERMS = ("dialler", "call recording", "voice zone", "voice process", "softphone", "telephony")
# What only voice work brings, looked for in the registers and soa.yml as well: a dialler (either
# spelling), calls handled by agents, their recordings (CCTV recordings are not voice work), outbound
# campaigns, voice processes. A phone on the floor, a helpdesk's caller or calling a vendor back is not.
REGISTER_VOICE = re.compile(
    r"\bdiall?er|\bcalls\b|\bcall[- ](?:handling|time|centre|routing)|(?<!CCTV cameras and )\brecordings?\b"
    r"|\bcampaigns?\b|\bvoice\b|\bIVR\b",
    re.IGNORECASE,
)
CARD_TERMS = ("card number", "card details", "CVV", "PCI DSS", "cardholder")
# Phrases that name a role: they must be the title of a role in isms.yml.
ROLE = re.compile(
    r"\b(?:CISO|CEO|CTO|CIO|CFO|DPO|ISMS Manager"
    r"|Chief(?: [A-Z][a-z]+)+ Officer"
    r"|Head of [A-Z][A-Za-z]+(?: and [A-Z][a-z]+)?"
    r"|(?:[A-Z][a-z]+ )+(?:and [A-Z][a-z]+ )?Manager)\b"
)
# Roles a document may name that are not ISMS roles of isms.yml: outsiders' titles.
OUTSIDE_ROLES = ("Security Official",)
KEPT = re.compile(r"kept for (at least \d+ years[^(]*?) \(the retention schedule's row \"([^\"]+)\"")
SCHEDULE_ROW = re.compile(r"^\| ([^:|]+): [^|]*\| (at least \d+ years[^|]*?) \|", re.MULTILINE)
# Sentences that state an answer's number: the answer, and the pattern whose group is the number.
NUMBERS: dict[str, re.Pattern[str]] = {
    "cctv_retention_days": re.compile(
        r"(?:CCTV|[Ff]ootage)[^.|]{0,60}?(?:overwritten|kept|recordings \|)[^.|]{0,20}?(\d+) days?"
    ),
    "visitor_log_retention_days": re.compile(
        r"[Vv]isitor (?:logs?|records)[^.|]{0,30}?(?:kept for|\|) (\d+) days?"
    ),
    "incident_notification_hours": re.compile(
        r"within \**(\d+) hours?\** of (?:anyone here first noticing|the time noticed)"
    ),
    "client_data_deletion_days": re.compile(
        r"within (\d+) days? (?:of|after) (?:the )?(?:contract|end of the contract)"
    ),
    "review_cycle_months": re.compile(r"reviews this document at least every (\d+) months?"),
}


def example_leftovers(answers: dict[str, Any]) -> list[str]:
    """The example company's names and contacts that ``answers`` changed (so must not appear)."""
    example = scaffold.example_answers()
    merged = scaffold.merge_answers(example, answers)
    values: list[str] = []
    for key in ("company_name", "company_short_name", "incident_email", "incident_phone"):
        if merged[key] != example[key]:
            values.append(str(example[key]))
    if merged["sites"] != example["sites"]:
        values += [str(site[field]) for site in example["sites"].values() for field in ("name", "city")]
    for key, role in example["roles"].items():
        given = merged["roles"].get(key, {})
        values += [role[field] for field in ("name", "title") if given.get(field) != role[field]]
    return values


def scan(documents: dict[str, str], answers: dict[str, Any]) -> list[Defect]:  # noqa: PLR0912 - one pass per kind
    """Every tailoring defect in ``documents`` rendered from ``answers``."""
    ctx = context(answers)
    profile = scaffold.resolve_profile(ctx)
    in_scope = set(profile["region_keys"]) | set(TYPE_REGIONS.get(profile["bpo_type"], ()))
    in_scope |= {implied for region in profile["region_keys"] for implied in REGION_IMPLIES.get(region, ())}
    titles = {role["title"] for role in ctx["roles"].values()}
    leftovers = [value for value in example_leftovers(answers) if value not in titles]
    defects: list[Defect] = []
    periods: dict[str, dict[str, str]] = {}
    for name, text in documents.items():
        for region, terms in REGION_TERMS.items():
            if region not in in_scope:
                defects += [Defect(name, "region", term) for term in terms if term in text]
        if not profile["voice"]:
            defects += [Defect(name, "voice", term) for term in VOICE_TERMS if term.lower() in text.lower()]
            if not name.startswith("policies/"):
                defects += [Defect(name, "voice", found) for found in REGISTER_VOICE.findall(text)]
        if not profile["cards"]:
            defects += [Defect(name, "cards", term) for term in CARD_TERMS if term.lower() in text.lower()]
        for match in ROLE.finditer(text):
            role = match.group(0)
            if not any(role in title for title in titles) and role not in OUTSIDE_ROLES:
                defects.append(Defect(name, "role", role))
        for value in leftovers:
            if value in text:
                defects.append(Defect(name, "example", value))
        for period, label in [*KEPT.findall(text), *((p, lbl) for lbl, p in SCHEDULE_ROW.findall(text))]:
            periods.setdefault(label.strip(), {}).setdefault(period.strip(), name)
        for key, pattern in NUMBERS.items():
            for match in pattern.finditer(text):
                if int(match.group(1)) != int(ctx[key]):
                    defects.append(Defect(name, "number", f"{key}: {match.group(0)}"))
    for label, seen in periods.items():
        if len(seen) > 1:
            found = "; ".join(f"{period} in {where}" for period, where in sorted(seen.items()))
            defects.append(Defect(sorted(seen.values())[0], "retention", f"{label}: {found}"))
    return defects
