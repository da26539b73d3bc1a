"""``registers/suppliers.yml``: Suppliers and sub-processors."""

from __future__ import annotations

from toolkit import registers
from toolkit.sources.base import YamlSource

KIND = YamlSource(
    name="suppliers",
    path="registers/suppliers.yml",
    schema="suppliers",
    title="registers/suppliers.yml",
    description="Suppliers and sub-processors, under registers/.",
    entries=registers.suppliers,
    order=40,
)
