"""``isms registers list`` and ``isms registers export``: counts, typed xlsx and json, same bytes."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import EXAMPLES
from tests.registers_data import ASSETS, REQUIREMENTS, RISKS, SUPPLIERS, write_registers
from toolkit.cli import cli

TODAY = ["--today", "2026-12-01"]
VALID = EXAMPLES / "valid-minimal" / "repo"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The minimal valid repository with the four registers."""
    target = tmp_path / "repo"
    shutil.copytree(VALID, target)
    write_registers(target)
    return target


def rows_of(sheet: Any) -> list[dict[str, Any]]:
    """Each row of ``sheet`` after the header, its cells by column label."""
    cells = list(sheet.iter_rows())
    header = [cell.value for cell in cells[0]]
    return [dict(zip(header, row, strict=True)) for row in cells[1:]]


def test_list_prints_each_register_with_its_count(runner: CliRunner, repo: Path) -> None:
    (repo / "registers" / "suppliers.yml").unlink()
    (repo / "registers" / "assets.yml").write_text("assets: [{id: AST-1}]\n", encoding="utf-8")
    result = runner.invoke(cli, ["registers", "list", str(repo)])
    assert result.exit_code == 0, result.output
    lines = [line.split() for line in result.output.splitlines()]
    assert lines[0][:3] == ["risks", str(len(RISKS)), "registers/risks.yml"]
    assert lines[1][:3] == ["requirements", str(len(REQUIREMENTS)), "registers/requirements.yml"]
    assert lines[2][:3] == ["assets", "1", "registers/assets.yml"] and "has problems" in result.output
    assert lines[3] == ["suppliers", "-", "registers/suppliers.yml", "(missing)"]


def test_export_xlsx_one_sheet_per_register_typed(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "registers.xlsx"
    result = runner.invoke(
        cli, ["registers", "export", str(repo), "--format", "xlsx", "-o", str(out), *TODAY]
    )
    assert result.exit_code == 0, result.output
    assert "written to" in result.stderr
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Risks", "Requirements", "Assets", "Suppliers"]
    risks = rows_of(workbook["Risks"])
    assert [row["Id"].value for row in risks] == [risk["id"] for risk in RISKS]
    for row, risk in zip(risks, RISKS, strict=True):
        assert row["Level"].value == risk["likelihood"] * risk["impact"]
        assert row["Level"].data_type == "n"
        residual = risk["residual"]
        assert row["Residual level"].value == residual["likelihood"] * residual["impact"]
        assert row["Due"].is_date and row["Due"].value == dt.datetime.fromisoformat(risk["action"]["due"])
        assert row["Due"].number_format == "yyyy-mm-dd"
        assert row["Controls chosen"].value == "; ".join(risk["controls"])
    assert risks[1]["Accepted on"].value == dt.datetime(2026, 11, 20)
    suppliers = rows_of(workbook["Suppliers"])
    assert suppliers[0]["Incident notice (hours)"].value == SUPPLIERS[0]["incident_notice_hours"]
    assert suppliers[0]["Client data access"].value == "Yes"
    assert suppliers[0]["DPA signed"].is_date
    assert len(rows_of(workbook["Assets"])) == len(ASSETS)
    for sheet in workbook:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.orientation == "landscape"
        assert all(cell.font.bold for cell in sheet[1])


def test_export_only_the_registers_present(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    write_registers(repo, names=("risks",))
    out = tmp_path / "registers.xlsx"
    assert runner.invoke(cli, ["registers", "export", str(repo), "-o", str(out), *TODAY]).exit_code == 0
    assert load_workbook(out).sheetnames == ["Risks"]


def test_export_json(runner: CliRunner, repo: Path) -> None:
    result = runner.invoke(cli, ["registers", "export", str(repo), *TODAY])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["risk_method"]["treatment_threshold"] == 8
    tables = {table["name"]: table for table in data["registers"]}
    assert list(tables) == ["risks", "requirements", "assets", "suppliers"]
    first = tables["risks"]["rows"][0]
    assert first["level"] == RISKS[0]["likelihood"] * RISKS[0]["impact"]
    assert first["due"] == RISKS[0]["action"]["due"] and first["controls"] == RISKS[0]["controls"]
    assert tables["suppliers"]["rows"][0]["client_data_access"] is True
    assert tables["requirements"]["rows"][1]["documents"] == REQUIREMENTS[1]["documents"]


def test_export_xlsx_is_byte_identical_at_another_time(
    runner: CliRunner, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_localtime = time.localtime
    outputs = []
    for hours_later in (0, 5):
        monkeypatch.setattr(
            time,
            "localtime",
            lambda secs=None, h=hours_later: real_localtime((secs or time.time()) + h * 3600),
        )
        out = tmp_path / f"registers-{hours_later}.xlsx"
        assert runner.invoke(cli, ["registers", "export", str(repo), "-o", str(out), *TODAY]).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_export_keeps_formula_like_text_as_text(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    path = repo / "registers" / "risks.yml"
    attack = '=HYPERLINK("http://evil.example","click")'
    path.write_text(
        path.read_text(encoding="utf-8").replace("Shared logins between shifts", json.dumps(attack)), "utf-8"
    )
    out = tmp_path / "registers.xlsx"
    assert runner.invoke(cli, ["registers", "export", str(repo), "-o", str(out), *TODAY]).exit_code == 0
    cell = rows_of(load_workbook(out)["Risks"])[0]["Title"]
    assert cell.value == attack and cell.data_type == "s"


def test_export_refuses_registers_with_problems(runner: CliRunner, repo: Path, tmp_path: Path) -> None:
    path = repo / "registers" / "risks.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("likelihood: 4", "likelihood: high", 1), "utf-8")
    out = tmp_path / "registers.xlsx"
    result = runner.invoke(cli, ["registers", "export", str(repo), "-o", str(out), *TODAY])
    assert result.exit_code == 1
    assert "Not exporting: the registers have problems" in result.stderr
    assert "registers/risks.yml:" in result.stderr and "likelihood" in result.stderr
    assert not out.exists()


def test_export_without_registers_says_so(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["registers", "export", str(VALID), *TODAY])
    assert result.exit_code == 1
    assert "there are no registers" in result.stderr and "registers/risks.yml" in result.stderr


def test_export_xlsx_needs_a_file(runner: CliRunner, repo: Path) -> None:
    result = runner.invoke(cli, ["registers", "export", str(repo), "-f", "xlsx"])
    assert result.exit_code == 2
    assert "give --output FILE" in result.stderr
