"""Model -> handbook pages: Markdown text and a navigation tree, with no MkDocs API.

Every value that comes from a user's file is escaped before it is written into Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from toolkit.acknowledgements import settings
from toolkit.catalogs import Catalog
from toolkit.handbook import reference
from toolkit.handbook.acknowledge import acknowledge_box
from toolkit.handbook.markup import (
    CONTROLS,
    HOME,
    Page,
    anchor,
    link,
    relative_url,
    text,
)
from toolkit.handbook.navigation import ISMS_DOCUMENTS, Section, isms_documents, navigation, staff_sections
from toolkit.handbook.readiness import readiness_page
from toolkit.handbook.records import records_pages
from toolkit.handbook.registers import register_pages
from toolkit.model import Document
from toolkit.workspace import Workspace


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


def _banner(kind: str, title: str, message: str) -> str:
    """A one-line notice (an admonition with only its title), so that on a phone the text starts near the
    top of the screen."""
    notice = html.escape(f"{title}: {message}")
    return f'<div class="admonition {kind}"><p class="admonition-title">{notice}</p></div>'


def _banners(doc: Document, due: dt.date | None, today: dt.date) -> list[str]:
    if doc.status == "draft":
        return [_banner("warning", "DRAFT", "not approved, not in force yet")]
    if doc.status == "retired":
        return [_banner("danger", "RETIRED", "withdrawn, kept for reference")]
    if doc.status == "approved" and due is not None and due < today:
        return [_banner("danger", "Review overdue", f"this document was due for review on {due.isoformat()}")]
    return []


def document_header(
    doc: Document,
    page_path: str,
    catalogs: dict[str, Catalog],
    today: dt.date,
    default_cycle: int,
    directory_urls: bool = True,
) -> str:
    """What a document shows under its title: a one-line DRAFT, RETIRED or overdue notice, its
    document-control details folded into one line (id, version, status; a tap opens the table), then
    its summary, what it asks of its reader. On a phone the title, the status and that summary fill the
    first screen, and the text starts right below.

    The control details are left out of the search index (``data-search-exclude``), so that a search
    finds what a document says rather than its metadata; print styles show them unfolded.
    """
    meta = doc.meta
    due = doc.next_review(default_cycle)
    parts = _banners(doc, due, today)
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
    folded = [html.escape(doc.id), f"version {value('version')}", html.escape(doc.status)]
    # One element a line: HTML post-processors (such as the print page's) scan line by line.
    cells = "\n".join(f"<tr><td>{label}</td><td>{content}</td></tr>" for label, content in rows)
    parts.append(
        '<div class="isms-document-control" data-search-exclude>\n<details class="info">\n'
        f"<summary>Document control: {', '.join(folded)}</summary>\n"
        f"<table>\n<tbody>\n{cells}\n</tbody>\n</table>\n</details>\n</div>"
    )
    if meta.get("summary"):
        parts.append(f'<p class="isms-summary"><strong>In short:</strong> {value("summary")}</p>')
    return "\n\n".join(parts) + "\n\n"


# The home page lists every staff document up to this many; above it, this many per area.
HOME_FULL_LIST = 150
HOME_AREA_LIMIT = 10


def _home(
    workspace: Workspace,
    handbook_nav: tuple[list[Section], list[Document]],
    page_paths: dict[str, str],
    reference_pages: list[Page],
) -> str:
    config = workspace.config
    organisation = config.get("organisation") or {}
    contacts = config.get("contacts") or {}
    roles = config.get("roles") or {}
    name = organisation.get("name") or workspace.name
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
    sections, own_documents = handbook_nav

    def listed(documents: list[Document]) -> list[str]:
        lines = []
        for document in documents:
            summary = f": {text(document.meta['summary'])}" if document.meta.get("summary") else ""
            lines.append(f"- [{text(document.title)}]({link(page_paths[document.rel])}){summary}")
        return lines

    # A large handbook lists the first few documents of each area (the navigation has them all), so
    # that the home page does not grow with the documents.
    total = sum(len(documents) for section in sections for _area, documents in section.areas)
    shown = HOME_AREA_LIMIT if total > HOME_FULL_LIST else None
    for section in sections:
        out += [f"## {text(section.title)}", ""]
        for area, documents in section.areas:
            out += [f"### {text(area)}", "", *listed(documents[:shown])]
            if shown is not None and len(documents) > shown:
                more = len(documents) - shown
                out.append(f"- and {more} more: see {text(section.title)}, {text(area)} in the navigation")
            out.append("")
    notes = {CONTROLS: ": every control, its applicability and the documents that address it"}
    out += ["## For the ISMS team and auditors", ""]
    out += [
        f"- [{text(page.title)}]({link(page.path)}){notes.get(page.path, '')}" for page in reference_pages
    ]
    if own_documents:
        out += ["", f"### {ISMS_DOCUMENTS}", "", *listed(own_documents)]
    out.append("")
    return "\n".join(out)


def build_handbook(
    workspace: Workspace,
    documents_dir: str = "policies",
    *,
    directory_urls: bool = True,
    registers: Collection[str] | None = None,
) -> Handbook:
    """Generated pages, navigation and document headers for ``workspace``, on its date.

    Page paths are relative to the documents folder (the site's docs folder). ``directory_urls`` says
    whether ``a.md`` is served as ``a/`` (the MkDocs default) or ``a.html``, for the few links the
    generator writes as HTML. ``registers`` names the registers to publish (default: every one present);
    each gets a page among the reference pages.
    """
    from toolkit import register_tables  # noqa: PLC0415 - only the handbook and the export need it

    documents = [document for document in workspace.documents if document.valid]
    prefix = f"{documents_dir.rstrip('/')}/"
    page_paths = {document.rel: document.rel.removeprefix(prefix) for document in documents}
    sections, own_documents = staff_sections(documents), isms_documents(documents)
    tables = register_tables.build(
        workspace, register_tables.NAMES if registers is None else tuple(registers)
    )
    published = [table.name for table in tables.tables]
    reference_pages = [
        reference.controls_page(workspace, page_paths, directory_urls),
        reference.coverage_page(workspace.catalogs, workspace.coverage, directory_urls),
        reference.soa_page(workspace, published, directory_urls),
        *register_pages(workspace, tables, page_paths, directory_urls),
        *records_pages(workspace),
        reference.changelog_page(workspace.documents, page_paths, directory_urls),
        readiness_page(workspace),
    ]
    home = _home(workspace, (sections, own_documents), page_paths, reference_pages)
    pages = [Page(HOME, "Home", home), *reference_pages]
    nav = navigation(sections, own_documents, reference_pages, page_paths)
    acknowledgement = settings(workspace.config)
    headers = {
        page_paths[document.rel]: document_header(
            document,
            page_paths[document.rel],
            workspace.catalogs,
            workspace.today,
            workspace.review_cycle_months,
            directory_urls,
        )
        + acknowledge_box(document, acknowledgement)
        for document in documents
    }
    return Handbook(pages, nav, headers)
