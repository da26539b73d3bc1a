"""``registers/risks.yml``: the risk register and treatment plan."""

from __future__ import annotations

from toolkit import registers
from toolkit.sources.base import YamlSource

KIND = YamlSource(
    name="risks",
    path="registers/risks.yml",
    schema="risks",
    title="registers/risks.yml",
    description="The risk register and treatment plan, under registers/.",
    entries=registers.risks,
    order=40,
)
