// Layouts: a hierarchy for structure (dagre: bodies above their parts, members, posts and
// deliverers) and a force layout for networks (fcose). Views of thousands of nodes get quicker
// variants of both (a linear-time layering; fcose's draft spread by grid-bucketed springs), so the
// explorer stays usable at 2,000 nodes (bench/explorer.py).

import cytoscape from "cytoscape";
import type { Core, Collection, EdgeCollection, NodeCollection, NodeSingular, EdgeSingular } from "cytoscape";
import dagre from "cytoscape-dagre";
import fcose from "cytoscape-fcose";
import type { LayoutName } from "./types";

cytoscape.use(dagre);
cytoscape.use(fcose);

/** Relationship types drawn downwards from source to target in the hierarchy; every other type
 * is drawn upwards (its target above its source: a board above its members, the conference above
 * its parts, an outcome above its deliverers). */
const DOWNWARD = new Set(["OWNS", "HAS_AIM", "HAS_OUTCOME", "HAS_ACTION", "SUPPORTED_BY", "COVERS", "RUNS"]);

/** Above ANIMATE_LIMIT nodes, layouts jump instead of animating. */
const ANIMATE_LIMIT = 250;

export interface LayoutResult {
  name: LayoutName;
  nodes: number;
  ms: number;
}

/** Views above DAGRE_LIMIT nodes get a quicker layered layout: dagre takes seconds there. */
export const DAGRE_LIMIT = 600;
/** Above FCOSE_LIMIT nodes, fcose's full spring phase takes tens of seconds on dense networks:
 * its draft (spectral) layout is spread by a quicker spring pass instead. */
export const FCOSE_LIMIT = 600;

interface Link {
  upper: string;
  lower: string;
}

/** Every edge as (upper, lower): the way it is drawn in the hierarchy. */
function orient(edges: EdgeCollection): Link[] {
  return edges.map((e: EdgeSingular) => {
    const down = DOWNWARD.has(e.data("type"));
    const [source, target] = [e.source().id(), e.target().id()];
    return down ? { upper: source, lower: target } : { upper: target, lower: source };
  });
}

/** Positions for the hierarchy: dagre on a headless copy (so the drawn edges keep their real
 * direction) up to DAGRE_LIMIT nodes, the quick layering beyond; then wide ranks are folded. */
function hierarchyPositions(nodes: NodeCollection, edges: EdgeCollection, aspect: number): Record<string, { x: number; y: number }> {
  const big = nodes.length > DAGRE_LIMIT;
  const links = orient(edges);
  const sizes = new Map(nodes.map((n: NodeSingular) => [n.id(), (n.data("size") as number | undefined) ?? 30]));
  const slot = big ? 78 : 128;
  // Room for the label under the shape: labels wrap at 120px.
  const height = (id: string) => (sizes.get(id) ?? 30) + (big ? 14 : 30);
  const placed = big ? quickLayers([...sizes.keys()], links, slot, height) : dagrePlaced(sizes, links, height);
  return wrapWideRanks(placed, {
    slot,
    rankGap: big ? 50 : 60,
    // As many per row as makes the chart about as wide, for its height, as the window.
    perRow: Math.max(5, Math.round(Math.sqrt((placed.length * aspect * (big ? 50 : 75)) / slot))),
  });
}

function dagrePlaced(sizes: Map<string, number>, links: Link[], height: (id: string) => number): Placed[] {
  const copy = cytoscape({ headless: true, styleEnabled: true, style: [
    { selector: "node", style: { width: "data(w)", height: "data(h)", label: "" } },
  ] });
  copy.add([...sizes.entries()].map(([id, size]) => ({
    group: "nodes" as const,
    data: { id, w: Math.max(size, 110), h: height(id) },
  })));
  copy.add(links.map((l, i) => ({ group: "edges" as const, data: { id: `l${i}`, source: l.upper, target: l.lower } })));
  copy.layout({
    name: "dagre",
    rankDir: "TB",
    nodeSep: 18,
    rankSep: 70,
    edgeSep: 6,
    ranker: "network-simplex",
    fit: false,
    animate: false,
  } as cytoscape.LayoutOptions).run();
  const placed = copy.nodes().map((n: NodeSingular) => ({ id: n.id(), x: n.position().x, y: n.position().y, h: n.height() }));
  copy.destroy();
  return placed;
}

/** A layered (Sugiyama-style) layout in linear time per sweep: break cycles, rank by longest
 * path, pull each source down to just above its highest child, then order each rank by the
 * barycentre of its neighbours in a few up-and-down sweeps. */
export function quickLayers(ids: string[], links: Link[], slot: number, height: (id: string) => number): Placed[] {
  const below = new Map<string, string[]>(ids.map((id) => [id, []]));
  const above = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const { upper, lower } of links) {
    if (upper === lower || !below.has(upper) || !below.has(lower)) continue;
    below.get(upper)!.push(lower);
    above.get(lower)!.push(upper);
  }
  // Depth-first from the roots, dropping edges that close a cycle; the finish order reversed is
  // a topological order of what remains.
  const state = new Map<string, 1 | 2>();
  const finished: string[] = [];
  const dropped = new Set<string>();
  const roots = [...ids].sort((a, b) => above.get(a)!.length - above.get(b)!.length);
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: [string, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const children = below.get(top[0])!;
      if (top[1] < children.length) {
        const child = children[top[1]++];
        const seen = state.get(child);
        if (seen === 1) dropped.add(`${top[0]}\u0000${child}`);
        else if (!seen) {
          state.set(child, 1);
          stack.push([child, 0]);
        }
      } else {
        state.set(top[0], 2);
        finished.push(top[0]);
        stack.pop();
      }
    }
  }
  const order = finished.reverse();
  const kept = (u: string, l: string) => !dropped.has(`${u}\u0000${l}`);
  const rank = new Map<string, number>();
  for (const id of order) {
    let r = 0;
    for (const u of above.get(id)!) if (kept(u, id)) r = Math.max(r, (rank.get(u) ?? 0) + 1);
    rank.set(id, r);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i];
    const ups = above.get(id)!.filter((u) => kept(u, id));
    const downs = below.get(id)!.filter((l) => kept(id, l));
    if (ups.length === 0 && downs.length) rank.set(id, Math.min(...downs.map((l) => rank.get(l)!)) - 1);
  }
  const layers: string[][] = [];
  for (const id of order) (layers[rank.get(id)!] ??= []).push(id);
  const position = new Map<string, number>();
  const renumber = (layer: string[]) => layer.forEach((id, i) => position.set(id, i));
  layers.forEach((layer) => renumber(layer));
  const sweep = (layer: string[], neighbours: Map<string, string[]>) => {
    const centre = new Map<string, number>();
    for (const id of layer) {
      const near = neighbours.get(id)!.map((n) => position.get(n)!).filter((p) => p !== undefined);
      centre.set(id, near.length ? near.reduce((a, b) => a + b, 0) / near.length : position.get(id)!);
    }
    layer.sort((a, b) => centre.get(a)! - centre.get(b)!);
    renumber(layer);
  };
  for (let pass = 0; pass < 4; pass++) {
    if (pass % 2 === 0) for (let r = 1; r < layers.length; r++) sweep(layers[r] ?? [], above);
    else for (let r = layers.length - 2; r >= 0; r--) sweep(layers[r] ?? [], below);
  }
  const placed: Placed[] = [];
  layers.forEach((layer, r) => {
    layer.forEach((id, i) => placed.push({ id, x: (i - (layer.length - 1) / 2) * slot, y: r * 100, h: height(id) }));
  });
  return placed;
}

interface Placed {
  id: string;
  x: number;
  y: number;
  h: number;
}

/** An org chart with thirty posts under one board is one very wide rank, unreadable once fitted
 * to a screen. Ranks wider than `perRow` nodes are folded into staggered rows (their nodes kept
 * in dagre's left-to-right order), the rest squeezed to match, so the chart keeps its top-down
 * order and fits a window. */
export function wrapWideRanks(
  placed: Placed[],
  { slot, rankGap, perRow }: { slot: number; rankGap: number; perRow: number },
): Record<string, { x: number; y: number }> {
  const ranks = new Map<number, Placed[]>();
  for (const p of placed) {
    const key = Math.round(p.y);
    if (!ranks.has(key)) ranks.set(key, []);
    ranks.get(key)!.push(p);
  }
  const ordered = [...ranks.entries()].sort((a, b) => a[0] - b[0]).map(([, items]) => items.sort((a, b) => a.x - b.x));
  const xs = placed.map((p) => p.x);
  const left = Math.min(...xs);
  const width = Math.max(...xs) - left || 1;
  const target = perRow * slot;
  const squeeze = Math.min(1, target / width);
  const centre = left + width / 2;
  const positions: Record<string, { x: number; y: number }> = {};
  let y = 0;
  for (const items of ordered) {
    const rows = Math.ceil(items.length / perRow);
    const rowHeight = Math.max(...items.map((p) => p.h)) + 12;
    const mid = centre + (items.reduce((sum, p) => sum + p.x, 0) / items.length - centre) * squeeze;
    if (rows === 1) {
      // Squeeze towards the centre, then push apart anything now closer than a slot.
      const xsNew = items.map((p) => centre + (p.x - centre) * squeeze);
      for (let i = 1; i < xsNew.length; i++) xsNew[i] = Math.max(xsNew[i], xsNew[i - 1] + slot);
      const shift = mid - (xsNew[0] + xsNew[xsNew.length - 1]) / 2;
      items.forEach((p, i) => (positions[p.id] = { x: xsNew[i] + (xsNew.length > 1 ? shift : 0), y }));
    } else {
      const columns = Math.ceil(items.length / rows);
      items.forEach((p, i) => {
        const column = Math.floor(i / rows);
        const row = i % rows;
        // Odd rows sit half a slot over, so labels on neighbouring rows do not stack up.
        const offset = row % 2 ? slot / 2 : 0;
        positions[p.id] = { x: mid + (column - (columns - 1) / 2) * slot + offset - slot / 4, y: y + row * rowHeight };
      });
    }
    y += rows * rowHeight + rankGap;
  }
  return positions;
}

/** Fitting a handful of nodes to the window would blow them up; fits stop at this zoom. */
export const READABLE_ZOOM = 1.3;

/** Fits elements to the window (animated or not), never zooming in past READABLE_ZOOM.
 * insetTop: pixels at the top of the canvas covered by something (the path bar), left clear. */
export function fitView(cy: Core, eles: Collection, padding = 30, animate = true, insetTop = 0): void {
  if (eles.empty()) return;
  cy.stop(); // a viewport animation still running would undo this fit when it ends
  const box = eles.boundingBox({});
  const width = cy.width() - 2 * padding;
  const height = cy.height() - insetTop - 2 * padding;
  if (width <= 0 || height <= 0) return;
  const zoom = Math.max(
    cy.minZoom(),
    Math.min(cy.maxZoom(), READABLE_ZOOM, width / Math.max(box.w, 1), height / Math.max(box.h, 1)),
  );
  const pan = {
    x: cy.width() / 2 - zoom * (box.x1 + box.w / 2),
    y: insetTop + (cy.height() - insetTop) / 2 - zoom * (box.y1 + box.h / 2),
  };
  if (animate) cy.animate({ zoom, pan }, { duration: 350 });
  else cy.viewport({ zoom, pan });
}

function waitForStop(cy: Core, layout: cytoscape.Layouts): Promise<void> {
  const max = cy.maxZoom();
  cy.maxZoom(Math.min(max, READABLE_ZOOM)); // the layout's own fit is computed as it starts
  return new Promise<void>((resolve) => {
    layout.one("layoutstop", () => resolve());
    layout.run();
  }).finally(() => cy.maxZoom(max));
}

/** Lays out the visible elements and fits them to the window. */
export async function runLayout(
  cy: Core,
  name: LayoutName,
  options: { animate?: boolean; fitTo?: Collection; incremental?: boolean; tuning?: Record<string, unknown> } = {},
): Promise<LayoutResult> {
  const started = performance.now();
  const nodes = cy.nodes().not(".filtered");
  // Edges of a hidden node are hidden with it, so only edges between shown nodes count.
  const edges = cy.edges().not(".filtered").filter((e: EdgeSingular) => !e.source().hasClass("filtered") && !e.target().hasClass("filtered"));
  const eles = nodes.union(edges);
  if (nodes.empty()) return { name, nodes: 0, ms: 0 };
  const animate = (options.animate ?? true) && nodes.length <= ANIMATE_LIMIT;
  if (name === "hierarchy") {
    const positions = hierarchyPositions(nodes, edges, Math.max(0.5, Math.min(3, cy.width() / Math.max(1, cy.height()))));
    await waitForStop(cy, eles.layout({
      name: "preset",
      positions: (node: NodeSingular) => positions[node.id()],
      fit: true,
      padding: 30,
      animate,
      animationDuration: 400,
    } as cytoscape.LayoutOptions));
  } else {
    const big = nodes.length > FCOSE_LIMIT;
    if (big) {
      // fcose's spectral draft gives the global shape in about a second; a grid-accelerated
      // spring pass then spreads the nodes it leaves piled up.
      await waitForStop(cy, eles.layout({
        name: "fcose", quality: "draft", randomize: true, animate: false, fit: false, ...options.tuning,
      } as cytoscape.LayoutOptions));
      const ids = nodes.map((n: NodeSingular) => n.id());
      const start = nodes.map((n: NodeSingular) => ({ ...n.position() }));
      const links = edges.map((e: EdgeSingular) => [e.source().id(), e.target().id()] as [string, string]);
      const placed = springs(ids, links, start, { length: 70, iterations: 150 });
      await waitForStop(cy, eles.layout({
        name: "preset", positions: (n: NodeSingular) => placed.get(n.id()), fit: true, padding: 30, animate: false,
      } as cytoscape.LayoutOptions));
    } else {
      await waitForStop(cy, eles.layout({
        name: "fcose",
        quality: "default",
        // Growing a view keeps what is drawn where it was (new nodes start by their parent).
        randomize: !options.incremental,
        animate,
        animationDuration: 500,
        fit: true,
        padding: 30,
        nodeDimensionsIncludeLabels: true,
        idealEdgeLength: () => 90,
        nodeRepulsion: () => 9000,
        nodeSeparation: 60,
        packComponents: true,
        numIter: 2500,
        ...options.tuning,
      } as cytoscape.LayoutOptions));
    }
  }
  if (options.fitTo && options.fitTo.nonempty()) fitView(cy, options.fitTo, 40, false);
  return { name, nodes: nodes.length, ms: performance.now() - started };
}

/** Fruchterman-Reingold springs with grid-bucketed repulsion (only nodes within two lengths
 * push each other), linear cooling and a little gravity: about O(nodes + edges) per iteration.
 * Starts from `start` (rescaled to the area the graph needs), so it keeps a draft's shape. */
export function springs(
  ids: string[],
  links: [string, string][],
  start: { x: number; y: number }[],
  { length, iterations }: { length: number; iterations: number },
): Map<string, { x: number; y: number }> {
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const side = Math.sqrt(n) * length * 1.2;
  const xs = start.map((p) => p.x);
  const ys = start.map((p) => p.y);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  const span = Math.max(Math.max(...xs) - minX, Math.max(...ys) - minY, 1);
  for (let i = 0; i < n; i++) {
    // Rescale the draft to the area, with a jitter that separates nodes piled on one spot.
    x[i] = ((start[i].x - minX) / span) * side + (Math.random() - 0.5) * length;
    y[i] = ((start[i].y - minY) / span) * side + (Math.random() - 0.5) * length;
  }
  const pairs = links.map(([a, b]) => [index.get(a)!, index.get(b)!]).filter(([a, b]) => a !== b);
  const dx = new Float64Array(n);
  const dy = new Float64Array(n);
  const k2 = length * length;
  const cell = 2 * length;
  const centre = side / 2;
  for (let it = 0; it < iterations; it++) {
    const heat = (side / 8) * (1 - it / iterations) + 1;
    dx.fill(0);
    dy.fill(0);
    const grid = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const key = Math.floor(x[i] / cell) * 100003 + Math.floor(y[i] / cell);
      let bucket = grid.get(key);
      if (!bucket) grid.set(key, (bucket = []));
      bucket.push(i);
    }
    for (let i = 0; i < n; i++) {
      const cx = Math.floor(x[i] / cell);
      const cy = Math.floor(y[i] / cell);
      for (let gx = cx - 1; gx <= cx + 1; gx++) {
        for (let gy = cy - 1; gy <= cy + 1; gy++) {
          const bucket = grid.get(gx * 100003 + gy);
          if (!bucket) continue;
          for (const j of bucket) {
            if (j <= i) continue;
            let ddx = x[i] - x[j];
            let ddy = y[i] - y[j];
            let d2 = ddx * ddx + ddy * ddy;
            if (d2 > cell * cell) continue;
            if (d2 < 0.01) {
              ddx = Math.random() - 0.5;
              ddy = Math.random() - 0.5;
              d2 = 0.01;
            }
            const f = k2 / d2; // k^2 / d, times the unit vector (d/d)
            dx[i] += ddx * f;
            dy[i] += ddy * f;
            dx[j] -= ddx * f;
            dy[j] -= ddy * f;
          }
        }
      }
    }
    for (const [a, b] of pairs) {
      const ddx = x[a] - x[b];
      const ddy = y[a] - y[b];
      const d = Math.sqrt(ddx * ddx + ddy * ddy) || 0.01;
      const f = d / length; // d^2 / k, times the unit vector
      dx[a] -= ddx * f;
      dy[a] -= ddy * f;
      dx[b] += ddx * f;
      dy[b] += ddy * f;
    }
    for (let i = 0; i < n; i++) {
      dx[i] += (centre - x[i]) * 0.01;
      dy[i] += (centre - y[i]) * 0.01;
      const d = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) || 1;
      const step = Math.min(d, heat);
      x[i] += (dx[i] / d) * step;
      y[i] += (dy[i] / d) * step;
    }
  }
  return new Map(ids.map((id, i) => [id, { x: x[i], y: y[i] }]));
}
