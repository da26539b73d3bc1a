"""Where a policy repository installs the toolkit from: the ``toolkit_requirement`` answer.

A generated repository's CI workflow (``pip install "REQUIREMENT"``) and pre-commit hook (``repo:`` and
``rev:``) both follow one answer, a pip requirement pinned in one of three ways:

- a git URL at a tag: ``isms-toolkit @ git+https://github.com/ORG/isms-toolkit@v0.1.0`` (the default,
  built from the repository URL in ``pyproject.toml``'s ``[project.urls] Source`` and this version);
- a version from a package index: ``isms-toolkit==0.1.0`` (a company's own index, or PyPI once released);
- a wheel: ``wheels/isms_toolkit-0.1.0-py3-none-any.whl`` (a path in the repository, or a URL).

Anything else (a range, a bare name, a branch-less URL) is refused: the gate must not move unannounced.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from toolkit import __version__

DISTRIBUTION = "isms-toolkit"
_PREFIX = re.compile(r"^isms-toolkit\s*@\s*", re.IGNORECASE)
_VERSION = r"[0-9][0-9A-Za-z.+!_-]*"
_PINNED = re.compile(rf"^isms-toolkit\s*==\s*(?P<version>{_VERSION})$", re.IGNORECASE)
_WHEEL = re.compile(r"(?:^|/)isms_toolkit-(?P<version>[0-9][0-9A-Za-z.+!_]*)-[^/]+\.whl$")
_GIT = re.compile(r"^git\+(?P<url>[a-z][a-z0-9+.-]*://\S+)@(?P<rev>[^@/#\s]+)$", re.IGNORECASE)

FORMS = (
    "isms-toolkit @ git+URL@TAG (a git repository at a tag), isms-toolkit==VERSION (a package index) "
    "or a path to an isms_toolkit-VERSION-...whl wheel"
)


class RequirementError(ValueError):
    """A toolkit requirement that is not pinned in one of the accepted forms."""


@dataclass(frozen=True)
class ToolkitSource:
    """A parsed ``toolkit_requirement``: what pip installs, and the git repository pre-commit clones."""

    requirement: str
    kind: str  # "git", "index" or "wheel"
    repo: str  # the git repository holding .pre-commit-hooks.yaml
    rev: str  # the tag (or other git ref) pre-commit checks out


def repository_url() -> str:
    """The toolkit's git repository: ``[project.urls] Source`` of ``pyproject.toml`` in a checkout,
    else of the installed package's metadata."""
    checkout = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if sys.version_info >= (3, 11) and checkout.is_file():
        import tomllib  # noqa: PLC0415 - only for a checkout

        project = tomllib.loads(checkout.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == DISTRIBUTION and "Source" in project.get("urls", {}):
            return str(project["urls"]["Source"])
    from importlib.metadata import PackageNotFoundError, metadata  # noqa: PLC0415

    try:
        urls = metadata(DISTRIBUTION).get_all("Project-URL") or []
    except PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = str(entry).partition(",")
        if label.strip() == "Source":
            return str(url).strip()
    raise RequirementError(
        "the toolkit's repository URL is unknown (no Source in its project URLs); "
        "give toolkit_requirement in the answers"
    )


def default_requirement() -> str:
    """This toolkit version from its own git repository, at its release tag."""
    return f"{DISTRIBUTION} @ git+{repository_url()}@v{__version__}"


def parse_requirement(text: str) -> ToolkitSource:
    """``text`` as a :class:`ToolkitSource`; :class:`RequirementError` says which forms are accepted."""
    requirement = text.strip()
    pinned = _PINNED.match(requirement)
    if pinned:
        return ToolkitSource(requirement, "index", repository_url(), f"v{pinned['version']}")
    target = _PREFIX.sub("", requirement)
    wheel = _WHEEL.search(target)
    if wheel and not any(char.isspace() for char in target):
        return ToolkitSource(requirement, "wheel", repository_url(), f"v{wheel['version']}")
    git = _GIT.match(target)
    if git:
        return ToolkitSource(requirement, "git", git["url"], git["rev"])
    if target.startswith("git+"):
        raise RequirementError(
            f"{text!r} names no tag: end the git URL with @TAG, e.g. @v{__version__}, so that every run "
            "installs the same toolkit"
        )
    raise RequirementError(f"{text!r} is not a pinned toolkit requirement; give {FORMS}")
