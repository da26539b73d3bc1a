"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

What GitHub's ingestion needs (see docs/ci.md): every rule with a short and a full description, help in
text and Markdown and a help URI; the tool's information URI and version; every result with a message, a
location with a region (start line and column) and ``partialFingerprints``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from toolkit import __version__
from toolkit.codes import DOCS_URL, LEVEL_EFFECT, all_codes, full_description, help_uri, rule_name
from toolkit.reporters.fingerprint import finding_fingerprints

if TYPE_CHECKING:
    from pathlib import Path

    from toolkit.check import CheckResult
    from toolkit.codes import Code
    from toolkit.model import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "ismsFinding/v1"
# GitHub matches alerts across runs on this key alone; the upload action fills it from the line's text
# when it is absent, which would change with every edit of that line. We give our own, line-free value.
GITHUB_KEY = "primaryLocationLineHash"
MAX_READ = 1024 * 1024  # the loader's limit for a file; a bigger one gets no columns


def render(result: CheckResult, *, color: bool = False) -> str:
    """One run, one rule per finding code, one result per finding, paths relative to the repository."""
    declared = all_codes()
    codes = list(declared)
    index = {code: position for position, code in enumerate(codes)}
    texts = _Texts(result.root)
    fingerprints = finding_fingerprints(result.shown)
    results = [
        {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": finding.level,
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": _physical(finding, texts)}],
            "partialFingerprints": {
                FINGERPRINT_KEY: fingerprint,
                GITHUB_KEY: fingerprint[:16] + fingerprint[fingerprint.index(":") :],
            },
        }
        for finding, fingerprint in zip(result.shown, fingerprints, strict=True)
    ]
    driver = {
        "name": "isms-toolkit",
        "version": __version__,
        "semanticVersion": __version__,
        "informationUri": DOCS_URL,
        "rules": [_rule(code, declared[code]) for code in codes],
    }
    run = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"SRCROOT": {"description": {"text": "The policy repository's root."}}},
        "columnKind": "utf16CodeUnits",
        "results": results,
        # The coverage every other format reports, so that a SARIF consumer sees excluded controls too.
        "properties": {
            "strict": result.strict,
            "coverage": {
                catalog_id: {key: value for key, value in coverage.to_dict().items() if key != "controls"}
                for catalog_id, coverage in result.coverage.items()
            },
        },
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(code: str, entry: Code) -> dict[str, Any]:
    uri = help_uri(code)
    text = f"{entry.description}\n\n{LEVEL_EFFECT[entry.level]}\n\n{_HELP_TAIL}\n\nSee {uri}"
    effect = LEVEL_EFFECT[entry.level].replace("isms check", "`isms check`")
    markdown = (
        f"**{code}**: {entry.description}\n\n{effect}\n\n{_HELP_TAIL}\n\n"
        f"See [{code} in the finding codes]({uri})."
    )
    return {
        "id": code,
        "name": rule_name(code, entry),
        "shortDescription": {"text": entry.description},
        "fullDescription": {"text": full_description(entry)},
        "help": {"text": text, "markdown": markdown},
        "helpUri": uri,
        "defaultConfiguration": {"level": entry.level},
        "properties": {"tags": ["isms", "compliance"], "precision": "very-high"},
    }


_HELP_TAIL = (
    "Each finding's message names the file, the line and the field, and says what to change; "
    "fix it there and run isms check again."
)


def _physical(finding: Finding, texts: _Texts) -> dict[str, Any]:
    """The file and the region: the finding's line (line 1 for a finding about a whole file, as GitHub
    shows a result only on a line), from its first to its last visible character where the file can be
    read, else from column 1."""
    line = finding.line or 1
    region: dict[str, Any] = {"startLine": line, "startColumn": 1, "endLine": line}
    text = texts.line(finding.file, line) if finding.line is not None else None
    if text is not None and text.strip():
        stripped = text.rstrip()
        region["startColumn"] = _utf16(stripped[: len(stripped) - len(stripped.lstrip())]) + 1
        region["endColumn"] = _utf16(stripped) + 1
    return {"artifactLocation": {"uri": finding.file, "uriBaseId": "SRCROOT"}, "region": region}


def _utf16(text: str) -> int:
    """Length in UTF-16 code units, the column unit GitHub uses."""
    return len(text.encode("utf-16-le")) // 2


class _Texts:
    """Lines of the repository's files, read once each: only regular files inside the repository (a link
    out of it is never read), only UTF-8, and none over the loader's size limit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str] | None] = {}

    def line(self, rel: str, number: int) -> str | None:
        if rel not in self.files:
            self.files[rel] = self._read(rel)
        lines = self.files[rel]
        return lines[number - 1] if lines is not None and 0 < number <= len(lines) else None

    def _read(self, rel: str) -> list[str] | None:
        from toolkit.fsutil import read_regular  # noqa: PLC0415
        from toolkit.model import normalise_text  # noqa: PLC0415
        from toolkit.sources.base import inside  # noqa: PLC0415

        path = self.root / rel
        if not inside(path, self.root):
            return None
        try:
            return normalise_text(read_regular(path, max_bytes=MAX_READ).decode("utf-8")).split("\n")
        except (OSError, UnicodeDecodeError):
            return None
