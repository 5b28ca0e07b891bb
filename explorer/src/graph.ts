// The drawing: Cytoscape set-up, how each node and relationship type looks, the legend (which is
// also the type filter), and merging API graphs into the view.

import cytoscape from "cytoscape";
import type { Core, ElementDefinition, StylesheetJson, NodeSingular, EdgeSingular } from "cytoscape";
import { hiddenByPlace } from "./attributes";
import { inForce, isTentative } from "./time";
import type { Graph, GraphEdge, GraphNode } from "./types";

export interface NodeLook {
  colour: string;
  shape: cytoscape.Css.NodeShape;
  size: number;
  title: string;
}

/** Colour and shape per node type: shapes too, so the types stay apart without colour. */
export const NODE_TYPES: Record<string, NodeLook> = {
  Partnership: { colour: "#d55e00", shape: "round-rectangle", size: 40, title: "Partnership / board" },
  Organisation: { colour: "#0072b2", shape: "rectangle", size: 34, title: "Organisation" },
  Post: { colour: "#b05a94", shape: "ellipse", size: 26, title: "Post" },
  Person: { colour: "#009e73", shape: "ellipse", size: 22, title: "Person" },
  Strategy: { colour: "#8c564b", shape: "tag", size: 34, title: "Strategy" },
  Aim: { colour: "#e69f00", shape: "pentagon", size: 32, title: "Aim" },
  Outcome: { colour: "#b8960b", shape: "diamond", size: 34, title: "Outcome" },
  Action: { colour: "#7a7a1f", shape: "round-diamond", size: 26, title: "Action" },
  Programme: { colour: "#3a9ad9", shape: "star", size: 34, title: "Programme" },
  Area: { colour: "#7f7f7f", shape: "triangle", size: 28, title: "Area" },
  Source: { colour: "#444444", shape: "round-tag", size: 24, title: "Source document" },
  Guidance: { colour: "#aa4499", shape: "octagon", size: 26, title: "Guidance" },
};
const OTHER: NodeLook = { colour: "#999999", shape: "ellipse", size: 24, title: "Other" };

export function nodeLook(label: string): NodeLook {
  return NODE_TYPES[label] ?? OTHER;
}

export interface EdgeLook {
  colour: string;
  line: "solid" | "dashed" | "dotted";
  width: number;
  title: string;
}

export const EDGE_TYPES: Record<string, EdgeLook> = {
  MEMBER_OF: { colour: "#d55e00", line: "solid", width: 1.6, title: "sits on" },
  HOLDS: { colour: "#009e73", line: "solid", width: 1.6, title: "holds post" },
  POST_IN: { colour: "#b05a94", line: "dashed", width: 1.4, title: "post in" },
  PART_OF: { colour: "#222222", line: "solid", width: 2.6, title: "part of" },
  ACCOUNTABLE_TO: { colour: "#0072b2", line: "solid", width: 2.6, title: "accountable to" },
  SUPPORTED_BY: { colour: "#3a9ad9", line: "dashed", width: 1.4, title: "supported by" },
  OWNS: { colour: "#8c564b", line: "dotted", width: 1.8, title: "owns strategy" },
  HAS_AIM: { colour: "#b8960b", line: "solid", width: 1.4, title: "has aim" },
  HAS_OUTCOME: { colour: "#b8960b", line: "solid", width: 1.4, title: "has outcome" },
  HAS_ACTION: { colour: "#b8960b", line: "solid", width: 1.4, title: "has action" },
  DELIVERS: { colour: "#117733", line: "solid", width: 2, title: "delivers" },
  RUNS: { colour: "#3a9ad9", line: "solid", width: 1.6, title: "runs" },
  COVERS: { colour: "#9a9a9a", line: "dotted", width: 1.2, title: "covers area" },
  WITHIN: { colour: "#7f7f7f", line: "dashed", width: 1.2, title: "within" },
};
const OTHER_EDGE: EdgeLook = { colour: "#999999", line: "solid", width: 1.2, title: "related" };

export function edgeLook(type: string): EdgeLook {
  return EDGE_TYPES[type] ?? OTHER_EDGE;
}

function shortName(node: GraphNode): string {
  const name = node.name || node.id;
  return name.length > 70 ? `${name.slice(0, 67)}…` : name;
}

function edgeLabel(edge: GraphEdge): string {
  const base = edgeLook(edge.type).title;
  if (edge.role && edge.role !== "member") return `${base} (${edge.role})`;
  if (edge.frequency) return `${base} (${edge.frequency})`;
  return base;
}

/** Labels are never drawn smaller than this many screen pixels. */
export const MIN_LABEL_PX = 11;
/** Label size at zoom 1, in model units; also the screen size of labels kept when zoomed out. */
const LABEL_SIZE = 12;
const EDGE_LABEL_SIZE = 10;

let zoomOf: () => number = () => 1;

/** When zoomed out so far that labels would shrink below MIN_LABEL_PX, the labels that fit
 * without overlapping (most important first: the open node, picks, the path, expanded nodes,
 * boards, interlocks, ...) are drawn at LABEL_SIZE screen pixels ("key"), the rest hidden
 * ("quiet") until zooming in makes room; pointing at a node shows its label. */
function keyScale(): number {
  return Math.max(1, LABEL_SIZE / (LABEL_SIZE * zoomOf()));
}

const STYLE: StylesheetJson = [
  {
    selector: "node",
    style: {
      label: "data(short)",
      "background-color": "data(colour)",
      shape: "data(shape)" as unknown as cytoscape.Css.NodeShape,
      width: "data(size)",
      height: "data(size)",
      "font-size": LABEL_SIZE,
      color: "#1d2330",
      "text-valign": "bottom",
      "text-margin-y": 3,
      "text-wrap": "wrap",
      "text-max-width": "120px",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
      "text-background-padding": "1px",
      "border-width": 1,
      "border-color": "#ffffff",
    },
  },
  { selector: "node.quiet", style: { label: "" } },
  // Sized by a network measure: what that network does not hold steps back.
  { selector: "node.unmeasured", style: { opacity: 0.45 } },
  {
    selector: "node.key, node.hover",
    style: {
      label: "data(short)",
      "font-size": () => LABEL_SIZE * keyScale(),
      "text-max-width": () => `${Math.round(120 * keyScale())}px`,
      "text-margin-y": () => 3 * keyScale(),
      "z-index": 5,
    } as unknown as cytoscape.Css.Node,
  },
  {
    selector: "node.interlock",
    style: {
      "border-width": 4,
      "border-color": "#e6a100",
      "underlay-color": "#ffd24d",
      "underlay-padding": 5,
      "underlay-opacity": 0.55,
      "underlay-shape": "ellipse",
      "font-weight": "bold",
    },
  },
  { selector: "node.interlock.proposed-seats", style: { "border-style": "dashed" } },
  { selector: "node.expanded", style: { "border-style": "double", "border-width": 4, "border-color": "#1d2330" } },
  { selector: "node.interlock.expanded", style: { "border-color": "#e6a100" } },
  // Only proposed, an option or an example: a dashed outline (dashed gold when an interlock).
  { selector: "node.tentative", style: { "border-style": "dashed", "border-width": 3, "border-color": "#1d2330" } },
  { selector: "node.tentative.interlock", style: { "border-width": 4, "border-color": "#e6a100" } },
  // Cytoscape's default blue for :selected is replaced by the picked overlay below.
  { selector: "node:selected", style: { "background-color": "data(colour)" } },
  {
    selector: "edge:selected",
    style: { "line-color": "data(colour)", "target-arrow-color": "data(colour)", "source-arrow-color": "data(colour)" },
  },
  {
    selector: "node.picked",
    style: { "overlay-color": "#2684ff", "overlay-opacity": 0.25, "overlay-padding": 6, "z-index": 10 },
  },
  {
    selector: "edge",
    style: {
      width: "data(width)",
      "line-color": "data(colour)",
      "line-style": "data(line)" as unknown as cytoscape.Css.LineStyle,
      "target-arrow-color": "data(colour)",
      "target-arrow-shape": "triangle",
      "arrow-scale": 0.8,
      "curve-style": "bezier",
      label: "data(caption)",
      "font-size": EDGE_LABEL_SIZE,
      color: "#4a5263",
      "text-rotation": "autorotate",
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.8,
      opacity: 0.85,
    },
  },
  { selector: "edge.quiet", style: { label: "" } },
  { selector: "edge.tentative", style: { "line-style": "dashed", "line-dash-pattern": [9, 5] } as unknown as cytoscape.Css.Edge },
  { selector: "edge.chosen", style: { width: 4, opacity: 1, "z-index": 10 } },
  { selector: ".filtered", style: { display: "none" } },
  { selector: ".faded", style: { opacity: 0.15, "text-opacity": 0.25 } },
  { selector: "node.on-path", style: { "overlay-color": "#c0392b", "overlay-opacity": 0.22, "overlay-padding": 8 } },
  { selector: "edge.on-path", style: { width: 5, "line-color": "#c0392b", "target-arrow-color": "#c0392b", opacity: 1 } },
];

export function createGraph(container: HTMLElement): Core {
  const cy = cytoscape({
    container,
    style: STYLE,
    minZoom: 0.05,
    maxZoom: 4,
    // What is selected is the explorer's picks (the open node, and one shift-clicked for a
    // path): main.ts puts Cytoscape's own selection back to them after each click.
    selectionType: "single",
    boxSelectionEnabled: false,
    // Big graphs stay usable: draw a cached texture while panning or zooming.
    textureOnViewport: false,
    hideEdgesOnViewport: false,
    motionBlur: false,
  });
  zoomOf = () => cy.zoom();
  let settle: number | undefined;
  cy.on("zoom", () => {
    // Small views re-plan their labels every frame; big ones once the zoom comes to rest, so
    // zooming stays smooth.
    if (cy.nodes().length <= 600) refreshLabels(cy);
    else {
      window.clearTimeout(settle);
      settle = window.setTimeout(() => refreshLabels(cy), 200);
    }
  });
  cy.on("mouseover", "node", (e) => {
    e.target.addClass("hover");
    restyle(e.target);
  });
  cy.on("mouseout", "node", (e) => {
    e.target.removeClass("hover");
    restyle(e.target);
  });
  return cy;
}

function restyle(eles: unknown): void {
  // updateStyle re-evaluates the function-valued sizes; it is missing from the type declarations.
  (eles as unknown as { updateStyle(): void }).updateStyle();
}

/** Which labels matter most when not all fit: lower first. */
function labelRank(n: NodeSingular): number {
  if (n.hasClass("focus") || n.hasClass("picked")) return 0;
  if (n.hasClass("on-path")) return 1;
  if (n.hasClass("expanded")) return 2;
  const label = n.data("label");
  if (label === "Partnership") return 3 - Math.min(0.9, n.degree(false) / 100);
  if (n.hasClass("interlock")) return 4;
  if (label === "Organisation") return 5;
  return 6 - Math.min(0.9, n.degree(false) / 100);
}

let measurer: CanvasRenderingContext2D | null = null;
const measured = new Map<string, { width: number; lines: number }>();

/** A label's size on screen as Cytoscape wraps it: at spaces, lines no wider than maxWidth
 * (a longer word overflows its line). */
function wrapped(text: string, font: string, maxWidth: number): { width: number; lines: number } {
  const key = `${font}|${text}`;
  const known = measured.get(key);
  if (known) return known;
  measurer ??= document.createElement("canvas").getContext("2d");
  const measure = (t: string) => (measurer ? (measurer.font = font, measurer.measureText(t).width) : t.length * 7);
  let width = 0;
  let lines = 0;
  let line = "";
  for (const word of text.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate) > maxWidth) {
      width = Math.max(width, measure(line));
      lines++;
      line = word;
    } else line = candidate;
  }
  if (line) {
    width = Math.max(width, measure(line));
    lines++;
  }
  const result = { width, lines: Math.max(1, lines) };
  measured.set(key, result);
  return result;
}

/** Decides which node labels are drawn (see keyScale); call after zooming, laying out or
 * changing which nodes matter. Labels are estimated as wrapped lines under the node. */
export function planLabels(cy: Core): void {
  const zoom = cy.zoom();
  const nodes = cy.nodes().not(".filtered");
  const small = LABEL_SIZE * zoom < MIN_LABEL_PX;
  cy.batch(() => {
    classAll(cy.edges(), "quiet", EDGE_LABEL_SIZE * zoom < MIN_LABEL_PX);
    if (!small) {
      cy.nodes(".quiet").removeClass("quiet");
      cy.nodes(".key").removeClass("key");
      return;
    }
    // Labels keep clear of each other and of the nodes (a label's white background would
    // cover a node drawn under it).
    const placed: { x1: number; x2: number; y1: number; y2: number }[] = [];
    const shapes = nodes.map((n: NodeSingular) => {
      const p = n.renderedPosition();
      const r = ((n.data("size") as number) * zoom) / 2;
      return { id: n.id(), x1: p.x - r, x2: p.x + r, y1: p.y - r, y2: p.y + r };
    });
    const apart = (a: { x1: number; x2: number; y1: number; y2: number }, b: typeof a) =>
      a.x2 <= b.x1 || a.x1 >= b.x2 || a.y2 <= b.y1 || a.y1 >= b.y2;
    const px = LABEL_SIZE;
    const maxWidth = 120; // screen pixels (text-max-width scales with keyScale)
    const order = (nodes.toArray() as NodeSingular[]).map((n) => ({ n, rank: labelRank(n) })).sort((a, b) => a.rank - b.rank);
    const limit = order.length > 600 ? 60 : order.length; // huge views: only the most important
    order.forEach(({ n }, i) => {
      if (i >= limit && labelRank(n) !== 0) {
        classIf(n, "quiet", true);
        classIf(n, "key", false);
        return;
      }
      const { width, lines } = wrapped(String(n.data("short") ?? ""), `${n.style("font-weight")} ${px}px ${n.style("font-family")}`, maxWidth);
      const p = n.renderedPosition();
      const top = p.y + ((n.data("size") as number) * zoom) / 2 + 2;
      const box = { x1: p.x - width / 2 - 3, x2: p.x + width / 2 + 3, y1: top, y2: top + lines * px * 1.3 + 3 };
      const clear = placed.every((o) => apart(box, o)) && shapes.every((s) => s.id === n.id() || apart(box, s));
      // The open node and the picks are always labelled.
      const keep = clear || labelRank(n) === 0;
      if (keep) placed.push(box);
      classIf(n, "key", keep);
      classIf(n, "quiet", !keep);
    });
  });
  restyle(cy.nodes(".key, .hover"));
}

let planQueued = false;

/** Re-plans the labels at the next frame (after zooming, or classes or positions change);
 * several calls in one frame plan once. */
export function refreshLabels(cy: Core): void {
  if (planQueued) return;
  planQueued = true;
  requestAnimationFrame(() => {
    planQueued = false;
    planLabels(cy);
  });
}

/** Each node's label as drawn: its size on screen and whether it is drawn at all. */
export function labelSizes(cy: Core): { id: string; px: number; shown: boolean; box: number[] }[] {
  const zoom = cy.zoom();
  return cy.nodes().not(".filtered").map((n: NodeSingular) => {
    const px = parseFloat(n.style("font-size")) * zoom;
    const shown = Boolean(n.style("label"));
    const b = n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false });
    return { id: n.id(), px, shown, box: shown ? [b.x1, b.y1, b.x2, b.y2] : [] };
  });
}

/** Sets or clears a class only where it changes: Cytoscape's toggleClass restyles every element
 * it is given, changed or not, which costs seconds over thousands of elements. */
export function classIf(ele: cytoscape.SingularElementArgument, cls: string, on: boolean): void {
  if (ele.hasClass(cls) !== on) ele.toggleClass(cls, on);
}

/** classIf for a whole collection. */
export function classAll(eles: cytoscape.Collection | cytoscape.EdgeCollection | cytoscape.NodeCollection, cls: string, on: boolean): void {
  const changing = (eles as cytoscape.Collection).filter((e) => e.hasClass(cls) !== on);
  if (changing.nonempty()) changing.toggleClass(cls, on);
}

/** Faster drawing for large views (switched as the view grows or shrinks). */
export function tuneForSize(cy: Core): void {
  const big = cy.elements().length > 1500;
  const renderer = (cy as unknown as { renderer(): { textureOnViewport?: boolean; hideEdgesOnViewport?: boolean } }).renderer();
  if (renderer.textureOnViewport === big) return;
  renderer.textureOnViewport = big;
  renderer.hideEdgesOnViewport = big;
}

export function nodeElement(node: GraphNode): ElementDefinition {
  const look = nodeLook(node.label);
  return {
    group: "nodes",
    data: { ...node, short: shortName(node), colour: look.colour, shape: look.shape, size: look.size },
  };
}

export function edgeElement(edge: GraphEdge): ElementDefinition {
  const look = edgeLook(edge.type);
  return {
    group: "edges",
    data: {
      ...edge,
      caption: edgeLabel(edge),
      colour: look.colour,
      line: look.line,
      width: look.width,
    },
  };
}

/** Adds what is not drawn yet; new nodes start at `near` so layouts grow from there.
 * Returns the elements added. */
export function mergeGraph(
  cy: Core,
  graph: Graph,
  near?: { x: number; y: number },
  skip: Set<string> = new Set(),
): cytoscape.CollectionReturnValue {
  const defs: ElementDefinition[] = [];
  // Nodes taken out of the view stay out (their edges too).
  const known = new Set<string>();
  // A new node starts next to a drawn neighbour (or `near`, or the middle of the view), so an
  // incremental layout grows the drawing from there.
  const anchor = new Map<string, { x: number; y: number }>();
  for (const edge of graph.edges) {
    for (const [mine, other] of [[edge.source, edge.target], [edge.target, edge.source]]) {
      const drawn = cy.getElementById(other);
      if (drawn.nonempty() && !anchor.has(mine)) anchor.set(mine, drawn.position());
    }
  }
  const extent = cy.extent();
  const middle = { x: (extent.x1 + extent.x2) / 2, y: (extent.y1 + extent.y2) / 2 };
  for (const node of graph.nodes) {
    if (skip.has(node.id) || known.has(node.id) || cy.getElementById(node.id).nonempty()) continue;
    known.add(node.id);
    const def = nodeElement(node);
    const from = near ?? anchor.get(node.id) ?? middle;
    const spread = near || anchor.has(node.id) ? 40 : 200;
    def.position = { x: from.x + (Math.random() - 0.5) * spread, y: from.y + (Math.random() - 0.5) * spread };
    defs.push(def);
  }
  for (const edge of graph.edges) {
    if (known.has(edge.id) || cy.getElementById(edge.id).nonempty()) continue;
    if (skip.has(edge.source) || skip.has(edge.target)) continue;
    const ends = [edge.source, edge.target];
    if (!ends.every((id) => known.has(id) || cy.getElementById(id).nonempty())) continue;
    known.add(edge.id);
    defs.push(edgeElement(edge));
  }
  const added = cy.add(defs);
  tuneForSize(cy);
  return added;
}

/** Hides the node and relationship types ticked off in the legend (and edges of hidden nodes),
 * and, given a date, what is not in force on it ("out-of-time": the node or relationship
 * itself, or a relationship to such a node). Only proposed, an option or an example is
 * "tentative": drawn dashed. */
/** What the legend and the attribute filters hide. */
export interface Hidden {
  labels: string[];
  types: string[];
  status?: string[];
  tiers?: string[];
  /** Area ids (NO_AREA: nodes in no area) and datasets hidden (see attributes.ts). */
  areas?: string[];
  datasets?: string[];
}

export function applyFilters(cy: Core, hidden: Hidden, asOf: string | null = null): void {
  const labels = new Set(hidden.labels);
  const types = new Set(hidden.types);
  const status = new Set(hidden.status ?? []);
  const tiers = new Set(hidden.tiers ?? []);
  const areas = new Set(hidden.areas ?? []);
  const datasets = new Set(hidden.datasets ?? []);
  cy.batch(() => {
    cy.nodes().forEach((n: NodeSingular) => {
      const late = !inForce(n.data(), asOf);
      classIf(n, "out-of-time", late);
      classIf(n, "tentative", isTentative(n.data()));
      const attribute = status.has(n.data("status")) || tiers.has(n.data("tier")) || hiddenByPlace(n, areas, datasets);
      classIf(n, "filtered", late || labels.has(n.data("label")) || attribute);
    });
    cy.edges().forEach((e: EdgeSingular) => {
      const late = !inForce(e.data(), asOf) || e.source().hasClass("out-of-time") || e.target().hasClass("out-of-time");
      classIf(e, "out-of-time", late);
      classIf(e, "tentative", isTentative(e.data()));
      const attribute = status.has(e.data("status")) || hiddenByPlace(e, areas, datasets);
      classIf(e, "filtered", late || types.has(e.data("type")) || attribute);
    });
  });
}

/** Marks the members that sit on two or more boards; a dashed ring when some of those seats
 * are only proposed. */
export function markInterlocks(cy: Core, boardsByMember: Map<string, { boards: number; proposed: string[] }>): void {
  cy.batch(() => {
    cy.nodes().forEach((n: NodeSingular) => {
      const info = boardsByMember.get(n.id());
      classIf(n, "interlock", info !== undefined);
      classIf(n, "proposed-seats", Boolean(info?.proposed.length));
      if (n.data("boards") !== (info?.boards ?? null)) n.data("boards", info?.boards ?? null);
    });
  });
}

// ---- The legend, which doubles as the type filter --------------------------------------------

function svg(inner: string, width = 18, height = 18): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-hidden="true" focusable="false">${inner}</svg>`;
}

const SHAPE_SVG: Partial<Record<string, (c: string) => string>> = {
  "round-rectangle": (c) => `<rect x="1" y="4" width="16" height="11" rx="3" fill="${c}"/>`,
  rectangle: (c) => `<rect x="2" y="3" width="14" height="12" fill="${c}"/>`,
  ellipse: (c) => `<circle cx="9" cy="9" r="7" fill="${c}"/>`,
  tag: (c) => `<path d="M1 4h11l5 5-5 5H1z" fill="${c}"/>`,
  "round-tag": (c) => `<path d="M2 5h10l4 4-4 4H2z" fill="${c}" stroke="${c}" stroke-linejoin="round" stroke-width="2"/>`,
  pentagon: (c) => `<path d="M9 1l8 6-3 10H4L1 7z" fill="${c}"/>`,
  diamond: (c) => `<path d="M9 1l8 8-8 8-8-8z" fill="${c}"/>`,
  "round-diamond": (c) => `<path d="M9 2l7 7-7 7-7-7z" fill="${c}" stroke="${c}" stroke-linejoin="round" stroke-width="2"/>`,
  star: (c) => `<path d="M9 1l2.2 5.3 5.8.4-4.4 3.7 1.4 5.6L9 13l-5 3 1.4-5.6L1 6.7l5.8-.4z" fill="${c}"/>`,
  triangle: (c) => `<path d="M9 2l8 14H1z" fill="${c}"/>`,
  octagon: (c) => `<path d="M6 1h6l5 5v6l-5 5H6l-5-5V6z" fill="${c}"/>`,
};

export function nodeSwatch(label: string): string {
  const look = nodeLook(label);
  const draw = SHAPE_SVG[look.shape] ?? SHAPE_SVG.ellipse!;
  return svg(draw(look.colour));
}

export function edgeSwatch(type: string): string {
  const look = edgeLook(type);
  const dash = look.line === "dashed" ? ` stroke-dasharray="5 3"` : look.line === "dotted" ? ` stroke-dasharray="1.5 2.5"` : "";
  return svg(
    `<line x1="1" y1="9" x2="20" y2="9" stroke="${look.colour}" stroke-width="${Math.max(1.5, look.width)}"${dash}/>` +
      `<path d="M20 5l5 4-5 4z" fill="${look.colour}"/>`,
    26,
    18,
  );
}

export function renderLegend(
  nodesList: HTMLElement,
  edgesList: HTMLElement,
  hiddenLabels: string[],
  hiddenTypes: string[],
  onChange: (hiddenLabels: string[], hiddenTypes: string[]) => void,
): void {
  const hiddenL = new Set(hiddenLabels);
  const hiddenT = new Set(hiddenTypes);
  nodesList.innerHTML = Object.entries(NODE_TYPES)
    .map(
      ([label, look]) =>
        `<li><label><input type="checkbox" data-label="${label}" ${hiddenL.has(label) ? "" : "checked"}>` +
        `${nodeSwatch(label)}<span>${look.title}</span><span class="count" data-count-label="${label}"></span></label></li>`,
    )
    .join("");
  edgesList.innerHTML = Object.entries(EDGE_TYPES)
    .map(
      ([type, look]) =>
        `<li><label><input type="checkbox" data-type="${type}" ${hiddenT.has(type) ? "" : "checked"}>` +
        `${edgeSwatch(type)}<span>${look.title}</span><span class="count" data-count-type="${type}"></span></label></li>`,
    )
    .join("");
  const changed = () => {
    const labels = [...nodesList.querySelectorAll<HTMLInputElement>("input[data-label]")]
      .filter((i) => !i.checked)
      .map((i) => i.dataset.label!);
    const types = [...edgesList.querySelectorAll<HTMLInputElement>("input[data-type]")]
      .filter((i) => !i.checked)
      .map((i) => i.dataset.type!);
    onChange(labels, types);
  };
  nodesList.addEventListener("change", changed);
  edgesList.addEventListener("change", changed);
}

/** Shows how many of each type the view holds, next to the legend entries. */
export function updateCounts(cy: Core, nodesList: HTMLElement, edgesList: HTMLElement): void {
  const byLabel = new Map<string, number>();
  cy.nodes().forEach((n: NodeSingular) => {
    byLabel.set(n.data("label"), (byLabel.get(n.data("label")) ?? 0) + 1);
  });
  const byType = new Map<string, number>();
  cy.edges().forEach((e: EdgeSingular) => {
    byType.set(e.data("type"), (byType.get(e.data("type")) ?? 0) + 1);
  });
  nodesList.querySelectorAll<HTMLElement>("[data-count-label]").forEach((el) => {
    el.textContent = String(byLabel.get(el.dataset.countLabel!) ?? "");
  });
  edgesList.querySelectorAll<HTMLElement>("[data-count-type]").forEach((el) => {
    el.textContent = String(byType.get(el.dataset.countType!) ?? "");
  });
}
