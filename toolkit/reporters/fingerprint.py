"""Fingerprints of findings for code scanning and GitLab Code Quality: the same finding keeps its
fingerprint when unrelated lines move or a day passes (see docs/choices.md)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.model import Finding

# Parts of a message that change when unrelated lines move or days pass, not when the finding changes:
# "(first on line 4)", "also on line 3", "(62 days)", "(62 days ago)", "today (2026-06-01)".
VOLATILE = (
    (re.compile(r"\blines? \d+(?:\s*(?:-|to|and)\s*\d+)?"), "line"),
    (re.compile(r"\(\d+ days?(?: ago)?\)"), "(days)"),
    (re.compile(r"\btoday \(\d{4}-\d{2}-\d{2}\)"), "today"),
)
# A list index in a field path: a register entry inserted above another shifts it (messages about
# register entries name the entry by its id instead).
INDEX = re.compile(r"\[\d+\]")


def fingerprint_key(finding: Finding) -> str:
    """What identifies a finding whatever its line: the code, the file, the field (a key path) without
    list indexes, and the message with line numbers and day counts taken out."""
    message = finding.message
    for pattern, replacement in VOLATILE:
        message = pattern.sub(replacement, message)
    field = INDEX.sub("[]", finding.field or "")
    return "\0".join((finding.code, finding.file, field, message))


def finding_fingerprints(findings: list[Finding]) -> list[str]:
    """``sha256(key):n`` per finding, ``n`` counting findings of the same key in order (1, 2, ...), so
    that two identical findings in one file stay apart."""
    seen: Counter[str] = Counter()
    prints = []
    for finding in findings:
        digest = hashlib.sha256(fingerprint_key(finding).encode("utf-8")).hexdigest()
        seen[digest] += 1
        prints.append(f"{digest}:{seen[digest]}")
    return prints
