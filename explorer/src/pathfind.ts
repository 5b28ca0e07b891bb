// Paths that explain governance: the shortest chain between two nodes that uses governance
// relationships (sits on, holds, part of, accountable to, delivers, ...), passes through no
// worked example, and respects the legend's filters. A shared place ("covers area", "within")
// says two bodies work in the same area, not that one governs the other, so those links are
// used only when nothing else connects. The API's `path` searches with these rules (its
// avoid* arguments); this module says what a chain found without them breaks.

import type { Graph } from "./types";

/** Relationship types that say only where something is, not who governs whom. */
export const PLACE_TYPES = new Set(["COVERS", "WITHIN"]);

/** What in a chain breaks the rules: hidden types, hidden node types, shared-place links,
 * worked examples passed through. */
export function pathUses(
  graph: Graph,
  hiddenTypes: Set<string>,
  hiddenLabels: Set<string>,
): { hidden: string[]; place: boolean; example: boolean } {
  const ends = new Set([graph.nodes[0]?.id, graph.nodes[graph.nodes.length - 1]?.id]);
  const hidden = new Set<string>();
  for (const e of graph.edges) if (hiddenTypes.has(e.type)) hidden.add(e.type);
  for (const n of graph.nodes) if (!ends.has(n.id) && hiddenLabels.has(n.label)) hidden.add(n.label);
  return {
    hidden: [...hidden],
    place: graph.edges.some((e) => PLACE_TYPES.has(e.type)),
    example: graph.nodes.some((n) => !ends.has(n.id) && n.status === "example"),
  };
}
