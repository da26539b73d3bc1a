"""``isms soa``, ``isms controls`` and ``isms changes``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import EXAMPLES
from toolkit import scaffold
from toolkit.cli import cli

TODAY = ["--today", "2026-06-01"]
VALID = EXAMPLES / "valid-minimal" / "repo"


@pytest.mark.parametrize("output_format", ["csv", "md", "json"])
def test_soa_text_formats_are_byte_identical(runner: CliRunner, tmp_path: Path, output_format: str) -> None:
    outputs = []
    for attempt in range(2):
        out = tmp_path / f"soa{attempt}.{output_format}"
        result = runner.invoke(cli, ["soa", str(VALID), "-o", str(out), *TODAY])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_soa_xlsx_is_byte_identical_at_another_time(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_localtime = time.localtime
    outputs = []
    for hours_later in (0, 5):
        # The zip inside an xlsx dates its entries by the clock: move the clock on between the two runs.
        monkeypatch.setattr(
            time,
            "localtime",
            lambda secs=None, h=hours_later: real_localtime((secs or time.time()) + h * 3600),
        )
        out = tmp_path / f"soa-{hours_later}.xlsx"
        result = runner.invoke(cli, ["soa", str(VALID), "-o", str(out), *TODAY])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_soa_csv_rows(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["soa", str(VALID), "-f", "csv", *TODAY])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["Control"] for row in rows] == ["D.1", "D.2", "D.3"]
    excluded = rows[2]
    assert excluded["Applicable"] == "No"
    assert excluded["Justification"] == "No software is developed."
    assert excluded["Implementation status"] == "Not applicable"
    assert excluded["Policy coverage"] == "Excluded" and rows[0]["Policy coverage"] == "Covered"
    assert rows[0]["Documents"] == "POL-INFOSEC v1.0.0 (approved)"


def test_soa_markdown_sections_are_titled_by_catalog(runner: CliRunner) -> None:
    markdown = runner.invoke(cli, ["soa", str(VALID), "-f", "md", *TODAY]).stdout
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == ["## Demo controls"]


def test_soa_json(runner: CliRunner) -> None:
    data = json.loads(runner.invoke(cli, ["soa", str(VALID), "-f", "json", *TODAY]).stdout)
    assert data["company"] == "Demo Services Private Limited"
    assert data["rows"][1]["documents"] == ["POL-CLEAR-DESK v1.0.0 (approved)"]


def test_soa_xlsx_for_auditors(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "soa.xlsx"
    result = runner.invoke(cli, ["soa", str(VALID), "-o", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["Cover", "SoA"]
    cover = {row[0].value: row[1].value for row in workbook["Cover"].iter_rows(min_row=2)}
    assert cover["Company"] == "Demo Services Private Limited"
    sheet = workbook["SoA"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K4"
    assert [cell.value for cell in sheet[1]][:5] == ["Catalog", "Control", "Title", "Theme", "Applicable"]
    assert sheet.column_dimensions["F"].width >= 40


def test_soa_xlsx_keeps_formula_like_text_as_text(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    soa_file = repo / "soa.yml"
    attack = '=HYPERLINK("http://evil.example","click")'
    soa_file.write_text(
        soa_file.read_text(encoding="utf-8").replace("No software is developed.", json.dumps(attack)),
        encoding="utf-8",
    )
    out = tmp_path / "soa.xlsx"
    result = runner.invoke(cli, ["soa", str(repo), "-o", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    cell = next(c for row in load_workbook(out)["SoA"].iter_rows() for c in row if c.value == attack)
    assert cell.data_type == "s", "a value starting with '=' must not become a formula"


def test_soa_refuses_an_invalid_or_missing_soa_file(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    (repo / "soa.yml").write_text(
        "controls:\n  demo:D.1:\n    justification: ok\n    evidence: [just a string]\n", encoding="utf-8"
    )
    out = tmp_path / "soa.csv"
    result = runner.invoke(cli, ["soa", str(repo), "-o", str(out), *TODAY])
    assert result.exit_code == 1
    assert "Not exporting: soa.yml has problems" in result.stderr and "soa.yml:4:" in result.stderr
    assert not out.exists()
    (repo / "soa.yml").unlink()
    missing = runner.invoke(cli, ["soa", str(repo), "-f", "csv", *TODAY])
    assert missing.exit_code == 1 and "soa.yml is missing" in missing.stderr


def test_soa_csv_defuses_formula_like_text(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    soa_file = repo / "soa.yml"
    soa_file.write_text(
        soa_file.read_text(encoding="utf-8").replace("No software is developed.", '"=1+2"'), encoding="utf-8"
    )
    rows = list(
        csv.DictReader(io.StringIO(runner.invoke(cli, ["soa", str(repo), "-f", "csv", *TODAY]).stdout))
    )
    assert rows[2]["Justification"] == "'=1+2"
    assert rows[0]["Justification"] == "Client contracts require approved policies."


def test_soa_xlsx_needs_a_file(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["soa", str(VALID), "-f", "xlsx"])
    assert result.exit_code == 2


def test_controls_from_2013(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["controls", "--from-2013", "A.11.2.9"])
    assert result.exit_code == 0, result.output
    assert "iso27001-2022:A.7.7" in result.output
    assert "(carried over one to one)" in result.output and "_" not in result.output.splitlines()[0]
    assert runner.invoke(cli, ["controls", "--from-2013", "A.99.1.1"]).exit_code == 2


def test_controls_lowercase_and_2013_ids_get_help(runner: CliRunner) -> None:
    old = runner.invoke(cli, ["controls", "--from-2013", "a.11.2.9"])
    assert old.exit_code == 0 and old.output.startswith("A.11.2.9 Clear desk")
    shown = runner.invoke(cli, ["controls", "show", "A.11.2.9"])
    assert shown.exit_code == 2 and "as an ISO/IEC 27001:2013 id it became A.7.7" in shown.stderr


def test_controls_show_finds_the_repository_from_a_subfolder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    monkeypatch.chdir(repo / "policies")
    result = runner.invoke(cli, ["controls", "show", "A.7.7"])
    assert result.exit_code == 0, result.output
    assert "Addressed by: POL-CLEAR-DESK" in result.output


def test_controls_show_accepts_a_lowercase_id(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["controls", "show", "a.7.7"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("iso27001-2022:A.7.7")


def test_controls_list_show_search(runner: CliRunner) -> None:
    listing = runner.invoke(cli, ["controls", "--catalog", "iso27001-2022"]).output.splitlines()
    assert len(listing) == 93
    shown = runner.invoke(cli, ["controls", "show", "A.7.4", "--repo", str(VALID)])
    assert "Physical security monitoring" in shown.output and "Summary:" in shown.output
    found = runner.invoke(cli, ["controls", "search", "clear", "desk"])
    assert "iso27001-2022:A.7.7" in found.output
    assert runner.invoke(cli, ["controls", "search", "zzzz"]).exit_code == 1


def test_controls_show_lists_documents(runner: CliRunner) -> None:
    shown = runner.invoke(cli, ["controls", "show", "demo:D.2", "--repo", str(VALID)])
    assert "Addressed by: POL-CLEAR-DESK v1.0.0 (approved)" in shown.output


def test_transition_report(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    path = repo / "policies" / "clear-desk.md"
    path.write_text(path.read_text().replace("  - demo:D.2\n", "  - demo:D.2\n  - iso27001-2013:A.11.2.9\n"))
    result = runner.invoke(cli, ["controls", "transition", str(repo)])
    assert "policies/clear-desk.md: iso27001-2013:A.11.2.9 -> iso27001-2022:A.7.7" in result.output
    check = runner.invoke(cli, ["check", str(repo), "-f", "json", *TODAY])
    (finding,) = [f for f in json.loads(check.stdout)["findings"] if f["code"] == "unknown-control"]
    assert finding["code"] == "unknown-control" and "controls --from-2013 A.11.2.9" in finding["message"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.in", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def test_changes_since_a_revision(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "audit")
    _git(repo, "tag", "audit-2026")
    clear = repo / "policies" / "clear-desk.md"
    clear.write_text(clear.read_text().replace("version: 1.0.0", "version: 1.1.0"))
    infosec = repo / "policies" / "infosec.md"
    infosec.write_text(infosec.read_text().replace("status: approved", "status: retired"))
    (repo / "policies" / "new.md").write_text(clear.read_text().replace("POL-CLEAR-DESK", "POL-NEW"))
    result = runner.invoke(cli, ["changes", str(repo), "--since", "audit-2026", "-f", "json"])
    assert result.exit_code == 0, result.output
    found = {
        (c["kind"], c["document_id"], c["old_version"], c["new_version"])
        for c in json.loads(result.stdout)["changes"]
    }
    assert found == {
        ("changed", "POL-CLEAR-DESK", "1.0.0", "1.1.0"),
        ("retired", "POL-INFOSEC", "1.0.0", "1.0.0"),
        ("added", "POL-NEW", "", "1.1.0"),
    }


def test_changes_with_an_unknown_revision(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    _git(repo, "init", "-q")
    result = runner.invoke(cli, ["changes", str(repo), "--since", "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "unknown revision 'nope'" in result.stderr


def test_changes_outside_git_says_so(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    result = runner.invoke(
        cli, ["changes", str(repo), "--since", "v1"], env={"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    )
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


def test_example_company_soa_has_all_93_annex_a_rows(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    out = tmp_path / "soa.xlsx"
    result = runner.invoke(cli, ["soa", str(repo), "-o", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out)["SoA"]
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Catalog",
        "Control",
        "Title",
        "Theme",
        "Applicable",
        "Reasons for inclusion",
        "Justification",
        "Implementation status",
        "Policy coverage",
        "Documents",
        "Evidence",
    ]
    rows = [
        dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    annex = [row for row in rows if row["Catalog"] == "iso27001-2022"]
    assert len(annex) == len(rows) == 93, "the SoA sheet holds Annex A only"
    assert (annex[0]["Control"], annex[-1]["Control"]) == ("A.5.1", "A.8.34")
    assert len({row["Control"] for row in annex}) == 93
    excluded = [row for row in annex if row["Applicable"] == "No"]
    assert {row["Control"] for row in excluded} == {"A.8.25", "A.8.28", "A.8.30"}
    assert all(row["Justification"] for row in excluded)
    clear_desk = next(row for row in annex if row["Control"] == "A.7.7")
    assert clear_desk["Documents"] == "POL-CLEAR-DESK v0.1.0 (draft)"
    assert clear_desk["Implementation status"] == "Planned"


def test_changes_reads_an_old_revision_saved_with_a_bom(runner: CliRunner, tmp_path: Path) -> None:
    """An earlier revision written with a BOM and CRLF still gives its version: 1.0.0 -> 9.9.9."""
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    clear = repo / "policies" / "clear-desk.md"
    text = clear.read_text(encoding="utf-8")
    clear.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "audit")
    clear.write_text(text.replace("version: 1.0.0", "version: 9.9.9"), encoding="utf-8")
    result = runner.invoke(cli, ["changes", str(repo), "--since", "HEAD"])
    assert result.exit_code == 0, result.output
    assert "1.0.0 -> 9.9.9" in result.output


def test_changes_sees_every_kind_of_source_file(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "audit")
    soa = repo / "soa.yml"
    soa.write_text(soa.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["changes", str(repo), "--since", "HEAD", "-f", "json"])
    assert [(c["kind"], c["file"]) for c in json.loads(result.stdout)["changes"]] == [("changed", "soa.yml")]


def test_changes_never_reads_a_document_linked_outside_the_repository(
    runner: CliRunner, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "audit")
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: SECRET-FROM-OUTSIDE\nversion: 6.6.6\n---\n", encoding="utf-8")
    (repo / "policies" / "leak.md").symlink_to(secret)
    result = runner.invoke(cli, ["changes", str(repo), "--since", "HEAD"])
    assert result.exit_code == 0, result.output
    assert "SECRET-FROM-OUTSIDE" not in result.output and "6.6.6" not in result.output
    assert "policies/leak.md" in result.output


def test_changes_says_when_approved_text_changed_since_approval(runner: CliRunner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "audit")
    clear = repo / "policies" / "clear-desk.md"
    clear.write_text(
        clear.read_text(encoding="utf-8").replace("Lock your screen", "Leave it"), encoding="utf-8"
    )
    result = runner.invoke(cli, ["changes", str(repo), "--since", "HEAD"])
    assert result.exit_code == 0, result.output
    assert "policies/clear-desk.md  (text changed since approval)" in result.output
    data = json.loads(runner.invoke(cli, ["changes", str(repo), "--since", "HEAD", "-f", "json"]).stdout)
    assert data["changes"][0]["note"] == "text changed since approval"


def test_soa_refusal_names_each_problem_with_its_place(runner: CliRunner, tmp_path: Path) -> None:
    """A soa.yml problem without a line reads 'soa.yml: ...', never 'soa.yml:None: ...'."""
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo)
    (repo / "soa.yml").unlink()
    (repo / "soa.yml").mkdir()  # a folder where the file should be: a problem with no line
    result = runner.invoke(cli, ["soa", str(repo), "-f", "csv", *TODAY])
    assert result.exit_code == 1
    assert "None" not in result.stderr
    assert "  soa.yml: is not a regular file (a folder)" in result.stderr
    (repo / "soa.yml").rmdir()
    (repo / "soa.yml").write_bytes(b"controls:\n  demo:D.1: {status: \xff}\n")
    encoded = runner.invoke(cli, ["soa", str(repo), "-f", "csv", *TODAY])
    assert "  soa.yml:2: not UTF-8 text" in encoded.stderr
