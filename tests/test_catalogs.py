"""The built-in catalogs: valid, unique, complete, and true to the reference facts."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from tests.conftest import FIXTURES
from toolkit.catalogs import load_catalog, load_catalogs, load_crosswalk
from toolkit.resources import controls_dir

REFERENCE = FIXTURES / "reference"


def reference_rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("path", sorted(controls_dir().rglob("*.yml")), ids=lambda p: p.name)
def test_each_file_loads_and_validates(path) -> None:
    if path.parent.name == "crosswalks":
        assert load_crosswalk(path.stem).mappings
    else:
        catalog = load_catalog(path)
        assert len(catalog) == len({control.id for control in catalog})
        assert all(control.theme in catalog.themes for control in catalog)
        assert all(len(control.summary.split()) >= 8 for control in catalog)


def test_annex_a_has_93_controls_by_theme() -> None:
    annex = load_catalogs()["iso27001-2022"]
    assert len(annex) == 93
    assert Counter(control.theme for control in annex) == {
        "organizational": 37,
        "people": 8,
        "physical": 14,
        "technological": 34,
    }


def test_annex_a_titles_match_the_reference() -> None:
    annex = load_catalogs()["iso27001-2022"]
    expected = {f"A.{row['id']}": row["title"] for row in reference_rows("iso27001-2022-annex-a.csv")}
    assert {control.id: control.title for control in annex} == expected
    assert list(annex.controls) == list(expected), "catalog order follows the standard"


def test_summaries_are_our_own_words_not_titles() -> None:
    for control in load_catalogs()["iso27001-2022"]:
        assert control.summary.lower() != control.title.lower()
        assert control.summary.endswith(".")


# Rows of the reference list that are not a document of their own: 6.1.3 e)-f) are records of the
# treatment process (item 6.1.3).
NOT_SEPARATE_ITEMS = {"6.1.3 e)-f)"}


# The catalog lists the audit programme and review results under their clauses, 9.2 and 9.3, and the
# documented information the organisation decides it needs (7.5.1 b) as item 7.5: the procedure that
# controls it.
SUBCLAUSES = {"9.2.2": "9.2", "9.3.3": "9.3", "7.5.1": "7.5"}


def clause_item(reference: str) -> str:
    """``6.1.3 d)`` -> ``6.1.3.d`` (the SoA), ``7.2 d)`` -> ``7.2``, ``9.2.2`` -> ``9.2``, ``7.5.1 b)`` ->
    ``7.5``."""
    number, _, letter = reference.partition(" ")
    if number == "6.1.3" and letter:
        return f"{number}.{letter.rstrip(')')}"
    return SUBCLAUSES.get(number, number)


def test_clauses_catalog_holds_the_mandatory_documents() -> None:
    clauses = load_catalogs()["iso27001-2022-clauses"]
    with (REFERENCE / "iso27001-2022-mandatory-documents.csv").open(encoding="utf-8", newline="") as f:
        rows = [row["clause"] for row in csv.DictReader(f) if row["clause"] not in NOT_SEPARATE_ITEMS]
    expected = list(dict.fromkeys(clause_item(clause) for clause in rows))
    assert list(clauses.controls) == expected
    assert clauses.get("6.1.3.d").satisfied_by == "soa"
    assert load_catalogs()["iso27001-2022"].companions == ("iso27001-2022-clauses",)


def test_crosswalk_covers_every_2013_control() -> None:
    crosswalk = load_crosswalk("iso27001-2013-to-2022")
    rows = reference_rows("iso27001-2013-to-2022.csv")
    assert set(crosswalk.mappings) == {row["iso27001_2013_id"] for row in rows if row["iso27001_2013_id"]}
    assert len(crosswalk.mappings) == 114
    annex = load_catalogs()["iso27001-2022"]
    assert all(annex.get(target) for targets in crosswalk.mappings.values() for target in targets)
    assert crosswalk.mappings["A.11.2.9"] == ("A.7.7",)
    assert crosswalk.mappings["A.18.2.3"] == ("A.8.8", "A.5.36")
    assert len(crosswalk.new_in_target) == 11
