"""The reference pages of the handbook for the ISMS team and auditors: controls, coverage, SoA, change log.

Each is generated from the workspace with no MkDocs API; their large tables are HTML blocks put into the
converted page (see :class:`toolkit.handbook.markup.Blocks`). All are kept out of the staff search.
"""

from __future__ import annotations

import html
from collections.abc import Collection

from toolkit.catalogs import Catalog
from toolkit.handbook.markup import (
    CHANGELOG,
    CONTROLS,
    COVERAGE,
    REGISTER_PAGES,
    SOA,
    Blocks,
    Page,
    anchor,
    relative_url,
    text,
)
from toolkit.model import COVERAGE_WORDS, Coverage, Document
from toolkit.workspace import Workspace

NO_SEARCH = "---\nsearch:\n  exclude: true\n---\n\n"
# Wide tables: out of search, and the page's full width for them (the tabs still lead everywhere).
WIDE = "---\nsearch:\n  exclude: true\nhide:\n  - navigation\n  - toc\n---\n\n"


def controls_page(workspace: Workspace, page_paths: dict[str, str], directory_urls: bool) -> Page:
    """One section per control, as plain HTML put in after Markdown.

    Kept out of search, like the other reference pages: the handbook's search is for staff looking for what
    a policy says, and indexing 93 control entries would both crowd their results and cost about 5 % of
    the build. Readers reach an entry from the navigation or from a document's control links.
    """
    by_id = {document.id: document for document in workspace.documents if document.valid}
    catalogs = workspace.catalogs
    blocks = Blocks()
    out = [
        NO_SEARCH + "# Controls",
        "",
        "Every control in scope, what it asks in plain words, and how this ISMS addresses it.",
        "",
    ]
    for catalog_id, result in workspace.coverage.items():
        catalog = catalogs[catalog_id]
        out += [f"## {text(catalog.title)}", ""]
        sections: list[str] = []
        for control in catalog:
            entry = workspace.soa.get(control.ref)
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


def coverage_page(catalogs: dict[str, Catalog], coverage: dict[str, Coverage], directory_urls: bool) -> Page:
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


def soa_page(workspace: Workspace, registers: Collection[str] = (), directory_urls: bool = True) -> Page:
    """The Statement of Applicability as `isms soa` builds it, in HTML tables; kept out of search.

    A DRAFT notice until ``soa.yml`` is approved and sealed, the cover, the controls, then the clause
    items. A reason that is a risk or a requirement links to its entry on the register page, when that
    register is among the published ``registers``.
    """
    from toolkit import soa  # noqa: PLC0415 - shared with `isms soa`

    statement = soa.build(workspace)
    targets = {
        kind: relative_url(SOA, REGISTER_PAGES[name], directory_urls)
        for kind, name in (("risk", "risks"), ("requirement", "requirements"))
        if name in registers
    }

    def reasons(row: soa.SoaRow) -> str:
        return "; ".join(
            f'<a href="{targets[reason.kind]}#{anchor(reason.id)}">{html.escape(reason.id)}</a> '
            f"{html.escape(reason.title)}"
            if reason.kind in targets and reason.id
            else html.escape(reason.describe())
            for reason in row.reasons
        )

    blocks = Blocks()
    out = [WIDE + f"# Statement of Applicability: {text(statement.company)}", ""]
    if not statement.approved:
        notice = (
            '<div class="admonition warning"><p class="admonition-title">DRAFT</p>'
            "<p>This Statement of Applicability is a draft "
            f"({html.escape(statement.status.removeprefix('DRAFT: '))}).</p></div>"
        )
        out += [blocks.add(notice), ""]
    out += [blocks.add(html_table([], [list(pair) for pair in statement.cover()])), ""]
    reasons_column = [key for key, _label in soa.COLUMNS].index("reasons")
    for catalog_id in dict.fromkeys(row.catalog for row in statement.all_rows()):
        rows = []
        for row in statement.all_rows():
            if row.catalog == catalog_id:
                cells = [html.escape(cell) for cell in soa.cells(row)]
                cells[reasons_column] = reasons(row)
                rows.append(cells[1:])
        title = statement.catalog_titles.get(catalog_id, catalog_id)
        table = html_table(soa.HEADERS[1:], rows, escaped=True)
        out += [f"## {text(title)}", "", blocks.add(table), ""]
    return Page(SOA, "Statement of Applicability", "\n".join(out), blocks.items)


def changelog_page(documents: list[Document], page_paths: dict[str, str], directory_urls: bool) -> Page:
    """Every document version, newest first. Kept out of search: it only repeats document titles."""
    entries = []
    for document in documents:
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
