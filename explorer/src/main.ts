// The explorer: wires search, the graph, layouts, the detail panel, paths, interlocks, exports
// and the URL together. It talks only to /graphql.

import type { Collection, EdgeSingular, EventObject, NodeSingular } from "cytoscape";
import * as api from "./api";
import { showEdge, showEmpty, showLoading, showNode, type DetailActions } from "./details";
import { exportGraphML, exportJSON, exportPng, toGraphML, toJSON, toPng } from "./export";
import {
  applyFilters,
  createGraph,
  markInterlocks,
  mergeGraph,
  renderLegend,
  tuneForSize,
  updateCounts,
} from "./graph";
import { fitView, runLayout, type LayoutResult } from "./layout";
import { setupSearch } from "./search";
import { busy, clearError, notice, showError } from "./status";
import type { Graph, GraphEdge, GraphNode, LayoutName } from "./types";
import { DEFAULT_STATE, readState, saveState } from "./url";

function el<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const state = readState(window.location.search);
const cy = createGraph(el("cy"));
const legendNodes = el<HTMLUListElement>("legend-nodes");
const legendEdges = el<HTMLUListElement>("legend-edges");
const detailsPanel = el<HTMLElement>("details");
let interlockBoards = new Map<string, number>();
let pathStart: { id: string; name: string } | null = null;
let detailsAsked = 0;

api.onBusy((on) => busy("api", on, "Asking the knowledge base…"));

/** Runs an action, showing any failure in the error banner. */
function guard<A extends unknown[]>(action: (...args: A) => Promise<unknown>): (...args: A) => void {
  return (...args: A) => {
    action(...args).catch(showError);
  };
}

function save(): void {
  saveState(state);
}

function nodeData(id: string): GraphNode | null {
  const n = cy.getElementById(id);
  return n.nonempty() && n.isNode() ? (n.data() as GraphNode) : null;
}

function refreshView(): void {
  el<HTMLElement>("welcome").hidden = cy.nodes().nonempty();
  applyFilters(cy, state.hiddenLabels, state.hiddenTypes);
  markInterlocks(cy, interlockBoards);
  updateCounts(cy, legendNodes, legendEdges);
  cy.nodes().forEach((n: NodeSingular) => {
    n.toggleClass("expanded", state.expanded.includes(n.id()));
  });
}

let layouts: Promise<unknown> = Promise.resolve();

/** Lays out the view; layouts asked for while one runs wait their turn, so none overlap. */
function layout(options: { animate?: boolean; fitTo?: Collection; incremental?: boolean } = {}): Promise<LayoutResult> {
  busy("layout", true, "Laying out…");
  const run = layouts
    .catch(() => undefined)
    .then(async () => {
      // Let the indicator paint before a long synchronous layout.
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return runLayout(cy, state.layout, options);
    })
    .finally(() => busy("layout", false));
  layouts = run;
  return run;
}

// ---- Opening, expanding, selecting ----------------------------------------------------------

async function fetchNeighbourhood(id: string): Promise<Graph> {
  const graph = await api.neighbourhood(id, state.depth, 200);
  if (graph.nodes.length >= 200) notice(`Showing the nearest 200 nodes around ${graph.nodes[0]?.name ?? id}.`);
  return graph;
}

/** Draws a node's neighbours (once per node); re-lays out when something new appeared. */
async function expand(id: string, relayout = true): Promise<boolean> {
  const graph = await fetchNeighbourhood(id);
  if (graph.nodes.length === 0) {
    notice(`No node has the id “${id}”.`);
    return false;
  }
  const centre = cy.getElementById(id);
  const before = cy.nodes().length;
  const added = mergeGraph(cy, graph, centre.nonempty() ? centre.position() : undefined);
  if (!state.expanded.includes(id)) state.expanded.push(id);
  refreshView();
  save();
  if (relayout && added.nonempty()) await layout({ incremental: before > 0 });
  return true;
}

function select(id: string, centre: boolean): void {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  cy.elements(":selected").unselect();
  node.select();
  if (centre) {
    // Bring it into view when it is off screen; otherwise leave the view be.
    const box = node.renderedBoundingBox({});
    const offScreen = box.x2 < 0 || box.y2 < 0 || box.x1 > cy.width() || box.y1 > cy.height();
    if (offScreen) cy.animate({ center: { eles: node } }, { duration: 350 });
  }
}

async function showDetails(id: string): Promise<void> {
  const fallback = nodeData(id) ?? { id, label: "", name: id };
  state.focus = id;
  save();
  const mine = ++detailsAsked;
  showLoading(detailsPanel, fallback, actions);
  const d = await api.details(id, state.asOf);
  if (mine !== detailsAsked) return;
  showNode(detailsPanel, d, fallback, interlockBoards.get(id), state.asOf, actions);
}

/** Search result, link in the panel, or URL: make sure the node is drawn, then focus it. */
async function openNode(id: string): Promise<void> {
  clearError();
  if (!state.expanded.includes(id)) await expand(id);
  if (cy.getElementById(id).empty()) return;
  select(id, true);
  await showDetails(id);
}

// ---- Paths -----------------------------------------------------------------------------------

function clearPath(): void {
  cy.elements().removeClass("on-path faded");
  state.path = null;
  el<HTMLElement>("path-bar").hidden = true;
  save();
}

async function drawPath(from: string, to: string, relayout = true): Promise<void> {
  clearPath();
  const graph = await api.path(from, to);
  const name = (id: string) => nodeData(id)?.name ?? graph.nodes.find((n) => n.id === id)?.name ?? id;
  if (graph.nodes.length === 0) {
    notice(`No chain of up to 12 steps links ${name(from)} and ${name(to)}.`, 9000);
    return;
  }
  const added = mergeGraph(cy, graph);
  refreshView();
  state.path = [from, to];
  pathStart = null;
  save();
  const ids = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  const onPath = cy.elements().filter((e) => ids.has(e.id()));
  cy.elements().addClass("faded");
  onPath.removeClass("faded").addClass("on-path");
  const bar = el<HTMLElement>("path-bar");
  bar.innerHTML = "";
  const text = document.createElement("span");
  text.textContent = `Path: ${name(from)} → ${name(to)} (${graph.edges.length} step${graph.edges.length === 1 ? "" : "s"})`;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Clear path";
  button.addEventListener("click", clearPath);
  bar.append(text, button);
  bar.hidden = false;
  if (relayout && added.nonempty()) await layout({ fitTo: onPath, incremental: true });
  else fitView(cy, onPath, 60);
}

const actions: DetailActions = {
  open: guard(openNode),
  expand: guard(async (id: string) => {
    await expand(id);
  }),
  pathFrom: (id: string) => {
    pathStart = { id, name: nodeData(id)?.name ?? id };
    notice(`Path from ${pathStart.name}: now open another node and press “Path … to here”.`, 10000);
    void showDetails(id).catch(showError);
  },
  pathTo: guard(async (id: string) => {
    if (pathStart) await drawPath(pathStart.id, id);
  }),
  pathStart: () => pathStart,
};

/** A real link (?focus=id, so it can be opened in a new tab) that opens the node here. */
function nodeLink(id: string, name: string): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = `?focus=${encodeURIComponent(id)}`;
  a.textContent = name;
  a.addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    guard(openNode)(id);
  });
  return a;
}

// ---- Interlocks ------------------------------------------------------------------------------

async function loadInterlocks(): Promise<void> {
  const found = await api.interlocks(state.asOf);
  interlockBoards = new Map(found.map((i) => [i.member.id, i.boards.length]));
  markInterlocks(cy, interlockBoards);
  // The panel may have opened before these arrived: show it again with its interlock badge.
  if (state.focus && interlockBoards.has(state.focus)) void showDetails(state.focus);
  const list = el<HTMLOListElement>("interlocks");
  list.innerHTML = "";
  const top = [...found].sort((a, b) => b.boards.length - a.boards.length || a.member.name.localeCompare(b.member.name));
  for (const item of top.slice(0, 15)) {
    const li = document.createElement("li");
    const link = nodeLink(item.member.id, item.member.name);
    link.title = `Sits on: ${item.boards.map((b) => b.name).join("; ")}`;
    li.append(link, ` (${item.boards.length})`);
    list.append(li);
  }
  if (found.length > 15) list.insertAdjacentHTML("beforeend", `<li class="hint">…and ${found.length - 15} more</li>`);
  if (found.length === 0) list.insertAdjacentHTML("beforeend", `<li class="hint">None${state.asOf ? ` as of ${state.asOf}` : ""}.</li>`);
}

async function loadStartingPoints(): Promise<void> {
  const starts = await api.startingPoints();
  const box = el<HTMLElement>("welcome-start");
  box.innerHTML = "";
  if (starts.length === 0) return;
  const p = document.createElement("p");
  p.textContent = "Or start from a strategic partnership:";
  const ul = document.createElement("ul");
  for (const s of starts) {
    const li = document.createElement("li");
    li.append(nodeLink(s.id, s.name));
    ul.append(li);
  }
  box.append(p, ul);
}

// ---- Events ----------------------------------------------------------------------------------

cy.on("tap", "node", (event: EventObject) => {
  const node = event.target as NodeSingular;
  const id = node.id();
  const additive = (event.originalEvent as MouseEvent | undefined)?.shiftKey;
  if (additive) return; // shift-click only selects (for Path)
  guard(async () => {
    clearError();
    const details = showDetails(id);
    if (!state.expanded.includes(id)) await expand(id);
    await details;
  })();
});

cy.on("tap", "edge", (event: EventObject) => {
  const edge = event.target as EdgeSingular;
  showEdge(detailsPanel, edge.data() as GraphEdge, edge.source().data(), edge.target().data(), actions);
});

cy.on("select unselect", "node", () => {
  el<HTMLButtonElement>("path-selected").disabled = cy.nodes(":selected").length !== 2;
});

const layoutSelect = el<HTMLSelectElement>("layout");
const depthSelect = el<HTMLSelectElement>("depth");
const asOfInput = el<HTMLInputElement>("as-of");

layoutSelect.addEventListener("change", guard(async () => {
  state.layout = layoutSelect.value as LayoutName;
  save();
  await layout();
}));

depthSelect.addEventListener("change", () => {
  state.depth = Number(depthSelect.value);
  save();
});

asOfInput.addEventListener("change", guard(async () => {
  state.asOf = asOfInput.value || null;
  save();
  await loadInterlocks();
  if (state.focus && nodeData(state.focus)) await showDetails(state.focus);
}));

el("fit").addEventListener("click", () => fitView(cy, cy.elements().not(".filtered")));

el("path-selected").addEventListener("click", guard(async () => {
  const chosen = cy.nodes(":selected");
  if (chosen.length === 2) await drawPath(chosen[0].id(), chosen[1].id());
}));

el("clear").addEventListener("click", () => {
  cy.elements().remove();
  state.expanded = [];
  state.focus = null;
  state.path = null;
  pathStart = null;
  el<HTMLElement>("path-bar").hidden = true;
  showEmpty(detailsPanel);
  refreshView();
  save();
});

el("export-png").addEventListener("click", () => exportPng(cy));
el("export-graphml").addEventListener("click", () => exportGraphML(cy));
el("export-json").addEventListener("click", () => exportJSON(cy));

renderLegend(legendNodes, legendEdges, state.hiddenLabels, state.hiddenTypes, (labels, types) => {
  state.hiddenLabels = labels;
  state.hiddenTypes = types;
  refreshView();
  save();
  void layout().catch(showError);
});

setupSearch({
  input: el<HTMLInputElement>("search"),
  list: el<HTMLUListElement>("search-results"),
  onChoose: (hit) => guard(openNode)(hit.id),
  onError: showError,
});

// ---- Start: restore the view the URL describes -----------------------------------------------

async function restore(): Promise<void> {
  layoutSelect.value = state.layout;
  depthSelect.value = String(state.depth);
  asOfInput.value = state.asOf ?? "";
  el<HTMLElement>("welcome").hidden = state.expanded.length > 0 || state.path !== null;
  const side = Promise.allSettled([loadInterlocks(), loadStartingPoints()]);
  const graphs = await Promise.all(state.expanded.map((id) => fetchNeighbourhood(id)));
  for (const graph of graphs) mergeGraph(cy, graph);
  refreshView();
  if (state.path) await drawPath(state.path[0], state.path[1], false);
  if (cy.nodes().nonempty()) await layout({ animate: false });
  if (state.path) {
    fitView(cy, cy.elements(".on-path"), 60, false);
  }
  if (state.focus && nodeData(state.focus)) {
    select(state.focus, !state.path);
    await showDetails(state.focus);
  }
  const failed = (await side).find((r) => r.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

const ready = restore()
  .catch(showError)
  .finally(() => {
    document.body.dataset.ready = "true";
  });

// ---- Test and benchmark hook -----------------------------------------------------------------

function frames(n: number): Promise<void> {
  return new Promise((resolve) => {
    const step = (left: number) => (left <= 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
    step(n);
  });
}

/** Replaces the view with a given graph, lays it out and waits until it is drawn.
 * Returns milliseconds: adding, laying out, drawing (to the second painted frame). */
async function loadGraph(graph: Graph, options: { layout?: LayoutName | "grid"; tuning?: Record<string, unknown> } = {}) {
  const t0 = performance.now();
  cy.elements().remove();
  state.expanded = [];
  state.focus = null;
  state.path = null;
  mergeGraph(cy, graph);
  refreshView();
  const t1 = performance.now();
  if (options.layout === "grid") {
    cy.layout({ name: "grid", fit: true, animate: false }).run();
  } else {
    if (options.layout) state.layout = layoutSelect.value = options.layout;
    await runLayout(cy, state.layout, { animate: false, tuning: options.tuning });
  }
  const t2 = performance.now();
  await frames(2);
  const t3 = performance.now();
  tuneForSize(cy);
  return { nodes: cy.nodes().length, edges: cy.edges().length, addMs: t1 - t0, layoutMs: t2 - t1, drawMs: t3 - t2, totalMs: t3 - t0 };
}

declare global {
  interface Window {
    __pkb: unknown;
  }
}

window.__pkb = {
  cy,
  state,
  ready,
  loadGraph,
  openNode,
  frames,
  export: { png: toPng, graphml: () => toGraphML(cy), json: () => toJSON(cy) },
  defaults: DEFAULT_STATE,
};
