"""Version arithmetic for approvals: documents' major.minor.patch and the SoA's major.minor.

Parts are handled as decimal strings, so a version part of any length is compared and raised safely.
"""

from __future__ import annotations

import re
from functools import cache

from toolkit.errors import InvalidApprovalError
from toolkit.validation import load_schema

# A Statement of Applicability version: major.minor (soa.yml's own form, e.g. 1.2) or major.minor.patch.
SOA_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$")


@cache
def version_pattern() -> re.Pattern[str]:
    """The form of a document version, as ``policy.schema.json`` defines it (major.minor.patch)."""
    return re.compile(load_schema("policy")["properties"]["version"]["pattern"])


def version_key(version: str, pattern: re.Pattern[str] | None = None) -> tuple[tuple[int, str], ...] | None:
    """A sort key for ``version``, or None when it is not of the form. The parts are compared as decimal
    strings (length, then digits; the form has no leading zeros), so a part of any length is safe."""
    match = (pattern or version_pattern()).match(version)
    if match is None:
        return None
    return tuple((len(part), part) for part in match.groups() if part is not None)


def increment(digits: str) -> str:
    """``digits`` (a decimal number of any length) plus one, without converting it to an int."""
    head = digits.rstrip("9")
    if not head:
        return "1" + "0" * len(digits)
    return head[:-1] + str(int(head[-1]) + 1) + "0" * (len(digits) - len(head))


def next_version(version: str) -> str:
    """A draft's first approval makes ``1.0.0``; a later approval raises the minor version."""
    match = version_pattern().match(version)
    if match is None or match.group(1) == "0":
        return "1.0.0"
    return f"{match.group(1)}.{increment(match.group(2))}.0"


def next_soa_version(version: str | None) -> str:
    """The Statement of Applicability's next version: ``1.0`` at first (from none or ``0.x``), then the
    minor version raised (``1.2`` to ``1.3``; a three-part ``1.2.0`` to ``1.3.0``)."""
    match = SOA_VERSION.match(version or "")
    if match is None or match.group(1) == "0":
        return "1.0" if match is None or match.group(3) is None else "1.0.0"
    patch = "" if match.group(3) is None else ".0"
    return f"{match.group(1)}.{increment(match.group(2))}{patch}"


def check_higher(version: str, current: str, pattern: re.Pattern[str], example: str, whose: str) -> None:
    """Refuse ``version`` (given with --version) unless it has the form and is above ``current``."""
    new = version_key(version, pattern)
    if new is None:
        raise InvalidApprovalError(f"--version: {_clip(version)!r} is not a version such as {example}")
    old = version_key(current, pattern)
    if old is not None and new <= old:
        raise InvalidApprovalError(
            f"--version: {_clip(version)} is not higher than {whose} version {_clip(current)}"
        )


def _clip(text: str, limit: int = 60) -> str:
    """``text`` shortened for a message (a version may be thousands of digits long)."""
    return text if len(text) <= limit else f"{text[: limit - 3]}..."
