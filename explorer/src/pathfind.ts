// Paths that explain governance: the shortest chain between two nodes that uses governance
// relationships (sits on, holds, part of, accountable to, delivers, ...), passes through no
// worked example, and respects the legend's filters. A shared place ("covers area", "within") says two bodies work in the same
// area, not that one governs the other, so those links are used only when nothing else connects.
//
// The API's `path` query knows none of this (shortest chain over every relationship), so the
// search runs here: a breadth-first search from both ends at once, over neighbourhoods fetched
// a ring at a time (one request per ring), stopping at a step and size budget.

import type { Graph, GraphEdge, GraphNode } from "./types";

/** Relationship types that say only where something is, not who governs whom. */
export const PLACE_TYPES = new Set(["COVERS", "WITHIN"]);

export interface PathRules {
  /** Relationship types never followed (hidden in the legend, plus PLACE_TYPES). */
  avoidTypes: Set<string>;
  /** Node types never passed through (hidden in the legend); the two ends are always allowed. */
  avoidLabels: Set<string>;
  /** Node statuses never passed through (worked examples are not real governance). */
  avoidStatus?: Set<string>;
  /** Longest chain looked for, in steps. */
  maxSteps?: number;
  /** Stop after fetching this many neighbourhoods. */
  maxFetched?: number;
}

export type FetchMany = (ids: string[]) => Promise<Map<string, Graph>>;

interface Step {
  prev: string | null;
  edge: GraphEdge | null;
  dist: number;
}

/** Returns the chain as a Graph (nodes from `from` to `to`, edges in order), or null. */
export async function findPath(from: string, to: string, rules: PathRules, fetchMany: FetchMany): Promise<Graph | null> {
  if (from === to) return null;
  const maxSteps = rules.maxSteps ?? 10;
  const maxFetched = rules.maxFetched ?? 400;
  const nodes = new Map<string, GraphNode>();
  const adjacency = new Map<string, { edge: GraphEdge; other: string }[]>();
  const fetched = new Set<string>();
  const sides = [
    { seen: new Map<string, Step>([[from, { prev: null, edge: null, dist: 0 }]]), frontier: [from] },
    { seen: new Map<string, Step>([[to, { prev: null, edge: null, dist: 0 }]]), frontier: [to] },
  ];

  const allowedThrough = (id: string) => {
    const node = nodes.get(id);
    if (id === from || id === to || !node) return true;
    return !rules.avoidLabels.has(node.label) && !rules.avoidStatus?.has(node.status ?? "");
  };

  const learn = async (ids: string[]) => {
    const wanted = ids.filter((id) => !fetched.has(id));
    for (let i = 0; i < wanted.length; i += 25) {
      const chunk = wanted.slice(i, i + 25); // the API answers at most 30 aliases a request
      const graphs = await fetchMany(chunk);
      for (const id of chunk) {
        fetched.add(id);
        const graph = graphs.get(id);
        if (!graph) continue;
        for (const n of graph.nodes) nodes.set(n.id, n);
        for (const e of graph.edges) {
          if (rules.avoidTypes.has(e.type) || e.source === e.target) continue;
          for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
            const list = adjacency.get(a) ?? [];
            if (!list.some((l) => l.edge.id === e.id)) list.push({ edge: e, other: b });
            adjacency.set(a, list);
          }
        }
      }
    }
  };

  let meeting: string | null = null;
  let best = Infinity;
  for (let round = 0; round < maxSteps && meeting === null; round++) {
    // Grow the smaller side; stop when either side has nowhere left to go.
    const side = sides[0].frontier.length <= sides[1].frontier.length ? 0 : 1;
    const { seen, frontier } = sides[side];
    const other = sides[1 - side].seen;
    if (frontier.length === 0) return null;
    if (fetched.size + frontier.length > maxFetched) return null;
    await learn(frontier);
    const next: string[] = [];
    for (const id of frontier) {
      if (id !== from && id !== to && !allowedThrough(id)) continue;
      const dist = seen.get(id)!.dist;
      for (const { edge, other: n } of adjacency.get(id) ?? []) {
        if (seen.has(n)) continue;
        seen.set(n, { prev: id, edge, dist: dist + 1 });
        if (other.has(n) && allowedThrough(n)) {
          const total = dist + 1 + other.get(n)!.dist;
          if (total < best) {
            best = total;
            meeting = n;
          }
        }
        next.push(n);
      }
    }
    sides[side].frontier = next.filter(allowedThrough);
  }
  if (meeting === null) return null;

  // Walk back from the meeting node to each end.
  const chain: string[] = [];
  const edges: GraphEdge[] = [];
  for (let id: string | null = meeting; id !== null; id = sides[0].seen.get(id)!.prev) {
    chain.unshift(id);
    const step = sides[0].seen.get(id)!;
    if (step.edge) edges.unshift(step.edge);
  }
  for (let id: string | null = sides[1].seen.get(meeting)!.prev, at = meeting; id !== null; at = id, id = sides[1].seen.get(id)!.prev) {
    chain.push(id);
    edges.push(sides[1].seen.get(at)!.edge!);
  }
  return { nodes: chain.map((id) => nodes.get(id) ?? { id, label: "", name: id }), edges };
}

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
