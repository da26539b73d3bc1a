"""``isms init``: render a new company's policy repository from the cookiecutter templates.

The one function :func:`render` takes answers (see ``schemas/answers.schema.json``), validates them
before anything is rendered, renders the template into a temporary folder beside the target and moves the
result into place, so a failure leaves nothing half-written. Only this module imports cookiecutter.

Answers reach cookiecutter as the defaults of a temporary copy of the template, not as
``extra_context``: cookiecutter merges a dict override into the template's defaults (so the example
company's sites would survive beside yours) and renders every value as Jinja (so ``{{ 7*7 }}`` in a
company name would become ``49``). Both are avoided here: values replace the defaults whole, and every
``{`` in a value is passed as a Jinja expression that yields ``{``.
"""

from __future__ import annotations

import datetime as dt
import errno
import importlib.util
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.ci_answers import CHOICE_KEYS, answer_problems, example_choices
from toolkit.errors import InvalidAnswersError, IsmsError, OutputError, ProfileTableError, TargetNotEmptyError
from toolkit.fsutil import default_mode, removed_on_termination
from toolkit.model import parse_date
from toolkit.resources import controls_dir, schemas_dir, templates_dir
from toolkit.validation import validator
from toolkit.yamlio import locate, read_mapping

COUNT_KEYS = (
    "cctv_retention_days",
    "visitor_log_retention_days",
    "incident_notification_hours",
    "client_data_deletion_days",
    "review_cycle_months",
)
DERIVED_KEYS = ("repo_slug", "generated_on")
SCHEMAS_IN_REPOSITORY = Path(".isms") / "schemas"


@dataclass
class InitResult:
    """What :func:`render` made: where, with which answers, and what the profile chose."""

    target: Path
    answers: dict[str, Any]
    profile: dict[str, Any]
    files: list[str] = field(default_factory=list)
    # The starting registers and SoA decisions rendered (see ``policy_templates/registers.yml``).
    registers: dict[str, Any] = field(default_factory=dict)

    @property
    def example_leftovers(self) -> list[str]:
        """Company-specific answers that still hold the example company's values (see below)."""
        return example_leftovers(self.answers)


# Answers that name the example company's people, sites and contacts: wrong for any other company.
COMPANY_SPECIFIC = ("isms_scope", "incident_email", "incident_phone", "sites")


def example_leftovers(answers: dict[str, Any]) -> list[str]:
    """The fields of ``answers`` for another company that still hold the example company's values.

    Keys left out of an answers file take the example's values, and a prompt's default is accepted with
    one keystroke: a consultant who forgets ``roles`` would otherwise ship policies naming the example's
    officers. Empty for the example company itself.
    """
    example = example_answers()
    if answers.get("company_name") == example["company_name"]:
        return []
    found = [key for key in COMPANY_SPECIFIC if answers.get(key) == example[key]]
    roles = answers.get("roles") or {}
    for key, role in example["roles"].items():
        given = roles.get(key) or {}
        if role.get("name") and given.get("name") == role["name"]:
            found.append(f"roles.{key}.name")
    return found


@cache
def _template_module() -> Any:
    """``policy_templates/local_extensions.py``: the profile table's one implementation."""
    path = templates_dir() / "local_extensions.py"
    spec = importlib.util.spec_from_file_location("isms_policy_templates_extensions", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the file ships with the package
        raise IsmsError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def template_defaults() -> dict[str, Any]:
    """The template's own ``cookiecutter.json`` (the built-in example company), as written."""
    with (templates_dir() / "cookiecutter.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def example_answers() -> dict[str, Any]:
    """The built-in example company's answers (what ``--no-input`` renders)."""
    defaults = template_defaults()
    answers = {
        key: value for key, value in defaults.items() if not key.startswith("_") and key not in DERIVED_KEYS
    }
    answers.update(example_choices(defaults))
    for key in [key for key, value in answers.items() if value == "auto"]:
        del answers[key]  # the BPO type decides (see normalise and the profile table)
    return answers


def bpo_types() -> list[str]:
    """The BPO types the templates know, in their order."""
    return list(template_defaults()["bpo_type"])


def client_regions() -> list[str]:
    """The client regions the templates know, in their order."""
    return list(_template_module().load_profiles()["client_regions"])


def resolve_profile(answers: dict[str, Any]) -> dict[str, Any]:
    """What the BPO type and client regions imply (see ``policy_templates/profiles.yml``).

    ``answers`` must have passed :func:`check_answers` (a known BPO type and known regions), so a key the
    profile table lacks is a fault of the table: :class:`ProfileTableError` names the file and the key.
    """
    module = _template_module()
    try:
        profile: dict[str, Any] = module.resolve_profile(answers)
    except KeyError as exc:
        raise ProfileTableError(
            f"the profile table has no {exc.args[0]!r} for the answers given; add it to the table",
            path=module.PROFILES_FILE,
        ) from exc
    return profile


def resolve_registers(answers: dict[str, Any], generated_on: dt.date) -> dict[str, Any]:
    """The starting registers and SoA decisions complete, valid ``answers`` imply; an entry, role or asset
    the register tables lack is their fault: :class:`ProfileTableError` names the file and what is missing."""
    module = _template_module()
    try:
        registers: dict[str, Any] = module.build_registers(
            {**answers, "generated_on": generated_on.isoformat()}
        )
    except KeyError as exc:
        raise ProfileTableError(
            f"the register tables have no {exc.args[0]} for the answers given; add it to registers.yml, "
            "or take it out of profiles.yml",
            path=module.REGISTERS_FILE,
        ) from exc
    return registers


def load_answers(path: Path) -> dict[str, Any]:
    """Read and validate an answers file; :class:`InvalidAnswersError` names the file, line and field."""
    data, text = read_mapping(path, InvalidAnswersError, "answers file")
    check_answers(data, text=text, source=str(path))
    return data


def check_answers(answers: dict[str, Any], *, text: str = "", source: str | None = None) -> None:
    """Raise :class:`InvalidAnswersError` naming every problem in ``answers``, the first as its place.

    Each problem gives the field and, when the answers came from a file (``text``), its line, so that a
    file with several mistakes is put right in one pass.
    """
    problems: list[tuple[int | None, str]] = []
    unknown = unknown_regions(answers.get("client_regions"))
    repeated = repeated_regions(answers.get("client_regions"))
    regions_line = locate(text, ["client_regions"]) if text and (unknown or repeated) else None
    if unknown:
        known = ", ".join(_template_module().load_profiles()["client_regions"])
        names = ", ".join(repr(name) for name in unknown)
        what = "unknown client region" if len(unknown) == 1 else "unknown client regions"
        problems.append((regions_line, f"client_regions: {what} {names}; known: {known}"))
    if repeated:
        names = ", ".join(repr(name) for name in repeated)
        problems.append((regions_line, f"client_regions: {names} given more than once"))
    violations = validator("answers").violations(answers)
    for violation in violations:
        if (unknown or repeated) and violation.field.startswith("client_regions"):
            continue  # already said in plain words
        line = locate(text, violation.path) if text else None
        where = f"{violation.field}: " if violation.field else ""
        problems.append((line, f"{where}{violation.message}"))
    if not violations:  # the answers together, with the example's where left out
        for path, message in answer_problems({**example_answers(), **answers}):
            problems.append((locate(text, path) if text and path[0] in answers else None, message))
    if not problems:
        return
    problems.sort(key=lambda problem: (problem[0] is None, problem[0] or 0))
    (line, message), rest = problems[0], problems[1:]
    for other_line, other in rest:
        where = ":".join(str(part) for part in (source, other_line) if part is not None)
        message += f"\n  {where}: {other}" if where else f"\n  {other}"
    raise InvalidAnswersError(message, path=source, line=line)


def _region_items(value: Any) -> list[str]:
    """The regions in ``value`` (a list or comma-separated text), as the templates split them."""
    items: list[str] = _template_module().split_list(value) if isinstance(value, (str, list)) else []
    return items


def unknown_regions(value: Any) -> list[str]:
    """The client regions in ``value`` (a list or comma-separated text) that the profiles do not know."""
    known = _template_module().load_profiles()["client_regions"]
    return [item for item in _region_items(value) if item.lower() not in known]


def repeated_regions(value: Any) -> list[str]:
    """The client regions in ``value`` given more than once."""
    items = [item.lower() for item in _region_items(value)]
    return sorted({item for item in items if items.count(item) > 1})


def merge_answers(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers replace earlier ones key by key (a dict value replaces the whole dict)."""
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update({key: value for key, value in layer.items() if value is not None})
    return merged


def normalise(answers: dict[str, Any]) -> dict[str, Any]:
    """Answers in the template's shapes: regions as ``"us, eu-gdpr"``, counts as integers."""
    out = dict(answers)
    for key in ("client_regions", "extra_standards"):
        if isinstance(out.get(key), list):
            out[key] = ", ".join(out[key])
    for key in COUNT_KEYS:
        if key in out:
            out[key] = int(out[key])
    for site in (out.get("sites") or {}).values():
        site["seats"] = int(site["seats"])
    missing = [key for key in ("develops_software", "handles_payment_cards") if key not in out]
    out.update({key: resolve_profile(out)[key] for key in missing})  # the BPO type's usual answers
    return out


# The folder name's part from the short name: long enough to read, far below any file system's limit.
SLUG_LENGTH = 60


def repository_slug(short_name: str) -> str:
    """A safe folder name from the short name: ASCII letters, digits and hyphens, never a path, and at
    most :data:`SLUG_LENGTH` characters before ``-isms`` (cut at a word boundary)."""
    from slugify import slugify  # noqa: PLC0415 - a cookiecutter dependency, only needed here

    return f"{slugify(short_name, max_length=SLUG_LENGTH, word_boundary=True) or 'company'}-isms"


def escape_jinja(value: Any) -> Any:
    """``value`` such that cookiecutter's rendering of defaults gives it back literally."""
    if isinstance(value, str):
        return value.replace("{", "{{ '{' }}") if "{" in value else value
    if isinstance(value, dict):
        return {escape_jinja(key): escape_jinja(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escape_jinja(item) for item in value]
    return value


# Why a target folder cannot even be looked at, in words that say what to do.
_TARGET_PROBLEMS = {
    errno.ENAMETOOLONG: "the name is too long for the file system; choose a shorter folder name",
    errno.ELOOP: "a symbolic link in the path leads round in a loop; remove it or choose another folder",
}


def _check_target(target: Path, force: bool) -> Path:
    """Refuse a target that is a file or a non-empty folder (unless ``force``) or that cannot be looked
    at; return the folder the target is to be created in."""
    try:
        info: os.stat_result | None = target.stat()
    except (FileNotFoundError, NotADirectoryError):
        info = None  # nothing there yet (or a file above it, which creating the parent reports)
    except OSError as exc:
        reason = _TARGET_PROBLEMS.get(exc.errno or 0, exc.strerror)
        raise OutputError(f"cannot create the repository: {reason}", path=target) from exc
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise TargetNotEmptyError("exists and is not a folder", path=target)
    try:
        if info is not None and any(target.iterdir()) and not force:
            raise TargetNotEmptyError(
                "is not empty; use --force to render over it (other files are kept)", path=target
            )
        return target.resolve().parent
    except OSError as exc:
        reason = _TARGET_PROBLEMS.get(exc.errno or 0, exc.strerror)
        raise OutputError(f"cannot create the repository: {reason}", path=target) from exc


def render(
    answers: dict[str, Any],
    target: Path,
    *,
    force: bool = False,
    generated_on: dt.date | None = None,
    on_rendered: Callable[[InitResult], None] | None = None,
) -> InitResult:
    """Render the policy repository for ``answers`` into ``target``.

    :param answers: answers in the shape of ``schemas/answers.schema.json``; keys left out take the
        example company's values. Validated before anything is written.
    :param target: the folder to create. An existing non-empty folder is refused unless ``force``.
    :param force: render over an existing folder: files the template renders are replaced, others kept.
    :param generated_on: the date written into change logs (default: the answers' ``generated_on``, so
        that recorded answers render the same set again, else today).
    :param on_rendered: called with the result before it is moved into place (used by tests).
    :raises InvalidAnswersError: bad answers. :raises TargetNotEmptyError: target not empty.
    """
    check_answers(answers)
    merged = normalise(merge_answers(example_answers(), answers))
    profile = resolve_profile(merged)
    date = generated_on or parse_date(merged.get("generated_on")) or dt.date.today()
    registers = resolve_registers(merged, date)
    target = Path(target)
    parent = _check_target(target, force)
    # Terminated (SIGTERM) or interrupted, the temporary folder is removed all the same.
    with removed_on_termination():
        try:
            parent.mkdir(parents=True, exist_ok=True)
            work = Path(tempfile.mkdtemp(prefix=".isms-init-", dir=parent))
        except OSError as exc:
            blocker = next((folder for folder in target.resolve().parents if folder.is_file()), None)
            reason = f"{blocker} is a file, not a folder" if blocker is not None else exc.strerror
            raise OutputError(f"cannot create the repository: {reason}", path=target) from exc
        try:
            rendered = _render_into(work, merged, date)
            result = InitResult(target, merged, profile, sorted(_files(rendered)), registers)
            if on_rendered is not None:
                on_rendered(result)
            try:
                _move_into_place(rendered, target)
            except OSError as exc:
                raise OutputError(f"cannot write the repository: {exc.strerror}", path=target) from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return result


def _render_into(work: Path, answers: dict[str, Any], generated_on: dt.date) -> Path:
    from cookiecutter.exceptions import CookiecutterException  # noqa: PLC0415 - heavy, only here
    from cookiecutter.main import cookiecutter  # noqa: PLC0415
    from jinja2 import TemplateError  # noqa: PLC0415

    template = work / "template"
    shutil.copytree(templates_dir(), template, ignore=shutil.ignore_patterns("__pycache__"))
    # The templates read the Annex A catalog from beside themselves, as in a checkout or the wheel.
    shutil.copytree(controls_dir(), work / "controls")
    context = template_defaults()
    context.update(escape_jinja({key: value for key, value in answers.items() if key not in CHOICE_KEYS}))
    for key in CHOICE_KEYS:  # a choice is a list whose first entry is the answer
        context[key] = [answers[key], *(choice for choice in context[key] if choice != answers[key])]
    context["repo_slug"] = "repository"
    context["generated_on"] = generated_on.isoformat()
    (template / "cookiecutter.json").write_text(
        json.dumps(context, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    try:
        project = Path(
            cookiecutter(str(template), no_input=True, output_dir=str(work / "out"), accept_hooks=True)
        )
    except (CookiecutterException, TemplateError, OSError) as exc:
        raise IsmsError(f"rendering the policy templates failed: {exc}") from exc
    schemas = project / SCHEMAS_IN_REPOSITORY
    schemas.mkdir(parents=True, exist_ok=True)
    for path in sorted(schemas_dir().glob("*.schema.json")):
        shutil.copyfile(path, schemas / path.name)
    # Cookiecutter copies the template files' own modes; give every file the mode a new file gets here.
    mode = default_mode()
    for path in project.rglob("*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(mode)
    return project


def _files(folder: Path) -> list[str]:
    return [path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()]


def _move_into_place(rendered: Path, target: Path) -> None:
    if not target.exists():
        rendered.replace(target)
        return
    for rel in sorted(_files(rendered)):
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        (rendered / rel).replace(destination)
