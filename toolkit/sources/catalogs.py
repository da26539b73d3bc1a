"""``controls/*.yml``: a repository's own control catalogs, beside the ones the toolkit ships."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.catalogs import Catalog, load_catalog, load_catalogs
from toolkit.codes import Code
from toolkit.errors import CatalogError
from toolkit.model import Finding
from toolkit.sources.base import mapping_of

LOCAL_CATALOGS = "controls"


@dataclass
class CatalogSet:
    """Every usable catalog by id (built-in first, then the repository's own) and the load findings."""

    catalogs: dict[str, Catalog]
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class CatalogSource:
    """Source kind for catalog files in the repository's ``controls/`` folder."""

    name: str = "catalogs"
    schema: str = "catalog"
    title: str = "Control catalog"
    description: str = "A catalog file in controls/, built in or your own."
    order: int = 30
    codes: dict[str, Code] = field(
        default_factory=lambda: {
            "catalog-invalid": Code(
                "error", "A catalog in the repository's controls/ folder is invalid or reuses a built-in id."
            )
        }
    )

    def load(self, root: Path, loaded: dict[str, Any]) -> CatalogSet:
        """The built-in catalogs plus the repository's own; problems become findings."""
        result = CatalogSet(dict(load_catalogs()))
        folder = root / LOCAL_CATALOGS
        if not folder.is_dir():
            return result
        catalogs = result.catalogs
        for path in sorted(folder.glob("*.yml")):
            rel = path.relative_to(root).as_posix()
            try:
                catalog = load_catalog(path)
            except CatalogError as exc:
                result.findings.append(Finding(rel, exc.line, "catalog-invalid", "error", exc.message))
                catalog_id = exc.catalog_id
                if (
                    catalog_id and catalog_id not in catalogs
                ):  # known but unusable: no unknown-control cascade
                    catalogs[catalog_id] = Catalog(catalog_id, catalog_id, "invalid", "", "", {}, (), {})
                continue
            if catalog.id in catalogs:
                message = f"catalog id {catalog.id} is already used by another catalog; choose another id"
                result.findings.append(Finding(rel, 1, "catalog-invalid", "error", message, "id"))
                continue
            catalogs[catalog.id] = catalog
        return result

    def files(self, loaded: Any) -> list[str]:
        """The repository's catalog files."""
        return [f"{LOCAL_CATALOGS}/*.yml"]

    def meta_of(self, text: str) -> dict[str, Any]:
        """A catalog file's data."""
        return mapping_of(text)


KIND = CatalogSource()
