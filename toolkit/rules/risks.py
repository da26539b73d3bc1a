"""Rules on the risk register: scored by the method of isms.yml, treated, on time, accepted by the right role.

A risk's level is its likelihood times its impact, on the scales of isms.yml ``risk_method``. At or above
the treatment threshold a risk needs a treatment (and, unless it is accepted, an owner, controls and an
action with owner and due date); a residual level at or above the acceptance threshold needs the
acceptance authority's acceptance.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding, Level, parse_date
from toolkit.registers import Risk, RiskMethod, risk_method
from toolkit.rules.base import rule
from toolkit.rules.ownership import roles_of
from toolkit.rules.references import UNKNOWN_CONTROL, unresolved
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

KIND = "risks"


def _risks(workspace: Workspace) -> list[Risk]:
    found: list[Risk] = workspace.entries(KIND)
    return found


def _line(workspace: Workspace, risk: Risk, *path: str) -> int:
    """The line of ``path`` in ``risk`` (its first line when the field is missing)."""
    return locate(workspace.source(KIND).text or "", [KIND, risk.index, *path])


def _name(risk: Risk) -> str:
    return risk.id or f"risk {risk.index + 1}"


def _finding(workspace: Workspace, risk: Risk, path: tuple[str, ...], code: str, message: str) -> Finding:
    level: Level = "warning" if code == "risk-action-overdue" else "error"
    field = f"{KIND}[{risk.index}]" + "".join(f".{step}" for step in path)
    return Finding(workspace.source(KIND).rel, _line(workspace, risk, *path), code, level, message, field)


def _method(workspace: Workspace) -> RiskMethod | None:
    return risk_method(workspace.config)


def _score(value: object, scale: tuple[str, ...]) -> int | None:
    """``value`` when it is a step of ``scale`` (1 to its length), else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(scale):
        return value
    return None


def _level(method: RiskMethod, likelihood: object, impact: object) -> int | None:
    """Likelihood times impact, or None when either is missing or off its scale (reported elsewhere)."""
    return method.level(_score(likelihood, method.likelihood), _score(impact, method.impact))


def _residual_level(risk: Risk, method: RiskMethod) -> int | None:
    """The level once treated: the residual scores' product, or the inherent level without them."""
    if "likelihood" in risk.residual or "impact" in risk.residual:
        return _level(method, risk.residual.get("likelihood"), risk.residual.get("impact"))
    return _level(method, risk.likelihood, risk.impact)


@rule(
    {
        "risk-method-missing": Code(
            "error", "The risk register has risks but isms.yml has no risk_method to score them on."
        )
    }
)
def method_present(workspace: Workspace) -> Iterable[Finding]:
    """Risks are scored on the method of isms.yml, so a register with risks needs one."""
    config = workspace.config  # empty when isms.yml does not parse: that finding says enough
    if config and _risks(workspace) and "risk_method" not in config:
        line = locate(workspace.config_file.text or "", ["risk_method"])
        message = (
            f"{workspace.source(KIND).rel} has risks but {CONFIG_FILE} has no risk_method: add one "
            "(likelihood and impact scales, treatment and acceptance thresholds, acceptance authority) "
            "so that the risks' scores can be read"
        )
        yield Finding(CONFIG_FILE, line, "risk-method-missing", "error", message, "risk_method")


@rule(
    {
        "risk-score-out-of-scale": Code(
            "error",
            "A risk's likelihood or impact (or residual one) is outside the scale of the risk method.",
        ),
        "risk-level-mismatch": Code("error", "A risk's stored level is not its likelihood times its impact."),
    }
)
def scores(workspace: Workspace) -> Iterable[Finding]:
    """Likelihood and impact are steps of the method's scales; a stored level equals their product."""
    method = _method(workspace)
    if method is None:
        return
    for risk in _risks(workspace):
        for path, value, scale in (
            (("likelihood",), risk.likelihood, method.likelihood),
            (("impact",), risk.impact, method.impact),
            (("residual", "likelihood"), risk.residual.get("likelihood"), method.likelihood),
            (("residual", "impact"), risk.residual.get("impact"), method.impact),
        ):
            if isinstance(value, int) and not isinstance(value, bool) and _score(value, scale) is None:
                what = " ".join(path)
                steps = ", ".join(f"{number} {step}" for number, step in enumerate(scale, 1))
                message = (
                    f"{_name(risk)}: {what} {value} is not on the {path[-1]} scale of {CONFIG_FILE} "
                    f"risk_method (1 to {len(scale)}: {steps})"
                )
                yield _finding(workspace, risk, path, "risk-score-out-of-scale", message)
        level = _level(method, risk.likelihood, risk.impact)
        if level is not None and risk.stored_level is not None and risk.stored_level != level:
            message = (
                f"{_name(risk)}: level {risk.stored_level} is not likelihood {risk.likelihood} x impact "
                f"{risk.impact} = {level}; write {level}, or remove the level and let the check work it out"
            )
            yield _finding(workspace, risk, ("level",), "risk-level-mismatch", message)


def _treatment_gaps(risk: Risk) -> list[str]:
    """What a risk to be treated (not accepted) lacks: owner, controls, action, its owner and due date."""
    gaps = []
    if not risk.owner:
        gaps.append("an owner (owner:)")
    if not risk.controls:
        gaps.append("a control (controls:)")
    if not risk.action:
        gaps.append("an action (action: with description, owner and due date)")
    else:
        gaps += [
            f"an action {what} (action.{key})"
            for key, what in (("owner", "owner"), ("due", "due date"))
            if not risk.action.get(key)
        ]
    return gaps


@rule(
    {
        "risk-untreated": Code(
            "error",
            "A risk at or above the treatment threshold has no treatment, or is not accepted but lacks an "
            "owner, a control, or an action with owner and due date.",
        )
    }
)
def treatments(workspace: Workspace) -> Iterable[Finding]:
    """Every risk at or above the treatment threshold is treated in full (accepted ones: see acceptances)."""
    method = _method(workspace)
    if method is None:
        return
    for risk in _risks(workspace):
        level = _level(method, risk.likelihood, risk.impact)
        if level is None or level < method.treatment_threshold or risk.treatment == "accept":
            continue
        above = f"is at level {level} (treatment threshold {method.treatment_threshold})"
        if not risk.treatment:
            message = f"{_name(risk)} {above} but has no treatment: reduce, avoid, transfer or accept it"
            yield _finding(workspace, risk, (), "risk-untreated", message)
            continue
        gaps = _treatment_gaps(risk)
        if gaps:
            message = (
                f"{_name(risk)} {above} and its treatment is {risk.treatment}, but it lacks "
                f"{', '.join(gaps)}; add them, or accept the risk"
            )
            yield _finding(workspace, risk, ("treatment",), "risk-untreated", message)


@rule({"risk-action-overdue": Code("warning", "A treatment action is past its due date and not done.")})
def actions_on_time(workspace: Workspace) -> Iterable[Finding]:
    """A treatment action that is not done is not past its due date."""
    today = workspace.today
    for risk in _risks(workspace):
        due = parse_date(risk.action.get("due"))
        if due is not None and due < today and risk.action.get("status") != "done":
            days = (today - due).days
            message = (
                f"{_name(risk)}: the treatment action was due on {due.isoformat()} ({days} days ago) and is "
                "not done; finish it and mark it done, or agree a new due date"
            )
            yield _finding(workspace, risk, ("action", "due"), "risk-action-overdue", message)


@rule(
    {
        "risk-not-accepted": Code(
            "error",
            "A risk whose residual level is at or above the acceptance threshold, or that is accepted at or "
            "above the treatment threshold, has no acceptance, or one not by the acceptance authority.",
        ),
        "risk-acceptance-future": Code("error", "A risk's acceptance is dated after today."),
    }
)
def acceptances(workspace: Workspace) -> Iterable[Finding]:
    """High residual risks are accepted by the acceptance authority; accepting is never dated ahead."""
    method = _method(workspace)
    roles = roles_of(workspace.config)
    authority = method.acceptance_authority if method else ""
    key = (roles.key_of(authority) if roles else None) or authority
    names = {key, roles.titles.get(key, key)} if roles else {authority}
    who = roles.describe(key) if roles else authority
    for risk in _risks(workspace):
        on = parse_date(risk.acceptance.get("on"))
        if on is not None and on > workspace.today:
            message = (
                f"{_name(risk)}: accepted on {on.isoformat()}, after today ({workspace.today.isoformat()}); "
                "record the date the acceptance was given"
            )
            yield _finding(workspace, risk, ("acceptance", "on"), "risk-acceptance-future", message)
        if method is None:
            continue
        level = _level(method, risk.likelihood, risk.impact)
        residual = _residual_level(risk, method)
        by_authority = residual is not None and residual >= method.acceptance_threshold
        accepted_high = (
            risk.treatment == "accept" and level is not None and level >= method.treatment_threshold
        )
        if not by_authority and not accepted_high:
            continue
        why = (
            f"its residual level {residual} is at or above the acceptance threshold "
            f"{method.acceptance_threshold}"
            if by_authority
            else f"it is accepted at level {level} (treatment threshold {method.treatment_threshold})"
        )
        by = risk.acceptance.get("by")
        if not risk.acceptance:
            needed = f"by {who}" if by_authority else "by its owner"
            message = (
                f"{_name(risk)}: {why}, but no acceptance is recorded; "
                f"record acceptance {needed} and the date"
            )
            path = ("residual",) if risk.residual and by_authority else ("treatment",)
            yield _finding(workspace, risk, path, "risk-not-accepted", message)
        elif by_authority and by not in names:
            message = f"{_name(risk)}: {why}, so it must be accepted by {who}, not {by!r}"
            yield _finding(workspace, risk, ("acceptance", "by"), "risk-not-accepted", message)


@rule({"unknown-control": UNKNOWN_CONTROL})
def risk_controls(workspace: Workspace) -> Iterable[Finding]:
    """Every control a risk treatment chose is in its catalog."""
    known: dict[str, str | None] = {}
    source = workspace.source(KIND)
    for risk in _risks(workspace):
        for index, reason in unresolved(risk.controls, workspace.catalogs, known):
            yield Finding(
                source.rel,
                locate(source.text or "", [KIND, risk.index, "controls", index]),
                "unknown-control",
                "error",
                f"{_name(risk)}: {reason}",
                f"{KIND}[{risk.index}].controls[{index}]",
            )


RULES = (method_present, scores, treatments, actions_on_time, acceptances, risk_controls)
