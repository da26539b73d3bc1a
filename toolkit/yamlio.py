"""YAML reading with the two traps handled: dates stay strings, and the C parser is used where it exists.

``yaml.safe_load`` turns an unquoted ``2026-11-23`` into a ``datetime.date``, which JSON Schema then
rejects; our loader drops the timestamp resolver so dates arrive as the ISO strings users wrote.
Line numbers are found afterwards, only for values that have a finding, by composing the node tree.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from toolkit.errors import IsmsError
from toolkit.fsutil import read_regular_text

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{name}" for name in ("str", "int", "bool", "null"))
_MAP, _SEQ, _MERGE = (f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "merge"))


class _UnusualNodeError(Exception):
    """A node the fast constructor leaves to PyYAML's own (explicit tags, merge keys, complex keys)."""


class DatelessLoader(_BaseLoader):  # type: ignore[misc]
    """Safe loader (C-accelerated where available) that leaves dates and timestamps as strings.

    Two shortcuts keep large files (a register of thousands of risks) fast, with the safe loader's
    results: plain scalars are resolved without the path-resolver machinery (the safe loader has no path
    resolvers), and documents of plain mappings, sequences and scalars are built directly from the node
    tree; anything else (explicit tags, merge keys, non-scalar keys) goes to PyYAML's constructor.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        if self.yaml_path_resolvers:
            super().descend_resolver(current_node, current_index)

    def ascend_resolver(self) -> None:
        if self.yaml_path_resolvers:
            super().ascend_resolver()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if self.yaml_path_resolvers or None in self.yaml_implicit_resolvers:
            return super().resolve(kind, value, implicit)
        if kind is not yaml.ScalarNode:
            return _MAP if kind is yaml.MappingNode else _SEQ
        if implicit[0]:  # a plain scalar: the implicit resolvers for its first character decide
            for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                if regexp.match(value):
                    return tag
        return _STR

    def construct_document(self, node: Any) -> Any:
        try:
            return self._plain(node, {})
        except _UnusualNodeError:
            return super().construct_document(node)

    def _plain(self, node: Any, built: dict[int, Any]) -> Any:
        """The data of ``node`` as the safe constructor builds it, for plain nodes; anchors shared."""
        kind, tag = node.__class__, node.tag
        if kind is yaml.ScalarNode:
            return self._scalar(node, tag)
        if id(node) in built:
            return built[id(node)]
        if kind is yaml.MappingNode and tag == _MAP:
            mapping: dict[Any, Any] = {}
            built[id(node)] = mapping
            for key_node, value_node in node.value:
                if key_node.__class__ is not yaml.ScalarNode or key_node.tag == _MERGE:
                    raise _UnusualNodeError
                mapping[self._scalar(key_node, key_node.tag)] = self._plain(value_node, built)
            return mapping
        if kind is yaml.SequenceNode and tag == _SEQ:
            sequence: list[Any] = []
            built[id(node)] = sequence
            sequence.extend(self._plain(item, built) for item in node.value)
            return sequence
        raise _UnusualNodeError

    def _scalar(self, node: Any, tag: str) -> Any:
        if tag == _STR:
            return node.value
        value = node.value
        if tag == _INT and value.isdigit() and (value[0] != "0" or value == "0"):
            return int(value)  # plain decimal; octal, hex, signs, underscores go the long way
        if tag == _INT:
            return self.construct_yaml_int(node)
        if tag == _BOOL:
            return self.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        raise _UnusualNodeError


@dataclass(frozen=True)
class YamlProblem:
    """A YAML syntax error: 1-based line within the parsed text, and a plain message."""

    line: int
    message: str


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector: parsing allocates many small objects (events, marks, nodes) and
    no cycles worth collecting, yet would trigger collections that cost more than the parse itself."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse(text: str) -> tuple[Any, YamlProblem | None]:
    """Parse ``text``; return ``(data, None)`` or ``(None, problem)``. Never raises for bad YAML."""
    try:
        with _no_cycle_collection():
            return yaml.load(text, Loader=DatelessLoader), None  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        reason = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            reason = f"{exc.problem} ({exc.context})"
        return None, YamlProblem(line, f"invalid YAML: {reason}")
    except yaml.YAMLError as exc:
        return None, YamlProblem(1, f"invalid YAML: {exc}")


def read_mapping(path: Path, error: type[IsmsError], what: str) -> tuple[dict[str, Any], str]:
    """Read ``path`` as a YAML mapping; raise ``error`` (naming the file and line) when it is not one."""
    try:
        text = read_regular_text(path)  # a FIFO or device is refused, never read
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
    """The node tree of ``text`` (None when it does not parse); cached, as a document with many findings
    is located many times. Callers only read the nodes."""
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
