"""The ISO 9001, ISO/IEC 20000-1 and ISO/IEC 27701 catalogs and their crosswalks, against reference lists.

The lists below are typed from the standards' public structure (tables of contents and the public
descriptions of ISO/IEC 27701:2025 Annex A cited in each catalog file), not generated from the catalogs.
"""

from __future__ import annotations

import re

import pytest

from toolkit.catalogs import load_catalogs, load_crosswalk

ISO9001_2015 = [
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3",
    "6.1", "6.2", "6.3",
    "7.1", "7.2", "7.3", "7.4", "7.5",
    "8.1", "8.2", "8.3", "8.4", "8.5", "8.6", "8.7",
    "9.1", "9.2", "9.3",
    "10.1", "10.2", "10.3",
]  # fmt: skip

ISO20000_1_2018 = [
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3",
    "6.1", "6.2", "6.3",
    "7.1", "7.2", "7.3", "7.4", "7.5", "7.6",
    "8.1",
    "8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.2.5", "8.2.6",
    "8.3.2", "8.3.3", "8.3.4",
    "8.4.1", "8.4.2", "8.4.3",
    "8.5.1", "8.5.2", "8.5.3",
    "8.6.1", "8.6.2", "8.6.3",
    "8.7.1", "8.7.2", "8.7.3",
    "9.1", "9.2", "9.3", "9.4",
    "10.1", "10.2",
]  # fmt: skip

ISO27701_2025_CLAUSES = [
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3",
    "6.1.1", "6.1.2", "6.1.3", "6.2", "6.3",
    "7.1", "7.2", "7.3", "7.4", "7.5",
    "8.1", "8.2", "8.3",
    "9.1", "9.2", "9.3",
    "10.1", "10.2",
]  # fmt: skip

# Annex A: in every objective .1 is the objective itself; its controls run from .2 (public structure:
# Table A.1 31 controls in four objectives of 8, 10, 9 and 4; Table A.2 18 in objectives of 6, 1, 3
# and 8; Table A.3 29 controls numbered A.3.3 to A.3.31).
ISO27701_2025_ANNEX_A = [
    "A.1.2.2", "A.1.2.3", "A.1.2.4", "A.1.2.5", "A.1.2.6", "A.1.2.7", "A.1.2.8", "A.1.2.9",
    "A.1.3.2", "A.1.3.3", "A.1.3.4", "A.1.3.5", "A.1.3.6", "A.1.3.7", "A.1.3.8", "A.1.3.9", "A.1.3.10",
    "A.1.3.11",
    "A.1.4.2", "A.1.4.3", "A.1.4.4", "A.1.4.5", "A.1.4.6", "A.1.4.7", "A.1.4.8", "A.1.4.9", "A.1.4.10",
    "A.1.5.2", "A.1.5.3", "A.1.5.4", "A.1.5.5",
    "A.2.2.2", "A.2.2.3", "A.2.2.4", "A.2.2.5", "A.2.2.6", "A.2.2.7",
    "A.2.3.2",
    "A.2.4.2", "A.2.4.3", "A.2.4.4",
    "A.2.5.2", "A.2.5.3", "A.2.5.4", "A.2.5.5", "A.2.5.6", "A.2.5.7", "A.2.5.8", "A.2.5.9",
    "A.3.3", "A.3.4", "A.3.5", "A.3.6", "A.3.7", "A.3.8", "A.3.9", "A.3.10", "A.3.11", "A.3.12",
    "A.3.13", "A.3.14", "A.3.15", "A.3.16", "A.3.17", "A.3.18", "A.3.19", "A.3.20", "A.3.21",
    "A.3.22", "A.3.23", "A.3.24", "A.3.25", "A.3.26", "A.3.27", "A.3.28", "A.3.29", "A.3.30",
    "A.3.31",
]  # fmt: skip

# A few short titles checked word for word (facts from the public structure).
TITLES = {
    ("iso9001-2015", "8.7"): "Control of nonconforming outputs",
    ("iso9001-2015", "7.5"): "Documented information",
    ("iso20000-1-2018", "8.2.4"): "Service catalogue management",
    ("iso20000-1-2018", "8.6.3"): "Problem management",
    ("iso20000-1-2018", "9.4"): "Service reporting",
    ("iso27701-2025", "A.2.2.5"): "Infringing instruction",
    ("iso27701-2025", "A.1.2.9"): "Records related to processing PII",
    ("iso27701-2025", "A.2.5.8"): "Engagement of a subcontractor to process PII",
    ("iso27701-2025", "A.3.31"): "Test information",
    ("iso27701-2025-clauses", "6.1.2"): "Privacy risk assessment",
}

REFERENCE = {
    "iso9001-2015": ISO9001_2015,
    "iso20000-1-2018": ISO20000_1_2018,
    "iso27701-2025-clauses": ISO27701_2025_CLAUSES,
    "iso27701-2025": ISO27701_2025_ANNEX_A,
}


@pytest.mark.parametrize("catalog_id", sorted(REFERENCE))
def test_catalog_ids_match_the_reference_list_in_order(catalog_id: str) -> None:
    assert list(load_catalogs()[catalog_id].controls) == REFERENCE[catalog_id]


def test_27701_annex_a_has_the_three_tables() -> None:
    annex = load_catalogs()["iso27701-2025"]
    tables = [control.id.split(".")[1] for control in annex]
    assert (tables.count("1"), tables.count("2"), tables.count("3")) == (31, 18, 29)
    assert annex.companions == ("iso27701-2025-clauses",)
    assert annex.kind == "controls"


@pytest.mark.parametrize(("key", "title"), sorted(TITLES.items()))
def test_short_titles(key: tuple[str, str], title: str) -> None:
    catalog_id, control_id = key
    control = load_catalogs()[catalog_id].get(control_id)
    assert control is not None and control.title == title


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


@pytest.mark.parametrize("catalog_id", sorted(REFERENCE))
def test_summaries_are_our_own_words(catalog_id: str) -> None:
    """A summary is a plain sentence of its own, never the title, and shares no long run of words
    with the standard's typical requirement phrasing ("the organization shall ...")."""
    for control in load_catalogs()[catalog_id]:
        assert control.summary.endswith("."), control.id
        assert control.summary.lower().rstrip(".") != control.title.lower(), control.id
        assert "shall" not in words(control.summary), control.id
        assert "the organization" not in control.summary.lower(), control.id


CROSSWALKS = {
    "iso9001-2015-to-iso27001-2022-clauses": {"4.3", "7.2", "9.2", "9.3", "10.2"},
    "iso20000-1-2018-to-iso27001-2022-clauses": {"4.3", "7.2", "9.2", "9.3", "10.1"},
    "iso27701-2025-clauses-to-iso27001-2022-clauses": {"7.2", "9.2", "9.3", "10.2"},
    "iso20000-1-2018-to-iso27001-2022": {
        "8.2.5",
        "8.2.6",
        "8.3.4",
        "8.4.3",
        "8.5.1",
        "8.6.1",
        "8.7.2",
        "8.7.3",
    },
    "iso27701-2025-to-iso27001-2022": {f"A.3.{number}" for number in range(3, 32)},
}


@pytest.mark.parametrize("crosswalk_id", sorted(CROSSWALKS))
def test_crosswalks_link_known_controls_of_both_catalogs(crosswalk_id: str) -> None:
    crosswalk = load_crosswalk(crosswalk_id)
    catalogs = load_catalogs()
    source, target = catalogs[crosswalk.source_catalog], catalogs[crosswalk.target_catalog]
    assert set(crosswalk.mappings) == CROSSWALKS[crosswalk_id]
    for source_id, targets in crosswalk.mappings.items():
        assert source.get(source_id) is not None, source_id
        assert all(target.get(target_id) is not None for target_id in targets), source_id


def test_27701_table_a3_pairs_share_their_short_titles_with_annex_a() -> None:
    crosswalk = load_crosswalk("iso27701-2025-to-iso27001-2022")
    catalogs = load_catalogs()
    for source_id, (target_id,) in crosswalk.mappings.items():
        assert catalogs["iso27701-2025"].controls[source_id].title == (
            catalogs["iso27001-2022"].controls[target_id].title
        )


def test_shared_clauses_pair_the_same_requirement() -> None:
    catalogs = load_catalogs()
    for crosswalk_id in ("iso9001-2015-to-iso27001-2022-clauses", "iso20000-1-2018-to-iso27001-2022-clauses"):
        crosswalk = load_crosswalk(crosswalk_id)
        for source_id, targets in crosswalk.mappings.items():
            source = catalogs[crosswalk.source_catalog].controls[source_id].title.split()[-1]
            assert all(
                source.lower() in catalogs["iso27001-2022-clauses"].controls[t].title.lower()
                or source_id.startswith("4.3")
                for t in targets
            ), source_id
