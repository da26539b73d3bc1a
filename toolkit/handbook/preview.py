"""``isms serve``: the MkDocs preview with live reload, checked like a build.

The check runs once before the preview starts (see :mod:`toolkit.cli.check`); MkDocs then reads
``mkdocs.yml`` again before every rebuild, with a YAML loader that runs Python tags, so each of those reads
is checked first here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from toolkit.errors import OutputError, SiteBuildError
from toolkit.fsutil import removed_on_termination
from toolkit.handbook.plugin import IsmsPlugin, _warnings_shown
from toolkit.handbook.report import ServeReport


def serve_site(config_file: Path, *, dev_addr: str, echo: Callable[[str], None] | None = None) -> None:
    """Preview the handbook of ``config_file`` with live reload until interrupted.

    ``echo`` (when given) is told the preview's address and each build and rebuild, a line each. Stopped
    with Ctrl+C or SIGTERM, MkDocs' temporary site folder is removed."""
    from mkdocs.commands import serve as serving  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    mkdocs_log, shown = logging.getLogger("mkdocs"), _warnings_shown()
    mkdocs_log.addHandler(shown)
    IsmsPlugin.serve_report = ServeReport(echo) if echo is not None else None
    # MkDocs reads mkdocs.yml again before each rebuild, with a loader that runs Python tags: a branch
    # checked out while the preview runs is checked first, as `isms serve` checked it at the start.
    from mkdocs.config import load_config  # noqa: PLC0415 - what serve calls, swapped back below

    serving.load_config = _checked_first(load_config, config_file)  # type: ignore[attr-defined]
    try:
        with removed_on_termination():
            serving.serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except OSError as exc:  # the address is taken or cannot be bound
        raise OutputError(f"cannot serve the handbook on {dev_addr}: {exc.strerror}") from exc
    except MkDocsException as exc:
        raise SiteBuildError(f"handbook preview failed: {exc}", path=config_file) from exc
    finally:
        serving.load_config = load_config  # type: ignore[attr-defined]
        IsmsPlugin.serve_report = None
        mkdocs_log.removeHandler(shown)


def _checked_first(load_config: Callable[..., Any], config_file: Path) -> Callable[..., Any]:
    """``load_config`` that first reads ``config_file`` as ``isms check`` does and refuses it (MkDocs'
    ConfigurationError, which the preview reports as a failed build) when it asks for anything the
    ``handbook-config-unsafe`` rule refuses."""
    from mkdocs.exceptions import ConfigurationError  # noqa: PLC0415

    from toolkit.rules.site import problems  # noqa: PLC0415
    from toolkit.sources.site import KIND  # noqa: PLC0415
    from toolkit.yamlio import locate  # noqa: PLC0415

    def checked(*args: Any, **kwargs: Any) -> Any:
        root = config_file.parent
        source = KIND.load(root, {})
        found = [f"{f.file}:{f.line}: {f.message}" for f in source.findings if f.level == "error"]
        found += [
            f"{KIND.path}:{locate(source.text or '', path)}: {message}"
            for path, message in problems(source.data, root)
        ]
        if found:
            raise ConfigurationError("not built, mkdocs.yml is refused: " + "; ".join(found))
        return load_config(*args, **kwargs)

    return checked
