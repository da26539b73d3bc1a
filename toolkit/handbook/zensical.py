"""Build the handbook with Zensical, the successor of Material for MkDocs, from the generated pages.

Zensical reads ``mkdocs.yml`` but runs no MkDocs plugin, so the ``isms`` plugin's work is done here, ahead
of it: the generator (:mod:`toolkit.handbook.pages`) gives the pages, the navigation and each document's
control block, and they are written as plain Markdown into a temporary project folder beside the site,
with a configuration derived from the repository's ``mkdocs.yml``:

    .isms-site-XXXX/
        mkdocs.yml      site name, theme, Markdown extensions... of the repository; the generated nav
        docs/           the published files of the documents folder, each document with its control block
                        (and DRAFT banner) under its title, and the generated pages with their HTML
        site/           what Zensical builds, moved into place as the MkDocs build does

Zensical is optional (``pip install 'isms-toolkit[zensical]'``): it is looked for only here, and run in
a child process (``python -m zensical build``). What does not carry over is listed in docs/zensical.md.
"""

from __future__ import annotations

import html
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from toolkit.errors import IsmsError, SiteBuildError
from toolkit.handbook.markup import BLOCK_MARK, REGISTER_PAGES
from toolkit.handbook.pages import Handbook, build_handbook
from toolkit.handbook.published import left_out
from toolkit.sources.site import Tagged

if TYPE_CHECKING:
    from toolkit.model import Document, Finding
    from toolkit.workspace import Workspace

INSTALL_HINT = "pip install 'isms-toolkit[zensical]' (Zensical needs Python 3.11 or later)"
DOCS = "docs"
# Settings of mkdocs.yml that mean the same to Zensical and are carried over as they are. The rest
# (the isms and print-site plugins, strict, validation, hooks...) has no meaning there or is done here.
CARRIED = (
    "site_url",
    "site_author",
    "site_description",
    "copyright",
    "repo_url",
    "repo_name",
    "edit_uri",
    "use_directory_urls",
    "markdown_extensions",
    "extra",
)
# Plugins Zensical has its own version of; any other is left out.
PLUGINS = ("offline", "material/offline", "tags", "material/tags")
# What MkDocs never publishes unless exclude_docs says otherwise: dot files and a top-level templates/.
HIDDEN = re.compile(r"(^|/)\.|^templates/")
# A relative link to a page as the generator writes it without directory URLs: `../isms/controls.html#a`.
PAGE_LINK = re.compile(r'href="((?![a-zA-Z][a-zA-Z0-9+.-]*:|/)[^"#?]*)\.html(#[^"]*)?"')
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def require() -> None:
    """Raise :class:`IsmsError` (exit 2) saying how to install Zensical when this Python has not got it."""
    if importlib.util.find_spec("zensical") is None:
        raise IsmsError(f"Zensical is not installed: {INSTALL_HINT}, or build with --engine mkdocs")


def _plugin_entries(site: dict[str, Any]) -> list[tuple[str, Any]]:
    """``(name, options)`` of each plugin of ``mkdocs.yml`` (a list of names and one-key mappings, or a
    mapping); options are None where none are given."""
    plugins = site.get("plugins")
    if isinstance(plugins, dict):
        return list(plugins.items())
    entries: list[tuple[str, Any]] = []
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, str):
            entries.append((item, None))
        elif isinstance(item, dict) and len(item) == 1:
            entries.append(next(iter(item.items())))
    return entries


def _plugin_options(site: dict[str, Any]) -> dict[str, Any]:
    """The options under ``plugins: - isms:`` (``{}`` when none are given)."""
    options = dict(_plugin_entries(site)).get("isms")
    return options if isinstance(options, dict) else {}


def derived_config(site: dict[str, Any], handbook: Handbook, stylesheet: str) -> dict[str, Any]:
    """The configuration Zensical builds with: the repository's ``mkdocs.yml`` (``site``) as far as it
    applies, the generated navigation, and the handbook's style sheet and page-status labels."""
    from toolkit.handbook.plugin import STATUS_LABELS  # noqa: PLC0415 - one list of labels for both

    config: dict[str, Any] = {
        # Zensical writes the site name into every page as HTML, as Material does; the nav titles are
        # escaped by the generator already.
        "site_name": html.escape(str(site.get("site_name") or "Policy Handbook")),
        "docs_dir": DOCS,
        "site_dir": "site",
    }
    config.update({key: site[key] for key in CARRIED if key in site})
    for key in ("site_description", "site_author"):
        if isinstance(config.get(key), str):
            config[key] = html.escape(config[key])
    theme = site.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme}
    if theme.get("name") != "material":  # Zensical has one theme, Material's successor
        theme = {"name": "material"}
    # The classic variant looks as the MkDocs build does, so staff see the same handbook.
    theme.setdefault("variant", "classic")
    config["theme"] = theme
    # As the plugin does: the repository's own nav when it has one, else the generated one (unless the
    # plugin's `nav: false` says to leave the navigation to the theme).
    nav = site.get("nav") or (handbook.nav if _plugin_options(site).get("nav", True) is not False else None)
    if nav:
        config["nav"] = nav
    extra_css = site.get("extra_css")
    config["extra_css"] = [*(extra_css if isinstance(extra_css, list) else []), stylesheet]
    extra = dict(config.get("extra") or {})
    extra["status"] = {**(extra.get("status") or {}), **STATUS_LABELS}
    config["extra"] = extra
    # The plugins Zensical has a version of, with their options; search is built in.
    plugins = [{name: options or {}} for name, options in _plugin_entries(site) if name in PLUGINS]
    if plugins:
        config["plugins"] = plugins
    return config


class _Dumper(yaml.SafeDumper):
    """Writes :class:`Tagged` values back with their tag (``!!python/name:material.extensions...``)."""


def _tagged(dumper: yaml.SafeDumper, value: Tagged) -> yaml.Node:
    return dumper.represent_scalar(value.tag, value.text)


_Dumper.add_representer(Tagged, _tagged)


@dataclass(frozen=True)
class Lines:
    """Where a line of a written document comes from in the repository's file (for Zensical's warnings)."""

    source: str  # the repository-relative path
    first: int = 1  # the written file's line where the document's text starts
    body_line: int = 1  # ... and the source file's
    at: int = 0  # the text's line index where the control block was put
    added: int = 0  # how many lines were put there

    def line(self, written: int) -> int:
        """The source file's line of the written file's line ``written``."""
        index = written - self.first
        if index < 0:
            return 1  # the front matter
        if index >= self.at + self.added:
            index -= self.added
        elif index >= self.at:
            index = max(self.at - 1, 0)  # the control block: its document's title
        return self.body_line + index


def document_page(document: Document, header: str, source: str) -> tuple[str, Lines]:
    """A document as Zensical reads it: its title (and draft or retired status) as front matter, its text
    with the control block put under its first heading (at the top when it has none); and its line map."""
    meta: dict[str, Any] = {"title": html.escape(document.title)}
    if document.status in ("draft", "retired"):
        meta["status"] = document.status
    front = f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n"
    lines = document.body.split("\n")
    fence: str | None = None
    at = 0
    for index, line in enumerate(lines):
        match = FENCE.match(line)
        if match and (fence is None or match.group(1).startswith(fence)):
            fence = match.group(1)[:3] if fence is None else None
        elif fence is None and line.startswith("# "):
            at = index + 1
            break
    block = ["", *header.strip().split("\n"), ""]
    text = front + "\n".join([*lines[:at], *block, *lines[at:]])
    return text, Lines(source, front.count("\n") + 1, document.body_line, at, len(block))


def file_links(text: str) -> str:
    """``text`` with each relative link to a page's HTML file made a link to its Markdown source."""
    return PAGE_LINK.sub(r'href="\1.md\2"', text)


def generated_page(content: str, blocks: list[str]) -> str:
    """A generated page's Markdown with its HTML blocks in place of their placeholders (raw HTML, which
    Markdown passes through; the generator has escaped every value in it)."""
    for index, block in enumerate(blocks):
        content = content.replace(BLOCK_MARK.format(index), f"\n\n{block.strip()}\n\n", 1)
    return content


def _excluded(site: dict[str, Any]) -> Any:
    """A matcher of the paths ``exclude_docs`` leaves out (MkDocs' default: dot files and ``templates/``)."""
    import pathspec  # noqa: PLC0415 - installed with MkDocs, which reads exclude_docs with it

    lines = str(site.get("exclude_docs") or "").splitlines()
    spec = pathspec.PathSpec.from_lines("gitwildmatch", lines)
    return lambda rel: bool(HIDDEN.search(rel)) or spec.match_file(rel)


@dataclass
class Project:
    """What :func:`write_project` wrote: files left out (warnings), and each page's line map by path."""

    warnings: list[str]
    lines: dict[str, Lines]


def write_project(workspace: Workspace, folder: Path) -> Project:
    """Write the Zensical project of ``workspace`` into ``folder``: ``mkdocs.yml`` and ``docs/``."""
    from toolkit.handbook.plugin import CSS, STYLESHEET  # noqa: PLC0415 - one style sheet for both

    site: dict[str, Any] = workspace.source("site").data or {}
    root = workspace.root
    source_dir = (root / str(site.get("docs_dir") or "docs")).resolve()
    documents_dir = source_dir.relative_to(root.resolve()).as_posix()
    registers = _plugin_options(site).get("registers", list(REGISTER_PAGES))
    # Zensical reads a relative link in HTML as it reads one in Markdown: from the page's file, to a file.
    # So the generator's links are made to files (``a.html``) and then to their pages' sources (``a.md``).
    handbook = build_handbook(
        workspace,
        documents_dir,
        directory_urls=False,
        registers=registers if isinstance(registers, list) else None,
    )
    handbook.headers = {path: file_links(header) for path, header in handbook.headers.items()}
    docs = folder / DOCS
    docs.mkdir()
    documents = {document.path.resolve(): document for document in workspace.documents if document.valid}
    excluded = _excluded(site)
    project = Project([], {})
    for path in _walked(source_dir, root, project.warnings):
        rel = path.relative_to(source_dir).as_posix()
        shown = rel if documents_dir == "." else f"{documents_dir}/{rel}"
        if excluded(rel):
            continue
        reason = left_out(path, root)
        if reason is not None:
            project.warnings.append(f"isms: {shown} is left out of the handbook: {reason}")
            continue
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        document = documents.get(path.resolve())
        if document is None:
            shutil.copyfile(path, target)
            project.lines[rel] = Lines(shown)
            continue
        text, lines = document_page(document, handbook.headers[rel], shown)
        target.write_text(text, encoding="utf-8")
        project.lines[rel] = lines
    for page in handbook.pages:
        if page.path not in project.lines:
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            text = generated_page(file_links(page.content), [file_links(block) for block in page.blocks])
            target.write_text(text, encoding="utf-8")
            project.lines[page.path] = Lines(f"{page.path} (generated)")
    (docs / STYLESHEET).parent.mkdir(parents=True, exist_ok=True)
    (docs / STYLESHEET).write_text(CSS, encoding="utf-8")
    config = derived_config(site, handbook, STYLESHEET)
    text = yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    (folder / "mkdocs.yml").write_text(
        f"# Derived from {workspace.root.name}/mkdocs.yml by isms build --engine zensical.\n{text}",
        encoding="utf-8",
    )
    return project


def _walked(source_dir: Path, root: Path, warnings: list[str]) -> Iterator[Path]:
    """Every file below ``source_dir``, in order, linked folders followed as MkDocs does; one that leads
    outside the repository (a warning) or back to a folder already walked is not entered."""
    seen: set[str] = set()
    for current, folders, files in os.walk(source_dir, followlinks=True):
        real = os.path.realpath(current)
        if real in seen or not Path(real).is_relative_to(os.path.realpath(root)):
            if real not in seen:
                shown = Path(current).relative_to(source_dir).as_posix()
                warnings.append(f"isms: {shown} is left out of the handbook: it leads outside the repository")
            folders.clear()
            continue
        seen.add(real)
        folders.sort()
        yield from (Path(current) / name for name in sorted(files))


def build_site(
    directory: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = False,
    force: bool = False,
    checked: tuple[Workspace, list[Finding]],
) -> Path:
    """Build the handbook of the repository at ``directory`` with Zensical; return the site folder.

    ``checked`` is the repository's workspace and findings (``isms build`` has checked it). As with
    MkDocs, the site is built in a temporary folder beside the target and moved into place only when the
    build succeeds, and a folder that is not a previous site is refused unless ``force``. Under
    ``strict`` (or ``strict: true`` in mkdocs.yml) a Zensical warning (a broken link) fails the build.

    Raises :class:`toolkit.errors.IsmsError` when Zensical is not installed or fails.
    """
    from toolkit.handbook.plugin import staged_site  # noqa: PLC0415

    require()
    workspace, _findings = checked
    site: dict[str, Any] = workspace.source("site").data or {}
    target = site_dir.resolve() if site_dir is not None else (directory / str(site.get("site_dir") or "site"))
    # Terminated (SIGTERM) or interrupted, the staged folder is removed (subprocess.run ends Zensical first).
    with staged_site(target, force=force) as staged:
        project = write_project(workspace, staged.folder)
        for warning in project.warnings:
            print(f"WARNING - {warning}", file=sys.stderr)
        strict = strict or site.get("strict") is True
        if strict and project.warnings:  # as MkDocs' strict build stops on the plugin's warnings
            raise SiteBuildError(
                f"handbook build stopped: {len(project.warnings)} file(s) of the documents folder "
                "cannot be published (warnings above); remove them",
                path=directory / "mkdocs.yml",
            )
        _run_zensical(staged.folder, directory / "mkdocs.yml", project, strict)
        staged.built = staged.folder / "site"
    return target


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
WARNING = re.compile(r"^\s*(?:Warning|Error):\s*(.+)$")
WHERE = re.compile(r"\[\s*([^\s\]]+?):(\d+):\d+\s*\]")
FAILED = re.compile(r"^(?:RuntimeError: )?(?:Python error: )?(\w+Error: .+)$")
# Zensical's progress lines, and the frames it draws around code (box-drawing characters).
QUIET = re.compile(
    r"^(Build started|Build finished|No issues found|\d+ issues? found|Traceback|[\u2500-\u257f])"
)


def relay(output: str, lines: dict[str, Lines]) -> tuple[list[str], str | None]:
    """Zensical's output as warnings naming the repository's file and line, and the reason it failed
    (None when it did not say): its code frames are left out, as they show the written files' lines."""
    warnings: list[str] = []
    message: str | None = None
    reason: str | None = None
    for raw in ANSI.sub("", output).splitlines():
        line = raw.strip()
        if match := WARNING.match(line):
            if message is not None:
                warnings.append(f"WARNING - zensical: {message}")
            message = match.group(1)
        elif (match := WHERE.search(line)) and message is not None:
            name, number = match.group(1), int(match.group(2))
            where = lines[name] if name in lines else Lines(f"{DOCS}/{name}")
            warnings.append(f"WARNING - zensical: {where.source}:{where.line(number)}: {message}")
            message = None
        elif match := FAILED.match(line):
            reason = match.group(1)
        elif line and raw == line and not QUIET.match(line) and message is None:
            warnings.append(f"zensical: {line}")
    if message is not None:
        warnings.append(f"WARNING - zensical: {message}")
    return warnings, reason


def _run_zensical(project: Path, config_file: Path, written: Project, strict: bool) -> None:
    """Run ``zensical build`` on the project folder; its warnings are shown, a failure is an error."""
    config = (project / "mkdocs.yml").resolve()
    command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", str(config)]
    if strict:
        command.append("--strict")
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            command, cwd=project, env=env, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise SiteBuildError(f"cannot run Zensical: {exc.strerror}", path=config_file) from exc
    warnings, reason = relay(result.stdout + "\n" + result.stderr, written.lines)
    for warning in warnings:
        print(warning, file=sys.stderr)
    if result.returncode != 0 or not (project / "site" / "index.html").is_file():
        detail = reason or f"Zensical exited with code {result.returncode}"
        raise SiteBuildError(f"handbook build with Zensical failed: {detail}", path=config_file)
