"""``isms changes --since REV``: files added, changed, retired or removed since a git revision.

Every source kind of :mod:`toolkit.sources` names the files it reads (documents, soa.yml, catalogs,
...); git lists which of them changed (``git diff --name-status``), and each side is read with the same
decoding and parsing as the check (``git show`` for the old side, the workspace for today's).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit import sources
from toolkit.errors import GitError, GitMissingError
from toolkit.fsutil import read_regular
from toolkit.model import Finding
from toolkit.seal import seal_state
from toolkit.sources.base import decode, inside
from toolkit.sources.documents import split_front_matter
from toolkit.workspace import Workspace


@dataclass(frozen=True)
class Change:
    """One file's change since the revision."""

    kind: str  # added | changed | retired | removed | renamed
    file: str
    document_id: str
    old_version: str
    new_version: str
    status: str
    note: str = ""  # "text changed since approval" for an approved document whose seal is broken


def _git(root: Path, *args: str) -> bytes:
    try:
        result = subprocess.run(  # noqa: S603 - fixed git arguments, no shell
            ["git", "-C", str(root), *args],  # noqa: S607 - git from PATH, as the user runs it
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitMissingError("git is not installed") from exc
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(error.splitlines()[-1] if error else "git failed", path=root)
    return result.stdout


def _text(data: bytes) -> str:
    """Output of git as text: file contents decoded as the loader decodes files (BOM, CRLF)."""
    try:
        return decode(data)
    except UnicodeDecodeError:
        return ""


def _seal_note(path: Path, root: Path, meta: dict[str, Any]) -> str:
    """What an approved document's seal says of today's text: changed since approval, or unsealed."""
    if meta.get("status") != "approved" or not inside(path, root):
        return ""
    try:
        parts = split_front_matter(_text(read_regular(path)))
    except OSError:
        return ""
    if isinstance(parts, Finding):
        return ""
    state = seal_state(meta, parts[1])
    return {"broken": "text changed since approval", "unsealed": "approved without a seal"}.get(state, "")


def _working_data(kind: sources.SourceKind, path: Path, root: Path) -> dict[str, Any]:
    """Today's data of a changed file, read as the loader reads it; ``{}`` when it is gone, unreadable,
    not a regular file, or a link leading outside the repository ``root`` (never read)."""
    if not inside(path, root):
        return {}
    try:
        return kind.meta_of(_text(read_regular(path)))
    except OSError:
        return {}


def changes_since(workspace: Workspace, revision: str) -> list[Change]:
    """What changed in the repository's source files between ``revision`` and the working tree."""
    root = workspace.root.resolve()
    try:
        top = Path(_text(_git(root, "rev-parse", "--show-toplevel")).strip())
    except GitMissingError:
        raise
    except GitError as exc:
        raise GitError("not in a git repository: isms changes compares git revisions", path=root) from exc
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitError as exc:
        raise GitError(
            f"unknown revision {revision!r}: give a tag, branch or commit (git tag lists the tags)", path=root
        ) from exc
    prefix = root.relative_to(top).as_posix()
    owners: dict[str, sources.SourceKind] = {}
    pathspecs: list[str] = []
    for kind in sources.kinds():
        for pattern in kind.files(workspace.loaded[kind.name]):
            spec = f"{prefix}/{pattern}" if prefix != "." else pattern
            pathspecs.append(f":(glob){spec}")
            owners[spec] = kind
    output = _text(_git(top, "diff", "--name-status", "-M", revision, "--", *pathspecs))
    untracked = _text(_git(top, "ls-files", "--others", "--exclude-standard", "--", *pathspecs))
    output += "".join(f"A\t{path}\n" for path in untracked.splitlines())
    found = []
    for line in output.splitlines():
        fields = line.split("\t")
        code, old_path, new_path = fields[0][0], fields[1], fields[-1]
        owner = _owner(new_path, owners)
        if owner is None:
            continue
        old = owner.meta_of(_text(_git(top, "show", f"{revision}:{old_path}"))) if code != "A" else {}
        new = _working_data(owner, top / new_path, root) if code != "D" else {}
        status = str(new.get("status") or old.get("status") or "")
        what = {"A": "added", "D": "removed", "R": "renamed"}.get(code, "changed")
        if (
            what in ("changed", "renamed")
            and new.get("status") == "retired"
            and old.get("status") != "retired"
        ):
            what = "retired"
        relative = (top / new_path).relative_to(root).as_posix()
        note = _seal_note(top / new_path, root, new) if owner.name == "documents" and code != "D" else ""
        found.append(
            Change(
                kind=what,
                file=relative,
                document_id=str(new.get("id") or old.get("id") or relative),
                old_version=str(old.get("version") or ""),
                new_version=str(new.get("version") or ""),
                status=status,
                note=note,
            )
        )
    return sorted(found, key=lambda change: (change.kind, change.file))


def _owner(path: str, owners: dict[str, sources.SourceKind]) -> sources.SourceKind | None:
    """The source kind whose glob matches ``path`` (git's own glob rules, as in the pathspecs)."""
    from fnmatch import fnmatchcase  # noqa: PLC0415

    for spec, kind in owners.items():
        pattern = spec.replace("/**/", "/")
        if fnmatchcase(path, spec) or fnmatchcase(path, pattern):
            return kind
    return None


@dataclass(frozen=True)
class ChangeReport:
    """What ``isms changes`` reports: the revision compared with, and the changes."""

    since: str
    changes: list[Change]


def change_report(workspace: Workspace, revision: str) -> ChangeReport:
    """The files of ``workspace`` changed since ``revision``."""
    return ChangeReport(revision, changes_since(workspace, revision))
