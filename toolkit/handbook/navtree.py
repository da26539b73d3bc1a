"""A navigation tree whose pages carry a navigation of bounded size, however many documents there are.

Material for MkDocs writes the navigation into every page. With ``navigation.prune`` it writes only what
is visible: the top-level entries, every entry of the open tab's sections, and the entries along the open
page's path. A section that lists a thousand documents still puts a thousand links into each of its
pages, so the site would grow with the square of the documents. :func:`bounded` splits every list of more
than :data:`LIMIT` entries into at most :data:`GROUPS` groups, named after their first and last entries
like a dictionary's page headings ("Access review - Backup", with an en dash), again and again until no
list is longer: a page then shows a few group names and the entries of its own group. A handbook whose
lists are all short keeps its navigation as it is.

Pure data in, data out (MkDocs' ``nav`` form: ``{title: path}``, ``{title: [entries]}`` or ``path``),
with no MkDocs API, like the rest of the page generator.
"""

from __future__ import annotations

import html
import posixpath
from typing import Any

# A list longer than this is split into groups; each group is split again while it is still longer.
LIMIT = 20
# How many groups a long list becomes: the names a reader sees instead of the entries.
GROUPS = 6
# Group names show the first and last entry's title cut to about this many characters.
LABEL_WIDTH = 28


def bounded(nav: list[Any], *, limit: int = LIMIT, groups: int = GROUPS) -> list[Any]:
    """``nav`` with every list of more than ``limit`` entries split into named groups (recursively).

    A section's index page (a first entry whose path ends in ``index.md``, which Material shows as the
    section's own link) stays first, outside the groups. Titles are taken as they are (already escaped
    HTML, as the generator writes them); group names are escaped the same way."""
    if limit < 2 or groups < 2:
        raise ValueError("limit and groups must be at least 2")
    entries = [_bounded_entry(entry, limit, groups) for entry in nav]
    if len(entries) <= limit:
        return entries
    head = entries[:1] if _is_index(entries[0]) else []
    return head + _split(entries[len(head) :], limit, groups)


def _bounded_entry(entry: Any, limit: int, groups: int) -> Any:
    if isinstance(entry, dict) and len(entry) == 1:
        ((title, value),) = entry.items()
        if isinstance(value, list):
            return {title: bounded(value, limit=limit, groups=groups)}
    return entry


def _split(entries: list[Any], limit: int, groups: int) -> list[Any]:
    if len(entries) <= limit:
        return entries
    count = min(groups, -(-len(entries) // limit))
    size, extra = divmod(len(entries), count)
    out: list[Any] = []
    start = 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        chunk = entries[start:end]
        out.append({_label(chunk): _split(chunk, limit, groups)})
        start = end
    return out


def _is_index(entry: Any) -> bool:
    path = _path(entry)
    return path is not None and posixpath.basename(path) == "index.md"


def _path(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        value = next(iter(entry.values()))
        return value if isinstance(value, str) else None
    return None


def _title(entry: Any) -> str:
    """An entry's title as plain text (titles in the tree are escaped HTML)."""
    if isinstance(entry, dict) and len(entry) == 1:
        return html.unescape(str(next(iter(entry))))
    stem = posixpath.splitext(posixpath.basename(str(entry)))[0]
    return stem.replace("-", " ").replace("_", " ").capitalize()


def _short(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= LABEL_WIDTH:
        return title
    cut = title[:LABEL_WIDTH].rsplit(" ", 1)[0] if " " in title[:LABEL_WIDTH] else title[:LABEL_WIDTH]
    return cut.rstrip(" ,;:-") + "…"


def _label(chunk: list[Any]) -> str:
    first, last = _short(_title(chunk[0])), _short(_title(chunk[-1]))
    return html.escape(first if first == last else f"{first} \N{EN DASH} {last}")
