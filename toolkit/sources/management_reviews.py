"""``records/management-reviews/*.yml``: the minutes of the management reviews, one file per review."""

from __future__ import annotations

from toolkit import records
from toolkit.sources._folder import YamlFolderSource

KIND = YamlFolderSource(
    name="management_reviews",
    folder="records/management-reviews",
    schema="management-review",
    title="records/management-reviews/*.yml",
    description="The minutes of one management review per file, under records/management-reviews/.",
    entry=records.management_review,
    order=60,
)
