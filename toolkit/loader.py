"""Read a policy repository from disk into the model, turning every unreadable input into a finding.

One loader serves ``isms check``, ``isms soa`` and the handbook, so they can never disagree.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from toolkit.errors import NotARepositoryError
from toolkit.model import Document, Finding, Repository, SoaEntry
from toolkit.validation import validator
from toolkit.yamlio import locate, parse

CONFIG_FILE = "isms.yml"
SOA_FILE = "soa.yml"
DEFAULT_DOCUMENTS_DIR = "policies"
FENCE = "---"
NOT_MAPPING = "must be a YAML mapping (key: value)"


def find_root(start: Path | str) -> Path:
    """The nearest folder from ``start`` upwards that holds ``isms.yml`` (``start`` itself if none does)."""
    start = Path(start)
    for folder in (start, *start.resolve().parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return start


def load_repository(root: Path | str) -> Repository:
    """Load the repository at ``root``.

    Raises :class:`NotARepositoryError` when ``root`` is not a folder or has no ``isms.yml``; every other
    problem (bad YAML, schema violations, unreadable documents) becomes a :class:`Finding`.
    """
    root = Path(root)
    if not root.is_dir():
        raise NotARepositoryError("not a folder", path=root)
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        raise NotARepositoryError(
            f"not a policy repository: {CONFIG_FILE} not found (run 'isms init' to create one)", path=root
        )
    findings: list[Finding] = []
    config, config_text = _load_yaml_file(config_path, CONFIG_FILE, "isms", findings)
    soa_path = root / SOA_FILE
    soa: dict[str, SoaEntry] = {}
    soa_text: str | None = None
    soa_valid = False
    soa_meta: dict[str, Any] = {}
    if soa_path.is_file():
        before = len(findings)
        soa_data, soa_text = _load_yaml_file(soa_path, SOA_FILE, "soa", findings)
        soa_valid = len(findings) == before
        soa = _soa_entries(soa_data)
        soa_meta = {key: value for key, value in soa_data.items() if key != "controls"}
    documents_dir = config.get("documents_dir") if isinstance(config.get("documents_dir"), str) else None
    documents = load_documents(root, documents_dir or DEFAULT_DOCUMENTS_DIR, findings, config_text)
    return Repository(
        root=root,
        config=config,
        config_text=config_text,
        soa=soa,
        soa_text=soa_text,
        soa_valid=soa_valid,
        documents=documents,
        findings=findings,
        soa_meta=soa_meta,
    )


def _load_yaml_file(path: Path, rel: str, schema: str, findings: list[Finding]) -> tuple[dict[str, Any], str]:
    """Read, parse and schema-check a YAML file; problems go to ``findings``; ``({}, text)`` on failure."""
    text = _read_text(path, rel, findings)
    if text is None:
        return {}, ""
    data, problem = parse(text)
    if problem is not None:
        findings.append(Finding(rel, problem.line, "yaml-syntax", "error", problem.message))
        return {}, text
    if not isinstance(data, dict):
        findings.append(Finding(rel, 1, "yaml-not-mapping", "error", f"the file {NOT_MAPPING}"))
        return {}, text
    _schema_findings(data, text, rel, schema, findings)
    return data, text


def _schema_findings(
    data: dict[str, Any], text: str, rel: str, schema: str, findings: list[Finding], *, line_offset: int = 0
) -> bool:
    """Validate ``data``; add a ``schema`` finding per violation; return True when valid."""
    violations = validator(schema).violations(data)
    for violation in violations:
        line = locate(text, violation.path) + line_offset
        where = f"{violation.field}: " if violation.field else ""
        findings.append(
            Finding(rel, line, "schema", "error", f"{where}{violation.message}", violation.field or None)
        )
    return not violations


def _read_text(path: Path, rel: str, findings: list[Finding]) -> str | None:
    """The file as text (UTF-8, BOM dropped, newlines normalised), or None with a finding."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        findings.append(
            Finding(rel, None, "file-unreadable", "error", f"cannot read the file: {exc.strerror}")
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        findings.append(
            Finding(
                rel,
                line,
                "file-encoding",
                "error",
                f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            )
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _soa_entries(data: dict[str, Any]) -> dict[str, SoaEntry]:
    controls = data.get("controls")
    entries: dict[str, SoaEntry] = {}
    if not isinstance(controls, dict):
        return entries
    for ref, decision in controls.items():
        decision = decision if isinstance(decision, dict) else {}  # noqa: PLW2901 - schema already reported it
        evidence = decision.get("evidence")
        entries[str(ref)] = SoaEntry(
            ref=str(ref),
            applicable=decision.get("applicable", True) is not False,
            justification=decision.get("justification")
            if isinstance(decision.get("justification"), str)
            else None,
            status=decision.get("status") if isinstance(decision.get("status"), str) else None,
            evidence=[item for item in evidence if isinstance(item, dict)]
            if isinstance(evidence, list)
            else [],
        )
    return entries


def load_documents(
    root: Path, documents_dir: str, findings: list[Finding], config_text: str = ""
) -> list[Document]:
    """Every ``*.md`` below ``root/documents_dir`` (hidden folders skipped), in path order."""
    folder = root / documents_dir
    if not folder.is_dir():
        line = locate(config_text, ["documents_dir"]) if "documents_dir" in config_text else None
        message = f"the documents folder {documents_dir}/ does not exist"
        findings.append(Finding(CONFIG_FILE, line, "documents-missing", "error", message, "documents_dir"))
        return []
    prefix = folder.relative_to(root).as_posix()
    documents = []
    # Bulk loading creates many small objects and no cycles: pausing the cyclic garbage collector for the
    # loop saves its repeated full scans (about 5% of a 1,000-document check).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for rel in sorted(_markdown_files(folder)):
            document = load_document(folder / rel, f"{prefix}/{rel}" if prefix != "." else rel, findings)
            if document is not None:
                documents.append(document)
    finally:
        if collecting:
            gc.enable()
    return documents


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


def load_document(path: Path, rel: str, findings: list[Finding]) -> Document | None:
    """One document; problems go to ``findings``. Returns None only when the file cannot be read as text."""
    text = _read_text(path, rel, findings)
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
    valid = _schema_findings(data, front_matter, rel, "policy", findings, line_offset=1)
    return Document(path, rel, data, body, body_line, front_matter, valid=valid)


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
    close = _closing_fence(text, first_end + 1)
    if close is None:
        message = "the front matter opened on line 1 is never closed with '---'"
        return Finding("", 1, "front-matter-unclosed", "error", message)
    start, body_start = close
    return text[first_end + 1 : start], text[body_start:], text.count("\n", 0, body_start) + 1


# A line that is only the closing fence (``---`` or ``...``), trailing whitespace allowed.
CLOSING_FENCE = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


def _closing_fence(text: str, offset: int) -> tuple[int, int] | None:
    """The closing ``---`` (or ``...``) line at or after ``offset``: (its start, the body's start)."""
    match = CLOSING_FENCE.search(text, offset)
    if match is None:
        return None
    return match.start(), min(match.end() + 1, len(text))
