"""Reading YAML safely: what ISMS files refuse (aliases, size, depth, odd keys), YAML 1.2 booleans, and
syntax errors reported on the line to fix in plain words."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from toolkit.cli import cli
from toolkit.errors import InvalidAnswersError
from toolkit.frontmatter import scalar
from toolkit.yamlio import MAX_DEPTH, MAX_YAML_BYTES, YamlProblem, locate, parse, read_mapping


def alias_bomb(prefix: str = "x-") -> str:
    """ "Billion laughs": ten anchors of ten aliases each, then one key naming the last (under 1 KB)."""
    lines = [f"{prefix}a0: &a0 lol"]
    lines += [f"{prefix}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 11)]
    return "\n".join([*lines, f"{prefix}title: *a10", ""])


ALIAS_MESSAGE = "YAML aliases (*a0) are not supported in ISMS files; write the value out in full"


# --- 1. aliases ---------------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_at_once() -> None:
    bomb = alias_bomb()
    assert 600 < len(bomb.encode()) <= 1024
    start = time.perf_counter()
    data, problem = parse(bomb)
    assert time.perf_counter() - start < 0.1
    assert problem == YamlProblem(2, ALIAS_MESSAGE)
    assert data is None


def test_a_recursive_alias_is_a_problem_not_a_recursion_error() -> None:
    data, problem = parse("id: X\ncontrols: [&r [*r]]\n")
    assert data is None
    assert problem == YamlProblem(
        2, "YAML aliases (*r) are not supported in ISMS files; write the value out in full"
    )


def test_an_alias_to_an_undefined_anchor_gets_the_same_message() -> None:
    assert parse("title: *missing\n")[1] == YamlProblem(
        1, "YAML aliases (*missing) are not supported in ISMS files; write the value out in full"
    )


def test_a_star_in_text_is_not_an_alias() -> None:
    text = 'title: "*Important* notice"\nsummary: staff * visitors\nnote: &label kept\n'
    assert parse(text) == (
        {"title": "*Important* notice", "summary": "staff * visitors", "note": "kept"},
        None,
    )


def _bomb_in(repo: Path, where: str) -> None:
    path = repo / where
    path.write_text(path.read_text(encoding="utf-8") + alias_bomb(), encoding="utf-8")


def _findings(result: Any) -> list[tuple[str, str, int | None]]:
    report = json.loads(result.stdout)
    return [(f["code"], f["file"], f["line"]) for f in report["findings"]]


@pytest.mark.parametrize(
    ("where", "code", "line"),
    [
        ("isms.yml", "yaml-syntax", 9),
        ("soa.yml", "yaml-syntax", 18),
        ("controls/demo.yml", "catalog-invalid", 21),
    ],
)
def test_an_alias_bomb_in_a_repository_file_is_refused_quickly(
    runner: CliRunner, example_copy: Any, where: str, code: str, line: int
) -> None:
    repo = example_copy("valid-minimal")
    runner.invoke(cli, ["check", str(repo), "--today", "2026-06-01"])  # warm up imports and catalogs
    _bomb_in(repo, where)
    start = time.perf_counter()
    result = runner.invoke(cli, ["check", str(repo), "--today", "2026-06-01", "--format", "json"])
    assert time.perf_counter() - start < 1
    assert result.exit_code == 1, result.output
    assert (code, where, line) in _findings(result)
    assert ALIAS_MESSAGE in result.stdout


def test_an_alias_bomb_in_front_matter_is_refused_quickly(runner: CliRunner) -> None:
    repo = EXAMPLES / "yaml-alias-front-matter" / "repo"
    runner.invoke(cli, ["check", str(EXAMPLES / "valid-minimal" / "repo"), "--today", "2026-06-01"])
    start = time.perf_counter()
    result = runner.invoke(cli, ["check", str(repo), "--today", "2026-06-01", "--format", "json"])
    assert time.perf_counter() - start < 1
    assert _findings(result) == [("yaml-syntax", "policies/infosec.md", 3)]
    assert f"front matter: {ALIAS_MESSAGE}" in result.stdout


def test_an_alias_bomb_in_an_answers_file_is_refused_quickly(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("company_name: Acme Services\n" + alias_bomb(), encoding="utf-8")
    start = time.perf_counter()
    result = runner.invoke(
        cli, ["init", str(tmp_path / "out"), "--no-input", "--answers", str(answers)], catch_exceptions=False
    )
    assert time.perf_counter() - start < 1
    assert result.exit_code == 2
    assert f"{answers}:3: {ALIAS_MESSAGE}" in result.stderr
    assert not (tmp_path / "out").exists()


# --- 2. size and depth --------------------------------------------------------------------------------


def test_yaml_over_one_mebibyte_is_refused() -> None:
    text = "summary: " + "a" * MAX_YAML_BYTES + "\n"
    data, problem = parse(text)
    assert data is None
    assert problem is not None and problem.line == 1
    assert problem.message.startswith("the YAML is larger than 1 MiB (1,048,586 bytes)")


def test_the_size_limit_counts_bytes_not_characters() -> None:
    text = "summary: " + "é" * (MAX_YAML_BYTES // 2) + "\n"  # fewer characters than the limit, more bytes
    assert len(text) < MAX_YAML_BYTES
    assert parse(text)[1] is not None
    assert parse("summary: " + "é" * 1000 + "\n")[1] is None


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "answers.yml"
    path.write_text("company_name: Acme\n" + "#" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    with pytest.raises(InvalidAnswersError) as caught:
        read_mapping(path, InvalidAnswersError, "answers file")
    assert caught.value.line == 1
    assert "larger than 1 MiB" in caught.value.message


def test_oversized_isms_yml_and_front_matter_are_findings(runner: CliRunner, example_copy: Any) -> None:
    repo = example_copy("valid-minimal")
    padding = "x-padding: " + "staff keep desks clear " * (MAX_YAML_BYTES // 20) + "\n"
    (repo / "isms.yml").write_text(
        (repo / "isms.yml").read_text(encoding="utf-8") + padding, encoding="utf-8"
    )
    document = repo / "policies" / "infosec.md"
    document.write_text(document.read_text(encoding="utf-8").replace("---\n", "---\n" + padding, 1))
    result = runner.invoke(cli, ["check", str(repo), "--today", "2026-06-01", "--format", "json"])
    assert result.exit_code == 1
    assert _findings(result) == [("yaml-syntax", "isms.yml", 1), ("yaml-syntax", "policies/infosec.md", 2)]


def test_a_long_word_in_broken_front_matter_is_checked_in_linear_time(
    runner: CliRunner, example_copy: Any
) -> None:
    """Control references are looked for in front matter that does not parse; a long run of letters there
    must not make that search quadratic."""
    repo = example_copy("valid-minimal")
    document = repo / "policies" / "infosec.md"
    broken = "title: [" + "a" * 50_000 + "\n"
    document.write_text(document.read_text(encoding="utf-8").replace("title: ", broken, 1))
    runner.invoke(cli, ["check", str(EXAMPLES / "valid-minimal" / "repo"), "--today", "2026-06-01"])
    start = time.perf_counter()
    result = runner.invoke(cli, ["check", str(repo), "--today", "2026-06-01", "--format", "json"])
    assert time.perf_counter() - start < 1
    assert _findings(result) == [("yaml-syntax", "policies/infosec.md", 3)]


def _flow(levels: int) -> str:
    return "root: " + "[" * (levels - 1) + "]" * (levels - 1) + "\n"


def test_nesting_is_limited_to_64_levels() -> None:
    assert MAX_DEPTH == 64
    assert parse(_flow(64))[1] is None
    data, problem = parse(_flow(65))
    assert data is None
    assert problem is not None and problem.line == 1
    assert problem.message.startswith("the YAML is nested more than 64 levels deep")


def test_deep_block_nesting_names_the_line_where_it_goes_too_deep() -> None:
    text = "root:\n" + "".join(" " * level + "-\n" for level in range(1, 200))
    problem = parse(text)[1]
    assert problem is not None and problem.line == 65
    assert "nested more than 64 levels" in problem.message


@pytest.mark.parametrize("levels", [1_000, 100_000])
def test_very_deep_nesting_is_a_problem_not_a_recursion_error(levels: int) -> None:
    problem = parse("[" * levels + "]" * levels)[1]
    assert problem is not None
    assert "nested more than 64 levels" in problem.message


def test_a_recursion_error_from_the_pure_python_parser_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def recurse(*_args: Any, **_kwargs: Any) -> Any:
        raise RecursionError

    monkeypatch.setattr(yaml, "load", recurse)
    problem = parse("a: b\n")[1]
    assert problem is not None and "nested more than 64 levels" in problem.message


# --- 3 and 4. keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: X\n? [a, b]\n: x\n", 2, "a key here is a list, not text"),
        ("id: X\n? {a: b}\n: x\n", 2, "a key here is a mapping, not text"),
        (
            "id: X\n1: x\n",
            2,
            'the key 1 is read as a number, not as text; write the key as text in quotes: "1":',
        ),
        ("id: X\n5.1: x\n", 2, "the key 5.1 is read as a number"),
        ("true: x\n", 1, "the key true is read as true/false"),
        (
            "null: x\n",
            1,
            'the key null is read as null (no value), not as text; write the key as text in quotes: "null":',
        ),
        ("~: x\n", 1, "the key ~ is read as null"),
        ("id: X\nsites:\n  pune:\n    2: x\n", 4, "the key 2 is read as a number"),
    ],
)
def test_keys_that_are_not_text_are_a_problem(text: str, line: int, words: str) -> None:
    data, problem = parse(text)
    assert data is None
    assert problem is not None and problem.line == line
    assert words in problem.message


def test_quoted_keys_are_text() -> None:
    assert parse('"1": x\n"true": y\n')[0] == {"1": "x", "true": "y"}


def test_a_key_given_twice_is_a_problem_on_the_second() -> None:
    text = "id: X\nstatus: draft\ntitle: Policy\nstatus: approved\n"
    assert parse(text) == (None, YamlProblem(4, "key 'status' appears twice (first on line 2); keep one"))


def test_a_key_given_twice_in_a_nested_mapping_is_a_problem() -> None:
    text = "controls:\n  demo:D.1:\n    status: planned\n  demo:D.1:\n    status: implemented\n"
    assert parse(text) == (None, YamlProblem(4, "key 'demo:D.1' appears twice (first on line 2); keep one"))


# --- 5. YAML 1.2 booleans -----------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["yes", "no", "Yes", "NO", "on", "off", "On", "OFF", "y", "n", "Y", "N"])
def test_yaml_1_1_boolean_words_are_text(word: str) -> None:
    assert parse(f"applicable: {word}\n") == ({"applicable": word}, None)


@pytest.mark.parametrize(
    ("word", "value"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False)],
)
def test_true_and_false_are_booleans(word: str, value: bool) -> None:
    assert parse(f"applicable: {word}\n") == ({"applicable": value}, None)


@pytest.mark.parametrize("text", ["no", "Yes", "ON", "off", "y", "N"])
def test_written_values_that_yaml_1_1_reads_as_booleans_are_quoted(text: str) -> None:
    """``isms approve`` writes values other YAML readers (PyYAML's safe_load) read back as written."""
    assert scalar(text) == f'"{text}"'
    assert yaml.safe_load(f"key: {scalar(text)}") == {"key": text}


def test_shipped_yaml_has_no_yaml_1_1_boolean_words() -> None:
    """The templates, catalogs, examples and docs read the same under YAML 1.1 and 1.2."""
    root = EXAMPLES.parent.parent
    words = {"yes", "no", "on", "off", "y", "n"}
    found = []
    for folder in ("policy_templates", "controls", "tests/examples", "docs"):
        for path in sorted((root / folder).rglob("*")):
            deliberate = "schema-yaml11-boolean" in path.parts  # the example that shows the hint
            if path.suffix not in (".yml", ".yaml", ".md") or not path.is_file() or deliberate:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                value = line.split("#")[0].rstrip().rpartition(": ")[2].removeprefix("- ")
                if (": " in line or line.lstrip().startswith("- ")) and value.lower() in words:
                    found.append(f"{path.relative_to(root)}:{number}")
    assert found == []


# --- 6. messages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "id: X\ntitle Clear desk\ntype: policy\nstatus: draft\n",
            2,
            "invalid YAML: no colon after the key on this line; write it as key: value",
        ),
        (
            "id: X\ncontrols:\n\t- a\n",
            3,
            "invalid YAML: a tab is used for indentation; tabs cannot indent YAML, use spaces",
        ),
        (
            "id: X\ntitle: Policy: clear desk\n",
            2,
            'invalid YAML: a colon and a space inside a value; put the value in quotes, e.g. title: "A: B"',
        ),
        (
            "id: X\n  title: Policy\ntype: policy\n",
            2,
            "invalid YAML: this line is indented more than the key above it; line up keys of the same level",
        ),
        (
            "id: X\ntitle: [Information Security Policy\ntype: policy\n",
            2,
            "invalid YAML: the '[' opened on this line is not closed with ']' (or a comma is missing); "
            "to write text that starts with '[', put it in quotes",
        ),
        (
            'id: X\ntitle: "Policy\ntype: policy\n',
            2,
            "invalid YAML: the quote opened on this line is not closed",
        ),
        (
            "controls:\n  - a\n - b\n",
            3,
            "invalid YAML: this line does not line up with the keys above it; check its indentation",
        ),
        (
            "data: !!binary aGVsbG8=\n",
            1,
            "invalid YAML: the tag !!binary is not supported in ISMS files; remove it",
        ),
    ],
)
def test_syntax_errors_name_the_line_to_fix_in_plain_words(text: str, line: int, message: str) -> None:
    assert parse(text) == (None, YamlProblem(line, message))


def test_merge_and_value_keys_are_plain_text() -> None:
    """YAML 1.2 has no merge key (<<) or value key (=): they are text, and the schema reports them."""
    assert parse("<<: {a: 1}\nb: =\n") == ({"<<": {"a": 1}, "b": "="}, None)


# --- locate -------------------------------------------------------------------------------------------


def test_locate_gives_up_on_text_it_would_refuse() -> None:
    assert locate("a: 1\n" + "b: " + "x" * MAX_YAML_BYTES, ["b"]) == 1
    assert locate("a: 1\nb: 2\n", ["b"]) == 2


@pytest.mark.parametrize("text", ["a: 1\n", "a: [1\n"])
def test_parsing_leaves_the_cycle_collector_as_it_found_it(text: str) -> None:
    import gc  # noqa: PLC0415

    assert gc.isenabled()
    parse(text)
    assert gc.isenabled()
    gc.disable()
    try:
        parse(text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_plain_scalars_resolve_as_the_safe_loader_resolves_them_bar_booleans() -> None:
    """The resolver shortcut gives the types PyYAML gives (YAML 1.2 booleans apart)."""
    text = "a: 1\nb: 0x1F\nc: 1_000\nd: .5\ne: .inf\nf: ~\ng: null\nh: text\ni: true\nj: 2026-01-01\n"
    data, problem = parse(text)
    assert problem is None
    assert data == {
        "a": 1,
        "b": 31,
        "c": 1000,
        "d": 0.5,
        "e": float("inf"),
        "f": None,
        "g": None,
        "h": "text",
        "i": True,
        "j": "2026-01-01",
    }


def test_the_resolver_shortcut_holds_for_this_loader() -> None:
    """resolve() skips path resolvers and catch-all resolvers: the loader must have neither."""
    from toolkit.yamlio import DatelessLoader  # noqa: PLC0415

    assert not DatelessLoader.yaml_path_resolvers
    assert None not in DatelessLoader.yaml_implicit_resolvers
