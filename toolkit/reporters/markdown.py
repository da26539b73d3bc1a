"""``--format markdown``: a report for a CI job summary or a pull request comment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.reporters import location, verdict

if TYPE_CHECKING:
    from toolkit.check import CheckResult

MAX_ROWS = 200


def cell(value: object) -> str:
    """A table cell: pipes and newlines escaped, HTML brackets neutralised."""
    text = str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return text.replace("<", "&lt;").replace(">", "&gt;")


def render(result: CheckResult, *, color: bool = False) -> str:
    """Verdict heading, coverage table, findings table (first 200 rows)."""
    mark = "✅" if result.passed else "❌"
    out = [f"## {mark} ISMS check: {cell(verdict(result))}", ""]
    out += [
        f"{result.documents} documents checked on {result.today.isoformat()}"
        + (" with `--strict`." if result.strict else "."),
        "",
    ]
    if result.coverage:
        out += [
            "| Catalog | Applicable | Covered | Drafted | Excluded | Missing |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for catalog_id, coverage in result.coverage.items():
            data = coverage.to_dict()
            out.append(
                f"| {cell(catalog_id)} | {data['applicable']} | {data['covered']} | {data['drafted']} "
                f"| {data['excluded']} | {len(data['missing'])} |"
            )
        out.append("")
    if result.shown:
        out += ["| Level | Code | Where | Message |", "|---|---|---|---|"]
        for finding in result.shown[:MAX_ROWS]:
            where = cell(location(finding.file, finding.line))
            out.append(f"| {finding.level} | `{finding.code}` | `{where}` | {cell(finding.message)} |")
        hidden = len(result.shown) - MAX_ROWS
        if hidden > 0:
            out += ["", f"… and {hidden} more findings; run `isms check --format json` for all of them."]
        out.append("")
    return "\n".join(out)
