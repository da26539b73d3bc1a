"""Markup helpers of the handbook generator: escaping, page paths and links, pages and their HTML blocks.

Every value that comes from a user's file is escaped before it is written into Markdown or HTML.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

GENERATED_DIR = "isms"
HOME = "index.md"
CONTROLS = f"{GENERATED_DIR}/controls.md"
COVERAGE = f"{GENERATED_DIR}/coverage.md"
SOA = f"{GENERATED_DIR}/statement-of-applicability.md"
CHANGELOG = f"{GENERATED_DIR}/changelog.md"
# The register pages, by register name (``isms/risks.md``); only for registers present and published.
REGISTER_PAGES = {
    name: f"{GENERATED_DIR}/{name}.md" for name in ("risks", "requirements", "assets", "suppliers")
}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#<>])")


def text(value: Any) -> str:
    """User text for Markdown: HTML-escaped and Markdown-neutral, on one line."""
    escaped = html.escape(str(value if value is not None else ""), quote=False).replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def anchor(control_id: str) -> str:
    """A stable HTML id for a control: ``A.7.7`` -> ``a-7-7``."""
    return re.sub(r"[^a-z0-9]+", "-", control_id.lower()).strip("-")


@dataclass
class Page:
    """One page: its path under the docs folder, its title and its Markdown.

    Large generated HTML (tables, control sections) does not go through Markdown, which would only parse
    it to pass it through: the Markdown holds a placeholder paragraph for each entry of ``blocks``, and
    :func:`fill_blocks` puts the HTML in after conversion.
    """

    path: str
    title: str
    content: str
    blocks: list[str] = field(default_factory=list)


BLOCK_MARK = "ISMSBLOCK{}END"


class Blocks:
    """Collects HTML blocks for one page and hands out their Markdown placeholders."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, html_text: str) -> str:
        """Keep ``html_text`` aside; return the placeholder paragraph to write into the Markdown."""
        self.items.append(html_text)
        return BLOCK_MARK.format(len(self.items) - 1)


def fill_blocks(html_text: str, blocks: list[str]) -> str:
    """Replace each placeholder paragraph of converted Markdown with its HTML block."""
    for index, block in enumerate(blocks):
        html_text = html_text.replace(f"<p>{BLOCK_MARK.format(index)}</p>", block, 1)
    return html_text


def link(path: str) -> str:
    """A relative path as a link target, each segment percent-encoded.

    Folder and file names come from the repository: encoded, ``javascript:alert(1)/a.md`` cannot be read as
    a URL scheme (a scheme ends at the first literal colon), a quote cannot end an HTML attribute and a
    bracket or space cannot end a Markdown link. MkDocs decodes the path again to find the page."""
    return "/".join(quote(segment, safe="") for segment in path.split("/"))


def page_url(path: str, directory_urls: bool) -> str:
    """A page's URL: ``a/b.md`` -> ``a/b/`` (or ``a/b.html``), ``index.md`` -> ``./`` (or ``index.html``:
    opened from disk, a folder's address shows a file listing, not its page)."""
    stem = path.removesuffix(".md")
    if directory_urls and (stem == "index" or stem.endswith("/index")):
        return stem.removesuffix("index") or "./"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative_url(from_path: str, to_path: str, directory_urls: bool) -> str:
    """A link from one page's URL to another's, as a browser resolves it: ``isms/coverage.md`` to
    ``isms/controls.md`` is ``../controls/`` (``controls.html`` without directory URLs)."""
    here = page_url(from_path, directory_urls)
    folder = here.removesuffix("./") if here.endswith("/") else posixpath.dirname(here)
    target = page_url(to_path, directory_urls)
    relative = posixpath.relpath(target.removesuffix("./") or ".", folder.rstrip("/") or ".")
    if target.endswith("/"):
        return "./" if relative == "." else f"{link(relative)}/"
    return link(relative)
