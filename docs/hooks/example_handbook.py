"""MkDocs hook for the toolkit's own documentation: publish the example company's handbook beside it.

After the documentation is built, the built-in example company (what ``isms init --no-input`` renders)
is generated into a temporary folder and its staff handbook is built into ``example-handbook/`` of the
documentation site, so a reader can open a real handbook from the docs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from toolkit import scaffold
from toolkit.handbook.plugin import build_site

FOLDER = "example-handbook"


def on_post_build(config: Any) -> None:
    with tempfile.TemporaryDirectory(prefix="isms-example-") as temp:
        repository = Path(temp) / "sahyadri-isms"
        scaffold.render({}, repository)
        build_site(repository / "mkdocs.yml", site_dir=Path(config.site_dir) / FOLDER)
