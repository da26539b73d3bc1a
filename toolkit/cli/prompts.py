"""The questions ``isms init`` asks, with the limits and choices of the answers schema and the profiles.

Nothing here repeats a list or a limit: BPO types and client regions come from the templates' profile
table, number limits from ``schemas/answers.schema.json``, so a bad answer is asked again at once.
"""

from __future__ import annotations

from typing import Any

import click

# Number answers: the key, and the question. Their limits are the answers schema's.
NUMBER_QUESTIONS = (
    ("cctv_retention_days", "CCTV footage kept for (days)"),
    ("visitor_log_retention_days", "Visitor logs kept for (days)"),
    ("incident_notification_hours", "Clients told of an incident within (hours)"),
    ("client_data_deletion_days", "Client data deleted after contract end within (days)"),
    ("review_cycle_months", "Documents reviewed every (months)"),
)


def number_limits(key: str) -> tuple[int | None, int | None]:
    """The answers schema's minimum and maximum for the number answer ``key``."""
    from toolkit.validation import load_schema  # noqa: PLC0415

    schema = load_schema("answers")
    node: dict[str, Any] = schema["properties"][key]
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node.get("minimum"), node.get("maximum")


def _known_regions(value: str) -> str:
    """Accept the regions typed at the prompt only when the profiles know each of them (else ask again)."""
    from toolkit import scaffold  # noqa: PLC0415

    unknown = scaffold.unknown_regions(value)
    if unknown:
        raise click.BadParameter(f"unknown client region(s): {', '.join(repr(name) for name in unknown)}")
    return value


def prompt_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """Ask for the common answers, with the current answers as defaults."""
    from toolkit import scaffold  # noqa: PLC0415

    out = dict(answers)
    out["company_name"] = click.prompt("Company legal name", default=answers["company_name"])
    out["company_short_name"] = click.prompt("Short name", default=answers["company_short_name"])
    out["isms_scope"] = click.prompt("ISMS scope statement", default=answers["isms_scope"])
    out["bpo_type"] = click.prompt(
        "BPO type", type=click.Choice(scaffold.bpo_types()), default=answers["bpo_type"]
    )
    regions = answers["client_regions"]
    out["client_regions"] = click.prompt(
        f"Client regions (comma separated: {', '.join(scaffold.client_regions())})",
        default=regions if isinstance(regions, str) else ", ".join(regions),
        value_proc=_known_regions,
    )
    out["extra_standards"] = click.prompt(
        "Other standards in scope (comma separated, e.g. ISO 9001:2015; empty for none)",
        default=answers.get("extra_standards", ""),
        show_default=False,
    )
    out["byod_allowed"] = click.confirm(
        "Are staff allowed to use their own devices (BYOD)?", default=bool(answers["byod_allowed"])
    )
    develops = answers.get("develops_software")
    if develops is None:  # not given: the BPO type's usual answer is the default
        develops = scaffold.resolve_profile(out)["develops_software"]
    out["develops_software"] = click.confirm(
        "Does the company develop software in scope (for clients or as its own products)?",
        default=bool(develops),
    )
    cards = answers.get("handles_payment_cards")
    if cards is None:  # not given: the BPO type's usual answer is the default
        cards = scaffold.resolve_profile(out)["handles_payment_cards"]
    out["handles_payment_cards"] = click.confirm(
        "Do staff take, see or key in payment card details for clients?", default=bool(cards)
    )
    for key, question in NUMBER_QUESTIONS:
        low, high = number_limits(key)
        out[key] = click.prompt(question, type=click.IntRange(low, high), default=int(answers[key]))
    out["incident_email"] = click.prompt("Incident reporting email", default=answers["incident_email"])
    out["incident_phone"] = click.prompt("Incident reporting phone", default=answers["incident_phone"])
    roles = {}
    for key, role in answers["roles"].items():
        title = click.prompt(f"Role '{key}': title", default=role["title"])
        roles[key] = {
            "title": title,
            "name": click.prompt(f"  {title}: held by", default=role.get("name", "")),
        }
    out["roles"] = roles
    out["sites"] = prompt_sites(answers["sites"])
    return out


def prompt_sites(current: dict[str, Any]) -> dict[str, Any]:
    """Ask for the delivery sites: how many, then each one's name, city and seats."""
    from slugify import slugify  # noqa: PLC0415 - a cookiecutter dependency, only needed here

    defaults = list(current.values())
    count = click.prompt("Number of sites in scope", type=click.IntRange(1, 99), default=len(defaults))
    sites: dict[str, Any] = {}
    for number in range(1, count + 1):
        default = defaults[number - 1] if number <= len(defaults) else {}
        name = click.prompt(f"Site {number}: name", default=default.get("name"))
        city = click.prompt(f"  {name}: city", default=default.get("city"))
        seats = click.prompt(f"  {name}: seats", type=click.IntRange(min=1), default=default.get("seats"))
        key = slugify(city, separator="-") or f"site-{number}"
        while key in sites:
            key = f"{key}-{number}"
        sites[key] = {"name": name, "city": city, "seats": seats}
    return sites
