"""YAML reading, safe and with plain messages: the loader every file a user writes goes through.

- Dates stay strings: ``yaml.safe_load`` turns an unquoted ``2026-11-23`` into a ``datetime.date``,
  which JSON Schema then rejects, so the timestamp resolver is dropped.
- Booleans are YAML 1.2's: only ``true`` and ``false`` (any case the core schema allows). ``no``,
  ``yes``, ``on`` and ``off`` are text, as the YAML language server in editors reads them.
- Refused with a problem naming the line, never a crash or a hang: aliases (``*name``, the "billion
  laughs" expansion and recursive structures), text over 1 MiB, nesting deeper than 64 levels,
  mapping keys that are not text, and a key given twice in one mapping.
- The C parser is used where it exists. Line numbers are found afterwards, only for values that have
  a finding, by composing the node tree.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import IsmsError
from toolkit.fsutil import read_regular_text
from toolkit.yaml_loader import (
    DatelessLoader,
    Refused,
    SourceFloat,
    SourceInt,
    UntaggedLoader,
    YamlProblem,
)
from toolkit.yaml_messages import MAX_DEPTH, syntax_problem, too_deep, too_large

__all__ = [
    "MAX_YAML_BYTES",
    "DatelessLoader",
    "SourceFloat",
    "SourceInt",
    "YamlProblem",
    "locate",
    "no_cycle_collection",
    "parse",
    "read_mapping",
]

MAX_YAML_BYTES = 1024 * 1024


def _alias_problem(text: str) -> YamlProblem | None:
    """The first alias (``*name``) in ``text`` as a problem; None when there is none or it does not parse
    (the loader then reports the syntax error)."""
    try:
        for event in yaml.parse(text, Loader=DatelessLoader):
            if isinstance(event, yaml.AliasEvent):
                return YamlProblem(
                    event.start_mark.line + 1 if event.start_mark is not None else 1,
                    f"YAML aliases (*{event.anchor}) are not supported in ISMS files; "
                    "write the value out in full",
                )
    except yaml.YAMLError:
        return None
    return None


def _size_problem(text: str) -> YamlProblem | None:
    if len(text) * 4 <= MAX_YAML_BYTES:  # a character is at most four bytes in UTF-8
        return None
    size = len(text.encode("utf-8", errors="surrogatepass"))
    return YamlProblem(1, too_large(size)) if size > MAX_YAML_BYTES else None


# A line indented (or led by list dashes) this deep may nest past MAX_DEPTH in block style.
# (Searched as a newline and the indentation rather than ``^`` with MULTILINE: the search then jumps from
# newline to newline instead of trying every position, several times faster on a long register.)
_DEEP_INDENT = re.compile(rf"[ \t?:-]{{{MAX_DEPTH}}}")
_DEEP_LINE = re.compile(rf"\n[ \t?:-]{{{MAX_DEPTH}}}")
# Brackets that could nest this deep: the C composer recurses once per level and is safe far beyond
# this (tens of thousands of levels), and the constructor refuses anything past MAX_DEPTH itself.
_FLOW_SAFE = 5000


def _depth_problem(text: str) -> YamlProblem | None:
    """Nesting deeper than :data:`MAX_DEPTH`, found on the event stream (which the parser produces
    without recursing), so that no parser ever recurses deep enough to crash the process: the C composer
    runs out of stack somewhere past 20,000 levels, before any limit of its own. Only read when the text
    could nest that deep: with few brackets and shallow lines it cannot (the constructor then refuses
    what is past MAX_DEPTH)."""
    deep_line = _DEEP_INDENT.match(text) or _DEEP_LINE.search(text)
    if text.count("[") + text.count("{") <= _FLOW_SAFE and not deep_line:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=DatelessLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark is not None else 1
                    return YamlProblem(line, too_deep())
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # the loader reports the syntax error
    return None


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: parsing allocates many small objects (events, marks, nodes) and
    no cycles worth collecting, yet would trigger collections that cost more than the parse itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str, loader: type[DatelessLoader] | None = None) -> tuple[Any, YamlProblem | None]:
    """Parse ``text``; return ``(data, None)`` or ``(None, problem)``. Never raises for bad YAML.

    ``loader`` is a subclass of :class:`DatelessLoader` that constructs more tags (the same limits apply).
    """
    problem = _size_problem(text) or _depth_problem(text)
    if problem is None and "*" in text:  # an alias needs a '*'; only then is the event stream read
        problem = _alias_problem(text)
    if problem is not None:
        return None, problem
    try:
        with no_cycle_collection():
            chosen = loader or (DatelessLoader if "!" in text else UntaggedLoader)
            return yaml.load(text, Loader=chosen), None  # noqa: S506 - a SafeLoader
    except Refused as exc:
        return None, exc.problem
    except yaml.MarkedYAMLError as exc:
        return None, YamlProblem(*syntax_problem(exc, text))
    except yaml.YAMLError as exc:
        return None, YamlProblem(1, f"invalid YAML: {exc}")
    except RecursionError:  # the pure-Python parser, on nesting deeper than the interpreter allows
        return None, YamlProblem(1, too_deep())


def read_mapping(path: Path, error: type[IsmsError], what: str) -> tuple[dict[str, Any], str]:
    """Read ``path`` as a YAML mapping; raise ``error`` (naming the file and line) when it is not one."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise error(too_large(size), path=path, line=1)
        text = read_regular_text(path, max_bytes=MAX_YAML_BYTES)  # a FIFO or device is refused, never read
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"cannot read the {what}: {exc}", path=path) from exc
    data, problem = parse(text)
    if problem is not None:
        raise error(problem.message, path=path, line=problem.line)
    if not isinstance(data, dict):
        raise error(f"the {what} must be a YAML mapping (key: value)", path=path, line=1)
    return data, text


@functools.lru_cache(maxsize=64)
def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (None when it does not parse or is refused); cached, as a document with
    many findings is located many times. Callers only read the nodes."""
    if _size_problem(text) is not None:
        return None
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=DatelessLoader)
    except yaml.YAMLError:
        return None
    return node


def locate(text: str, path: Sequence[str | int]) -> int:
    """1-based line in ``text`` of the value at ``path`` (keys and list indexes).

    For a mapping key the line of the key is given; when the path does not fully exist (a missing
    required key) the line of the deepest existing node is given.
    """
    node = _compose(text)
    if node is None:
        return 1
    line: int = node.start_mark.line + 1
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(step):
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line
