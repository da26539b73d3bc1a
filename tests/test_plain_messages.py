"""Schema messages that explain what YAML read and what to write instead, and what counts as a date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_schemas import MINIMAL_FRONT_MATTER
from toolkit.cli import cli
from toolkit.validation import validator
from toolkit.yamlio import parse


def test_a_yes_no_boolean_gets_a_hint() -> None:
    data = parse("controls:\n  demo:D.1:\n    applicable: no\n")[0]
    messages = [violation.message for violation in validator("soa").violations(data)]
    assert messages == [
        "'no' is not of type 'boolean'; write true or false (YAML 1.2 reads yes/no/on/off as text)"
    ]


def test_a_yes_no_answer_is_refused_with_the_hint(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("company_name: Acme Services\nbyod_allowed: no\n", encoding="utf-8")
    result = runner.invoke(cli, ["init", str(tmp_path / "out"), "--no-input", "--answers", str(answers)])
    assert result.exit_code == 2
    assert f"{answers}:2: byod_allowed: 'no' is not of type 'boolean'; write true or false" in result.stderr


def _messages(snippet: str) -> list[tuple[str, str]]:
    data, problem = parse(snippet)
    assert problem is None
    violations = validator("policy").violations({**MINIMAL_FRONT_MATTER, **data})
    return [(violation.field, violation.message) for violation in violations]


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("title: 5.10", '5.10 is read as the number 5.1, not as text; quote the value in YAML: "5.10"'),
        ("title: 0123", '0123 is read as the number 83, not as text; quote the value in YAML: "0123"'),
        ("title: 12", '12 is read as a number, not as text; quote the value in YAML: "12"'),
    ],
)
def test_a_number_where_text_is_expected_is_quoted_as_written(snippet: str, message: str) -> None:
    assert _messages(snippet) == [("title", message)]


def test_a_reference_with_a_space_after_the_colon_says_how_to_write_it() -> None:
    assert _messages("controls:\n  - iso27001-2022: A.5.10") == [
        (
            "controls[0]",
            "'iso27001-2022: A.5.10' is read as a key and a value because of the space after the colon; "
            "write the reference without a space after the colon: iso27001-2022:A.5.10",
        )
    ]


def test_a_mapping_with_spaces_where_text_is_expected_says_to_quote_it() -> None:
    assert _messages("title:\n  Policy: clear desk") == [
        (
            "title",
            "'Policy: clear desk' is read as a key and a value, not as text; "
            'put it in quotes: "Policy: clear desk"',
        )
    ]


@pytest.mark.parametrize(
    ("date", "reason"),
    [
        ("2026-13-01", "month 13 does not exist"),
        ("2026-00-10", "month 0 does not exist"),
        ("2026-01-32", "day 32 does not exist"),
        ("2026-02-30", "February 2026 has 28 days, so day 30 does not exist"),
        ("2026-04-31", "April 2026 has 30 days, so day 31 does not exist"),
        ("9999-12-31", "the year 9999 is outside 1900 to 2199"),
    ],
)
def test_an_impossible_date_says_why(date: str, reason: str) -> None:
    assert _messages(f"approved_on: {date}") == [
        ("approved_on", f"'{date}' is not a date (YYYY-MM-DD): {reason}")
    ]


def test_a_misspelt_key_gets_the_closest_known_key() -> None:
    assert _messages("owenr: CISO") == [("owenr", "unknown key 'owenr'; did you mean 'owner'?")]
    assert _messages("colour: red") == [("colour", "unknown key 'colour'")]


def test_a_soa_key_that_is_not_a_reference_is_explained_not_shown_as_a_pattern(tmp_path: Path) -> None:
    import shutil  # noqa: PLC0415

    from click.testing import CliRunner  # noqa: PLC0415

    from tests.conftest import EXAMPLES  # noqa: PLC0415
    from toolkit.cli import cli  # noqa: PLC0415

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "valid-minimal" / "repo", repo)
    soa = repo / "soa.yml"
    soa.write_text(soa.read_text(encoding="utf-8").replace("  demo:D.1:", "  demo D.1:"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(repo), "-f", "json", "--today", "2026-06-01"])
    messages = [f["message"] for f in json.loads(result.stdout)["findings"] if f["code"] == "schema"]
    assert messages and "a control reference, catalog-id:control-id" in messages[0]
    assert "^[" not in messages[0]
