"""Scope and coverage: which catalogs are in scope, and each control's state. Pure functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.catalogs import Catalog, scope_catalogs
from toolkit.model import Coverage, CoverageState, Document, SoaEntry


def in_scope_catalogs(frameworks: list[str], catalogs: dict[str, Catalog]) -> list[str]:
    """Ids of the usable catalogs in scope: the known ``frameworks`` and their companions."""
    known = [name for name in frameworks if name in catalogs]
    return [
        catalog_id
        for catalog_id in scope_catalogs(known, catalogs)
        if catalog_id in catalogs and catalogs[catalog_id].kind != "invalid"
    ]


@dataclass(frozen=True)
class ReferenceIndex:
    """Which documents name each control: those in force, and the rest (drafts, not yet effective)."""

    in_force: dict[str, list[str]]
    pending: dict[str, list[str]]


def reference_index(documents: Iterable[Document], today: dt.date) -> ReferenceIndex:
    """Index every valid, non-retired document's control references (forms cover nothing)."""
    in_force: dict[str, list[str]] = {}
    pending: dict[str, list[str]] = {}
    for document in documents:
        if not document.valid or document.status == "retired" or document.is_form:
            continue
        target = in_force if document.in_force(today) else pending
        for ref in document.controls:
            target.setdefault(ref, []).append(document.id)
    return ReferenceIndex(in_force, pending)


def compute_coverage(
    catalog: Catalog, soa: dict[str, SoaEntry], soa_valid: bool, index: ReferenceIndex
) -> Coverage:
    """Each control's state: covered (an approved document in force), drafted, excluded or missing.

    A control the catalog marks ``satisfied_by: soa`` (the Statement of Applicability itself) is covered
    by a valid ``soa.yml``.
    """
    in_force, pending = index.in_force, index.pending
    states: dict[str, CoverageState] = {}
    documents: dict[str, list[str]] = {}
    for control in catalog:
        ref = control.ref
        documents[control.id] = sorted({*in_force.get(ref, []), *pending.get(ref, [])})
        entry = soa.get(ref)
        if entry is not None and not entry.applicable:
            states[control.id] = "excluded"
        elif ref in in_force or (control.satisfied_by == "soa" and soa_valid):
            states[control.id] = "covered"
        elif ref in pending:
            states[control.id] = "drafted"
        else:
            states[control.id] = "missing"
    return Coverage(catalog.id, catalog.title, states, documents)
