"""Example values are findings: a fresh `isms init --no-input` fails --strict on the example company's
incident contacts (naming file and line) until they are changed, and passes after."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli

EXAMPLE = scaffold.example_answers()


def strict(runner: CliRunner, repo: Path) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(cli, ["check", "--strict", "-f", "json", str(repo)])
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_strict_fails_on_the_example_contacts_until_they_are_changed(
    runner: CliRunner, tmp_path: Path
) -> None:
    repo = tmp_path / "company"
    assert runner.invoke(cli, ["init", "--no-input", str(repo)]).exit_code == 0
    by = ["--by", "Chief Executive Officer", "--repo", str(repo)]
    assert runner.invoke(cli, ["approve", "--all-drafts", *by]).exit_code == 0
    assert runner.invoke(cli, ["approve", "soa.yml", *by]).exit_code == 0
    code, findings = strict(runner, repo)
    assert code == 1
    assert {finding["code"] for finding in findings} == {"example-value"}
    places = {(finding["file"], finding["line"]) for finding in findings}
    config = (repo / "isms.yml").read_text(encoding="utf-8").splitlines()
    assert (
        "isms.yml",
        config.index(f"  incident_email: {json.dumps(EXAMPLE['incident_email'])}") + 1,
    ) in places
    incident = (repo / "policies" / "incident-response.md").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(incident, 1) if EXAMPLE["incident_email"] in text)
    assert ("policies/incident-response.md", line) in places
    assert all(
        EXAMPLE["incident_email"] in f["message"] or EXAMPLE["incident_phone"] in f["message"]
        for f in findings
    )

    # The company puts its own contacts in, re-renders with them, and approves again: strict passes.
    answers = {"incident_email": "infosec@sahyadri.test", "incident_phone": "+91 20 5550 0199"}
    scaffold.render(answers, repo, force=True)
    assert runner.invoke(cli, ["approve", "--all-drafts", *by]).exit_code == 0
    assert runner.invoke(cli, ["approve", "soa.yml", *by]).exit_code == 0
    code, findings = strict(runner, repo)
    assert (code, findings) == (0, [])


def test_people_and_sites_of_the_example_are_findings_only_for_another_company(
    runner: CliRunner, tmp_path: Path
) -> None:
    own = {"incident_email": "soc@kaveri.test", "incident_phone": "+91 44 5555 0101"}
    repo = tmp_path / "other"
    scaffold.render({**own, "company_name": "Kaveri Health Services", "company_short_name": "Kaveri"}, repo)
    result = runner.invoke(cli, ["check", "-f", "json", str(repo)])
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "example-value"]
    messages = " ".join(str(f["message"]) for f in found)
    assert all(f["file"] == "isms.yml" and f["level"] == "warning" for f in found)
    assert EXAMPLE["roles"]["ciso"]["name"] in messages and EXAMPLE["sites"]["pune"]["name"] in messages
    same = tmp_path / "example"
    scaffold.render(own, same)
    result = runner.invoke(cli, ["check", "-f", "json", str(same)])
    assert not [f for f in json.loads(result.stdout)["findings"] if f["code"] == "example-value"]
