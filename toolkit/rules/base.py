"""What a check rule is, and the helpers several rules share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Document, Finding
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

Check = Callable[["Workspace"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A check: its name, the codes it may emit, and the function that finds them."""

    name: str
    codes: dict[str, Code]
    check: Check

    def __call__(self, workspace: Workspace) -> Iterable[Finding]:
        return self.check(workspace)


def rule(codes: dict[str, Code]) -> Callable[[Check], Rule]:
    """Decorator: make ``function`` a :class:`Rule` that emits ``codes``."""

    def make(function: Check) -> Rule:
        return Rule(function.__name__.lstrip("_"), codes, function)

    return make


def front_matter_line(document: Document, path: list[str | int]) -> int:
    """The file line of the front matter value at ``path`` (front matter starts on line 2)."""
    return locate(document.front_matter, path) + 1
