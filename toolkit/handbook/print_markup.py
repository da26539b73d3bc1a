"""A document's text as HTML for the PDF engine: Markdown converted, then filtered.

Documents come from pull requests by many authors, and a PDF goes to clients and auditors as the company's
word. So the HTML fed to the engine carries the document's text and pictures, and nothing that could
change how the PDF itself is made:

- no style sheet, ``style`` attribute, ``<link>``, ``<meta>`` or ``<base>``: a document cannot hide the
  DRAFT watermark, fake the running header or load a style sheet;
- no script, frame, object, embedded SVG or MathML (the engine runs no script; these are dropped so that
  nothing they name is read);
- no ``id`` or class of the toolkit's own (``isms-`` and ``doc-``), so the table of contents and the
  running header cannot be pointed elsewhere;
- links between documents lead to the document inside the book (``#doc-3``), or are dropped in a single
  document's PDF; links to a file of the repository are dropped, so that no path of the build machine
  ends up in a PDF. Web and e-mail links are kept as links: the engine follows none of them.

Pictures keep their ``src``: the engine's URL fetcher (:mod:`toolkit.handbook.pdf`) decides what it may
read.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, unquote, urlsplit

# Elements dropped with everything inside them.
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "noscript",
        "svg",
        "math",
        "title",
        "head",
        "audio",
        "video",
        "canvas",
    ]
)
# Empty elements dropped.
DROPPED_EMPTY = frozenset({"link", "meta", "base", "embed", "source", "track", "param"})
VOID = frozenset({"area", "br", "col", "hr", "img", "input", "wbr", *DROPPED_EMPTY})
RESERVED_PREFIXES = ("isms-", "isms_", "doc-")
KEPT_SCHEMES = ("http", "https", "mailto", "tel")

# Resolves a link target to what the PDF gets: a new target, or None to drop the link.
LinkResolver = Callable[[str], "str | None"]


def document_links(page: str, anchors: dict[str, str]) -> LinkResolver:
    """Link targets of the document at repository path ``page``: another document's page becomes its
    anchor in ``anchors`` (repository path -> ``#doc-N``), dropped when it has none; a web or e-mail link
    stays; anything else (a file, another scheme) is dropped. A fragment alone stays."""

    def resolve(href: str) -> str | None:
        parts = urlsplit(href.strip())
        if parts.scheme:
            return href if parts.scheme.lower() in KEPT_SCHEMES else None
        if parts.netloc:
            return None  # //host/path: a web link without a scheme, which the engine would resolve as file
        if not parts.path:
            return href if parts.fragment else None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        return anchors.get(target)

    return resolve


def picture_source(page: str, src: str) -> str:
    """A picture's relative ``src`` in the document at repository path ``page``, made relative to the
    repository (the base of every PDF), so that one book can hold documents from several folders."""
    parts = urlsplit(src.strip())
    if parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path:
        return src
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    return quote(target)


class _Filter(HTMLParser):
    def __init__(self, resolve: LinkResolver, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.resolve = resolve
        self.page = page
        self.out: list[str] = []
        self.skipping: list[str] = []  # the open dropped elements

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        kept = []
        for raw_name, value in attrs:
            name = raw_name.lower()
            if name == "style" or name.startswith("on") or name in ("srcset", "xmlns") or ":" in name:
                continue
            text = value or ""
            if name == "href" and tag != "img":
                resolved = self.resolve(text)
                if resolved is None:
                    continue
                text = resolved
            elif name == "src":
                text = picture_source(self.page, text)
            elif name in ("id", "name") and text.lower().startswith(RESERVED_PREFIXES):
                continue
            elif name == "class":
                text = " ".join(c for c in text.split() if not c.lower().startswith(RESERVED_PREFIXES))
            elif name in ("rel", "data", "poster", "background", "action", "formaction"):
                continue
            kept.append(f' {name}="{html.escape(text, quote=True)}"')
        return "".join(kept)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag in DROPPED_WITH_CONTENT:
                self.skipping.append(tag)
            return
        if tag in DROPPED_WITH_CONTENT:
            self.skipping.append(tag)
            return
        if tag in DROPPED_EMPTY:
            return
        self.out.append(f"<{tag}{self._attributes(tag, attrs)}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping or tag in DROPPED_EMPTY or tag in DROPPED_WITH_CONTENT:
            return
        self.out.append(f"<{tag}{self._attributes(tag, attrs)} />")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in DROPPED_WITH_CONTENT or tag in VOID:
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(html.escape(data, quote=False))


def filtered(html_text: str, resolve: LinkResolver, page: str) -> str:
    """``html_text`` of the document at repository path ``page`` without what a document must not bring
    into a PDF (see the module's text)."""
    parser = _Filter(resolve, page)
    parser.feed(html_text)
    parser.close()
    return "".join(parser.out)


MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "tables", "def_list", "footnotes", "sane_lists")


def document_html(body: str, page: str, anchors: dict[str, str]) -> str:
    """A document's Markdown ``body`` (the document at repository path ``page``) as filtered HTML."""
    import markdown  # noqa: PLC0415 - installed with MkDocs; only the PDF output needs it here

    converter: Any = markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), output_format="html")
    return filtered(converter.convert(body), document_links(page, anchors), page)
