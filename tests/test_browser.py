"""The handbook in a real browser: headless Chromium (Debian's) driven by Playwright.

Skipped where no Chromium is installed, except in CI (CI=true), where .ci/run installs it and a
missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import scaffold
from toolkit.cli import cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip("Chromium is not installed (.ci/run installs it)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    repo, site = root / "repo", root / "site"
    scaffold.render({}, repo)
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    return site


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM is not None, "CI installs Debian's chromium"
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser context per test: no state carried between tests."""
    context = browser.new_context(viewport=DESK)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """A phone-sized page (390 by 844 CSS pixels, touch)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_home_to_clear_desk_policy(page, site_url: str) -> None:
    page.goto(site_url)
    assert "Policy Handbook" in page.title()
    page.get_by_role("link", name="Clear Desk and Clear Screen Policy").first.click()
    page.wait_for_url("**/clear-desk-and-clear-screen.html")
    assert page.locator("h1").first.inner_text().startswith("Clear Desk and Clear Screen Policy")
    block = page.locator(".isms-document-control")
    assert block.is_visible()
    assert "POL-CLEAR-DESK" in block.inner_text()
    banner = page.locator(".admonition.warning").first
    assert banner.is_visible() and "DRAFT" in banner.inner_text()


def test_search_for_cctv_lands_on_the_cctv_policy(page, site_url: str) -> None:
    # The search index loads in a web worker after the page: wait for the network to settle, then type
    # key by key as a reader does, so the query is run once the index is ready.
    page.goto(site_url, wait_until="networkidle")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("CCTV", delay=50)
    result = page.locator(
        ".md-search-result__article h1", has_text="CCTV and Visitor Management Policy"
    ).first
    result.wait_for(state="visible", timeout=15000)
    result.click()
    page.wait_for_url("**/cctv-and-visitor-management.html**")
    assert "CCTV and Visitor Management Policy" in page.locator("h1").first.inner_text()


def test_open_a_control_entry(page, site_url: str) -> None:
    page.goto(site_url + "clear-desk-and-clear-screen.html")
    control = page.locator(".isms-document-control a", has_text="iso27001-2022:A.7.7")
    assert not control.is_visible(), "the document-control details are folded"
    page.locator(".isms-document-control summary").click()
    control.click()
    page.wait_for_url("**/isms/controls.html#iso27001-2022-a-7-7")
    heading = page.locator("#iso27001-2022-a-7-7")
    assert heading.is_visible()
    assert "Clear desk and clear screen" in heading.inner_text()
    heading.get_by_role("link", name="Clear Desk and Clear Screen Policy").click()
    page.wait_for_url("**/clear-desk-and-clear-screen.html")


def test_screenshot_of_a_policy_page(page, site_url: str, tmp_path: Path) -> None:
    page.goto(site_url + "incident-response.html")
    shot = tmp_path / "incident.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("ISMS_SCREENSHOTS"):
        shutil.copyfile(shot, Path(os.environ["ISMS_SCREENSHOTS"]) / shot.name)


def test_opened_from_disk_links_and_search_work(page, site: Path) -> None:
    """The handbook on an intranet drive or a laptop without internet: file:// addresses throughout."""
    outside: list[str] = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not request.url.startswith("file:") else None,
    )
    page.goto((site / "index.html").as_uri(), wait_until="load")
    assert "Policy Handbook" in page.title()
    page.get_by_role("link", name="Clear Desk and Clear Screen Policy").first.click()
    page.wait_for_url("**/clear-desk-and-clear-screen.html")
    assert page.locator("h1").first.inner_text().startswith("Clear Desk and Clear Screen Policy")
    page.get_by_role("link", name="Information Classification and Handling Policy").first.click()
    page.wait_for_url("**/classification-and-handling.html**")
    # A word only the text of the Clear Desk policy has (not its title or summary).
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("scribble", delay=50)
    result = page.locator(
        ".md-search-result__article h1", has_text="Clear Desk and Clear Screen Policy"
    ).first
    result.wait_for(state="visible", timeout=15000)
    result.click()
    page.wait_for_url("**/clear-desk-and-clear-screen.html**")
    assert page.url.startswith("file://")
    assert outside == [], "nothing is loaded from outside the folder"


def tab_names(page) -> list[str]:
    return [name.strip() for name in page.locator(".md-tabs__link").all_inner_texts()]


def test_every_tab_is_visible_at_1280_pixels(page, site_url: str) -> None:
    page.goto(site_url)
    tabs = page.locator(".md-tabs__link")
    names = tab_names(page)
    assert 1 < len(names) <= 7
    assert names[:2] == ["Home", "Policies"], "what staff follow comes first"
    for index in range(tabs.count()):
        tab = tabs.nth(index)
        box = tab.bounding_box()
        assert tab.is_visible() and box is not None, names[index]
        assert box["x"] >= 0 and box["x"] + box["width"] <= DESK["width"], f"{names[index]} is off screen"
    page.get_by_role("link", name="ISMS reference").first.click()
    page.wait_for_url("**/isms/controls.html")
    assert "Implementation:" in page.locator("article").inner_text()


def test_every_tab_is_reachable_on_a_phone(phone, site_url: str) -> None:
    phone.goto(site_url)
    names = tab_names(phone)
    assert not phone.locator(".md-tabs").is_visible(), "phones show the menu instead of tabs"
    phone.locator("label.md-header__button[for='__drawer']").click()
    drawer = phone.locator("nav.md-nav--primary > ul > li > .md-nav__link")
    drawer.first.wait_for(state="visible")
    shown = [text.strip() for text in drawer.all_inner_texts()]
    for name in names:
        assert name in shown, f"{name} is not in the phone menu"
        assert phone.locator(
            "nav.md-nav--primary > ul > li > .md-nav__link", has_text=name
        ).first.is_visible()


def test_a_policy_first_screen_on_a_phone(phone, site_url: str, tmp_path: Path) -> None:
    """Title, status and what the policy asks of its reader fill the first screen; the document-control
    details are one tap away."""
    phone.goto(site_url + "clear-desk-and-clear-screen.html")

    def on_first_screen(locator) -> bool:
        box = locator.bounding_box()
        return locator.is_visible() and box is not None and box["y"] + box["height"] <= PHONE["height"]

    assert on_first_screen(phone.locator("h1").first)
    assert on_first_screen(phone.locator(".admonition.warning", has_text="DRAFT").first)
    summary = phone.locator(".isms-summary")
    assert on_first_screen(summary)
    assert "Start and end every shift with an empty desk" in summary.inner_text()
    first_heading = phone.locator("article h2").first
    box = first_heading.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], "the text starts on the first screen"
    table = phone.locator(".isms-document-control table")
    assert not table.is_visible()
    phone.locator(".isms-document-control summary").tap()
    table.wait_for(state="visible")
    assert "Facilities and Administration Manager" in table.inner_text()
    shot = tmp_path / "policy-phone.png"
    phone.screenshot(path=str(shot))
    if os.environ.get("ISMS_SCREENSHOTS"):
        shutil.copyfile(shot, Path(os.environ["ISMS_SCREENSHOTS"]) / shot.name)


def test_printing_unfolds_the_document_control_details(page, site_url: str) -> None:
    page.goto(site_url + "clear-desk-and-clear-screen.html")
    table = page.locator(".isms-document-control table")
    assert not table.is_visible()
    page.emulate_media(media="print")
    assert table.is_visible()
