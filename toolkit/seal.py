"""The approval seal: a fingerprint of what an approval approved.

``isms approve`` records ``approval_seal: sha256:...`` in a document's front matter (and in ``soa.yml``).
The fingerprint covers the body and every front matter field that changes what staff read or what the
document claims; it leaves out the lifecycle fields that approving itself writes (:data:`LIFECYCLE_FIELDS`)
and the ``x-`` extension fields kept for other tooling. A later change to anything covered breaks the
seal, until someone reviews the change and approves the document again (prior art: doorstop's review
stamps).

The fingerprint is canonical: the covered fields are serialised as JSON with sorted keys, and the body's
line endings are normalised to LF, so key order, CRLF line endings and a byte order mark do not change
it. Everything here is a pure function, except :func:`first_changed_line`, which asks git.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, Literal

from toolkit.model import normalise_text

SEAL_KEY = "approval_seal"
ALGORITHM = "sha256"

# Front matter fields outside the seal: what approving writes, the approval record, and the seal itself.
LIFECYCLE_FIELDS = frozenset(
    {"status", "version", "approver", "approved_on", "effective", "next_review", "changelog", SEAL_KEY}
)
# soa.yml keys outside its seal: what approving it writes.
SOA_LIFECYCLE_FIELDS = frozenset({"version", "approver", "approved_on", SEAL_KEY})
EXTENSION_PREFIX = "x-"

SealState = Literal["sealed", "broken", "unsealed"]


def _canonical(value: Any) -> Any:
    """``value`` as plain JSON data, the same for equal YAML however it was written."""
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _digest(payload: dict[str, Any]) -> str:
    try:  # data as the loader gives it (text keys, JSON types) serialises as it is, without a copy
        data = json.dumps(
            payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_canonical
        )
    except (TypeError, ValueError):  # keys that are not text: the canonical copy makes them text
        data = json.dumps(_canonical(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{ALGORITHM}:{hashlib.sha256(data.encode('utf-8')).hexdigest()}"


def sealed_fields(meta: Mapping[str, Any], lifecycle: Collection[str] = LIFECYCLE_FIELDS) -> dict[str, Any]:
    """The fields of ``meta`` the seal covers: all but the lifecycle and ``x-`` extension fields."""
    return {
        str(key): value
        for key, value in meta.items()
        if str(key) not in lifecycle and not str(key).startswith(EXTENSION_PREFIX)
    }


def fingerprint(meta: Mapping[str, Any], body: str) -> str:
    """``sha256:<hex>`` over a document's body and its sealed front matter fields."""
    return _digest({"body": normalise_text(body), "meta": sealed_fields(meta)})


def soa_fingerprint(data: Mapping[str, Any]) -> str:
    """``sha256:<hex>`` over ``soa.yml``'s content (parsed) minus its lifecycle and ``x-`` keys."""
    return _digest({"soa": sealed_fields(data, SOA_LIFECYCLE_FIELDS)})


def _state(recorded: object, current: str) -> SealState:
    if not isinstance(recorded, str) or not recorded.strip():
        return "unsealed"
    return "sealed" if recorded.strip() == current else "broken"


def seal_state(meta: Mapping[str, Any], body: str) -> SealState:
    """For an approved document: ``sealed`` (the seal matches), ``broken`` (what it covers changed since
    the approval) or ``unsealed`` (no seal recorded, e.g. approved before seals existed or by hand)."""
    return _state(meta.get(SEAL_KEY), fingerprint(meta, body))


def soa_seal_state(data: Mapping[str, Any]) -> SealState:
    """For an approved ``soa.yml`` (parsed): ``sealed``, ``broken`` or ``unsealed``, as :func:`seal_state`."""
    return _state(data.get(SEAL_KEY), soa_fingerprint(data))


def _git(root: Path, *args: str) -> str | None:
    import subprocess  # noqa: PLC0415 - only a broken seal asks git; every check imports this module

    try:
        result = subprocess.run(  # noqa: S603 - fixed git arguments, no shell
            ["git", "-C", str(root), *args],  # noqa: S607 - git from PATH, as the user runs it
            capture_output=True,
            check=False,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    try:
        return result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _lifecycle_lines(text: str, rel: str) -> set[int]:
    """1-based lines of ``text`` holding lifecycle keys (their changes do not break a seal)."""
    import yaml  # noqa: PLC0415

    from toolkit.sources.documents import split_front_matter  # noqa: PLC0415
    from toolkit.yamlio import DatelessLoader  # noqa: PLC0415

    offset, fields, yaml_text = 0, SOA_LIFECYCLE_FIELDS, text
    if rel.endswith(".md"):
        parts = split_front_matter(text)
        if not isinstance(parts, tuple):
            return set()
        offset, fields, yaml_text = 1, LIFECYCLE_FIELDS, parts[0]
    try:
        root = yaml.compose(yaml_text, Loader=DatelessLoader)
    except yaml.YAMLError:
        return set()
    lines: set[int] = set()
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if str(key.value) in fields:
                last = value.end_mark.line - (1 if value.end_mark.column == 0 else 0)
                lines.update(
                    range(key.start_mark.line + 1 + offset, max(last, key.start_mark.line) + 2 + offset)
                )
    return lines


def first_changed_line(root: Path, rel: str, seal: str, current_text: str) -> int | None:
    """The first line of ``current_text`` (the working file ``rel``) that differs from the version that
    was sealed with ``seal``, found with git (``git log -S<seal>``: the oldest commit that added it).

    Changes to lifecycle keys are passed over, as they do not break a seal. None when git is missing,
    ``root`` is not in a git repository, no commit holds the seal, or nothing but lifecycle keys
    changed. Never raises.
    """
    import difflib  # noqa: PLC0415 - only a broken seal is compared; every check imports this module

    if not seal:
        return None
    commits = _git(root, "log", f"-S{seal}", "--format=%H", "--", rel)
    if not commits or not commits.split():
        return None
    sealed = _git(root, "show", f"{commits.split()[-1]}:./{rel}")
    if sealed is None:
        return None
    old_text, new_text = normalise_text(sealed), normalise_text(current_text)
    old, new = old_text.split("\n"), new_text.split("\n")
    skip_old, skip_new = _lifecycle_lines(old_text, rel), _lifecycle_lines(new_text, rel)
    last_line = max(len(new) - (1 if new[-1] == "" else 0), 1)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed = [line for line in range(i1 + 1, i2 + 1) if line not in skip_old]
        added = [line for line in range(j1 + 1, j2 + 1) if line not in skip_new]
        if added:
            return added[0]
        if removed:  # sealed lines deleted: the line that now stands where they were
            return min(j1 + 1, last_line)
    return None
