"""Certification readiness: where the repository stands against the Stage 1 and Stage 2 prerequisites.

Each prerequisite is a small function over the workspace (see :mod:`toolkit.readiness.base`), listed in
the ``PREREQUISITES`` of a module of this package, as the check rules are; :func:`assess` runs them all
and, when asked, lays out the plan to certification (:mod:`toolkit.readiness.plan`). ``isms readiness``
and the handbook's readiness page both show what :func:`assess` returns, so they cannot disagree.
A new prerequisite is a new function in a module here, not a longer report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from toolkit.model import printable
from toolkit.readiness.base import Prerequisite, State

if TYPE_CHECKING:
    from toolkit.readiness.plan import Plan
    from toolkit.workspace import Workspace

STAGE_TITLES = {1: "Stage 1: the documents", 2: "Stage 2: the ISMS at work"}


@cache
def all_prerequisites() -> tuple[Prerequisite, ...]:
    """Every prerequisite of every module of this package, Stage 1 first, module by module in name order."""
    import pkgutil  # noqa: PLC0415 - only when the registry is first read

    found: list[Prerequisite] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name in {"base", "plan"} or info.name.startswith("_"):
            continue
        found += getattr(import_module(f"{__name__}.{info.name}"), "PREREQUISITES", ())
    return tuple(sorted(found, key=lambda item: item.stage))


@dataclass(frozen=True)
class Item:
    """One prerequisite's result."""

    id: str
    stage: int
    title: str
    phase: str
    state: State
    reason: str
    action: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "stage": self.stage,
            "title": self.title,
            "phase": self.phase,
            "state": self.state,
            "reason": self.reason,
            "action": self.action,
        }


@dataclass
class Readiness:
    """Every prerequisite's state on ``today``, and the plan when one was asked for."""

    name: str
    today: dt.date
    items: list[Item]
    plan: Plan | None = None

    def stage(self, number: int) -> list[Item]:
        return [item for item in self.items if item.stage == number]

    def count(self, state: State) -> int:
        return sum(1 for item in self.items if item.state == state)

    @property
    def summary(self) -> str:
        """``3 of 11 prerequisites closed, 2 in progress, 6 open``."""
        return (
            f"{self.count('closed')} of {len(self.items)} prerequisites closed, "
            f"{self.count('in progress')} in progress, {self.count('open')} open"
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON shape of ``isms readiness --format json``."""
        return {
            "repository": self.name,
            "today": self.today.isoformat(),
            "summary": {state: self.count(state) for state in ("closed", "in progress", "open")},
            "prerequisites": [item.to_dict() for item in self.items],
            "plan": self.plan.to_dict() if self.plan is not None else None,
        }


def assess(
    workspace: Workspace, *, start: dt.date | None = None, target: dt.date | None = None, plan: bool = False
) -> Readiness:
    """Every prerequisite's status in ``workspace``; with ``plan`` (or a ``start`` or ``target``), the
    week-by-week plan from ``start`` (default: the workspace's today) towards ``target``."""
    items = []
    for prerequisite in all_prerequisites():
        status = prerequisite(workspace)
        items.append(
            Item(
                prerequisite.id,
                prerequisite.stage,
                prerequisite.title,
                prerequisite.phase,
                status.state,
                printable(status.reason),
                printable(status.action),
            )
        )
    result = Readiness(printable(workspace.name), workspace.today, items)
    if plan or start is not None or target is not None:
        from toolkit.readiness.plan import make_plan  # noqa: PLC0415

        result.plan = make_plan(workspace.config, items, start or workspace.today, target)
    return result
