"""What a certification prerequisite is, and the helpers several prerequisites share.

A prerequisite is a small function from the workspace to its :class:`Status`: open, in progress or
closed, one line saying why (computed from the repository), and the command or file that closes the gap.
It is declared with :func:`prerequisite` and listed in its module's ``PREREQUISITES``, like the check
rules; :func:`toolkit.readiness.all_prerequisites` finds every module of this package that has one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from toolkit.model import Document, Finding
from toolkit.seal import seal_state

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

State = Literal["open", "in progress", "closed"]
STATES: tuple[State, ...] = ("open", "in progress", "closed")


@dataclass(frozen=True)
class Status:
    """Where one prerequisite stands: its state, why (one line), and what closes the gap."""

    state: State
    reason: str
    action: str = ""


Assess = Callable[["Workspace"], Status]


@dataclass(frozen=True)
class Prerequisite:
    """One prerequisite of certification.

    :param id: a stable name (``soa-approved``).
    :param stage: the certification audit that samples it first: 1 (the documents) or 2 (the ISMS at work).
    :param title: what must be true, in a few words.
    :param phase: the phase of the plan (see ``timelines.yml``) whose work closes it.
    :param assess: the function that finds its status in a workspace.
    """

    id: str
    stage: int
    title: str
    phase: str
    assess: Assess

    def __call__(self, workspace: Workspace) -> Status:
        return self.assess(workspace)


def prerequisite(id: str, *, stage: int, title: str, phase: str) -> Callable[[Assess], Prerequisite]:
    """Decorator: make a function a :class:`Prerequisite`."""

    def make(function: Assess) -> Prerequisite:
        return Prerequisite(id, stage, title, phase, function)

    return make


def listed(items: Sequence[str], limit: int = 4) -> str:
    """``a, b, c and 2 more``: a short list for a one-line reason."""
    shown = ", ".join(items[:limit])
    more = len(items) - limit
    return f"{shown} and {more} more" if more > 0 else shown


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 risk``, ``3 risks``."""
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def by_counts(done: int, total: int) -> State:
    """Closed when all are done, open when none is, in progress between."""
    if total and done >= total:
        return "closed"
    return "in progress" if done else "open"


def findings_of(workspace: Workspace, codes: Iterable[str], file: str | None = None) -> list[Finding]:
    """The findings with ``codes`` (in ``file``, when given): from loading, and from the check rules that
    declare any of them. A code no rule declares yet gives none."""
    from toolkit.rules import all_rules  # noqa: PLC0415 - the rules are only read when asked

    wanted = set(codes)
    found = [finding for finding in workspace.findings if finding.code in wanted]
    for rule in all_rules():
        if rule.codes.keys() & wanted:
            found += [finding for finding in rule(workspace) if finding.code in wanted]
    return sorted({f for f in found if file is None or f.file == file}, key=Finding.sort_key)


def load_findings(workspace: Workspace, file: str) -> list[Finding]:
    """The problems met reading ``file`` (syntax, schema, encoding)."""
    return [finding for finding in workspace.findings if finding.file == file]


def sealed(document: Document) -> bool:
    """An approved document whose approval seal matches what it says now."""
    return document.status == "approved" and seal_state(document.meta, document.body) == "sealed"


def approved_items(workspace: Workspace, refs: Iterable[str]) -> tuple[list[str], list[str]]:
    """Of the control references ``refs``, those an approved, sealed document in force addresses, and the
    rest. A reference satisfied by soa.yml itself counts as addressed when the coverage says covered."""
    good = {document.id for document in workspace.documents if document.valid and sealed(document)}
    done, pending = [], []
    for ref in refs:
        if good.intersection(workspace.references.in_force.get(ref, [])):
            done.append(ref)
        else:
            pending.append(ref)
    return done, pending


def pending_paths(workspace: Workspace, refs: Iterable[str]) -> list[str]:
    """The files of the documents that name ``refs`` but do not cover them yet (drafts, broken seals)."""
    wanted = set(refs)
    return sorted(
        {
            document.rel
            for document in workspace.documents
            if document.valid
            and document.status != "retired"
            and not sealed(document)
            and wanted & set(document.controls)
        }
    )


def approve_command(paths: Sequence[str]) -> str:
    """``isms approve FILE --by NAME`` for the documents ``paths``."""
    if len(paths) == 1:
        return f"isms approve {paths[0]} --by NAME"
    return f"isms approve FILE --by NAME for {listed(paths, 3)}"
