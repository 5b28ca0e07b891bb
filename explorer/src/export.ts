// Exports of the current view (what is drawn and not filtered out): PNG (with a title, the
// legend and the date), GraphML, and JSON, which loads back as a saved view.

import type { Core, EdgeSingular, NodeSingular } from "cytoscape";
import { edgeLook, edgeSwatch, nodeLook, nodeSwatch } from "./graph";
import type { Graph, GraphEdge, GraphNode, ViewState } from "./types";
import { DEFAULT_STATE, readPins } from "./url";

const NODE_KEYS = ["label", "name", "kind", "status", "tier", "code"] as const;
const EDGE_KEYS = ["type", "role", "frequency"] as const;

function visible(cy: Core) {
  const eles = cy.elements().not(".filtered");
  return { nodes: eles.nodes(), edges: eles.edges() };
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.style.display = "none";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Today's date (local), as yyyy-mm-dd. */
function stamp(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function toPng(cy: Core): Blob {
  return cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff", maxWidth: 8000, maxHeight: 8000 });
}

/** What the PNG's frame says: a title, a line under it, the date, and a legend of the node and
 * relationship types the picture holds. */
export interface PngFrame {
  title: string;
  subtitle: string;
  date: string;
  legend: { kind: "node" | "edge" | "note"; type: string; title: string }[];
}

export function pngFrame(cy: Core, title: string, subtitle: string): PngFrame {
  const { nodes, edges } = visible(cy);
  const labels = [...new Set(nodes.map((n: NodeSingular) => n.data("label") as string))].sort();
  const types = [...new Set(edges.map((e: EdgeSingular) => e.data("type") as string))].sort();
  return {
    title,
    subtitle,
    date: stamp(),
    legend: [
      ...labels.map((l) => ({ kind: "node" as const, type: l, title: nodeLook(l).title })),
      ...types.map((t) => ({ kind: "edge" as const, type: t, title: edgeLook(t).title })),
      ...(nodes.union(edges).filter(".tentative").nonempty()
        ? [{ kind: "note" as const, type: "tentative", title: "dashed: only proposed, option or example" }]
        : []),
    ],
  };
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error("an image of the export could not be drawn"));
    img.src = src;
  });
}

function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** A dashed line: what is only proposed, an option or an example. */
const DASHED =
  `<svg xmlns="http://www.w3.org/2000/svg" width="26" height="18" viewBox="0 0 26 18">` +
  `<line x1="1" y1="9" x2="25" y2="9" stroke="#1d2330" stroke-width="2.5" stroke-dasharray="6 3.5"/></svg>`;

function swatchOf(item: PngFrame["legend"][number]): string {
  if (item.kind === "node") return nodeSwatch(item.type);
  if (item.kind === "edge") return edgeSwatch(item.type);
  return DASHED;
}

/** The view as a PNG framed with its title, date and legend, so a picture explains itself. */
export async function toFramedPng(cy: Core, frame: PngFrame): Promise<Blob> {
  const k = 2; // pixels per CSS pixel
  // The whole view as it looks on screen (the same labels, drawn at the same size relative to
  // the nodes), at no less than 1600 pixels across.
  const box = cy.elements().not(".filtered").boundingBox({});
  const scale = Math.max(k * cy.zoom(), 1600 / Math.max(1, box.w));
  const graph = await loadImage(
    cy.png({ output: "base64uri", full: true, scale, bg: "#ffffff", maxWidth: 6000, maxHeight: 6000 }),
  );
  const pad = 16 * k;
  const width = Math.max(graph.width + 2 * pad, 760 * k);
  const column = 210 * k;
  const row = 24 * k;
  const perRow = Math.max(1, Math.floor((width - 2 * pad) / column));
  const legendRows = Math.ceil(frame.legend.length / perRow);
  const header = 70 * k;
  const legendTop = header + graph.height + 12 * k;
  const height = legendTop + (legendRows ? 28 * k + legendRows * row : 0) + pad;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("this browser cannot draw the export");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  const font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif";
  ctx.textBaseline = "alphabetic";
  ctx.fillStyle = "#1d2330";
  ctx.font = `bold ${20 * k}px ${font}`;
  ctx.fillText(fitText(ctx, frame.title, width - 2 * pad), pad, pad + 20 * k);
  ctx.fillStyle = "#4a5263";
  ctx.font = `${13 * k}px ${font}`;
  ctx.fillText(fitText(ctx, `${frame.date} · ${frame.subtitle}`, width - 2 * pad), pad, pad + 44 * k);
  ctx.strokeStyle = "#d8dde6";
  ctx.lineWidth = k;
  ctx.beginPath();
  ctx.moveTo(pad, header - 4 * k);
  ctx.lineTo(width - pad, header - 4 * k);
  ctx.stroke();
  ctx.drawImage(graph, Math.round((width - graph.width) / 2), header);
  if (legendRows) {
    ctx.fillStyle = "#1d2330";
    ctx.font = `bold ${13 * k}px ${font}`;
    ctx.fillText("Legend", pad, legendTop + 16 * k);
    ctx.font = `${12 * k}px ${font}`;
    const swatches = await Promise.all(
      frame.legend.map((item) =>
        loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(swatchOf(item))}`),
      ),
    );
    frame.legend.forEach((item, i) => {
      const x = pad + (i % perRow) * column;
      const y = legendTop + 28 * k + Math.floor(i / perRow) * row;
      const img = swatches[i];
      ctx.drawImage(img, x, y, img.width * k, img.height * k);
      ctx.fillStyle = "#1d2330";
      ctx.fillText(fitText(ctx, item.title, column - 36 * k), x + 32 * k, y + 14 * k);
    });
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png"),
  );
}

function xml(value: unknown): string {
  return String(value)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function toGraphML(cy: Core): string {
  const { nodes, edges } = visible(cy);
  const keys = [
    ...NODE_KEYS.map((k) => `  <key id="${k}" for="node" attr.name="${k}" attr.type="string"/>`),
    `  <key id="x" for="node" attr.name="x" attr.type="double"/>`,
    `  <key id="y" for="node" attr.name="y" attr.type="double"/>`,
    `  <key id="interlock" for="node" attr.name="interlock" attr.type="boolean"/>`,
    ...EDGE_KEYS.map((k) => `  <key id="e_${k}" for="edge" attr.name="${k}" attr.type="string"/>`),
  ];
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`,
    `  xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`,
    ...keys,
    `  <graph id="partnership-kb" edgedefault="directed">`,
  ];
  nodes.forEach((n: NodeSingular) => {
    const data = NODE_KEYS.filter((k) => n.data(k) != null).map((k) => `<data key="${k}">${xml(n.data(k))}</data>`);
    const p = n.position();
    data.push(`<data key="x">${p.x.toFixed(1)}</data>`, `<data key="y">${p.y.toFixed(1)}</data>`);
    if (n.hasClass("interlock")) data.push(`<data key="interlock">true</data>`);
    lines.push(`    <node id="${xml(n.id())}">${data.join("")}</node>`);
  });
  edges.forEach((e: EdgeSingular) => {
    const data = EDGE_KEYS.filter((k) => e.data(k) != null).map((k) => `<data key="e_${k}">${xml(e.data(k))}</data>`);
    lines.push(
      `    <edge id="${xml(e.id())}" source="${xml(e.source().id())}" target="${xml(e.target().id())}">${data.join("")}</edge>`,
    );
  });
  lines.push(`  </graph>`, `</graphml>`, ``);
  return lines.join("\n");
}

/** The view in the API's own Graph shape, plus positions, the view's state and the link that
 * reproduces it; `Open…` loads it back (parseView). */
export function toJSON(cy: Core, state: ViewState = DEFAULT_STATE, title = ""): string {
  const { nodes, edges } = visible(cy);
  const graphNodes = nodes.map((n: NodeSingular) => {
    const node: GraphNode & { x: number; y: number; interlock: boolean; onPath?: boolean } = {
      id: n.id(),
      label: n.data("label"),
      name: n.data("name"),
      kind: n.data("kind") ?? null,
      status: n.data("status") ?? null,
      tier: n.data("tier") ?? null,
      code: n.data("code") ?? null,
      datasets: n.data("datasets") ?? [],
      areas: n.data("areas") ?? [],
      x: Math.round(n.position().x),
      y: Math.round(n.position().y),
      interlock: n.hasClass("interlock"),
      ...(n.hasClass("on-path") ? { onPath: true } : {}),
    };
    return node;
  });
  const graphEdges = edges.map((e: EdgeSingular): GraphEdge & { onPath?: boolean } => ({
    id: e.id(),
    type: e.data("type"),
    source: e.source().id(),
    target: e.target().id(),
    role: e.data("role") ?? null,
    frequency: e.data("frequency") ?? null,
    sources: e.data("sources") ?? [],
    datasets: e.data("datasets") ?? [],
    basis: e.data("basis") ?? "STATED",
    inference: e.data("inference") ?? null,
    ...(e.hasClass("on-path") ? { onPath: true } : {}),
  }));
  return JSON.stringify(
    {
      format: VIEW_FORMAT,
      title,
      view: window.location.href,
      exported: new Date().toISOString(),
      state,
      nodes: graphNodes,
      edges: graphEdges,
    },
    null,
    2,
  );
}

export const VIEW_FORMAT = "partnership-kb-view/1";

export interface SavedView {
  /** Nodes and relationships of the path drawn, if any. */
  onPath: string[];
  state: ViewState;
  graph: Graph;
  positions: Record<string, { x: number; y: number }>;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function areaRefs(value: unknown): { id: string; name: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((a): a is { id: string; name?: unknown } => typeof a?.id === "string")
    .map((a) => ({ id: a.id, name: typeof a.name === "string" ? a.name : a.id }));
}

/** Reads a view saved by toJSON (or any JSON with nodes and edges in the Graph shape). */
export function parseView(text: string): SavedView {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error("the file is not JSON");
  }
  const data = raw as { state?: Partial<ViewState>; nodes?: unknown; edges?: unknown };
  if (!data || !Array.isArray(data.nodes) || !Array.isArray(data.edges)) {
    throw new Error("the file holds no view (it needs nodes and edges, as the JSON export writes them)");
  }
  const positions: Record<string, { x: number; y: number }> = {};
  const onPath: string[] = [];
  const nodes: GraphNode[] = [];
  for (const n of data.nodes as Record<string, unknown>[]) {
    if (typeof n?.id !== "string") continue;
    nodes.push({
      id: n.id,
      label: String(n.label ?? ""),
      name: String(n.name ?? n.id),
      kind: (n.kind as string | null) ?? null,
      status: (n.status as string | null) ?? null,
      tier: (n.tier as string | null) ?? null,
      code: (n.code as string | null) ?? null,
      datasets: strings(n.datasets),
      areas: areaRefs(n.areas),
    });
    if (typeof n.x === "number" && typeof n.y === "number") positions[n.id] = { x: n.x, y: n.y };
    if (n.onPath === true) onPath.push(n.id);
  }
  const ids = new Set(nodes.map((n) => n.id));
  const edges: GraphEdge[] = (data.edges as Record<string, unknown>[])
    .filter((e) => typeof e?.id === "string" && ids.has(e.source as string) && ids.has(e.target as string))
    .map((e) => {
      if (e.onPath === true) onPath.push(e.id as string);
      return e;
    })
    .map((e) => ({
      id: e.id as string,
      type: String(e.type ?? ""),
      source: e.source as string,
      target: e.target as string,
      role: (e.role as string | null) ?? null,
      frequency: (e.frequency as string | null) ?? null,
      sources: (e.sources as GraphEdge["sources"]) ?? [],
      datasets: strings(e.datasets),
      basis: e.basis === "INFERRED" ? "INFERRED" : "STATED",
      inference: typeof e.inference === "string" ? e.inference : null,
    }));
  const s = data.state ?? {};
  const state: ViewState = {
    ...DEFAULT_STATE,
    expanded: strings(s.expanded),
    added: strings(s.added),
    removed: strings(s.removed),
    focus: typeof s.focus === "string" && ids.has(s.focus) ? s.focus : null,
    path: Array.isArray(s.path) && s.path.length === 2 ? [String(s.path[0]), String(s.path[1])] : null,
    layout: s.layout === "force" ? "force" : "hierarchy",
    depth: Math.min(3, Math.max(1, Number(s.depth) || 1)),
    asOf: typeof s.asOf === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s.asOf) ? s.asOf : null,
    hiddenLabels: strings(s.hiddenLabels),
    hiddenTypes: strings(s.hiddenTypes),
    hiddenStatus: strings(s.hiddenStatus),
    hiddenTiers: strings(s.hiddenTiers),
    hiddenAreas: strings(s.hiddenAreas),
    hiddenDatasets: strings(s.hiddenDatasets),
    pins: typeof s.pins === "object" && s.pins ? readPins(Object.entries(s.pins).map(([id, p]) => `${id}:${(p as { x: number }).x}:${(p as { y: number }).y}`).join(",")) : {},
  };
  return { state, graph: { nodes, edges }, positions, onPath };
}

export async function exportPng(cy: Core, frame: PngFrame): Promise<void> {
  download(await toFramedPng(cy, frame), `partnership-kb-${stamp()}.png`);
}

export function exportGraphML(cy: Core): void {
  download(new Blob([toGraphML(cy)], { type: "application/graphml+xml" }), `partnership-kb-${stamp()}.graphml`);
}

export function exportJSON(cy: Core, state: ViewState, title: string): void {
  download(new Blob([toJSON(cy, state, title)], { type: "application/json" }), `partnership-kb-${stamp()}.json`);
}
