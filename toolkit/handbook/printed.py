"""The printed handbook: HTML pages for a PDF engine with CSS paged media, free of any engine.

One HTML file per document and one for the whole book, made from the same loaded repository as the
handbook site (no MkDocs run). Every page carries a running header (the company, the document's id,
title, version and status) and footer (owner, approval, ``Page x of y``); a draft's pages carry a DRAFT
watermark; the book opens with a cover and a table of contents whose page numbers the engine fills in
(``target-counter``). Every value from a user's file is escaped; a document's own text is filtered by
:mod:`toolkit.handbook.print_markup`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from toolkit.handbook.navigation import by_area
from toolkit.handbook.print_markup import document_html
from toolkit.model import Document
from toolkit.workspace import Workspace

CSS = """\
@page {
  size: A4;
  margin: 24mm 18mm 22mm 18mm;
  @top-left { content: string(company); font-size: 8pt; color: #555; vertical-align: bottom; }
  @top-right { content: element(isms-running); vertical-align: bottom; }
  @bottom-left { content: element(isms-footer); vertical-align: top; }
  @bottom-right {
    content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; vertical-align: top;
  }
}
@page isms-draft { @left-middle { content: element(isms-watermark); } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; }
h1 { font-size: 18pt; margin: 0 0 8pt; bookmark-level: 1; }
h2 { font-size: 13pt; margin: 14pt 0 4pt; bookmark-level: 2; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; bookmark-level: none; }
h4, h5, h6 { font-size: 10pt; bookmark-level: none; }
h2, h3, h4 { break-after: avoid; }
table { border-collapse: collapse; margin: 6pt 0 10pt; }
td, th { border: .5pt solid #999; padding: 2pt 5pt; vertical-align: top; text-align: left; }
img { max-width: 100%; }
a { color: inherit; }
.admonition { border-left: 3pt solid #888; padding: 2pt 8pt; margin: 8pt 0; background: #f4f4f4; }
.admonition-title { font-weight: bold; margin: 0; }
.isms-company { string-set: company content(); display: block; height: 0; overflow: hidden; }
.isms-running { position: running(isms-running); font-size: 8pt; color: #555; text-align: right; }
.isms-footer { position: running(isms-footer); font-size: 8pt; color: #555; }
.isms-watermark { position: running(isms-watermark); }
.isms-watermark span {
  position: absolute; left: 22mm; top: -25mm; transform: rotate(-52deg); font-size: 118pt;
  font-weight: bold; color: rgba(200, 0, 0, .14); letter-spacing: 6pt;
}
.isms-toc + .isms-document, .isms-document + .isms-document { break-before: page; }
.isms-document.isms-status-draft { page: isms-draft; }
.isms-control { font-size: 8.5pt; width: 100%; margin-bottom: 14pt; }
.isms-control td:first-child { width: 28%; color: #444; }
.isms-banner { border: 1pt solid #b00; color: #b00; padding: 3pt 8pt; font-weight: bold; margin: 0 0 8pt; }
.isms-cover { text-align: center; padding-top: 70mm; break-after: page; }
.isms-cover h1 { font-size: 26pt; bookmark-level: none; }
.isms-cover p { margin: 6pt 0; }
.isms-toc h1 { bookmark-level: 1; }
.isms-toc h2 { font-size: 11pt; margin: 10pt 0 2pt; bookmark-level: none; }
.isms-toc ul { list-style: none; padding: 0; margin: 0; }
.isms-toc li { margin: 2pt 0; }
.isms-toc a { text-decoration: none; }
.isms-toc a::after { content: leader(".") " " target-counter(attr(href url), page); }
.isms-toc .isms-toc-id { color: #555; }
"""

BANNERS = {
    "draft": "DRAFT: this document is not approved and is not in force yet.",
    "retired": "RETIRED: this document has been withdrawn and is kept for reference.",
}


def company_name(workspace: Workspace) -> str:
    """The company's full name from ``isms.yml`` (its short name, or the folder's, as a fallback)."""
    organisation = workspace.config.get("organisation")
    if isinstance(organisation, dict) and organisation.get("name"):
        return str(organisation["name"])
    return workspace.name


def _e(value: object) -> str:
    return html.escape(str(value if value is not None else ""), quote=True)


def _approval(document: Document) -> str:
    if document.status == "draft":
        return "Not approved yet"
    on = document.meta.get("approved_on")
    by = document.meta.get("approver")
    return " ".join(part for part in ("Approved", f"on {on}" if on else "", f"by {by}" if by else "") if part)


def _control_table(document: Document, workspace: Workspace) -> str:
    meta = document.meta
    due = document.next_review(workspace.review_cycle_months)
    rows = [
        ("Document id", document.id),
        ("Title", document.title),
        ("Version", document.version),
        ("Status", document.status.upper()),
        ("Owner", meta.get("owner") or ""),
        ("Approver", meta.get("approver") or ""),
        ("Approved on", meta.get("approved_on") or "not approved"),
        ("Effective", meta.get("effective") or meta.get("approved_on") or ""),
        ("Next review", due.isoformat() if due else ""),
        ("Classification", meta.get("classification") or ""),
    ]
    cells = "".join(f"<tr><td>{_e(label)}</td><td>{_e(value)}</td></tr>" for label, value in rows)
    return f'<table class="isms-control"><tbody>{cells}</tbody></table>'


def document_section(
    document: Document, workspace: Workspace, *, anchor: str, anchors: dict[str, str]
) -> str:
    """One document as a ``<section>``: running header and footer, watermark on a draft, the control
    table under its title, then its text. ``anchors`` maps documents' repository paths to their anchors
    in the same PDF (links to other documents become links inside it)."""
    status = document.status
    running = (
        f'<div class="isms-running">{_e(document.id)} · {_e(document.title)} · '
        f"Version {_e(document.version)} · {_e(status.upper())}</div>"
    )
    footer = (
        f'<div class="isms-footer">Owner: {_e(document.meta.get("owner") or "")} · '
        f"{_e(_approval(document))}</div>"
    )
    watermark = '<div class="isms-watermark"><span>DRAFT</span></div>' if status == "draft" else ""
    banner = f'<p class="isms-banner">{_e(BANNERS[status])}</p>' if status in BANNERS else ""
    body = document_html(document.body, document.rel, anchors)
    title = f"<h1>{_e(document.title)}</h1>"
    end = body.find("</h1>")
    if body.lstrip().startswith("<h1") and end >= 0:
        title, body = body[: end + len("</h1>")], body[end + len("</h1>") :]
    return (
        f'<section class="isms-document isms-status-{_e(status)}" id="{_e(anchor)}">'
        f'<p class="isms-company">{_e(company_name(workspace))}</p>'
        f"{running}{footer}{watermark}{title}{banner}{_control_table(document, workspace)}{body}</section>"
    )


def _page(title: str, company: str, content: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{_e(title)}</title><meta name="author" content="{_e(company)}">'
        f'<meta name="generator" content="isms-toolkit"></head><body>{content}</body></html>'
    )


@dataclass(frozen=True)
class PrintedPage:
    """An HTML page for the PDF engine: the file name to write and the document it shows (None: the
    book)."""

    name: str
    html: str
    document: Document | None = None


def printable_documents(workspace: Workspace) -> list[tuple[str, list[Document]]]:
    """The documents to print, by area in the handbook's order (documents whose front matter could not
    be read are left out, as on the site)."""
    return by_area([document for document in workspace.documents if document.valid])


def document_page(document: Document, workspace: Workspace) -> PrintedPage:
    """The HTML of one document's own PDF."""
    section = document_section(document, workspace, anchor="doc-1", anchors={})
    company = company_name(workspace)
    return PrintedPage(f"{document.id}.pdf", _page(document.title, company, section), document)


def book_page(workspace: Workspace, by_area: list[tuple[str, list[Document]]]) -> PrintedPage:
    """The HTML of the whole book: cover, table of contents with page numbers, every document."""
    company = company_name(workspace)
    anchors: dict[str, str] = {}
    for _area, listed in by_area:
        for document in listed:
            anchors[document.rel] = f"doc-{len(anchors) + 1}"
    documents = [document for _area, area_documents in by_area for document in area_documents]
    drafts = sum(1 for document in documents if document.status == "draft")
    scope = workspace.config.get("scope")
    cover = (
        f'<div class="isms-cover"><p class="isms-company">{_e(company)}</p><h1>{_e(company)}</h1>'
        "<p>Information Security Policy Handbook</p>"
        f"<p>{len(documents)} documents, {drafts} of them drafts (marked DRAFT on every page)</p>"
        f"<p>Printed on {workspace.today.isoformat()}. A printed copy is not controlled: the handbook "
        "is the current version.</p>"
        + (f"<p>Scope: {_e(scope)}</p>" if isinstance(scope, str) and scope else "")
        + "</div>"
    )
    toc = ['<div class="isms-toc"><h1>Contents</h1>']
    for area, area_documents in by_area:
        toc.append(f"<h2>{_e(area)}</h2><ul>")
        for document in area_documents:
            toc.append(
                f'<li><a href="#{anchors[document.rel]}"><span class="isms-toc-id">{_e(document.id)}</span> '
                f"{_e(document.title)} (version {_e(document.version)}, {_e(document.status)})</a></li>"
            )
        toc.append("</ul>")
    toc.append("</div>")
    sections = "".join(
        document_section(document, workspace, anchor=anchors[document.rel], anchors=anchors)
        for document in documents
    )
    title = f"{company}: Information Security Policy Handbook"
    return PrintedPage("handbook.pdf", _page(title, company, cover + "".join(toc) + sections))
