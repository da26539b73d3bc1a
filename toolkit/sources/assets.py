"""``registers/assets.yml``: the asset inventory."""

from __future__ import annotations

from toolkit import registers
from toolkit.sources.base import YamlSource

KIND = YamlSource(
    name="assets",
    path="registers/assets.yml",
    schema="assets",
    title="registers/assets.yml",
    description="The asset inventory, under registers/.",
    entries=registers.assets,
    order=40,
)
