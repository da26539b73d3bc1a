"""Safe file writing: write to a temporary file beside the target, then move it into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from toolkit.errors import OutputError


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
