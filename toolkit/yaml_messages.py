"""The messages of YAML problems: what went wrong, on which line, and what to write instead.

Parser errors (libyaml's and PyYAML's wording) are turned into plain advice; the loader's own refusals
(too deep, too large, a key that is not text, a key given twice) are worded here too.
"""

from __future__ import annotations

import yaml

# Deeper nesting than any ISMS file needs: refused (see toolkit.yamlio).
MAX_DEPTH = 64
TAG = "tag:yaml.org,2002:"


def key_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    kinds = {"int": "a number", "float": "a number", "bool": "true/false", "null": "null (no value)"}
    return kinds.get(str(node.tag).removeprefix(TAG), f"the type {node.tag}")


def too_deep() -> str:
    return (
        f"the YAML is nested more than {MAX_DEPTH} levels deep; ISMS files need only a few levels "
        "(look for unclosed brackets or runaway indentation)"
    )


def unclosed(opening: str, closing: str) -> str:
    return (
        f"the '{opening}' opened on this line is not closed with '{closing}' (or a comma is missing); "
        f"to write text that starts with '{opening}', put it in quotes"
    )


def too_large(size: int) -> str:
    return (
        f"the YAML is larger than 1 MiB ({size:,} bytes), more than any ISMS file needs; "
        "split it or remove what does not belong"
    )


def key_not_text(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        written = node.value or "(empty)"
        return (
            f"the key {written} is read as {key_kind(node)}, not as text; "
            f'write the key as text in quotes: "{node.value}":'
        )
    return f"a key here is {key_kind(node)}, not text; write the key as text (quote it)"


def key_twice(node: yaml.MappingNode, key: str) -> str:
    first = next(k for k, _v in node.value if k.value == key)
    return f"key {key!r} appears twice (first on line {first.start_mark.line + 1}); keep one"


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """A parser error as ``(line, message)``: the line to fix, with a hint in plain words where one is
    known."""
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
    return line, f"invalid YAML: {hint}"


# Parser messages (libyaml's and PyYAML's) that start with these words, and what to tell the user.
_HINTS = (
    ("could not find expected ':'", "no colon after the key on this line; write it as key: value"),
    ("did not find expected key", "this line does not line up with the keys above it; check its indentation"),
    (
        "did not find expected '-' indicator",
        "this line does not line up with the list above it; list items start with '- ' at one indentation",
    ),
    ("exceeded maximum nesting depth", too_deep()),
    ("while parsing a flow sequence", unclosed("[", "]")),
    ("while parsing a flow mapping", unclosed("{", "}")),
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
        return f"the tag {tag.replace(TAG, '!!')} is not supported in ISMS files; remove it"
    for words, hint in _HINTS:
        if problem.startswith(words) or context.startswith(words):
            return hint
    return None
