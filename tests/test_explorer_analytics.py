"""The explorer's analytics (issue 12): nodes sized by a network measure (networkMetrics' values
for the date shown; bigger values draw bigger nodes; what the network lacks steps back), and
filters by attribute (status, tier, area, dataset) beside the filters by type."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
from neo4j import Driver
from playwright.sync_api import expect

from .test_explorer import Explorer, both, browser, explorer, site  # noqa: F401 (fixtures)

SLG = "strategic-leadership-group"
SIZES = """window.__pkb.cy.nodes().map(n => ({id: n.id(), label: n.data('label'),
  metric: n.data('metric'), size: n.data('size'), base: n.data('baseSize'),
  unmeasured: n.hasClass('unmeasured')}))"""


def test_nodes_sized_by_betweenness_then_back(explorer: Explorer,  # noqa: F811
                                              seeded: Driver) -> None:
    page = explorer.open(f"?focus={SLG}").page
    explorer.settle()
    page.locator("#size-by").select_option("BETWEENNESS")
    page.wait_for_function("window.__pkb.cy.nodes().some(n => n.data('metric') != null)")
    nodes = explorer.js(SIZES)
    query = ("{ networkMetrics(projection: MEMBER_BOARD, first: 100, sort: BETWEENNESS)"
             " { totalCount nodes { id betweenness } } }")
    api = httpx.post(f"{explorer.base}/graphql", json={"query": query},
                     timeout=60).json()["data"]["networkMetrics"]
    measured = {n["id"]: n["betweenness"] for n in api["nodes"]}
    shown = [n for n in nodes if n["metric"] is not None]
    assert shown and all(not n["unmeasured"] for n in shown)
    for node in shown:
        if node["id"] in measured:
            assert abs(node["metric"] - measured[node["id"]]) < 1e-9, node
    # Within a type, a larger value is a larger node.
    for label in {n["label"] for n in shown}:
        same = sorted((n for n in shown if n["label"] == label), key=lambda n: n["metric"])
        assert [n["size"] for n in same] == sorted(n["size"] for n in same), label
    assert all(n["unmeasured"] for n in nodes if n["label"] in ("Strategy", "Area"))
    page.locator("#size-by").select_option("")
    page.wait_for_function("window.__pkb.cy.nodes().every(n => n.data('metric') == null)")
    assert all(n["size"] == n["base"] and not n["unmeasured"] for n in explorer.js(SIZES))
    assert explorer.errors == []


def test_filters_by_status_and_tier_hide_what_they_name(explorer: Explorer) -> None:  # noqa: F811
    page = explorer.open(f"?focus={SLG}").page
    explorer.settle()
    statuses = page.locator("#filter-status input[data-status]")
    offered = statuses.evaluate_all("els => els.map(e => e.dataset.status)")
    assert "proposed" in offered and "current" in offered
    page.locator('#filter-status input[data-status="proposed"]').uncheck()
    state = explorer.js("""window.__pkb.cy.elements().map(e => ({status: e.data('status'),
        filtered: e.hasClass('filtered')}))""")
    assert all(e["filtered"] for e in state if e["status"] == "proposed")
    assert "hideStatus=proposed" in page.url
    tiers = page.locator("#filter-tier input[data-tier]").evaluate_all(
        "els => els.map(e => e.dataset.tier)")
    if tiers:
        page.locator(f'#filter-tier input[data-tier="{tiers[0]}"]').uncheck()
        hidden = explorer.js(f"""window.__pkb.cy.nodes().filter(n => n.data('tier') ===
            '{tiers[0]}').map(n => n.hasClass('filtered'))""")
        assert hidden and all(hidden)
    # A link reproduces the view: the filters come back from the address.
    explorer.open(page.url.split("/", 3)[3])
    explorer.settle()
    assert not page.locator('#filter-status input[data-status="proposed"]').is_checked()
    assert explorer.errors == []


CSEB = "community-strategy-executive-board"
CHELTENHAM_CE = "chief-executive-cheltenham-borough-council"
CHELTENHAM_DOC = "seed/cheltenham-structures-2011"
# Each drawn element as the test sees it: its data, and whether it is on screen.
ELEMENTS = """window.__pkb.cy.elements().map(e => ({id: e.id(), node: e.isNode(),
  source: e.isEdge() ? e.source().id() : null, target: e.isEdge() ? e.target().id() : null,
  areas: (e.data('areas') || []).map(a => a.id), datasets: e.data('datasets') || [],
  visible: e.visible()}))"""


def hidden_params(url: str) -> dict[str, set[str]]:
    query = parse_qs(urlsplit(url).query)
    return {key: set(query[key][0].split(",")) for key in ("hideArea", "hideDataset")
            if key in query}


def expected_visible(elements: list[dict], areas: set[str], datasets: set[str]) -> dict:
    """What the filters should leave: a node while one of its areas ("_none": it has none) and
    one of its datasets is shown; a relationship while one of its datasets is, and both ends."""
    def node_shown(e: dict) -> bool:
        in_area = any(a not in areas for a in e["areas"]) if e["areas"] else "_none" not in areas
        return in_area and any(d not in datasets for d in e["datasets"])
    nodes = {e["id"]: node_shown(e) for e in elements if e["node"]}
    edges = {e["id"]: nodes[e["source"]] and nodes[e["target"]] and
             any(d not in datasets for d in e["datasets"]) for e in elements if not e["node"]}
    return {**nodes, **edges}


def tick(view: Explorer, kind: str, value: str, on: bool) -> None:
    box = view.page.locator(f'#filter-{kind} input[data-{kind}="{value}"]')
    box.scroll_into_view_if_needed()
    box.check() if on else box.uncheck()


def test_filters_by_area_and_dataset_hide_what_they_name(both: Explorer) -> None:  # noqa: F811
    page = both.open(f"?open={CSEB},{SLG}&focus={CSEB}").page
    both.settle()
    areas = page.locator("#filter-area input[data-area]").evaluate_all(
        "els => els.map(e => e.dataset.area)")
    assert {"gloucestershire", "cheltenham", "south-west", "_none"} <= set(areas)
    assert areas[-1] == "_none"  # "no area" comes last, the areas by name before it
    expect(page.locator("#filter-area li").last).to_contain_text("no area")
    datasets = page.locator("#filter-dataset input[data-dataset]").evaluate_all(
        "els => els.map(e => e.dataset.dataset)")
    assert {CHELTENHAM_DOC, "seed/glos-prospectus-2008"} <= set(datasets)
    # Every element has its areas and datasets from the API; nothing is hidden yet.
    elements = both.js(ELEMENTS)
    assert all(e["datasets"] for e in elements)
    assert all(e["visible"] for e in elements)

    tick(both, "area", "gloucestershire", False)
    elements = both.js(ELEMENTS)
    shown = {e["id"]: e["visible"] for e in elements}
    assert shown == expected_visible(elements, {"gloucestershire"}, set())
    assert not shown[CSEB] and shown[CHELTENHAM_CE] and shown[SLG]
    assert shown["director-learning-and-skills-council"]  # no area: kept, as "no area" is ticked
    assert not any(shown[e["id"]] for e in elements if not e["node"] and CSEB in
                   (e["source"], e["target"]))
    assert hidden_params(page.url) == {"hideArea": {"gloucestershire"}}

    tick(both, "area", "_none", False)
    tick(both, "dataset", CHELTENHAM_DOC, False)
    elements = both.js(ELEMENTS)
    shown = {e["id"]: e["visible"] for e in elements}
    assert shown == expected_visible(elements, {"gloucestershire", "_none"}, {CHELTENHAM_DOC})
    assert not shown[SLG] and not shown["director-learning-and-skills-council"]
    assert shown[CHELTENHAM_CE]  # the prospectus says it too
    assert any(e["visible"] for e in elements if not e["node"])
    assert hidden_params(page.url) == {"hideArea": {"gloucestershire", "_none"},
                                       "hideDataset": {CHELTENHAM_DOC}}
    assert both.axe("area-dataset-filters") == []

    # A link reproduces the view; ticking an area again brings back what it hid.
    both.open(page.url.split("/", 3)[3])
    both.settle()
    assert {e["id"]: e["visible"] for e in both.js(ELEMENTS)} == shown
    assert not page.locator('#filter-area input[data-area="_none"]').is_checked()
    tick(both, "area", "gloucestershire", True)
    tick(both, "area", "_none", True)
    tick(both, "dataset", CHELTENHAM_DOC, True)
    assert all(e["visible"] for e in both.js(ELEMENTS))
    assert hidden_params(page.url) == {}
    assert both.errors == []
