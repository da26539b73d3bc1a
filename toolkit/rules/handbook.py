"""Rules on where the staff handbook is published (``handbook`` in isms.yml).

``handbook.publish`` says where the CI puts the built handbook: ``artifact`` keeps it a download of the CI
run, ``github-pages`` and ``gitlab-pages`` make it a website, public on most plans. A handbook classified
above ``public`` on a website is a warning until the company records its decision with
``confirmed_public: true`` (having decided it may be public, or made the site private).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from toolkit.ci_answers import PUBLIC_LEVEL, website
from toolkit.codes import Code
from toolkit.model import Finding
from toolkit.rules.base import rule
from toolkit.sources.config import CONFIG_FILE
from toolkit.yamlio import locate

if TYPE_CHECKING:
    from toolkit.workspace import Workspace

HANDBOOK_PUBLIC = Code(
    "warning",
    "isms.yml publishes a handbook classified above public to a website (github-pages or gitlab-pages) "
    "without confirmed_public: true.",
)


@rule({"handbook-public": HANDBOOK_PUBLIC})
def handbook_public(workspace: Workspace) -> Iterable[Finding]:
    """A handbook above public goes to a website only once the company has confirmed it."""
    handbook = workspace.config.get("handbook")
    if not isinstance(handbook, dict) or not website(handbook.get("publish")):
        return
    level = handbook.get("classification")
    if level == PUBLIC_LEVEL or handbook.get("confirmed_public") is True:
        return
    line = locate(workspace.config_file.text or "", ["handbook", "publish"])
    message = (
        f"handbook.publish is {handbook['publish']}, a website that is public on most plans, but the "
        f"handbook is classified {level}; publish it as an artifact (publish: artifact), or make the site "
        "private or decide that it may be public, and record that with confirmed_public: true"
    )
    yield Finding(CONFIG_FILE, line, "handbook-public", "warning", message, "handbook.publish")


RULES = (handbook_public,)
