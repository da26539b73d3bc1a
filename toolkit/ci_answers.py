"""The answers about where the check runs and where the handbook goes, and how they fit together.

``ci`` picks the CI system's file (a GitHub workflow, a ``.gitlab-ci.yml``, or none); ``handbook_publish``
where the CI puts the built handbook (``artifact``, the default, keeps it a download of the CI run;
``github-pages`` and ``gitlab-pages`` make it a website, which is public on most plans). A handbook
classified above ``public`` goes to a website only with ``handbook_public_confirmed: true``.
``toolkit_requirement`` says where the CI and pre-commit install the toolkit from
(see :mod:`toolkit.distribution`).
"""

from __future__ import annotations

from typing import Any

# Answers given as a list in cookiecutter.json: the first entry is the default.
CHOICE_KEYS = ("bpo_type", "ci", "handbook_publish")
# A publishing target that makes a website, and the CI system that can publish it.
WEBSITES = {"github-pages": "github", "gitlab-pages": "gitlab"}
PUBLIC_LEVEL = "public"


def example_choices(defaults: dict[str, Any]) -> dict[str, Any]:
    """The answers cookiecutter.json gives as a choice or derives, for the example company: each choice's
    first entry, and the toolkit this template came with."""
    from toolkit.distribution import default_requirement  # noqa: PLC0415

    return {**{key: defaults[key][0] for key in CHOICE_KEYS}, "toolkit_requirement": default_requirement()}


def handbook_level(answers: dict[str, Any]) -> str:
    """The handbook's classification: the answer, or (``auto``) ``internal`` where that is a level, else
    the level just above the lowest (the lowest is the public one)."""
    level = answers.get("handbook_classification", "auto")
    if level not in (None, "", "auto"):
        return str(level)
    levels = [str(name) for name in answers.get("classification_levels") or {}]
    return "internal" if "internal" in levels or len(levels) < 2 else levels[1]


def website(publish: Any) -> bool:
    """Whether ``publish`` puts the handbook on a website (public unless the plan makes it private)."""
    return publish in WEBSITES


def answer_problems(answers: dict[str, Any]) -> list[tuple[list[str | int], str]]:
    """What does not fit together in complete ``answers``: each problem's field path and message."""
    from toolkit.distribution import RequirementError, parse_requirement  # noqa: PLC0415

    problems: list[tuple[list[str | int], str]] = []
    publish, ci = str(answers.get("handbook_publish")), answers.get("ci")
    if website(publish) and ci != WEBSITES[publish]:
        problems.append(
            (
                ["handbook_publish"],
                f"handbook_publish: {publish} is published by the {WEBSITES[publish]} CI, but ci is {ci}; "
                f"set ci: {WEBSITES[publish]}, or handbook_publish: artifact",
            )
        )
    levels = answers.get("classification_levels")
    level = handbook_level(answers)
    if isinstance(levels, dict) and level not in levels:
        problems.append(
            (
                ["handbook_classification"],
                f"handbook_classification: {level!r} is not one of classification_levels "
                f"({', '.join(map(str, levels))})",
            )
        )
    elif website(publish) and level != PUBLIC_LEVEL and answers.get("handbook_public_confirmed") is not True:
        problems.append(
            (
                ["handbook_publish"],
                f"handbook_publish: {publish} makes the handbook a website, public on most plans, but it is "
                f"classified {level}; set handbook_public_confirmed: true if that is decided (or the site "
                "is private), else handbook_publish: artifact",
            )
        )
    requirement = answers.get("toolkit_requirement")
    if isinstance(requirement, str) and requirement.strip():
        try:
            parse_requirement(requirement)
        except RequirementError as exc:
            problems.append((["toolkit_requirement"], f"toolkit_requirement: {exc}"))
    return problems
