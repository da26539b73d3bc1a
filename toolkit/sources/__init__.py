"""The registry of source kinds: every kind of file a user writes into a policy repository.

Each module of this package (other than :mod:`~toolkit.sources.base`) declares one kind as ``KIND``: its
path, its schema and how its entries are built. The workspace loads every kind found here, the schema list
and the format reference of the docs are read from here, and ``isms changes`` diffs the files they name.
A new kind of file is a new module here and a schema in ``schemas/``; nothing else has to list it.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any, Protocol

from toolkit.codes import Code


class SourceKind(Protocol):
    """What every source kind declares (see :class:`toolkit.sources.base.YamlSource`)."""

    @property
    def name(self) -> str: ...
    @property
    def schema(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def order(self) -> int: ...
    @property
    def codes(self) -> dict[str, Code]: ...

    def load(self, root: Path, loaded: dict[str, Any]) -> Any:
        """Read the kind's files below ``root``; ``loaded`` holds the kinds loaded before it."""

    def files(self, loaded: Any) -> list[str]:
        """Repository-relative files or folders the kind reads, given what :meth:`load` returned."""

    def meta_of(self, text: str) -> dict[str, Any]:
        """The data of one of its files, from the file's text."""


# Schemas for files that are not repository sources: the answers of `isms init` and catalog files.
OTHER_SCHEMAS = ("answers", "catalog", "crosswalk")


@cache
def kinds() -> tuple[SourceKind, ...]:
    """Every source kind in this package, in load order."""
    import pkgutil  # noqa: PLC0415 - only when the registry is first read

    found: list[SourceKind] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name == "base" or info.name.startswith("_"):
            continue
        kind = getattr(import_module(f"{__name__}.{info.name}"), "KIND", None)
        if kind is not None:
            found.append(kind)
    return tuple(sorted(found, key=lambda kind: (kind.order, kind.name)))


def get(name: str) -> SourceKind:
    """The source kind registered as ``name``."""
    for kind in kinds():
        if kind.name == name:
            return kind
    raise KeyError(name)


def schema_names() -> tuple[str, ...]:
    """Every schema the toolkit ships: one per source kind, then the others."""
    return tuple(dict.fromkeys([*(kind.schema for kind in kinds()), *OTHER_SCHEMAS]))


def load_codes() -> dict[str, Code]:
    """The finding codes that loading emits: the generic loader's, then each kind's own."""
    from toolkit.sources.base import CODES  # noqa: PLC0415

    codes = dict(CODES)
    for kind in kinds():
        codes.update(kind.codes)
    return codes
