"""Document lifecycle: record approvals and list reviews that are due.

:func:`approve_documents` is what ``isms approve`` runs: it checks every document named (or every draft)
first and writes only when all can be approved. :func:`approve` rewrites only the approval keys of one
document's front matter, appends a change log entry and records the approval seal
(:mod:`toolkit.seal`); :func:`approve_soa` does the same for ``soa.yml``. Every write happens under an
exclusive lock on the file and only when the file still holds the bytes it was read from, so two
approvals at once, or an edit made meanwhile, are refused rather than lost. :func:`reviews` lists
approved documents whose next review falls within a window.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.editing import normalised, read_for_edit, stale, with_endings, write_if_unchanged
from toolkit.errors import (
    DocumentNotFoundError,
    InvalidApprovalError,
    IsmsError,
)
from toolkit.frontmatter import LayoutError, append_to_list, check_editable, set_keys
from toolkit.model import Document, Finding
from toolkit.seal import SEAL_KEY, fingerprint, soa_fingerprint
from toolkit.sources.documents import split_front_matter
from toolkit.sources.soa import SOA_FILE
from toolkit.versions import SOA_VERSION, check_higher, next_soa_version, next_version, version_pattern
from toolkit.workspace import Workspace
from toolkit.yamlio import parse

BOM = b"\xef\xbb\xbf"
EARLIEST_APPROVAL = dt.date(1900, 1, 1)
# The keys approving a document may write, which must therefore be editable in place.
DOCUMENT_KEYS = ("status", "version", "approver", "approved_on", "effective", "next_review", "changelog")
SOA_KEYS = ("version", "approver", "approved_on")


@dataclass(frozen=True)
class Approval:
    """What :func:`approve` or :func:`approve_soa` recorded."""

    path: Path
    document_id: str
    old_version: str
    version: str
    approver: str
    approved_on: dt.date
    rel: str = ""
    seal: str = ""


@dataclass(frozen=True)
class ApprovalRun:
    """What :func:`approve_documents` did.

    ``approved`` lists the approvals written, in order; ``skipped`` the documents ``--all-drafts`` passed
    over because their front matter has problems. ``failed`` is the error that stopped the run part-way
    (a file changed or could not be written after the checks passed): the approvals before it stand.
    """

    approved: list[Approval] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: IsmsError | None = None


def find_document(repository: Workspace, ref: str) -> Document:
    """The document whose id is ``ref`` or whose path (relative to the repository or the cwd) is ``ref``."""
    candidates = [Path(ref).resolve(), (repository.root / ref).resolve()]
    for document in repository.documents:
        if document.meta.get("id") == ref or document.path.resolve() in candidates:
            return document
    names = [str(document.meta["id"]) for document in repository.documents if document.meta.get("id")]
    close = difflib.get_close_matches(ref.upper(), names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    unread = [document.rel for document in repository.documents if not document.meta]
    if unread:  # its id may be in a front matter that could not be read
        listed = ", ".join(unread)
        hint += f" (front matter problems keep these from being searched: {listed}; run isms check)"
    raise DocumentNotFoundError(f"no document with id or path {ref!r} in {repository.root}{hint}")


def _is_soa(repository: Workspace, ref: str) -> bool:
    soa = (repository.root / SOA_FILE).resolve()
    return ref == SOA_FILE or soa in (Path(ref).resolve(), (repository.root / ref).resolve())


def _check_common(by: str, on: dt.date, today: dt.date | None) -> None:
    if not by.strip() or "\n" in by or "\r" in by:
        raise InvalidApprovalError("--by: give the approver's name or role, on one line")
    if on > (today or dt.date.today()):
        raise InvalidApprovalError(
            f"--on: {on.isoformat()} is in the future; give the date the approval was given"
        )
    if on < EARLIEST_APPROVAL:
        raise InvalidApprovalError(
            f"--on: {on.isoformat()} is before 1900; give the date the approval was given"
        )


def check_approval(
    document: Document,
    by: str,
    on: dt.date,
    version: str | None,
    effective: dt.date | None,
    *,
    today: dt.date | None = None,
) -> None:
    """Refuse values that would leave the document failing ``isms check``, before anything is written.

    ``on`` must not be after ``today`` (default: the real today) nor before 1900.
    """
    if document.status == "retired":
        raise InvalidApprovalError(
            f"{document.id} is retired; set its status back to draft first if it is to come back",
            path=document.path,
        )
    _check_common(by, on, today)
    if version is not None:
        check_higher(version, document.version, version_pattern(), "1.2.0", "the document's")
    if effective is not None and effective < on:
        raise InvalidApprovalError(
            f"--effective: {effective.isoformat()} is before the approval date {on.isoformat()}"
        )


@dataclass(frozen=True)
class _Edit:
    """One file's approval, computed and checked but not yet written."""

    path: Path  # the file itself, symbolic links resolved
    raw: bytes  # its bytes when read: the write happens only if it still holds them
    new: bytes
    approval: Approval


def _write(edit: _Edit, shown: Path) -> Approval:
    """Under the file's lock: write ``edit`` if the file still holds the bytes it was computed from."""
    write_if_unchanged(edit.path, edit.raw, edit.new, shown)
    return edit.approval


def _layout_error(exc: LayoutError, path: Path, what: str, line_offset: int) -> InvalidApprovalError:
    reason = f"{what} is {exc}" if str(exc).startswith("written") else str(exc)
    return InvalidApprovalError(
        f"cannot record the approval (nothing was written): {reason}", path=path, line=exc.line + line_offset
    )


# ---- documents --------------------------------------------------------------------------------------


def _plan_document(
    document: Document,
    *,
    by: str,
    on: dt.date,
    version: str | None,
    summary: str | None,
    effective: dt.date | None,
) -> _Edit:
    def loaded(text: str) -> bool:
        parts = split_front_matter(text)
        return isinstance(parts, tuple) and parts[:2] == (document.front_matter, document.body)

    real, raw, lines = read_for_edit(document.path, loaded)
    text = normalised(lines)
    parts = split_front_matter(text)
    if isinstance(parts, Finding):  # loaded() accepted it, so this cannot happen; keep mypy honest
        raise IsmsError(parts.message, path=document.path, line=parts.line)
    front_matter, body, _line = parts
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
    seal = fingerprint(document.meta, body)
    try:
        check_editable(front_matter, [*DOCUMENT_KEYS, SEAL_KEY])
        edited = set_keys(front_matter, values)
        entry = {"version": new_version, "date": on.isoformat(), "summary": summary or f"Approved by {by}"}
        edited = append_to_list(edited, "changelog", entry)
        edited = set_keys(edited, {SEAL_KEY: seal})
    except LayoutError as exc:
        raise _layout_error(exc, document.path, "the front matter", 1) from exc
    except ValueError as exc:
        raise IsmsError(f"cannot edit the front matter: {exc}", path=document.path) from exc
    _check_edit(edited, new_version, document)
    data, _problem = parse(edited)
    if not isinstance(data, dict) or data.get(SEAL_KEY) != seal or fingerprint(data, body) != seal:
        raise InvalidApprovalError(
            "cannot record the approval seal in this front matter's layout; nothing was written",
            path=document.path,
        )
    new_text = with_endings(lines, text[:start] + edited + text[start + len(front_matter) :])
    new_raw = (BOM if raw.startswith(BOM) else b"") + new_text.encode("utf-8")
    approval = Approval(document.path, document.id, old_version, new_version, by, on, document.rel, seal)
    return _Edit(real, raw, new_raw, approval)


def approve(
    document: Document,
    *,
    by: str,
    on: dt.date,
    version: str | None = None,
    summary: str | None = None,
    effective: dt.date | None = None,
    today: dt.date | None = None,
) -> Approval:
    """Mark ``document`` approved by ``by`` on ``on``: status, approver, approved_on, version, changelog,
    and the approval seal (:func:`toolkit.seal.fingerprint` of what was approved).

    Only those keys change; every other byte of the file (comments, order, body, each line's own line
    ending, a byte order mark) stays as it was. Raises :class:`InvalidApprovalError` (nothing written)
    for an empty approver, a date in the future or before 1900, a version that is not higher than the
    current one, an effective date before the approval, a read-only file, or a front matter that cannot
    be edited in place (a flow mapping or JSON, a lifecycle key given as a YAML alias or anchor); and
    :class:`StaleDocumentError` when the file no longer holds what ``document`` was loaded from, or
    changes before the write (the write happens under an exclusive lock on the file).
    """
    check_approval(document, by, on, version, effective, today=today)
    edit = _plan_document(document, by=by, on=on, version=version, summary=summary, effective=effective)
    return _write(edit, document.path)


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


# ---- soa.yml ----------------------------------------------------------------------------------------


def _plan_soa(
    repository: Workspace, *, by: str, on: dt.date, version: str | None, today: dt.date | None
) -> _Edit:
    path = repository.root / SOA_FILE
    source = repository.soa_file
    if source.text is None:
        raise DocumentNotFoundError(f"there is no {SOA_FILE} in {repository.root}")
    if not source.valid:
        raise InvalidApprovalError("has problems; run isms check and fix them before approving it", path=path)
    _check_common(by, on, today)
    current = source.data.get("version")
    old_version = current if isinstance(current, str) else ""
    if version is not None:
        check_higher(version, old_version, SOA_VERSION, "1.2", f"{SOA_FILE}'s")
    new_version = version or next_soa_version(old_version)
    expected = source.text
    real, raw, lines = read_for_edit(path, lambda text: text == expected)
    text = normalised(lines)
    original, _problem = parse(text)
    if not isinstance(original, dict):  # it was loaded as a valid mapping and has not changed
        raise stale(path)
    seal = soa_fingerprint(original)
    try:
        check_editable(text, [*SOA_KEYS, SEAL_KEY])
        edited = set_keys(text, {"version": new_version, "approver": by, "approved_on": on.isoformat()})
        edited = set_keys(edited, {SEAL_KEY: seal})
    except LayoutError as exc:
        raise _layout_error(exc, path, SOA_FILE, 0) from exc
    except ValueError as exc:
        raise IsmsError(f"cannot edit {SOA_FILE}: {exc}", path=path) from exc
    data, problem = parse(edited)
    if (
        problem is not None
        or not isinstance(data, dict)
        or data.get("version") != new_version
        or data.get("approver") != by
        or data.get("approved_on") != on.isoformat()
        or data.get(SEAL_KEY) != seal
        or soa_fingerprint(data) != seal
    ):
        raise InvalidApprovalError(
            f"cannot record the approval in this {SOA_FILE} layout; nothing was written", path=path
        )
    new_raw = (BOM if raw.startswith(BOM) else b"") + with_endings(lines, edited).encode("utf-8")
    approval = Approval(path, SOA_FILE, old_version, new_version, by, on, SOA_FILE, seal)
    return _Edit(real, raw, new_raw, approval)


def approve_soa(
    repository: Workspace,
    *,
    by: str,
    on: dt.date,
    version: str | None = None,
    today: dt.date | None = None,
) -> Approval:
    """Record the approval of ``soa.yml``: approver, approved_on, version (``1.0`` at first, then the
    minor version raised) and the approval seal (:func:`toolkit.seal.soa_fingerprint`), editing the file
    in place as :func:`approve` edits a document. The same refusals apply."""
    return _write(
        _plan_soa(repository, by=by, on=on, version=version, today=today), repository.root / SOA_FILE
    )


# ---- a whole run ------------------------------------------------------------------------------------


def approve_documents(
    repository: Workspace,
    refs: Sequence[str],
    *,
    all_drafts: bool = False,
    by: str,
    on: dt.date | None = None,
    version: str | None = None,
    summary: str | None = None,
    effective: dt.date | None = None,
    today: dt.date | None = None,
) -> ApprovalRun:
    """Approve the documents ``refs`` (ids or paths; ``soa.yml`` for the Statement of Applicability), or
    with ``all_drafts`` every valid draft, as ``isms approve`` does.

    Every document is found, checked and its edit computed first; if any is refused, an
    :class:`IsmsError` is raised and nothing is written. Then each file is written in turn, under its
    lock and only if it still holds the bytes that were checked; an error at that stage stops the run
    and is returned in :attr:`ApprovalRun.failed` beside the approvals already written. ``on`` defaults
    to ``today``, which defaults to the real date.
    """
    if bool(refs) == all_drafts:
        raise InvalidApprovalError("name the documents to approve, or give --all-drafts (not both)")
    if version is not None and (all_drafts or len(refs) > 1):
        raise InvalidApprovalError("--version applies to one document at a time")
    day = today or dt.date.today()
    on = on or day
    skipped: list[str] = []
    targets: list[Document | None] = []  # None stands for soa.yml
    if all_drafts:
        targets += [
            document for document in repository.documents if document.valid and document.status == "draft"
        ]
        skipped = [document.rel for document in repository.documents if not document.valid]
    else:
        for ref in refs:
            found = None if _is_soa(repository, ref) else find_document(repository, ref)
            if all(found is not target for target in targets):
                targets.append(found)
    edits: list[_Edit] = []
    for target in targets:
        if target is None:
            if effective is not None or summary is not None:
                option = "--effective" if effective is not None else "--summary"
                raise InvalidApprovalError(f"{option} does not apply to {SOA_FILE} (it has no change log)")
            edits.append(_plan_soa(repository, by=by, on=on, version=version, today=day))
            continue
        if not target.valid:
            raise DocumentNotFoundError(f"{target.rel} has front matter problems; run isms check first")
        check_approval(target, by, on, version, effective, today=day)
        edits.append(
            _plan_document(target, by=by, on=on, version=version, summary=summary, effective=effective)
        )
    run = ApprovalRun(skipped=skipped)
    for edit in edits:
        try:
            run.approved.append(_write(edit, edit.approval.path))
        except IsmsError as exc:
            return ApprovalRun(run.approved, skipped, exc)
    return run
