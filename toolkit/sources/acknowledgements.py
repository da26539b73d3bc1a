"""``records/acknowledgements/*.csv``: which member of staff acknowledged which version of which document.

Written by ``isms ack import`` (see :mod:`toolkit.acknowledgements`); every ``*.csv`` of the folder is
read, each with the header ``employee_id,document_id,version,date``. Personal data: never published.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.sources._staffdata import ACK_DIR, ACK_HEADER, Checker, problem, read_csv


@dataclass
class Acknowledgements:
    """The acknowledgements as loaded: for each (document id, major version), who acknowledged it."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    acknowledged: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    rows: int = 0

    @property
    def exists(self) -> bool:
        return bool(self.files)

    def who(self, document_id: str, major: str) -> set[str]:
        """The employee ids that acknowledged major version ``major`` of ``document_id``."""
        return self.acknowledged.get((document_id, major), set())


def records(
    path: Path, rel: str, findings: list[Finding], root: Path, checker: Checker | None = None
) -> Iterator[tuple[int, str, str, str, dt.date]]:
    """``(line, employee id, document id, version, date)`` for every valid row of one stored file; a
    ``schema`` finding for every other row."""
    checker = checker or Checker()
    versions: dict[str, bool] = {}
    documents: dict[str, bool] = {}
    for line, cells in read_csv(path, rel, ACK_HEADER, findings, root=root):
        employee, document, version, day = (cell.strip() for cell in cells)
        why = checker.employee_problem(employee)
        if why is not None:
            findings.append(problem(rel, line, "employee_id", why))
            continue
        if document not in documents:
            documents[document] = checker.document.match(document) is not None
        if not documents[document]:
            findings.append(problem(rel, line, "document_id", f"{document!r} is not a document id"))
            continue
        if version not in versions:
            versions[version] = checker.version.match(version) is not None
        if not versions[version]:
            findings.append(problem(rel, line, "version", f"{version!r} is not a version like 1.2.0"))
            continue
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
        result = Acknowledgements()
        folder = root / ACK_DIR
        if not folder.is_dir():
            return result
        checker = Checker()
        for path in sorted(folder.glob("*.csv")):
            if path.name.startswith("."):
                continue
            rel = f"{ACK_DIR}/{path.name}"
            result.files.append(rel)
            for _line, employee, document, version, _date in records(
                path, rel, result.findings, root, checker
            ):
                result.rows += 1
                major = version.partition(".")[0]
                result.acknowledged.setdefault((document, major), set()).add(employee)
        return result

    def files(self, loaded: Any) -> list[str]:
        return [f"{ACK_DIR}/*.csv"]

    def meta_of(self, text: str) -> dict[str, Any]:
        return {}


KIND = AcknowledgementSource()
