"""Rules on ``mkdocs.yml``: building the handbook runs no code from the repository, reads nothing from
outside it, and puts no script in front of the staff who read it.

MkDocs trusts its configuration: its YAML loader constructs Python objects, ``hooks`` and ``INHERIT`` read
and run files, a theme's ``custom_dir`` replaces its templates, and ``copyright`` or ``site_description``
reach every page as raw HTML. ``isms build`` checks first and builds only when the check passes, so these
findings are what keeps a pull request's ``mkdocs.yml`` from running code on the build machine or
putting script into the published handbook. What is accepted is listed in ``docs/commands/build.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import rule
from toolkit.rules.markup import dangerous_url
from toolkit.sources.site import SITE_FILE, Tagged
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.sources.base import SourceFile
    from toolkit.workspace import Workspace

UNSAFE = Code(
    "error",
    "mkdocs.yml asks the build to run code, read files outside the repository or put markup or script "
    "into the handbook.",
)

# ``!!python/name:`` may name functions of these installed packages (Material's emoji, SuperFences).
NAMED_FROM = ("material.extensions.", "pymdownx.")
PYTHON_NAME = "tag:yaml.org,2002:python/name:"
REFUSED_KEYS = {
    "INHERIT": "reads another configuration file, which may be outside the repository",
    "hooks": "runs Python files at build time",
    "extra_javascript": "adds script to every page",
    "extra_templates": "renders templates that may carry script",
}
THEMES = frozenset({"material", "mkdocs", "readthedocs"})
PLUGINS = frozenset(
    {
        "isms",
        "search",
        "print-site",
        "offline",
        "tags",
        "material/search",
        "material/offline",
        "material/tags",
    }
)
MARKDOWN_BUILT_IN = frozenset(
    {
        "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables",
        "toc", "sane_lists", "smarty", "meta", "nl2br", "codehilite", "legacy_attrs", "legacy_em", "extra",
    }
)  # fmt: skip
# pymdownx extensions that read files named in the documents (and so, outside the repository).
MARKDOWN_REFUSED = frozenset({"pymdownx.snippets", "pymdownx.b64"})
MARKUP = re.compile(r"<\s*[a-z!/?]", re.IGNORECASE)
# Values the isms plugin escapes before the theme writes them (see toolkit.handbook.plugin).
ESCAPED = frozenset({"site_name", "site_description", "site_author"})


def _names(value: Any) -> Iterator[tuple[int | str, str]]:
    """``(position, name)`` of each entry of a plugins or markdown_extensions list or mapping."""
    if isinstance(value, dict):
        yield from ((name, name) for name in value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield index, item
            elif isinstance(item, dict) and len(item) == 1:
                yield index, next(iter(item))


def _markdown_allowed(name: str) -> bool:
    short = name.removeprefix("markdown.extensions.")
    if short in MARKDOWN_BUILT_IN:
        return True
    return name.startswith(("pymdownx.", "material.extensions.")) and name not in MARKDOWN_REFUSED


def _strings(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    """Every text value below ``value`` with its path, and every key inside ``nav`` (a page's title, which
    themes write into every page as it is)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if path and path[0] == "nav":
                yield [*path, key], key
            yield from _strings(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, [*path, index])


def _tags(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], Tagged]]:
    if isinstance(value, Tagged):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _tags(item, [*path, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _tags(item, [*path, index])


def _field(path: list[str | int]) -> str:
    return ".".join(str(step) for step in path)


def _tag_problem(tagged: Tagged) -> str | None:
    if tagged.tag.startswith(PYTHON_NAME) and tagged.tag[len(PYTHON_NAME) :].startswith(NAMED_FROM):
        return None
    shown = tagged.tag.replace("tag:yaml.org,2002:", "!!")
    if shown == "!ENV":
        return (
            "!ENV reads the build machine's environment (its secrets, too) into the handbook; write the value"
        )
    if shown == "!relative":
        return "!relative names a path the check cannot follow; write the path inside the repository"
    return f"the tag {shown} makes MkDocs run Python code while it reads the file; remove it"


def _path_problem(root: Path, value: Any, what: str) -> str | None:
    if not isinstance(value, str):
        return None
    if any(ord(character) < 32 for character in value):
        return f"{value!r} holds a control character: name a folder inside the repository"
    target = (root / value).resolve()
    if not target.is_relative_to(root.resolve()):
        return f"{value!r} is outside the repository: the {what} must be a folder inside it"
    if what == "documents folder" and target in (root.resolve(), (root / "records").resolve()):
        return f"{value!r} would publish the repository's records and registers: name the documents folder"
    if what == "documents folder" and (root / "records").resolve().is_relative_to(target):
        return f"{value!r} holds records/, which never reach the handbook: name the documents folder"
    return None


Problems = Iterator[tuple[list[str | int], str]]


def _tag_problems(data: dict[str, Any], root: Path) -> Problems:
    for path, tagged in _tags(data, []):
        message = _tag_problem(tagged)
        if message is not None:
            yield path, message


def _key_problems(data: dict[str, Any], root: Path) -> Problems:
    for key, why in REFUSED_KEYS.items():
        if key in data:
            yield [key], f"{key} {why}; remove it (the handbook is built without it)"
    extra = data.get("extra")
    if isinstance(extra, dict) and "analytics" in extra:
        yield (
            ["extra", "analytics"],
            "analytics loads a tracking script into every page staff read; remove it",
        )
    if isinstance(extra, dict) and "polyfills" in extra:
        yield ["extra", "polyfills"], "polyfills adds script to every page; remove it"


def _theme_problems(data: dict[str, Any], root: Path) -> Problems:
    theme = data.get("theme")
    name = theme.get("name") if isinstance(theme, dict) else theme
    if isinstance(name, str) and name not in THEMES:
        yield (
            ["theme"],
            f"the theme {name!r} is not one the handbook is built with ({', '.join(sorted(THEMES))})",
        )
    if isinstance(theme, dict) and "custom_dir" in theme:
        yield (
            ["theme", "custom_dir"],
            "custom_dir replaces the theme's templates, which may carry script; remove it",
        )


def _plugin_problems(data: dict[str, Any], root: Path) -> Problems:
    for position, plugin in _names(data.get("plugins")):
        if plugin not in PLUGINS:
            yield (
                ["plugins", position],
                f"the plugin {plugin!r} is not one isms build runs ({', '.join(sorted(PLUGINS))})",
            )
    for position, extension in _names(data.get("markdown_extensions")):
        if not _markdown_allowed(extension):
            yield (
                ["markdown_extensions", position],
                f"the Markdown extension {extension!r} is not accepted (it may read files or is unknown); "
                "Python-Markdown's own and pymdownx extensions other than snippets and b64 are",
            )


def _folder_problems(data: dict[str, Any], root: Path) -> Problems:
    for key, what in (("docs_dir", "documents folder"), ("site_dir", "site folder")):
        message = _path_problem(root, data.get(key), what)
        if message is not None:
            yield [key], message
    for index, style in enumerate(data.get("extra_css") or []):
        if isinstance(style, str) and (":" in style or style.startswith(("/", "\\"))):
            yield ["extra_css", index], f"{style!r} is not a style sheet inside the documents folder"


def _text_problems(data: dict[str, Any], root: Path) -> Problems:
    escaped = ESCAPED if "isms" in {name for _position, name in _names(data.get("plugins"))} else frozenset()
    for path, text in _strings(data, []):
        if path[0] in escaped:
            continue
        if dangerous_url(text):
            yield path, f"{text[:40]!r} is a link that runs script; use an https:// address"
        elif MARKUP.search(text):
            yield path, "markup reaches every page of the handbook unescaped; write plain text"


CHECKS = (_tag_problems, _key_problems, _theme_problems, _plugin_problems, _folder_problems, _text_problems)


def problems(data: dict[str, Any], root: Path) -> Problems:
    """``(path, message)`` for each unsafe part of ``mkdocs.yml``'s ``data``."""
    for check in CHECKS:
        yield from check(data, root)


def _findings(source: SourceFile, root: Path) -> Iterable[Finding]:
    text = source.text or ""
    for path, message in problems(source.data, root):
        field = _field(path)
        yield Finding(
            SITE_FILE, locate(text, path), "handbook-config-unsafe", "error", f"{field}: {message}", field
        )


@rule({"handbook-config-unsafe": UNSAFE})
def unsafe_site_config(workspace: Workspace) -> Iterable[Finding]:
    """mkdocs.yml runs no code, reads nothing outside the repository and carries no markup."""
    source = workspace.source("site")
    if source is None or not source.data:
        return []
    return list(_findings(source, workspace.root))


RULES = (unsafe_site_config,)
