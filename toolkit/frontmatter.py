"""Edit a document's front matter in place, touching only the keys asked for.

Comments, key order, quoting of other keys and the whole body stay byte-identical: values are replaced
at the exact character spans the YAML parser reports, new keys are inserted as new lines, and a change
log entry is appended in the style (flow or block, indentation) of the entries already there.
"""

from __future__ import annotations

import json
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
