"""Rules on staff acknowledgements: each staff policy acknowledged by enough current staff, and by joiners
within their induction window.

Both need a roster (``records/roster.csv``): without one nobody is known to owe an acknowledgement, so a
freshly generated repository has no finding. Both are reported once per document, at the line of the
document's ``version``, naming at most a few employee ids: at 10,000 staff a finding per person would
bury every other finding, and ``isms ack report`` gives the full list for follow-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import front_matter_line, rule

if TYPE_CHECKING:
    from toolkit.ack_report import AckReport
    from toolkit.workspace import Workspace

NAMED = 3  # employee ids named in one finding; the report lists them all


def _report(workspace: Workspace) -> AckReport | None:
    if not workspace.source("roster").exists:
        return None
    from toolkit.ack_report import build_report  # noqa: PLC0415 - only for a repository with a roster

    return build_report(workspace)


def _line(workspace: Workspace, file: str) -> int | None:
    document = next((doc for doc in workspace.documents if doc.rel == file), None)
    if document is None or "version" not in document.meta:
        return None
    return front_matter_line(document, ["version"])


@rule(
    {
        "acknowledgement-below-threshold": Code(
            "warning",
            "Fewer current staff than isms.yml acknowledgements.threshold_percent (default 95) have "
            "acknowledged a staff policy's current major version (checked once a roster is imported).",
        )
    }
)
def below_threshold(workspace: Workspace) -> Iterable[Finding]:
    """Each staff policy in force is acknowledged by at least the threshold share of current staff."""
    report = _report(workspace)
    if report is None:
        return
    threshold = report.settings.threshold_percent
    for item in report.documents:
        share = item.share
        if share is None or share * 100 >= threshold:
            continue
        message = (
            f"{item.id} version {item.version}: {item.acknowledged} of {item.staff} current staff "
            f"({item.percent}) have acknowledged major version {item.major}, below the {threshold:g}% "
            "threshold; follow up the list of isms ack report and import the new acknowledgements"
        )
        yield Finding(
            item.file,
            _line(workspace, item.file),
            "acknowledgement-below-threshold",
            "warning",
            message,
            "version",
        )


@rule(
    {
        "acknowledgement-induction-overdue": Code(
            "warning",
            "Staff who joined after a staff policy's current major version came into force have not "
            "acknowledged it within isms.yml acknowledgements.induction_days (default 7); one finding per "
            "document.",
        )
    }
)
def induction_overdue(workspace: Workspace) -> Iterable[Finding]:
    """Joiners acknowledge each staff policy within their induction window."""
    report = _report(workspace)
    if report is None:
        return
    days = report.settings.induction_days
    for item in report.documents:
        if not item.overdue:
            continue
        count = len(item.overdue)
        named = ", ".join(item.overdue[:NAMED]) + (f" and {count - NAMED} more" if count > NAMED else "")
        message = (
            f"{item.id} version {item.version}: {count} joiner(s) have not acknowledged it within "
            f"{days} days of joining ({named}); isms ack report lists them with their teams"
        )
        yield Finding(
            item.file,
            _line(workspace, item.file),
            "acknowledgement-induction-overdue",
            "warning",
            message,
            "version",
        )


RULES = (below_threshold, induction_overdue)
