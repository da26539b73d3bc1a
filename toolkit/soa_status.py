"""Record implementation progress in ``soa.yml``: each control's ``status`` and its ``evidence``.

:func:`set_status` is what ``isms soa status`` runs. It finds every control named (with or without its
catalog prefix) and refuses the run, writing nothing, when one is unknown, ambiguous or excluded. Then it
edits only the entries named, in place, as ``isms approve`` edits a file (:mod:`toolkit.editing`): comments,
key order and each line's own ending stay as they were, and the file is written under an exclusive lock
and only when it still holds the text the repository was loaded from.

``status`` and ``evidence`` are covered by the approval seal, so a change to an approved ``soa.yml``
breaks its seal until it is approved again; :attr:`StatusRun.seal_broken` says so.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from toolkit.catalogs import Control
from toolkit.editing import normalised, read_for_edit, stale, with_endings, write_if_unchanged
from toolkit.errors import DocumentNotFoundError, IsmsError, SoaEditError
from toolkit.frontmatter import LayoutError, append_to_list, check_editable, scalar, set_keys
from toolkit.lifecycle import BOM
from toolkit.seal import soa_seal_state
from toolkit.sources.soa import SOA_FILE
from toolkit.workspace import Workspace
from toolkit.yamlio import DatelessLoader, parse

# The statuses a person records as work progresses; not-applicable goes with an exclusion.
STATUSES = ("planned", "partial", "implemented")
COMMAND = "isms soa status"


@dataclass(frozen=True)
class Evidence:
    """One evidence pointer to add: where the proof is kept, and optionally who keeps it and what it is."""

    location: str
    owner: str | None = None
    description: str | None = None

    def as_entry(self) -> dict[str, str]:
        entry = {"location": self.location}
        if self.owner:
            entry["owner"] = self.owner
        if self.description:
            entry["description"] = self.description
        return entry


@dataclass(frozen=True)
class StatusChange:
    """What changed for one control: its status before and after, and the evidence locations added."""

    ref: str
    old: str | None
    new: str
    added: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.old != self.new or bool(self.added)


@dataclass(frozen=True)
class StatusRun:
    """What :func:`set_status` did: one :class:`StatusChange` per control named, in catalog order.

    ``written`` is False when nothing needed to change. ``approved_on`` is the date of the approval the
    file carried; ``seal_broken`` is True when ``soa.yml`` was approved and its seal no longer matches.
    """

    changes: list[StatusChange] = field(default_factory=list)
    written: bool = False
    approved_on: str | None = None
    seal_broken: bool = False


def _controls(workspace: Workspace) -> list[Control]:
    """Every control ``soa.yml`` decides on: those of the in-scope catalogs of kind ``controls``."""
    found: list[Control] = []
    for catalog_id in workspace.in_scope:
        catalog = workspace.catalogs.get(catalog_id)
        if catalog is not None and catalog.kind == "controls":
            found.extend(catalog)
    return found


def _resolve_one(ref: str, controls: list[Control]) -> tuple[Control | None, str | None]:
    """The control ``ref`` names (``A.5.1`` or ``iso27001-2022:A.5.1``), or why it names none."""
    text = ref.strip()
    key = text.casefold()
    matches = [c for c in controls if key in (c.ref.casefold(), c.id.casefold())]
    if len(matches) == 1:
        return matches[0], None
    if matches:
        named = ", ".join(c.ref for c in matches)
        return None, f"{ref}: more than one catalog in scope has this control ({named}); give one of those"
    names = [c.ref for c in controls] if ":" in text else [c.id for c in controls]
    close = difflib.get_close_matches(text, names, n=1, cutoff=0.75)
    hint = f"; did you mean {close[0]}?" if close else ""
    return None, f"{ref}: no such control in the catalogs in scope of isms.yml{hint}"


def resolve_refs(workspace: Workspace, refs: Sequence[str], *, all_applicable: bool = False) -> list[Control]:
    """The controls named by ``refs``, or with ``all_applicable`` every control ``soa.yml`` does not
    exclude, in catalog order. Raises :class:`SoaEditError` naming every ref that is unknown, ambiguous
    or excluded (an excluded control has no implementation to record)."""
    if bool(refs) == all_applicable:
        raise SoaEditError(
            "name the controls (e.g. A.5.15 or iso27001-2022:A.5.15), or give --all-applicable"
        )
    controls = _controls(workspace)
    if all_applicable:
        return [c for c in controls if workspace.soa.get(c.ref) is None or workspace.soa[c.ref].applicable]
    chosen: set[str] = set()
    problems: list[str] = []
    for ref in refs:
        control, problem = _resolve_one(ref, controls)
        if control is None:
            problems.append(problem or ref)
            continue
        entry = workspace.soa.get(control.ref)
        if entry is not None and not entry.applicable:
            problems.append(
                f"{ref}: {control.ref} is excluded in {SOA_FILE} (applicable: false), so it has no "
                "implementation to record; include it first (applicable: true, with why) if it now applies"
            )
            continue
        chosen.add(control.ref)
    if problems:
        raise SoaEditError("nothing was written:\n  " + "\n  ".join(problems))
    return [c for c in controls if c.ref in chosen]


def _block(values: dict[str, Any], indent: str) -> str:
    """``values`` (a status and evidence pointers) as block YAML lines indented by ``indent``."""
    lines = [f"status: {scalar(values['status'])}"] if "status" in values else []
    if values.get("evidence"):
        lines.append("evidence:")
        for entry in values["evidence"]:
            pairs = [f"{k}: {scalar(v)}" for k, v in entry.items()]
            lines += [f"  - {pairs[0]}", *(f"    {pair}" for pair in pairs[1:])]
    return "".join(f"{indent}{line}\n" for line in lines)


def _line_end(text: str, node: yaml.Node) -> int:
    """The index just past the line on which ``node`` ends (its own line, not the next token's).

    A block collection ends where the next token starts, so its last scalar is what is measured."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    index = node.end_mark.index - 1 if node.end_mark.column == 0 else node.end_mark.index
    end = text.find("\n", max(index, 0))
    return len(text) if end < 0 else end + 1


def _edit_mapping(
    text: str, value: yaml.MappingNode, ref: str, status: str, add: list[dict[str, str]]
) -> str:
    """``text`` with the block mapping ``value`` (one control's entry) given ``status`` and ``add``ed to its
    evidence, edited as a front matter is: the entry's lines are cut out, dedented, edited, put back."""
    column = value.start_mark.column
    start = value.start_mark.index - column
    end = _line_end(text, value.value[-1][1])
    piece = text[start:end]
    lines = piece.split("\n")
    for number, line in enumerate(lines):
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#") and len(line) - len(stripped) < column:
            raise LayoutError(f"controls.{ref} is indented unevenly", value.start_mark.line + number + 1)
    inner = "\n".join(line[min(column, len(line) - len(line.lstrip(" "))) :] for line in lines)
    check_editable(inner, ["status", "evidence"])
    inner = set_keys(inner, {"status": status}, insert_before="evidence")
    for entry in add:
        inner = append_to_list(inner, "evidence", entry)
    edited = "\n".join((" " * column + line) if line else line for line in inner.split("\n"))
    return text[:start] + edited + text[end:]


def _edit(text: str, edits: dict[str, tuple[str, list[dict[str, str]]]]) -> str:
    """``text`` (soa.yml) with each control of ``edits`` given its status and new evidence pointers."""
    root = yaml.compose(text, Loader=DatelessLoader)
    nodes = {str(k.value): (k, v) for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    controls = nodes.get("controls", (None, None))[1]
    if not isinstance(controls, yaml.MappingNode) or (controls.flow_style and controls.value):
        line = controls.start_mark.line + 1 if controls is not None else 1
        raise LayoutError("controls is not written one control a line (block style)", line)
    entries = {str(k.value): (k, v) for k, v in controls.value}
    missing = [ref for ref in edits if ref not in entries]
    if missing:  # a control soa.yml does not list yet: its entry goes after the last one
        if controls.value:
            indent = controls.value[0][0].start_mark.column
            at = _line_end(text, controls.value[-1][1])
            prefix = "" if text[at - 1 : at] == "\n" else "\n"  # the file's last line has no line ending
        else:  # `controls: {}`
            indent, at = 2, controls.start_mark.index
            text = text[:at] + text[controls.end_mark.index :]
            prefix = "\n"
        pad = " " * indent
        block = "".join(
            f"{pad}{ref}:\n" + _block({"status": edits[ref][0], "evidence": edits[ref][1]}, pad + "  ")
            for ref in missing
        )
        text = text[:at] + prefix + (block.rstrip("\n") if at < len(text) and prefix else block) + text[at:]
    present = sorted((ref for ref in edits if ref in entries), key=lambda r: -entries[r][0].start_mark.index)
    for ref in present:  # from the end of the file back, so that earlier positions stay valid
        key, value = entries[ref]
        status, add = edits[ref]
        if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
            text = _edit_mapping(text, value, ref, status, add)
        elif isinstance(value, yaml.MappingNode) and not value.value:  # `A.5.1: {}`
            block = _block({"status": status, "evidence": add}, " " * (key.start_mark.column + 2))
            colon = text.index(":", key.end_mark.index)
            end = text.find("\n", value.end_mark.index)
            end = len(text) if end < 0 else end
            comment = text[value.end_mark.index : end]  # a comment after `{}` stays on the key's line
            text = text[: colon + 1] + comment + "\n" + block.rstrip("\n") + text[end:]
        else:
            raise LayoutError(
                f"controls.{ref} is not written one 'key: value' a line; rewrite it that way and try again",
                key.start_mark.line + 1,
            )
    return text


def set_status(
    workspace: Workspace,
    refs: Sequence[str],
    *,
    status: str,
    evidence: Sequence[Evidence] = (),
    all_applicable: bool = False,
) -> StatusRun:
    """Set the implementation ``status`` of the controls ``refs`` (or ``all_applicable``) in ``soa.yml``,
    and add each ``evidence`` pointer a control does not list yet (same location).

    Raises :class:`SoaEditError` (nothing written) for an unknown, ambiguous or excluded control, a
    status that is not one of :data:`STATUSES`, a missing, invalid or read-only ``soa.yml``, or a layout
    that cannot be edited in place; :class:`StaleDocumentError` when the file changes meanwhile.
    """
    if status not in STATUSES:
        raise SoaEditError(f"--set: {status!r} is not one of {', '.join(STATUSES)}")
    path = workspace.root / SOA_FILE
    source = workspace.soa_file
    if source.text is None:
        raise DocumentNotFoundError(f"there is no {SOA_FILE} in {workspace.root}")
    if not source.valid:
        raise SoaEditError("has problems; run isms check and fix them first (nothing was written)", path=path)
    controls = resolve_refs(workspace, refs, all_applicable=all_applicable)
    expected_text = source.text
    real, raw, lines = read_for_edit(path, lambda text: text == expected_text, command=COMMAND)
    text = normalised(lines)
    original, _problem = parse(text)
    if not isinstance(original, dict):  # it was loaded as a valid mapping and has not changed
        raise stale(path, COMMAND)
    expected = copy.deepcopy(original)
    wanted = [e.as_entry() for e in evidence]
    edits: dict[str, tuple[str, list[dict[str, str]]]] = {}
    changes: list[StatusChange] = []
    for control in controls:
        entry = expected["controls"].get(control.ref)
        decision: dict[str, Any] = entry if isinstance(entry, dict) else {}
        listed = {str(item.get("location")) for item in decision.get("evidence") or []}
        add = [item for item in wanted if item["location"] not in listed]
        old = decision.get("status")
        change = StatusChange(
            control.ref,
            old if isinstance(old, str) else None,
            status,
            tuple(item["location"] for item in add),
        )
        changes.append(change)
        if not change.changed:
            continue
        edits[control.ref] = (status, add)
        decision["status"] = status
        if add:
            decision["evidence"] = [*(decision.get("evidence") or []), *add]
        expected["controls"][control.ref] = decision
    approved = bool(original.get("approver")) and bool(original.get("approved_on"))
    approved_on = str(original["approved_on"]) if approved else None
    if not edits:
        return StatusRun(changes, False, approved_on, approved and soa_seal_state(original) == "broken")
    try:
        check_editable(text, [])
        edited = _edit(text, edits)
    except LayoutError as exc:
        raise SoaEditError(
            f"cannot set the status in place (nothing was written): {exc}", path=path, line=exc.line
        ) from exc
    except (ValueError, yaml.YAMLError) as exc:
        raise IsmsError(f"cannot edit {SOA_FILE}: {exc}", path=path) from exc
    data, problem = parse(edited)
    if problem is not None or data != expected:
        raise SoaEditError(f"cannot set the status in this {SOA_FILE} layout; nothing was written", path=path)
    new_raw = (BOM if raw.startswith(BOM) else b"") + with_endings(lines, edited).encode("utf-8")
    write_if_unchanged(real, raw, new_raw, path, command=COMMAND)
    return StatusRun(changes, True, approved_on, approved and soa_seal_state(data) == "broken")
