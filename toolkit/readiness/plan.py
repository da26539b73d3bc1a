"""The road to certification: a week-by-week plan sized by seats and standards, shortened by what is done.

The figures come from one data file, ``timelines.yml`` beside this module (its ``source`` names where
they come from): a band of seats and standards gives the weeks of a whole project, from gap assessment to
Stage 2, at its quickest and at its slowest; each phase takes its share. A phase whose prerequisites are
all closed takes no time, one in progress half its share. Pure functions of ``isms.yml`` and the
prerequisites' states; the dates are counted from ``start``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from toolkit.yamlio import parse

if TYPE_CHECKING:
    from toolkit.readiness import Item

ALWAYS = {"stage-1", "stage-2"}  # audits by the certification body: never done in the repository
FIRST = "gap-assessment"  # done as soon as any prerequisite has moved


@dataclass(frozen=True)
class Band:
    id: str
    title: str
    seats_from: int
    seats_to: int | None
    standards: tuple[str, ...]
    weeks_min: int
    weeks_max: int


@dataclass(frozen=True)
class Standard:
    key: str
    title: str
    pattern: re.Pattern[str]
    extra_weeks: int


@dataclass(frozen=True)
class Timelines:
    source: str
    bands: tuple[Band, ...]
    standards: tuple[Standard, ...]
    phases: tuple[tuple[str, str, float], ...]


@cache
def timelines() -> Timelines:
    """The figures of ``timelines.yml`` (a test checks the file: bands, standards, shares adding to 1)."""
    text = files("toolkit.readiness").joinpath("timelines.yml").read_text(encoding="utf-8")
    data, problem = parse(text)
    if problem is not None or not isinstance(data, dict):  # pragma: no cover - shipped with the package
        raise RuntimeError(f"toolkit/readiness/timelines.yml is broken: {problem}")
    bands = tuple(
        Band(
            item["id"],
            item["title"],
            item["seats"]["from"],
            item["seats"].get("to"),
            tuple(item["standards"]),
            item["weeks"]["min"],
            item["weeks"]["max"],
        )
        for item in data["bands"]
    )
    standards = tuple(
        Standard(
            key,
            value["title"],
            re.compile(rf"(?<!\d){re.escape(value['match'])}(?!\d)"),
            value["extra_weeks"],
        )
        for key, value in data["standards"].items()
    )
    phases = tuple((item["id"], item["title"], float(item["share"])) for item in data["phases"])
    return Timelines(" ".join(str(data["source"]).split()), bands, standards, phases)


def seats_of(config: dict[str, Any]) -> int | None:
    """The seats of every site of ``isms.yml`` added up; None when no site gives a number."""
    sites = config.get("sites")
    counts = [
        site["seats"]
        for site in (sites if isinstance(sites, list) else [])
        if isinstance(site, dict)
        and isinstance(site.get("seats"), int)
        and not isinstance(site["seats"], bool)
    ]
    return sum(counts) if counts else None


def standards_of(config: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The known standards in scope (keys of ``timelines.yml``, in its order), from ``standards`` and
    ``frameworks`` of ``isms.yml``, and the standards it names that the figures do not know."""
    named = [
        item
        for key in ("standards", "frameworks")
        for item in (config.get(key) or [])
        if isinstance(item, str)
    ]
    known: set[str] = set()
    unknown = []
    for item in named:
        matched = {standard.key for standard in timelines().standards if standard.pattern.search(item)}
        known |= matched
        if not matched and item in (config.get("standards") or []):
            unknown.append(item)
    return [standard.key for standard in timelines().standards if standard.key in known], unknown


def band_for(seats: int, standards: Sequence[str]) -> Band:
    """The band whose seats include ``seats`` and that shares the most standards with ``standards``
    (the first such in the file)."""
    fitting = [
        band
        for band in timelines().bands
        if band.seats_from <= seats and (band.seats_to is None or seats <= band.seats_to)
    ] or [timelines().bands[0]]
    return max(fitting, key=lambda band: len(set(band.standards) & set(standards)))


@dataclass(frozen=True)
class PlanPhase:
    """One phase of the plan: ``state`` is done (no time left), shortened (in progress) or planned."""

    id: str
    title: str
    state: str
    weeks: float
    start: dt.date | None
    end: dt.date | None
    first_week: int | None
    last_week: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "state": self.state,
            "weeks": round(self.weeks, 1),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "first_week": self.first_week,
            "last_week": self.last_week,
        }


@dataclass(frozen=True)
class Plan:
    """The plan from ``start``: sizing, the earliest and latest typical Stage 2, and the phases."""

    start: dt.date
    target: dt.date | None
    seats: int | None
    standards: tuple[str, ...]
    unsized: tuple[str, ...]
    band: Band
    weeks_min: int
    weeks_max: int
    earliest: dt.date
    latest: dt.date
    stage2: dt.date
    realistic: bool | None
    phases: tuple[PlanPhase, ...]
    source: str

    @property
    def verdict(self) -> str:
        """One line: whether the target is realistic, and the earliest realistic Stage 2."""
        weeks = math.ceil((self.earliest - self.start).days / 7)
        earliest = f"{self.earliest.isoformat()} ({weeks} weeks from {self.start.isoformat()})"
        if self.target is None:
            return f"Earliest realistic Stage 2: {earliest}; typical by {self.latest.isoformat()}."
        if self.realistic:
            return (
                f"Target {self.target.isoformat()} is realistic: the earliest realistic Stage 2 is "
                f"{earliest}; this plan reaches Stage 2 on {self.stage2.isoformat()}."
            )
        target = self.target.isoformat()
        return f"Target {target} is not realistic: the earliest realistic Stage 2 is {earliest}."

    @property
    def sizing(self) -> str:
        """How the plan was sized, in one line."""
        seats = (
            f"{self.seats} seats"
            if self.seats is not None
            else "no seats in isms.yml (sized as the smallest band)"
        )
        names = {standard.key: standard.title for standard in timelines().standards}
        scope = ", ".join(names[key] for key in self.standards) or "no standard the figures know"
        weeks = f"{self.weeks_min} to {self.weeks_max} weeks for a whole project"
        line = f"{seats}; {scope}: {weeks} ({self.band.title})"
        if self.unsized:
            line += f"; not sized: {', '.join(self.unsized)}"
        return line

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "target": self.target.isoformat() if self.target else None,
            "realistic": self.realistic,
            "earliest_stage2": self.earliest.isoformat(),
            "latest_stage2": self.latest.isoformat(),
            "planned_stage2": self.stage2.isoformat(),
            "seats": self.seats,
            "standards": list(self.standards),
            "unsized_standards": list(self.unsized),
            "band": self.band.id,
            "weeks": {"min": self.weeks_min, "max": self.weeks_max},
            "verdict": self.verdict,
            "sizing": self.sizing,
            "source": self.source,
            "phases": [phase.to_dict() for phase in self.phases],
        }


def phase_factors(items: Sequence[Item]) -> dict[str, float]:
    """The share of each phase still to do: 0 when its prerequisites are all closed, 1 when all are open
    (or it has none), 0.5 between. Gap assessment is done once any prerequisite has moved."""
    factors = {}
    for phase_id, _title, _share in timelines().phases:
        states = {item.state for item in items if item.phase == phase_id}
        if phase_id in ALWAYS:
            factors[phase_id] = 1.0
        elif phase_id == FIRST:
            factors[phase_id] = 0.0 if any(item.state != "open" for item in items) else 1.0
        elif states == {"closed"}:
            factors[phase_id] = 0.0
        elif not states or states == {"open"}:
            factors[phase_id] = 1.0
        else:
            factors[phase_id] = 0.5
    return factors


def _phases(start: dt.date, pace: float, factors: dict[str, float]) -> tuple[PlanPhase, ...]:
    phases, done_days = [], 0.0
    for phase_id, title, share in timelines().phases:
        weeks = pace * share * factors[phase_id]
        if weeks == 0:
            phases.append(PlanPhase(phase_id, title, "done", 0.0, None, None, None, None))
            continue
        first, last = round(done_days), round(done_days + weeks * 7)
        done_days += weeks * 7
        state = "shortened" if factors[phase_id] < 1 else "planned"
        phases.append(
            PlanPhase(
                phase_id,
                title,
                state,
                weeks,
                start + dt.timedelta(days=first),
                start + dt.timedelta(days=last),
                first // 7 + 1,
                max(first // 7 + 1, math.ceil(last / 7)),
            )
        )
    return tuple(phases)


def make_plan(config: dict[str, Any], items: Sequence[Item], start: dt.date, target: dt.date | None) -> Plan:
    """The plan for the repository of ``config`` whose prerequisites are ``items``, from ``start``.

    Without ``target`` the plan runs at the middle of the band's range; with one, as slowly as the band
    allows while still reaching Stage 2 by ``target``, or at its quickest when even that is too late
    (then it is not realistic)."""
    seats = seats_of(config)
    standards, unsized = standards_of(config)
    band = band_for(seats or 0, standards)
    extra = sum(
        s.extra_weeks for s in timelines().standards if s.key in standards and s.key not in band.standards
    )
    low, high = band.weeks_min + extra, band.weeks_max + extra
    factors = phase_factors(items)
    left = sum(share * factors[phase_id] for phase_id, _title, share in timelines().phases)
    earliest_days, latest_days = round(low * left * 7), round(high * left * 7)
    realistic: bool | None = None
    pace = (low + high) / 2
    if target is not None:
        available = (target - start).days
        realistic = available >= earliest_days
        pace = min(high, available / (left * 7)) if realistic else low
    phases = _phases(start, pace, factors)
    end = max((phase.end for phase in phases if phase.end is not None), default=start)
    return Plan(
        start=start,
        target=target,
        seats=seats,
        standards=tuple(standards),
        unsized=tuple(unsized),
        band=band,
        weeks_min=low,
        weeks_max=high,
        earliest=start + dt.timedelta(days=earliest_days),
        latest=start + dt.timedelta(days=latest_days),
        stage2=end,
        realistic=realistic,
        phases=phases,
        source=timelines().source,
    )
