"""``isms controls``: browse the catalogs, and translate ISO/IEC 27001:2013 ids to 2022.

Pure functions over the catalogs, the crosswalk and (optionally) a loaded repository.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.catalogs import Catalog, Control, Crosswalk
from toolkit.workspace import Workspace

ID_2013 = re.compile(r"^(?:iso27001-2013:|iso27001-2022:)?(A\.\d+\.\d+\.\d+)$")
# How a 2013 control carried over, in words (the crosswalk's `change` values).
CHANGE_WORDS = {
    "one_to_one": "carried over one to one",
    "merged": "merged with other 2013 controls",
    "split": "split across several 2022 controls",
}


def _annex_case(control_id: str) -> str:
    """``a.7.7`` -> ``A.7.7``: Annex A ids as the catalogs write them (other ids unchanged)."""
    return f"A.{control_id[2:]}" if control_id[:2] == "a." else control_id


def id_2013(control_id: str) -> str | None:
    """The bare 2013 Annex A id in ``control_id`` (``iso27001-2013:a.11.2.9``, ``11.2.9`` -> ``A.11.2.9``)."""
    catalog_part, colon, bare = control_id.strip().rpartition(":")
    bare = _annex_case(bare)
    if bare[:1].isdigit():  # `11.2.9`: the Annex A id written without its `A.`
        bare = f"A.{bare}"
    match = ID_2013.match(f"{catalog_part}{colon}{bare}")
    return match.group(1) if match else None


def describe_change(change: str) -> str:
    """The crosswalk's ``change`` value in words: ``one_to_one`` -> ``carried over one to one``."""
    return CHANGE_WORDS.get(change, change.replace("_", " "))


def addressed_by(repository: Workspace | None, ref: str) -> list[str]:
    """``"POL-X v1.0.0 (approved)"`` for each valid document of ``repository`` that names ``ref``."""
    if repository is None:
        return []
    return [
        f"{document.id} v{document.version} ({document.status})"
        for document in repository.documents
        if document.valid and ref in document.controls
    ]


def find_control(catalogs: dict[str, Catalog], query: str) -> Control | None:
    """``iso27001-2022:A.7.7``, ``A.7.7``, ``a.7.7`` or ``7.7`` (Annex A first)."""
    catalog_part, colon, control_part = query.rpartition(":")
    query = f"{catalog_part}{colon}{_annex_case(control_part)}"
    if ":" in query:
        catalog_id, _, control_id = query.partition(":")
        catalog = catalogs.get(catalog_id)
        return catalog.get(control_id) if catalog else None
    for candidate in (query, f"A.{query}"):
        for catalog in catalogs.values():
            control = catalog.get(candidate)
            if control is not None:
                return control
    return None


def search(catalogs: dict[str, Catalog], words: str) -> list[Control]:
    """Controls whose id, title or summary contains every word (case-insensitive)."""
    terms = words.lower().split()
    return [
        control
        for catalog in catalogs.values()
        for control in catalog
        if all(term in f"{control.ref} {control.title} {control.summary}".lower() for term in terms)
    ]


@dataclass(frozen=True)
class Transition:
    """One 2013 id found in a document, and what it became in 2022."""

    file: str
    line_ref: str
    old_id: str
    new_ids: tuple[str, ...]
    change: str


def from_2013(crosswalk: Crosswalk, control_id: str) -> tuple[str, ...]:
    """The 2022 ids a 2013 Annex A id became (empty when unknown)."""
    key = id_2013(control_id)
    return crosswalk.mappings.get(key, ()) if key else ()


def transition_report(repository: Workspace, crosswalk: Crosswalk) -> list[Transition]:
    """Every 2013-style id the repository's documents still cite, with its 2022 replacement."""
    found = []
    for document in repository.documents:
        for ref in document.controls:
            match = ID_2013.match(ref)
            if match is None:
                continue
            old = match.group(1)
            found.append(
                Transition(
                    document.rel, ref, old, crosswalk.mappings.get(old, ()), crosswalk.changes.get(old, "")
                )
            )
    return found


def shared_with(ref: str) -> list[str]:
    """The controls of other standards that a crosswalk pairs with ``ref`` (``catalog:control``), in both
    directions: where one integrated document serves both. The 2013 to 2022 transition is not a pairing."""
    from toolkit.catalogs import CROSSWALKS, load_crosswalk  # noqa: PLC0415
    from toolkit.resources import controls_dir  # noqa: PLC0415

    catalog_id, _, control_id = ref.partition(":")
    found: list[str] = []
    for path in sorted((controls_dir() / CROSSWALKS).glob("*.yml")):
        crosswalk = load_crosswalk(path.stem)
        if crosswalk.source_catalog == "iso27001-2013":
            continue
        for source, targets in crosswalk.mappings.items():
            if crosswalk.source_catalog == catalog_id and source == control_id:
                found += [f"{crosswalk.target_catalog}:{target}" for target in targets]
            elif crosswalk.target_catalog == catalog_id and control_id in targets:
                found.append(f"{crosswalk.source_catalog}:{source}")
    return sorted(set(found))
