"""The explorer at size: lay out and draw 2,000 nodes in headless Chromium, against baselines
measured in the same run, and check the page stays usable afterwards.

Serves explorer/dist (built by `make explorer`) from a local static server, answers /graphql with
empty results (no Neo4j needed), and loads a synthetic knowledge base shaped like the real one
(boards in a tree, organisations, posts sitting on several boards, people holding posts) through
the page's test hook `window.__pkb.loadGraph`. For each layout it prints the time to lay out and
to draw (to the second painted frame), and the ratios against:
  - the same layout on a 200-node graph (how it scales: 10x the nodes);
  - Cytoscape's grid layout on the same 2,000 nodes (the cost of drawing alone).
Then, on the 2,000-node view: time from a mouse click on a node to its detail panel showing, and
the time to draw a zoomed frame. Exit status 1 when the page is not usable at that size.

Usage: .venv/bin/python bench/explorer.py [--nodes 2000] [--baseline 200] [--repeats 2]
Uses Debian's Chromium (/usr/bin/chromium; `scripts/system-deps.sh --browser` installs it).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "explorer" / "dist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# Usable: a click answers within CLICK_LIMIT_MS and a zoomed frame draws within FRAME_LIMIT_MS.
CLICK_LIMIT_MS = 500
FRAME_LIMIT_MS = 250
# Every question the page asks, answered with nothing (the graph comes from the test hook).
EMPTY_ANSWERS: dict[str, Any] = {"data": {
    "interlocks": {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None},
                   "nodes": []}, "partnerships": {"nodes": []}, "node": None, "search": [],
    "neighbourhood": {"nodes": [], "edges": []}, "path": {"nodes": [], "edges": []}}}


def synthetic(nodes: int, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """A knowledge base of about `nodes` nodes: 5% boards (a tree of PART_OF), 8% organisations,
    70% posts (each in an organisation, sitting on 1-3 boards), the rest people holding posts."""
    rng = random.Random(seed)
    boards = max(3, nodes * 5 // 100)
    orgs = max(2, nodes * 8 // 100)
    posts = nodes * 70 // 100
    people = nodes - boards - orgs - posts
    out: dict[str, list[dict[str, Any]]] = {"nodes": [], "edges": []}

    def node(id_: str, label: str, name: str) -> None:
        out["nodes"].append({"id": id_, "label": label, "name": name, "kind": None,
                             "status": "current", "tier": None, "code": None})

    def edge(type_: str, source: str, target: str, role: str | None = None) -> None:
        out["edges"].append({"id": f"e{len(out['edges'])}", "type": type_, "source": source,
                             "target": target, "role": role, "frequency": None, "sources": []})

    for b in range(boards):
        node(f"board-{b}", "Partnership", f"Board {b} partnership")
        if b:
            edge("PART_OF", f"board-{b}", f"board-{(b - 1) // 4}")
            if b % 7 == 0:
                edge("ACCOUNTABLE_TO", f"board-{b}", f"board-{rng.randrange(b)}")
    for o in range(orgs):
        node(f"org-{o}", "Organisation", f"Organisation {o} council")
    for p in range(posts):
        node(f"post-{p}", "Post", f"Officer {p}, Organisation {p % orgs}")
        edge("POST_IN", f"post-{p}", f"org-{p % orgs}")
        for b in rng.sample(range(boards), k=rng.choice((1, 1, 2, 3))):
            edge("MEMBER_OF", f"post-{p}", f"board-{b}", rng.choice(("member", "member", "chair")))
    for h in range(people):
        node(f"person-{h}", "Person", f"Person {h}")
        edge("HOLDS", f"person-{h}", f"post-{rng.randrange(posts)}")
    return out


def serve_dist() -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(Quiet, directory=str(DIST)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def load(page: Page, graph: dict[str, Any], layout: str) -> dict[str, float]:
    result: dict[str, float] = page.evaluate(
        "([graph, layout]) => window.__pkb.loadGraph(graph, {layout})", [graph, layout])
    return result


def best(page: Page, graph: dict[str, Any], layout: str, repeats: int) -> dict[str, float]:
    runs = [load(page, graph, layout) for _ in range(repeats)]
    return min(runs, key=lambda r: r["totalMs"])


def line(layout: str, run: dict[str, float]) -> str:
    return (f"  {layout:<9} {run['nodes']:>5.0f} nodes: lay out {run['layoutMs']:6.0f} ms, "
            f"draw {run['drawMs']:5.0f} ms, total {run['totalMs']:6.0f} ms")


def click_to_details_ms(page: Page) -> tuple[float, str]:
    """Clicks at the most connected post and times until the detail panel names the node
    selected (the post, or whatever is drawn on top of it there)."""
    target = page.evaluate("""() => {
        const cy = window.__pkb.cy;
        cy.elements(':selected').unselect();
        document.querySelector('#details').innerHTML = '';
        const node = cy.nodes('[label = "Post"]').max(n => n.degree()).ele;
        cy.zoom({level: 0.6, position: node.position()});
        cy.center(node);
        const box = cy.container().getBoundingClientRect();
        const p = node.renderedPosition();
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    page.evaluate("window.__pkb.frames(2)")
    started = time.perf_counter()
    page.mouse.click(target["x"], target["y"])
    handle = page.wait_for_function("""() => {
        const chosen = window.__pkb.cy.nodes(':selected');
        const title = document.querySelector('#details h2');
        return chosen.nonempty() && title && title.textContent === chosen.data('name')
            && chosen.data('name');
    }""", polling="raf", timeout=10_000)
    return (time.perf_counter() - started) * 1000, str(handle.json_value())


def zoom_frame_ms(page: Page) -> float:
    ms: float = page.evaluate("""async () => {
        const cy = window.__pkb.cy;
        cy.fit();
        await window.__pkb.frames(2);
        const t = performance.now();
        const middle = {x: cy.width() / 2, y: cy.height() / 2};
        cy.zoom({level: cy.zoom() * 1.5, renderedPosition: middle});
        await window.__pkb.frames(2);
        return performance.now() - t;
    }""")
    return ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    if not (DIST / "index.html").exists():
        sys.exit("explorer/dist/index.html is missing: run `make explorer` first.")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: run `scripts/system-deps.sh --browser` first.")

    big, small = synthetic(args.nodes), synthetic(args.baseline)
    server, url = serve_dist()
    usable = True
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            def answer(route: Route) -> None:
                route.fulfill(status=200, content_type="application/json",
                              body=json.dumps(EMPTY_ANSWERS))

            page.route("**/graphql", answer)
            page.goto(url)
            page.wait_for_selector("body[data-ready=true]")
            print(f"Explorer in {browser.version} headless Chromium, 1400x900; "
                  f"{len(big['nodes'])} nodes / {len(big['edges'])} edges vs a baseline of "
                  f"{len(small['nodes'])} nodes / {len(small['edges'])} edges; "
                  f"best of {args.repeats}.")
            grid = best(page, big, "grid", args.repeats)
            print(line("grid", grid) + "  (baseline)")
            for layout in ("hierarchy", "force"):
                base = best(page, small, layout, args.repeats)
                full = best(page, big, layout, args.repeats)
                print(line(layout, base))
                scaled, drawn = full["totalMs"] / base["totalMs"], full["totalMs"] / grid["totalMs"]
                print(line(layout, full) + f"  = {scaled:.1f} x the {base['nodes']:.0f}-node view,"
                      f" {drawn:.1f} x grid")
            # The 2,000-node force view stays loaded for the responsiveness checks.
            click_ms, name = click_to_details_ms(page)
            frame_ms = zoom_frame_ms(page)
            print(f"  usable at {len(big['nodes'])} nodes: click to details {click_ms:.0f} ms "
                  f"(limit {CLICK_LIMIT_MS}; clicked '{name}'), zoomed frame {frame_ms:.0f} ms "
                  f"(limit {FRAME_LIMIT_MS})")
            usable = click_ms <= CLICK_LIMIT_MS and frame_ms <= FRAME_LIMIT_MS and not errors
            if errors:
                print(f"  page errors: {errors}")
            out = ROOT / "bench" / "out"
            out.mkdir(exist_ok=True)
            page.screenshot(path=out / "explorer-2000.png")
            print(f"  screenshot: {out / 'explorer-2000.png'}")
            browser.close()
    finally:
        server.shutdown()
    print("usable" if usable else "NOT usable at this size")
    return 0 if usable else 1


if __name__ == "__main__":
    sys.exit(main())
