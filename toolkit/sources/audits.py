"""``records/audits/*.yml``: the internal audit reports, one file per audit."""

from __future__ import annotations

from toolkit import records
from toolkit.sources._folder import YamlFolderSource

KIND = YamlFolderSource(
    name="audits",
    folder="records/audits",
    schema="audit",
    title="records/audits/*.yml",
    description="One internal audit report per file, under records/audits/.",
    entry=records.audit,
    order=60,
)
