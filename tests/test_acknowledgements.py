"""Staff acknowledgements: isms ack import (checked, all or nothing, merged), the share per major version,
isms ack report in every format, and the loaded records."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from tests.conftest import EXAMPLES, time_limit
from toolkit.acknowledgements import acknowledged_share, import_export
from toolkit.cli import cli
from toolkit.workspace import open_workspace

TODAY = "2026-06-01"
ACK_FILE = Path("records/acknowledgements/acknowledgements.csv")
ROSTER_FILE = Path("records/roster.csv")
ROSTER = """\
Emp Code,Name,Process,DOJ,LWD
E001,Asha Patil,Inbound Voice,2025-03-01,
E002,Ravi Kumar,Inbound Voice,2025-03-01,
E003,Meena Iyer,Back Office,2025-06-10,
E004,Imran Shaikh,Back Office,2026-05-01,
E005,Leela Rao,Inbound Voice,2025-03-01,2026-02-28
"""
SETTINGS = """\
acknowledgements:
  columns: {employee_id: Employee ID, document_id: Policy, version: Policy version, date: Completed on}
  roster_columns: {employee_id: Emp Code, team: Process, joined: DOJ, left: LWD}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two staff policies (POL-CLEAR-DESK and POL-INFOSEC, both 1.0.0) and no records yet."""
    target = tmp_path / "company"
    shutil.copytree(EXAMPLES / "acknowledgement-below-threshold" / "repo", target)
    shutil.rmtree(target / "records")
    config = target / "isms.yml"
    config.write_text(config.read_text(encoding="utf-8") + SETTINGS, encoding="utf-8")
    return target


def export(
    tmp_path: Path, rows: list[str], header: str = "Name,Employee ID,Policy,Policy version,Completed on"
) -> Path:
    path = tmp_path / "lms-export.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def invoke(*args: object):
    return CliRunner().invoke(cli, [str(arg) for arg in args])


def set_version(repo: Path, name: str, version: str) -> None:
    path = repo / "policies" / name
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^version: .*$", f"version: {version}", text, count=1), encoding="utf-8")


def test_a_bad_header_names_each_missing_column_and_imports_nothing(repo: Path, tmp_path: Path) -> None:
    bad = export(tmp_path, ["Asha,E001,POL-INFOSEC,1.0.0,2026-01-20"], header="Name,Emp,Policy,Version,Date")
    result = invoke("ack", "import", bad, repo)
    assert result.exit_code == 2
    assert (
        f"{bad}:1: the header has no column 'Employee ID' (isms.yml acknowledgements.columns.employee_id)"
        in (result.stderr)
    )
    assert "no column 'Policy version'" in result.stderr and "no column 'Completed on'" in result.stderr
    assert "no column 'Policy'" not in result.stderr
    assert "Nothing was imported" in result.stderr and "Traceback" not in result.output
    assert not (repo / ACK_FILE).exists()


def test_bad_rows_are_each_named_by_line_and_field_and_nothing_is_imported(
    repo: Path, tmp_path: Path
) -> None:
    good = export(tmp_path, ["Asha,E001,POL-INFOSEC,1.0.0,2026-01-20"])
    assert invoke("ack", "import", good, repo).exit_code == 0
    before = (repo / ACK_FILE).read_bytes()
    bad = export(
        tmp_path,
        [
            "Ravi,E002,POL-INFOSEC,1.0.0,2026-01-21",
            "Meena,E003,POL-INFOSEC,1.0.0,2026-02-30",
            "Imran,E004,POL-UNKNOWN,1.0.0,2026-01-22",
            "Leela,,POL-CLEAR-DESK,1.0.0,2026-01-22",
            "Nobody,E006,POL-CLEAR-DESK,final,2026-01-22",
            "Later,E007,POL-CLEAR-DESK,3.0,2026-01-22",
        ],
    )
    result = invoke("ack", "import", bad, repo)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert f"{bad}:3: Completed on: '2026-02-30' is not a date in the form YYYY-MM-DD" in lines[0]
    assert f"{bad}:4: Policy: no document has the id 'POL-UNKNOWN' in this repository" in lines[1]
    assert f"{bad}:5: Employee ID: the employee id is empty" in lines[2]
    assert f"{bad}:6: Policy version: 'final' is not a version like 2.1.0" in lines[3]
    assert (
        f"{bad}:7: Policy version: POL-CLEAR-DESK is at version 1.0.0; 3.0.0 does not exist yet" in lines[4]
    )
    assert "5 problem(s)" in lines[5] and "nothing was imported" in lines[5]
    assert (repo / ACK_FILE).read_bytes() == before, "the good row of the bad file was not imported either"


def test_import_keeps_only_the_mapped_columns_and_merges_repeats(repo: Path, tmp_path: Path) -> None:
    first = export(
        tmp_path,
        ["Asha Patil,E001,pol-infosec,v1,2026-01-20 10:02:11", "Ravi,E002,POL-INFOSEC,1.0,2026-01-21"],
    )
    result = invoke("ack", "import", first, repo)
    assert result.exit_code == 0, result.output
    assert "2 new; 2 acknowledgements now in records/acknowledgements/acknowledgements.csv" in result.stdout
    again = export(
        tmp_path, ["Asha,E001,POL-INFOSEC,1.0.0,2026-01-19", "Meena,E003,POL-INFOSEC,1.0.0,2026-01-22"]
    )
    result = invoke("ack", "import", again, repo)
    assert "1 new; 3 acknowledgements" in result.stdout
    assert (repo / ACK_FILE).read_text(encoding="utf-8") == (
        "employee_id,document_id,version,date\n"
        "E001,POL-INFOSEC,1.0.0,2026-01-19\n"  # the earliest date of a repeated acknowledgement
        "E002,POL-INFOSEC,1.0.0,2026-01-21\n"
        "E003,POL-INFOSEC,1.0.0,2026-01-22\n"
    )
    assert "Asha" not in (repo / ACK_FILE).read_text(encoding="utf-8")


def test_an_import_keeps_rows_another_writer_added_after_the_repository_was_read(
    repo: Path, tmp_path: Path
) -> None:
    workspace = open_workspace(repo)  # this import read the repository first...
    other = tmp_path / "other.csv"
    other.write_text(
        "Name,Employee ID,Policy,Policy version,Completed on\nX,E002,POL-INFOSEC,1.0.0,2026-01-21\n"
    )
    assert invoke("ack", "import", other, repo).exit_code == 0  # ...another import wrote in between
    mine = export(tmp_path, ["Y,E001,POL-CLEAR-DESK,1.0.0,2026-01-20"])
    result = import_export(workspace, mine)
    assert (result.added, result.total) == (1, 2)
    text = (repo / ACK_FILE).read_text(encoding="utf-8")
    assert "E002,POL-INFOSEC" in text and "E001,POL-CLEAR-DESK" in text


def test_semicolons_and_a_configured_date_format(repo: Path, tmp_path: Path) -> None:
    config = repo / "isms.yml"
    config.write_text(config.read_text(encoding="utf-8") + '  date_format: "%d/%m/%Y"\n', encoding="utf-8")
    path = export(
        tmp_path,
        ["Asha;E001;POL-INFOSEC;1.0.0;20/01/2026"],
        header="Name;Employee ID;Policy;Policy version;Completed on",
    )
    assert invoke("ack", "import", path, repo).exit_code == 0
    assert "E001,POL-INFOSEC,1.0.0,2026-01-20" in (repo / ACK_FILE).read_text(encoding="utf-8")
    wrong = export(tmp_path, ["Asha,E001,POL-INFOSEC,1.0.0,2026-01-20"])
    result = invoke("ack", "import", wrong, repo)
    assert result.exit_code == 2 and "is not a date in the form %d/%m/%Y" in result.stderr


def test_roster_import_keeps_no_names_and_merges_by_employee_id(repo: Path, tmp_path: Path) -> None:
    roster = tmp_path / "hr.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    result = invoke("ack", "import", roster, repo, "--roster")
    assert result.exit_code == 0, result.output
    text = (repo / ROSTER_FILE).read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["employee_id,team,joined,left", "E001,Inbound Voice,2025-03-01,"]
    assert "Asha" not in text and "Patil" not in text
    update = tmp_path / "update.csv"
    update.write_text(
        "Emp Code,Process,DOJ,LWD\nE002,Inbound Voice,2025-03-01,2026-05-31\nE009,Night,2026-05-20,\n"
    )
    assert invoke("ack", "import", update, repo, "--roster").exit_code == 0
    text = (repo / ROSTER_FILE).read_text(encoding="utf-8")
    assert "E002,Inbound Voice,2025-03-01,2026-05-31" in text and "E001," in text and "E009," in text
    assert invoke("ack", "import", update, repo, "--roster", "--replace").exit_code == 0
    assert "E001," not in (repo / ROSTER_FILE).read_text(encoding="utf-8")


def test_roster_rows_are_checked(repo: Path, tmp_path: Path) -> None:
    roster = tmp_path / "hr.csv"
    roster.write_text(
        "Emp Code,Process,DOJ,LWD\nE001,A,2025-03-01,2024-01-01\nE001,A,2025-03-01,\nE002,A,soon,\n"
    )
    result = invoke("ack", "import", roster, repo, "--roster")
    assert result.exit_code == 2
    assert f"{roster}:2: LWD: the last working day 2024-01-01 is before the joining date" in result.stderr
    assert f"{roster}:3: Emp Code: E001 is already on line 2" in result.stderr
    assert f"{roster}:4: DOJ: 'soon' is not a date" in result.stderr
    assert not (repo / ROSTER_FILE).exists()


def _records(repo: Path, acks: str) -> None:
    (repo / ACK_FILE).parent.mkdir(parents=True, exist_ok=True)
    (repo / ACK_FILE).write_text("employee_id,document_id,version,date\n" + acks, encoding="utf-8")
    (repo / ROSTER_FILE).write_text(
        "employee_id,team,joined,left\nE001,Voice,2025-03-01,\nE002,Voice,2025-03-01,\n", encoding="utf-8"
    )


def share(repo: Path) -> float | None:
    return acknowledged_share(open_workspace(repo, today=dt.date.fromisoformat(TODAY)))


def test_a_new_major_version_asks_everyone_again_and_a_minor_one_does_not(repo: Path) -> None:
    assert share(repo) is None, "no roster: nothing to measure"
    _records(
        repo,
        "".join(
            f"{e},{d},1.0.0,2026-01-20\n" for e in ("E001", "E002") for d in ("POL-INFOSEC", "POL-CLEAR-DESK")
        ),
    )
    assert share(repo) == 1.0
    set_version(repo, "infosec.md", "1.1.0")
    assert share(repo) == 1.0
    set_version(repo, "infosec.md", "2.0.0")
    assert share(repo) == 0.0
    result = invoke("ack", "report", repo, "--today", TODAY, "-f", "json")
    documents = {item["id"]: item for item in json.loads(result.stdout)["documents"]}
    assert (documents["POL-INFOSEC"]["acknowledged"], documents["POL-INFOSEC"]["major"]) == (0, "2")
    assert documents["POL-CLEAR-DESK"]["share"] == 1.0
    check = invoke("check", repo, "--today", TODAY, "-f", "json")
    codes = [(f["code"], f["file"]) for f in json.loads(check.stdout)["findings"]]
    assert codes == [("acknowledgement-below-threshold", "policies/infosec.md")]


def test_report_formats(repo: Path, tmp_path: Path) -> None:
    _records(repo, "E001,POL-INFOSEC,1.0.0,2026-01-20\n")
    (repo / ROSTER_FILE).write_text(
        "employee_id,team,joined,left\nE001,Voice,2025-03-01,\nE002,=HYPERLINK(1),2026-05-02,\n",
        encoding="utf-8",
    )
    text = invoke("ack", "report", repo, "--today", TODAY)
    assert text.exit_code == 0, text.output
    assert "2 current staff" in text.stdout and "POL-INFOSEC" in text.stdout and "50.0%" in text.stdout
    csv = invoke("ack", "report", repo, "--today", TODAY, "-f", "csv").stdout.splitlines()
    assert csv == [
        "employee_id,team,joined,missing,induction_overdue",
        "E001,Voice,2025-03-01,POL-CLEAR-DESK,",
        "E002,'=HYPERLINK(1),2026-05-02,POL-CLEAR-DESK POL-INFOSEC,POL-CLEAR-DESK POL-INFOSEC",
    ]
    markdown = invoke("ack", "report", repo, "--today", TODAY, "-f", "md").stdout
    assert "## Joiners past their induction window (1)" in markdown and "| E002 |" in markdown
    out = tmp_path / "acks.xlsx"
    assert invoke("ack", "report", repo, "--today", TODAY, "-o", out).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["Documents", "Induction overdue", "Follow-up"]
    assert [cell.value for cell in book["Follow-up"]["A"]] == ["Employee id", "E001", "E002"]
    assert book["Follow-up"]["B3"].data_type == "s"


def test_report_without_a_roster_says_how_to_import_one(repo: Path) -> None:
    result = invoke("ack", "report", repo)
    assert result.exit_code == 2
    assert "isms ack import FILE --roster" in result.stderr


def test_bad_stored_rows_are_findings_with_line_and_field(repo: Path) -> None:
    _records(repo, "E001,POL-INFOSEC,1.0.0,2026-01-20\nE002,POL-INFOSEC,one,2026-01-20\n")
    result = invoke("check", repo, "--today", TODAY, "-f", "json")
    found = [(f["code"], f["file"], f["line"], f["field"]) for f in json.loads(result.stdout)["findings"]]
    assert ("schema", str(ACK_FILE), 3, "version") in found
    assert result.exit_code == 1
    refused = invoke("ack", "report", repo, "--today", TODAY)
    assert refused.exit_code == 1 and "acknowledgements.csv:3: version:" in refused.stderr


@pytest.mark.parametrize("kind", ["records-link", "file-link", "fifo"])
def test_staff_data_is_never_written_through_a_link_out_or_into_a_fifo(
    repo: Path, tmp_path: Path, kind: str
) -> None:
    """A pull request may commit records/ as a link out of the repository, or the roster as a FIFO: the
    import refuses (exit 2) instead of writing personal data outside or waiting forever."""
    outside = tmp_path / "outside"
    outside.mkdir()
    records = repo / "records"
    if kind == "records-link":
        shutil.rmtree(records, ignore_errors=True)
        records.symlink_to(outside, target_is_directory=True)
    elif kind == "file-link":
        records.mkdir(exist_ok=True)
        (repo / ROSTER_FILE).unlink(missing_ok=True)
        (repo / ROSTER_FILE).symlink_to(outside / "roster.csv")
    else:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        records.mkdir(exist_ok=True)
        (repo / ROSTER_FILE).unlink(missing_ok=True)
        os.mkfifo(repo / ROSTER_FILE)
    roster = tmp_path / "hr.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    with time_limit():
        result = invoke("ack", "import", roster, repo, "--roster", "--replace")
    assert result.exit_code == 2, result.output
    assert "records/roster.csv" in result.stderr and "nothing imported" in result.stderr
    assert list(outside.iterdir()) == []
