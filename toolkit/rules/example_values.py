"""Rules on values left over from the built-in example company (``isms init --no-input``).

The example's incident email and phone are never anyone's real contacts, so they are findings wherever
they are left: in isms.yml and in every document that staff read. The example's people and sites are
right for the example company itself; they are findings once the repository names another company.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import rule
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

CONTACTS = {"incident_email": "incident email", "incident_phone": "incident phone"}


@cache
def example_company() -> dict[str, Any]:
    """The built-in example company's answers (the templates' ``cookiecutter.json``)."""
    import json  # noqa: PLC0415 - only when the rule runs

    from toolkit.resources import templates_dir  # noqa: PLC0415

    with (templates_dir() / "cookiecutter.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _config_findings(workspace: Workspace, text: str) -> Iterator[Finding]:
    example, config = example_company(), workspace.config
    contacts = config.get("contacts")
    for key, what in CONTACTS.items():
        if isinstance(contacts, dict) and contacts.get(key) == example[key]:
            line = locate(text, ["contacts", key])
            message = (
                f"contacts.{key} is still the example company's {what} {example[key]!r}; "
                "put your own incident contact here and in the documents"
            )
            yield Finding(CONFIG_FILE, line, "example-value", "warning", message)
    organisation = config.get("organisation")
    if not isinstance(organisation, dict) or organisation.get("name") == example["company_name"]:
        return  # the example company's own people and sites are right for it
    roles = config.get("roles")
    for key, role in roles.items() if isinstance(roles, dict) else ():
        held = role.get("name") if isinstance(role, dict) else None
        if held and any(held == person.get("name") for person in example["roles"].values()):
            message = (
                f"roles.{key}.name is the example company's person {held!r}; name who holds the role here"
            )
            line = locate(text, ["roles", key, "name"])
            yield Finding(CONFIG_FILE, line, "example-value", "warning", message)
    sites = config.get("sites")
    names = {site["name"] for site in example["sites"].values()}
    for index, site in enumerate(sites if isinstance(sites, list) else ()):
        if isinstance(site, dict) and site.get("name") in names:
            message = f"sites: {site['name']!r} is the example company's site; list your own sites"
            line = locate(text, ["sites", index, "name"])
            yield Finding(CONFIG_FILE, line, "example-value", "warning", message)


@rule(
    {
        "example-value": Code(
            "warning",
            "The example company's incident contacts (anywhere), or its people or sites (in another "
            "company's isms.yml), are still in the repository.",
        )
    }
)
def example_values(workspace: Workspace) -> Iterable[Finding]:
    """The example company's contacts, people and sites left in the repository."""
    text = workspace.config_file.text
    if text:
        yield from _config_findings(workspace, text)
    example = example_company()
    contacts = {str(example[key]).lower(): what for key, what in CONTACTS.items()}
    for document in workspace.documents:
        for part, first_line in ((document.front_matter, 2), (document.body, document.body_line)):
            lowered = part.lower()
            if not any(value in lowered for value in contacts):
                continue
            for number, line in enumerate(lowered.splitlines(), start=first_line):
                for value, what in contacts.items():
                    if value in line:
                        message = (
                            f"the example company's {what} {value!r} is still in the text; "
                            "replace it with your own incident contact"
                        )
                        yield Finding(document.rel, number, "example-value", "warning", message)


RULES = (example_values,)
