"""Rules on what documents say: no template text left behind, no relative link to a missing file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Document, Finding, Level
from toolkit.rules.base import rule

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

PLACEHOLDER = re.compile(r"\{\{|\{%|\bTBD\b|\[Company Name\]|\bLorem ipsum\b")
LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _has_placeholder_hint(text: str) -> bool:
    """A cheap pre-check for :data:`PLACEHOLDER` (most documents have none)."""
    return "{{" in text or "{%" in text or "TBD" in text or "[Company Name]" in text or "Lorem ipsum" in text


def _placeholders(document: Document) -> Iterable[Finding]:
    if not (_has_placeholder_hint(document.front_matter) or _has_placeholder_hint(document.body)):
        return
    level: Level = "error" if document.status == "approved" else "warning"
    # Front matter starts on line 2 of the file; the body on document.body_line.
    for text, first_line in ((document.front_matter, 2), (document.body, document.body_line)):
        for match in PLACEHOLDER.finditer(text):
            line = first_line + text.count("\n", 0, match.start())
            message = f"template placeholder {match.group(0)!r} left in the text"
            yield Finding(document.rel, line, "placeholder", level, message)


@rule(
    {
        "placeholder": Code(
            "warning",
            "Template text left in a document ({{, {%, TBD, [Company Name]); an error once approved.",
            "PlaceholderLeft",
        )
    }
)
def placeholders(workspace: Workspace) -> Iterable[Finding]:
    """Template placeholders left in a document: a warning in a draft, an error once approved."""
    for document in workspace.documents:
        yield from _placeholders(document)


def code_spans(body: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks, where links are not links."""
    spans = []
    start = None
    offset = 0
    for line in body.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            if start is None:
                start = offset
            else:
                spans.append((start, offset + len(line)))
                start = None
        offset += len(line)
    if start is not None:
        spans.append((start, len(body)))
    return spans


def link_targets(document: Document) -> Iterable[tuple[int, str, str]]:
    """``(offset, target as written, path part)`` of each relative link in the body, outside code."""
    if "](" not in document.body:
        return
    from urllib.parse import unquote  # noqa: PLC0415 - only for documents with links

    spans = code_spans(document.body) if "```" in document.body or "~~~" in document.body else []
    for match in LINK.finditer(document.body):
        target = match.group(1)
        if target.startswith(("#", "/")) or SCHEME.match(target):
            continue
        if any(start <= match.start() < end for start, end in spans):
            continue
        yield match.start(), target, unquote(target.split("#", 1)[0].split("?", 1)[0])


def _broken_links(document: Document) -> Iterable[Finding]:
    folder = document.path.parent
    for offset, target, path_part in link_targets(document):
        if not path_part or (folder / path_part).exists():
            continue
        line = document.body_line + document.body.count("\n", 0, offset)
        message = f"link to {target} points to a file that does not exist"
        yield Finding(document.rel, line, "broken-link", "error", message)


@rule({"broken-link": Code("error", "A relative link points to a file that does not exist.")})
def broken_links(workspace: Workspace) -> Iterable[Finding]:
    """A relative link in a document's text leads to a file that exists."""
    for document in workspace.documents:
        yield from _broken_links(document)


@rule(
    {
        "link-to-retired": Code(
            "warning", "A document in use links to a retired document: staff would follow withdrawn rules."
        )
    }
)
def links_to_retired(workspace: Workspace) -> Iterable[Finding]:
    """A document that is not retired does not send its readers to a retired one."""
    import os  # noqa: PLC0415

    retired = {
        os.path.realpath(document.path): document
        for document in workspace.documents
        if document.valid and document.status == "retired"
    }
    if not retired:
        return
    for document in workspace.documents:
        if document.status == "retired":
            continue
        for offset, target, path_part in link_targets(document):
            found = retired.get(os.path.realpath(document.path.parent / path_part)) if path_part else None
            if found is not None:
                line = document.body_line + document.body.count("\n", 0, offset)
                message = f"links to {target}, the retired {found.id}; link to the document that replaced it"
                yield Finding(document.rel, line, "link-to-retired", "warning", message)


RULES = (placeholders, broken_links, links_to_retired)
