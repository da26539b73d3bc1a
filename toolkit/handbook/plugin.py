"""The ``isms`` MkDocs plugin: a thin adapter over :mod:`toolkit.handbook.pages`.

Registered as the ``mkdocs.plugins`` entry point ``isms``, so a plain ``mkdocs build`` in a policy
repository builds the handbook from the same loader and model as ``isms check``. Error findings are logged
as MkDocs warnings, so ``mkdocs build --strict`` fails on a repository that ``isms check`` fails.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from toolkit.check import run_check
from toolkit.errors import IsmsError, SiteBuildError, TargetNotEmptyError
from toolkit.fsutil import Staged, staged_folder
from toolkit.handbook import offline
from toolkit.handbook.markup import REGISTER_PAGES, fill_blocks
from toolkit.handbook.navtree import bounded
from toolkit.handbook.pages import Handbook, build_handbook
from toolkit.handbook.published import left_out
from toolkit.handbook.report import PageProgress, ServeReport
from toolkit.model import Finding
from toolkit.workspace import Workspace, open_workspace

log = logging.getLogger("mkdocs.plugins.isms")

STYLESHEET = "assets/isms.css"
# A compact document-control block, so that on a phone the policy text starts near the top.
CSS = """\
.md-typeset .isms-document-control table:not([class]) { font-size: .68rem; margin: 0 0 1.2em; }
.md-typeset .isms-document-control table:not([class]) td,
.md-typeset .isms-document-control table:not([class]) th { padding: .25em .8em; }
.md-typeset .isms-document-control td:first-child {
  white-space: nowrap; color: var(--md-default-fg-color--light);
}
.md-typeset .isms-control { border-top: .05rem solid var(--md-default-fg-color--lightest); margin-top: 1em; }
.md-typeset .isms-document-control details { margin: .8em 0; }
.md-typeset .isms-document-control details table:not([class]) { margin: .6em 0; }
.md-typeset .isms-summary { margin-top: .6em; }
@media print {
  .md-typeset .isms-document-control table:not([class]) { font-size: 8pt; }
  .md-typeset .isms-document-control details::details-content { content-visibility: visible; }
}
"""
# What a preview watches besides the documents folder and mkdocs.yml (MkDocs watches those itself).
WATCHED = ("isms.yml", "soa.yml", "registers", "records")
# Material shows a page's `status` beside its navigation entry; label the states worth a reader's notice.
STATUS_LABELS = {"draft": "Draft: not approved, not in force", "retired": "Retired: kept for reference"}


def build_date() -> dt.date:
    """Today, or the date of ``SOURCE_DATE_EPOCH`` when set (reproducible builds).

    A value that is not a whole number of seconds from 1970 to the year 9999 (an empty one included, which
    MkDocs itself cannot read either) is an :class:`IsmsError` naming the variable, as the reproducible
    builds specification asks: a build with a wrong date must not pass for a reproducible one."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return dt.date.today()
    try:
        if not (epoch.isascii() and epoch.isdigit()):
            raise ValueError(epoch)
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError) as exc:
        shown = repr(epoch) if len(epoch) <= 40 else f"{epoch[:40]!r}..."
        raise IsmsError(
            f"the environment variable SOURCE_DATE_EPOCH is {shown}: give the build time as a whole number "
            "of seconds since 1970-01-01 UTC before the year 10000 (for example 1795478400), or unset it"
        ) from exc


class IsmsPluginConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Options under ``plugins: - isms:`` in mkdocs.yml."""

    repository = config_options.Optional(config_options.Type(str))
    nav = config_options.Type(bool, default=True)
    # The registers to publish on the reference pages (default: all of them, when present); `[]` for none.
    registers = config_options.ListOfItems(
        config_options.Choice(tuple(REGISTER_PAGES)), default=list(REGISTER_PAGES)
    )


class IsmsPlugin(BasePlugin[IsmsPluginConfig]):  # type: ignore[no-untyped-call]  # (same)
    """Adds the generated pages, the navigation and each document's control block."""

    handbook: Handbook | None = None
    # `isms build` has opened and checked the repository already and hands both over (see build_site),
    # so the plugin does not read and check everything a second time; plain `mkdocs build` leaves them.
    workspace: Workspace | None = None
    findings: list[Finding] | None = None
    root: Path = Path()
    documents_dir: str = "."
    offline: bool = False
    # "Writing pages N/M" on a terminal: set by build_site when asked (see toolkit.handbook.report).
    progress: PageProgress | None = None
    # Set by serve_site while `isms serve` runs; each rebuild makes a new plugin object, so it is shared.
    serve_report: ClassVar[ServeReport | None] = None
    pages: int = 0

    # After the other plugins' (late): Material's offline plugin turns directory URLs off in its own
    # on_config, and the generated links must know.
    @event_priority(-50)
    def on_config(self, config: Any) -> Any:
        from mkdocs.exceptions import PluginError  # noqa: PLC0415

        if IsmsPlugin.serve_report is not None:
            IsmsPlugin.serve_report.starting()
        base = Path(config.config_file_path or ".").resolve().parent
        root = (base / self.config.repository).resolve() if self.config.repository else base
        try:
            today = build_date()
        except IsmsError as exc:
            raise PluginError(f"isms: {exc.format()}") from exc
        # Themes write these into every page unescaped (Material: the header, <title>, <meta>): escape
        # them, as Markup so that a template's own `| e` does not escape them twice.
        for key in ("site_name", "site_description", "site_author"):
            if isinstance(config.get(key), str) and not isinstance(config[key], Markup):
                config[key] = Markup(html.escape(config[key]))  # noqa: S704 - escaped here
        workspace, findings = self.workspace, self.findings
        if workspace is None or findings is None or workspace.root.resolve() != root:
            try:
                workspace = open_workspace(root, today=today)
            except IsmsError as exc:
                raise PluginError(f"isms: {exc.format()}") from exc
            findings = run_check(workspace).findings
        for finding in findings:
            if finding.level == "error":
                where = finding.file if finding.line is None else f"{finding.file}:{finding.line}"
                log.warning("isms check: %s: [%s] %s", where, finding.code, finding.message)
        documents_dir = Path(config.docs_dir).resolve().relative_to(root.resolve()).as_posix()
        self.root, self.documents_dir = root, documents_dir
        self.handbook = build_handbook(
            workspace,
            documents_dir,
            directory_urls=bool(config.use_directory_urls),
            registers=list(self.config.registers),
        )
        if self.config.nav and not config.nav:
            config.nav = bounded(self.handbook.nav)
        config.extra_css.append(STYLESHEET)
        self.offline = offline.enabled(config)
        if self.offline:
            offline.use_local_script(config)
        config.extra.setdefault("status", {}).update(STATUS_LABELS)
        return config

    def on_files(self, files: Files, /, *, config: Any) -> Files:
        """Leave out what must not be published (see :mod:`toolkit.handbook.published`), then add the
        generated pages."""
        assert self.handbook is not None  # noqa: S101 - set in on_config
        docs_dir = os.path.realpath(config.docs_dir)
        for file in list(files):
            source = file.abs_src_path
            if file.generated_by is not None or source is None or file.src_dir is None:
                continue
            if os.path.realpath(file.src_dir) != docs_dir:
                continue  # the theme's own files
            if file.inclusion.is_excluded():  # type: ignore[no-untyped-call]
                files.remove(file)  # never published; dropped so nothing reads it
                continue
            reason = left_out(source, self.root)
            if reason is not None:
                files.remove(file)
                name = file.src_uri if self.documents_dir == "." else f"{self.documents_dir}/{file.src_uri}"
                log.warning("isms: %s is left out of the handbook: %s", name, reason)
        for page in self.handbook.pages:
            if files.get_file_from_path(page.path) is None:
                files.append(File.generated(config, page.path, content=page.content))
        files.append(File.generated(config, STYLESHEET, content=CSS))
        if self.offline:
            files.append(File.generated(config, offline.PATH, content=offline.SCRIPT))
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Files) -> str:
        # Themes put the front matter title into <title> and the navigation unescaped.
        if isinstance(page.meta.get("title"), str):
            page.meta["title"] = html.escape(page.meta["title"])
        if page.meta.get("status") not in STATUS_LABELS:
            page.meta.pop("status", None)  # an approved document needs no marker
        return markdown

    def on_page_content(self, html_text: str, /, *, page: Any, config: Any, files: Files) -> str:
        """Put the document-control block under the page's title, and generated HTML into its page.

        Both are HTML already, so they go into the converted page rather than through Markdown.
        """
        assert self.handbook is not None  # noqa: S101 - set in on_config
        blocks = self.handbook.blocks.get(page.file.src_uri)
        if blocks:
            return fill_blocks(html_text, blocks)
        header = self.handbook.headers.get(page.file.src_uri)
        if header is None:
            return html_text
        end_of_title = html_text.find("</h1>")
        if end_of_title < 0:
            return header + html_text
        end_of_title += len("</h1>")
        return html_text[:end_of_title] + "\n" + header + html_text[end_of_title:]

    def on_env(self, env: Any, /, *, config: Any, files: Files) -> Any:
        """Every page is known by now: start the progress display."""
        self.pages = len(files.documentation_pages())
        if self.progress is not None:
            self.progress.start(self.pages)
        return env

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        if self.progress is not None:
            self.progress.advance()
        return output

    def on_post_build(self, *, config: Any) -> None:
        if self.progress is not None:
            self.progress.stop()
        if IsmsPlugin.serve_report is not None:
            IsmsPlugin.serve_report.pages = self.pages

    def on_serve(self, server: Any, /, *, config: Any, builder: Any) -> Any:
        """Under `isms serve`: say where the preview is, and turn a failed rebuild into one plain line
        (MkDocs would print a traceback) while the preview keeps the last good build. The repository's
        other sources (isms.yml, soa.yml, the registers, the records) are watched too."""
        for name in WATCHED:
            if (self.root / name).exists():
                server.watch(str(self.root / name))
        report = IsmsPlugin.serve_report
        if report is None:
            return server
        from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

        rebuild = server.builder

        def reported() -> None:
            try:
                rebuild()
            except MkDocsException as exc:
                report.failed(str(exc) or type(exc).__name__)
            else:
                report.built()

        activate = server.server_activate

        def listening() -> None:  # the address is announced once the preview takes connections
            activate()
            report.serving(server.url)

        server.builder, server.server_activate = reported, listening
        report.built()  # the first build, which MkDocs runs before this event
        return server


# Written into every site `isms build` makes, so that the next build may replace the folder.
SITE_MARKER = ".isms-handbook"
SITE_NOTE = "Built by isms build; the next build replaces this folder.\n"


def _replaceable(site: Path) -> bool:
    """An empty folder, or a site a previous build made (ours, or a plain ``mkdocs build``)."""
    if not site.exists():
        return True
    if not site.is_dir():
        return False
    names = {entry.name for entry in site.iterdir()}
    return not names or SITE_MARKER in names or {"404.html", "sitemap.xml"} <= names


def build_site(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = False,
    force: bool = False,
    checked: tuple[Workspace, list[Finding]] | None = None,
    progress: bool = False,
) -> Path:
    """Build the handbook of ``config_file`` (a policy repository's mkdocs.yml); return the site folder.

    ``checked`` is the repository's workspace and findings when the caller has opened and checked it
    already (``isms build``): the plugin then uses them instead of reading everything again. ``progress``
    shows "Writing pages N/M" on stderr (for a terminal: see :class:`toolkit.handbook.report.PageProgress`).

    The site is built in a temporary folder beside the target and moved into place only when the build
    succeeds, so a failed build leaves the previous site as it was. A target folder holding anything but
    a previous site is refused unless ``force``.

    Raises :class:`toolkit.errors.IsmsError` when MkDocs fails (a strict warning, a broken config) and
    :class:`toolkit.errors.TargetNotEmptyError` for a folder that is not a site.
    """
    from mkdocs.commands.build import build  # noqa: PLC0415
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    overrides: dict[str, Any] = {"strict": True} if strict else {}
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir.resolve())
    # MkDocs logs what is wrong with mkdocs.yml (a plugin option it refuses) and raises only "Aborted":
    # keep those messages for the error.
    problems = _Collected(logging.ERROR)
    logging.getLogger("mkdocs").addHandler(problems)
    try:
        config = load_config(config_file=str(config_file), **overrides)
    except MkDocsException as exc:
        detail = "; ".join(problems.messages) or str(exc)
        raise SiteBuildError(f"handbook build failed: {detail}", path=config_file) from exc
    finally:
        logging.getLogger("mkdocs").removeHandler(problems)
    shown_progress = PageProgress() if progress else None
    for plugin in config.plugins.values():
        if isinstance(plugin, IsmsPlugin):
            plugin.progress = shown_progress
            if checked is not None:
                plugin.workspace, plugin.findings = checked
    target = Path(config.site_dir)
    with staged_site(target, force=force) as staged:
        mkdocs_log, shown = logging.getLogger("mkdocs"), _warnings_shown()
        mkdocs_log.addHandler(shown)
        try:
            config["site_dir"] = str(staged.folder)
            try:
                build(config)
            except MkDocsException as exc:
                raise SiteBuildError(f"handbook build failed: {exc}", path=config_file) from exc
        finally:
            if shown_progress is not None:
                shown_progress.stop()
            mkdocs_log.removeHandler(shown)
    return target


def staged_site(target: Path, *, force: bool) -> AbstractContextManager[Staged]:
    """Where a handbook site is built before it replaces ``target`` (see :func:`toolkit.fsutil.staged_folder`:
    removed on every exit path, SIGTERM included). A target holding anything but a previous site is
    refused unless ``force``, so a mistyped folder cannot be wiped."""
    if not force and not _replaceable(target):
        raise TargetNotEmptyError(
            "holds files that are not a handbook site; use --force to replace the folder", path=target
        )
    return staged_folder(target, prefix=".isms-site-", marker=SITE_MARKER, note=SITE_NOTE, what="the site")


def _warnings_shown() -> logging.Handler:
    """A handler showing MkDocs' warnings (a broken anchor, a page left out of the navigation) with their
    file, as `mkdocs build` does: under strict they are why the build stops."""
    shown = logging.StreamHandler(sys.stderr)
    shown.setLevel(logging.WARNING)
    shown.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    return shown


class _Collected(logging.Handler):
    """Keeps the messages logged at its level or above."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
