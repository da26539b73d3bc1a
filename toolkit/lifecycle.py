"""Document lifecycle: record approvals and list reviews that are due.

:func:`approve` rewrites only the approval keys of one document's front matter and appends a change log
entry; :func:`reviews` lists approved documents whose next review falls within a window.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolkit.errors import DocumentNotFoundError, InvalidApprovalError, IsmsError
from toolkit.frontmatter import append_to_list, set_keys
from toolkit.fsutil import write_atomic
from toolkit.model import Document, Finding
from toolkit.sources.documents import split_front_matter
from toolkit.validation import load_schema
from toolkit.workspace import Workspace
from toolkit.yamlio import parse


@dataclass(frozen=True)
class Approval:
    """What :func:`approve` recorded."""

    path: Path
    document_id: str
    old_version: str
    version: str
    approver: str
    approved_on: dt.date


@cache
def _version_pattern() -> re.Pattern[str]:
    """The form of a document version, as ``policy.schema.json`` defines it (major.minor.patch)."""
    return re.compile(load_schema("policy")["properties"]["version"]["pattern"])


def _version_key(version: str) -> tuple[int, ...] | None:
    match = _version_pattern().match(version)
    return tuple(int(part) for part in match.groups()) if match else None


def next_version(version: str) -> str:
    """A draft's first approval makes ``1.0.0``; a later approval raises the minor version."""
    try:
        major, minor, _patch = (int(part) for part in version.split("."))
    except ValueError:
        return "1.0.0"
    if major == 0:
        return "1.0.0"
    return f"{major}.{minor + 1}.0"


def find_document(repository: Workspace, ref: str) -> Document:
    """The document whose id is ``ref`` or whose path (relative to the repository or the cwd) is ``ref``."""
    candidates = [Path(ref).resolve(), (repository.root / ref).resolve()]
    for document in repository.documents:
        if document.meta.get("id") == ref or document.path.resolve() in candidates:
            return document
    names = [str(document.meta["id"]) for document in repository.documents if document.meta.get("id")]
    close = difflib.get_close_matches(ref.upper(), names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise DocumentNotFoundError(f"no document with id or path {ref!r} in {repository.root}{hint}")


def check_approval(
    document: Document, by: str, on: dt.date, version: str | None, effective: dt.date | None
) -> None:
    """Refuse values that would leave the document failing ``isms check``, before anything is written."""
    if document.status == "retired":
        raise InvalidApprovalError(
            f"{document.id} is retired; set its status back to draft first if it is to come back",
            path=document.path,
        )
    if not by.strip() or "\n" in by:
        raise InvalidApprovalError("--by: give the approver's name or role, on one line")
    if version is not None:
        new = _version_key(version)
        if new is None:
            raise InvalidApprovalError(f"--version: {version!r} is not a version such as 1.2.0")
        old = _version_key(document.version or "")
        if old is not None and new <= old:
            raise InvalidApprovalError(
                f"--version: {version} is not higher than the document's version {document.version}"
            )
    if effective is not None and effective < on:
        raise InvalidApprovalError(
            f"--effective: {effective.isoformat()} is before the approval date {on.isoformat()}"
        )


def approve(
    document: Document,
    *,
    by: str,
    on: dt.date,
    version: str | None = None,
    summary: str | None = None,
    effective: dt.date | None = None,
) -> Approval:
    """Mark ``document`` approved by ``by`` on ``on``: status, approver, approved_on, version, changelog.

    Only those keys change; everything else in the file (comments, order, body) stays byte-identical.
    Raises :class:`InvalidApprovalError` for an empty approver, a version that is not higher than the
    current one, or an effective date before the approval, before anything is written.
    """
    check_approval(document, by, on, version, effective)
    raw = document.path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    crlf = "\r\n" in text
    if crlf:
        text = text.replace("\r\n", "\n")
    parts = split_front_matter(text)
    if isinstance(parts, Finding):
        raise IsmsError(parts.message, path=document.path, line=parts.line)
    front_matter, _body, _line = parts
    start = text.index("\n") + 1
    old_version = document.version or "0.0.0"
    new_version = version or next_version(old_version)
    values: dict[str, object] = {
        "status": "approved",
        "version": new_version,
        "approver": by,
        "approved_on": on.isoformat(),
    }
    if effective is not None:
        values["effective"] = effective.isoformat()
    elif document.meta.get("effective") and str(document.meta["effective"]) < on.isoformat():
        values["effective"] = on.isoformat()  # the old version's date: this version takes effect now
    if "next_review" in document.meta:
        values["next_review"] = None
    try:
        edited = set_keys(front_matter, values)
        entry = {"version": new_version, "date": on.isoformat(), "summary": summary or f"Approved by {by}"}
        edited = append_to_list(edited, "changelog", entry)
    except ValueError as exc:
        raise IsmsError(f"cannot edit the front matter: {exc}", path=document.path) from exc
    _check_edit(edited, new_version, document)
    new_text = text[:start] + edited + text[start + len(front_matter) :]
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    write_atomic(document.path, (b"\xef\xbb\xbf" if bom else b"") + new_text.encode("utf-8"))
    return Approval(document.path, document.id, old_version, new_version, by, on)


def _check_edit(edited: str, new_version: str, document: Document) -> None:
    """Refuse to write an edit that does not read back as intended (an unusual front matter layout)."""
    data, problem = parse(edited)
    changelog = data.get("changelog") if isinstance(data, dict) else None
    if (
        problem is not None
        or not isinstance(data, dict)
        or data.get("status") != "approved"
        or str(data.get("version")) != new_version
        or not isinstance(changelog, list)
        or not isinstance(changelog[-1], dict)
        or str(changelog[-1].get("version")) != new_version
    ):
        raise InvalidApprovalError(
            "cannot record the approval in this front matter's layout; nothing was written. Write the "
            "change log as a block list (one '- version: ...' item per entry) and try again",
            path=document.path,
        )


@dataclass(frozen=True)
class Review:
    """One approved document and when its review is due."""

    document: Document
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def reviews(repository: Workspace, today: dt.date, within_days: int) -> list[Review]:
    """Approved documents whose next review is on or before ``today + within_days``, soonest first."""
    found = []
    for document in repository.documents:
        if not document.valid or document.status != "approved":
            continue
        due = document.next_review(repository.review_cycle_months)
        if due is not None and (due - today).days <= within_days:
            found.append(Review(document, due, (due - today).days))
    return sorted(found, key=lambda review: (review.due, review.document.rel))


@dataclass(frozen=True)
class ReviewReport:
    """The reviews due within a window, as ``isms review`` reports them."""

    checked_on: dt.date
    within_days: int
    reviews: list[Review]

    @property
    def overdue(self) -> int:
        return sum(1 for review in self.reviews if review.overdue)


def review_report(workspace: Workspace, within_days: int) -> ReviewReport:
    """The approved documents of ``workspace`` due for review within ``within_days`` of its date."""
    return ReviewReport(workspace.today, within_days, reviews(workspace, workspace.today, within_days))
