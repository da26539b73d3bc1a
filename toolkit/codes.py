"""Finding codes: each one's default level and what it means.

Codes are declared where findings are made: the generic loader and each source kind declare the codes
their loading emits (:mod:`toolkit.sources`), each check rule the codes it emits (:mod:`toolkit.rules`).
:func:`all_codes` gathers them; it is the one source for the SARIF rule list and the finding-codes page.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

# Where the toolkit's documentation is published (also pyproject's Documentation URL, a test checks):
# SARIF's informationUri and every code's helpUri point here.
DOCS_URL = "https://isms-toolkit.github.io/isms-toolkit/"
CODES_PAGE = "reference/finding-codes/"


class Code(NamedTuple):
    """A finding code's default level, a one-line description and, where the code is one word, a
    friendlier name (SARIF tools show a rule's name next to its id; the two must differ)."""

    level: str
    description: str
    name: str = ""


def rule_name(code: str, entry: Code) -> str:
    """The code as one PascalCase word (``broken-link``: ``BrokenLink``), or the name it declares."""
    return entry.name or "".join(part.capitalize() for part in code.split("-"))


def help_uri(code: str) -> str:
    """The code's entry on the finding-codes page of the documentation."""
    return f"{DOCS_URL}{CODES_PAGE}#{code}"


@cache
def all_codes() -> dict[str, Code]:
    """Every finding code the check can report: loading's first, then the rules', in registry order."""
    from toolkit import rules, sources  # noqa: PLC0415 - the registries import the model; read on demand

    return {**sources.load_codes(), **rules.codes()}


LEVEL_EFFECT = {
    "error": "An error: it fails isms check (exit code 1).",
    "warning": "A warning: it fails isms check only with --strict.",
}


def full_description(entry: Code) -> str:
    """What the code means and what its level does to the check."""
    return f"{entry.description} {LEVEL_EFFECT[entry.level]}"
