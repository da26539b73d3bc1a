"""The handbook and staff acknowledgements: each staff policy says what to acknowledge and links to the
company's form, escaped; the acknowledgement records and the roster never reach the built site."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from toolkit.handbook.pages import build_handbook
from toolkit.handbook.plugin import build_site
from toolkit.handbook.published import left_out
from toolkit.workspace import open_workspace

EXAMPLE = EXAMPLES / "acknowledgement-below-threshold" / "repo"
MKDOCS = """\
site_name: Demo Policy Handbook
docs_dir: policies
site_dir: site
plugins:
  - search
  - isms
markdown_extensions:
  - admonition
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "company"
    shutil.copytree(EXAMPLE, target)
    return target


def headers(repo: Path) -> dict[str, str]:
    workspace = open_workspace(repo, today=dt.date(2026, 6, 1))
    return build_handbook(workspace).headers


def test_a_staff_policy_says_what_to_acknowledge(repo: Path) -> None:
    header = headers(repo)["clear-desk.md"]
    assert "Acknowledge this policy" in header
    assert (
        "Acknowledge document <strong>POL-CLEAR-DESK</strong>, version <strong>1.0.0</strong>, effective "
        "<strong>2026-01-15</strong>." in header
    )
    assert "<a " not in header.split("Acknowledge this policy")[1], "no form named: no link"


def test_only_staff_policies_ask_for_an_acknowledgement(repo: Path) -> None:
    path = repo / "policies" / "infosec.md"
    path.write_text(path.read_text(encoding="utf-8").replace("audience: all-staff", "audience: it-team"))
    assert "Acknowledge this policy" not in headers(repo)["infosec.md"]
    assert "Acknowledge this policy" in headers(repo)["clear-desk.md"]


def test_the_form_link_is_filled_in_encoded_and_escaped(repo: Path) -> None:
    config = repo / "isms.yml"
    url = 'https://lms.example.com/ack?p={id}&v={version}&t={title}&x="><script>'
    config.write_text(
        config.read_text(encoding="utf-8") + f"acknowledgements:\n  form_url: '{url}'\n", encoding="utf-8"
    )
    policy = repo / "policies" / "clear-desk.md"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("title: Clear Desk Policy", 'title: "Desk & <b>"')
    )
    header = headers(repo)["clear-desk.md"]
    assert (
        'href="https://lms.example.com/ack?p=POL-CLEAR-DESK&amp;v=1.0.0&amp;t=Desk%20%26%20%3Cb%3E'
        '&amp;x=&quot;&gt;&lt;script&gt;"' in header
    )
    assert "<script>" not in header and "<b>" not in header


def test_a_form_url_that_is_not_a_web_address_gives_no_link(repo: Path) -> None:
    config = repo / "isms.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "acknowledgements:\n  form_url: 'javascript:alert({id})'\n",
        encoding="utf-8",
    )
    header = headers(repo)["clear-desk.md"]
    assert "javascript" not in header and "<a " not in header.split("Acknowledge this policy")[1]


def test_records_and_roster_are_never_published(repo: Path, tmp_path: Path) -> None:
    """Even linked into the documents folder, and under a name the handbook publishes (.md, .pdf)."""
    (repo / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    scans = repo / "records" / "acknowledgements" / "signed-E00123.pdf"
    scans.write_bytes(b"%PDF-1.4 signed by E00123 SECRET-EMPLOYEE-E00123\n")
    policies = repo / "policies"
    (policies / "evidence").symlink_to(repo / "records", target_is_directory=True)
    (policies / "team-list.md").symlink_to(repo / "records" / "roster.csv")
    roster = (repo / "records" / "roster.csv").read_text(encoding="utf-8")
    ids = sorted({line.split(",")[0] for line in roster.splitlines()[1:]})
    assert ids == ["E001", "E002", "E003", "E004", "E005"]
    site = build_site(repo / "mkdocs.yml", site_dir=tmp_path / "site")
    everything = b"".join(path.read_bytes() for path in site.rglob("*") if path.is_file())
    assert b"Acknowledge this policy" in everything, "the site was built with its staff policies"
    for employee in [*ids, "E00123"]:
        assert employee.encode() not in everything, employee
    assert b"Back Office" not in everything and b"SECRET-EMPLOYEE" not in everything
    assert not list(site.rglob("*.csv")) and not list(site.rglob("*.pdf"))
    assert left_out(policies / "team-list.md", repo) == (
        "staff acknowledgements and the roster are personal data and are never published"
    )
    assert left_out(policies / "clear-desk.md", repo) is None
