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


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    repo, site = root / "repo", root / "site"
    scaffold.render({}, repo)
    result = CliRunner().invoke(cli, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
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
def browser(site_url: str) -> Iterator[object]:
    assert CHROMIUM is not None, "CI installs Debian's chromium"
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    """A fresh browser context per test: no state carried between tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_home_to_clear_desk_policy(page, site_url: str) -> None:
    page.goto(site_url)
    assert "Policy Handbook" in page.title()
    page.get_by_role("link", name="Clear Desk and Clear Screen Policy").first.click()
    page.wait_for_url("**/clear-desk-and-clear-screen/")
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
    page.wait_for_url("**/cctv-and-visitor-management/**")
    assert "CCTV and Visitor Management Policy" in page.locator("h1").first.inner_text()


def test_open_a_control_entry(page, site_url: str) -> None:
    page.goto(site_url + "clear-desk-and-clear-screen/")
    page.locator(".isms-document-control a", has_text="iso27001-2022:A.7.7").click()
    page.wait_for_url("**/isms/controls/#iso27001-2022-a-7-7")
    heading = page.locator("#iso27001-2022-a-7-7")
    assert heading.is_visible()
    assert "Clear desk and clear screen" in heading.inner_text()
    heading.get_by_role("link", name="Clear Desk and Clear Screen Policy").click()
    page.wait_for_url("**/clear-desk-and-clear-screen/")


def test_screenshot_of_a_policy_page(page, site_url: str, tmp_path: Path) -> None:
    page.goto(site_url + "incident-response/")
    shot = tmp_path / "incident.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    if os.environ.get("ISMS_SCREENSHOTS"):
        shutil.copyfile(shot, Path(os.environ["ISMS_SCREENSHOTS"]) / shot.name)
