"""The register pages of the handbook: risks, requirements, assets and suppliers, for the ISMS team and
auditors.

One page per register present and published (``isms/risks.md`` ...), under "ISMS reference" and never
among the staff pages: each is kept out of the search index and out of the printable staff handbook, like
the other reference pages. Every value is escaped; control references link to the controls page and
document ids to the documents' pages. The tables come from :mod:`toolkit.register_tables`, the same as
``isms registers export``.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence

from toolkit.handbook.markup import CONTROLS, REGISTER_PAGES, Blocks, Page, anchor, relative_url, text
from toolkit.handbook.reference import WIDE
from toolkit.register_tables import Registers, Table, Value
from toolkit.registers import RiskMethod
from toolkit.workspace import Workspace

Row = dict[str, Value]


def plain(value: Value) -> str:
    """``value`` for a reader, escaped: dates ``YYYY-MM-DD``, lists joined, yes or no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return html.escape(", ".join(value))
    return html.escape(str(value))


class Links:
    """Links from one register page to the controls page and to the documents' pages."""

    def __init__(
        self, workspace: Workspace, path: str, page_paths: dict[str, str], directory_urls: bool
    ) -> None:
        self.controls_url = relative_url(path, CONTROLS, directory_urls)
        self.known = {
            control.ref for catalog_id in workspace.coverage for control in workspace.catalogs[catalog_id]
        }
        roles = workspace.config.get("roles")
        self.roles = {
            str(key): str(role["title"])
            for key, role in (roles.items() if isinstance(roles, dict) else [])
            if isinstance(role, dict) and isinstance(role.get("title"), str)
        }
        self.documents = {
            document.id: relative_url(path, page_paths[document.rel], directory_urls)
            for document in workspace.documents
            if document.valid and document.rel in page_paths
        }

    def role(self, value: Value) -> str:
        """A role of ``isms.yml`` by its title (``ciso`` -> Chief Information Security Officer)."""
        return plain(self.roles.get(value, value) if isinstance(value, str) else value)

    def controls(self, value: Value) -> str:
        refs = value if isinstance(value, tuple) else ()
        return ", ".join(
            f'<a href="{self.controls_url}#{anchor(ref)}">{html.escape(ref)}</a>'
            if ref in self.known
            else html.escape(ref)
            for ref in refs
        )

    def documents_of(self, value: Value) -> str:
        ids = value if isinstance(value, tuple) else ()
        return ", ".join(
            f'<a href="{self.documents[doc_id]}">{html.escape(doc_id)}</a>'
            if doc_id in self.documents
            else html.escape(doc_id)
            for doc_id in ids
        )


def _table(headers: Sequence[str], rows: list[tuple[str, list[str]]]) -> str:
    """An HTML table whose rows carry an id (``rsk-001``) so that the SoA can link to an entry."""
    lines = [
        "<table>",
        "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead>",
    ]
    lines.append("<tbody>")
    lines += [
        f'<tr id="{anchor(row_id)}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
        for row_id, cells in rows
    ]
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def _scored(level: Value, likelihood: Value, impact: Value) -> str:
    """``16 (4 x 4)``: a level with the scores it comes from."""
    if level is None:
        return ""
    return f"{plain(level)} ({plain(likelihood)} &times; {plain(impact)})"


def _joined(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def _risk_cells(row: Row, links: Links) -> list[str]:
    details = _joined(
        f"by {links.role(row['action_owner'])}" if row["action_owner"] else "", plain(row["action_status"])
    )
    action = plain(row["action"]) + (f" ({details})" if details else "")
    accepted = ""
    if row["accepted_by"] or row["accepted_on"]:
        accepted = f"{links.role(row['accepted_by'])} on {plain(row['accepted_on'])}"
        if row["acceptance_note"]:
            accepted += f": {plain(row['acceptance_note'])}"
    return [
        plain(row["id"]),
        plain(row["title"]),
        plain(row["assets"]),
        links.role(row["owner"]),
        _scored(row["level"], row["likelihood"], row["impact"]),
        plain(row["treatment"]),
        links.controls(row["controls"]),
        action,
        plain(row["due"]),
        _scored(row["residual_level"], row["residual_likelihood"], row["residual_impact"]),
        accepted,
    ]


RISK_HEADERS = (
    "Risk",
    "Title",
    "Assets",
    "Owner",
    "Level",
    "Treatment",
    "Controls",
    "Action",
    "Due",
    "Residual",
    "Acceptance",
)


def _requirement_cells(row: Row, links: Links) -> list[str]:
    return [
        plain(row["id"]),
        plain(row["title"]),
        plain(row["source"]),
        plain(row["kind"]),
        links.role(row["owner"]),
        links.controls(row["controls"]),
        links.documents_of(row["documents"]),
    ]


def _asset_cells(row: Row, links: Links) -> list[str]:
    keys = ("id", "name", "type", "owner", "classification", "location", "client")
    return [links.role(row[key]) if key == "owner" else plain(row[key]) for key in keys]


def _supplier_cells(row: Row, links: Links) -> list[str]:
    agreements = _joined(
        *(
            f"{label} {plain(row[key])}"
            for label, key in (("NDA", "nda_signed"), ("DPA", "dpa_signed"), ("BAA", "baa_signed"))
            if row[key]
        )
    )
    protections = _joined(
        "sub-contracting needs approval" if row["subcontracting_approval"] is True else "",
        "audit rights" if row["audit_rights"] is True else "",
        f"incident notice {plain(row['incident_notice_hours'])} h"
        if row["incident_notice_hours"] is not None
        else "",
        f"data returned and deleted in {plain(row['data_return_days'])} days"
        if row["data_return_days"] is not None
        else "",
        "deletion certificate" if row["deletion_certificate"] is True else "",
    )
    return [
        plain(row["id"]),
        plain(row["name"]),
        plain(row["services"]),
        links.role(row["owner"]),
        plain(row["client_data_access"]),
        plain(row["data_location"]),
        agreements,
        protections,
        plain(row["last_review"]),
    ]


PAGES: dict[str, tuple[str, tuple[str, ...], Callable[[Row, Links], list[str]]]] = {
    "risks": (
        "What could go wrong, how likely and how bad it is, and what is done about it.",
        RISK_HEADERS,
        _risk_cells,
    ),
    "requirements": (
        "The laws, regulations and client contracts the ISMS must meet, and the controls and documents "
        "that meet them.",
        ("Requirement", "Title", "Source", "Kind", "Owner", "Controls", "Documents"),
        _requirement_cells,
    ),
    "assets": (
        "The information and client assets in scope, who owns them and how they are classified.",
        ("Asset", "Name", "Type", "Owner", "Classification", "Location", "Client"),
        _asset_cells,
    ),
    "suppliers": (
        "Suppliers and sub-processors, and the protections their contracts pass down to them.",
        (
            "Supplier",
            "Name",
            "Services",
            "Owner",
            "Client data",
            "Data location",
            "Agreements",
            "Protections",
            "Last review",
        ),
        _supplier_cells,
    ),
}


def _method(method: RiskMethod | None, roles: dict[str, str]) -> list[str]:
    """The risk method of ``isms.yml`` in words, above the risk table."""
    if method is None:
        return ["A risk's level is its likelihood times its impact.", ""]
    likelihood = ", ".join(f"{number} {text(step)}" for number, step in enumerate(method.likelihood, 1))
    impact = ", ".join(f"{number} {text(step)}" for number, step in enumerate(method.impact, 1))
    authority = text(roles.get(method.acceptance_authority, method.acceptance_authority))
    return [
        "A risk's level is its likelihood times its impact, scored on the risk method of `isms.yml`:",
        "",
        f"- Likelihood: {likelihood}.",
        f"- Impact: {impact}.",
        f"- At level {method.treatment_threshold} or above a risk must be treated; a residual level of "
        f"{method.acceptance_threshold} or above needs acceptance by {authority}.",
        "",
    ]


def register_page(
    workspace: Workspace,
    table: Table,
    registers: Registers,
    page_paths: dict[str, str],
    directory_urls: bool,
) -> Page:
    """The page of one register: what it is, then its table (the risk method above the risks)."""
    path = REGISTER_PAGES[table.name]
    intro, headers, cells = PAGES[table.name]
    links = Links(workspace, path, page_paths, directory_urls)
    blocks = Blocks()
    out = [WIDE + f"# {text(table.title)}", "", intro, ""]
    if table.name == "risks":
        out += _method(registers.method, links.roles)
    out += [f"From {text(table.file)}: {len(table.rows)} entries.", ""]
    rows = [(str(row["id"] or ""), cells(row, links)) for row in table.rows]
    out += [blocks.add(_table(headers, rows)), ""]
    return Page(path, table.title, "\n".join(out), blocks.items)


def register_pages(
    workspace: Workspace, registers: Registers, page_paths: dict[str, str], directory_urls: bool
) -> list[Page]:
    """A page for each register in ``registers``."""
    return [
        register_page(workspace, table, registers, page_paths, directory_urls) for table in registers.tables
    ]
