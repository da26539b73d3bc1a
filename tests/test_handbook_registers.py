"""The registers on the handbook's auditor pages: a page each, escaped, out of search and staff navigation,
left out by the plugin's ``registers`` option; the SoA page with reasons and its DRAFT notice."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from tests.registers_data import RISKS, write_registers
from toolkit import scaffold
from toolkit.cli import cli
from toolkit.handbook.markup import anchor
from toolkit.handbook.pages import build_handbook
from toolkit.workspace import open_workspace

NASTY = '<script>alert("r")</script> & <b>bold</b> | *star*'
REGISTER_NAMES = ("risks", "requirements", "assets", "suppliers")
REGISTER_PAGES = [f"isms/{name}" for name in REGISTER_NAMES]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("registers") / "company"
    scaffold.render({}, target)
    write_registers(target)
    for name, field in (("risks", "title"), ("suppliers", "name"), ("assets", "location")):
        path = target / "registers" / f"{name}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data[name][0][field] = NASTY
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    return out


def page(site: Path, path: str) -> str:
    return (site / f"{path}.html").read_text(encoding="utf-8")


def test_a_page_per_register(site: Path) -> None:
    risks = page(site, "isms/risks")
    second = RISKS[1]
    row = re.search(rf'<tr id="{anchor(second["id"])}">(.*?)</tr>', risks).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[:4] == [second["id"], second["title"], "AST-002", "Facilities and Administration Manager"]
    level = second["likelihood"] * second["impact"]
    assert cells[4] == f"{level} ({second['likelihood']} &times; {second['impact']})"
    assert cells[5] == "reduce"
    assert cells[6] == f'<a href="controls.html#{anchor("iso27001-2022:A.7.7")}">iso27001-2022:A.7.7</a>'
    assert cells[7].startswith(second["action"]["description"]) and cells[8] == second["action"]["due"]
    assert cells[10] == "Chief Executive Officer on 2026-11-20: Drawers are on order."
    assert "1 Rare, 2 Unlikely" in risks and "At level 8 or above a risk must be treated" in risks
    requirements = page(site, "isms/requirements")
    assert '<a href="../access-control.html">POL-ACCESS</a>' in requirements
    assert "GDPR Article 28" in requirements
    assert "Deccan Shredding Services" not in page(site, "isms/suppliers")  # replaced by the nasty name
    assert "incident notice 12 h" in page(site, "isms/suppliers")
    assert "Client CRM (hosted by the client)" in page(site, "isms/assets")


def test_register_values_are_escaped(site: Path) -> None:
    for path in REGISTER_PAGES:
        text = page(site, path)
        assert "<script>alert(" not in text and "<b>bold</b>" not in text, path
    assert html.escape(NASTY) in page(site, "isms/risks")
    assert html.escape(NASTY) in page(site, "isms/suppliers")


def test_register_pages_are_auditor_pages_only(repo: Path, site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [entry["location"] for entry in index["docs"]]
    assert not [location for location in locations if location.startswith("isms/")]
    assert "Shared logins" not in " ".join(entry["text"] for entry in index["docs"])
    handbook = build_handbook(open_workspace(repo, today=dt.date(2026, 12, 1)))
    reference = handbook.nav[-1]["ISMS reference"]
    paths = [path for entry in reference for path in entry.values() if isinstance(path, str)]
    assert [f"isms/{name}.md" for name in ("risks", "requirements", "assets", "suppliers")] == [
        path for path in paths if path.removeprefix("isms/").removesuffix(".md") in REGISTER_NAMES
    ]
    staff = re.findall(r"'([^']+\.md)'", str(handbook.nav[:-1]))
    assert "clear-desk-and-clear-screen.md" in staff
    assert not [path for path in staff if path.startswith("isms/")]
    print_page = page(site, "print_page")
    assert "Shared logins" not in print_page, "the printable staff handbook leaves the registers out"


def test_soa_page_links_reasons_to_the_registers_and_says_draft(site: Path) -> None:
    soa = page(site, "isms/statement-of-applicability")
    assert 'class="admonition warning"' in soa and "is a draft (not approved)" in soa
    link = f'<a href="risks.html#{anchor("RSK-001")}">RSK-001</a>'
    row = re.search(r"<tr><td>A\.5\.16</td>.*?</tr>", soa).group(0)
    assert link in row and "REQ-CLIENT-MSA" in row
    assert "<h2" in soa and "clauses 4-10" in soa


def test_the_plugin_option_leaves_registers_out(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "company"
    shutil.copytree(repo, copy)
    config = copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - isms\n" in text
    config.write_text(text.replace("  - isms\n", "  - isms:\n      registers: [risks]\n"), encoding="utf-8")
    out = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(copy), "--site-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "isms" / "risks.html").is_file()
    for name in ("requirements", "assets", "suppliers"):
        assert not (out / "isms" / f"{name}.html").exists(), name
    everything = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "Client CRM" not in everything and "isms/suppliers" not in everything
    soa = page(out, "isms/statement-of-applicability")
    assert '<a href="risks.html#rsk-001">RSK-001</a>' in soa
    assert "REQ-CLIENT-MSA Client master" in soa, "a reason whose register is left out is plain text"
    config.write_text(text.replace("  - isms\n", "  - isms:\n      registers: [risk]\n"), encoding="utf-8")
    refused = CliRunner().invoke(cli, ["build", str(copy), "--site-dir", str(tmp_path / "other")])
    assert refused.exit_code != 0
    assert "option 'registers'" in refused.stderr and "'risk'" in refused.stderr


def test_no_register_pages_without_registers(tmp_path: Path) -> None:
    target = tmp_path / "company"
    scaffold.render({}, target)
    shutil.rmtree(target / "registers", ignore_errors=True)
    handbook = build_handbook(open_workspace(target, today=dt.date(2026, 12, 1)))
    assert not [
        p.path for p in handbook.pages if p.path.removeprefix("isms/").removesuffix(".md") in REGISTER_NAMES
    ]


def test_soa_page_of_an_approved_sealed_soa_has_no_draft_notice() -> None:
    workspace = open_workspace(EXAMPLES / "valid-minimal" / "repo", today=dt.date(2026, 6, 1))
    soa = next(p for p in build_handbook(workspace).pages if p.path == "isms/statement-of-applicability.md")
    shown = soa.content + "".join(soa.blocks)
    assert "<td>Status</td><td>Approved</td>" in shown and "DRAFT" not in shown
