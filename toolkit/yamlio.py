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
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from toolkit.errors import IsmsError
from toolkit.fsutil import read_regular_text
from toolkit.yaml_messages import (
    MAX_DEPTH,
    TAG,
    key_not_text,
    key_twice,
    syntax_problem,
    too_deep,
    too_large,
)

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_BYTES = 1024 * 1024

_TAG = TAG
_STR = _TAG + "str"
_BOOL = _TAG + "bool"
_INT, _MAP, _SEQ = _TAG + "int", _TAG + "map", _TAG + "seq"
# The implicit types kept from PyYAML's YAML 1.1 resolver; timestamps, merge keys (<<), the value
# key (=) and the YAML 1.1 booleans go (a plain scalar that matches none of these is text).
_KEPT_RESOLVERS = (_TAG + "null", _TAG + "int", _TAG + "float")
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_KEPT_CONSTRUCTORS = ("null", "bool", "int", "float", "str", "seq", "map")


class SourceInt(int):
    """An integer whose YAML text reads differently (``0123``, ``1_000``, ``10:30``): keeps that text."""

    source: str


class SourceFloat(float):
    """A float whose YAML text reads differently (``5.10`` is 5.1): keeps that text for messages."""

    source: str


@dataclass(frozen=True)
class YamlProblem:
    """A YAML problem: 1-based line within the parsed text, and a plain message."""

    line: int
    message: str


class _Refused(yaml.YAMLError):
    """Raised inside the loader for YAML that parses but is refused; carries the problem."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.problem = YamlProblem(line, message)


def _resolvers() -> dict[Any, list[tuple[str, Any]]]:
    resolvers: dict[Any, list[tuple[str, Any]]] = {}
    for first, entries in _BaseLoader.yaml_implicit_resolvers.items():
        kept = [(tag, regexp) for tag, regexp in entries if tag in _KEPT_RESOLVERS]
        if first in ("t", "T", "f", "F"):
            kept.insert(0, (_BOOL, _YAML12_BOOL))
        if kept:
            resolvers[first] = kept
    return resolvers


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if str(value) == node.value:
        return value
    kept = SourceInt(value)
    kept.source = node.value
    return kept


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    value: float = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    if repr(value) == node.value:
        return value
    kept = SourceFloat(value)
    kept.source = node.value
    return kept


class DatelessLoader(_BaseLoader):  # type: ignore[misc]
    """Safe loader (C-accelerated where available) for ISMS files.

    Dates stay strings, booleans are YAML 1.2's, only the core types are constructed (any other tag is
    a problem), mapping keys must be unique text, and nesting is limited to :data:`MAX_DEPTH`. Aliases
    are refused by :func:`parse` before loading.
    """

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = _resolvers()
    yaml_constructors: ClassVar[dict[Any, Any]] = {
        **{
            _TAG + name: yaml.constructor.SafeConstructor.yaml_constructors[_TAG + name]
            for name in _KEPT_CONSTRUCTORS
        },
        _TAG + "int": _construct_int,
        _TAG + "float": _construct_float,
        None: yaml.constructor.SafeConstructor.construct_undefined,
    }

    # Path resolvers do not exist on a safe loader: skip their bookkeeping on every node, and resolve
    # a plain scalar from its first character's implicit resolvers alone (what the base class does,
    # without the walk through path resolvers). Large files, such as a register of thousands of risks,
    # load markedly faster.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        if self.yaml_path_resolvers:
            super().descend_resolver(current_node, current_index)

    def ascend_resolver(self) -> None:
        if self.yaml_path_resolvers:
            super().ascend_resolver()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # This loader has no path resolvers and no resolver for every first character (None), so the
        # implicit resolvers of the scalar's first character decide, as in the base class.
        if kind is yaml.ScalarNode:
            if implicit[0]:  # a plain scalar
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _MAP if kind is yaml.MappingNode else _SEQ

    def construct_document(self, node: yaml.Node) -> Any:
        """The document's data, built straight from the node tree (aliases were refused before, so no
        node is shared): the same refusals as :meth:`construct_mapping` without PyYAML's per-node
        bookkeeping, which makes large files, such as a register of thousands of risks, much faster."""
        try:
            return self._build(node, 1)
        finally:
            self.constructed_objects.clear()
            self.recursive_objects.clear()
            self.deep_construct = False

    def _build(self, node: Any, depth: int) -> Any:
        kind, tag = node.__class__, node.tag
        if kind is yaml.ScalarNode:
            if tag == _STR:
                return node.value
            value = node.value
            if tag == _INT and value.isdigit() and (value[0] != "0" or value == "0"):
                return int(value)  # a plain decimal reads as written; other forms keep their text
            return self.construct_object(node, deep=True)
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark.line + 1, too_deep())
        if kind is yaml.MappingNode and tag == _MAP:
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if key_node.tag != _STR or key.__class__ is not str:
                    raise _Refused(key_node.start_mark.line + 1, key_not_text(key_node))
                if key in mapping:
                    raise _Refused(key_node.start_mark.line + 1, key_twice(node, key))
                mapping[key] = self._build(value_node, depth + 1)
            return mapping
        if kind is yaml.SequenceNode and tag == _SEQ:
            return [self._build(item, depth + 1) for item in node.value]
        node.isms_depth = depth  # an explicit tag: the constructors decide (and refuse unknown ones)
        return self.construct_object(node, deep=True)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)  # type: ignore[no-any-return] # raises
        depth: int = getattr(node, "isms_depth", 1)
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark.line + 1, too_deep())
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.tag != _STR or key.__class__ is not str:
                raise _Refused(key_node.start_mark.line + 1, key_not_text(key_node))
            if key in mapping:
                raise _Refused(key_node.start_mark.line + 1, key_twice(node, key))
            value_node.isms_depth = depth + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_sequence(self, node: yaml.Node, deep: bool = False) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            return super().construct_sequence(node, deep)  # type: ignore[no-any-return] # raises
        depth: int = getattr(node, "isms_depth", 1)
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark.line + 1, too_deep())
        for child in node.value:
            child.isms_depth = depth + 1
        return [self.construct_object(child, deep=deep) for child in node.value]


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
_DEEP_LINE = re.compile(rf"^[ \t?:-]{{{MAX_DEPTH},}}", re.MULTILINE)
# Brackets that could nest this deep: the C composer recurses once per level and is safe far beyond
# this (tens of thousands of levels), and the constructor refuses anything past MAX_DEPTH itself.
_FLOW_SAFE = 5000


def _depth_problem(text: str) -> YamlProblem | None:
    """Nesting deeper than :data:`MAX_DEPTH`, found on the event stream (which the parser produces
    without recursing), so that no parser ever recurses deep enough to crash the process: the C composer
    runs out of stack somewhere past 20,000 levels, before any limit of its own. Only read when the text
    could nest that deep: with few brackets and shallow lines it cannot (the constructor then refuses
    what is past MAX_DEPTH)."""
    if text.count("[") + text.count("{") <= _FLOW_SAFE and not _DEEP_LINE.search(text):
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
            return yaml.load(text, Loader=loader or DatelessLoader), None  # noqa: S506 - a SafeLoader
    except _Refused as exc:
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
