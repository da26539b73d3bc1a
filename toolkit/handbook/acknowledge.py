"""The "Acknowledge this policy" box of a staff policy's handbook page.

The handbook is a static site: it records nothing. Each staff policy (audience all-staff, approved) says
what to acknowledge (id, version, effective date) and, when ``isms.yml`` ``acknowledgements.form_url``
names the company's own form or LMS course, links to it with ``{id}``, ``{version}`` and ``{title}`` filled
in. Every value is URL-encoded into the address and the address HTML-escaped into the page: the handbook
goes to every employee.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from toolkit.acknowledgements import Settings, staff_facing
from toolkit.model import Document


def form_link(template: str, document: Document) -> str:
    """``template`` with ``{id}``, ``{version}`` and ``{title}`` replaced by the document's, URL-encoded;
    empty unless it is an http(s) address. Only these three names are replaced (never ``str.format``,
    which would read attributes of the values)."""
    if not template.startswith(("https://", "http://")):
        return ""
    values = {"{id}": document.id, "{version}": document.version, "{title}": document.title}
    out = template
    for name, value in values.items():
        out = out.replace(name, quote(value, safe=""))
    return out


def acknowledge_box(document: Document, config: Settings) -> str:
    """The box's HTML for a staff policy; empty for any other document."""
    if not staff_facing(document):
        return ""
    effective = document.effective
    what = (
        f"document <strong>{html.escape(document.id)}</strong>, version "
        f"<strong>{html.escape(document.version)}</strong>"
    )
    if effective is not None:
        what += f", effective <strong>{effective.isoformat()}</strong>"
    parts = [
        '<div class="admonition info isms-acknowledge" data-search-exclude>',
        '<p class="admonition-title">Acknowledge this policy</p>',
        f"<p>Every member of staff reads this policy and confirms it. Acknowledge {what}.</p>",
    ]
    url = form_link(config.form_url, document)
    if url:
        parts.append(
            f'<p><a href="{html.escape(url, quote=True)}" rel="noopener noreferrer">'
            "Open the acknowledgement form</a></p>"
        )
    else:
        parts.append("<p>Your team leader or HR tells you where to record it.</p>")
    parts.append("</div>")
    return "\n".join(parts) + "\n\n"
