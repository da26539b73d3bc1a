"""Safe file reading and writing.

Reading: :func:`read_regular` reads a regular file and refuses anything else (a FIFO would block the
reader, a device would be read without end), without ever blocking on the open.

Writing: :func:`write_atomic` writes to a temporary file beside the target, then moves it into place;
:func:`write_output` does so for regular files and writes straight to ``-`` (standard output), character
devices (``/dev/null``, ``/dev/stdout`` on a terminal) and FIFOs, never replacing them with a file.

:func:`removed_on_termination` turns SIGTERM into an exception while a temporary folder exists, so that
the ``finally`` clause that removes it runs, as it does for Ctrl+C.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from toolkit.errors import OutputError

# What ``stat`` calls each kind of file that is not a regular file, for messages.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def file_kind(mode: int) -> str:
    """``"a regular file"``, ``"a FIFO"``, ``"a folder"``... for a ``st_mode``."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((name for test, name in _KINDS if test(mode)), "a special file")


class NotRegularFileError(OSError):
    """A path that had to be a regular file is a FIFO, socket, device or folder (an ``OSError``, so that
    code catching read errors catches it; its text is the plain reason alone)."""

    def __init__(self, path: Path | str, kind: str) -> None:
        super().__init__(errno.EINVAL, f"is not a regular file ({kind}); remove it or replace it with one")
        self.filename = str(path)

    def __str__(self) -> str:
        return str(self.strerror)


class FileTooLargeError(OSError):
    """A file read with ``max_bytes`` is larger than that."""

    def __init__(self, path: Path | str, max_bytes: int) -> None:
        super().__init__(errno.EFBIG, f"is larger than {max_bytes} bytes")
        self.filename = str(path)

    def __str__(self) -> str:
        return str(self.strerror)


def read_regular(path: Path | str, *, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path`` (a link is followed) when it is a regular file.

    Raises :class:`NotRegularFileError` for a FIFO, socket, device or folder, without opening it (the
    open itself is non-blocking, and the type is checked again on the open file, so a file swapped for a
    FIFO in between is refused too), :class:`FileTooLargeError` when it has more than ``max_bytes``, and
    ``OSError`` when it cannot be read: all of them ``OSError``, whose ``strerror`` is a plain reason.
    """
    kind = file_kind(Path(path).stat().st_mode)
    if kind != "a regular file":
        raise NotRegularFileError(path, kind)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with os.fdopen(descriptor, "rb") as stream:
        kind = file_kind(os.fstat(stream.fileno()).st_mode)
        if kind != "a regular file":
            raise NotRegularFileError(path, kind)
        data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise FileTooLargeError(path, max_bytes)
    return data


def read_regular_text(path: Path | str, *, max_bytes: int | None = None) -> str:
    """:func:`read_regular` decoded as UTF-8 with newlines made ``\n``, as ``Path.read_text`` gives it.

    Raises ``OSError`` as :func:`read_regular` does, and ``UnicodeDecodeError``."""
    text = read_regular(path, max_bytes=max_bytes).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def default_mode(folder: bool = False) -> int:
    """The mode a new file (or folder) gets from the process umask, as ``open`` would give it."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if folder else 0o666) & ~umask


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of one.

    The file keeps the mode it had, or gets the umask's default when new (a temporary file alone would
    be readable by its owner only).
    """
    import tempfile  # noqa: PLC0415 - writers alone need it, and every check imports this module

    path = Path(path)
    if path.is_symlink():
        path = path.resolve()  # rewrite the file the link points to, and keep the link
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        mode = path.stat().st_mode & 0o7777 if path.exists() else default_mode()
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {exc.strerror}", path=path) from exc


STDOUT = "-"


def write_output(target: Path | str, data: str | bytes) -> None:
    """Write a report to ``target``: ``-`` is standard output; an existing regular file or a new path is
    written with :func:`write_atomic`; a character device (``/dev/null``, a terminal) is written to as it
    is, and a FIFO too when a reader has it open. Anything else (a folder, a socket, a block device, a
    FIFO nobody reads) is refused with :class:`OutputError`: a special file is never replaced by a file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if str(target) == STDOUT:
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
        return
    try:
        mode: int | None = Path(target).stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=target) from exc
    if mode is None or stat.S_ISREG(mode):
        write_atomic(target, payload)
        return
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        raise OutputError(f"cannot write: it is {file_kind(mode)}, not a file", path=target)
    # Non-blocking open: a FIFO without a reader fails at once (ENXIO) instead of waiting for one.
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(target, flags | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        reason = "a FIFO that nobody reads" if exc.errno == errno.ENXIO else exc.strerror
        raise OutputError(f"cannot write: {reason}", path=target) from exc
    try:
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)  # a full pipe waits for its reader, as a shell would
        with os.fdopen(descriptor, "wb", closefd=True) as stream:
            stream.write(payload)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", path=target) from exc


@contextmanager
def removed_on_termination() -> Iterator[None]:
    """Within the block, SIGTERM raises ``SystemExit(143)`` (128 + the signal), so ``finally`` clauses run
    and temporary folders are removed, as they are on Ctrl+C. The previous handler is restored after.

    Outside the main thread (where handlers cannot be set) and without SIGTERM, it does nothing."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def terminate(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@dataclass
class Staged:
    """A folder being built beside its target: ``folder`` is the private temporary folder; ``built`` is
    what replaces the target when the build succeeds (``folder`` itself unless the build writes below it)."""

    folder: Path
    built: Path


@contextmanager
def staged_folder(target: Path, *, prefix: str, marker: str, note: str, what: str) -> Iterator[Staged]:
    """Build a folder that replaces ``target`` only if the build succeeds.

    The block builds into a new temporary folder beside ``target`` (so the final move is a rename on the
    same file system). When the block ends without an error, ``marker`` (holding ``note``) is written into
    what was built, which is made readable like any published folder and replaces ``target``: the old
    folder is moved aside first and removed last. The temporary folder is removed on every exit path,
    SIGTERM included (see :func:`removed_on_termination`). ``what`` names the output in error messages.
    """
    import shutil  # noqa: PLC0415 - writers alone need these, and every check imports this module
    import tempfile  # noqa: PLC0415

    with removed_on_termination():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
        except OSError as exc:
            raise OutputError(f"cannot write {what}: {exc.strerror}", path=target) from exc
        staged = Staged(folder, folder)
        try:
            yield staged
            (staged.built / marker).write_text(note)
            staged.built.chmod(default_mode(folder=True))  # a temporary folder is private
            _replace_folder(staged.built, target, prefix)
        except OSError as exc:
            raise OutputError(f"cannot write {what}: {exc.strerror}", path=target) from exc
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _replace_folder(built: Path, target: Path, prefix: str) -> None:
    """Replace ``target`` with ``built``: the old folder is moved aside first and removed last."""
    import shutil  # noqa: PLC0415 - writers alone need these, and every check imports this module
    import tempfile  # noqa: PLC0415

    old = None
    if target.exists() or target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f"{prefix}old-", dir=target.parent)) / target.name
        target.replace(old)
    built.replace(target)
    if old is not None:
        shutil.rmtree(old.parent, ignore_errors=True)
