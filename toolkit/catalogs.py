"""Control catalogs: ISO/IEC 27001:2022 Annex A, the clause 4-10 documents, and crosswalks.

Catalogs are YAML files in ``controls/`` (see ``schemas/catalog.schema.json``). They are facts plus our
own summaries, and they drive the check, the Statement of Applicability and the handbook alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from toolkit.errors import CatalogError
from toolkit.fsutil import read_regular_text
from toolkit.resources import controls_dir
from toolkit.validation import validator
from toolkit.yamlio import locate, read_mapping

CROSSWALKS = "crosswalks"


@dataclass(frozen=True)
class Control:
    """One catalog entry: a control, or a clause's required documented information."""

    catalog: str
    id: str
    title: str
    theme: str
    summary: str
    satisfied_by: str | None = None

    @property
    def ref(self) -> str:
        """The namespaced reference used in documents: ``iso27001-2022:A.7.7``."""
        return f"{self.catalog}:{self.id}"


@dataclass(frozen=True)
class Catalog:
    """A catalog: its id, title, kind and controls in catalog order."""

    id: str
    title: str
    kind: str
    version: str
    source: str
    themes: dict[str, str]
    companions: tuple[str, ...]
    controls: dict[str, Control] = field(repr=False)

    def __iter__(self) -> Iterator[Control]:
        return iter(self.controls.values())

    def __len__(self) -> int:
        return len(self.controls)

    def get(self, control_id: str) -> Control | None:
        """The control with this id, or None."""
        return self.controls.get(control_id)


@dataclass(frozen=True)
class Crosswalk:
    """A mapping from one catalog's ids to another's (e.g. 2013 Annex A to 2022 Annex A)."""

    id: str
    source_catalog: str
    target_catalog: str
    mappings: dict[str, tuple[str, ...]]
    titles: dict[str, str]
    changes: dict[str, str]
    new_in_target: tuple[str, ...]


def _validate(path: Path, data: dict[str, object], schema: str, text: str | None = None) -> dict[str, object]:
    """``data`` when it matches ``schema``; else a :class:`CatalogError` at the first violation's line.

    ``text`` is the file as read (so that it is read once); without it the file is read for the line."""
    for violation in validator(schema).violations(data):
        if text is None:
            try:
                text = read_regular_text(path)
            except (OSError, UnicodeDecodeError):
                text = ""  # the line is a nicety: report the violation without it
        line = locate(text, violation.path) if text else None
        error = CatalogError(f"{violation.field}: {violation.message}", path=path, line=line)
        catalog_id = data.get("id")
        error.catalog_id = catalog_id if isinstance(catalog_id, str) else None
        raise error
    return data


def load_catalog(path: Path, data: dict[str, object] | None = None) -> Catalog:
    """Read and validate one catalog file; raises :class:`CatalogError` when it is invalid.

    A catalog that is not a regular file (a FIFO, a device) is refused, not read."""
    text = None
    if data is None:
        data, text = read_mapping(path, CatalogError, "catalog")
    data = _validate(path, data, "catalog", text)
    catalog_id = str(data["id"])
    controls: dict[str, Control] = {}
    for entry in data["controls"]:  # type: ignore[attr-defined]
        control = Control(
            catalog=catalog_id,
            id=entry["id"],
            title=entry["title"],
            theme=entry["theme"],
            summary=entry["summary"],
            satisfied_by=entry.get("satisfied_by"),
        )
        if control.id in controls:
            raise CatalogError(f"duplicate control id {control.id}", path=path)
        controls[control.id] = control
    themes = {str(k): str(v) for k, v in dict(data.get("themes") or {}).items()}  # type: ignore[call-overload]
    return Catalog(
        id=catalog_id,
        title=str(data["title"]),
        kind=str(data["kind"]),
        version=str(data.get("version", "")),
        source=str(data.get("source", "")),
        themes=themes,
        companions=tuple(data.get("companions") or ()),  # type: ignore[arg-type]
        controls=controls,
    )


@cache
def load_catalogs(folder: Path | None = None) -> dict[str, Catalog]:
    """Every catalog in ``folder`` (default: the toolkit's ``controls/``), keyed by id, sorted by id."""
    root = folder or controls_dir()
    catalogs: dict[str, Catalog] = {}
    for path in sorted(root.glob("*.yml")):
        catalog = load_catalog(path)
        if catalog.id in catalogs:
            raise CatalogError(f"duplicate catalog id {catalog.id}", path=path)
        catalogs[catalog.id] = catalog
    return dict(sorted(catalogs.items()))


@cache
def load_crosswalk(crosswalk_id: str, folder: Path | None = None) -> Crosswalk:
    """The crosswalk ``controls/crosswalks/<crosswalk_id>.yml``."""
    path = (folder or controls_dir() / CROSSWALKS) / f"{crosswalk_id}.yml"
    parsed, text = read_mapping(path, CatalogError, "crosswalk")
    data = _validate(path, parsed, "crosswalk", text)
    mappings: dict[str, tuple[str, ...]] = {}
    titles: dict[str, str] = {}
    changes: dict[str, str] = {}
    for entry in data["mappings"]:  # type: ignore[attr-defined]
        mappings[entry["from"]] = tuple(entry["to"])
        titles[entry["from"]] = entry.get("title", "")
        changes[entry["from"]] = entry.get("change", "")
    return Crosswalk(
        id=str(data["id"]),
        source_catalog=str(data["from"]),
        target_catalog=str(data["to"]),
        mappings=mappings,
        titles=titles,
        changes=changes,
        new_in_target=tuple(data.get("new_in_2022") or ()),  # type: ignore[arg-type]
    )


def scope_catalogs(frameworks: list[str], catalogs: dict[str, Catalog]) -> list[str]:
    """The catalog ids in scope: the frameworks named in isms.yml plus their companions, in order."""
    ordered: list[str] = []
    for name in frameworks:
        for catalog_id in (name, *(catalogs[name].companions if name in catalogs else ())):
            if catalog_id not in ordered:
                ordered.append(catalog_id)
    return ordered


def resolve(ref: str, catalogs: dict[str, Catalog]) -> str | None:
    """None when ``ref`` (``catalog:control``) names a known control, else a plain reason why it does not."""
    catalog_id, _, control_id = ref.partition(":")
    catalog = catalogs.get(catalog_id)
    if catalog_id == "iso27001-2013":
        return (
            f"{ref} is an ISO/IEC 27001:2013 id; cite the 2022 control instead "
            f"(see 'isms controls --from-2013 {control_id}' and 'isms controls transition')"
        )
    if catalog is None:
        return f"unknown control {ref}: no catalog {catalog_id!r} (known: {', '.join(catalogs)})"
    if catalog.get(control_id) is not None or catalog.kind == "invalid":
        return None
    hint = ""
    if catalog_id.startswith("iso27001-2022") and control_id.count(".") >= 3:
        hint = f"; this looks like a 2013 id, see 'isms controls --from-2013 {control_id}'"
    else:
        import difflib  # noqa: PLC0415 - only when a reference is wrong

        close = difflib.get_close_matches(control_id, list(catalog.controls), n=1)
        hint = f"; did you mean {catalog_id}:{close[0]}?" if close else ""
    return f"unknown control {ref}: {catalog_id} has no control {control_id!r}{hint}"
