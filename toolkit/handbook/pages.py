"""Model -> handbook pages: Markdown text and a navigation tree, with no MkDocs API.

Every value that comes from a user's file is escaped before it is written into Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import quote

from toolkit.catalogs import Catalog
from toolkit.check import compute_coverage, in_scope_catalogs
from toolkit.model import COVERAGE_WORDS, Coverage, Document, Repository

GENERATED_DIR = "isms"
HOME = "index.md"
CONTROLS = f"{GENERATED_DIR}/controls.md"
COVERAGE = f"{GENERATED_DIR}/coverage.md"
SOA = f"{GENERATED_DIR}/statement-of-applicability.md"
CHANGELOG = f"{GENERATED_DIR}/changelog.md"
AREA_ORDER = (
    "ISMS governance",
    "People",
    "Workplace and physical security",
    "Access and devices",
    "Information handling",
    "IT operations",
    "Suppliers and clients",
    "Incidents and continuity",
    "Compliance",
)
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#<>])")


def text(value: Any) -> str:
    """User text for Markdown: HTML-escaped and Markdown-neutral, on one line."""
    escaped = html.escape(str(value if value is not None else ""), quote=False).replace("\n", " ")
    return MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def anchor(control_id: str) -> str:
    """A stable HTML id for a control: ``A.7.7`` -> ``a-7-7``."""
    return re.sub(r"[^a-z0-9]+", "-", control_id.lower()).strip("-")


@dataclass
class Page:
    """One page: its path under the docs folder, its title and its Markdown.

    Large generated HTML (tables, control sections) does not go through Markdown, which would only parse
    it to pass it through: the Markdown holds a placeholder paragraph for each entry of ``blocks``, and
    :func:`fill_blocks` puts the HTML in after conversion.
    """

    path: str
    title: str
    content: str
    blocks: list[str] = field(default_factory=list)


BLOCK_MARK = "ISMSBLOCK{}END"


class Blocks:
    """Collects HTML blocks for one page and hands out their Markdown placeholders."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, html_text: str) -> str:
        """Keep ``html_text`` aside; return the placeholder paragraph to write into the Markdown."""
        self.items.append(html_text)
        return BLOCK_MARK.format(len(self.items) - 1)


def fill_blocks(html_text: str, blocks: list[str]) -> str:
    """Replace each placeholder paragraph of converted Markdown with its HTML block."""
    for index, block in enumerate(blocks):
        html_text = html_text.replace(f"<p>{BLOCK_MARK.format(index)}</p>", block, 1)
    return html_text


@dataclass
class Handbook:
    """Generated pages, the navigation, and a header to put on top of each document page."""

    pages: list[Page]
    nav: list[Any]
    headers: dict[str, str] = field(default_factory=dict)

    @cached_property
    def blocks(self) -> dict[str, list[str]]:
        """Each generated page's HTML blocks, by page path (asked once per page of the build)."""
        return {page.path: page.blocks for page in self.pages if page.blocks}


def _documents_by_area(documents: list[Document]) -> list[tuple[str, list[Document]]]:
    areas: dict[str, list[Document]] = {}
    for document in documents:
        area = str(document.meta.get("area") or "Other documents")
        areas.setdefault(area, []).append(document)
    order = {name: index for index, name in enumerate(AREA_ORDER)}
    ordered = sorted(areas.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    return [(area, sorted(docs, key=lambda doc: doc.title.lower())) for area, docs in ordered]


def _banner(kind: str, title: str, message: str) -> str:
    return (
        f'<div class="admonition {kind}"><p class="admonition-title">{html.escape(title)}</p>'
        f"<p>{html.escape(message)}</p></div>"
    )


def document_header(
    doc: Document,
    page_path: str,
    catalogs: dict[str, Catalog],
    today: dt.date,
    default_cycle: int,
    directory_urls: bool = True,
) -> str:
    """The document-control block (and DRAFT or overdue banner) shown above a document's text.

    Plain HTML, left out of the search index (``data-search-exclude``), so that a search finds what a
    document says rather than its metadata.
    """
    meta = doc.meta
    due = doc.next_review(default_cycle)
    parts = []
    if doc.status == "draft":
        parts.append(
            _banner(
                "warning", "DRAFT", "This document is a draft. It is not approved and is not in force yet."
            )
        )
    elif doc.status == "retired":
        parts.append(
            _banner("danger", "RETIRED", "This document has been withdrawn and is kept for reference.")
        )
    if doc.status == "approved" and due is not None and due < today:
        parts.append(
            _banner("danger", "Review overdue", f"This document was due for review on {due.isoformat()}.")
        )
    control_links = []
    for ref in doc.controls:
        catalog_id, _, control_id = ref.partition(":")
        if catalog_id in catalogs and catalogs[catalog_id].get(control_id) is not None:
            target = relative_url(page_path, CONTROLS, directory_urls)
            control_links.append(f'<a href="{target}#{anchor(ref)}">{html.escape(ref)}</a>')
        else:
            control_links.append(html.escape(ref))

    def value(key: str) -> str:
        return html.escape(str(meta.get(key) or ""))

    rows = [
        ("Document id", html.escape(doc.id)),
        ("Version", value("version")),
        ("Status", html.escape(doc.status)),
        ("Owner", value("owner")),
        (
            "Approver",
            value("approver")
            + (" (not approved yet)" if doc.status == "draft" and value("approver") else ""),
        ),
        ("Approved on", value("approved_on")),
        ("Effective", value("effective") or value("approved_on")),
        ("Next review", due.isoformat() if due else ""),
        ("Classification", value("classification")),
        ("Controls", ", ".join(control_links)),
    ]
    # One element a line: HTML post-processors (such as the print page's) scan line by line.
    cells = "\n".join(f"<tr><td>{label}</td><td>{content}</td></tr>" for label, content in rows)
    parts.append(
        '<div class="isms-document-control" data-search-exclude>\n<table>\n'
        f'<thead><tr><th colspan="2">Document control</th></tr></thead>\n<tbody>\n{cells}\n</tbody>\n'
        "</table>\n</div>"
    )
    return "\n\n".join(parts) + "\n\n"


def _home(
    repository: Repository, by_area: list[tuple[str, list[Document]]], page_paths: dict[str, str]
) -> str:
    config = repository.config
    organisation = config.get("organisation") or {}
    contacts = config.get("contacts") or {}
    roles = config.get("roles") or {}
    name = organisation.get("name") or repository.name
    out = [f"# {text(organisation.get('short_name') or name)} Policy Handbook", ""]
    out += [
        f"The information security policies of **{text(name)}**. Every member of staff follows them.",
        "",
    ]
    if contacts.get("incident_email") or contacts.get("incident_phone"):
        out += ['!!! danger "Report a security incident now"']
        out += [
            "    Lost badge or phone, suspicious email, client data in the wrong place: report it at once."
        ]
        if contacts.get("incident_email"):
            out.append(f"    Email **{text(contacts['incident_email'])}**.")
        if contacts.get("incident_phone"):
            out.append(f"    Call **{text(contacts['incident_phone'])}**.")
        ciso = roles.get("ciso") if isinstance(roles, dict) else None
        if isinstance(ciso, dict) and ciso.get("title"):
            holder = f" ({text(ciso['name'])})" if ciso.get("name") else ""
            out.append(f"    The {text(ciso['title'])}{holder} leads the response.")
        out.append("")
    out += ["## Scope", "", text(config.get("scope") or ""), ""]
    standards = config.get("standards") or []
    if standards:
        out += ["## Standards", "", *[f"- {text(item)}" for item in standards], ""]
    out += ["## Documents", ""]
    for area, documents in by_area:
        out += [f"### {text(area)}", ""]
        for document in documents:
            summary = f": {text(document.meta['summary'])}" if document.meta.get("summary") else ""
            out.append(f"- [{text(document.title)}]({link(page_paths[document.rel])}){summary}")
        out.append("")
    out += [
        "## For the ISMS team and auditors",
        "",
        f"- [Controls]({CONTROLS}): every control, its applicability and the documents that address it",
        f"- [Coverage matrix]({COVERAGE})",
        f"- [Statement of Applicability]({SOA})",
        f"- [Change log]({CHANGELOG})",
        "",
    ]
    return "\n".join(out)


def link(path: str) -> str:
    """A relative path as a link target, each segment percent-encoded.

    Folder and file names come from the repository: encoded, ``javascript:alert(1)/a.md`` cannot be read as
    a URL scheme (a scheme ends at the first literal colon), a quote cannot end an HTML attribute and a
    bracket or space cannot end a Markdown link. MkDocs decodes the path again to find the page."""
    return "/".join(quote(segment, safe="") for segment in path.split("/"))


def page_url(path: str, directory_urls: bool) -> str:
    """A page's URL: ``a/b.md`` -> ``a/b/`` (or ``a/b.html``), ``index.md`` -> ``./``."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index") or "./"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def relative_url(from_path: str, to_path: str, directory_urls: bool) -> str:
    """A link from one page's URL to another's, as a browser resolves it: ``isms/coverage.md`` to
    ``isms/controls.md`` is ``../controls/`` (``controls.html`` without directory URLs)."""
    here = page_url(from_path, directory_urls)
    folder = here.removesuffix("./") if here.endswith("/") else posixpath.dirname(here)
    target = page_url(to_path, directory_urls)
    relative = posixpath.relpath(target.removesuffix("./") or ".", folder.rstrip("/") or ".")
    if target.endswith("/"):
        return "./" if relative == "." else f"{link(relative)}/"
    return link(relative)


NO_SEARCH = "---\nsearch:\n  exclude: true\n---\n\n"
# Wide tables: out of search, and the page's full width for them (the tabs still lead everywhere).
WIDE = "---\nsearch:\n  exclude: true\nhide:\n  - navigation\n  - toc\n---\n\n"


def _controls_page(
    repository: Repository,
    catalogs: dict[str, Catalog],
    coverage: dict[str, Coverage],
    page_paths: dict[str, str],
    directory_urls: bool,
) -> Page:
    """One section per control, as plain HTML put in after Markdown.

    Kept out of search, like the other reference pages: the handbook's search is for staff looking for what
    a policy says, and indexing 93 control entries would both crowd their results and cost about 5 % of
    the build. Readers reach an entry from the navigation or from a document's control links.
    """
    by_id = {document.id: document for document in repository.documents if document.valid}
    blocks = Blocks()
    out = [
        NO_SEARCH + "# Controls",
        "",
        "Every control in scope, what it asks in plain words, and how this ISMS addresses it.",
        "",
    ]
    for catalog_id, result in coverage.items():
        catalog = catalogs[catalog_id]
        out += [f"## {text(catalog.title)}", ""]
        sections: list[str] = []
        for control in catalog:
            entry = repository.soa.get(control.ref)
            theme = html.escape(catalog.themes.get(control.theme, control.theme))
            items = [
                f"<li><strong>Applicable:</strong> {'No' if entry and not entry.applicable else 'Yes'}</li>"
            ]
            if entry is not None and entry.justification:
                items.append(f"<li><strong>Justification:</strong> {html.escape(entry.justification)}</li>")
            if entry is not None and entry.status:
                items.append(f"<li><strong>Implementation:</strong> {html.escape(entry.status)}</li>")
            items.append(
                f"<li><strong>Policy coverage:</strong> {COVERAGE_WORDS[result.states[control.id]]}</li>"
            )
            links = [
                f'<a href="{relative_url(CONTROLS, page_paths[by_id[doc_id].rel], directory_urls)}">'
                f"{html.escape(by_id[doc_id].title)}</a> ({html.escape(by_id[doc_id].status)})"
                for doc_id in result.documents[control.id]
                if doc_id in by_id
            ]
            items.append(f"<li><strong>Documents:</strong> {', '.join(links) if links else 'none'}</li>")
            sections += [
                f'<section class="isms-control" id="{anchor(control.ref)}">',
                f"<h3>{html.escape(control.id)} {html.escape(control.title)}</h3>",
                f"<p><em>{theme}</em>: {html.escape(control.summary)}</p>",
                "<ul>",
                *items,
                "</ul>",
                "</section>",
            ]
        out += [blocks.add("\n".join(sections)), ""]
    return Page(CONTROLS, "Controls", "\n".join(out), blocks.items)


def html_table(headers: list[str], rows: list[list[str]], *, escaped: bool = False) -> str:
    """A plain HTML table, one row a line (cells are escaped unless ``escaped`` says they already are).

    Without ``headers`` the table has no heading row (a table of labelled values)."""
    cell = (lambda value: value) if escaped else html.escape
    lines = ["<table>"]
    if headers:
        lines.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead>")
    lines.append("<tbody>")
    lines += ["<tr>" + "".join(f"<td>{cell(value)}</td>" for value in row) + "</tr>" for row in rows]
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _coverage_page(catalogs: dict[str, Catalog], coverage: dict[str, Coverage], directory_urls: bool) -> Page:
    """Counts per catalog, then every control's state. Kept out of search: the controls page has it all."""
    blocks = Blocks()
    summary = [
        [catalogs[catalog_id].title, *(str(v) for v in _counts(result))]
        for catalog_id, result in coverage.items()
    ]
    out = [WIDE + "# Coverage matrix", ""]
    headers = ["Catalog", "Applicable", "Covered", "Drafted", "Excluded", "Missing"]
    out += [blocks.add(html_table(headers, summary)), ""]
    controls_url = relative_url(COVERAGE, CONTROLS, directory_urls)
    for catalog_id, result in coverage.items():
        catalog = catalogs[catalog_id]
        rows = [
            [
                f'<a href="{controls_url}#{anchor(control.ref)}">{html.escape(control.id)}</a>',
                html.escape(control.title),
                COVERAGE_WORDS[result.states[control.id]],
                html.escape(", ".join(result.documents[control.id]) or "none"),
            ]
            for control in catalog
        ]
        out += [
            f"## {text(catalog.title)}",
            "",
            blocks.add(html_table(["Control", "Title", "Coverage", "Documents"], rows, escaped=True)),
            "",
        ]
    return Page(COVERAGE, "Coverage matrix", "\n".join(out), blocks.items)


def _counts(result: Coverage) -> tuple[int, int, int, int, int]:
    data = result.to_dict()
    return data["applicable"], data["covered"], data["drafted"], data["excluded"], len(data["missing"])


def _soa_page(repository: Repository, catalogs: dict[str, Catalog], today: dt.date) -> Page:
    """The Statement of Applicability as `isms soa` builds it, in HTML tables; kept out of search."""
    from toolkit import soa  # noqa: PLC0415 - shared with `isms soa`

    statement = soa.build(repository, catalogs, today)
    blocks = Blocks()
    out = [WIDE + f"# Statement of Applicability: {text(statement.company)}", ""]
    out += [blocks.add(html_table([], [list(pair) for pair in statement.cover()])), ""]
    for catalog_id in dict.fromkeys(row.catalog for row in statement.rows):
        rows = [soa.cells(row)[1:] for row in statement.rows if row.catalog == catalog_id]
        title = statement.catalog_titles.get(catalog_id, catalog_id)
        out += [f"## {text(title)}", "", blocks.add(html_table(soa.HEADERS[1:], rows)), ""]
    return Page(SOA, "Statement of Applicability", "\n".join(out), blocks.items)


def _changelog_page(repository: Repository, page_paths: dict[str, str], directory_urls: bool) -> Page:
    """Every document version, newest first. Kept out of search: it only repeats document titles."""
    entries = []
    for document in repository.documents:
        for item in document.meta.get("changelog") or []:
            if isinstance(item, dict):
                entries.append((str(item.get("date", "")), document, item))
    entries.sort(key=lambda entry: (entry[0], entry[1].id, str(entry[2].get("version", ""))), reverse=True)
    rows = [
        [
            html.escape(date),
            f'<a href="{relative_url(CHANGELOG, page_paths[document.rel], directory_urls)}">'
            f"{html.escape(document.title)}</a>",
            html.escape(str(item.get("version", ""))),
            html.escape(str(item.get("summary", ""))),
        ]
        for date, document, item in entries
    ]
    table = html_table(["Date", "Document", "Version", "Change"], rows, escaped=True)
    blocks = Blocks()
    intro = "Every document version, newest first."
    content = [WIDE + "# Change log", "", intro, "", blocks.add(table), ""]
    return Page(CHANGELOG, "Change log", "\n".join(content), blocks.items)


def build_handbook(
    repository: Repository,
    catalogs: dict[str, Catalog],
    today: dt.date,
    documents_dir: str = "policies",
    *,
    directory_urls: bool = True,
) -> Handbook:
    """Generated pages, navigation and document headers for ``repository``.

    Page paths are relative to the documents folder (the site's docs folder). ``directory_urls`` says
    whether ``a.md`` is served as ``a/`` (the MkDocs default) or ``a.html``, for the few links the
    generator writes as HTML.
    """
    documents = [document for document in repository.documents if document.valid]
    prefix = f"{documents_dir.rstrip('/')}/"
    page_paths = {document.rel: document.rel.removeprefix(prefix) for document in documents}
    by_area = _documents_by_area(documents)
    in_scope = in_scope_catalogs(repository, catalogs)
    coverage = {
        catalog_id: compute_coverage(repository, catalogs[catalog_id], today) for catalog_id in in_scope
    }
    pages = [
        Page(HOME, "Home", _home(repository, by_area, page_paths)),
        _controls_page(repository, catalogs, coverage, page_paths, directory_urls),
        _coverage_page(catalogs, coverage, directory_urls),
        _soa_page(repository, catalogs, today),
        _changelog_page(repository, page_paths, directory_urls),
    ]
    # Themes render navigation titles as raw HTML: escape user text here.
    nav: list[Any] = [{"Home": HOME}]
    for area, area_documents in by_area:
        entries = [{html.escape(document.title): page_paths[document.rel]} for document in area_documents]
        nav.append({html.escape(area): entries})
    nav.append({"ISMS reference": [{page.title: page.path} for page in pages[1:]]})
    headers = {
        page_paths[document.rel]: document_header(
            document,
            page_paths[document.rel],
            catalogs,
            today,
            repository.review_cycle_months,
            directory_urls,
        )
        for document in documents
    }
    return Handbook(pages, nav, headers)
