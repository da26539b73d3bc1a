"""The registry of check rules: each a pure function from the workspace to findings.

Every module of this package (other than :mod:`~toolkit.rules.base`) holds the rules of one subject and
lists them as ``RULES``; each rule declares the finding codes it emits. :func:`all_rules` is what
``isms check`` runs, and :func:`codes` what the SARIF rule list and the finding-codes page show. A new rule
is a new function (and an example folder under ``tests/examples/``), not a longer check module.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from toolkit.codes import Code
from toolkit.rules.base import Rule


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule of every module in this package, module by module in name order."""
    import pkgutil  # noqa: PLC0415 - only when the registry is first read

    found: list[Rule] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name == "base" or info.name.startswith("_"):
            continue
        found += getattr(import_module(f"{__name__}.{info.name}"), "RULES", ())
    return tuple(found)


def codes() -> dict[str, Code]:
    """The codes the rules declare, in rule order."""
    declared: dict[str, Code] = {}
    for rule in all_rules():
        declared.update(rule.codes)
    return declared
