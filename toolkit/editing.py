"""Rewriting a file without losing anyone's change: an exclusive lock, a re-read, each line's own ending.

Used by ``isms approve`` and ``isms soa status``: a file is read, its edit computed, and the edit written
only under an exclusive lock and only if the file still holds the bytes it was computed from; lines keep
their own endings.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from toolkit.errors import DocumentNotFoundError, InvalidApprovalError, StaleDocumentError
from toolkit.fsutil import write_atomic


def lines_of(text: str) -> list[tuple[str, str]]:
    """``text`` as (content, line ending) pairs; the endings are ``\\r\\n``, ``\\r``, ``\\n`` or ``""``."""
    pieces = re.split(r"(\r\n|\r|\n)", text)
    pairs = list(zip(pieces[0::2], [*pieces[1::2], ""], strict=True))
    return pairs[:-1] if pairs and pairs[-1] == ("", "") else pairs


def normalised(lines: Sequence[tuple[str, str]]) -> str:
    """The text of ``lines`` with every line ending as ``\\n``, as the loader reads it."""
    return "".join(content + ("\n" if ending else "") for content, ending in lines)


def with_endings(original: Sequence[tuple[str, str]], edited: str) -> str:
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
    import difflib  # noqa: PLC0415 - an edit alone compares lines; every check imports this module

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


def decode_or_none(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def stale(path: Path, command: str = "isms approve") -> StaleDocumentError:
    return StaleDocumentError(
        "changed since it was read (another approval or an edit); nothing was written to it. "
        f"Run {command} again",
        path=path,
    )


def check_writable(path: Path, shown: Path) -> None:
    """Refuse a file without write permission. As root ``os.access`` says every file is writable, so a
    file whose mode has no write bit at all (``chmod 444``) is refused too: someone made it read-only."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise DocumentNotFoundError(f"cannot read the file: {exc.strerror}", path=shown) from exc
    if not mode & 0o222 or not os.access(path, os.W_OK):
        raise InvalidApprovalError("is read-only; make it writable first", path=shown)


@contextmanager
def locked(path: Path) -> Iterator[None]:
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
    raise stale(path)


def read_for_edit(
    path: Path, loaded: Callable[[str], bool], *, command: str = "isms approve"
) -> tuple[Path, bytes, list[tuple[str, str]]]:
    """The file behind ``path``: its real path, its bytes and lines, after checking that it is writable
    and that ``loaded`` accepts its text (it is still what the repository was loaded from). ``command``
    is the one to run again when it is not."""
    real = path.resolve()
    check_writable(real, path)
    try:
        raw = real.read_bytes()
    except OSError as exc:
        raise DocumentNotFoundError(f"cannot read the file: {exc.strerror}", path=path) from exc
    text = decode_or_none(raw)
    if text is None:
        raise stale(path, command)
    lines = lines_of(text)
    if not loaded(normalised(lines)):
        raise stale(path, command)
    return real, raw, lines


def write_if_unchanged(
    path: Path, raw: bytes, new: bytes, shown: Path, *, command: str = "isms approve"
) -> None:
    """Under ``path``'s lock: write ``new`` if the file still holds ``raw``, the bytes it was computed from.

    Raises :class:`StaleDocumentError` (naming ``shown``) when it changed meanwhile or cannot be read.
    """
    try:
        with locked(path):
            if path.read_bytes() != raw:
                raise stale(shown, command)
            write_atomic(path, new)
    except OSError as exc:
        raise StaleDocumentError(f"cannot read the file: {exc.strerror}", path=shown) from exc
