"""The documents: every ``*.md`` below the documents folder, front matter checked against a schema."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.codes import Code
from toolkit.fsutil import file_kind
from toolkit.model import Document, Finding
from toolkit.sources.base import NOT_MAPPING, SourceFile, inside, mapping_of, read_text, schema_findings
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate, no_cycle_collection, parse

DEFAULT_DOCUMENTS_DIR = "policies"
FENCE = "---"
# A line that is only the closing fence (``---`` or ``...``), trailing whitespace allowed.
CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int] | Finding:
    """``(front matter, body, body's first line)``, or a finding (with an empty file name) saying why not."""
    if not text.strip():
        return Finding(
            "", 1, "file-empty", "error", "the file is empty; a document needs front matter and text"
        )
    first_end = text.find("\n")
    first_line = text if first_end < 0 else text[:first_end]
    if first_line.rstrip() != FENCE:
        message = "no front matter: the file must start with a line '---'"
        return Finding("", 1, "front-matter-missing", "error", message)
    match = CLOSING_FENCE.search(text, first_end + 1)
    if match is None:
        message = "the front matter opened on line 1 is never closed with '---'"
        return Finding("", 1, "front-matter-unclosed", "error", message)
    body_start = min(match.end() + 1, len(text))
    return text[first_end + 1 : match.start()], text[body_start:], text.count("\n", 0, body_start) + 1


def front_matter_of(text: str) -> dict[str, Any]:
    """The front matter of a document's text as data; ``{}`` when it has none or it does not parse."""
    parts = split_front_matter(text)
    return {} if isinstance(parts, Finding) else mapping_of(parts[0])


def load_document(path: Path, rel: str, findings: list[Finding], root: Path | None) -> Document | None:
    """One document of the repository at ``root``; problems go to ``findings``. Returns None only when the
    file cannot be read as text. ``root`` None: the path is known to be inside the repository."""
    text = read_text(path, rel, findings, root=root)
    if text is None:
        return None
    parts = split_front_matter(text)
    if isinstance(parts, Finding):
        findings.append(replace(parts, file=rel))
        body = text if parts.code == "front-matter-missing" else ""
        return Document(path, rel, {}, body, 1, valid=False)
    front_matter, body, body_line = parts
    data, problem = parse(front_matter)
    if problem is not None:
        message = f"front matter: {problem.message}"
        findings.append(Finding(rel, problem.line + 1, "yaml-syntax", "error", message))
        return Document(path, rel, {}, body, body_line, front_matter, valid=False)
    if not isinstance(data, dict):
        message = "the front matter is empty" if data is None else f"the front matter {NOT_MAPPING}"
        findings.append(Finding(rel, 2, "yaml-not-mapping", "error", message))
        return Document(path, rel, {}, body, body_line, front_matter, valid=False)
    valid = schema_findings(data, front_matter, rel, "policy", findings, line_offset=1)
    return Document(path, rel, data, body, body_line, front_matter, valid=valid)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """True when ``entry`` (a link) leads to a folder; False for a file, a dangling link or a link loop."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _markdown_files(folder: Path, root: Path, findings: list[Finding], prefix: str) -> list[tuple[str, bool]]:
    """``*.md`` paths below ``folder``, relative to it with ``/``; hidden files and folders skipped.

    A linked folder is followed only when it leads to a folder inside the repository not seen yet (a
    link loop is walked once). Any other file that is a link leading outside the repository, or a FIFO,
    socket or device, is a finding: the folder is published as the handbook.
    """
    found: list[tuple[str, bool]] = []
    seen: set[str] = set()

    def walk(here: Path, base: str) -> None:
        real = os.path.realpath(here)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(here), key=lambda entry: entry.name)
        except OSError as exc:
            message = f"cannot read the folder: {exc.strerror}"
            findings.append(
                Finding(f"{prefix}{base}".rstrip("/") or ".", None, "file-unreadable", "error", message)
            )
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{base}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                walk(Path(entry.path), f"{rel}/")
            elif entry.is_symlink() and _is_folder(entry):
                if inside(Path(entry.path), root):
                    walk(Path(entry.path), f"{rel}/")
                else:
                    message = "a link to a folder outside the repository; it is not read"
                    findings.append(
                        Finding(f"{prefix}{rel}", None, "file-outside-repository", "error", message)
                    )
            elif entry.name.endswith(".md"):
                found.append((rel, entry.is_symlink()))  # read, or reported, by the document reader
            elif entry.is_symlink() and not inside(Path(entry.path), root):
                message = "a link to a file outside the repository; it is never read or published"
                findings.append(Finding(f"{prefix}{rel}", None, "file-outside-repository", "error", message))
            elif not entry.is_file(follow_symlinks=False) and not entry.is_symlink():
                kind = file_kind(entry.stat(follow_symlinks=False).st_mode)
                message = f"is not a regular file ({kind}); it is never read or published: remove it"
                findings.append(Finding(f"{prefix}{rel}", None, "file-special", "error", message))

    walk(folder, "")
    return found


@dataclass
class DocumentSet:
    """The documents as loaded, in path order, with their load findings."""

    folder: str
    documents: list[Document] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def documents_dir(config: dict[str, Any]) -> str:
    """The documents folder ``isms.yml`` names (default ``policies``)."""
    folder = config.get("documents_dir")
    return folder if isinstance(folder, str) and folder else DEFAULT_DOCUMENTS_DIR


@dataclass(frozen=True)
class DocumentSource:
    """Source kind for the Markdown documents; their front matter follows ``schemas/policy.schema.json``."""

    name: str = "documents"
    schema: str = "policy"
    title: str = "Document front matter"
    description: str = "The YAML block at the top of every document under policies/."
    order: int = 20
    codes: dict[str, Code] = field(
        default_factory=lambda: {
            "file-empty": Code("error", "A document is empty."),
            "front-matter-missing": Code(
                "error", "A document does not start with a '---' front matter block."
            ),
            "front-matter-unclosed": Code("error", "A document's front matter is never closed with '---'."),
            "documents-missing": Code(
                "error", "The documents folder named in isms.yml (default policies/) does not exist."
            ),
        }
    )

    def load(self, root: Path, loaded: dict[str, Any]) -> DocumentSet:
        """Every ``*.md`` below the documents folder (hidden folders skipped), in path order."""
        config: SourceFile = loaded["config"]
        folder_name = documents_dir(config.data)
        result = DocumentSet(folder_name)
        folder = root / folder_name
        if not inside(folder, root):
            text = config.text or ""
            line = locate(text, ["documents_dir"]) if "documents_dir" in text else None
            message = (
                f"the documents folder {folder_name}/ is outside the repository; name a folder inside it"
            )
            result.findings.append(
                Finding(CONFIG_FILE, line, "documents-missing", "error", message, "documents_dir")
            )
            return result
        if not folder.is_dir():
            text = config.text or ""
            line = locate(text, ["documents_dir"]) if "documents_dir" in text else None
            message = f"the documents folder {folder_name}/ does not exist"
            result.findings.append(
                Finding(CONFIG_FILE, line, "documents-missing", "error", message, "documents_dir")
            )
            return result
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        # Bulk loading creates many small objects and no cycles: pausing the cyclic garbage collector for
        # the loop saves its repeated full scans (about 5% of a 1,000-document check).
        with no_cycle_collection():
            lead = f"{prefix}/" if prefix != "." else ""
            for rel, is_link in sorted(_markdown_files(folder, root, result.findings, lead)):
                # Only a link can lead outside: the folders walked are inside already.
                document = load_document(
                    folder / rel, f"{lead}{rel}", result.findings, root if is_link else None
                )
                if document is not None:
                    result.documents.append(document)
        return result

    def files(self, loaded: Any) -> list[str]:
        """Every Markdown file below the documents folder, as a git glob."""
        return [f"{loaded.folder}/**/*.md"]

    def meta_of(self, text: str) -> dict[str, Any]:
        """A document's front matter from its text (decoded as :func:`toolkit.sources.base.decode` does)."""
        return front_matter_of(text)


KIND = DocumentSource()
