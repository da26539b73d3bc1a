"""The handbook's navigation, staff first: what staff follow and use, then one section for the ISMS team
and auditors that staff never have to pass through.

Which top-level section a document goes to follows its ``type`` (see :data:`STAFF_SECTIONS`), so a new
type of document gets its section by adding a line here; inside a section, documents are grouped by
their ``area``. No MkDocs API: the navigation is plain data that ``mkdocs.yml``'s ``nav`` accepts.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from toolkit.handbook.markup import HOME, Page
from toolkit.model import Document

# The staff's top-level sections in the order of the tabs, each with the document types it holds.
STAFF_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Policies", ("policy",)),
    ("Forms", ("form",)),
    ("Procedures", ("procedure", "standard")),
)
# A type named nowhere here (none of the schema's types today) still reaches staff, in this last section.
OTHER_SECTION = "Other documents"
# The ISMS's own documents (clause 4-10) go with the auditor pages, in this sub-section of REFERENCE.
REFERENCE_TYPES = ("isms-document",)
REFERENCE = "ISMS reference"
ISMS_DOCUMENTS = "ISMS documents"

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


@dataclass
class Section:
    """A top-level section of staff documents, grouped by area."""

    title: str
    areas: list[tuple[str, list[Document]]]


def by_area(documents: list[Document]) -> list[tuple[str, list[Document]]]:
    """Documents grouped by ``area``: the known areas in their order, then the others by name."""
    areas: dict[str, list[Document]] = {}
    for document in documents:
        area = str(document.meta.get("area") or "Other documents")
        areas.setdefault(area, []).append(document)
    order = {name: index for index, name in enumerate(AREA_ORDER)}
    ordered = sorted(areas.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    return [(area, sorted(docs, key=lambda doc: doc.title.lower())) for area, docs in ordered]


def staff_sections(documents: list[Document]) -> list[Section]:
    """The staff sections that have documents, in tab order."""
    section_of = {kind: title for title, kinds in STAFF_SECTIONS for kind in kinds}
    grouped: dict[str, list[Document]] = {}
    for document in documents:
        kind = str(document.meta.get("type") or "")
        if kind not in REFERENCE_TYPES:
            grouped.setdefault(section_of.get(kind, OTHER_SECTION), []).append(document)
    titles = [title for title, _kinds in STAFF_SECTIONS] + [OTHER_SECTION]
    return [Section(title, by_area(grouped[title])) for title in titles if title in grouped]


def isms_documents(documents: list[Document]) -> list[Document]:
    """The ISMS's own documents, which sit with the auditor pages, by title."""
    chosen = [document for document in documents if document.meta.get("type") in REFERENCE_TYPES]
    return sorted(chosen, key=lambda document: document.title.lower())


def navigation(
    sections: list[Section],
    own_documents: list[Document],
    reference_pages: list[Page],
    page_paths: dict[str, str],
) -> list[Any]:
    """Home, a tab per staff section (its areas as groups), then the ISMS reference: the auditor pages and
    the ISMS documents. Themes render navigation titles as raw HTML, so user text is escaped here."""

    def entries(documents: list[Document]) -> list[dict[str, str]]:
        return [{html.escape(document.title): page_paths[document.rel]} for document in documents]

    nav: list[Any] = [{"Home": HOME}]
    for section in sections:
        nav.append({section.title: [{html.escape(area): entries(docs)} for area, docs in section.areas]})
    reference: list[Any] = [{page.title: page.path} for page in reference_pages]
    if own_documents:
        reference.append({ISMS_DOCUMENTS: entries(own_documents)})
    nav.append({REFERENCE: reference})
    return nav
