"""``isms check``: validate a repository and compute control coverage.

Shaped like check-jsonschema: the CLI turns its options into a :class:`CheckOptions`, :func:`execute`
loads the repository and runs the checks into a :class:`CheckResult`, and a reporter from
:mod:`toolkit.reporters` renders the result. Everything here is pure over the model except
:func:`execute`'s call to the loader.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.catalogs import Catalog, load_catalog, load_catalogs, scope_catalogs
from toolkit.errors import EXIT_FINDINGS, EXIT_PASSED, CatalogError
from toolkit.loader import CONFIG_FILE, SOA_FILE, load_repository
from toolkit.model import Coverage, CoverageState, Document, Finding, Level, Repository
from toolkit.yamlio import locate

PLACEHOLDER = re.compile(r"\{\{|\{%|\bTBD\b|\[Company Name\]|\bLorem ipsum\b")

LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
LOCAL_CATALOGS = "controls"
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class CheckOptions:
    """What ``isms check`` was asked to do."""

    root: Path
    strict: bool = False
    today: dt.date | None = None


@dataclass
class CheckResult:
    """Findings and coverage of one repository, ready for any reporter."""

    root: Path
    name: str
    strict: bool
    today: dt.date
    documents: int
    findings: list[Finding]
    coverage: dict[str, Coverage] = field(default_factory=dict)

    def count(self, level: Level) -> int:
        return sum(1 for finding in self.findings if finding.level == level)

    @property
    def failing(self) -> list[Finding]:
        """Findings at the failing level: errors, and warnings too under ``--strict``."""
        return [f for f in self.findings if f.level == "error" or self.strict]

    @property
    def passed(self) -> bool:
        return not self.failing

    @property
    def exit_code(self) -> int:
        return EXIT_PASSED if self.passed else EXIT_FINDINGS


def execute(options: CheckOptions) -> CheckResult:
    """Load the repository at ``options.root`` and check it."""
    repository = load_repository(options.root)
    catalogs = repository_catalogs(repository)
    return run_check(repository, catalogs, strict=options.strict, today=options.today)


def repository_catalogs(repository: Repository) -> dict[str, Catalog]:
    """The built-in catalogs plus the repository's own in ``controls/`` (problems become findings)."""
    catalogs = dict(load_catalogs())
    folder = repository.root / LOCAL_CATALOGS
    if not folder.is_dir():
        return catalogs
    for path in sorted(folder.glob("*.yml")):
        rel = path.relative_to(repository.root).as_posix()
        try:
            catalog = load_catalog(path)
        except CatalogError as exc:
            repository.findings.append(Finding(rel, exc.line, "catalog-invalid", "error", exc.message))
            catalog_id = exc.catalog_id
            if catalog_id and catalog_id not in catalogs:  # known but unusable: no cascade of unknown-control
                catalogs[catalog_id] = Catalog(catalog_id, catalog_id, "invalid", "", "", {}, (), {})
            continue
        if catalog.id in catalogs:
            message = f"catalog id {catalog.id} is already used by another catalog; choose another id"
            repository.findings.append(Finding(rel, 1, "catalog-invalid", "error", message, "id"))
            continue
        catalogs[catalog.id] = catalog
    return catalogs


def run_check(
    repository: Repository,
    catalogs: dict[str, Catalog],
    *,
    strict: bool = False,
    today: dt.date | None = None,
) -> CheckResult:
    """Every check over an already loaded repository. Pure: reads nothing from disk but link targets."""
    today = today or dt.date.today()
    findings = list(repository.findings)
    in_scope = _frameworks(repository, catalogs, findings)
    findings += _duplicate_ids(repository.documents)
    findings += _unknown_references(repository, catalogs)
    findings += _soa_decisions(repository, catalogs)
    findings += _soa_completeness(repository, catalogs, in_scope)
    coverage = {
        catalog_id: compute_coverage(repository, catalogs[catalog_id], today) for catalog_id in in_scope
    }
    findings += _coverage_findings(repository, coverage, catalogs)
    for document in repository.documents:
        findings += _lifecycle(document, repository.review_cycle_months, today)
        findings += _placeholders(document)
        findings += _broken_links(document)
    return CheckResult(
        root=repository.root,
        name=repository.name,
        strict=strict,
        today=today,
        documents=len(repository.documents),
        findings=sorted(set(findings), key=Finding.sort_key),
        coverage=coverage,
    )


def in_scope_catalogs(repository: Repository, catalogs: dict[str, Catalog]) -> list[str]:
    """Ids of the usable catalogs in scope: the known frameworks of isms.yml and their companions."""
    known = [name for name in repository.frameworks if name in catalogs]
    return [
        catalog_id
        for catalog_id in scope_catalogs(known, catalogs)
        if catalog_id in catalogs and catalogs[catalog_id].kind != "invalid"
    ]


def _frameworks(repository: Repository, catalogs: dict[str, Catalog], findings: list[Finding]) -> list[str]:
    for index, name in enumerate(repository.frameworks):
        if name not in catalogs:
            line = locate(repository.config_text, ["frameworks", index])
            message = f"unknown control catalog {name!r}; known: {', '.join(catalogs)}"
            findings.append(
                Finding(CONFIG_FILE, line, "unknown-catalog", "error", message, f"frameworks[{index}]")
            )
    return in_scope_catalogs(repository, catalogs)


def _front_matter_line(document: Document, path: list[str | int]) -> int:
    return locate(document.front_matter, path) + 1


def _duplicate_ids(documents: list[Document]) -> Iterable[Finding]:
    first: dict[str, Document] = {}
    for document in documents:
        doc_id = document.meta.get("id")
        if not isinstance(doc_id, str):
            continue
        if doc_id in first:
            line = _front_matter_line(document, ["id"])
            message = f"duplicate document id {doc_id}: also used by {first[doc_id].rel}"
            yield Finding(document.rel, line, "duplicate-id", "error", message, "id")
        else:
            first[doc_id] = document


def resolve(ref: str, catalogs: dict[str, Catalog]) -> str | None:
    """None when ``ref`` names a known control, else a plain reason why it does not."""
    catalog_id, _, control_id = ref.partition(":")
    catalog = catalogs.get(catalog_id)
    if catalog_id == "iso27001-2013":
        return (
            f"{ref} is an ISO/IEC 27001:2013 id; cite the 2022 control instead "
            f"(see 'isms controls --from-2013 {control_id}' and 'isms controls transition')"
        )
    if catalog is None:
        return f"unknown control {ref}: no catalog {catalog_id!r} (known: {', '.join(catalogs)})"
    if catalog.get(control_id) is not None or catalog.kind == "invalid":
        return None
    hint = ""
    if catalog_id.startswith("iso27001-2022") and control_id.count(".") >= 3:
        hint = f"; this looks like a 2013 id, see 'isms controls --from-2013 {control_id}'"
    else:
        import difflib  # noqa: PLC0415 - only when a reference is wrong

        close = difflib.get_close_matches(control_id, list(catalog.controls), n=1)
        hint = f"; did you mean {catalog_id}:{close[0]}?" if close else ""
    return f"unknown control {ref}: {catalog_id} has no control {control_id!r}{hint}"


def _unknown_references(repository: Repository, catalogs: dict[str, Catalog]) -> Iterable[Finding]:
    for document in repository.documents:
        for index, ref in enumerate(document.controls):
            if ":" not in ref:
                continue  # the schema pattern already reported it
            reason = resolve(ref, catalogs)
            if reason is not None:
                line = _front_matter_line(document, ["controls", index])
                yield Finding(document.rel, line, "unknown-control", "error", reason, f"controls[{index}]")


def _soa_decisions(repository: Repository, catalogs: dict[str, Catalog]) -> Iterable[Finding]:
    text = repository.soa_text or ""
    for ref, entry in repository.soa.items():
        reason = resolve(ref, catalogs) if ":" in ref else None
        if reason is not None:
            yield Finding(
                SOA_FILE,
                locate(text, ["controls", ref]),
                "unknown-control",
                "error",
                reason,
                f"controls.{ref}",
            )
            continue
        if not entry.applicable and not (entry.justification or "").strip():
            line = locate(text, ["controls", ref])
            message = f"{ref} is excluded without a justification; say why it does not apply"
            yield Finding(
                SOA_FILE, line, "exclusion-unjustified", "error", message, f"controls.{ref}.justification"
            )


@dataclass(frozen=True)
class ReferenceIndex:
    """Which documents name each control: those in force, and the rest (drafts, not yet effective)."""

    in_force: dict[str, list[str]]
    pending: dict[str, list[str]]


def reference_index(repository: Repository, today: dt.date) -> ReferenceIndex:
    """Index every valid, non-retired document's control references (once per check)."""
    in_force: dict[str, list[str]] = {}
    pending: dict[str, list[str]] = {}
    for document in repository.documents:
        if not document.valid or document.status == "retired":
            continue
        target = in_force if document.in_force(today) else pending
        for ref in document.controls:
            target.setdefault(ref, []).append(document.id)
    return ReferenceIndex(in_force, pending)


def _soa_completeness(
    repository: Repository, catalogs: dict[str, Catalog], in_scope: list[str]
) -> Iterable[Finding]:
    """An applicable control needs an implementation status and a reason for its inclusion in soa.yml."""
    if repository.soa_text is None:
        return  # no soa.yml at all: the Statement of Applicability item reports it once
    for catalog_id in in_scope:
        if catalogs[catalog_id].kind != "controls":
            continue
        for control in catalogs[catalog_id]:
            entry = repository.soa.get(control.ref)
            if entry is not None and not entry.applicable:
                continue
            missing = []
            if entry is None or not entry.status:
                missing.append("an implementation status")
            if entry is None or not (entry.justification or "").strip():
                missing.append("a justification for including it")
            if missing:
                line = locate(repository.soa_text, ["controls", control.ref]) if entry is not None else None
                message = f"{control.ref} is applicable but {SOA_FILE} gives no {' or '.join(missing)}"
                yield Finding(SOA_FILE, line, "soa-incomplete", "warning", message, f"controls.{control.ref}")


def compute_coverage(
    repository: Repository, catalog: Catalog, today: dt.date, index: ReferenceIndex | None = None
) -> Coverage:
    """Each control's state: covered (an approved document in force), drafted, excluded or missing."""
    index = index or reference_index(repository, today)
    in_force, pending = index.in_force, index.pending
    states: dict[str, CoverageState] = {}
    documents: dict[str, list[str]] = {}
    for control in catalog:
        ref = control.ref
        documents[control.id] = sorted({*in_force.get(ref, []), *pending.get(ref, [])})
        entry = repository.soa.get(ref)
        if entry is not None and not entry.applicable:
            states[control.id] = "excluded"
        elif ref in in_force or (control.satisfied_by == "soa" and repository.soa_valid):
            states[control.id] = "covered"
        elif ref in pending:
            states[control.id] = "drafted"
        else:
            states[control.id] = "missing"
    return Coverage(catalog.id, catalog.title, states, documents)


# `catalog:control` as written in front matter, found in text that may not parse as YAML. Bounded and
# anchored at a word start, so a long run of letters costs linear time, not quadratic.
REFERENCE_LIKE = re.compile(r"(?<![a-z0-9])[a-z0-9][a-z0-9-]{0,63}:[A-Za-z0-9][A-Za-z0-9.]{0,63}")


def _coverage_findings(
    repository: Repository, coverage: dict[str, Coverage], catalogs: dict[str, Catalog]
) -> Iterable[Finding]:
    first_reference: dict[str, tuple[Document, int]] = {}
    # Controls cited by a document with errors: that document's own findings already fail the check,
    # and one typo there must not also come back as a control-missing error per control it cites.
    cited_by_broken: set[str] = set()
    for document in repository.documents:
        for index, ref in enumerate(document.controls):
            first_reference.setdefault(ref, (document, index))
        if not document.valid:
            # Its YAML may not even parse: take whatever looks like a control reference in its text.
            cited_by_broken.update(document.controls, REFERENCE_LIKE.findall(document.front_matter or ""))
    frameworks_line = locate(repository.config_text, ["frameworks"]) if repository.config_text else None
    for catalog_id, result in coverage.items():
        catalog = catalogs[catalog_id]
        for control_id, state in result.states.items():
            control = catalog.controls[control_id]
            if state == "missing":
                if control.ref in cited_by_broken or control.id in cited_by_broken:
                    continue
                if control.satisfied_by == "soa":
                    message = f"{control.ref} ({control.title}): {SOA_FILE} is missing or invalid"
                    yield Finding(SOA_FILE, None, "control-missing", "error", message)
                    continue
                message = f"{control.ref} ({control.title}) is applicable but no document addresses it"
                yield Finding(CONFIG_FILE, frameworks_line, "control-missing", "error", message, "frameworks")
            elif state == "drafted":
                document, index = first_reference[control.ref]
                line = _front_matter_line(document, ["controls", index])
                message = f"{control.ref} ({control.title}) is addressed only by documents not yet in force"
                yield Finding(document.rel, line, "control-drafted", "warning", message, f"controls[{index}]")


def _lifecycle(document: Document, default_cycle: int, today: dt.date) -> Iterable[Finding]:
    if not document.valid or document.status != "approved":
        return
    for key, what in (("approver", "approver"), ("approved_on", "approval date")):
        if not document.meta.get(key):
            line = _front_matter_line(document, [key] if key in document.meta else ["status"])
            message = f"approved document has no {what}; record who approved it and when"
            yield Finding(document.rel, line, "approval-incomplete", "error", message, key)
    due = document.next_review(default_cycle)
    if due is not None and due < today:
        key = "next_review" if document.meta.get("next_review") else "approved_on"
        line = _front_matter_line(document, [key])
        days = (today - due).days
        message = f"review overdue since {due.isoformat()} ({days} days); review it and record the approval"
        yield Finding(document.rel, line, "review-overdue", "warning", message, key)


def _line_of(document: Document, offset_in_body: int) -> int:
    return document.body_line + document.body.count("\n", 0, offset_in_body)


def _has_placeholder_hint(text: str) -> bool:
    """A cheap pre-check for :data:`PLACEHOLDER` (most documents have none)."""
    return "{{" in text or "{%" in text or "TBD" in text or "[Company Name]" in text or "Lorem ipsum" in text


def _placeholders(document: Document) -> Iterable[Finding]:
    if not (_has_placeholder_hint(document.front_matter) or _has_placeholder_hint(document.body)):
        return
    level: Level = "error" if document.status == "approved" else "warning"
    # Front matter starts on line 2 of the file; the body on document.body_line.
    for text, first_line in ((document.front_matter, 2), (document.body, document.body_line)):
        for match in PLACEHOLDER.finditer(text):
            line = first_line + text.count("\n", 0, match.start())
            message = f"template placeholder {match.group(0)!r} left in the text"
            yield Finding(document.rel, line, "placeholder", level, message)


def _code_spans(body: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks, where links are not links."""
    spans = []
    start = None
    offset = 0
    for line in body.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            if start is None:
                start = offset
            else:
                spans.append((start, offset + len(line)))
                start = None
        offset += len(line)
    if start is not None:
        spans.append((start, len(body)))
    return spans


def _broken_links(document: Document) -> Iterable[Finding]:
    if "](" not in document.body:
        return
    from urllib.parse import unquote  # noqa: PLC0415 - only for documents with links

    spans = _code_spans(document.body) if "```" in document.body or "~~~" in document.body else []
    folder = document.path.parent
    for match in LINK.finditer(document.body):
        target = match.group(1)
        if target.startswith(("#", "/")) or SCHEME.match(target):
            continue
        if any(start <= match.start() < end for start, end in spans):
            continue
        path_part = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path_part or (folder / path_part).exists():
            continue
        line = _line_of(document, match.start())
        yield Finding(
            document.rel,
            line,
            "broken-link",
            "error",
            f"link to {target} points to a file that does not exist",
        )
