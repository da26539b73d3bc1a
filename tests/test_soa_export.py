"""``isms soa`` for auditors: Annex A apart from the clause items, reasons, a DRAFT cover, typed xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import EXAMPLES
from tests.registers_data import add_baselines, write_registers
from toolkit import scaffold
from toolkit.catalogs import load_catalogs
from toolkit.cli import cli

TODAY = ["--today", "2026-12-01"]
VALID = EXAMPLES / "valid-minimal" / "repo"


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("soa") / "company"
    scaffold.render({}, target)
    return target


@pytest.fixture(scope="module")
def chained(company: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example company with the four registers and a baseline reason for every applicable control."""
    target = tmp_path_factory.mktemp("chained") / "company"
    shutil.copytree(company, target)
    write_registers(target)
    add_baselines(target)
    return target


def export(repo: Path, tmp_path: Path, name: str = "soa.xlsx") -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["soa", str(repo), "-o", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    clauses = len(load_catalogs()["iso27001-2022-clauses"])
    assert f"Statement of Applicability (93 controls, {clauses} clause items) written to" in result.stderr
    return out


def cover_cells(path: Path) -> dict[str, object]:
    return {row[0].value: row[1] for row in load_workbook(path)["Cover"].iter_rows(min_row=2)}


def test_main_sheet_holds_annex_a_and_the_clauses_have_their_own(company: Path, tmp_path: Path) -> None:
    workbook = load_workbook(export(company, tmp_path))
    assert workbook.sheetnames == ["Cover", "SoA", "Clauses"]
    main = [[cell.value for cell in row] for row in workbook["SoA"].iter_rows(min_row=2)]
    assert len(main) == 93
    assert {row[0] for row in main} == {"iso27001-2022"}
    clauses = [[cell.value for cell in row] for row in workbook["Clauses"].iter_rows(min_row=2)]
    clause_ids = [control.id for control in load_catalogs()["iso27001-2022-clauses"]]
    assert [row[1] for row in clauses] == clause_ids
    assert {row[0] for row in clauses} == {"iso27001-2022-clauses"}


def excluded(repo: Path) -> int:
    """How many Annex A controls the repository's soa.yml excludes (three for the example company)."""
    soa = yaml.safe_load((repo / "soa.yml").read_text(encoding="utf-8"))["controls"]
    return sum(
        1
        for ref, decision in soa.items()
        if ref.startswith("iso27001-2022:A.") and not decision["applicable"]
    )


def test_reasons_for_every_applicable_control(chained: Path, tmp_path: Path) -> None:
    sheet = load_workbook(export(chained, tmp_path))["SoA"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    applicable = [row for row in rows if row["Applicable"] == "Yes"]
    assert len(applicable) == 93 - excluded(chained)
    assert all(row["Reasons for inclusion"] for row in applicable)
    access = next(row for row in rows if row["Control"] == "A.5.16")
    reasons = access["Reasons for inclusion"].split("; ")
    assert reasons[:2] == [
        "RSK-001 Shared logins between shifts",
        "REQ-CLIENT-MSA Client master services agreement: security schedule",
    ]
    assert reasons[2].startswith("Baseline: Every delivery floor needs A.5.16")
    assert all(not row["Reasons for inclusion"] for row in rows if row["Applicable"] == "No")


def test_evidence_is_a_column(chained: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(chained, repo)
    path = repo / "soa.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["controls"]["iso27001-2022:A.7.7"]["evidence"] = [
        {
            "location": "Facilities shared drive/clear-desk",
            "description": "weekly round sheets",
            "owner": "Rekha",
        }
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    rows = json.loads(CliRunner().invoke(cli, ["soa", str(repo), "-f", "json", *TODAY]).stdout)["rows"]
    clear_desk = next(row for row in rows if row["control"] == "A.7.7")
    assert clear_desk["evidence"] == [
        "Facilities shared drive/clear-desk: weekly round sheets (owner: Rekha)"
    ]
    assert clear_desk["reasons"][0] == {
        "kind": "risk",
        "id": "RSK-002",
        "title": "Client papers left on desks",
        "text": "RSK-002 Client papers left on desks",
    }


def test_cover_is_draft_until_approved_and_sealed(company: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(company, repo)
    draft = load_workbook(export(repo, tmp_path, "draft.xlsx"))
    assert draft["Cover"]["A1"].value == "Statement of Applicability (DRAFT)"
    assert cover_cells(tmp_path / "draft.xlsx")["Status"].value == "DRAFT: not approved"
    assert draft["SoA"].oddHeader.center.text == "DRAFT", "every printed page says DRAFT"

    runner = CliRunner()
    approved = runner.invoke(
        cli, ["approve", "soa.yml", "--by", "Meera Kulkarni", "--on", "2026-11-30", "--repo", str(repo)]
    )
    assert approved.exit_code == 0, approved.output
    workbook = load_workbook(export(repo, tmp_path, "approved.xlsx"))
    cover = cover_cells(tmp_path / "approved.xlsx")
    assert workbook["Cover"]["A1"].value == "Statement of Applicability"
    assert cover["Status"].value == "Approved"
    assert cover["Approved by"].value == "Meera Kulkarni"
    assert cover["Approved on"].value == dt.datetime(2026, 11, 30)
    assert cover["Version"].value == "1.0"
    assert workbook["SoA"].oddHeader.center.text is None
    texts = " ".join(str(cell.value) for row in workbook["Cover"].iter_rows() for cell in row)
    assert "DRAFT" not in texts

    # A decision changed after the approval breaks the seal: DRAFT again, with the reason.
    path = repo / "soa.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: planned", "status: partial", 1), "utf-8"
    )
    cover = cover_cells(export(repo, tmp_path, "changed.xlsx"))
    assert cover["Status"].value == "DRAFT: changed since its approval on 2026-11-30"
    markdown = runner.invoke(cli, ["soa", str(repo), "-f", "md", *TODAY]).stdout
    assert "**DRAFT: changed since its approval on 2026-11-30**" in markdown


def test_approved_sealed_soa_has_no_draft_mark(runner: CliRunner) -> None:
    markdown = runner.invoke(cli, ["soa", str(VALID), "-f", "md", "--today", "2026-06-01"]).stdout
    assert "| Status | Approved |" in markdown and "DRAFT" not in markdown
    data = json.loads(runner.invoke(cli, ["soa", str(VALID), "-f", "json", "--today", "2026-06-01"]).stdout)
    assert data["approved"] is True and data["status"] == "Approved"


def test_counts_are_numbers_and_dates_are_dates(company: Path, tmp_path: Path) -> None:
    cover = cover_cells(export(company, tmp_path))
    out = excluded(company)
    for label, expected in (("Controls", 93), ("Applicable", 93 - out), ("Not applicable", out)):
        assert cover[label].value == expected and cover[label].data_type == "n", label
    clauses = len(load_catalogs()["iso27001-2022-clauses"])
    assert cover["Clause items"].value == clauses
    generated = cover["Generated on"]
    assert generated.is_date and generated.value == dt.datetime(2026, 12, 1)
    assert generated.number_format == "yyyy-mm-dd"


def test_every_table_prints_with_its_header_on_each_page_and_fits_the_width(
    company: Path, tmp_path: Path
) -> None:
    workbook = load_workbook(export(company, tmp_path))
    for name in ("SoA", "Clauses"):
        sheet = workbook[name]
        assert sheet.print_title_rows == "$1:$1", name
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.freeze_panes == "A2"
    assert workbook["Cover"].page_setup.fitToWidth == 1


def test_text_stays_text_in_every_sheet(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    soa_file = repo / "soa.yml"
    attack = '=HYPERLINK("http://evil.example","click")'
    text = soa_file.read_text(encoding="utf-8")
    line = "    justification: Client contracts require approved policies.\n"
    text = text.replace(line, f"{line}    baseline: {json.dumps(attack)}\n")
    text = text.replace("No software is developed.", json.dumps("No software\u0001 is developed."))
    soa_file.write_text(text, encoding="utf-8")
    out = tmp_path / "soa.xlsx"
    result = CliRunner().invoke(cli, ["soa", str(repo), "-o", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    cells = [cell for sheet in load_workbook(out) for row in sheet.iter_rows() for cell in row]
    reason = next(cell for cell in cells if cell.value == f"Baseline: {attack}")
    assert reason.data_type == "s"
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert any(cell.value == "No software\ufffd is developed." for cell in cells), (
        "control characters replaced"
    )


def test_csv_keeps_one_file_with_a_section_column(company: Path, runner: CliRunner) -> None:
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(cli, ["soa", str(company), "-f", "csv", *TODAY]).stdout))
    )
    sections = [row["Section"] for row in rows]
    clauses = len(load_catalogs()["iso27001-2022-clauses"])
    assert sections == ["Controls"] * 93 + ["Clauses"] * clauses
    assert rows[93]["Catalog"] == "iso27001-2022-clauses"


def test_json_keeps_the_clauses_in_their_own_list(chained: Path, runner: CliRunner) -> None:
    data = json.loads(runner.invoke(cli, ["soa", str(chained), "-f", "json", *TODAY]).stdout)
    assert data["format_version"] == 2
    assert len(data["rows"]) == 93 and {row["catalog"] for row in data["rows"]} == {"iso27001-2022"}
    assert {row["catalog"] for row in data["clauses"]} == {"iso27001-2022-clauses"}
    assert data["approved"] is False and data["status"] == "DRAFT: not approved"
    assert data["counts"]["applicable_with_reasons"] == 93 - excluded(chained)
    assert data["counts"]["controls"] == 93


def test_xlsx_with_reasons_is_byte_identical(chained: Path, tmp_path: Path) -> None:
    first = export(chained, tmp_path, "one.xlsx").read_bytes()
    assert export(chained, tmp_path, "two.xlsx").read_bytes() == first
