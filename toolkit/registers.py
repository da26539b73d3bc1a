"""The registers of the ISMS as data: risks, assets, suppliers and requirements, and the risk method.

Plain dataclasses built from the files under ``registers/`` (see the source kinds in
:mod:`toolkit.sources`) and from ``isms.yml``'s ``risk_method``. The builders accept data that failed its
schema (the schema findings already say what is wrong) and keep what they can read; each entry keeps its
index in the file's list, so a rule can point at its line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class RiskMethod:
    """How risks are scored (``isms.yml`` ``risk_method``): level = likelihood x impact."""

    likelihood: tuple[str, ...]
    impact: tuple[str, ...]
    treatment_threshold: int
    acceptance_threshold: int
    acceptance_authority: str

    @staticmethod
    def level(likelihood: int | None, impact: int | None) -> int | None:
        """The level of a risk, or None when either score is missing."""
        return likelihood * impact if likelihood is not None and impact is not None else None


def risk_method(config: dict[str, Any]) -> RiskMethod | None:
    """The risk method of ``isms.yml``, or None when it has none (or not one that can be read)."""
    data = _mapping(config.get("risk_method"))
    treat, accept = _number(data.get("treatment_threshold")), _number(data.get("acceptance_threshold"))
    if not data or treat is None or accept is None:
        return None
    return RiskMethod(
        _texts(data.get("likelihood")),
        _texts(data.get("impact")),
        treat,
        accept,
        _text(data.get("acceptance_authority")),
    )


@dataclass(frozen=True)
class Risk:
    """One risk of ``registers/risks.yml``."""

    index: int
    id: str
    title: str
    owner: str
    likelihood: int | None
    impact: int | None
    treatment: str
    controls: tuple[str, ...]
    action: dict[str, Any]
    residual: dict[str, Any]
    acceptance: dict[str, Any]
    assets: tuple[str, ...] = ()
    stored_level: int | None = None


@dataclass(frozen=True)
class Asset:
    """One asset of ``registers/assets.yml``."""

    index: int
    id: str
    name: str
    owner: str
    classification: str


@dataclass(frozen=True)
class Supplier:
    """One supplier of ``registers/suppliers.yml``; ``data`` holds every field as written."""

    index: int
    id: str
    name: str
    owner: str
    client_data_access: bool
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Requirement:
    """One requirement of ``registers/requirements.yml``."""

    index: int
    id: str
    title: str
    owner: str
    controls: tuple[str, ...]
    documents: tuple[str, ...]


def _entries(data: dict[str, Any], key: str, build: Callable[[int, dict[str, Any]], T]) -> list[T]:
    items = data.get(key)
    if not isinstance(items, list):
        return []
    return [build(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def risks(data: dict[str, Any]) -> list[Risk]:
    """The risks of a ``risks.yml``'s data."""
    return _entries(
        data,
        "risks",
        lambda index, item: Risk(
            index=index,
            id=_text(item.get("id")),
            title=_text(item.get("title")),
            owner=_text(item.get("owner")),
            likelihood=_number(item.get("likelihood")),
            impact=_number(item.get("impact")),
            treatment=_text(item.get("treatment")),
            controls=_texts(item.get("controls")),
            action=_mapping(item.get("action")),
            residual=_mapping(item.get("residual")),
            acceptance=_mapping(item.get("acceptance")),
            assets=_texts(item.get("assets")),
            stored_level=_number(item.get("level")),
        ),
    )


def assets(data: dict[str, Any]) -> list[Asset]:
    """The assets of an ``assets.yml``'s data."""
    return _entries(
        data,
        "assets",
        lambda index, item: Asset(
            index,
            _text(item.get("id")),
            _text(item.get("name")),
            _text(item.get("owner")),
            _text(item.get("classification")),
        ),
    )


def suppliers(data: dict[str, Any]) -> list[Supplier]:
    """The suppliers of a ``suppliers.yml``'s data."""
    return _entries(
        data,
        "suppliers",
        lambda index, item: Supplier(
            index,
            _text(item.get("id")),
            _text(item.get("name")),
            _text(item.get("owner")),
            item.get("client_data_access") is True,
            dict(item),
        ),
    )


def requirements(data: dict[str, Any]) -> list[Requirement]:
    """The requirements of a ``requirements.yml``'s data."""
    return _entries(
        data,
        "requirements",
        lambda index, item: Requirement(
            index,
            _text(item.get("id")),
            _text(item.get("title")),
            _text(item.get("owner")),
            _texts(item.get("controls")),
            _texts(item.get("documents")),
        ),
    )
