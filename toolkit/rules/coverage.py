"""Rules on coverage: every applicable control is addressed, by a document in force."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Document, Finding
from toolkit.rules.base import front_matter_line, rule
from toolkit.sources.config import CONFIG_FILE
from toolkit.sources.soa import SOA_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

# `catalog:control` as written in front matter, found in text that may not parse as YAML.
# Bounded and anchored, so that a long word in broken front matter is scanned in linear time.
REFERENCE_LIKE = re.compile(r"(?<![a-z0-9])[a-z0-9][a-z0-9-]{0,63}:[A-Za-z0-9][A-Za-z0-9.]{0,63}")


@rule(
    {
        "control-missing": Code(
            "error",
            "An applicable control is addressed by no document (not reported for a control that a document "
            "with errors cites: fix that document first).",
        ),
        "control-drafted": Code(
            "warning", "A control is addressed only by drafts (or approved documents not yet in force)."
        ),
    }
)
def control_coverage(workspace: Workspace) -> Iterable[Finding]:
    """An applicable control with no document is an error; one with drafts only, a warning."""
    first_reference: dict[str, tuple[Document, int]] = {}
    retired: dict[str, list[str]] = {}
    # Controls cited by a document with errors: that document's own findings already fail the check,
    # and one typo there must not also come back as a control-missing error per control it cites.
    cited_by_broken: set[str] = set()
    # Controls cited by forms: a form is evidence that a control works, not a document that sets it.
    cited_by_forms: dict[str, list[str]] = {}
    for document in workspace.documents:
        for index, ref in enumerate(document.controls):
            if document.valid and document.is_form:
                cited_by_forms.setdefault(ref, []).append(document.id)
                continue
            first_reference.setdefault(ref, (document, index))
            if document.valid and document.status == "retired":
                retired.setdefault(ref, []).append(document.id)
        if not document.valid:
            # Its YAML may not even parse: take whatever looks like a control reference in its text.
            cited_by_broken.update(document.controls, REFERENCE_LIKE.findall(document.front_matter or ""))
    config_text = workspace.config_file.text
    frameworks_line = locate(config_text, ["frameworks"]) if config_text else None
    for catalog_id, result in workspace.coverage.items():
        catalog = workspace.catalogs[catalog_id]
        for control_id, state in result.states.items():
            control = catalog.controls[control_id]
            if state == "missing":
                if control.ref in cited_by_broken or control.id in cited_by_broken:
                    continue
                if control.satisfied_by == "soa":
                    message = f"{control.ref} ({control.title}): {SOA_FILE} is missing or invalid"
                    yield Finding(SOA_FILE, None, "control-missing", "error", message)
                    continue
                was = (
                    f" (only the retired {', '.join(retired[control.ref])} did)"
                    if control.ref in retired
                    else ""
                )
                if control.ref in cited_by_forms and not was:
                    forms = ", ".join(cited_by_forms[control.ref])
                    was = f" (only forms cite it: {forms}; a form is evidence, not coverage)"
                message = (
                    f"{catalog.title}: {control.ref} ({control.title}) is applicable but no document "
                    f"addresses it{was}; cite "
                    f"it in a document's controls, or exclude it in {SOA_FILE} with a justification"
                )
                yield Finding(CONFIG_FILE, frameworks_line, "control-missing", "error", message, "frameworks")
            elif state == "drafted":
                document, index = first_reference[control.ref]
                line = front_matter_line(document, ["controls", index])
                message = f"{control.ref} ({control.title}) is addressed only by documents not yet in force"
                yield Finding(document.rel, line, "control-drafted", "warning", message, f"controls[{index}]")


RULES = (control_coverage,)
