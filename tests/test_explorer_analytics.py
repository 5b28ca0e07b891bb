"""The explorer's analytics (issue 12): nodes sized by a network measure (networkMetrics' values
for the date shown; bigger values draw bigger nodes; what the network lacks steps back), and
filters by attribute (status, tier) beside the filters by type."""

from __future__ import annotations

import httpx
from neo4j import Driver

from .test_explorer import Explorer, browser, explorer, site  # noqa: F401 (fixtures)

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
