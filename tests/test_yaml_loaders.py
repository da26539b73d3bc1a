"""The two YAML loaders agree: text without a tag is read by the faster :class:`UntaggedLoader`, and it
must give exactly what :class:`DatelessLoader` gives (values, their types, the text an odd number keeps)
and refuse exactly what it refuses, with the same message on the same line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.sources.documents import split_front_matter
from toolkit.yaml_loader import DatelessLoader, UntaggedLoader
from toolkit.yamlio import parse

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "loaders", max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def typed(value: Any) -> Any:
    """``value`` with every leaf's type and kept source text, so that ``1`` and ``True`` or ``1`` and
    ``1.0`` (equal in Python) compare different."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, repr(value), getattr(value, "source", None))


def outcome(text: str, loader: type[DatelessLoader]) -> tuple[Any, Any]:
    data, problem = parse(text, loader=loader)
    return typed(data), problem


def assert_agree(text: str) -> None:
    assert "!" not in text, "the untagged loader is only used for text without a tag"
    assert outcome(text, UntaggedLoader) == outcome(text, DatelessLoader), text


def shipped_yaml() -> list[Path]:
    """Every YAML file and every Markdown front matter the toolkit ships or tests with, tag-free."""
    found = []
    for folder in ("controls", "policy_templates", "tests/examples", "tests/fixtures", "docs"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".yml", ".yaml", ".md"} and path.is_file():
                found.append(path)
    return found


def yaml_of(path: Path) -> str | None:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".md":
        parts = split_front_matter(text)
        text = parts[0] if isinstance(parts, tuple) else ""
    return text if text.strip() and "!" not in text else None


def test_the_shipped_files_are_many() -> None:
    assert sum(1 for path in shipped_yaml() if yaml_of(path) is not None) > 500


@pytest.mark.parametrize("path", shipped_yaml(), ids=lambda path: str(path.relative_to(ROOT)))
def test_both_loaders_read_every_shipped_file_alike(path: Path) -> None:
    text = yaml_of(path)
    if text is not None:
        assert_agree(text)


SCALARS = [
    # numbers in every form the YAML 1.1 resolver knows, and near misses that stay text
    "0",
    "7",
    "-7",
    "+7",
    "007",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "10:30",
    "190:20:30",
    "1.0",
    "5.10",
    "1e3",
    "1.5e3",
    "1.5e+3",
    ".5",
    "-.5",
    ".inf",
    "-.Inf",
    ".NaN",
    "1.2.3",
    "1,000",
    "12a",
    "٣",
    # null, booleans (YAML 1.2: only true and false), YAML 1.1 boolean words that stay text
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "",
    "true",
    "True",
    "TRUE",
    "tRUE",
    "false",
    "False",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    # dates stay text; merge and value keys are text
    "2026-11-23",
    "2026-11-23T10:00:00Z",
    "<<",
    "=",
    # quoted and block scalars are text whatever they look like
    "'1'",
    '"true"',
    "'null'",
    '"~"',
    "'2026-01-01'",
    "|\n  12\n",
    ">\n  true\n",
    "''",
    '""',
    # text
    "Clear desk",
    "A.5.1",
    "iso27001-2022:A.5.1",
    "-",
    "- x",
    "http://example.test/a?b=c#d",
    "x: y z",
]


@pytest.mark.parametrize("scalar", SCALARS)
def test_both_loaders_read_each_kind_of_scalar_alike(scalar: str) -> None:
    if scalar.startswith(("|", ">")):
        assert_agree(f"key: {scalar}")
        assert_agree(f"- {scalar}")
        return
    assert_agree(f"key: {scalar}\n")
    assert_agree(f"- {scalar}\n")
    assert_agree(f"[{scalar}]\n" if scalar and "," not in scalar else "[a]\n")
    assert_agree(f"{scalar}: value\n")  # as a key: text keys agree, other keys are refused alike


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a:\n  b: 1\n  b: 1\n",
        "? [a, b]\n: x\n",
        "? {a: b}\n: x\n",
        "1: x\n",
        "true: x\n",
        "~: x\n",
        "[" * 70 + "]" * 70,
        "a:" + " {b:" * 70 + " 1" + "}" * 70 + "\n",
        "a: [1, {b: [c, {d: null}]}]\n",
        "a: b: c\n",
        "a: 'unclosed\n",
        "",
        "# only a comment\n",
        "- a\n- [b, c]\n- {d: e}\n",
    ],
)
def test_both_loaders_refuse_and_accept_the_same_structures(text: str) -> None:
    assert_agree(text)


WORDS = st.sampled_from([*SCALARS[:-8], "x", "Risk", "owner", "A.8.8", "2026-01-01"])
KEYS = st.sampled_from(["id", "title", "owner", "1", "true", "null", "'quoted'", "x", "id"])


def _yaml(tree: Any, indent: int = 0) -> str:
    pad = " " * indent
    if isinstance(tree, dict):
        if not tree:
            return "{}"
        return "".join(f"\n{pad}{key}: {_yaml(value, indent + 2)}" for key, value in tree.items())
    if isinstance(tree, list):
        if not tree:
            return "[]"
        return "".join(f"\n{pad}- {_yaml(item, indent + 2).lstrip()}" for item in tree)
    return str(tree)


TREES = st.recursive(
    WORDS.filter(lambda word: not word.startswith(("|", ">"))),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=20,
)


@settings(settings.get_profile("loaders"))
@given(TREES)
def test_both_loaders_read_random_nested_yaml_alike(tree: Any) -> None:
    text = _yaml(tree).lstrip("\n") + "\n"
    assert_agree(text)


def test_tagged_text_goes_to_the_full_loader() -> None:
    data, problem = parse("a: !!str 123\nb: 123\n")
    assert problem is None
    assert data == {"a": "123", "b": 123}


def test_the_untagged_loader_is_the_one_used_for_text_without_a_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[str] = []
    real_load = yaml.load

    def spy(text: str, Loader: Any) -> Any:  # noqa: N803 - PyYAML's keyword
        used.append(Loader.__name__)
        return real_load(text, Loader=Loader)

    monkeypatch.setattr(yaml, "load", spy)
    parse("a: 1\n")
    parse("a: !!str 1\n")
    assert used == ["UntaggedLoader", "DatelessLoader"]
