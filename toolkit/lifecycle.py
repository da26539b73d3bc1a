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
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from toolkit.errors import (
    DocumentNotFoundError,
    InvalidApprovalError,
    IsmsError,
    StaleDocumentError,
)
from toolkit.frontmatter import LayoutError, append_to_list, check_editable, set_keys
from toolkit.fsutil import write_atomic
from toolkit.loader import SOA_FILE, split_front_matter
from toolkit.model import Document, Finding, Repository
from toolkit.seal import SEAL_KEY, fingerprint, soa_fingerprint
from toolkit.validation import load_schema
from toolkit.yamlio import parse

BOM = b"\xef\xbb\xbf"
EARLIEST_APPROVAL = dt.date(1900, 1, 1)
# The keys approving a document may write, which must therefore be editable in place.
DOCUMENT_KEYS = ("status", "version", "approver", "approved_on", "effective", "next_review", "changelog")
SOA_KEYS = ("version", "approver", "approved_on")
# A Statement of Applicability version: major.minor (soa.yml's own form, e.g. 1.2) or major.minor.patch.
SOA_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$")


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


@cache
def _version_pattern() -> re.Pattern[str]:
    """The form of a document version, as ``policy.schema.json`` defines it (major.minor.patch)."""
    return re.compile(load_schema("policy")["properties"]["version"]["pattern"])


def _version_key(version: str, pattern: re.Pattern[str] | None = None) -> tuple[tuple[int, str], ...] | None:
    """A sort key for ``version``, or None when it is not of the form. The parts are compared as decimal
    strings (length, then digits; the form has no leading zeros), so a part of any length is safe."""
    match = (pattern or _version_pattern()).match(version)
    if match is None:
        return None
    return tuple((len(part), part) for part in match.groups() if part is not None)


def _increment(digits: str) -> str:
    """``digits`` (a decimal number of any length) plus one, without converting it to an int."""
    head = digits.rstrip("9")
    if not head:
        return "1" + "0" * len(digits)
    return head[:-1] + str(int(head[-1]) + 1) + "0" * (len(digits) - len(head))


def next_version(version: str) -> str:
    """A draft's first approval makes ``1.0.0``; a later approval raises the minor version."""
    match = _version_pattern().match(version)
    if match is None or match.group(1) == "0":
        return "1.0.0"
    return f"{match.group(1)}.{_increment(match.group(2))}.0"


def next_soa_version(version: str | None) -> str:
    """The Statement of Applicability's next version: ``1.0`` at first (from none or ``0.x``), then the
    minor version raised (``1.2`` to ``1.3``; a three-part ``1.2.0`` to ``1.3.0``)."""
    match = SOA_VERSION.match(version or "")
    if match is None or match.group(1) == "0":
        return "1.0" if match is None or match.group(3) is None else "1.0.0"
    patch = "" if match.group(3) is None else ".0"
    return f"{match.group(1)}.{_increment(match.group(2))}{patch}"


def find_document(repository: Repository, ref: str) -> Document:
    """The document whose id is ``ref`` or whose path (relative to the repository or the cwd) is ``ref``."""
    candidates = [Path(ref).resolve(), (repository.root / ref).resolve()]
    for document in repository.documents:
        if document.meta.get("id") == ref or document.path.resolve() in candidates:
            return document
    names = [str(document.meta["id"]) for document in repository.documents if document.meta.get("id")]
    close = difflib.get_close_matches(ref.upper(), names, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise DocumentNotFoundError(f"no document with id or path {ref!r} in {repository.root}{hint}")


def _is_soa(repository: Repository, ref: str) -> bool:
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


def _check_higher(version: str, current: str, pattern: re.Pattern[str], example: str, whose: str) -> None:
    new = _version_key(version, pattern)
    if new is None:
        raise InvalidApprovalError(f"--version: {_clip(version)!r} is not a version such as {example}")
    old = _version_key(current, pattern)
    if old is not None and new <= old:
        raise InvalidApprovalError(
            f"--version: {_clip(version)} is not higher than {whose} version {_clip(current)}"
        )


def _clip(text: str, limit: int = 60) -> str:
    """``text`` shortened for a message (a version may be thousands of digits long)."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


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
        _check_higher(version, document.version, _version_pattern(), "1.2.0", "the document's")
    if effective is not None and effective < on:
        raise InvalidApprovalError(
            f"--effective: {effective.isoformat()} is before the approval date {on.isoformat()}"
        )


# ---- reading and writing a file without losing anyone's change ----------------------------------------


def _lines(text: str) -> list[tuple[str, str]]:
    """``text`` as (content, line ending) pairs; the endings are ``\\r\\n``, ``\\r``, ``\\n`` or ``""``."""
    pieces = re.split(r"(\r\n|\r|\n)", text)
    pairs = list(zip(pieces[0::2], [*pieces[1::2], ""], strict=True))
    return pairs[:-1] if pairs and pairs[-1] == ("", "") else pairs


def _normalised(lines: Sequence[tuple[str, str]]) -> str:
    """The text of ``lines`` with every line ending as ``\\n``, as the loader reads it."""
    return "".join(content + ("\n" if ending else "") for content, ending in lines)


def _with_endings(original: Sequence[tuple[str, str]], edited: str) -> str:
    """``edited`` (LF text) with each line's ending taken from ``original`` (the file as read).

    Unchanged lines keep their own ending, a changed line keeps the ending of the line it replaces, and
    an inserted line takes the ending of the line before it.
    """
    pieces = edited.split("\n")
    new = [(content, index < len(pieces) - 1) for index, content in enumerate(pieces)]
    if new and new[-1] == ("", False):
        new.pop()
    first = next((ending for _content, ending in original if ending), "\n")
    head = 0
    while (
        head < min(len(original), len(new))
        and original[head][0] == new[head][0]
        and bool(original[head][1]) == new[head][1]
    ):
        head += 1
    tail = 0
    while (
        tail < min(len(original), len(new)) - head
        and original[-1 - tail][0] == new[-1 - tail][0]
        and bool(original[-1 - tail][1]) == new[-1 - tail][1]
    ):
        tail += 1
    out = [content + ending for content, ending in original[:head]]
    neighbour = next((ending for _c, ending in reversed(original[:head]) if ending), first)
    middle_old = original[head : len(original) - tail]
    middle_new = new[head : len(new) - tail]
    matcher = difflib.SequenceMatcher(
        None, [content for content, _e in middle_old], [content for content, _n in middle_new], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for offset in range(j2 - j1):
            content, has_ending = middle_new[j1 + offset]
            own = middle_old[i1 + offset][1] if tag in ("equal", "replace") and offset < i2 - i1 else ""
            ending = (own or neighbour) if has_ending else ""
            neighbour = ending or neighbour
            out.append(content + ending)
    out += [content + ending for content, ending in original[len(original) - tail :]]
    return "".join(out)


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _changed(path: Path) -> StaleDocumentError:
    return StaleDocumentError(
        "changed since it was read (another approval or an edit); nothing was written to it. "
        "Run isms approve again",
        path=path,
    )


def _check_writable(path: Path, shown: Path) -> None:
    """Refuse a file without write permission. As root ``os.access`` says every file is writable, so a
    file whose mode has no write bit at all (``chmod 444``) is refused too: someone made it read-only."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise DocumentNotFoundError(f"cannot read the file: {exc.strerror}", path=shown) from exc
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise InvalidApprovalError("is read-only; make it writable first", path=shown)


@dataclass(frozen=True)
class _Edit:
    """One file's approval, computed and checked but not yet written."""

    path: Path  # the file itself, symbolic links resolved
    raw: bytes  # its bytes when read: the write happens only if it still holds them
    new: bytes
    approval: Approval


def _read_for_edit(path: Path, loaded: Callable[[str], bool]) -> tuple[Path, bytes, list[tuple[str, str]]]:
    """The file behind ``path``: its real path, its bytes and lines, after checking that it is writable
    and that ``loaded`` accepts its text (it is still what the repository was loaded from)."""
    real = path.resolve()
    _check_writable(real, path)
    try:
        raw = real.read_bytes()
    except OSError as exc:
        raise DocumentNotFoundError(f"cannot read the file: {exc.strerror}", path=path) from exc
    text = _decode(raw)
    if text is None:
        raise _changed(path)
    lines = _lines(text)
    if not loaded(_normalised(lines)):
        raise _changed(path)
    return real, raw, lines


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (waiting for it) while the block runs.

    A writer replaces the file (a new inode), so after the lock is granted the path is checked to still
    name the locked file; if not, the new file is locked instead. Where ``fcntl`` does not exist
    (Windows) no lock is taken: the re-read before writing still refuses most concurrent changes.
    """
    if sys.platform == "win32":
        yield
        return
    import fcntl  # noqa: PLC0415

    for _attempt in range(1000):
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise StaleDocumentError(f"cannot open the file: {exc.strerror}", path=path) from exc
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            held, now = os.fstat(descriptor), path.stat()
        except OSError:
            os.close(descriptor)
            raise
        if (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino):
            try:
                yield
            finally:
                os.close(descriptor)  # releases the lock
            return
        os.close(descriptor)
    raise _changed(path)


def _write(edit: _Edit, shown: Path) -> Approval:
    """Under the file's lock: write ``edit`` if the file still holds the bytes it was computed from."""
    try:
        with _locked(edit.path):
            if edit.path.read_bytes() != edit.raw:
                raise _changed(shown)
            write_atomic(edit.path, edit.new)
    except OSError as exc:
        raise StaleDocumentError(f"cannot read the file: {exc.strerror}", path=shown) from exc
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

    real, raw, lines = _read_for_edit(document.path, loaded)
    text = _normalised(lines)
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
    new_text = _with_endings(lines, text[:start] + edited + text[start + len(front_matter) :])
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
    repository: Repository, *, by: str, on: dt.date, version: str | None, today: dt.date | None
) -> _Edit:
    path = repository.root / SOA_FILE
    if repository.soa_text is None:
        raise DocumentNotFoundError(f"there is no {SOA_FILE} in {repository.root}")
    if not repository.soa_valid:
        raise InvalidApprovalError("has problems; run isms check and fix them before approving it", path=path)
    _check_common(by, on, today)
    current = repository.soa_meta.get("version")
    old_version = current if isinstance(current, str) else ""
    if version is not None:
        _check_higher(version, old_version, SOA_VERSION, "1.2", f"{SOA_FILE}'s")
    new_version = version or next_soa_version(old_version)
    expected = repository.soa_text
    real, raw, lines = _read_for_edit(path, lambda text: text == expected)
    text = _normalised(lines)
    original, _problem = parse(text)
    if not isinstance(original, dict):  # it was loaded as a valid mapping and has not changed
        raise _changed(path)
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
    new_raw = (BOM if raw.startswith(BOM) else b"") + _with_endings(lines, edited).encode("utf-8")
    approval = Approval(path, SOA_FILE, old_version, new_version, by, on, SOA_FILE, seal)
    return _Edit(real, raw, new_raw, approval)


def approve_soa(
    repository: Repository,
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
    repository: Repository,
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


@dataclass(frozen=True)
class Review:
    """One approved document and when its review is due."""

    document: Document
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def reviews(repository: Repository, today: dt.date, within_days: int) -> list[Review]:
    """Approved documents whose next review is on or before ``today + within_days``, soonest first."""
    found = []
    for document in repository.documents:
        if not document.valid or document.status != "approved":
            continue
        due = document.next_review(repository.review_cycle_months)
        if due is not None and (due - today).days <= within_days:
            found.append(Review(document, due, (due - today).days))
    return sorted(found, key=lambda review: (review.due, review.document.rel))
