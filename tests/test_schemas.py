"""The JSON Schemas: valid Draft 2020-12, documented for editors, and both validators agree."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import EXAMPLES
from toolkit.resources import schemas_dir
from toolkit.sources import schema_names
from toolkit.validation import generated_code, load_schema, module_name, schema_digest, validator
from toolkit.yamlio import parse

SCHEMA_NAMES = schema_names()

MINIMAL_FRONT_MATTER = {
    "id": "POL-X",
    "title": "Example",
    "type": "policy",
    "status": "draft",
    "version": "1.0.0",
    "owner": "CISO",
    "controls": [],
}
SCHEMA_FILES = sorted(schemas_dir().glob("*.schema.json"))


def test_every_schema_is_listed() -> None:
    assert sorted(path.name.removesuffix(".schema.json") for path in SCHEMA_FILES) == sorted(SCHEMA_NAMES)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schema_passes_the_metaschema(path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]
    Draft202012Validator.check_schema(schema)


def _properties(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{where}.{name}", sub
        for key, sub in schema.items():
            if key in ("properties",):
                for name, child in sub.items():
                    yield from _properties(child, f"{where}.{name}")
            elif isinstance(sub, (dict, list)):
                yield from _properties(sub, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from _properties(item, f"{where}[{index}]")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_title_and_description(name: str) -> None:
    missing = [
        where
        for where, prop in _properties(load_schema(name), name)
        if not (prop.get("title") and prop.get("description"))
    ]
    assert missing == []


def _example_front_matters() -> Iterator[tuple[str, Any]]:
    for path in sorted(EXAMPLES.rglob("policies/*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
        if text.startswith("---\n") and "\n---" in text[3:]:
            data, problem = parse(text[4 : text.index("\n---", 3)])
            if problem is None and isinstance(data, dict):
                yield str(path.relative_to(EXAMPLES)), data


FRONT_MATTERS = list(_example_front_matters())


@pytest.mark.parametrize(("where", "data"), FRONT_MATTERS, ids=[where for where, _ in FRONT_MATTERS])
def test_fast_and_full_validators_agree(where: str, data: Any) -> None:
    """fastjsonschema (the happy path) and jsonschema (the messages) give the same verdict."""
    full = Draft202012Validator(load_schema("policy"), format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert (validator("policy").violations(data) == []) is full.is_valid(data)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"version": 1.0}, "version", "quote the value"),
        ({"approved_on": "2026-02-30"}, "approved_on", "YYYY-MM-DD"),
        ({"status": "aproved"}, "status", "draft, approved, retired"),
        ({"controls": ["A.7.7"]}, "controls[0]", "iso27001-2022:A.7.7"),
        ({"colour": "red"}, "colour", "unknown key"),
    ],
)
def test_messages_are_plain(data: dict[str, Any], field: str, words: str) -> None:
    violations = validator("policy").violations({**MINIMAL_FRONT_MATTER, **data})
    assert [(v.field, words in v.message) for v in violations] == [(field, True)]


def test_extension_keys_are_allowed() -> None:
    data = {**MINIMAL_FRONT_MATTER, "x-ticket": "SEC-12"}
    assert validator("policy").violations(data) == []


def test_every_generated_validator_belongs_to_a_schema_and_has_a_python_name() -> None:
    package = importlib.import_module("toolkit._validators")
    modules = {path.stem for path in Path(str(package.__file__)).parent.glob("*.py")} - {"__init__"}
    assert modules == {module_name(name) for name in SCHEMA_NAMES}
    assert all(module.isidentifier() for module in modules)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_generated_validator_is_fresh(name: str) -> None:
    """toolkit/_validators/ is generated from schemas/: run python -m toolkit.validation after a change.

    The checksum of the schema it was generated from must match (the code itself may differ slightly
    between fastjsonschema releases), and the shipped module is the one in use.
    """
    module = importlib.import_module(f"toolkit._validators.{module_name(name)}")
    assert schema_digest(name) == module.SCHEMA_CRC32
    assert validator(name)._fast is module.validate
    assert f'SCHEMA_CRC32 = "{schema_digest(name)}"' in generated_code(name)
