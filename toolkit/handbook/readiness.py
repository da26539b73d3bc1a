"""The readiness page of the handbook, for the ISMS team and auditors: what ``isms readiness`` shows.

The prerequisites by stage and the plan to Stage 2 from the handbook's date (the build date, or
``SOURCE_DATE_EPOCH``, as every other dated part of the handbook), from the same rows as the command's
formats. No MkDocs API; kept out of the staff search, like the other reference pages.
"""

from __future__ import annotations

import html

from toolkit.handbook.markup import GENERATED_DIR, Blocks, Page, text
from toolkit.handbook.reference import WIDE, html_table
from toolkit.readiness import STAGE_TITLES, assess
from toolkit.reporters.readiness import PHASE_HEADERS, PREREQUISITE_HEADERS, phase_rows, prerequisite_rows
from toolkit.workspace import Workspace

READINESS = f"{GENERATED_DIR}/readiness.md"
TITLE = "Certification readiness"


def readiness_page(workspace: Workspace) -> Page:
    """Where each Stage 1 and Stage 2 prerequisite stands, and the plan from the handbook's date."""
    result = assess(workspace, plan=True)
    blocks = Blocks()
    out = [
        WIDE + f"# {TITLE}",
        "",
        f"Where the ISMS stands against the prerequisites of certification on {result.today.isoformat()}, "
        f"computed from this repository ({text(result.summary)}), and the plan to the Stage 2 audit. "
        "`isms readiness` shows the same, and plans towards a target date with `--target`.",
        "",
    ]
    rows = prerequisite_rows(result)
    for stage, title in STAGE_TITLES.items():
        table = [list(row[1:]) for row in rows if row[0] == str(stage)]
        out += [f"## {text(title)}", "", blocks.add(html_table(list(PREREQUISITE_HEADERS[1:]), table)), ""]
    plan = result.plan
    if plan is not None:
        out += ["## Plan", ""]
        out += [blocks.add(html_table(list(PHASE_HEADERS), [list(row) for row in phase_rows(result)])), ""]
        notes = (f"Sized by {plan.sizing}.", plan.verdict, f"Figures: {plan.source}.")
        out += [blocks.add("\n".join(f"<p>{html.escape(note)}</p>" for note in notes)), ""]
    return Page(READINESS, TITLE, "\n".join(out), blocks.items)
