// The explorer: wires search, the graph, layouts, the detail panel, paths, interlocks, exports
// and the URL together. It talks only to /graphql.

import type { Collection, EdgeSingular, EventObject, NodeSingular } from "cytoscape";
import * as api from "./api";
import { showEdge, showEmpty, showLoading, showNode, type DetailActions, type InterlockInfo } from "./details";
import { setupDrawnList } from "./drawn";
import { checks, showFindings } from "./findings";
import { applySizes, type Measure, measured } from "./metricsize";
import { renderAttributeFilters } from "./attributes";
import {
  exportGraphML,
  exportJSON,
  exportPng,
  parseView,
  pngFrame,
  toFramedPng,
  toGraphML,
  toJSON,
  toPng,
  type PngFrame,
} from "./export";
import {
  applyFilters,
  classIf,
  createGraph,
  edgeLook,
  labelSizes,
  markInterlocks,
  mergeGraph,
  nodeLook,
  refreshLabels,
  renderLegend,
  tuneForSize,
  updateCounts,
} from "./graph";
import { fitView, runLayout, type LayoutResult } from "./layout";
import { pathUses, PLACE_TYPES } from "./pathfind";
import { setupSearch } from "./search";
import { busy, clearError, notice, showError } from "./status";
import { positionOf, timelineStops } from "./time";
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
const attributeLists = {
  status: el("filter-status"), tier: el("filter-tier"), area: el("filter-area"), dataset: el("filter-dataset"),
};
/** Each expanded node's neighbourhood as fetched: collapsing one keeps what the others drew. */
const neighbourhoodOf = new Map<string, Graph>();
let interlockInfo = new Map<string, InterlockInfo>();
/** Each measured node's value of the measure nodes are sized by (null: sized by their type). */
let sizeValues: Map<string, number> | null = null;
/** Nodes picked for Path: the node opened by a click, plus one shift-clicked. */
let picks: string[] = [];
/** The start chosen with "Path from here…" in the panel. */
let pathStart: { id: string; name: string } | null = null;
let pathGraph: Graph | null = null;
let detailsAsked = 0;
/** The dates of the documents and returns loaded: the timeline spans them and what is drawn. */
let documentDates: string[] = [];

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

function without<T>(list: T[], item: T): T[] {
  return list.filter((x) => x !== item);
}

function nodeData(id: string): GraphNode | null {
  const n = cy.getElementById(id);
  return n.nonempty() && n.isNode() ? (n.data() as GraphNode) : null;
}

function nameOf(id: string): string {
  return nodeData(id)?.name ?? id;
}

const drawnList = setupDrawnList(
  cy,
  el<HTMLButtonElement>("drawn-toggle"),
  el<HTMLElement>("drawn"),
  el<HTMLUListElement>("drawn-list"),
  el<HTMLElement>("drawn-count"),
  (id) => {
    select(id, true);
    guard(showDetails)(id);
  },
  (id) => removeNode(id),
);

function refreshView(): void {
  applySizes(cy, sizeValues);
  el<HTMLElement>("welcome").hidden = cy.nodes().nonempty();
  el<HTMLElement>("skip-drawn").hidden = cy.nodes().empty();
  renderAttributeFilters(attributeLists, cy,
    { status: state.hiddenStatus, tiers: state.hiddenTiers, areas: state.hiddenAreas, datasets: state.hiddenDatasets },
    (choice) => {
      state.hiddenStatus = choice.status;
      state.hiddenTiers = choice.tiers;
      state.hiddenAreas = choice.areas;
      state.hiddenDatasets = choice.datasets;
      refreshView();
      save();
    });
  applyFilters(cy, {
    labels: state.hiddenLabels, types: state.hiddenTypes, status: state.hiddenStatus, tiers: state.hiddenTiers,
    areas: state.hiddenAreas, datasets: state.hiddenDatasets,
  }, state.asOf);
  updateTimeline();
  markInterlocks(cy, interlockInfo);
  updateCounts(cy, legendNodes, legendEdges);
  const expanded = new Set(state.expanded);
  const picked = new Set(picks);
  cy.batch(() => {
    cy.nodes().forEach((n: NodeSingular) => {
      const id = n.id();
      classIf(n, "expanded", expanded.has(id));
      classIf(n, "picked", picked.has(id));
      classIf(n, "focus", id === state.focus);
    });
  });
  refreshLabels(cy);
  drawnList.update(state.focus);
}

/** How much of the canvas's top the path bar covers (0 when hidden). */
function topInset(): number {
  const bar = el<HTMLElement>("path-bar");
  if (bar.hidden) return 0;
  const top = el<HTMLElement>("cy").getBoundingClientRect().top;
  return Math.max(0, bar.getBoundingClientRect().bottom - top + 8);
}

/** fitView, keeping clear of the path bar. */
function fit(eles: Collection, padding = 30, animate = true): void {
  fitView(cy, eles, padding, animate, topInset());
}

/** Puts dragged nodes back where the user left them. Returns whether any moved. */
function applyPins(): boolean {
  let moved = false;
  for (const [id, p] of Object.entries(state.pins)) {
    const n = cy.getElementById(id);
    if (n.nonempty()) {
      n.position({ x: p.x, y: p.y });
      moved = true;
    }
  }
  return moved;
}

let layouts: Promise<unknown> = Promise.resolve();

/** Lays out the view; layouts asked for while one runs wait their turn, so none overlap.
 * Dragged nodes keep their places. */
function layout(options: { animate?: boolean; fitTo?: Collection; incremental?: boolean } = {}): Promise<LayoutResult> {
  busy("layout", true, "Laying out…");
  const run = layouts
    .catch(() => undefined)
    .then(async () => {
      // Let the indicator paint before a long synchronous layout.
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const result = await runLayout(cy, state.layout, options);
      const pinned = applyPins();
      if (pinned || options.fitTo?.nonempty() || topInset() > 0) {
        const target = options.fitTo?.nonempty() ? options.fitTo : cy.elements().not(".filtered");
        fit(target, options.fitTo?.nonempty() ? 40 : 30, false);
      }
      refreshLabels(cy);
      return result;
    })
    .finally(() => busy("layout", false));
  layouts = run;
  return run;
}

// ---- Opening, expanding, collapsing, removing ---------------------------------------------------

async function fetchNeighbourhood(id: string): Promise<Graph> {
  const graph = await api.neighbourhood(id, state.depth, 200);
  if (graph.nodes.length >= 200) notice(`Showing the nearest 200 nodes around ${graph.nodes[0]?.name ?? id}.`);
  neighbourhoodOf.set(id, graph);
  return graph;
}

/** Draws a node's neighbours (once per node); re-lays out when something new appeared. */
async function expand(id: string, relayout = true): Promise<boolean> {
  const graph = await fetchNeighbourhood(id);
  if (graph.nodes.length === 0) {
    notice(`No node has the id “${id}”.`);
    return false;
  }
  // Asking for a node brings it back if it had been removed.
  state.removed = without(state.removed, id);
  const centre = cy.getElementById(id);
  const before = cy.nodes().length;
  const added = mergeGraph(cy, graph, centre.nonempty() ? centre.position() : undefined, new Set(state.removed));
  if (!state.expanded.includes(id)) state.expanded.push(id);
  state.added = without(state.added, id);
  refreshView();
  save();
  if (relayout && added.nonempty()) await layout({ incremental: before > 0 });
  return true;
}

/** Takes back what expanding a node drew: the nodes no other expansion or the path needs. */
async function collapse(id: string): Promise<void> {
  state.expanded = without(state.expanded, id);
  const keep = new Set<string>([id, ...state.added, ...(pathGraph?.nodes.map((n) => n.id) ?? [])]);
  let reached = false;
  for (const other of state.expanded) {
    const graph = neighbourhoodOf.get(other) ?? (await fetchNeighbourhood(other));
    keep.add(other);
    for (const n of graph.nodes) {
      keep.add(n.id);
      if (n.id === id) reached = true;
    }
  }
  // The node itself stays drawn; on its own if nothing else draws it.
  if (!reached && !state.added.includes(id)) state.added.push(id);
  const gone = cy.nodes().filter((n: NodeSingular) => !keep.has(n.id()));
  gone.forEach((n: NodeSingular) => {
    delete state.pins[n.id()];
  });
  gone.remove();
  picks = picks.filter((p) => cy.getElementById(p).nonempty());
  refreshView();
  save();
  notice(`Collapsed ${nameOf(id)}: ${gone.length} node${gone.length === 1 ? "" : "s"} taken away.`);
  if (state.focus === id) await showDetails(id, true);
}

function removeNode(id: string, fromPanel = false): void {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  const name = nameOf(id);
  node.remove();
  // Its expansion stays in the state (what it drew stays drawn, as it does on reload); only the
  // node itself is dropped.
  state.added = without(state.added, id);
  if (!state.removed.includes(id)) state.removed.push(id);
  delete state.pins[id];
  picks = without(picks, id);
  if (state.path?.includes(id)) clearPath();
  if (state.focus === id) {
    state.focus = null;
    detailsAsked++;
    showEmpty(detailsPanel);
    if (fromPanel) detailsPanel.focus();
  }
  refreshView();
  save();
  notice(`Removed ${name} from the view.`);
}

let syncing = false;
let syncQueued = false;

/** Makes Cytoscape's selection (:selected) the picks again: its click handling runs after ours
 * and would otherwise unselect a pick, or select what was not picked. */
function syncSelection(): void {
  syncQueued = false;
  syncing = true;
  try {
    cy.batch(() => {
      const wanted = new Set(picks);
      cy.elements(":selected").filter((e) => !wanted.has(e.id())).unselect();
      for (const id of picks) cy.getElementById(id).select();
    });
  } finally {
    syncing = false;
  }
}

cy.on("select unselect", () => {
  if (syncing || syncQueued) return;
  syncQueued = true;
  window.setTimeout(syncSelection, 0);
});

function setPicks(ids: string[]): void {
  picks = ids;
  cy.batch(() => {
    cy.nodes(".picked").removeClass("picked");
    for (const id of picks) cy.getElementById(id).addClass("picked");
  });
  syncSelection();
  refreshLabels(cy);
}

function select(id: string, centre: boolean): void {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  setPicks([id]);
  if (centre) {
    // Bring it into view when it is off screen; otherwise leave the view be.
    const box = node.renderedBoundingBox({});
    const offScreen = box.x2 < 0 || box.y2 < 0 || box.x1 > cy.width() || box.y1 > cy.height();
    if (offScreen) cy.animate({ center: { eles: node } }, { duration: 350 });
  }
}

/** Moves keyboard focus to the panel's heading when it was lost (the link or button that had it
 * was redrawn away) or is in the panel; never away from what the user went on to, such as the
 * search box. */
function focusTitle(): void {
  const active = document.activeElement;
  if (active && active !== document.body && !detailsPanel.contains(active)) return;
  document.getElementById("details-title")?.focus();
}

async function showDetails(id: string, moveFocus = false): Promise<void> {
  const fallback = nodeData(id) ?? { id, label: "", name: id };
  state.focus = id;
  save();
  cy.nodes(".focus").removeClass("focus");
  cy.getElementById(id).addClass("focus");
  refreshLabels(cy);
  cy.edges(".chosen").removeClass("chosen");
  const mine = ++detailsAsked;
  showLoading(detailsPanel, fallback, actions);
  if (moveFocus) focusTitle();
  const d = await api.details(id, state.asOf);
  if (mine !== detailsAsked) return;
  showNode(detailsPanel, d, fallback, interlockInfo.get(id), state.asOf, actions);
  if (moveFocus) focusTitle();
  // A short word for screen readers: the panel itself is too long to read out on each change.
  el<HTMLElement>("announce").textContent = `Details: ${d?.name ?? fallback.name}.`;
}

/** Search result, link in the panel, or URL: make sure the node is drawn, then focus it.
 * moveFocus: the action came from the panel or a list that is about to change, so keyboard
 * focus goes to the panel's heading rather than being lost. */
async function openNode(id: string, moveFocus = false): Promise<void> {
  clearError();
  if (!state.expanded.includes(id) || cy.getElementById(id).empty()) await expand(id);
  if (cy.getElementById(id).empty()) return;
  select(id, true);
  refreshView();
  await showDetails(id, moveFocus);
}

// ---- Paths -----------------------------------------------------------------------------------

function clearPath(): void {
  cy.elements(".on-path").removeClass("on-path");
  cy.elements(".faded").removeClass("faded");
  state.path = null;
  pathGraph = null;
  el<HTMLElement>("path-bar").hidden = true;
  save();
}

function pathBar(parts: (string | HTMLElement)[]): void {
  const bar = el<HTMLElement>("path-bar");
  bar.innerHTML = "";
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Clear path";
  close.addEventListener("click", () => {
    clearPath();
    refreshView();
  });
  bar.append(...parts, close);
  bar.hidden = false;
}

function describe(edge: GraphEdge): string {
  return edgeLook(edge.type).title;
}

/** The chain linking two nodes that best explains governance: governance links only, nothing
 * the legend hides; failing that, the API's shortest chain, saying what it goes through. */
async function drawPath(from: string, to: string, options: { relayout?: boolean; anyway?: boolean } = {}): Promise<void> {
  const relayout = options.relayout ?? true;
  clearPath();
  const hiddenTypes = new Set(state.hiddenTypes);
  const hiddenLabels = new Set(state.hiddenLabels);
  // On a date, the chain goes only through what is in force on it.
  const asOf = state.asOf;
  const onDate = asOf ? ` in force on ${asOf}` : "";
  let graph: Graph | null = await api.path(from, to, asOf, {
    types: [...hiddenTypes, ...PLACE_TYPES],
    labels: [...hiddenLabels],
    status: ["example"],
  });
  if (graph.nodes.length === 0) graph = null;
  let note = "";
  const known = new Map<string, string>();
  const name = (id: string) => nodeData(id)?.name ?? known.get(id) ?? id;
  if (!graph) {
    const any = await api.path(from, to, asOf);
    any.nodes.forEach((n) => known.set(n.id, n.name));
    if (any.nodes.length === 0) {
      if (!nodeData(from) || !nodeData(to)) (await api.namesOf(from, to)).forEach((n, id) => known.set(id, n));
      notice(`No chain of up to 12 steps${onDate} links ${name(from)} and ${name(to)}.`, 9000);
      return;
    }
    const uses = pathUses(any, hiddenTypes, hiddenLabels);
    if (uses.hidden.length && !options.anyway) {
      const what = uses.hidden.map((t) => (hiddenTypes.has(t) ? edgeLook(t).title : nodeLook(t).title)).join(", ");
      const text = document.createElement("span");
      text.textContent = `No chain between ${name(from)} and ${name(to)} avoids what the legend hides; the shortest goes through: ${what}.`;
      const anyway = document.createElement("button");
      anyway.type = "button";
      anyway.textContent = "Show it anyway";
      anyway.addEventListener("click", guard(() => drawPath(from, to, { anyway: true })));
      pathBar([text, anyway]);
      return;
    }
    graph = any;
    if (uses.place) note = "No governance chain links them: this one goes through a shared area.";
    else if (uses.example) note = "No governance chain links them: this one goes through a worked example.";
  }
  graph.nodes.forEach((n) => known.set(n.id, n.name));
  for (const n of graph.nodes) state.removed = without(state.removed, n.id);
  const added = mergeGraph(cy, graph);
  state.path = [from, to];
  pathGraph = graph;
  pathStart = null;
  const ids = new Set([...graph.nodes.map((n) => n.id), ...graph.edges.map((e) => e.id)]);
  const onPath = cy.elements().filter((e) => ids.has(e.id()));
  cy.elements().addClass("faded");
  onPath.removeClass("faded").addClass("on-path");
  refreshView();
  save();
  const steps = graph.edges.length;
  const text = document.createElement("span");
  text.textContent = `Path: ${name(from)} → ${name(to)} (${steps} step${steps === 1 ? "" : "s"}${asOf ? `, on ${asOf}` : ""})`;
  // The chain in words, for reading and for screen readers.
  const chain = document.createElement("span");
  chain.className = "visually-hidden";
  chain.textContent = graph.nodes
    .map((n, i) => (i < graph!.edges.length ? `${n.name}, ${describe(graph!.edges[i])},` : n.name))
    .join(" ");
  const parts: (string | HTMLElement)[] = [text, chain];
  if (note) {
    const warn = document.createElement("span");
    warn.className = "path-note";
    warn.textContent = note;
    parts.push(warn);
  }
  pathBar(parts);
  if (relayout && added.nonempty()) await layout({ fitTo: onPath, incremental: true });
  else fit(onPath, 60, relayout);
}

function pickedNotice(): void {
  if (picks.length === 2) {
    notice(`Picked ${nameOf(picks[0])} and ${nameOf(picks[1])}: press Path to see how they connect.`, 12000);
  } else if (picks.length === 1) {
    notice(`Picked ${nameOf(picks[0])}: shift-click a second node, then press Path.`, 12000);
  } else notice(null);
}

/** Shift- (or Ctrl-, Cmd-) click adds a node to the picks, or takes it out; the last two count. */
function togglePick(id: string): void {
  setPicks(picks.includes(id) ? without(picks, id) : [...picks, id].slice(-2));
  refreshView();
  pickedNotice();
}

const actions: DetailActions = {
  open: (id: string) => guard(openNode)(id, true),
  expand: guard(async (id: string) => {
    await expand(id);
    if (state.focus === id) await showDetails(id, true);
  }),
  collapse: guard(collapse),
  remove: (id: string) => removeNode(id, true),
  isExpanded: (id: string) => state.expanded.includes(id),
  isDrawn: (id: string) => cy.getElementById(id).nonempty(),
  pathFrom: (id: string) => {
    pathStart = { id, name: nameOf(id) };
    notice(`Path from ${pathStart.name}: now open another node and press “Path … to here”.`, 10000);
    void showDetails(id, true).catch(showError);
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
    guard(openNode)(id, true);
  });
  return a;
}

// ---- Interlocks ------------------------------------------------------------------------------

async function loadInterlocks(reshow = true): Promise<void> {
  const { items: found, totalCount } = await api.interlocks(state.asOf);
  interlockInfo = new Map(
    found.map((i) => {
      const proposed = api.proposedBoards(api.seatsOf(i.member), i.boards);
      return [i.member.id, { boards: i.boards.length, proposed: i.boards.filter((b) => proposed.has(b.id)).map((b) => b.name) }];
    }),
  );
  refreshView();
  // The panel may have opened before these arrived: show it again with its interlock badge.
  if (reshow && state.focus && interlockInfo.has(state.focus)) void showDetails(state.focus);
  const list = el<HTMLOListElement>("interlocks");
  list.innerHTML = "";
  const top = [...found].sort((a, b) => b.boards.length - a.boards.length || a.member.name.localeCompare(b.member.name));
  for (const item of top.slice(0, 15)) {
    const li = document.createElement("li");
    const link = nodeLink(item.member.id, item.member.name);
    const proposed = interlockInfo.get(item.member.id)?.proposed ?? [];
    link.title = `Sits on: ${item.boards.map((b) => `${b.name}${proposed.includes(b.name) ? " (only proposed)" : ""}`).join("; ")}`;
    li.append(link, ` (${item.boards.length}${proposed.length ? `, ${proposed.length} only proposed` : ""})`);
    list.append(li);
  }
  if (totalCount > 15) list.insertAdjacentHTML("beforeend", `<li class="hint">…and ${totalCount - 15} more</li>`);
  if (found.length === 0) list.insertAdjacentHTML("beforeend", `<li class="hint">None${state.asOf ? ` as of ${state.asOf}` : ""}.</li>`);
}

// ---- Findings (the rule checks), for the date shown -------------------------------------------

// ---- Sizes by a network measure, for the date shown ---------------------------------------------

const sizeSelect = el<HTMLSelectElement>("size-by");

async function loadSizes(): Promise<void> {
  const measure = sizeSelect.value as Measure | "";
  const asOf = state.asOf;
  const values = measure ? await measured(measure, asOf) : null;
  if (asOf !== state.asOf || measure !== sizeSelect.value) return; // asked again meanwhile
  sizeValues = values;
  applySizes(cy, sizeValues);
}

sizeSelect.addEventListener("change", guard(loadSizes));

async function loadFindings(): Promise<void> {
  const asOf = state.asOf;
  const found = await checks(asOf);
  if (asOf !== state.asOf) return; // the date moved on while they were asked for
  showFindings(el<HTMLUListElement>("findings"), found, asOf, (id) => guard(openNode)(id, true));
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
  const e = event.originalEvent as MouseEvent | undefined;
  if (e && (e.shiftKey || e.ctrlKey || e.metaKey)) {
    togglePick(id); // picks for Path; the open node stays the first pick
    return;
  }
  guard(async () => {
    clearError();
    select(id, false);
    refreshView();
    const details = showDetails(id);
    if (!state.expanded.includes(id)) await expand(id);
    await details;
  })();
});

cy.on("tap", "edge", (event: EventObject) => {
  const edge = event.target as EdgeSingular;
  cy.edges(".chosen").removeClass("chosen");
  edge.addClass("chosen");
  showEdge(detailsPanel, edge.data() as GraphEdge, edge.source().data(), edge.target().data(), state.asOf, actions);
});

cy.on("dragfree", "node", (event: EventObject) => {
  const node = event.target as NodeSingular;
  const p = node.position();
  state.pins[node.id()] = { x: Math.round(p.x), y: Math.round(p.y) };
  save();
  refreshLabels(cy);
});

const layoutSelect = el<HTMLSelectElement>("layout");
const depthSelect = el<HTMLSelectElement>("depth");
const asOfInput = el<HTMLInputElement>("as-of");

layoutSelect.addEventListener("change", guard(async () => {
  state.layout = layoutSelect.value as LayoutName;
  state.pins = {}; // a new layout places everything afresh
  save();
  await layout();
}));

depthSelect.addEventListener("change", () => {
  state.depth = Number(depthSelect.value);
  save();
});

// ---- Time: the timeline slider and the date box both set the date (asOf) ---------------------

const timeline = el<HTMLInputElement>("timeline");
const timelineValue = el<HTMLOutputElement>("timeline-value");
let stops: string[] = [];

/** The timeline's stops and position for what is drawn now, and the words saying the date. */
function updateTimeline(): void {
  const facts = [...cy.nodes().map((n: NodeSingular) => n.data()), ...cy.edges().map((e: EdgeSingular) => e.data())];
  stops = timelineStops(documentDates, facts);
  timeline.max = String(stops.length);
  timeline.value = String(positionOf(stops, state.asOf));
  el<HTMLElement>("timeline-min").textContent = stops.length ? stops[0].slice(0, 4) : "";
  el<HTMLElement>("timeline-max").textContent = stops.length ? stops[stops.length - 1].slice(0, 4) : "";
  const words = state.asOf ? `In force on ${state.asOf}` : "All dates";
  timeline.setAttribute("aria-valuetext", words);
  timelineValue.textContent = state.asOf ?? "All dates";
  if (asOfInput.value !== (state.asOf ?? "")) asOfInput.value = state.asOf ?? "";
  const hidden = cy.elements(".out-of-time");
  el<HTMLElement>("time-status").textContent = state.asOf
    ? `In force on ${state.asOf}: ${hidden.nodes().length} node${hidden.nodes().length === 1 ? "" : "s"} and ` +
      `${hidden.edges().length} relationship${hidden.edges().length === 1 ? "" : "s"} drawn are not, and are hidden.`
    : "Showing all dates.";
}

let timeAsked: number | undefined;

/** Sets the date: what is drawn follows at once; the interlocks and the panel, which ask the
 * knowledge base, once the date has stayed put for a moment (dragging the slider asks once). */
function setAsOf(day: string | null): void {
  if (day === state.asOf) return;
  state.asOf = day;
  save();
  refreshView();
  window.clearTimeout(timeAsked);
  timeAsked = window.setTimeout(
    guard(async () => {
      await Promise.all([loadInterlocks(false), loadFindings(), loadSizes()]);
      if (state.focus && nodeData(state.focus)) await showDetails(state.focus);
    }),
    250,
  );
}

timeline.addEventListener("input", () => {
  const position = Number(timeline.value);
  setAsOf(position === 0 ? null : (stops[position - 1] ?? null));
});

asOfInput.addEventListener("change", () => setAsOf(asOfInput.value || null));

el("fit").addEventListener("click", () => fit(cy.elements().not(".filtered")));

el("path-selected").addEventListener("click", guard(async () => {
  if (picks.length === 2) await drawPath(picks[0], picks[1]);
  else if (pathStart && state.focus && pathStart.id !== state.focus) await drawPath(pathStart.id, state.focus);
  else {
    notice(
      picks.length === 1
        ? `Only ${nameOf(picks[0])} is picked: shift-click a second node (or open it and use “Path from here…”), then press Path.`
        : "Pick two nodes first: click one, shift-click another, then press Path. Or use “Path from here…” in the details.",
      12000,
    );
  }
}));

function clearAll(): void {
  cy.elements().remove();
  state.expanded = [];
  state.added = [];
  state.removed = [];
  state.pins = {};
  state.focus = null;
  state.path = null;
  pathGraph = null;
  pathStart = null;
  picks = [];
  neighbourhoodOf.clear();
  detailsAsked++;
  el<HTMLElement>("path-bar").hidden = true;
  showEmpty(detailsPanel);
}

el("clear").addEventListener("click", () => {
  clearAll();
  refreshView();
  save();
});

function viewTitle(): string {
  if (state.path) return `Path: ${nameOf(state.path[0])} → ${nameOf(state.path[1])}`;
  if (state.focus && nodeData(state.focus)) return nameOf(state.focus);
  const first = state.expanded.find((id) => nodeData(id));
  return first ? nameOf(first) : "Partnership KB view";
}

function currentFrame(): PngFrame {
  const shown = cy.elements().not(".filtered");
  const bits = [`${shown.nodes().length} nodes, ${shown.edges().length} relationships`];
  if (state.asOf) bits.push(`as of ${state.asOf}`);
  bits.push("Partnership KB explorer");
  return pngFrame(cy, viewTitle(), bits.join(" · "));
}

el("export-png").addEventListener("click", guard(() => exportPng(cy, currentFrame())));
el("export-graphml").addEventListener("click", () => exportGraphML(cy));
el("export-json").addEventListener("click", () => exportJSON(cy, state, viewTitle()));

const fileInput = el<HTMLInputElement>("load-json-file");
el("load-json").addEventListener("click", () => fileInput.click());
fileInput.addEventListener("change", guard(async () => {
  const file = fileInput.files?.[0];
  fileInput.value = "";
  if (file) await loadView(await file.text());
}));

/** Loads a view saved with JSON: exactly its nodes, relationships and positions, and its state. */
async function loadView(text: string): Promise<void> {
  let saved;
  try {
    saved = parseView(text);
  } catch (err) {
    throw new Error(`That file cannot be opened as a view: ${(err as Error).message}.`);
  }
  clearAll();
  const asOfBefore = state.asOf;
  Object.assign(state, saved.state);
  layoutSelect.value = state.layout;
  depthSelect.value = String(state.depth);
  renderLegendNow();
  mergeGraph(cy, saved.graph);
  cy.nodes().forEach((n: NodeSingular) => {
    const p = saved.positions[n.id()];
    if (p) n.position(p);
  });
  applyPins();
  if (state.path && saved.onPath.length) {
    const [a, b] = state.path;
    const ids = new Set(saved.onPath);
    const onPath = cy.elements().filter((e) => ids.has(e.id()));
    pathGraph = { nodes: onPath.nodes().map((n: NodeSingular) => n.data() as GraphNode), edges: [] };
    cy.elements().addClass("faded");
    onPath.removeClass("faded").addClass("on-path");
    pathBar([`Path: ${nameOf(a)} → ${nameOf(b)} (${onPath.edges().length} steps)`]);
  } else state.path = null;
  refreshView();
  fit(cy.elements().not(".filtered"), 30, false);
  save();
  if (state.asOf !== asOfBefore) await Promise.all([loadInterlocks(), loadFindings()]);
  notice(`Opened a saved view: ${cy.nodes().length} nodes.`);
  if (state.focus && nodeData(state.focus)) {
    select(state.focus, false);
    await showDetails(state.focus);
  }
}

function renderLegendNow(): void {
  renderLegend(legendNodes, legendEdges, state.hiddenLabels, state.hiddenTypes, (labels, types) => {
    state.hiddenLabels = labels;
    state.hiddenTypes = types;
    refreshView();
    save();
    void layout().catch(showError);
  });
}
renderLegendNow();

setupSearch({
  input: el<HTMLInputElement>("search"),
  list: el<HTMLUListElement>("search-results"),
  onChoose: (hit) => guard(openNode)(hit.id),
  onError: showError,
});

// The view options fold behind a button on narrow screens.
const menuToggle = el<HTMLButtonElement>("menu-toggle");
menuToggle.addEventListener("click", () => {
  const open = el<HTMLElement>("controls").classList.toggle("open");
  menuToggle.setAttribute("aria-expanded", String(open));
});

// ---- Start: restore the view the URL describes -----------------------------------------------

async function restore(): Promise<void> {
  layoutSelect.value = state.layout;
  depthSelect.value = String(state.depth);
  el<HTMLElement>("welcome").hidden = state.expanded.length > 0 || state.added.length > 0 || state.path !== null;
  const dates = api.documentDates().then((found) => {
    documentDates = found;
    updateTimeline();
  });
  const side = Promise.allSettled([loadInterlocks(), loadFindings(), loadStartingPoints(), dates]);
  const skip = new Set(state.removed);
  const wanted = [...new Set([...state.expanded, ...state.added])];
  const graphs = await api.neighbourhoods(wanted, state.depth, 200);
  for (const id of state.expanded) {
    const graph = graphs.get(id);
    if (!graph) continue;
    neighbourhoodOf.set(id, graph);
    mergeGraph(cy, graph, undefined, skip);
  }
  for (const id of state.added) {
    // Drawn on its own: the node, and its relationships to what is drawn.
    const graph = graphs.get(id);
    const node = graph?.nodes.find((n) => n.id === id);
    if (graph && node) mergeGraph(cy, { nodes: [node], edges: graph.edges }, undefined, skip);
  }
  refreshView();
  if (state.path) await drawPath(state.path[0], state.path[1], { relayout: false });
  if (cy.nodes().nonempty()) await layout({ animate: false });
  if (state.path) {
    fit(cy.elements(".on-path"), 60, false);
  }
  if (state.focus && nodeData(state.focus)) {
    select(state.focus, !state.path);
    refreshView();
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
  picks: () => [...picks],
  labels: () => labelSizes(cy),
  loadView,
  export: {
    png: toPng,
    framedPng: () => toFramedPng(cy, currentFrame()),
    frame: currentFrame,
    graphml: () => toGraphML(cy),
    json: () => toJSON(cy, state, viewTitle()),
  },
  defaults: DEFAULT_STATE,
};
