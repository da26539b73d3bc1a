"""``records/nonconformities.yml``: nonconformities and their corrective actions."""

from __future__ import annotations

from toolkit import records
from toolkit.sources.base import YamlSource

KIND = YamlSource(
    name="nonconformities",
    path="records/nonconformities.yml",
    schema="nonconformities",
    title="records/nonconformities.yml",
    description="Nonconformities and corrective actions, under records/.",
    entries=records.nonconformities,
    order=60,
)
