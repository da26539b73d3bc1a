"""``isms.yml``: the repository's configuration (organisation, scope, roles, frameworks, parameters)."""

from __future__ import annotations

from toolkit.sources.base import YamlSource

CONFIG_FILE = "isms.yml"

KIND = YamlSource(
    name="config",
    path=CONFIG_FILE,
    schema="isms",
    title="isms.yml",
    description="The repository's configuration, at its root.",
    order=0,
)
