"""Every finding code the check can report: its default level and what it means.

This table is the one source for the SARIF rule list and the finding-codes page of the docs.
"""

from __future__ import annotations

from typing import NamedTuple


class Code(NamedTuple):
    """A finding code's default level and a one-line description."""

    level: str
    description: str


CODES: dict[str, Code] = {
    "file-unreadable": Code("error", "A file could not be read (permissions or I/O error)."),
    "file-encoding": Code("error", "A file is not UTF-8 text."),
    "file-empty": Code("error", "A document is empty."),
    "front-matter-missing": Code("error", "A document does not start with a '---' front matter block."),
    "front-matter-unclosed": Code("error", "A document's front matter is never closed with '---'."),
    "yaml-syntax": Code("error", "YAML that cannot be parsed, in front matter, isms.yml or soa.yml."),
    "yaml-not-mapping": Code("error", "Front matter or a YAML file is empty or not a key: value mapping."),
    "schema": Code(
        "error", "A field breaks the JSON Schema: unknown key, wrong type, bad value, missing key."
    ),
    "documents-missing": Code(
        "error", "The documents folder named in isms.yml (default policies/) does not exist."
    ),
    "catalog-invalid": Code(
        "error", "A catalog in the repository's controls/ folder is invalid or reuses a built-in id."
    ),
    "unknown-catalog": Code("error", "isms.yml names a control catalog the toolkit does not have."),
    "unknown-control": Code("error", "A document or soa.yml names a control that is not in its catalog."),
    "duplicate-id": Code("error", "Two documents share an id."),
    "exclusion-unjustified": Code("error", "soa.yml excludes a control without a justification."),
    "soa-incomplete": Code(
        "warning", "An applicable control has no implementation status or no justification in soa.yml."
    ),
    "control-missing": Code(
        "error",
        "An applicable control is addressed by no document (not reported for a control that a document "
        "with errors cites: fix that document first).",
    ),
    "control-drafted": Code(
        "warning", "A control is addressed only by drafts (or approved documents not yet in force)."
    ),
    "approval-incomplete": Code("error", "An approved document has no approver or no approval date."),
    "review-overdue": Code("warning", "An approved document's next review date has passed."),
    "placeholder": Code(
        "warning", "Template text left in a document ({{, {%, TBD, [Company Name]); an error once approved."
    ),
    "broken-link": Code("error", "A relative link points to a file that does not exist."),
}
