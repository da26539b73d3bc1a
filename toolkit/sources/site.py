"""``mkdocs.yml``: how the handbook is built, read the way :mod:`toolkit.rules.site` can judge it.

MkDocs reads its configuration with PyYAML's full loader, which runs ``!!python/object/apply`` tags,
reads environment variables (``!ENV``) and other files (``INHERIT``). This kind reads the file first,
with the same hardened loader as every other file plus one difference: a tag the safe loader does not
know is kept as a :class:`Tagged` value with its line, never constructed, so that the rules can refuse it
before MkDocs ever reads the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml

from toolkit.model import Finding
from toolkit.sources.base import NOT_MAPPING, SourceFile, YamlSource, read_text, schema_findings
from toolkit.yamlio import DatelessLoader, parse

SITE_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Tagged:
    """A value written with a tag only MkDocs' loader knows (``!ENV``, ``!!python/name:…``)."""

    tag: str
    line: int
    text: str

    def __str__(self) -> str:
        return self.text


def _keep_tagged(loader: Any, node: yaml.Node) -> Tagged:
    text = node.value if isinstance(node, yaml.ScalarNode) else ""
    return Tagged(node.tag, node.start_mark.line + 1, text)


class SiteLoader(DatelessLoader):
    """:class:`DatelessLoader` that keeps an unknown tag as a :class:`Tagged` value instead of refusing it."""

    yaml_constructors: ClassVar[dict[Any, Any]] = {**DatelessLoader.yaml_constructors, None: _keep_tagged}


def plain(value: Any) -> Any:
    """``value`` without its :class:`Tagged` values (what the schema validates: the rules report them)."""
    if isinstance(value, Tagged):
        return value.text
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items() if not isinstance(item, Tagged)}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


@dataclass(frozen=True)
class SiteSource(YamlSource):
    """The one ``mkdocs.yml`` at the repository's root; its data keeps tagged values (see module doc)."""

    def load(self, root: Path, loaded: dict[str, Any]) -> SourceFile:
        path = root / self.path
        source = SourceFile(self.name, self.path, path)
        if not (path.exists() or path.is_symlink()):
            return source
        text = read_text(path, self.path, source.findings, root=root)
        source.text = text or ""
        if text is None:
            return source
        data, problem = parse(text, SiteLoader)
        if problem is not None:
            source.findings.append(Finding(self.path, problem.line, "yaml-syntax", "error", problem.message))
        elif not isinstance(data, dict):
            source.findings.append(
                Finding(self.path, 1, "yaml-not-mapping", "error", f"the file {NOT_MAPPING}")
            )
        else:
            source.data = data
            source.valid = schema_findings(plain(data), text, self.path, self.schema, source.findings)
        return source

    def meta_of(self, text: str) -> dict[str, Any]:
        data, problem = parse(text, SiteLoader)
        return plain(data) if problem is None and isinstance(data, dict) else {}


KIND = SiteSource(
    name="site",
    path=SITE_FILE,
    schema="site",
    title="mkdocs.yml",
    description="How the handbook is built (MkDocs' configuration), at the repository's root.",
    order=90,
)
