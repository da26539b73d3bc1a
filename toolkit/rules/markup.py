"""Rules on the HTML a document carries into the handbook: no script reaches the staff's browsers.

The handbook is published to every member of staff, and Markdown passes raw HTML through. A document
may use harmless HTML (a table, a line break), but not elements that run or load active content, event
handler attributes, or ``javascript:``-style URLs. Code spans and fenced code blocks are left alone:
Markdown shows their text, escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Document, Finding
from toolkit.rules.base import rule
from toolkit.rules.text import LINK, code_spans

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

ACTIVE_ELEMENT = re.compile(
    r"<\s*(script|iframe|frame|frameset|object|embed|applet|base|meta|form|link|portal)\b", re.IGNORECASE
)
HANDLER = re.compile(r"<[a-z][^>]*?[\s/\"'](on[a-z]+)\s*=", re.IGNORECASE | re.DOTALL)
URL_ATTRIBUTE = re.compile(
    r"\b(?:href|src|action|formaction|xlink:href|data|poster|background)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)",
    re.IGNORECASE,
)
AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^>\s]*)>", re.IGNORECASE)
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
SAFE_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp);", re.IGNORECASE)
# What browsers drop from a URL before reading its scheme: white space and control characters.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")


def _unescape(text: str) -> str:
    import html  # noqa: PLC0415 - its entity table is large; most checks never meet markup

    return html.unescape(text)


def dangerous_url(url: str) -> bool:
    """True for a ``javascript:``, ``vbscript:`` or (non-image) ``data:`` URL, however it is disguised
    with character references, case, white space or control characters."""
    plain = IGNORED_IN_SCHEME.sub("", _unescape(url.strip("\"'"))).lower()
    if plain.startswith(("javascript:", "vbscript:")):
        return True
    return plain.startswith("data:") and not SAFE_DATA.match(plain)


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces (new lines kept), so offsets and lines stay right."""
    out = list(text)
    for start, end in spans:
        for index in range(start, end):
            if out[index] != "\n":
                out[index] = " "
    return "".join(out)


def unsafe_markup(body: str) -> list[tuple[int, str]]:
    """``(offset, what)`` for each piece of active HTML in a Markdown ``body``, outside code."""
    if "<" not in body and ":" not in body:
        return []
    spans = code_spans(body) if "```" in body or "~~~" in body else []
    spans += [match.span() for match in INLINE_CODE.finditer(body)] if "`" in body else []
    text = _blank(body, spans) if spans else body
    found = [(m.start(), f"a <{m.group(1).lower()}> element") for m in ACTIVE_ELEMENT.finditer(text)]
    found += [
        (m.start(1), f"an event handler attribute ({m.group(1).lower()}=)") for m in HANDLER.finditer(text)
    ]
    for pattern in (URL_ATTRIBUTE, AUTOLINK, LINK):
        for match in pattern.finditer(text):
            if dangerous_url(match.group(1)):
                scheme = IGNORED_IN_SCHEME.sub("", _unescape(match.group(1).strip("\"'"))).split(":", 1)[0]
                found.append((match.start(1), f"a {scheme.lower()}: URL"))
    return sorted(set(found))


def _findings(document: Document) -> Iterable[Finding]:
    for offset, what in unsafe_markup(document.body):
        line = document.body_line + document.body.count("\n", 0, offset)
        message = (
            f"{what} would run in every reader's browser when the handbook is published; remove it "
            "(write the text in Markdown, and link to pages with ordinary links)"
        )
        yield Finding(document.rel, line, "unsafe-html", "error", message)


@rule(
    {
        "unsafe-html": Code(
            "error",
            "A document carries script into the handbook: a script, iframe or similar element, an event "
            "handler attribute (onclick=...) or a javascript: URL.",
        )
    }
)
def no_active_markup(workspace: Workspace) -> Iterable[Finding]:
    """A document's text carries no script into the handbook."""
    for document in workspace.documents:
        yield from _findings(document)


RULES = (no_active_markup,)
