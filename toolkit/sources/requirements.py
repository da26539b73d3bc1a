"""``registers/requirements.yml``: Legal, regulatory and contractual requirements."""

from __future__ import annotations

from toolkit import registers
from toolkit.sources.base import YamlSource

KIND = YamlSource(
    name="requirements",
    path="registers/requirements.yml",
    schema="requirements",
    title="registers/requirements.yml",
    description="Legal, regulatory and contractual requirements, under registers/.",
    entries=registers.requirements,
    order=40,
)
