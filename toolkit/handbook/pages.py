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
from toolkit.handbook.readiness import readiness_page
from toolkit.handbook.records import records_pages
from toolkit.handbook.registers import register_pages
from toolkit.model import Document
from toolkit.workspace import Workspace

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
# Forms, checklists and logs (type: form) get a section of their own after every area, whatever their area.
FORMS_AREA = "Forms and checklists"


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
        area = FORMS_AREA if document.is_form else str(document.meta.get("area") or "Other documents")
        areas.setdefault(area, []).append(document)
    order = {name: index for index, name in enumerate(AREA_ORDER)}
    order[FORMS_AREA] = len(order) + 1  # after the known areas and any of the company's own
    ordered = sorted(areas.items(), key=lambda item: (order.get(item[0], len(AREA_ORDER)), item[0]))
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
    workspace: Workspace,
    by_area: list[tuple[str, list[Document]]],
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
    out += ["## Documents", ""]
    for area, documents in by_area:
        out += [f"### {text(area)}", ""]
        for document in documents:
            summary = f": {text(document.meta['summary'])}" if document.meta.get("summary") else ""
            out.append(f"- [{text(document.title)}]({link(page_paths[document.rel])}){summary}")
        out.append("")
    notes = {CONTROLS: ": every control, its applicability and the documents that address it"}
    out += ["## For the ISMS team and auditors", ""]
    out += [
        f"- [{text(page.title)}]({link(page.path)}){notes.get(page.path, '')}" for page in reference_pages
    ]
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
    by_area = _documents_by_area(documents)
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
    pages = [Page(HOME, "Home", _home(workspace, by_area, page_paths, reference_pages)), *reference_pages]
    # Themes render navigation titles as raw HTML: escape user text here.
    nav: list[Any] = [{"Home": HOME}]
    for area, area_documents in by_area:
        entries = [{html.escape(document.title): page_paths[document.rel]} for document in area_documents]
        nav.append({html.escape(area): entries})
    nav.append({"ISMS reference": [{page.title: page.path} for page in pages[1:]]})
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
