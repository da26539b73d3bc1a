"""JSON Schema validation: compiled once, fast on the happy path, jsonschema's messages on failure.

Each schema is compiled with fastjsonschema for the common case (a valid document costs microseconds).
Only when that says "invalid" is jsonschema's Draft 2020-12 validator imported and asked for every error,
so the user gets jsonschema's wording, the field path and (for ``anyOf``/``oneOf``) the best match.
A test keeps both validators in agreement over the example repositories.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import fastjsonschema

from toolkit.resources import schemas_dir

SCHEMA_NAMES = ("policy", "isms", "soa", "answers", "catalog", "crosswalk")


@dataclass(frozen=True)
class SchemaViolation:
    """One schema error: where (a path of keys and indexes) and a plain message."""

    path: tuple[str | int, ...]
    message: str

    @property
    def field(self) -> str:
        """The path as users write it: ``changelog[0].date``; empty for the document itself."""
        out = ""
        for step in self.path:
            out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
        return out


def is_date(value: object) -> bool:
    """``YYYY-MM-DD`` and a real calendar date (the ``date`` format of both validators)."""
    if not isinstance(value, str):
        return True  # format applies to strings only; "type" reports the rest
    if len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema ``schemas/<name>.schema.json`` as a dict."""
    path = schemas_dir() / f"{name}.schema.json"
    with path.open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


class SchemaValidator:
    """A schema compiled once; :meth:`violations` returns ``[]`` for valid data."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.schema = load_schema(name)
        # fastjsonschema implements drafts 4 to 7; our schemas use only keywords those share with 2020-12.
        fast_schema = {**self.schema, "$schema": "http://json-schema.org/draft-07/schema#"}
        self._fast = fastjsonschema.compile(fast_schema, formats={"date": is_date}, use_default=False)
        self._full: Any = None

    def violations(self, data: Any) -> list[SchemaViolation]:
        """All violations, in a stable order (by path, then message)."""
        try:
            self._fast(data)
        except fastjsonschema.JsonSchemaException:
            return self._explain(data)
        return []

    def _explain(self, data: Any) -> list[SchemaViolation]:
        if self._full is None:
            from jsonschema import Draft202012Validator, FormatChecker  # noqa: PLC0415 - only on failure

            checker = FormatChecker(formats=())
            checker.checks("date")(is_date)
            self._full = Draft202012Validator(self.schema, format_checker=checker)
        from jsonschema.exceptions import best_match  # noqa: PLC0415 - only on failure

        found = []
        for error in self._full.iter_errors(data):
            if error.validator in ("anyOf", "oneOf") and error.context:
                error = best_match(error.context)  # noqa: PLW2901 - narrowed to the useful branch
            path = tuple(error.absolute_path)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                allowed = set(error.schema.get("properties", {}))
                for key in sorted(set(error.instance) - allowed, key=str):
                    if not str(key).startswith("x-"):
                        found.append(SchemaViolation((*path, key), f"unknown key {key!r}"))
                continue
            if error.validator == "required":
                key = error.message.split("'")[1] if error.message.count("'") >= 2 else ""
                found.append(SchemaViolation((*path, key) if key else path, f"missing required key {key!r}"))
                continue
            found.append(SchemaViolation(path, plain_message(error)))
        if not found:  # the fast validator disagreed; report rather than pass silently
            found.append(SchemaViolation((), "does not match the schema"))
        unique = {(violation.path, violation.message): violation for violation in found}
        return sorted(unique.values(), key=lambda v: (tuple(str(step) for step in v.path), v.message))


def plain_message(error: Any) -> str:
    """jsonschema's message, with the few that read badly for YAML users made plain."""
    validator = error.validator
    if (
        validator == "type"
        and isinstance(error.instance, (int, float))
        and "string" in str(error.validator_value)
    ):
        return f'{error.message}; quote the value in YAML, e.g. "{error.instance}"'
    if validator == "format" and error.validator_value == "date":
        return f"{error.instance!r} is not a date in the form YYYY-MM-DD"
    if validator == "enum":
        allowed = ", ".join(str(value) for value in error.validator_value)
        return f"{error.instance!r} is not one of: {allowed}"
    if validator == "pattern" and isinstance(error.schema, dict) and error.schema.get("description"):
        return f"{error.instance!r} is not in the expected form: {error.schema['description']}"
    message: str = error.message
    return message


@cache
def validator(name: str) -> SchemaValidator:
    """The compiled validator for ``schemas/<name>.schema.json`` (compiled on first use)."""
    return SchemaValidator(name)
