"""Edit a document's front matter in place, touching only the keys asked for.

Comments, key order, quoting of other keys and the whole body stay byte-identical: values are replaced
at the exact character spans the YAML parser reports, new keys are inserted as new lines, and a change
log entry is appended in the style (flow or block, indentation) of the entries already there.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import yaml

from toolkit.yamlio import DatelessLoader

# Text that YAML 1.1 readers (PyYAML's safe_load among them) take for a boolean: always written quoted.
YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def scalar(value: Any) -> str:
    """A YAML scalar for ``value``: plain when that reads back the same, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    plain_ok = (
        text
        and text.strip() == text
        and not any(ch in text for ch in ":#{}[],&*!|>'\"%@`\n")
        and yaml.load(text, Loader=DatelessLoader) == text  # noqa: S506 - a safe loader
        and text.lower() not in YAML11_BOOLEANS
    )
    return text if plain_ok else json.dumps(text, ensure_ascii=False)


class LayoutError(ValueError):
    """The YAML is laid out in a way that cannot be edited in place. ``line`` is 1-based in the text."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def check_editable(text: str, keys: Collection[str]) -> None:
    """Raise :class:`LayoutError` when ``text`` cannot have ``keys`` edited in place.

    That is when the mapping is one flow mapping (``{id: X, ...}``, or JSON), whose keys are not one a
    line, or when the value of one of ``keys`` is, holds or carries a YAML alias (``*name``) or anchor
    (``&name``): editing it there would change the other keys that share it, or only a copy. Text that
    does not parse, or is not a mapping, is left to the caller's own checks.
    """
    depth = 0  # collection nesting: 1 inside the top-level mapping
    expecting_key = True
    owner: str | None = None  # the top-level key whose value the current events belong to
    try:
        for event in yaml.parse(text, Loader=DatelessLoader):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue  # stream and document events
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if depth == 0:
                if not isinstance(event, yaml.MappingStartEvent):
                    return
                if event.flow_style:
                    raise LayoutError(
                        "written as one flow mapping ({...}) or JSON; approving edits YAML written one "
                        "'key: value' a line: rewrite it that way and try again",
                        line,
                    )
                depth = 1
                continue
            if depth == 1 and expecting_key:
                owner = str(event.value) if isinstance(event, yaml.ScalarEvent) else None
                expecting_key = False
                continue
            if depth == 1:
                expecting_key = True
            if owner is not None and owner in keys:
                _refuse_shared(owner, event, line)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
    except yaml.YAMLError:
        return


def _refuse_shared(owner: str, event: yaml.NodeEvent, line: int) -> None:
    """Raise :class:`LayoutError` when ``event`` (in the value of ``owner``) is an alias or has an anchor."""
    if isinstance(event, yaml.AliasEvent):
        raise LayoutError(
            f"{owner}: is a YAML alias (*{event.anchor}); write the value out in full, so that approving "
            "changes this key only",
            line,
        )
    if event.anchor is not None:
        raise LayoutError(
            f"{owner}: carries a YAML anchor (&{event.anchor}) that other keys may share; write the value "
            "out in full without it",
            line,
        )


def _top_level(front_matter: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    root = yaml.compose(front_matter, Loader=DatelessLoader)
    if not isinstance(root, yaml.MappingNode):
        raise ValueError("front matter is not a mapping")
    return {str(key.value): (key, value) for key, value in root.value}


def set_keys(front_matter: str, values: dict[str, Any], *, insert_before: str = "controls") -> str:
    """Return ``front_matter`` with each key of ``values`` set to its scalar value.

    An existing key keeps its line and position; only its value's characters change. A missing key is
    added on a new line before ``insert_before`` (or at the end).
    """
    check_editable(front_matter, values.keys())
    text = front_matter
    for key, value in values.items():
        nodes = _top_level(text)
        if key in nodes:
            _key_node, value_node = nodes[key]
            if not isinstance(value_node, yaml.ScalarNode):
                raise ValueError(f"{key} is not a single value")
            span = _Span(value_node.start_mark.index, value_node.end_mark.index)
            if span.start == span.end:  # `key:` with nothing after it
                text = f"{text[: span.start]} {scalar(value)}{text[span.end :]}"
            else:
                text = text[: span.start] + scalar(value) + text[span.end :]
        else:
            line = f"{key}: {scalar(value)}\n"
            anchor = nodes.get(insert_before)
            if anchor is not None:
                index = anchor[0].start_mark.index - anchor[0].start_mark.column
                text = text[:index] + line + text[index:]
            else:
                text = (text if text.endswith("\n") or not text else text + "\n") + line
    return text


def append_to_list(front_matter: str, key: str, entry: dict[str, Any]) -> str:
    """Append ``entry`` (a mapping) to the top-level list ``key``, in the style of its items."""
    check_editable(front_matter, [key])
    nodes = _top_level(front_matter)
    if key not in nodes or not isinstance(nodes[key][1], yaml.SequenceNode) or not nodes[key][1].value:
        block = f"{key}:\n  - " + "\n    ".join(f"{k}: {scalar(v)}" for k, v in entry.items()) + "\n"
        if key in nodes:  # `changelog: []` or `changelog:` with nothing: replace the whole line
            key_node, value_node = nodes[key]
            start = key_node.start_mark.index
            end = front_matter.find("\n", value_node.end_mark.index)
            end = len(front_matter) if end < 0 else end + 1
            return front_matter[:start] + block + front_matter[end:]
        return front_matter + ("" if front_matter.endswith("\n") else "\n") + block
    sequence = nodes[key][1]
    last = sequence.value[-1]
    flow_mapping = "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in entry.items()) + "}"
    if getattr(sequence, "flow_style", False):  # `changelog: [{...}]`: add it before the closing bracket
        close = front_matter.rfind("]", 0, sequence.end_mark.index)
        return front_matter[:close] + f", {flow_mapping}" + front_matter[close:]
    dash_column = last.start_mark.column - 2
    indent = " " * max(dash_column, 0)
    if isinstance(last, yaml.MappingNode) and last.flow_style:
        item = f"{indent}- {flow_mapping}\n"
    else:
        inner = " " * last.start_mark.column
        lines = [f"{k}: {scalar(v)}" for k, v in entry.items()]
        item = f"{indent}- {lines[0]}\n" + "".join(f"{inner}{line}\n" for line in lines[1:])
    end = front_matter.find(
        "\n", last.end_mark.index - 1 if last.end_mark.column == 0 else last.end_mark.index
    )
    insert_at = len(front_matter) if end < 0 else end + 1
    return front_matter[:insert_at] + item + front_matter[insert_at:]
