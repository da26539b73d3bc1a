"""Rules every register shares: ids are unique within their register."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import rule
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

REGISTERS = ("risks", "assets", "suppliers", "requirements")


@rule({"register-duplicate-id": Code("error", "Two entries of one register share an id.")})
def unique_ids(workspace: Workspace) -> Iterable[Finding]:
    """No two entries of a register share an id."""
    for kind in REGISTERS:
        source = workspace.source(kind)
        first: dict[str, int] = {}
        for entry in workspace.entries(kind):
            if not entry.id:
                continue
            if entry.id not in first:
                first[entry.id] = entry.index
                continue
            earlier = locate(source.text or "", [kind, first[entry.id]])
            line = locate(source.text or "", [kind, entry.index, "id"])
            message = (
                f"{entry.id} is used twice in {source.rel}: also on line {earlier}; "
                "give each entry its own id"
            )
            yield Finding(
                source.rel, line, "register-duplicate-id", "error", message, f"{kind}[{entry.index}].id"
            )


RULES = (unique_ids,)
