"""The visual explorer, end to end: a real uvicorn over the seeded Neo4j, driven through Playwright
in Debian's headless Chromium (/usr/bin/chromium; never a downloaded browser), on a laptop
(1280x800) and a phone (390x844, and 360 px wide). axe-core, an npm dev dependency of the
explorer, is injected into the page to check accessibility.

Needs the built explorer (`make explorer`, which also installs axe-core) and Chromium
(`scripts/system-deps.sh --browser`). Screenshots and exports land in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import json
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .chromium import ARTIFACTS, launched
from .live_server import serving

pytestmark = pytest.mark.e2e
# A loaded machine (the API, Neo4j and Chromium sharing two cores) can take seconds to answer.
expect.set_options(timeout=15_000)

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "explorer" / "dist" / "index.html"
AXE = ROOT / "explorer" / "node_modules" / "axe-core" / "axe.min.js"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CHIEF_EXECUTIVE = "chief-executive-cheltenham-borough-council"
TIMEOUT_MS = 20_000
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not BUILT.exists():
        pytest.fail("The explorer is not built (explorer/dist/index.html is missing): "
                    "run `make explorer` (npm ci and npm run build in explorer/), then test again.")
    with launched() as chromium:
        yield chromium


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

    def still(self) -> None:
        """Waits until nothing runs and the viewport has stopped moving (animations end)."""
        self.settle()
        self.page.wait_for_function("""() => {
            const cy = window.__pkb.cy;
            const now = JSON.stringify([cy.zoom(), cy.pan()]);
            const same = window.__lastViewport === now;
            window.__lastViewport = now;
            return same && !cy.animated() && !cy.nodes().some(n => n.animated());
        }""", polling=200, timeout=TIMEOUT_MS)

    def controls(self) -> None:
        """Unfolds the view options (folded behind a button on a phone)."""
        toggle = self.page.locator("#menu-toggle")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
            toggle.click()

    def point(self, node_id: str) -> tuple[float, float]:
        """Where a node is drawn, in page coordinates."""
        x, y = self.js(f"""(() => {{
            const cy = window.__pkb.cy, n = cy.getElementById({json.dumps(node_id)});
            const box = cy.container().getBoundingClientRect(), p = n.renderedPosition();
            return [box.left + p.x, box.top + p.y];
        }})()""")
        return float(x), float(y)

    def out_of_view(self, selector: str) -> list[str]:
        """Ids of the nodes matching a Cytoscape selector that are NOT inside the canvas."""
        return list(self.js(f"""(() => {{
            const cy = window.__pkb.cy, w = cy.width(), h = cy.height();
            return cy.nodes({json.dumps(selector)}).filter(n => {{
                const b = n.renderedBoundingBox({{includeLabels: false}});
                return b.x1 < 0 || b.y1 < 0 || b.x2 > w || b.y2 > h;
            }}).map(n => n.id());
        }})()"""))

    def axe(self, name: str) -> list[dict[str, Any]]:
        """axe-core's violations on the page as it is now (WCAG 2.x A and AA, best practices)."""
        if not self.js("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(path=str(AXE))
        found = self.js("""axe.run(document, {resultTypes: ['violations']})
            .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))""")
        if found:
            self.screenshot(f"axe-{name}")
        return list(found)


def make_explorer(browser: Browser, site: str, viewport: dict[str, int],
                  phone: bool) -> Iterator[Explorer]:
    context = browser.new_context(viewport=viewport, accept_downloads=True,
                                  is_mobile=phone, has_touch=phone,
                                  device_scale_factor=2 if phone else 1)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield Explorer(context.new_page(), site)
    finally:
        context.close()


@pytest.fixture
def explorer(browser: Browser, site: str) -> Iterator[Explorer]:
    """The explorer on a laptop screen (1280x800)."""
    yield from make_explorer(browser, site, LAPTOP, phone=False)


@pytest.fixture
def phone(browser: Browser, site: str) -> Iterator[Explorer]:
    """The explorer on a phone (390x844, touch)."""
    yield from make_explorer(browser, site, PHONE, phone=True)


@pytest.fixture(params=["laptop", "phone"])
def both(request: pytest.FixtureRequest, browser: Browser, site: str) -> Iterator[Explorer]:
    """The explorer on each screen in turn."""
    if request.param == "laptop":
        yield from make_explorer(browser, site, LAPTOP, phone=False)
    else:
        yield from make_explorer(browser, site, PHONE, phone=True)


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


def test_path_from_the_detail_panel(both: Explorer) -> None:
    explorer = both
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



# ---- Issue 13: phones, shared links, paths, keyboard, labels, view editing, proposed seats ----

SLG = "strategic-leadership-group"
CSEB = "community-strategy-executive-board"


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).bounding_box()
    assert found is not None, f"{selector} is not drawn"
    return dict(found)


@pytest.mark.parametrize("width", [360, 390])
def test_phone_shows_the_graph_and_the_details_together(browser: Browser, site: str,
                                                        width: int) -> None:
    for explorer in make_explorer(browser, site, {"width": width, "height": 844}, phone=True):
        page = explorer.open().page
        # The start: the welcome card sits inside the graph, clear of the details below it.
        graph, welcome = box(page, ".canvas-wrap"), box(page, "#welcome")
        details = box(page, "#details")
        welcome_bottom = welcome["y"] + welcome["height"]
        assert graph["height"] >= 280
        assert welcome["y"] >= graph["y"] and welcome_bottom <= graph["y"] + graph["height"] + 1
        assert welcome_bottom <= details["y"]
        assert explorer.js("document.documentElement.scrollWidth") <= width
        explorer.screenshot(f"phone-{width}-start")

        # Open a board from the welcome card: the graph and the panel both show.
        page.get_by_role("link", name="Gloucestershire Strategic Partnership").first.click()
        expect(page.locator("#details h2")).to_have_text("Gloucestershire Strategic Partnership")
        explorer.still()
        graph = box(page, "#cy")
        assert graph["height"] >= 280 and graph["width"] >= width - 2
        assert graph["y"] < 200  # near the top, not pushed off by the toolbar
        assert explorer.js("window.__pkb.cy.nodes().length") > 1
        assert explorer.out_of_view("node") == []
        expect(page.locator("#welcome")).to_be_hidden()
        title = box(page, "#details h2")
        assert title["y"] + title["height"] <= 844, "the details heading is visible below the graph"
        assert explorer.js("document.documentElement.scrollWidth") <= width

        # The view options fold behind a button.
        expect(page.locator("#layout")).to_be_hidden()
        page.locator("#menu-toggle").click()
        expect(page.locator("#layout")).to_be_visible()
        expect(page.locator("#menu-toggle")).to_have_attribute("aria-expanded", "true")
        explorer.screenshot(f"phone-{width}-open")
        assert explorer.errors == []


def test_a_shared_path_link_draws_the_path_in_view(both: Explorer) -> None:
    page = both.open(
        f"?path={CHIEF_EXECUTIVE}~gloucestershire-conference&focus={CHIEF_EXECUTIVE}").page
    expect(page.locator("#path-bar")).to_contain_text("Path: Chief Executive, Cheltenham")
    both.still()
    on_path = both.js("window.__pkb.cy.nodes('.on-path').map(n => n.id())")
    assert CHIEF_EXECUTIVE in on_path and "gloucestershire-conference" in on_path
    # Every node on the path is on screen without pressing Fit, and not under the path bar.
    assert both.out_of_view(".on-path") == []
    for node in on_path:
        x, y = both.point(node)
        assert both.js(f"document.elementFromPoint({x}, {y}).closest('#cy') !== null"), node
    assert both.js("window.__pkb.cy.zoom()") > 0.3
    both.screenshot("shared-path")
    assert both.errors == []


def test_click_then_shift_click_picks_two_nodes_for_path(explorer: Explorer) -> None:
    page = explorer.open("?focus=gloucestershire-conference").page
    expect(page.locator("#details h2")).to_have_text("Gloucestershire Conference")
    explorer.still()
    path_button = page.locator("#path-selected")
    expect(path_button).to_be_enabled()

    # Path with one node picked says what to do, rather than doing nothing.
    path_button.click()
    expect(page.locator("#notice")).to_contain_text("shift-click a second node")

    # Click one node, shift-click another: both stay picked.
    x, y = explorer.point("gloucestershire-conference")
    page.mouse.click(x, y)
    explorer.settle()
    explorer.still()
    x, y = explorer.point(CSEB)
    page.keyboard.down("Shift")
    page.mouse.click(x, y)
    page.keyboard.up("Shift")
    assert explorer.js("window.__pkb.picks()") == ["gloucestershire-conference", CSEB]
    both_picked = sorted(["gloucestershire-conference", CSEB])
    for selector in (".picked", ":selected"):  # the first pick is not silently deselected
        # Cytoscape toggles a shift-clicked node's selection after our handler; the explorer puts
        # the picks back on the next tick, so the test waits that tick out (up to TIMEOUT_MS).
        query = f"window.__pkb.cy.nodes('{selector}').map(n => n.id()).sort()"
        wanted = json.dumps(json.dumps(both_picked, separators=(",", ":")))
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(f"JSON.stringify({query}) === {wanted}", timeout=TIMEOUT_MS)
        assert explorer.js(query) == both_picked
    expect(page.locator("#notice")).to_contain_text("press Path")
    path_button.click()
    expect(page.locator("#path-bar")).to_contain_text(
        "Path: Gloucestershire Conference → Community Strategy Executive Board (1 step)")
    explorer.settle()
    expect(page).to_have_url(re.compile("path=gloucestershire-conference~community-strategy-executive-board"))
    assert explorer.errors == []


def path_types(explorer: Explorer) -> list[str]:
    return list(explorer.js("window.__pkb.cy.edges('.on-path').map(e => e.data('type'))"))


def test_paths_prefer_governance_links_and_respect_the_legend(both: Explorer) -> None:
    explorer = both
    # Both are in Gloucestershire (covers area, twice), which says nothing about governance:
    # the chain drawn is both accountable to the executive board.
    page = explorer.open("?path=accountable-bodies-group~gloucestershire-first").page
    bar = page.locator("#path-bar")
    expect(bar).to_contain_text("(2 steps)")
    explorer.settle()
    assert path_types(explorer) == ["ACCOUNTABLE_TO", "ACCOUNTABLE_TO"]
    assert explorer.drawn(CSEB) and CSEB in explorer.js(
        "window.__pkb.cy.nodes('.on-path').map(n => n.id())")
    assert not explorer.js("""window.__pkb.cy.nodes('.on-path').some(n =>
        n.data('status') === 'example')""")

    # Hidden relationship and node types are not passed through.
    for hidden, test in (("hideRel=ACCOUNTABLE_TO", "edges('.on-path').some(e => "
                          "e.data('type') === 'ACCOUNTABLE_TO')"),
                         ("hide=Partnership", "nodes('.on-path').some(n => "
                          "n.data('label') === 'Partnership' && !['accountable-bodies-group', "
                          "'gloucestershire-first'].includes(n.id()))")):
        explorer.open(f"?path=accountable-bodies-group~gloucestershire-first&{hidden}")
        expect(bar).to_be_visible()
        explorer.settle()
        if "avoids what the legend hides" not in bar.inner_text():
            assert not explorer.js(f"window.__pkb.cy.{test}"), hidden
            assert path_types(explorer), hidden

    # Two bodies linked only by shared places: the chain is drawn, and says so.
    explorer.open("?path=adur-in-partnership~chichester-local-strategic-partnership")
    expect(bar).to_contain_text("goes through a shared area")
    explorer.settle()
    assert "COVERS" in path_types(explorer)

    # ...unless the legend hides "covers area": then it asks first.
    explorer.open("?path=adur-in-partnership~chichester-local-strategic-partnership&hideRel=COVERS")
    expect(bar).to_contain_text("avoids what the legend hides")
    expect(bar).to_contain_text("covers area")
    assert explorer.js("window.__pkb.cy.edges('.on-path').length") == 0
    bar.get_by_role("button", name="Show it anyway").click()
    expect(bar).to_contain_text("Path: Adur in Partnership")
    explorer.settle()
    assert "COVERS" in path_types(explorer)
    assert explorer.errors == []


def tabs_until(page: Page, test: str, limit: int = 60) -> int:
    """Presses Tab until `test` (JS, about document.activeElement) holds; returns how many."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const a = document.activeElement; return !!({test}); }})()"):
            return count
    raise AssertionError(f"{test} never held within {limit} Tabs")


def test_keyboard_reaches_the_details_and_keeps_focus(explorer: Explorer) -> None:
    page = explorer.open(f"?focus={CHIEF_EXECUTIVE}").page
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Chief Executive, Cheltenham Borough Council")
    explorer.settle()

    # From the search box, the details are a few Tabs away (not 53): past the view options
    # (layout, expand, size by, timeline, date, fit...).
    page.locator("#search").focus()
    assert tabs_until(page, "a && a.closest('#details')") <= 17
    announced = "Details: Chief Executive, Cheltenham Borough Council."
    expect(page.locator("#announce")).to_have_text(announced)

    # And a skip link takes you there from the top of the page (just before the search box).
    page.locator("#search").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_text("Skip to details")
    expect(page.locator(":focus")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "details"

    # Following a link in the panel puts focus on the new heading, not on <body>.
    details.get_by_role("link", name="Strategic Leadership Group").first.focus()
    page.keyboard.press("Enter")
    expect(details.locator("h2")).to_have_text("Strategic Leadership Group")
    explorer.settle()
    assert page.evaluate("document.activeElement.id") == "details-title"
    expect(page.locator(":focus")).to_have_text("Strategic Leadership Group")
    assert explorer.errors == []


def test_search_arrow_down_then_enter_opens_the_first_result(both: Explorer) -> None:
    explorer = both
    page = explorer.open().page
    search = page.locator("#search")
    search.press_sequentially("Chief Executive", delay=20)
    options = page.locator("#search-results [role=option]")
    expect(options.first).to_be_visible()
    assert options.count() >= 2
    expect(page.locator("#search-results [aria-selected=true]")).to_have_count(0)
    first = options.first.locator(".name").inner_text()
    # Namesakes told apart by where each post is.
    contexts = options.locator(".context").all_inner_texts()
    assert len(set(contexts)) >= 2 and all(c.startswith("in ") for c in contexts), contexts
    search.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(search).to_have_attribute("aria-activedescendant", "search-hit-0")
    search.press("Enter")
    expect(page.locator("#details h2")).to_have_text(first)
    explorer.settle()
    assert explorer.errors == []


def test_the_list_of_drawn_nodes_reaches_every_node_by_keyboard(both: Explorer) -> None:
    explorer = both
    page = explorer.open("?focus=gloucestershire-conference").page
    expect(page.locator("#details h2")).to_have_text("Gloucestershire Conference")
    explorer.settle()
    drawn = explorer.js("window.__pkb.cy.nodes().length")
    toggle = page.locator("#drawn-toggle")
    expect(toggle).to_contain_text(f"({drawn})")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    items = page.locator("#drawn-list button")
    expect(items).to_have_count(drawn)
    page.keyboard.press("Tab")  # one Tab stop into the list
    assert page.evaluate("document.activeElement.closest('#drawn-list') !== null")
    page.keyboard.press("ArrowDown")
    chosen = page.evaluate("document.activeElement.dataset.id")
    name = explorer.js(f"window.__pkb.cy.getElementById('{chosen}').data('name')")
    page.keyboard.press("Enter")
    expect(page.locator("#details h2")).to_have_text(name)
    explorer.settle()
    assert page.evaluate("document.activeElement.dataset.id") == chosen  # focus stays in the list

    # Delete takes the node out of the view; focus moves to its neighbour in the list.
    page.keyboard.press("Delete")
    assert not explorer.drawn(chosen)
    expect(items).to_have_count(drawn - 1)
    assert page.evaluate("document.activeElement.closest('#drawn-list') !== null")
    expect(page).to_have_url(re.compile(f"drop={chosen}"))
    assert explorer.errors == []


def overlaps(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Pairs of drawn labels whose boxes overlap by more than a sliver (4 px each way)."""
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            (ax1, ay1, ax2, ay2), (bx1, by1, bx2, by2) = a["box"], b["box"]
            if min(ax2, bx2) - max(ax1, bx1) > 4 and min(ay2, by2) - max(ay1, by1) > 4:
                found.append((a["id"], b["id"]))
    return found


def test_labels_stay_readable_and_more_show_on_zoom(both: Explorer) -> None:
    explorer = both
    page = explorer.open(f"?focus={SLG}").page
    expect(page.locator("#details h2")).to_have_text("Strategic Leadership Group")
    explorer.still()
    assert 20 <= explorer.js("window.__pkb.cy.nodes().length") <= 40
    labels = explorer.js("window.__pkb.labels()")
    shown = [label for label in labels if label["shown"]]
    assert shown, "some labels are drawn at the fitted zoom"
    assert all(label["px"] >= 11 for label in shown), [lb for lb in shown if lb["px"] < 11]
    assert any(label["id"] == SLG for label in shown)  # the open board is always labelled
    assert overlaps(shown) == []
    explorer.screenshot("labels-fitted")

    # Zooming in shows more labels, still at least 11 px.
    explorer.js("""(() => { const cy = window.__pkb.cy;
        cy.zoom({level: Math.max(1.2, cy.zoom() * 2),
                 renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}}); })()""")
    explorer.js("window.__pkb.frames(2)")
    zoomed = [label for label in explorer.js("window.__pkb.labels()") if label["shown"]]
    assert len(zoomed) > len(shown) or len(shown) == len(labels)
    assert all(label["px"] >= 11 for label in zoomed)

    # Zoomed far out, the key labels keep their readable size.
    explorer.js("window.__pkb.cy.zoom(0.3)")
    explorer.js("window.__pkb.frames(2)")
    far = [label for label in explorer.js("window.__pkb.labels()") if label["shown"]]
    assert far and all(label["px"] >= 11 for label in far)
    assert explorer.errors == []


def png_size(content: bytes) -> tuple[int, int]:
    assert content.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", content[16:24])
    return width, height


def test_remove_collapse_drag_and_reload(both: Explorer) -> None:
    explorer = both
    page = explorer.open("?focus=gloucestershire-conference").page
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Gloucestershire Conference")
    explorer.settle()

    # Expand the executive board, then collapse it: only what it alone drew goes.
    details.get_by_role("link", name="Community Strategy Executive Board").first.click()
    expect(details.locator("h2")).to_have_text("Community Strategy Executive Board")
    explorer.settle()
    assert explorer.drawn(CHIEF_EXECUTIVE)
    details.get_by_role("button", name="Collapse").click()
    expect(page.locator("#notice")).to_contain_text("Collapsed Community Strategy Executive Board")
    assert not explorer.drawn(CHIEF_EXECUTIVE)
    assert explorer.drawn(CSEB) and explorer.drawn("gloucestershire-conference")
    expect(details.get_by_role("button", name="Expand")).to_be_visible()
    assert CSEB not in page.url.split("open=")[1].split("&")[0]

    # Remove one node.
    explorer.js("window.__pkb.openNode('accountable-bodies-group')")
    expect(details.locator("h2")).to_have_text("Accountable Bodies Group")
    explorer.settle()
    before = explorer.js("window.__pkb.cy.nodes().length")
    details.get_by_role("button", name="Remove from view").click()
    assert not explorer.drawn("accountable-bodies-group")
    assert explorer.js("window.__pkb.cy.nodes().length") < before
    expect(page).to_have_url(re.compile("drop=accountable-bodies-group"))
    explorer.settle()

    # Drag a node: its place is kept in the link.
    explorer.still()
    page.evaluate("window.scrollTo(0, 0)")  # on a phone the panel's buttons are below the graph
    x, y = explorer.point(CSEB)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    expect(page).to_have_url(re.compile("pin=community-strategy-executive-board:"))
    pinned = explorer.js(f"window.__pkb.state.pins['{CSEB}']")
    nodes = sorted(explorer.js("window.__pkb.cy.nodes().map(n => n.id())"))

    # The link brings back the same nodes, with the dragged one where it was left.
    explorer.open(page.url.removeprefix(explorer.base + "/"))
    explorer.settle()
    assert sorted(explorer.js("window.__pkb.cy.nodes().map(n => n.id())")) == nodes
    position = explorer.js(f"window.__pkb.cy.getElementById('{CSEB}').position()")
    assert abs(position["x"] - pinned["x"]) <= 1 and abs(position["y"] - pinned["y"]) <= 1
    assert explorer.errors == []


def test_png_has_title_legend_and_date_and_json_loads_back(both: Explorer) -> None:
    explorer = both
    page = explorer.open(f"?focus={SLG}").page
    expect(page.locator("#details h2")).to_have_text("Strategic Leadership Group")
    explorer.still()

    frame = explorer.js("window.__pkb.export.frame()")
    assert frame["title"] == "Strategic Leadership Group"
    assert frame["date"] == date.today().isoformat()
    titles = {item["title"] for item in frame["legend"]}
    assert {"Partnership / board", "Post", "sits on"} <= titles
    explorer.controls()
    with page.expect_download() as download:
        page.locator("#export-png").click()
    png = ARTIFACTS / "explorer-export-framed.png"
    download.value.save_as(png)
    width, height = png_size(png.read_bytes())
    # At least 1600 pixels across, with room for the title above and the legend below.
    assert width >= 1600 and height > 300
    # The title band and the legend band hold ink, not just white.
    inked = explorer.js("""(async () => {
        const blob = await window.__pkb.export.framedPng();
        const img = await createImageBitmap(blob);
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0);
        const dark = (y0, y1) => {
            const d = ctx.getImageData(0, y0, img.width, y1 - y0).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i+1], d[i+2]) < 120) n++;
            return n; };
        return [dark(0, 120), dark(img.height - 80, img.height)];
    })()""")
    assert inked[0] > 200 and inked[1] > 50, inked

    # Save the view as JSON, drag a node, clear; Open… loads exactly the saved view back.
    with page.expect_download() as download:
        page.locator("#export-json").click()
    saved_path = ARTIFACTS / "explorer-view.json"
    download.value.save_as(saved_path)
    saved = json.loads(saved_path.read_text())
    assert saved["format"] == "partnership-kb-view/1" and saved["state"]["focus"] == SLG
    page.locator("#clear").click()
    assert explorer.js("window.__pkb.cy.nodes().length") == 0
    page.locator("#load-json-file").set_input_files(str(saved_path))
    expect(page.locator("#notice")).to_contain_text("Opened a saved view")
    expect(page.locator("#details h2")).to_have_text("Strategic Leadership Group")
    loaded = explorer.js("window.__pkb.cy.nodes().map(n => ({id: n.id(), ...n.position()}))")
    assert {n["id"]: (round(n["x"]), round(n["y"])) for n in loaded} == {
        n["id"]: (n["x"], n["y"]) for n in saved["nodes"]}
    assert f"focus={SLG}" in page.url

    # A file that is not a view says so.
    bad = ARTIFACTS / "explorer-not-a-view.json"
    bad.write_text('{"hello": 1}')
    page.locator("#load-json-file").set_input_files(str(bad))
    expect(page.locator("#error")).to_contain_text("cannot be opened as a view")
    assert explorer.errors == []


def test_proposed_seats_are_marked_in_badge_boards_and_interlocks(both: Explorer) -> None:
    explorer = both
    page = explorer.open(f"?focus={CHIEF_EXECUTIVE}").page
    details = page.locator("#details")
    badge = details.locator(".interlock-badge")
    expect(badge).to_contain_text("Interlock: sits on 3 boards")
    expect(badge).to_contain_text("2 of them only proposed: ")
    expect(badge).to_contain_text("Strategic Leadership Group")
    boards = details.locator("li", has=page.get_by_role("link", name="Strategic Leadership Group"))
    expect(boards.first.locator(".tag")).to_have_text("only proposed")
    expect(details).to_contain_text("2 of 3 only proposed")
    expect(badge).to_contain_text("Positive Development Group")
    entry = page.locator("#interlocks li", has=page.get_by_role(
        "link", name="Chief Executive, Cheltenham Borough Council"))
    expect(entry).to_contain_text("only proposed")
    explorer.settle()
    node = f"window.__pkb.cy.getElementById('{CHIEF_EXECUTIVE}')"
    assert explorer.js(f"{node}.hasClass('proposed-seats')")

    # A board lists its proposed seats as such.
    details.get_by_role("link", name="Strategic Leadership Group").first.click()
    expect(details.locator("h2")).to_have_text("Strategic Leadership Group")
    expect(details).to_contain_text("seats only proposed")
    assert details.locator(".tag").count() > 0
    assert explorer.errors == []


def test_says_who_shows_an_inferred_fact_with_its_reason(both: Explorer) -> None:
    # Horsham's 'Safety' group is the guidance's example, not one the document says it has.
    page = both.open("?focus=horsham-district-community-partnership-safety-thematic-group").page
    details = page.locator("#details")
    expect(details.locator("h2")).to_contain_text("Safety Thematic Group")
    basis = details.locator("h3:has-text('Says who') ~ p.inferred")
    expect(basis).to_contain_text("Inferred")
    expect(basis).to_contain_text("from ten to four")
    expect(details.locator("h3:has-text('Says who') ~ ul.sources")).to_contain_text(
        "horsham-talking-2009")

    # A fact the document says in words is not marked so.
    page = both.open("?focus=crawley-together-executive").page
    expect(details.locator("h2")).to_contain_text("Crawley Together Executive")
    expect(details.locator("h3:has-text('Says who') ~ p.meta")).to_contain_text(
        "Said in words by the source")
    expect(details.locator("h3:has-text('Says who') ~ p.inferred")).to_have_count(0)
    both.screenshot("says-who-stated")
    assert both.errors == []


PDG = "positive-development-group"
CBC = "cheltenham-borough-council"
PIP = "partnership-improvement-programme"


def shown(explorer: Explorer) -> dict[str, set[str]]:
    """The ids of the nodes and relationships drawn on the canvas now (not hidden)."""
    found = explorer.js("""(() => {
        const cy = window.__pkb.cy;
        return {nodes: cy.nodes(':visible').map(n => n.id()),
                edges: cy.edges(':visible').map(e => e.source().id() + '>' + e.target().id())};
    })()""")
    return {"nodes": set(found["nodes"]), "edges": set(found["edges"])}


def edge_style(explorer: Explorer, source: str, target: str, prop: str) -> str:
    return str(explorer.js(f"""window.__pkb.cy.edges().filter(e => e.source().id() === '{source}'
        && e.target().id() === '{target}')[0].style('{prop}')"""))


def test_timeline_slider_filters_what_is_drawn(both: Explorer) -> None:
    explorer = both
    page = explorer.open(f"?focus={CHIEF_EXECUTIVE}").page
    details = page.locator("#details")
    expect(details.locator("h2")).to_have_text("Chief Executive, Cheltenham Borough Council")
    explorer.settle()
    # All dates: the post's three boards and its council; the two seats the 2011 document only
    # proposes (and the two proposed boards) are drawn dashed, the agreed seat solid.
    everything = shown(explorer)
    assert {CHIEF_EXECUTIVE, CSEB, SLG, PDG, CBC} <= everything["nodes"]
    assert {f"{CHIEF_EXECUTIVE}>{SLG}", f"{CHIEF_EXECUTIVE}>{PDG}",
            f"{CHIEF_EXECUTIVE}>{CSEB}"} <= everything["edges"]
    assert edge_style(explorer, CHIEF_EXECUTIVE, SLG, "line-style") == "dashed"
    assert edge_style(explorer, CHIEF_EXECUTIVE, PDG, "line-style") == "dashed"
    assert edge_style(explorer, CHIEF_EXECUTIVE, CSEB, "line-style") == "solid"
    border = "window.__pkb.cy.getElementById('{}').style('border-style')"
    assert explorer.js(border.format(SLG)) == "dashed"
    assert explorer.js(border.format(CSEB)) != "dashed"
    expect(details.locator(".when-line")).to_have_text("In force since 2008-10-01")
    boards = details.locator("li", has=page.get_by_role("link", name="Strategic Leadership Group"))
    expect(boards.first).to_contain_text("stated 2011")
    expect(page.locator("#time-legend")).to_contain_text("hidden")
    dashed = "dashed: only proposed, option or example"
    assert dashed in {i["title"] for i in explorer.js("window.__pkb.export.frame()")["legend"]}

    # Keyboard: End is the latest date the data gives, the 2011 Cheltenham document's. Only
    # what is in force then is drawn: not the proposed boards, nor the seats on them.
    explorer.controls()
    slider = page.get_by_role("slider", name="Timeline")
    slider.focus()
    page.keyboard.press("End")
    expect(page).to_have_url(re.compile(r"asOf=2011-01-01"))
    assert slider.get_attribute("aria-valuetext") == "In force on 2011-01-01"
    expect(page.locator("#timeline-value")).to_have_text("2011-01-01")
    late = shown(explorer)
    assert {CHIEF_EXECUTIVE, CSEB, CBC} <= late["nodes"]
    assert not {SLG, PDG} & late["nodes"]
    assert f"{CHIEF_EXECUTIVE}>{CSEB}" in late["edges"]
    assert not {f"{CHIEF_EXECUTIVE}>{SLG}", f"{CHIEF_EXECUTIVE}>{PDG}"} & late["edges"]
    assert late["nodes"] < everything["nodes"]
    assert explorer.js(f"window.__pkb.cy.getElementById('{SLG}').hasClass('out-of-time')")
    expect(page.locator("#drawn-count")).to_have_text(f"({len(late['nodes'])})")
    expect(page.locator("#time-status")).to_contain_text("In force on 2011-01-01")
    frame = explorer.js("window.__pkb.export.frame()")
    assert "as of 2011-01-01" in frame["subtitle"]
    assert dashed not in {i["title"] for i in frame["legend"]}
    # The panel follows: the post in force on the date, with one board.
    expect(details.locator(".when-line")).to_have_text("In force on 2011-01-01")
    expect(details).to_contain_text("Boards sat on as of 2011-01-01 (1)")
    cseb = page.get_by_role("link", name="Community Strategy Executive Board")
    expect(details.locator("li", has=cseb)).to_contain_text("in force on 2011-01-01")

    # Home: all dates again; the right arrow then steps to the first date drawn (2008's prospectus).
    page.keyboard.press("Home")
    expect(page).not_to_have_url(re.compile("asOf="))
    assert shown(explorer) == everything
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"asOf=2008-10-01"))
    first = shown(explorer)
    assert {CHIEF_EXECUTIVE, CSEB, CBC} <= first["nodes"] and not {SLG, PDG} & first["nodes"]
    page.keyboard.press("ArrowLeft")
    expect(page).not_to_have_url(re.compile("asOf="))

    # Pointer: a click at the slider's right end is the latest date; a drag back to its left
    # end is all dates.
    explorer.still()
    slider.scroll_into_view_if_needed()
    rect = slider.bounding_box()
    assert rect is not None
    y = rect["y"] + rect["height"] / 2
    page.mouse.click(rect["x"] + rect["width"] - 2, y)
    expect(page).to_have_url(re.compile(r"asOf=2011-01-01"))
    assert shown(explorer) == late
    page.mouse.move(rect["x"] + rect["width"] - 4, y)
    page.mouse.down()
    page.mouse.move(rect["x"] + rect["width"] / 2, y, steps=4)
    page.mouse.move(rect["x"] + 1, y, steps=4)
    page.mouse.up()
    expect(page).not_to_have_url(re.compile("asOf="))
    assert shown(explorer) == everything

    # A relationship only proposed says so in the panel.
    explorer.js(f"""window.__pkb.cy.edges().filter(e => e.source().id() === '{CHIEF_EXECUTIVE}'
        && e.target().id() === '{SLG}')[0].emit('tap')""")
    expect(details).to_contain_text("stated 2011, proposed")
    explorer.screenshot(f"timeline-{page.viewport_size['width'] if page.viewport_size else 0}")

    # A shared link keeps the date: a partnership that ran from March to May 2011 is drawn in
    # April and hidden after it ended; its panel says when it ended.
    explorer.open(f"?focus={PIP}&asOf=2011-04-01")
    expect(details.locator("h2")).to_have_text(re.compile("Partnership Improvement", re.I))
    explorer.settle()
    assert PIP in shown(explorer)["nodes"]
    expect(details.locator(".when-line")).to_have_text("In force on 2011-04-01")
    explorer.open(f"?focus={PIP}&asOf=2011-07-01")
    expect(details.locator(".when-line")).to_have_text("Ended 2011-05-31")
    explorer.settle()
    assert PIP not in shown(explorer)["nodes"]
    explorer.controls()
    assert page.get_by_role("slider", name="Timeline").get_attribute("aria-valuetext") == (
        "In force on 2011-07-01")
    assert explorer.errors == []


def test_a_path_on_a_date_goes_only_through_what_is_in_force(explorer: Explorer) -> None:
    # With no date, the chief executive and Cheltenham's MP are two steps apart: both only
    # proposed for the Strategic Leadership Group.
    page = explorer.open(f"?path={CHIEF_EXECUTIVE}~mp-cheltenham").page
    bar = page.locator("#path-bar")
    expect(bar).to_contain_text("(2 steps)")
    explorer.settle()
    assert SLG in explorer.js("window.__pkb.cy.nodes('.on-path').map(n => n.id())")
    # On a date, the chain goes only through what is in force then.
    explorer.open(f"?path={CHIEF_EXECUTIVE}~mp-cheltenham&asOf=2011-01-01")
    explorer.settle()
    expect(page.locator("#notice")).to_have_text(
        "No chain of up to 12 steps in force on 2011-01-01 links Chief Executive, Cheltenham "
        "Borough Council and MP for Cheltenham.")
    assert explorer.js("window.__pkb.cy.elements('.on-path').length") == 0
    assert "path=" not in page.url
    assert explorer.errors == []


def test_axe_finds_no_violations(both: Explorer) -> None:
    page = both.open().page
    expect(page.locator("#interlocks li").first).to_be_visible()
    assert both.axe("start") == []

    page.locator("#search").press_sequentially("Outcome 3.4", delay=20)
    expect(page.locator("#search-results [role=option]").first).to_be_visible()
    assert both.axe("search") == []

    both.open(f"?focus={CHIEF_EXECUTIVE}&path={CHIEF_EXECUTIVE}~gloucestershire-conference")
    expect(page.locator("#details .interlock-badge")).to_be_visible()
    both.settle()
    page.locator("#drawn-toggle").click()
    expect(page.locator("#drawn-list button").first).to_be_visible()
    assert both.axe("node-path-list") == []

    # The view options unfolded (on a phone), and a relationship in the panel.
    both.controls()
    edge = both.js("window.__pkb.cy.edges('.on-path')[0].id()")
    both.js(f"window.__pkb.cy.getElementById('{edge}').emit('tap')")
    expect(page.locator("#details .badge")).to_contain_text("Relationship")
    assert both.axe("edge-options") == []
    assert both.errors == []
