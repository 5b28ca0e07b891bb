// Exports of the current view (what is drawn and not filtered out): PNG, GraphML and JSON.

import type { Core, EdgeSingular, NodeSingular } from "cytoscape";
import type { GraphEdge, GraphNode } from "./types";

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

function stamp(): string {
  return new Date().toISOString().slice(0, 10);
}

export function toPng(cy: Core): Blob {
  return cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff", maxWidth: 8000, maxHeight: 8000 });
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

/** The view in the API's own Graph shape, plus positions and the link that reproduces it. */
export function toJSON(cy: Core): string {
  const { nodes, edges } = visible(cy);
  const graphNodes = nodes.map((n: NodeSingular) => {
    const node: GraphNode & { x: number; y: number; interlock: boolean } = {
      id: n.id(),
      label: n.data("label"),
      name: n.data("name"),
      kind: n.data("kind") ?? null,
      status: n.data("status") ?? null,
      tier: n.data("tier") ?? null,
      code: n.data("code") ?? null,
      x: Math.round(n.position().x),
      y: Math.round(n.position().y),
      interlock: n.hasClass("interlock"),
    };
    return node;
  });
  const graphEdges = edges.map((e: EdgeSingular): GraphEdge => ({
    id: e.id(),
    type: e.data("type"),
    source: e.source().id(),
    target: e.target().id(),
    role: e.data("role") ?? null,
    frequency: e.data("frequency") ?? null,
    sources: e.data("sources") ?? [],
  }));
  return JSON.stringify({ view: window.location.href, exported: new Date().toISOString(), nodes: graphNodes, edges: graphEdges }, null, 2);
}

export function exportPng(cy: Core): void {
  download(toPng(cy), `partnership-kb-${stamp()}.png`);
}

export function exportGraphML(cy: Core): void {
  download(new Blob([toGraphML(cy)], { type: "application/graphml+xml" }), `partnership-kb-${stamp()}.graphml`);
}

export function exportJSON(cy: Core): void {
  download(new Blob([toJSON(cy)], { type: "application/json" }), `partnership-kb-${stamp()}.json`);
}
