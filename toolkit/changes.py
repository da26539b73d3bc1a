"""``isms changes --since REV``: documents added, changed, retired or removed since a git revision.

Reads git through its command line (``git diff --name-status`` and ``git show``); the repository model
is used for today's side, the same front matter parser for the old side.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.errors import GitError
from toolkit.loader import DEFAULT_DOCUMENTS_DIR, split_front_matter
from toolkit.model import Finding, Repository
from toolkit.yamlio import parse


@dataclass(frozen=True)
class Change:
    """One document's change since the revision."""

    kind: str  # added | changed | retired | removed | renamed
    file: str
    document_id: str
    old_version: str
    new_version: str
    status: str


def _git(root: Path, *args: str) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - fixed git arguments, no shell
            ["git", "-C", str(root), *args],  # noqa: S607 - git from PATH, as the user runs it
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed") from exc
    if result.returncode != 0:
        raise GitError(
            result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "git failed", path=root
        )
    return result.stdout


def _meta(text: str | None) -> dict[str, Any]:
    if text is None:
        return {}
    parts = split_front_matter(text.replace("\r\n", "\n"))
    if isinstance(parts, Finding):
        return {}
    data, problem = parse(parts[0])
    return data if problem is None and isinstance(data, dict) else {}


def changes_since(repository: Repository, revision: str) -> list[Change]:
    """What changed in the documents folder between ``revision`` and the working tree."""
    root = repository.root.resolve()
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except GitError as exc:
        if exc.message == "git is not installed":
            raise
        raise GitError("not in a git repository: isms changes compares git revisions", path=root) from exc
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except GitError as exc:
        raise GitError(
            f"unknown revision {revision!r}: give a tag, branch or commit (git tag lists the tags)", path=root
        ) from exc
    folder = str(repository.config.get("documents_dir") or DEFAULT_DOCUMENTS_DIR)
    prefix = root.relative_to(top).as_posix()
    scope = f"{prefix}/{folder}" if prefix != "." else folder
    output = _git(top, "diff", "--name-status", "-M", revision, "--", scope)
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "--", scope)
    output += "".join(f"A\t{path}\n" for path in untracked.splitlines())
    current = {
        document.path.resolve().relative_to(top).as_posix(): document for document in repository.documents
    }
    found = []
    for line in output.splitlines():
        fields = line.split("\t")
        code, old_path, new_path = fields[0][0], fields[1], fields[-1]
        if not new_path.endswith(".md"):
            continue
        old = _meta(_git(top, "show", f"{revision}:{old_path}") if code != "A" else None)
        document = current.get(new_path)
        new = document.meta if document is not None else {}
        status = str(new.get("status") or old.get("status") or "")
        kind = {"A": "added", "D": "removed", "R": "renamed"}.get(code, "changed")
        if (
            kind in ("changed", "renamed")
            and new.get("status") == "retired"
            and old.get("status") != "retired"
        ):
            kind = "retired"
        found.append(
            Change(
                kind=kind,
                file=(top / new_path).relative_to(root).as_posix(),
                document_id=str(new.get("id") or old.get("id") or ""),
                old_version=str(old.get("version") or ""),
                new_version=str(new.get("version") or ""),
                status=status,
            )
        )
    return sorted(found, key=lambda change: (change.kind, change.file))
