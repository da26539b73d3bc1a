"""Which files of the documents folder may reach the handbook site: a pure rule, free of MkDocs.

The handbook is sent to every member of staff and is built in CI from pull requests by many authors, so
only what a handbook needs is published, and only from inside the repository:

- a link (or a linked folder) that leads outside the repository is left out, so ``ln -s /etc/passwd``
  cannot publish the build machine's files;
- anything but a regular file (a FIFO, socket or device) is left out, so it is never read or copied;
- the staff acknowledgement records and the roster (personal data) are left out, whatever their kind;
- only the kinds of file in :data:`PUBLISHED_SUFFIXES` are published. HTML and JavaScript are not (a page
  of their own would run its script in the handbook's origin), nor SVG, which can carry script too when
  opened by itself: use PNG or WebP for diagrams.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from toolkit.fsutil import file_kind
from toolkit.sources._staffdata import ACK_DIR, ROSTER_FILE

# Markdown pages, raster images, PDF attachments and stylesheets (which run no script).
PUBLISHED_SUFFIXES = (".md", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".css")
# Folders of the repository whose files never reach the site, whatever a link to them is called: git's
# own (its config may hold a CI token), the isms answers, the registers and records (auditor pages only).
NEVER_PUBLISHED = (".git", ".isms", "registers", "records")


def personal(rel: str) -> bool:
    """True for a repository-relative path of the acknowledgement records or the roster."""
    return rel in (ROSTER_FILE, ACK_DIR) or rel.startswith(f"{ACK_DIR}/")


def _where_it_leads(real: Path, real_root: str) -> str | None:
    """Why the file that a path really is (links followed) is never published; None when it may be."""
    if not real.is_relative_to(real_root):
        return "it is a link to a file outside the repository"
    rel = real.relative_to(real_root).as_posix()
    if personal(rel) or personal(rel.lower()):  # lower: a file system that ignores case
        return "staff acknowledgements and the roster are personal data and are never published"
    if rel.split("/")[0].lower() in NEVER_PUBLISHED:
        return f"it is a link to {rel}, which is never published"
    return None


def left_out(path: Path | str, root: Path | str) -> str | None:
    """Why the file at ``path`` must not be published from the repository at ``root``; None when it may.

    Reads no file: it only looks at the name, where links lead and the file's type."""
    real = Path(os.path.realpath(path))
    where = _where_it_leads(real, os.path.realpath(root))
    if where is not None:
        return where
    try:
        mode = Path(path).stat().st_mode
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    if not stat.S_ISREG(mode):
        return f"it is {file_kind(mode)}, not a regular file"
    # The name a link has and the name of the file it leads to must both be of a published kind: a
    # `logo.png` that leads to `.git/config` is not a picture.
    for suffix in (Path(path).suffix.lower(), real.suffix.lower()):
        if suffix not in PUBLISHED_SUFFIXES:
            kind = f"a {suffix} file" if suffix else "a file without an extension"
            return f"{kind} is not part of a handbook (published: {', '.join(PUBLISHED_SUFFIXES)})"
    return None
