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

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from toolkit.errors import IsmsError
from toolkit.fsutil import read_regular_text

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_YAML_BYTES = 1024 * 1024
MAX_DEPTH = 64

_TAG = "tag:yaml.org,2002:"
_STR = _TAG + "str"
_BOOL = _TAG + "bool"
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


def _key_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kinds = {"int": "a number", "float": "a number", "bool": "true/false", "null": "null (no value)"}
    return kinds.get(str(node.tag).removeprefix(_TAG), f"the type {node.tag}")


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

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)  # type: ignore[no-any-return] # raises
        depth: int = getattr(node, "isms_depth", 1)
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark.line + 1, _too_deep())
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key_node.tag != _STR or key.__class__ is not str:
                raise _Refused(key_node.start_mark.line + 1, _key_not_text(key_node))
            if key in mapping:
                raise _Refused(key_node.start_mark.line + 1, _key_twice(node, key))
            value_node.isms_depth = depth + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_sequence(self, node: yaml.Node, deep: bool = False) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            return super().construct_sequence(node, deep)  # type: ignore[no-any-return] # raises
        depth: int = getattr(node, "isms_depth", 1)
        if depth > MAX_DEPTH:
            raise _Refused(node.start_mark.line + 1, _too_deep())
        for child in node.value:
            child.isms_depth = depth + 1
        return [self.construct_object(child, deep=deep) for child in node.value]


def _too_deep() -> str:
    return (
        f"the YAML is nested more than {MAX_DEPTH} levels deep; ISMS files need only a few levels "
        "(look for unclosed brackets or runaway indentation)"
    )


def _unclosed(opening: str, closing: str) -> str:
    return (
        f"the '{opening}' opened on this line is not closed with '{closing}' (or a comma is missing); "
        f"to write text that starts with '{opening}', put it in quotes"
    )


def _too_large(size: int) -> str:
    return (
        f"the YAML is larger than 1 MiB ({size:,} bytes), more than any ISMS file needs; "
        "split it or remove what does not belong"
    )


def _key_not_text(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        written = node.value or "(empty)"
        return (
            f"the key {written} is read as {_key_kind(node)}, not as text; "
            f'write the key as text in quotes: "{node.value}":'
        )
    return f"a key here is {_key_kind(node)}, not text; write the key as text (quote it)"


def _key_twice(node: yaml.MappingNode, key: str) -> str:
    first = next(k for k, _v in node.value if k.value == key)
    return f"key {key!r} appears twice (first on line {first.start_mark.line + 1}); keep one"


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
    return YamlProblem(1, _too_large(size)) if size > MAX_YAML_BYTES else None


# A line indented (or led by list dashes) this deep, or this many brackets, may nest past MAX_DEPTH.
_DEEP_LINE = re.compile(rf"^[ \t?:-]{{{MAX_DEPTH},}}", re.MULTILINE)


def _depth_problem(text: str) -> YamlProblem | None:
    """Nesting deeper than :data:`MAX_DEPTH`, found on the event stream (which the parser produces
    without recursing), so that no parser or constructor ever recurses that deep: a C parser can run out
    of stack and crash the process before any limit of its own. Only read when the text could nest that
    deep: within MAX_DEPTH of indentation and brackets it cannot."""
    if text.count("[") + text.count("{") <= MAX_DEPTH and not _DEEP_LINE.search(text):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=DatelessLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark is not None else 1
                    return YamlProblem(line, _too_deep())
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return None  # the loader reports the syntax error
    return None


def parse(text: str) -> tuple[Any, YamlProblem | None]:
    """Parse ``text``; return ``(data, None)`` or ``(None, problem)``. Never raises for bad YAML."""
    problem = _size_problem(text) or _depth_problem(text)
    if problem is None and "*" in text:  # an alias needs a '*'; only then is the event stream read
        problem = _alias_problem(text)
    if problem is not None:
        return None, problem
    try:
        return yaml.load(text, Loader=DatelessLoader), None  # noqa: S506 - DatelessLoader is a SafeLoader
    except _Refused as exc:
        return None, exc.problem
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problem(exc, text)
    except yaml.YAMLError as exc:
        return None, YamlProblem(1, f"invalid YAML: {exc}")
    except RecursionError:  # the pure-Python parser, on nesting deeper than the interpreter allows
        return None, YamlProblem(1, _too_deep())


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    """A parser error as a problem on the line to fix, with a hint in plain words where one is known."""
    context = exc.context or ""
    problem = exc.problem or ""
    # "while scanning a simple key" (a missing colon), an unclosed quote or bracket: the context mark is
    # where the mistake is; the problem mark is only where the parser gave up (often the next line).
    use_context = context.startswith(("while scanning", "while parsing a flow"))
    mark = (exc.context_mark if use_context else None) or exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 1
    source = text.split("\n")[mark.line] if mark is not None and mark.line < text.count("\n") + 1 else ""
    hint = _hint(context, problem, source, exc.problem_mark.column if exc.problem_mark else 0)
    if hint is None:
        hint = f"{problem} ({context})" if context and problem else problem or context or "not YAML"
    return YamlProblem(line, f"invalid YAML: {hint}")


# Parser messages (libyaml's and PyYAML's) that start with these words, and what to tell the user.
_HINTS = (
    ("could not find expected ':'", "no colon after the key on this line; write it as key: value"),
    ("did not find expected key", "this line does not line up with the keys above it; check its indentation"),
    (
        "did not find expected '-' indicator",
        "this line does not line up with the list above it; list items start with '- ' at one indentation",
    ),
    ("exceeded maximum nesting depth", _too_deep()),
    ("while parsing a flow sequence", _unclosed("[", "]")),
    ("while parsing a flow mapping", _unclosed("{", "}")),
    ("while scanning a quoted scalar", "the quote opened on this line is not closed"),
)


def _hint(context: str, problem: str, source: str, column: int) -> str | None:
    if "cannot start any token" in problem:
        tab = "\t" in source[: column + 1]
        return (
            "a tab is used for indentation; tabs cannot indent YAML, use spaces"
            if tab
            else "a value cannot start with this character; put the value in quotes"
        )
    if problem.startswith("mapping values are not allowed"):
        in_value = ": " in source[:column]
        return (
            'a colon and a space inside a value; put the value in quotes, e.g. title: "A: B"'
            if in_value
            else "this line is indented more than the key above it; line up keys of the same level"
        )
    if problem.startswith("could not determine a constructor for the tag"):
        tag = problem.split("'")[1] if problem.count("'") >= 2 else "?"
        return f"the tag {tag.replace(_TAG, '!!')} is not supported in ISMS files; remove it"
    for words, hint in _HINTS:
        if problem.startswith(words) or context.startswith(words):
            return hint
    return None


def read_mapping(path: Path, error: type[IsmsError], what: str) -> tuple[dict[str, Any], str]:
    """Read ``path`` as a YAML mapping; raise ``error`` (naming the file and line) when it is not one."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise error(_too_large(size), path=path, line=1)
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
