"""Output formats: one registry per kind of result, the same format names everywhere.

Every command that writes a result (``check``, ``soa``, ``registers export``, ``review``, ``changes``)
takes ``--format`` and ``--output`` from this registry: the choices, the file extensions that pick a
format when ``--format`` is not given, and the renderer, imported only when chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from toolkit.errors import IsmsError


@dataclass(frozen=True)
class Format:
    """One output format of one kind of result.

    :param name: the value of ``--format``.
    :param renderer: ``module:function``; the function takes the result (and ``color=`` when
        ``terminal``) and returns text, or bytes when ``binary``.
    :param suffix: the file extension that picks this format for ``--output FILE`` (empty: none).
    :param terminal: the format is for people at a terminal and may use colour.
    :param binary: the format is bytes, written to a file only.
    """

    name: str
    renderer: str
    suffix: str = ""
    terminal: bool = False
    binary: bool = False


def _formats(*items: Format) -> dict[str, Format]:
    return {item.name: item for item in items}


REGISTRY: dict[str, dict[str, Format]] = {
    "check": _formats(
        Format("text", "toolkit.reporters.text:render", terminal=True),
        Format("json", "toolkit.reporters.jsonreport:render", ".json"),
        Format("junit", "toolkit.reporters.junit:render", ".xml"),
        Format("sarif", "toolkit.reporters.sarif:render", ".sarif"),
        Format("github", "toolkit.reporters.github:render"),
        Format("markdown", "toolkit.reporters.markdown:render", ".md"),
        Format("codequality", "toolkit.reporters.codequality:render"),
    ),
    "soa": _formats(
        Format("markdown", "toolkit.soa:to_markdown", ".md"),
        Format("csv", "toolkit.soa:to_csv", ".csv"),
        Format("json", "toolkit.soa:to_json", ".json"),
        Format("xlsx", "toolkit.soa_xlsx:to_xlsx", ".xlsx", binary=True),
    ),
    "registers": _formats(
        Format("json", "toolkit.register_tables:to_json", ".json"),
        Format("xlsx", "toolkit.register_tables:to_xlsx", ".xlsx", binary=True),
    ),
    "review": _formats(
        Format("text", "toolkit.reporters.lifecycle:review_text", terminal=True),
        Format("json", "toolkit.reporters.lifecycle:review_json", ".json"),
    ),
    "changes": _formats(
        Format("text", "toolkit.reporters.lifecycle:changes_text", terminal=True),
        Format("json", "toolkit.reporters.lifecycle:changes_json", ".json"),
    ),
    "readiness": _formats(
        Format("text", "toolkit.reporters.readiness:text", terminal=True),
        Format("markdown", "toolkit.reporters.readiness:markdown", ".md"),
        Format("json", "toolkit.reporters.readiness:to_json", ".json"),
        Format("csv", "toolkit.reporters.readiness:to_csv", ".csv"),
    ),
    "acknowledgements": _formats(
        Format("text", "toolkit.reporters.acknowledgements:text", terminal=True),
        Format("markdown", "toolkit.reporters.acknowledgements:markdown", ".md"),
        Format("csv", "toolkit.reporters.acknowledgements:to_csv", ".csv"),
        Format("json", "toolkit.reporters.acknowledgements:to_json", ".json"),
        Format("xlsx", "toolkit.reporters.acknowledgements:to_xlsx", ".xlsx", binary=True),
    ),
}
# Other names accepted for a format: `md` was the SoA's name for Markdown.
ALIASES = {"md": "markdown"}


class FormatError(IsmsError):
    """The output format cannot be told, or cannot be written where asked."""


def names(kind: str) -> list[str]:
    """The format names of ``kind``, as ``--format`` offers them."""
    return list(REGISTRY[kind])


def choose(
    kind: str,
    name: str | None,
    output: Path | None,
    default: str,
    *,
    guess: bool = True,
    stream: bool = False,
) -> Format:
    """The format asked for by name, else the one the output file's extension names, else ``default``.

    With ``guess`` False, an output file whose extension names no format is an error rather than
    ``default``. Raises :class:`FormatError` for that, and for a binary format with neither an output
    file nor ``stream`` (standard output asked for by name, ``-o -``).
    """
    formats = REGISTRY[kind]
    if name is not None:
        chosen = formats[ALIASES.get(name, name)]
    elif output is not None:
        by_suffix = {item.suffix: item for item in formats.values() if item.suffix}
        found = by_suffix.get(output.suffix.lower())
        if found is None and not guess:
            raise FormatError(f"cannot tell the format from {output}; give --format")
        chosen = found or formats[default]
    else:
        chosen = formats[default]
    if chosen.binary and output is None and not stream:
        raise FormatError(f"{chosen.name} is a binary format; give --output FILE")
    return chosen


def render(chosen: Format, result: Any, *, color: bool = False) -> str | bytes:
    """``result`` in the format ``chosen``."""
    module_name, _, function_name = chosen.renderer.partition(":")
    function = getattr(import_module(module_name), function_name)
    output: str | bytes = function(result, color=color) if chosen.terminal else function(result)
    return output
