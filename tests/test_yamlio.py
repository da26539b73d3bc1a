"""The fast paths of toolkit.yamlio's loader give exactly what PyYAML's safe loader gives."""

from __future__ import annotations

import gc
from typing import Any, ClassVar

import pytest
import yaml

from tests.conftest import EXAMPLES, ROOT
from toolkit.yamlio import DatelessLoader, parse

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Reference(_Base):  # type: ignore[misc]
    """PyYAML's safe loader with the same resolvers, none of the shortcuts."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, Any]]]] = (
        DatelessLoader.yaml_implicit_resolvers
    )


def load(text: str, loader: type) -> str:
    """The data, or the error, as text: ``repr`` tells ``True`` from ``1`` and keeps key order."""
    try:
        return repr(yaml.load(text, Loader=loader))  # noqa: S506 - both are safe loaders
    except yaml.YAMLError as exc:
        return f"{type(exc).__name__}: {exc}"


SNIPPETS = [
    "a: 1\nb: 010\nc: 0x1F\nd: 1_000\ne: +5\nf: -3\ng: 1:30\nh: 0\ni: 00\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: ~\ng: null\nh:\ni: ''\n",
    "a: .5\nb: 1e3\nc: .inf\nd: -.Inf\ne: .nan\nf: 2026-01-01\ng: 2026-01-01T10:00:00Z\n",
    "a: !!str 12\nb: !!int '7'\nc: !!binary aGVsbG8=\nd: !!set {x, y}\ne: !!omap [{k: v}]\n",
    "base: &base {x: 1, y: 2}\nchild:\n  <<: *base\n  y: 3\n",
    "list: &l [1, 2]\nsame: *l\nname: &n text\nagain: *n\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n",
    "r: &r [*r]\n",
    '"on": 2026-05-20\n1: one\n2.5: two\nnull: three\ntrue: four\n',
    "k: v\nk: w\n",
    "- a\n- [b, {c: d}]\n- ~\n",
    "plain: ünïcødé ²\nnum: ١٢\n",
    "",
    "just a string\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_the_loader_matches_the_safe_loader(text: str) -> None:
    assert load(text, DatelessLoader) == load(text, Reference)


def test_the_loader_matches_on_every_yaml_file_of_the_project() -> None:
    paths = [*EXAMPLES.rglob("*.yml"), *(ROOT / "controls").rglob("*.yml"), *(ROOT / "tests").rglob("*.yaml")]
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    for path in EXAMPLES.rglob("*.md"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.startswith("---\n") and "\n---" in text[4:]:
            texts.append(text[4 : text.index("\n---", 4)])
    assert len(texts) > 100
    for text in texts:
        assert load(text, DatelessLoader) == load(text, Reference)


def test_dates_stay_strings() -> None:
    assert parse("due: 2026-11-23\n") == ({"due": "2026-11-23"}, None)


@pytest.mark.parametrize("text", ["a: 1\n", "a: [1\n"])
def test_parsing_leaves_the_cycle_collector_as_it_found_it(text: str) -> None:
    assert gc.isenabled()
    parse(text)
    assert gc.isenabled()
    gc.disable()
    try:
        parse(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
