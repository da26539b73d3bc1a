"""The documents: every ``*.md`` below the documents folder, front matter checked against a schema."""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from toolkit.codes import Code
from toolkit.model import Document, Finding
from toolkit.sources.base import NOT_MAPPING, SourceFile, mapping_of, read_text, schema_findings
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate, parse

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


def load_document(path: Path, rel: str, findings: list[Finding]) -> Document | None:
    """One document; problems go to ``findings``. Returns None only when the file cannot be read as text."""
    text = read_text(path, rel, findings)
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


def _markdown_files(folder: Path, base: str = "") -> list[str]:
    """``*.md`` paths below ``folder``, relative to it with ``/``; hidden files and folders skipped."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{base}{entry.name}"
            if entry.is_dir():
                found += _markdown_files(Path(entry.path), f"{rel}/")
            elif entry.name.endswith(".md") and entry.is_file():
                found.append(rel)
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
        if not folder.is_dir():
            text = config.text or ""
            line = locate(text, ["documents_dir"]) if "documents_dir" in text else None
            message = f"the documents folder {folder_name}/ does not exist"
            result.findings.append(
                Finding(CONFIG_FILE, line, "documents-missing", "error", message, "documents_dir")
            )
            return result
        prefix = folder.relative_to(root).as_posix()
        # Bulk loading creates many small objects and no cycles: pausing the cyclic garbage collector for
        # the loop saves its repeated full scans (about 5% of a 1,000-document check).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for rel in sorted(_markdown_files(folder)):
                path_rel = f"{prefix}/{rel}" if prefix != "." else rel
                document = load_document(folder / rel, path_rel, result.findings)
                if document is not None:
                    result.documents.append(document)
        finally:
            if collecting:
                gc.enable()
        return result

    def files(self, loaded: Any) -> list[str]:
        """Every Markdown file below the documents folder, as a git glob."""
        return [f"{loaded.folder}/**/*.md"]

    def meta_of(self, text: str) -> dict[str, Any]:
        """A document's front matter from its text (decoded as :func:`toolkit.sources.base.decode` does)."""
        return front_matter_of(text)


KIND = DocumentSource()
