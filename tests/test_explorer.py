"""The visual explorer, end to end: a real uvicorn over the seeded Neo4j, driven through Playwright
in Debian's headless Chromium (/usr/bin/chromium; never a downloaded browser).

Needs the built explorer (`make explorer`) and Chromium (`scripts/system-deps.sh --browser`).
Screenshots and exports land in test-artifacts/.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect, sync_playwright

from .live_server import serving

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "explorer" / "dist" / "index.html"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CHIEF_EXECUTIVE = "chief-executive-cheltenham-borough-council"
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not BUILT.exists():
        pytest.fail("The explorer is not built (explorer/dist/index.html is missing): "
                    "run `make explorer` (npm ci and npm run build in explorer/), then test again.")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `scripts/system-deps.sh --browser` "
                    "(apt-get install chromium), then test again.")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(seeded: Driver, database: str | None) -> Iterator[str]:
    with serving(seeded, database) as url:
        yield url


class Explorer:
    """A page of the explorer, collecting console errors and uncaught exceptions."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def open(self, query: str = "") -> Explorer:
        self.page.goto(f"{self.base}/{query}")
        self.page.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
        return self

    def settle(self) -> None:
        """Waits until no request or layout is running."""
        self.page.wait_for_function("document.body.dataset.busy !== 'true'", timeout=TIMEOUT_MS)

    def js(self, expression: str) -> Any:
        return self.page.evaluate(expression)

    def drawn(self, node_id: str) -> bool:
        return bool(self.js(f"window.__pkb.cy.getElementById({json.dumps(node_id)}).nonempty()"))

    def screenshot(self, name: str) -> Path:
        path = ARTIFACTS / f"explorer-{name}.png"
        self.page.screenshot(path=path)
        return path


@pytest.fixture
def explorer(browser: Browser, site: str) -> Iterator[Explorer]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield Explorer(context.new_page(), site)
    finally:
        context.close()


def test_page_loads_with_search_focused_and_no_errors(explorer: Explorer) -> None:
    explorer.open()
    page = explorer.page
    expect(page).to_have_title("Partnership KB explorer")
    expect(page.locator("#search")).to_be_focused()
    expect(page.locator("#legend-nodes")).to_contain_text("Partnership")
    expect(page.locator("#welcome")).to_be_visible()
    expect(page.locator("#interlocks li").first).to_be_visible()
    expect(page.locator("#error")).to_be_hidden()
    explorer.screenshot("start")
    assert explorer.errors == []


def test_search_outcome_3_4_shows_its_deliverers(explorer: Explorer) -> None:
    page = explorer.open().page
    search = page.locator("#search")
    search.press_sequentially("Outcome 3.4", delay=20)
    option = page.locator("#search-results [role=option]").first
    expect(option).to_contain_text("Outcome 3.4")
    search.press("Enter")
    details = page.locator("#details")
    expect(details.locator("h2")).to_contain_text("Outcome 3.4")
    expect(details).to_contain_text("Delivered by")
    expect(details).to_contain_text("Health Trainers")
    explorer.settle()
    assert explorer.drawn("gloucester-scs-outcome-3-4")
    assert explorer.drawn("gloucester-health-trainers")
    assert "focus=gloucester-scs-outcome-3-4" in page.url
    explorer.screenshot("outcome-3-4")
    assert explorer.errors == []


def test_chief_executive_of_cheltenham_shows_its_boards(explorer: Explorer) -> None:
    page = explorer.open(f"?focus={CHIEF_EXECUTIVE}").page
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Chief Executive, Cheltenham Borough Council")
    expect(details).to_contain_text("Boards sat on (3)")
    expect(details).to_contain_text("Strategic Leadership Group")
    expect(details).to_contain_text("Community Strategy Executive Board")
    expect(details).to_contain_text("Interlock: sits on 3 boards")
    expect(details).to_contain_text("cheltenham-structures-2011")  # says who
    explorer.settle()
    assert explorer.drawn("strategic-leadership-group")
    assert explorer.js(f"window.__pkb.cy.getElementById('{CHIEF_EXECUTIVE}').hasClass('interlock')")
    explorer.screenshot("chief-executive")

    # Follow the post onto one of its boards: the board lists it among its members.
    details.get_by_role("link", name="Strategic Leadership Group").first.click()
    expect(details.locator("h2")).to_have_text("Strategic Leadership Group")
    expect(details).to_contain_text("Chief Executive, Cheltenham Borough Council")
    explorer.settle()
    explorer.screenshot("strategic-leadership-group")

    # Filters by type: hiding posts hides the chief executive.
    page.locator("#legend-nodes input[data-label=Post]").uncheck()
    assert explorer.js(f"window.__pkb.cy.getElementById('{CHIEF_EXECUTIVE}').hasClass('filtered')")
    assert "hide=Post" in page.url
    page.locator("#legend-edges input[data-type=COVERS]").uncheck()
    assert "hideRel=COVERS" in page.url
    explorer.settle()
    expect(page.locator("#error")).to_be_hidden()
    explorer.screenshot("filtered")
    assert explorer.errors == []


def test_export_png_graphml_and_json(explorer: Explorer) -> None:
    page = explorer.open("?focus=gloucestershire-conference").page
    explorer.settle()
    drawn = explorer.js("window.__pkb.cy.nodes().length")
    assert drawn > 1
    with page.expect_download() as download:
        page.locator("#export-png").click()
    png = ARTIFACTS / "explorer-export.png"
    download.value.save_as(png)
    assert download.value.suggested_filename.endswith(".png")
    content = png.read_bytes()
    assert content.startswith(PNG_MAGIC) and len(content) > 2_000

    with page.expect_download() as download:
        page.locator("#export-graphml").click()
    graphml = ARTIFACTS / "explorer-export.graphml"
    download.value.save_as(graphml)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    tree = ET.parse(graphml)
    assert len(tree.findall(".//g:node", ns)) == drawn
    assert tree.find(".//g:node[@id='gloucestershire-conference']", ns) is not None

    with page.expect_download() as download:
        page.locator("#export-json").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert len(exported["nodes"]) == drawn
    assert {"id", "type", "source", "target"} <= set(exported["edges"][0])
    assert explorer.errors == []


def test_path_between_two_nodes_and_the_url_reproduces_the_view(explorer: Explorer) -> None:
    page = explorer.open(f"?path={CHIEF_EXECUTIVE}~gloucestershire-conference").page
    expect(page.locator("#path-bar")).to_contain_text("Path: Chief Executive, Cheltenham")
    explorer.settle()
    on_path = explorer.js("window.__pkb.cy.nodes('.on-path').map(n => n.id())")
    assert CHIEF_EXECUTIVE in on_path and "gloucestershire-conference" in on_path
    explorer.screenshot("path")

    # Open another node, then load the URL afresh: the same view comes back.
    page.locator("#layout").select_option("force")
    explorer.settle()
    shared = page.url
    before = sorted(explorer.js("window.__pkb.cy.nodes().map(n => n.id())"))
    assert "layout=force" in shared
    explorer.open(shared.removeprefix(explorer.base + "/"))
    explorer.settle()
    assert sorted(explorer.js("window.__pkb.cy.nodes().map(n => n.id())")) == before
    assert page.locator("#layout").input_value() == "force"
    assert explorer.errors == []


def test_path_from_the_detail_panel(explorer: Explorer) -> None:
    page = explorer.open("?focus=gloucestershire-conference").page
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Gloucestershire Conference")
    details.get_by_role("button", name="Path from here").click()
    page.locator("#search").press_sequentially("Chief Executive Cheltenham", delay=20)
    expect(page.locator("#search-results [role=option]").first).to_contain_text("Cheltenham")
    page.locator("#search").press("Enter")
    expect(details.locator("h2")).to_have_text("Chief Executive, Cheltenham Borough Council")
    details.get_by_role("button", name="Path from Gloucestershire Conference to here").click()
    expect(page.locator("#path-bar")).to_contain_text(
        "Path: Gloucestershire Conference → Chief Executive, Cheltenham Borough Council")
    assert f"path=gloucestershire-conference~{CHIEF_EXECUTIVE}" in page.url
    explorer.settle()
    assert explorer.errors == []


def test_as_of_date_is_kept_in_the_url_and_filters_boards(explorer: Explorer) -> None:
    page = explorer.open(f"?focus={CHIEF_EXECUTIVE}").page
    expect(page.locator("#details")).to_contain_text("Boards sat on (3)")
    page.locator("#as-of").fill("2009-01-01")
    page.locator("#as-of").dispatch_event("change")
    expect(page.locator("#details")).to_contain_text("as of 2009-01-01")
    assert "asOf=2009-01-01" in page.url
    explorer.settle()
    assert explorer.errors == []


def test_a_slow_api_shows_the_loading_indicator(explorer: Explorer) -> None:
    page = explorer.page
    page.add_init_script("""(() => {
        const fetched = window.fetch.bind(window);
        const pause = () => new Promise(r => setTimeout(r, 1500));
        window.fetch = (...args) => pause().then(() => fetched(...args));
    })()""")
    page.goto(f"{explorer.base}/?focus={CHIEF_EXECUTIVE}")
    loading = page.locator("#loading")
    expect(loading).to_be_visible()
    expect(loading).to_have_attribute("role", "status")
    explorer.screenshot("loading")
    expect(page.locator("#details h2")).to_have_text("Chief Executive, Cheltenham Borough Council")
    expect(loading).to_be_hidden()
    assert explorer.errors == []


def test_a_failing_api_shows_a_visible_error(explorer: Explorer) -> None:
    page = explorer.page

    def fail(route: Route) -> None:
        route.fulfill(status=500, content_type="text/plain", body="Internal Server Error")

    page.route("**/graphql", fail)
    explorer.open()
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("HTTP 500")
    expect(error).to_have_attribute("role", "alert")
    explorer.screenshot("api-error")

    # The API comes back: the error can be dismissed and search works again; then it goes away.
    page.unroute("**/graphql")
    page.locator("#error-close").click()
    expect(error).to_be_hidden()
    page.route("**/graphql", lambda route: route.abort())
    page.locator("#search").press_sequentially("Outcome", delay=20)
    expect(error).to_be_visible()
    expect(error).to_contain_text("did not answer")

