"""Finding codes: each one's default level and what it means.

Codes are declared where findings are made: the generic loader and each source kind declare the codes
their loading emits (:mod:`toolkit.sources`), each check rule the codes it emits (:mod:`toolkit.rules`).
:func:`all_codes` gathers them; it is the one source for the SARIF rule list and the finding-codes page.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple


class Code(NamedTuple):
    """A finding code's default level and a one-line description."""

    level: str
    description: str


@cache
def all_codes() -> dict[str, Code]:
    """Every finding code the check can report: loading's first, then the rules', in registry order."""
    from toolkit import rules, sources  # noqa: PLC0415 - the registries import the model; read on demand

    return {**sources.load_codes(), **rules.codes()}
