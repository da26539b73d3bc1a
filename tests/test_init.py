"""``isms init``: a complete, checkable repository for every profile, rendered safely."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from cookiecutter.main import cookiecutter

from toolkit import __version__, scaffold
from toolkit.check import CheckOptions, execute
from toolkit.cli import cli
from toolkit.distribution import default_requirement
from toolkit.errors import InvalidAnswersError, TargetNotEmptyError
from toolkit.resources import templates_dir
from toolkit.sources.documents import split_front_matter

DATE = "2026-11-24"


def init(runner: CliRunner, target: Path, *args: str):
    return runner.invoke(cli, ["init", str(target), "--no-input", "--date", DATE, *args])


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("example") / "sahyadri-isms"
    result = init(CliRunner(), target)
    assert result.exit_code == 0, result.output
    return target


def test_example_repository_passes_check_with_every_control_drafted(runner: CliRunner, example: Path) -> None:
    result = runner.invoke(cli, ["check", str(example), "--format", "json", "--today", DATE])
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["summary"]["errors"] == 0
    annex = report["coverage"]["iso27001-2022"]
    assert annex["covered"] == 0 and annex["missing"] == []
    assert annex["drafted"] == annex["applicable"] == 93 - annex["excluded"]
    clauses = report["coverage"]["iso27001-2022-clauses"]
    assert clauses["missing"] == [] and clauses["drafted"] == 14 and clauses["covered"] == 1
    # --no-input keeps the example company's incident contacts: warnings until they are changed.
    assert {f["code"] for f in report["findings"]} == {"control-drafted", "soa-unapproved", "example-value"}


def test_example_repository_fails_strict_only_because_nothing_is_approved_and_the_contacts_are_the_example(
    runner: CliRunner, example: Path
) -> None:
    result = runner.invoke(cli, ["check", str(example), "--strict", "--format", "json", "--today", DATE])
    assert result.exit_code == 1
    found = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert found == {"control-drafted", "soa-unapproved", "example-value"}


def test_generated_repository_has_the_expected_files(example: Path) -> None:
    for rel in (
        "isms.yml",
        "soa.yml",
        "mkdocs.yml",
        "README.md",
        ".pre-commit-config.yaml",
        ".github/workflows/isms.yml",
        ".isms/answers.yml",
        ".isms/schemas/isms.schema.json",
        ".gitignore",
    ):
        assert (example / rel).is_file(), rel
    assert "site/" in (example / ".gitignore").read_text(encoding="utf-8").splitlines()
    config = yaml.safe_load((example / "isms.yml").read_text(encoding="utf-8"))
    assert config["template"]["version"] == scaffold.template_defaults()["_template_version"]
    assert config["profile"]["bpo_type"] == "general-bpo"


def test_every_document_is_a_draft_with_declared_controls(example: Path) -> None:
    documents = sorted((example / "policies").glob("*.md"))
    assert len(documents) >= 30
    for path in documents:
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        assert not hasattr(parts, "code"), path
        meta = yaml.safe_load(parts[0])
        assert meta["status"] == "draft", path
        assert meta["approved_on"] is None, path
        assert meta["controls"], path


BANNED = ("TBD", "[Company", "Lorem", "{{", "{%", "}}")


def test_generated_text_has_no_placeholders(example: Path) -> None:
    for path in sorted(example.rglob("*")):
        if (
            path.is_file()
            and path.suffix in (".md", ".yml", ".yaml")
            and ".isms/schemas" not in path.as_posix()
        ):
            text = path.read_text(encoding="utf-8")
            for word in BANNED:
                if path.name == "isms.yml" and path.parent.name == "workflows" and word in ("{{", "}}"):
                    continue  # GitHub expressions such as ${{ github.ref }} are meant literally
                assert word not in text, f"{path.relative_to(example)} contains {word!r}"


def test_workflow_validates_against_the_github_workflow_schema(example: Path) -> None:
    checker = shutil.which("check-jsonschema")
    assert checker, "check-jsonschema is installed with the test extra"
    result = subprocess.run(
        [checker, "--builtin-schema", "vendor.github-workflows", str(example / ".github/workflows/isms.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workflow = yaml.safe_load((example / ".github/workflows/isms.yml").read_text(encoding="utf-8"))
    assert workflow[True] == {"push": None, "pull_request": None}  # YAML 1.1 reads the key `on` as True
    assert workflow["jobs"]["handbook"]["needs"] == "check"
    steps = [step.get("run", step.get("uses", "")) for step in workflow["jobs"]["handbook"]["steps"]]
    # By default the handbook stays a download of the run: nothing is deployed to a website.
    assert "isms build --site-dir site" in steps and "actions/upload-artifact@v4" in steps
    assert "actions/deploy-pages@v4" not in steps and "pages" not in workflow["jobs"]["handbook"]
    installs = [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "pip" in step.get("run", "")
    ]
    assert installs == ['pip install "$ISMS_TOOLKIT"'] * 2
    # pinned to this toolkit version, from the toolkit's repository at its release tag
    assert workflow["env"]["ISMS_TOOLKIT"].endswith(f"@v{__version__}")
    assert workflow["env"]["ISMS_TOOLKIT"] == default_requirement()


PROFILES = [
    ("general-bpo", "us, uk-fca"),
    ("kpo", "us, australia"),
    ("healthcare-bpo", "us-healthcare, eu-gdpr"),
    ("legal-process-outsourcing", "us, uk-fca, eu-gdpr"),
    ("it-helpdesk", "uk-fca, middle-east"),
    ("finance-accounting", "us"),
    ("general-bpo", ""),
]


@pytest.mark.parametrize(("bpo_type", "regions"), PROFILES)
def test_every_profile_renders_and_passes_check(tmp_path: Path, bpo_type: str, regions: str) -> None:
    target = tmp_path / "repo"
    result = scaffold.render({"bpo_type": bpo_type, "client_regions": regions}, target)
    outcome = execute(CheckOptions(root=target))
    errors = [f for f in outcome.findings if f.level == "error"]
    assert errors == [], errors
    assert all(c.ids("missing") == [] for c in outcome.coverage.values())
    config = yaml.safe_load((target / "isms.yml").read_text(encoding="utf-8"))
    assert config["standards"] == result.profile["standards"]
    develops = (target / "policies" / "secure-development.md").is_file()
    assert develops is result.profile["develops_software"]
    soa = yaml.safe_load((target / "soa.yml").read_text(encoding="utf-8"))["controls"]
    assert len(soa) == 93
    assert soa["iso27001-2022:A.8.28"]["applicable"] is develops
    for path in sorted(target.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert not [word for word in BANNED if word in text], path.relative_to(target)


@pytest.mark.parametrize(("bpo_type", "develops"), [("it-helpdesk", True), ("kpo", False)])
def test_bpo_type_decides_software_development_unless_told(
    runner: CliRunner, tmp_path: Path, bpo_type: str, develops: bool
) -> None:
    result = init(runner, tmp_path / "by-type", "--bpo-type", bpo_type)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "by-type" / "policies" / "secure-development.md").is_file() is develops
    flag = "--no-develops-software" if develops else "--develops-software"
    told = init(runner, tmp_path / "told", "--bpo-type", bpo_type, flag)
    assert told.exit_code == 0, told.output
    assert (tmp_path / "told" / "policies" / "secure-development.md").is_file() is not develops


GLITCHES = {
    "a count of one in the plural": re.compile(r"\b1 (hours|days|months)\b"),
    "a zero-day deadline": re.compile(r"\bwithin 0 days\b"),
    "a doubled word": re.compile(r"\b(?!that\b|had\b)(\w+) \1\b", re.IGNORECASE),
    "an empty bullet": re.compile(r"^\s*[-*]\s*$", re.MULTILINE),
}


def test_prose_reads_right_at_the_edges_of_the_answers(tmp_path: Path) -> None:
    answers = {
        "bpo_type": "it-helpdesk",
        "client_regions": "us, australia",
        "incident_notification_hours": 1,
        "client_data_deletion_days": 0,
        "cctv_retention_days": 1,
        "review_cycle_months": 1,
    }
    scaffold.render(answers, tmp_path / "edge")
    problems = []
    for path in sorted((tmp_path / "edge" / "policies").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        for name, pattern in GLITCHES.items():
            problems += [f"{path.name}: {name}: {m.group(0)!r}" for m in pattern.finditer(body)]
    assert problems == []


def test_profiles_choose_standards_and_duties() -> None:
    healthcare = scaffold.resolve_profile(
        {"bpo_type": "healthcare-bpo", "client_regions": "us-healthcare, eu-gdpr"}
    )
    assert healthcare["standards"] == ["ISO/IEC 27001:2022", "ISO 9001:2015"]
    assert "ISO/IEC 27701:2025" in healthcare["recommended"]
    assert any("HIPAA" in duty for duty in healthcare["duties"])
    assert any("Article 28" in duty for duty in healthcare["duties"])
    helpdesk = scaffold.resolve_profile({"bpo_type": "it-helpdesk", "client_regions": ""})
    assert "ISO/IEC 20000-1:2018" in helpdesk["standards"] and helpdesk["develops_software"] is True
    finance = scaffold.resolve_profile({"bpo_type": "finance-accounting", "client_regions": "us"})
    assert any("SOX" in duty for duty in finance["duties"])


def test_extra_standards_are_put_in_scope(tmp_path: Path) -> None:
    result = scaffold.render(
        {"bpo_type": "kpo", "extra_standards": ["ISO 9001:2015", "ISO/IEC 27701:2025"]}, tmp_path / "r"
    )
    config = yaml.safe_load((tmp_path / "r" / "isms.yml").read_text(encoding="utf-8"))
    assert config["standards"] == ["ISO/IEC 27001:2022", "ISO 9001:2015", "ISO/IEC 27701:2025"]
    assert config["recommended_standards"] == []
    assert result.profile["standards"] == config["standards"]


def test_init_says_what_it_chose(runner: CliRunner, tmp_path: Path) -> None:
    result = init(
        runner, tmp_path / "r", "--bpo-type", "healthcare-bpo", "--client-regions", "us-healthcare,eu-gdpr"
    )
    assert result.exit_code == 0, result.output
    assert "Standards in scope: ISO/IEC 27001:2022, ISO 9001:2015" in result.output
    assert "Recommended: ISO/IEC 27701:2025" in result.output


NASTY = {
    "company_name": 'सह्याद्रि प्रोसेस सर्विसेज़ "Quoted": {{ 7*7 }} {% if x %} <script>alert(1)</script> & Co',
    "company_short_name": "सह्याद्रि {{ 7*7 }}: <b>",
    "incident_email": "security: {{ 7*7 }}@example.in",
}


def test_nasty_answers_come_out_literally(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    scaffold.render(NASTY, target, generated_on=None)
    config = yaml.safe_load((target / "isms.yml").read_text(encoding="utf-8"))
    assert config["organisation"]["name"] == NASTY["company_name"]
    assert config["organisation"]["short_name"] == NASTY["company_short_name"]
    assert config["contacts"]["incident_email"] == NASTY["incident_email"]
    answers = yaml.safe_load((target / ".isms" / "answers.yml").read_text(encoding="utf-8"))
    assert answers["company_name"] == NASTY["company_name"]
    site = yaml.safe_load((target / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"]
    assert site.startswith(NASTY["company_short_name"])
    bodies = "".join(p.read_text(encoding="utf-8") for p in (target / "policies").glob("*.md"))
    assert "49" not in bodies.replace("1249", "")  # no rendered {{ 7*7 }}
    assert "<script>" not in bodies and "&lt;script&gt;" in bodies + "&lt;script&gt;"
    outcome = execute(CheckOptions(root=target))
    assert [f for f in outcome.findings if f.code == "schema"] == []


def test_non_empty_target_is_refused_and_untouched(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    result = init(runner, target)
    assert result.exit_code == 2
    assert "not empty" in result.stderr and "--force" in result.stderr
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["repo"], "no temporary folder left behind"


def test_force_renders_over_and_keeps_other_files(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    result = init(runner, target, "--force")
    assert result.exit_code == 0, result.output
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (target / "isms.yml").is_file()


def test_a_failure_leaves_nothing_half_written(tmp_path: Path) -> None:
    target = tmp_path / "repo"

    def fail(_result: scaffold.InitResult) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        scaffold.render({}, target, on_rendered=fail)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"bpo_type": "call-centre"}, "bpo_type"),
        ({"client_regions": "us, mars"}, "client_regions"),
        ({"cctv_retention_days": "ninety"}, "cctv_retention_days"),
        ({"review_cycle_months": 0}, "review_cycle_months"),
        ({"review_cycle_months": 40}, "review_cycle_months"),
        (
            {"cctv_retention_days": 1.5},
            "cctv_retention_days: 1.5 is not in the expected form: A whole number",
        ),
        (
            {"sites": {"x y": {"name": "A", "city": "B", "seats": 3}}},
            "sites: 'x y' is not in the expected form",
        ),
        ({"incident_notification_hours": "0"}, "incident_notification_hours"),
        ({"sites": {"pune": {"name": "Pune"}}}, "sites.pune"),
        ({"company_name": "Two\nlines"}, "company_name"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_answers_are_refused_before_rendering(tmp_path: Path, answers: dict, field: str) -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        scaffold.render(answers, tmp_path / "repo")
    assert caught.value.message.startswith(field)
    assert not (tmp_path / "repo").exists()


@pytest.mark.parametrize("regions", ["us, mars", ["us", "mars"]])
def test_unknown_client_region_is_named(tmp_path: Path, regions: object) -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        scaffold.render({"client_regions": regions}, tmp_path / "repo")
    assert caught.value.message.startswith("client_regions: unknown client region 'mars'; known: us, ")


def test_every_unknown_region_is_named() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        scaffold.check_answers({"client_regions": "us, mars, venus"})
    assert caught.value.message.startswith("client_regions: unknown client regions 'mars', 'venus'; known:")


def test_a_repeated_region_is_named() -> None:
    with pytest.raises(InvalidAnswersError) as caught:
        scaffold.check_answers({"client_regions": ["us", "eu-gdpr", "us"]})
    assert caught.value.message == "client_regions: 'us' given more than once"


def test_every_problem_in_an_answers_file_is_named_at_once(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text(
        "company_name: Acme\nbpo_type: call-centre\ncctv_retention_days: ninety\nclient_regions: us, mars\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["init", str(tmp_path / "r"), "--no-input", "--answers", str(answers)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Error: {answers}:2: bpo_type:")
    assert lines[1].startswith(f"  {answers}:3: cctv_retention_days:")
    assert lines[2].startswith(f"  {answers}:4: client_regions: unknown client region 'mars'")


def test_partial_answers_warn_about_the_example_company_values_they_keep(
    runner: CliRunner, tmp_path: Path
) -> None:
    answers = tmp_path / "acme.yml"
    answers.write_text(
        "company_name: Acme Claims Services LLP\ncompany_short_name: Acme\n"
        "incident_email: soc@acme.example\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["init", str(tmp_path / "r"), "--no-input", "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.stderr.splitlines() if line.startswith("Warning:"))
    kept = warning.split(": ", 2)[-1].split(", ")
    assert {"isms_scope", "incident_phone", "sites", "roles.ciso.name", "roles.hr_head.name"} <= set(kept)
    assert "incident_email" not in kept
    policy = (tmp_path / "r" / "policies" / "information-security-policy.md").read_text(encoding="utf-8")
    assert "Acme" in policy, "the warning does not stop the repository being written"


def test_the_example_company_and_complete_answers_get_no_warning(runner: CliRunner, tmp_path: Path) -> None:
    example = runner.invoke(cli, ["init", str(tmp_path / "example"), "--no-input"])
    assert example.exit_code == 0 and "Warning" not in example.stderr
    answers = scaffold.example_answers()
    answers["company_name"] = "Acme Claims Services LLP"
    answers["isms_scope"] = "Claims processing from the Kochi centre."
    answers["incident_email"] = "soc@acme.example"
    answers["incident_phone"] = "+91 484 400 0000"
    answers["sites"] = {"kochi": {"name": "Kochi Centre", "city": "Kochi", "seats": 80}}
    answers["roles"] = {key: {**role, "name": f"Holder {key}"} for key, role in answers["roles"].items()}
    assert scaffold.example_leftovers(answers) == []


def test_answers_file_errors_name_file_line_and_field(runner: CliRunner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("company_name: Acme\nbpo_type: call-centre\n", encoding="utf-8")
    result = runner.invoke(cli, ["init", str(tmp_path / "r"), "--no-input", "--answers", str(answers)])
    assert result.exit_code == 2
    assert f"{answers}:2: bpo_type:" in result.stderr
    assert not (tmp_path / "r").exists()


def test_recorded_answers_render_the_same_repository(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    result = runner.invoke(
        cli,
        [
            "init",
            str(again),
            "--no-input",
            "--date",
            DATE,
            "--answers",
            str(example / ".isms" / "answers.yml"),
        ],
    )
    assert result.exit_code == 0, result.output
    for path in sorted(example.rglob("*")):
        if path.is_file():
            rel = path.relative_to(example)
            assert (again / rel).read_bytes() == path.read_bytes(), rel


def test_recorded_answers_keep_their_date(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    answers = str(example / ".isms" / "answers.yml")
    result = runner.invoke(cli, ["init", str(again), "--no-input", "--answers", answers])
    assert result.exit_code == 0, result.output
    policy = "policies/clear-desk-and-clear-screen.md"
    assert (again / policy).read_bytes() == (example / policy).read_bytes()


def test_recorded_answers_read_as_a_person_would_write_them(example: Path) -> None:
    recorded = yaml.safe_load((example / ".isms" / "answers.yml").read_text(encoding="utf-8"))
    assert recorded["cctv_retention_days"] == 90 and recorded["review_cycle_months"] == 12
    assert recorded["sites"]["pune"]["seats"] == 420
    assert "repo_slug" not in recorded and recorded["generated_on"] == DATE
    scaffold.check_answers(recorded)


@pytest.mark.parametrize("short_name", ["../../etc", "/abs/path", "..", "साह्याद्री"])
def test_folder_name_is_derived_safely(short_name: str) -> None:
    slug = scaffold.repository_slug(short_name)
    assert "/" not in slug and ".." not in slug and not slug.startswith(".")
    assert slug.endswith("-isms") and len(slug) > len("-isms")


def test_default_folder_is_created_in_the_current_directory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["init", "--no-input", "--short-name", "../Evil Co", "--date", DATE])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["evil-co-isms"]


def test_prompts_take_answers(runner: CliRunner, tmp_path: Path) -> None:
    keystrokes = "\n".join(["Acme Outsourcing Pvt Ltd", "Acme", "", "kpo", "us", "", "n"]) + "\n" * 40
    result = runner.invoke(cli, ["init", str(tmp_path / "acme"), "--date", DATE], input=keystrokes)
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((tmp_path / "acme" / "isms.yml").read_text(encoding="utf-8"))
    assert config["organisation"] == {"name": "Acme Outsourcing Pvt Ltd", "short_name": "Acme"}
    assert config["profile"]["bpo_type"] == "kpo"


@pytest.mark.parametrize(("bpo_type", "answer", "develops"), [("it-helpdesk", "", True), ("kpo", "y", True)])
def test_prompt_asks_about_software_development(
    runner: CliRunner, tmp_path: Path, bpo_type: str, answer: str, develops: bool
) -> None:
    keystrokes = "\n".join(["Acme", "Acme", "", bpo_type, "us", "", "n", answer]) + "\n" * 40
    result = runner.invoke(cli, ["init", str(tmp_path / "acme"), "--date", DATE], input=keystrokes)
    assert result.exit_code == 0, result.output
    assert "Does the company develop software" in result.output
    assert (tmp_path / "acme" / "policies" / "secure-development.md").is_file() is develops


def test_prompt_asks_again_for_a_number_out_of_range(runner: CliRunner, tmp_path: Path) -> None:
    # software, voice processes and payment cards at their defaults; CCTV days: 0 refused, 45 taken
    answers = ["Acme", "Acme", "", "kpo", "us", "", "n", "", "", "", "0", "45"]
    result = runner.invoke(
        cli, ["init", str(tmp_path / "acme"), "--date", DATE], input="\n".join(answers) + "\n" * 40
    )
    assert result.exit_code == 0, result.output
    assert "0 is not in the range x>=1" in result.output
    config = yaml.safe_load((tmp_path / "acme" / "isms.yml").read_text(encoding="utf-8"))
    assert config["parameters"]["cctv_retention_days"] == 45


def test_prompt_asks_again_for_an_unknown_region(runner: CliRunner, tmp_path: Path) -> None:
    keystrokes = "\n".join(["Acme Outsourcing Pvt Ltd", "Acme", "", "kpo", "mars", "us", "", "n"]) + "\n" * 40
    result = runner.invoke(cli, ["init", str(tmp_path / "acme"), "--date", DATE], input=keystrokes)
    assert result.exit_code == 0, result.output
    assert "unknown client region(s): 'mars'" in result.output
    config = yaml.safe_load((tmp_path / "acme" / "isms.yml").read_text(encoding="utf-8"))
    assert config["profile"]["client_regions"] == ["us"]


@pytest.mark.parametrize(("voice", "cards"), [("y", "n"), ("", "y")])
def test_prompts_ask_about_voice_processes_and_payment_cards(
    runner: CliRunner, tmp_path: Path, voice: str, cards: str
) -> None:
    keystrokes = "\n".join(["Acme", "Acme", "", "kpo", "us", "", "n", "", voice, cards]) + "\n" * 40
    result = runner.invoke(cli, ["init", str(tmp_path / "acme"), "--date", DATE], input=keystrokes)
    assert result.exit_code == 0, result.output
    assert "Does the company run voice processes" in result.output
    network = (tmp_path / "acme" / "policies" / "network-security.md").read_text(encoding="utf-8")
    handling = (tmp_path / "acme" / "policies" / "classification-and-handling.md").read_text(encoding="utf-8")
    assert ("| Voice zone |" in network) is (voice == "y")  # a KPO runs no voice process unless told
    assert ("PCI DSS" in handling) is (cards == "y")


def test_prompts_ask_for_the_sites(runner: CliRunner, tmp_path: Path) -> None:
    company = ["Acme Outsourcing Pvt Ltd", "Acme", "", "kpo", "us", "", "n", ""]
    # voice and cards, retention and deadlines, contacts, six roles' titles and holders
    defaults = [""] * (2 + 5 + 2 + 12)
    sites = ["2", "Kochi Centre", "Kochi", "80", "Kochi Annexe", "Kochi", "40"]
    ci = ["", "", ""]  # CI system, handbook publishing, toolkit source
    keystrokes = "\n".join([*company, *defaults, *sites, *ci]) + "\n"
    result = runner.invoke(cli, ["init", str(tmp_path / "acme"), "--date", DATE], input=keystrokes)
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((tmp_path / "acme" / "isms.yml").read_text(encoding="utf-8"))
    assert config["sites"] == [
        {"name": "Kochi Centre", "city": "Kochi", "seats": 80},
        {"name": "Kochi Annexe", "city": "Kochi", "seats": 40},
    ]
    recorded = yaml.safe_load((tmp_path / "acme" / ".isms" / "answers.yml").read_text(encoding="utf-8"))
    assert list(recorded["sites"]) == ["kochi", "kochi-2"]
    scope = (tmp_path / "acme" / "policies" / "isms-scope.md").read_text(encoding="utf-8")
    assert "Kochi Annexe" in scope and "Pune Delivery Centre" not in scope
    assert "isms_scope" in result.stderr and "sites" not in result.stderr.split("Warning:")[-1]


def test_plain_cookiecutter_renders_a_working_repository(tmp_path: Path) -> None:
    config = tmp_path / "config.yml"
    config.write_text(json.dumps({"replay_dir": str(tmp_path / "replay")}), encoding="utf-8")
    project = Path(
        cookiecutter(str(templates_dir()), no_input=True, output_dir=str(tmp_path), config_file=str(config))
    )
    outcome = execute(CheckOptions(root=project))
    assert [f for f in outcome.findings if f.level == "error"] == []


def test_target_not_empty_error_is_a_toolkit_error() -> None:
    assert issubclass(TargetNotEmptyError, scaffold.IsmsError)


@pytest.mark.parametrize("extra", [[], ["--no-develops-software"]])
def test_a_key_missing_from_the_profile_table_names_the_table(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: list[str]
) -> None:
    """A fault of the templates' profile table is one clear line (exit 2), not a traceback or 'standards'."""
    module = scaffold._template_module()
    table = module.load_profiles()
    broken = {**table, "bpo_types": {**table["bpo_types"]}}
    broken["bpo_types"]["general-bpo"] = {
        key: value for key, value in table["bpo_types"]["general-bpo"].items() if key != "standards"
    }
    monkeypatch.setattr(module, "load_profiles", lambda: broken)
    result = runner.invoke(cli, ["init", "--no-input", str(tmp_path / "out"), *extra])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "profiles.yml" in result.stderr and "'standards'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_generated_readme_leaves_versions_to_isms_approve(example: Path) -> None:
    """Raising the version by hand would make isms approve raise it again (or refuse --version)."""
    readme = (example / "README.md").read_text(encoding="utf-8")
    assert "raise the `version`" not in readme
    assert "isms approve policies/" in readme and "isms approve soa.yml" in readme
