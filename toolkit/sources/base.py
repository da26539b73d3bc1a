"""The one generic loader behind every source kind: bytes to text, text to YAML, YAML to schema findings.

A *source kind* is one kind of file a user writes (``isms.yml``, ``soa.yml``, the documents, and later
the registers and records). Each lives in its own module of :mod:`toolkit.sources` and declares its
path, its schema and how its entries are built; reading, decoding (UTF-8, BOM, CRLF), YAML parsing,
schema validation and line location are written here once.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.codes import Code
from toolkit.fsutil import NotRegularFileError, read_regular
from toolkit.model import Finding, normalise_text
from toolkit.validation import validator
from toolkit.yamlio import locate, parse

NOT_MAPPING = "must be a YAML mapping (key: value)"

# Codes the generic loader emits, for any kind of file.
CODES: dict[str, Code] = {
    "file-unreadable": Code("error", "A file could not be read (permissions or I/O error)."),
    "file-encoding": Code("error", "A file is not UTF-8 text."),
    "file-outside-repository": Code(
        "error", "A file is a link that leads outside the repository; it is never read or published."
    ),
    "file-special": Code(
        "error", "A file is a FIFO, socket or device rather than a regular file; it is never read."
    ),
    "yaml-syntax": Code("error", "YAML that cannot be parsed, in front matter, isms.yml or soa.yml."),
    "yaml-not-mapping": Code("error", "Front matter or a YAML file is empty or not a key: value mapping."),
    "schema": Code(
        "error",
        "A field breaks the JSON Schema: unknown key, wrong type, bad value, missing key.",
        "SchemaViolation",
    ),
}


def decode(raw: bytes) -> str:
    """UTF-8 ``raw`` as text with a BOM dropped and every newline ``\\n``.

    Raises :class:`UnicodeDecodeError` for bytes that are not UTF-8.
    """
    return normalise_text(raw.decode("utf-8"))


@functools.lru_cache(maxsize=16)
def _real(root: str) -> str:
    return os.path.realpath(root)


def inside(path: Path, root: Path) -> bool:
    """True when ``path``, links followed, is inside the folder ``root`` (links followed too)."""
    return Path(os.path.realpath(path)).is_relative_to(_real(str(root)))


def read_text(path: Path, rel: str, findings: list[Finding], *, root: Path | None) -> str | None:
    """The file as text (see :func:`decode`), or None with a finding saying why not.

    A link leading outside ``root`` (the repository) and anything but a regular file are never read: a
    pull request must not be able to make the check, or the published handbook, read the build machine's
    files, or wait forever on a FIFO. ``root`` None: the caller knows the path is inside (a file that is
    not a link, found by walking folders already known to be inside).
    """
    if root is not None and not inside(path, root):
        message = "a link to a file outside the repository; it is not read: put the file itself here"
        findings.append(Finding(rel, None, "file-outside-repository", "error", message))
        return None
    try:
        raw = read_regular(path)
    except NotRegularFileError as exc:
        message = f"{exc.strerror}; it is not read"
        findings.append(Finding(rel, None, "file-special", "error", message))
        return None
    except OSError as exc:
        findings.append(
            Finding(rel, None, "file-unreadable", "error", f"cannot read the file: {exc.strerror}")
        )
        return None
    try:
        return decode(raw)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        findings.append(Finding(rel, line, "file-encoding", "error", message))
        return None


def schema_findings(
    data: dict[str, Any], text: str, rel: str, schema: str, findings: list[Finding], *, line_offset: int = 0
) -> bool:
    """Validate ``data`` against ``schemas/<schema>.schema.json``; a ``schema`` finding per violation.

    Returns True when ``data`` is valid. ``line_offset`` shifts lines found in ``text`` (front matter
    starts on a document's second line).
    """
    violations = validator(schema).violations(data)
    for violation in violations:
        line = locate(text, violation.path) + line_offset
        where = f"{violation.field}: " if violation.field else ""
        findings.append(
            Finding(rel, line, "schema", "error", f"{where}{violation.message}", violation.field or None)
        )
    return not violations


def parse_mapping(text: str, rel: str, schema: str, findings: list[Finding]) -> tuple[dict[str, Any], bool]:
    """Parse ``text`` as one YAML mapping and validate it: ``(data, valid)``; ``({}, False)`` when the
    YAML does not parse or is not a mapping. Problems go to ``findings``."""
    data, problem = parse(text)
    if problem is not None:
        findings.append(Finding(rel, problem.line, "yaml-syntax", "error", problem.message))
        return {}, False
    if not isinstance(data, dict):
        findings.append(Finding(rel, 1, "yaml-not-mapping", "error", f"the file {NOT_MAPPING}"))
        return {}, False
    return data, schema_findings(data, text, rel, schema, findings)


def mapping_of(text: str) -> dict[str, Any]:
    """``text`` parsed as a YAML mapping; ``{}`` when it does not parse or is not a mapping."""
    data, problem = parse(text)
    return data if problem is None and isinstance(data, dict) else {}


@dataclass
class SourceFile:
    """One YAML source file as loaded: its text, its data, whether it is valid, and its load findings.

    ``text`` is None when the file does not exist and ``""`` when it cannot be read; ``data`` is ``{}``
    when it does not parse. ``entries`` are the typed entries the kind builds from ``data``.
    """

    kind: str
    rel: str
    path: Path
    text: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    valid: bool = False
    findings: list[Finding] = field(default_factory=list)
    entries: Any = None

    @property
    def exists(self) -> bool:
        """True when the file is there (readable or not)."""
        return self.text is not None


@dataclass(frozen=True)
class YamlSource:
    """A source kind that is one YAML file at a fixed path in the repository.

    :param name: the registry key (``soa``).
    :param path: the file, relative to the repository root (``soa.yml``).
    :param schema: the schema name, ``schemas/<schema>.schema.json``.
    :param title: the file's name in the docs' format reference.
    :param description: one sentence for the docs: what the file is and where it lives.
    :param entries: builds the kind's typed entries from the file's data (called even for an invalid
        file, with whatever data parsed).
    :param order: kinds load in this order (a kind may read the configuration, which loads first).
    :param codes: the finding codes this kind's loading emits beyond the generic ones.
    """

    name: str
    path: str
    schema: str
    title: str
    description: str
    entries: Callable[[dict[str, Any]], Any] | None = None
    order: int = 50
    codes: dict[str, Code] = field(default_factory=dict)

    def load(self, root: Path, loaded: dict[str, Any]) -> SourceFile:
        """Read ``root / path``; a missing file gives a :class:`SourceFile` that does not exist."""
        path = root / self.path
        source = SourceFile(self.name, self.path, path)
        if path.exists() or path.is_symlink():
            text = read_text(path, self.path, source.findings, root=root)
            source.text = text or ""
            if text is not None:
                source.data, source.valid = parse_mapping(text, self.path, self.schema, source.findings)
        if self.entries is not None:
            source.entries = self.entries(source.data)
        return source

    def files(self, loaded: Any) -> list[str]:
        """The repository-relative paths this kind reads (for ``isms changes``)."""
        return [self.path]

    def meta_of(self, text: str) -> dict[str, Any]:
        """The file's data from its text (an older revision's, for ``isms changes``)."""
        return mapping_of(text)
