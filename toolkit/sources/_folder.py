"""A source kind that is a folder of YAML files, one record each (``records/audits/*.yml``).

Each file is read like any one-file source (:func:`toolkit.sources.base.read_text`: a link leading outside
the repository, a FIFO, socket or device, bytes that are not UTF-8, YAML over the size and depth limits are
findings, never read or parsed) and checked against the kind's schema. Only the folder's own ``*.yml`` and
``*.yaml`` files are records: sub-folders are not walked, and a file whose name starts with ``_`` or ``.``
is skipped, so ``_example.yml`` can sit beside the records as a template. A folder that does not exist
holds no records; a folder that is a link leading outside the repository is a finding and is not read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.sources.base import SourceFile, inside, mapping_of, parse_mapping, read_text

SUFFIXES = (".yml", ".yaml")


def is_record(name: str) -> bool:
    """True when a file named ``name`` in a records folder is a record (not a template or hidden)."""
    return name.endswith(SUFFIXES) and not name.startswith(("_", "."))


@dataclass
class SourceFolder:
    """A folder of records as loaded: each file (a :class:`SourceFile` whose ``entries`` is its one typed
    record), and the folder's own findings."""

    kind: str
    rel: str
    files: list[SourceFile] = field(default_factory=list)
    own_findings: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        """The folder's findings, then each file's."""
        return [*self.own_findings, *(finding for file in self.files for finding in file.findings)]

    @property
    def entries(self) -> list[Any]:
        """Each readable file's record, in file name order."""
        return [file.entries for file in self.files if file.entries is not None]

    def file(self, rel: str) -> SourceFile | None:
        """The loaded file ``rel``, or None."""
        return next((file for file in self.files if file.rel == rel), None)


@dataclass(frozen=True)
class YamlFolderSource:
    """A source kind that is a folder of YAML files at a fixed path, one record per file.

    :param entry: builds the typed record from a file's path and data (called for every file that parses
        as a mapping, valid or not).
    """

    name: str
    folder: str
    schema: str
    title: str
    description: str
    entry: Callable[[str, dict[str, Any]], Any]
    order: int = 60
    codes: dict[str, Code] = field(default_factory=dict)

    def load(self, root: Path, loaded: dict[str, Any]) -> SourceFolder:
        """Every record file of the folder, in name order."""
        result = SourceFolder(self.name, self.folder)
        folder = root / self.folder
        if not (folder.exists() or folder.is_symlink()):
            return result
        if not inside(folder, root):
            message = "a link to a folder outside the repository; it is not read: keep the records here"
            result.own_findings.append(
                Finding(self.folder, None, "file-outside-repository", "error", message)
            )
            return result
        try:
            names = sorted(entry.name for entry in os.scandir(folder) if is_record(entry.name))
        except OSError as exc:
            message = f"cannot read the folder: {exc.strerror}"
            result.own_findings.append(Finding(self.folder, None, "file-unreadable", "error", message))
            return result
        for name in names:
            path, rel = folder / name, f"{self.folder}/{name}"
            if path.is_dir():
                continue
            source = SourceFile(self.name, rel, path)
            text = read_text(path, rel, source.findings, root=root)
            source.text = text or ""
            if text is not None:
                source.data, source.valid = parse_mapping(text, rel, self.schema, source.findings)
                if source.data:
                    source.entries = self.entry(rel, source.data)
            result.files.append(source)
        return result

    def files(self, loaded: Any) -> list[str]:
        """The folder's record files, as git globs (templates starting with ``_`` left out)."""
        return [f"{self.folder}/[!_.]*{suffix}" for suffix in SUFFIXES]

    def meta_of(self, text: str) -> dict[str, Any]:
        """A record file's data from its text."""
        return mapping_of(text)
