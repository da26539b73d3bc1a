"""The workspace: one opened policy repository, from which every command and the handbook start.

:func:`open_workspace` loads every source kind of :mod:`toolkit.sources` (configuration, catalogs, SoA,
documents, ...) once, turning every unreadable input into a finding; scope and coverage are computed once,
when first asked for. ``isms check``, ``isms soa``, the lifecycle commands and the MkDocs plugin all read
the repository through it, so they can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit import sources
from toolkit.catalogs import Catalog
from toolkit.coverage import ReferenceIndex, compute_coverage, in_scope_catalogs, reference_index
from toolkit.errors import NotARepositoryError
from toolkit.model import Coverage, Document, Finding, SoaEntry
from toolkit.sources.base import SourceFile
from toolkit.sources.config import CONFIG_FILE

if TYPE_CHECKING:
    from toolkit.chain import Reason


def find_root(start: Path | str) -> Path:
    """The nearest folder from ``start`` upwards that holds ``isms.yml`` (``start`` itself if none does)."""
    start = Path(start)
    for folder in (start, *start.resolve().parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return start


def open_workspace(root: Path | str, *, today: dt.date | None = None) -> Workspace:
    """Open the policy repository at ``root``.

    :param root: the repository's folder (the one holding ``isms.yml``).
    :param today: the date the repository is judged on (documents in force, reviews due); default today.
    :raises NotARepositoryError: ``root`` is not a folder or has no ``isms.yml``. Every other problem
        (bad YAML, schema violations, unreadable files, invalid catalogs) becomes a :class:`Finding`.
    """
    root = Path(root)
    if not root.is_dir():
        raise NotARepositoryError("not a folder", path=root)
    config = root / CONFIG_FILE
    if not (config.exists() or config.is_symlink()):
        raise NotARepositoryError(
            f"not a policy repository: {CONFIG_FILE} not found (run 'isms init' to create one)", path=root
        )
    loaded: dict[str, Any] = {}
    for kind in sources.kinds():
        loaded[kind.name] = kind.load(root, loaded)
    return Workspace(root, today or dt.date.today(), loaded)


@dataclass
class Workspace:
    """A loaded repository: each source kind's files by kind name, the catalogs, and derived views."""

    root: Path
    today: dt.date
    loaded: dict[str, Any]

    def source(self, name: str) -> Any:
        """What the source kind ``name`` loaded (a :class:`SourceFile` for a one-file YAML kind)."""
        return self.loaded[name]

    def entries(self, name: str) -> list[Any]:
        """The entries of the one-file kind ``name`` (a register): none when its file is missing."""
        entries = getattr(self.loaded.get(name), "entries", None)
        return list(entries) if isinstance(entries, list) else []

    @property
    def findings(self) -> list[Finding]:
        """Every finding met while loading, kind by kind."""
        return [finding for loaded in self.loaded.values() for finding in loaded.findings]

    @property
    def config_file(self) -> SourceFile:
        config: SourceFile = self.loaded["config"]
        return config

    @property
    def config(self) -> dict[str, Any]:
        """``isms.yml`` as data (``{}`` when it does not parse)."""
        return self.config_file.data

    @property
    def soa_file(self) -> SourceFile:
        soa: SourceFile = self.loaded["soa"]
        return soa

    @property
    def soa(self) -> dict[str, SoaEntry]:
        """The decisions of ``soa.yml`` by control reference."""
        entries: dict[str, SoaEntry] = self.soa_file.entries
        return entries

    @property
    def documents(self) -> list[Document]:
        documents: list[Document] = self.loaded["documents"].documents
        return documents

    @property
    def catalogs(self) -> dict[str, Catalog]:
        """The built-in catalogs and the repository's own, by id."""
        catalogs: dict[str, Catalog] = self.loaded["catalogs"].catalogs
        return catalogs

    @property
    def frameworks(self) -> list[str]:
        names = self.config.get("frameworks") or []
        return [str(name) for name in names] if isinstance(names, list) else []

    @property
    def review_cycle_months(self) -> int:
        parameters = self.config.get("parameters") or {}
        cycle = parameters.get("review_cycle_months") if isinstance(parameters, dict) else None
        return cycle if isinstance(cycle, int) else 12

    @property
    def name(self) -> str:
        organisation = self.config.get("organisation") or {}
        if isinstance(organisation, dict):
            return str(organisation.get("short_name") or organisation.get("name") or self.root.name)
        return self.root.name

    @cached_property
    def in_scope(self) -> list[str]:
        """Ids of the usable catalogs in scope: the known frameworks of isms.yml and their companions."""
        return in_scope_catalogs(self.frameworks, self.catalogs)

    @cached_property
    def references(self) -> ReferenceIndex:
        """Which documents name each control, in force or pending, on :attr:`today`."""
        return reference_index(self.documents, self.today)

    @cached_property
    def reasons(self) -> dict[str, list[Reason]]:
        """Each control's reasons for inclusion in the SoA, from the registers and soa.yml, computed once."""
        from toolkit.chain import soa_reasons  # noqa: PLC0415 - chain reads this module's Workspace

        return soa_reasons(self)

    @cached_property
    def coverage(self) -> dict[str, Coverage]:
        """Coverage of every catalog in scope, computed once."""
        return {
            catalog_id: compute_coverage(
                self.catalogs[catalog_id], self.soa, self.soa_file.valid, self.references
            )
            for catalog_id in self.in_scope
        }
