"""A handbook of any size: each page's navigation stays the same size, whatever the number of documents."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli
from toolkit.handbook.navtree import bounded

FILLER = "Staff lock their screens when they leave the desk and report a lost badge within one hour.\n\n"


def add_documents(repo: Path, count: int, area: str = "IT operations") -> None:
    """Add ``count`` draft procedures in one area (the shape that puts the most links on one page)."""
    for index in range(count):
        front = (
            f"---\nid: POL-EXTRA-{index:04d}\ntitle: Extra Procedure {index:04d}\ntype: procedure\n"
            f"area: {area}\nstatus: draft\nversion: 0.1.0\nowner: Head of IT\ncontrols:\n"
            "  - iso27001-2022:A.8.1\n---\n"
        )
        body = f"\n# Extra Procedure {index:04d}\n\n## Steps\n\n" + FILLER * 3
        (repo / "policies" / f"extra-{index:04d}.md").write_text(front + body, encoding="utf-8")


def build(tmp_path: Path, extra: int) -> Path:
    repo = tmp_path / f"company-{extra}"
    scaffold.render({}, repo)
    add_documents(repo, extra)
    site = tmp_path / f"site-{extra}"
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    return site


def test_a_page_does_not_grow_with_the_number_of_documents(tmp_path: Path) -> None:
    """Four times the documents in the page's own area: the page stays the same size (within 5 %).

    Fails without Material's ``navigation.prune`` in the generated mkdocs.yml (every page would carry
    every link) and without the grouping of long lists (the open section would list every document)."""
    small, large = build(tmp_path, 40), build(tmp_path, 160)
    for page in ("extra-0000.html", "extra-0039.html"):
        small_size = (small / page).stat().st_size
        large_size = (large / page).stat().st_size
        assert large_size <= small_size * 1.05, (page, small_size, large_size)
    shown = [
        " ".join(title.split())
        for title in re.findall(r'md-ellipsis">(.*?)</span>', (large / "extra-0100.html").read_text(), re.S)
    ]
    # The page's own group is open (its neighbours are listed); far-away documents show as group names.
    assert "Extra Procedure 0101" in shown and "Extra Procedure 0150" not in shown, shown
    # The home page lists a few documents of each area once the handbook is large: it does not grow.
    small_home, large_home = (site / "index.html" for site in (small, large))
    assert large_home.stat().st_size <= small_home.stat().st_size * 1.05
    home = large_home.read_text(encoding="utf-8")
    assert "Extra Procedure 0009" in home and "Extra Procedure 0150" not in home
    assert re.search(r"and \d+ more: see Procedures, IT operations in the navigation", home)
    groups = [title for title in shown if "\N{EN DASH}" in title]
    assert groups and all(title.count("\N{EN DASH}") == 1 for title in groups), shown


def leaves(nav: list[Any]) -> list[Any]:
    out: list[Any] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        out += leaves(value) if isinstance(value, list) else [entry]
    return out


def longest_list(nav: list[Any]) -> int:
    longest = len(nav)
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) else None
        if isinstance(value, list):
            longest = max(longest, longest_list(value))
    return longest


def test_a_short_navigation_is_left_as_it_is() -> None:
    nav = [{"Home": "index.md"}, {"People": [{f"Policy {i}": f"p{i}.md"} for i in range(20)]}]
    assert bounded(nav) == nav


@pytest.mark.parametrize("count", [21, 120, 5000])
def test_long_lists_become_named_groups_keeping_every_page_in_order(count: int) -> None:
    pages = [{f"Policy {i:04d}": f"p{i:04d}.md"} for i in range(count)]
    nav = bounded([{"Home": "index.md"}, {"IT operations": pages}])
    assert leaves(nav) == [{"Home": "index.md"}, *pages]
    assert longest_list(nav) <= 20
    groups = nav[1]["IT operations"]
    assert 2 <= len(groups) <= 6
    first_group = next(iter(groups[0]))
    assert first_group.startswith("Policy 0000 \N{EN DASH} Policy ")


def test_group_names_are_short_and_escaped_and_an_index_page_stays_first() -> None:
    pages = [
        {html.escape(f"R&D <lab> rule number {i:02d} for the night shift"): f"r{i}.md"} for i in range(30)
    ]
    nav = bounded([{"index.md": "section/index.md"}, *pages])
    assert nav[0] == {"index.md": "section/index.md"}
    names = [next(iter(entry)) for entry in nav[1:]]
    assert all("<" not in name and "&amp;" in name for name in names), names
    assert all(len(html.unescape(name)) <= 2 * 29 + 3 for name in names), names


def test_bounded_refuses_limits_that_cannot_shrink_a_list() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        bounded([], limit=1)


@pytest.mark.parametrize("terminal", [True, False])
def test_build_shows_pages_written_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, terminal: bool
) -> None:
    from toolkit.cli import check  # noqa: PLC0415

    monkeypatch.setattr(check, "_terminal", lambda: terminal)
    repo = tmp_path / "company"
    scaffold.render({}, repo)
    site = tmp_path / "site"
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    # Every page MkDocs writes; the print page is put together after them, the 404 page apart.
    pages = len([page for page in site.rglob("*.html") if page.name not in ("print_page.html", "404.html")])
    counts = re.findall(r"Writing pages.*?(\d+)/(\d+)", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stderr))
    if terminal:
        assert counts and counts[-1] == (str(pages), str(pages)), (counts, pages)
    else:
        assert counts == [] and "\x1b[" not in result.stderr
