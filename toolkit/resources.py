"""Where the toolkit's data lives: ``controls/``, ``schemas/`` and ``policy_templates/``.

In an installed wheel the three folders are packaged as ``toolkit/_data/<name>``; in a checkout (or an
editable install) they sit at the top level beside ``toolkit/``. This module is the only place that knows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA_FOLDERS = ("controls", "schemas", "policy_templates")


@cache
def data_dir(name: str) -> Path:
    """The folder ``name`` (one of :data:`DATA_FOLDERS`) as a real path on disk."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder {name!r}")
    package = Path(__file__).resolve().parent  # the toolkit package, installed or checked out
    packaged = package / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = package.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"toolkit data folder {name!r} is missing from {package}")


def controls_dir() -> Path:
    """The control catalogs."""
    return data_dir("controls")


def schemas_dir() -> Path:
    """The JSON Schemas."""
    return data_dir("schemas")


def templates_dir() -> Path:
    """The cookiecutter policy templates."""
    return data_dir("policy_templates")
