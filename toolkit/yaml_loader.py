"""The YAML loaders behind :func:`toolkit.yamlio.parse`: safe, dateless, YAML 1.2 booleans, refusals.

:class:`DatelessLoader` reads any YAML an ISMS file may hold; :class:`UntaggedLoader` gives the same data
faster for text with no tag in it (no ``!``), which is nearly every file a user writes. What they accept
and refuse is described in :mod:`toolkit.yamlio`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

import yaml

from toolkit.yaml_messages import MAX_DEPTH, TAG, key_not_text, key_twice, too_deep

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


class Refused(yaml.YAMLError):
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


def _as_written(value: Any, shown: str, node: yaml.ScalarNode, kind: type[SourceInt | SourceFloat]) -> Any:
    """``value``, or when its plain form ``shown`` is not how the YAML wrote it, a ``kind`` keeping that
    text (``0123``, ``1_000``, ``5.10``) for messages."""
    if shown == node.value:
        return value
    kept = kind(value)
    kept.source = node.value
    return kept


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    value: int = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    kept: int = _as_written(value, str(value), node, SourceInt)
    return kept


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    value: float = yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    kept: float = _as_written(value, repr(value), node, SourceFloat)
    return kept


def _text_key(key_node: Any, node: Any, mapping: dict[str, Any]) -> str:
    """The key of ``key_node`` in ``node``, refused unless it is text not already in ``mapping``."""
    key = key_node.value
    if key_node.tag != _STR or key.__class__ is not str:
        raise Refused(key_node.start_mark.line + 1, key_not_text(key_node))
    if key in mapping:
        raise Refused(key_node.start_mark.line + 1, key_twice(node, key))
    return str(key)


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
            return node.value if tag == _STR else self._typed(node, tag)
        if depth > MAX_DEPTH:
            raise Refused(node.start_mark.line + 1, too_deep())
        if kind is yaml.MappingNode and tag == _MAP:
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = _text_key(key_node, node, mapping)  # refused before what it holds is read
                mapping[key] = self._build(value_node, depth + 1)
            return mapping
        if kind is yaml.SequenceNode and tag == _SEQ:
            return [self._build(item, depth + 1) for item in node.value]
        node.isms_depth = depth  # an explicit tag: the constructors decide (and refuse unknown ones)
        return self.construct_object(node, deep=True)

    def _typed(self, node: Any, tag: str) -> Any:
        """The value of a scalar resolved to ``tag`` (not text)."""
        value = node.value
        if tag == _INT and _decimal(value):
            return int(value)  # a plain decimal reads as written; other forms keep their text
        node.tag = tag
        return self.construct_object(node, deep=True)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)  # type: ignore[no-any-return] # raises
        depth: int = getattr(node, "isms_depth", 1)
        if depth > MAX_DEPTH:
            raise Refused(node.start_mark.line + 1, too_deep())
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _text_key(key_node, node, mapping)
            value_node.isms_depth = depth + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_sequence(self, node: yaml.Node, deep: bool = False) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            return super().construct_sequence(node, deep)  # type: ignore[no-any-return] # raises
        depth: int = getattr(node, "isms_depth", 1)
        if depth > MAX_DEPTH:
            raise Refused(node.start_mark.line + 1, too_deep())
        for child in node.value:
            child.isms_depth = depth + 1
        return [self.construct_object(child, deep=deep) for child in node.value]


class UntaggedLoader(DatelessLoader):
    """The same loader for text without a single ``!``, where no node can carry a tag (every tag and
    ``%TAG`` directive starts with ``!``): a plain scalar is resolved while the data is built, any other
    scalar is text, and the composer's per-node calls to the resolver become a built-in that does nothing.
    Those calls, a Python call for every scalar, are most of what reading a large register costs beyond
    the parser itself. The data is the same as :class:`DatelessLoader` gives (a test compares the two on
    every YAML file the toolkit ships and on the edge cases)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # str.format of an empty template takes any arguments and returns "": the node's tag, unused.
        self.__dict__.update(dict.fromkeys(("resolve", "descend_resolver", "ascend_resolver"), "".format))

    def _build(self, node: Any, depth: int) -> Any:
        kind = node.__class__
        if kind is yaml.ScalarNode:
            return self._untagged(node)
        if depth > MAX_DEPTH:
            raise Refused(node.start_mark.line + 1, too_deep())
        if kind is yaml.SequenceNode:
            return self._items(node, depth)
        # Written out rather than calling _untagged for every scalar: most values are text that no
        # resolver claims (quoted, or led by a letter no implicit type starts with), taken as they are.
        scalar, plain = yaml.ScalarNode, _PLAIN_RESOLVERS
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.__class__ is not scalar:
                raise Refused(key_node.start_mark.line + 1, key_not_text(key_node))
            if not key_node.style and key[:1] in plain and not _plain_key_is_text(key):
                key_node.tag = _plain_tag(key)  # what the message names the key as
                raise Refused(key_node.start_mark.line + 1, key_not_text(key_node))
            if key in mapping:
                raise Refused(key_node.start_mark.line + 1, key_twice(node, key))
            if value_node.__class__ is not scalar:
                mapping[key] = self._build(value_node, depth + 1)
            elif value_node.style or value_node.value[:1] not in plain:
                mapping[key] = value_node.value
            else:
                mapping[key] = self._untagged(value_node)
        return mapping

    def _items(self, node: Any, depth: int) -> list[Any]:
        items = []
        for item in node.value:
            if item.__class__ is not yaml.ScalarNode:
                items.append(self._build(item, depth + 1))
            elif item.style or item.value[:1] not in _PLAIN_RESOLVERS:
                items.append(item.value)
            else:
                items.append(self._untagged(item))
        return items

    def _untagged(self, node: Any) -> Any:
        value = node.value
        if node.style:  # quoted, literal or folded: text
            return value
        if _decimal(value):
            return int(value)  # the commonest number, read without the resolvers' patterns
        tag = _plain_tag(value)
        return value if tag == _STR else self._typed(node, tag)


_PLAIN_RESOLVERS = DatelessLoader.yaml_implicit_resolvers


def _plain_tag(value: str) -> str:
    """The tag a plain scalar resolves to."""
    for tag, regexp in _PLAIN_RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _plain_key_is_text(key: str) -> bool:
    """Whether a plain key resolves to text; one found to be is remembered, as keys repeat."""
    if key in _TEXT_KEYS:
        return True
    if _plain_tag(key) != _STR:
        return False
    if len(_TEXT_KEYS) < _TEXT_KEYS_KEPT:
        _TEXT_KEYS.add(key)
    return True


def _decimal(value: str) -> bool:
    """A plain decimal that reads as written: ASCII digits, no sign, no leading zero (``0`` itself)."""
    return value.isdigit() and value.isascii() and (value[0] != "0" or value == "0")


# Plain keys known to be text, so that each is matched against the resolvers' patterns once.
_TEXT_KEYS: set[str] = set()
_TEXT_KEYS_KEPT = 10_000
