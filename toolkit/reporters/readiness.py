"""``isms readiness`` formats: a rich table for a terminal, Markdown, JSON and CSV, over one result.

Every format shows the same rows (:func:`prerequisite_rows`, :func:`phase_rows`), so they agree.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from toolkit.model import csv_safe
from toolkit.readiness import STAGE_TITLES
from toolkit.reporters.markdown import cell

if TYPE_CHECKING:
    from toolkit.readiness import Readiness

PREREQUISITE_HEADERS = ("Stage", "Prerequisite", "State", "Where it stands", "What closes it")
PHASE_HEADERS = ("Weeks", "From", "To", "Phase", "State")
STYLES = {"closed": "green", "in progress": "yellow", "open": "red", "done": "green", "shortened": "yellow"}


def prerequisite_rows(result: Readiness) -> list[tuple[str, str, str, str, str]]:
    """One row per prerequisite: stage, title, state, reason, action."""
    return [(str(i.stage), i.title, i.state, i.reason, i.action) for i in result.items]


def phase_rows(result: Readiness) -> list[tuple[str, str, str, str, str]]:
    """One row per phase of the plan: weeks, from, to, title, state (none without a plan)."""
    if result.plan is None:
        return []
    rows = []
    for phase in result.plan.phases:
        weeks = "" if phase.first_week is None else f"{phase.first_week}-{phase.last_week}"
        if phase.first_week is not None and phase.first_week == phase.last_week:
            weeks = str(phase.first_week)
        start = phase.start.isoformat() if phase.start else ""
        end = phase.end.isoformat() if phase.end else ""
        rows.append((weeks, start, end, phase.title, phase.state))
    return rows


def _heading(result: Readiness) -> str:
    return f"Certification readiness of {result.name} on {result.today.isoformat()}: {result.summary}"


def text(result: Readiness, *, color: bool = False) -> str:
    """Rich tables: the prerequisites by stage, then the plan and its verdict."""
    from rich.console import Console  # noqa: PLC0415 - rich is only needed for this format
    from rich.markup import escape  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    buffer = io.StringIO()
    console = Console(
        file=buffer, width=120, force_terminal=color, no_color=not color, highlight=False, emoji=False
    )
    console.print(escape(_heading(result)))
    for stage, title in STAGE_TITLES.items():
        table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False)
        table.add_column(PREREQUISITE_HEADERS[1], no_wrap=True)  # one line each: greppable
        table.add_column(PREREQUISITE_HEADERS[2], no_wrap=True)
        for header in PREREQUISITE_HEADERS[3:]:
            table.add_column(header, overflow="fold")
        for row in prerequisite_rows(result):
            if row[0] == str(stage):
                state = f"[{STYLES[row[2]]}]{escape(row[2])}[/]"
                table.add_row(escape(row[1]), state, escape(row[3]), escape(row[4]))
        console.print()
        console.print(table)
    plan = result.plan
    if plan is not None:
        table = Table(title="Plan", title_justify="left", show_edge=False, pad_edge=False)
        for header in PHASE_HEADERS:
            table.add_column(header, overflow="fold")
        for weeks, start, end, title, state in phase_rows(result):
            table.add_row(weeks, start, end, escape(title), f"[{STYLES.get(state, 'default')}]{state}[/]")
        console.print()
        console.print(table)
        console.print()
        console.print(escape(f"Sized by {plan.sizing}."))
        style = "bold red" if plan.realistic is False else "bold"
        console.print(f"[{style}]{escape(plan.verdict)}[/]")
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def markdown(result: Readiness) -> str:
    """A heading, a table per stage, and the plan."""
    out = [f"# Certification readiness: {cell(result.name)}", "", f"{cell(_heading(result))}.", ""]
    for stage, title in STAGE_TITLES.items():
        out += [f"## {title}", "", "| " + " | ".join(PREREQUISITE_HEADERS[1:]) + " |", "|---|---|---|---|"]
        out += [
            f"| {cell(row[1])} | {row[2]} | {cell(row[3])} | {cell(row[4])} |"
            for row in prerequisite_rows(result)
            if row[0] == str(stage)
        ]
        out.append("")
    plan = result.plan
    if plan is not None:
        out += ["## Plan", "", "| " + " | ".join(PHASE_HEADERS) + " |", "|---|---|---|---|---|"]
        out += [f"| {' | '.join(cell(value) for value in row)} |" for row in phase_rows(result)]
        out += ["", f"Sized by {cell(plan.sizing)}.", "", f"**{cell(plan.verdict)}**", ""]
        out += [f"Figures: {cell(plan.source)}.", ""]
    return "\n".join(out)


def to_json(result: Readiness) -> str:
    """The result as JSON (see :meth:`toolkit.readiness.Readiness.to_dict`)."""
    data: dict[str, Any] = {"format_version": 1, **result.to_dict()}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def to_csv(result: Readiness) -> str:
    """RFC 4180 CSV: the prerequisites, then the plan's phases, told apart by the first column."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["Section", "Stage", "Id", "Title", "State", "Reason", "Action", "Weeks", "From", "To"])
    for item in result.items:
        cells = (str(item.stage), item.id, item.title, item.state, item.reason, item.action, "", "", "")
        writer.writerow(["prerequisite", *(csv_safe(value) for value in cells)])
    if result.plan is not None:
        for phase, (weeks, start, end, title, state) in zip(
            result.plan.phases, phase_rows(result), strict=True
        ):
            writer.writerow(["phase", "", phase.id, csv_safe(title), state, "", "", weeks, start, end])
        writer.writerow(["verdict", "", "", "", "", csv_safe(result.plan.verdict), "", "", "", ""])
    return buffer.getvalue()
