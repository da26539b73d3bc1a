"""Rules on who owns what and how it is classified: owners are roles of isms.yml, classifications its levels.

A role is named by its key (``ciso``) or its title (``Chief Information Security Officer``). The checks
apply once isms.yml defines ``roles`` (and ``classification_levels``): a repository that defines none has
nothing to check against. Approvers are not checked: ``isms approve --by`` records a person's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import front_matter_line, rule
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

OWNER_UNKNOWN = Code(
    "error",
    "An owner in a register, a document or the risk method is not a role of isms.yml (its key or title).",
)
CLASSIFICATION_UNKNOWN = Code(
    "error", "An asset's or a document's classification is not one of isms.yml classification_levels."
)


def close_match(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``name`` most likely meant (case and small typos forgiven), or None."""
    import difflib  # noqa: PLC0415 - only when a name is wrong

    by_lower = {candidate.lower(): candidate for candidate in candidates}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


@dataclass(frozen=True)
class Roles:
    """The roles of isms.yml: title by key."""

    titles: dict[str, str]

    def __contains__(self, name: object) -> bool:
        return name in self.titles or name in self.titles.values()

    def key_of(self, name: str) -> str | None:
        """The key of the role named ``name`` (by key or title), or None."""
        if name in self.titles:
            return name
        return next((key for key, title in self.titles.items() if title == name), None)

    def describe(self, key: str) -> str:
        """``Top Management (top_management)``, or the key alone when it has no title."""
        title = self.titles.get(key)
        return f"{title} ({key})" if title and title != key else key

    def unknown(self, name: str) -> str:
        """Why ``name`` is not a role, with the role most likely meant."""
        near = close_match(name, [*self.titles.values(), *self.titles])
        hint = (
            f"; did you mean {near!r}?"
            if near
            else f"; the roles are: {', '.join(map(self.describe, self.titles))}"
        )
        return f"{name!r} is not a role in {CONFIG_FILE} (use a role's key or title){hint}"


def roles_of(config: dict[str, Any]) -> Roles | None:
    """The roles of isms.yml, or None when it defines none."""
    roles = config.get("roles")
    if not isinstance(roles, dict) or not roles:
        return None
    titles = {}
    for key, role in roles.items():
        title = role.get("title") if isinstance(role, dict) else None
        titles[str(key)] = title if isinstance(title, str) else str(key)
    return Roles(titles)


def levels_of(config: dict[str, Any]) -> list[str] | None:
    """The classification levels of isms.yml, or None when it defines none."""
    levels = config.get("classification_levels")
    return [str(level) for level in levels] if isinstance(levels, dict) and levels else None


# (source kind, list key, the fields of an entry that name a role, as paths within the entry)
REGISTER_OWNERS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("risks", (("owner",), ("action", "owner"), ("acceptance", "by"))),
    ("assets", (("owner",),)),
    ("suppliers", (("owner",),)),
    ("requirements", (("owner",),)),
    ("nonconformities", (("owner",),)),
)


def _value(item: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        item = item.get(step) if isinstance(item, dict) else None
    return item


def register_items(workspace: Workspace, kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each entry of register ``kind`` as written, with its index in the file's list."""
    items = workspace.source(kind).data.get(kind)
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield index, item


@rule({"owner-unknown": OWNER_UNKNOWN})
def register_owners(workspace: Workspace) -> Iterable[Finding]:
    """Every owner in a register (and the risk method's acceptance authority) is a role of isms.yml."""
    roles = roles_of(workspace.config)
    if roles is None:
        return
    authority = _value(workspace.config, ("risk_method", "acceptance_authority"))
    if isinstance(authority, str) and authority and authority not in roles:
        line = locate(workspace.config_file.text or "", ["risk_method", "acceptance_authority"])
        message = f"the acceptance authority {roles.unknown(authority)}"
        yield Finding(
            CONFIG_FILE, line, "owner-unknown", "error", message, "risk_method.acceptance_authority"
        )
    for kind, paths in REGISTER_OWNERS:
        source = workspace.source(kind)
        for index, item in register_items(workspace, kind):
            for path in paths:
                name = _value(item, path)
                if not isinstance(name, str) or not name or name in roles:
                    continue
                field = ".".join(path)
                line = locate(source.text or "", [kind, index, *path])
                message = f"{field} of {item.get('id') or f'entry {index + 1}'}: {roles.unknown(name)}"
                yield Finding(source.rel, line, "owner-unknown", "error", message, f"{kind}[{index}].{field}")


@rule({"owner-unknown": OWNER_UNKNOWN})
def document_owners(workspace: Workspace) -> Iterable[Finding]:
    """A document's owner is a role of isms.yml (approvers are people or roles, and are not checked)."""
    roles = roles_of(workspace.config)
    if roles is None:
        return
    for document in workspace.documents:
        owner = document.meta.get("owner")
        if isinstance(owner, str) and owner and owner not in roles:
            line = front_matter_line(document, ["owner"])
            yield Finding(
                document.rel, line, "owner-unknown", "error", f"owner {roles.unknown(owner)}", "owner"
            )


def _level_problem(level: str, levels: list[str]) -> str:
    near = close_match(level, levels)
    hint = f"; did you mean {near!r}?" if near else ""
    return f"{level!r} is not a classification level of {CONFIG_FILE} ({', '.join(levels)}){hint}"


@rule({"classification-unknown": CLASSIFICATION_UNKNOWN})
def classifications(workspace: Workspace) -> Iterable[Finding]:
    """Every asset's and document's classification is one of the levels of isms.yml."""
    levels = levels_of(workspace.config)
    if levels is None:
        return
    known = set(levels)
    source = workspace.source("assets")
    for index, item in register_items(workspace, "assets"):
        level = item.get("classification")
        if isinstance(level, str) and level and level not in known:
            line = locate(source.text or "", ["assets", index, "classification"])
            message = (
                f"classification of {item.get('id') or f'entry {index + 1}'}: {_level_problem(level, levels)}"
            )
            field = f"assets[{index}].classification"
            yield Finding(source.rel, line, "classification-unknown", "error", message, field)
    for document in workspace.documents:
        level = document.meta.get("classification")
        if isinstance(level, str) and level and level not in known:
            line = front_matter_line(document, ["classification"])
            message = f"classification {_level_problem(level, levels)}"
            yield Finding(document.rel, line, "classification-unknown", "error", message, "classification")


RULES = (register_owners, document_owners, classifications)
