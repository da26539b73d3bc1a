"""``records/acknowledgements/*.csv``: which member of staff acknowledged which version of which document.

Written by ``isms ack import`` (see :mod:`toolkit.acknowledgements`); every ``*.csv`` of the folder is
read, each with the header ``employee_id,document_id,version,date``. Personal data: never published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.sources._staffdata import ACK_DIR, ACK_HEADER, Checker, problem, read_csv


@dataclass
class Acknowledgements:
    """The acknowledgements: for each (document id, major version), who acknowledged it.

    The files are read when first asked for (``isms ack import`` opens the workspace but never counts)."""

    root: Path | None = None
    files: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def exists(self) -> bool:
        return bool(self.files)

    @cached_property
    def _loaded(self) -> tuple[dict[tuple[str, str], set[str]], list[Finding]]:
        acknowledged: dict[tuple[str, str], set[str]] = {}
        findings: list[Finding] = []
        if self.root is None:
            return acknowledged, findings
        checker = Checker()
        majors: dict[str, str] = {}
        for rel in self.files:
            for _line, employee, document, version, _date in records(
                self.root / rel, rel, findings, self.root, checker
            ):
                self.rows += 1
                major = majors.get(version)
                if major is None:
                    major = majors[version] = version.partition(".")[0]
                key = (document, major)
                found = acknowledged.get(key)
                if found is None:
                    found = acknowledged[key] = set()
                found.add(employee)
        return acknowledged, findings

    @property
    def acknowledged(self) -> dict[tuple[str, str], set[str]]:
        return self._loaded[0]

    @property
    def findings(self) -> list[Finding]:
        return self._loaded[1]

    def who(self, document_id: str, major: str) -> set[str]:
        """The employee ids that acknowledged major version ``major`` of ``document_id``."""
        return self.acknowledged.get((document_id, major), set())


def records(
    path: Path, rel: str, findings: list[Finding], root: Path, checker: Checker | None = None
) -> Iterator[tuple[int, str, str, str, dt.date]]:
    """``(line, employee id, document id, version, date)`` for every valid row of one stored file; a
    ``schema`` finding for every other row. Values already seen valid take a fast path."""
    checker = checker or Checker()
    known, documents, versions, dates = checker.known, set(), set(), checker.dates
    for line, cells in read_csv(path, rel, ACK_HEADER, findings, root=root):
        employee, document, version, day = cells
        date = dates.get(day)
        if employee in known and document in documents and version in versions and date is not None:
            yield line, employee, document, version, date
            continue
        employee, document, version, day = (cell.strip() for cell in cells)
        why = checker.employee_problem(employee)
        if why is not None:
            findings.append(problem(rel, line, "employee_id", why))
            continue
        if checker.document.match(document) is None:
            findings.append(problem(rel, line, "document_id", f"{document!r} is not a document id"))
            continue
        documents.add(document)
        if checker.version.match(version) is None:
            findings.append(problem(rel, line, "version", f"{version!r} is not a version like 1.2.0"))
            continue
        versions.add(version)
        date = checker.date(day)
        if date is None:
            findings.append(problem(rel, line, "date", f"{day!r} is not a date in the form YYYY-MM-DD"))
            continue
        yield line, employee, document, version, date


@dataclass(frozen=True)
class AcknowledgementSource:
    """Source kind for the acknowledgement records (row schema ``schemas/acknowledgements.schema.json``)."""

    name: str = "acknowledgements"
    schema: str = "acknowledgements"
    title: str = "records/acknowledgements/*.csv"
    description: str = (
        "Staff acknowledgements of the policies, one CSV row each, written by isms ack import; the table "
        "lists the columns. Personal data: never published."
    )
    order: int = 60
    codes: dict[str, Code] = field(default_factory=dict)

    def load(self, root: Path, loaded: dict[str, Any]) -> Acknowledgements:
        """Every ``*.csv`` of ``records/acknowledgements/`` (none when the folder is missing)."""
        result = Acknowledgements(root)
        folder = root / ACK_DIR
        if folder.is_dir():
            names = sorted(path.name for path in folder.glob("*.csv") if not path.name.startswith("."))
            result.files = [f"{ACK_DIR}/{name}" for name in names]
        return result

    def files(self, loaded: Any) -> list[str]:
        return [f"{ACK_DIR}/*.csv"]

    def meta_of(self, text: str) -> dict[str, Any]:
        return {}


KIND = AcknowledgementSource()
