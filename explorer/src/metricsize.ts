// Sizing drawn nodes by a network measure: the member–board network's degree, betweenness (the
// brokers) or eigenvector centrality, as the API's networkMetrics gives them on the date shown.
// Nodes outside that network (strategies, areas...) keep their size and are dimmed.

import type { Core } from "cytoscape";
import { gql } from "./api";

export type Measure = "DEGREE" | "BETWEENNESS" | "EIGENVECTOR";
const PAGE = 100;
const MAX_PAGES = 20; // a region's network; a national one is sized by its top 2,000

interface Page {
  networkMetrics: {
    nodes: { id: string; degree: number; betweenness: number; eigenvector: number | null }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

/** Each measured node's value, highest first, read a page at a time (cached by the server). */
export async function measured(measure: Measure, asOf: string | null): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  let after: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page: Page = await gql<Page>(
      `query Sizes($asOf: Date, $after: String, $sort: MetricSort!, $first: Int!) {
         networkMetrics(projection: MEMBER_BOARD, asOf: $asOf, sort: $sort, first: $first, after: $after) {
           nodes { id degree betweenness eigenvector } pageInfo { hasNextPage endCursor } } }`,
      { asOf, after, sort: measure, first: PAGE },
    );
    for (const n of page.networkMetrics.nodes) {
      const value = measure === "DEGREE" ? n.degree : measure === "BETWEENNESS" ? n.betweenness : n.eigenvector;
      values.set(n.id, value ?? 0);
    }
    if (!page.networkMetrics.pageInfo.hasNextPage) break;
    after = page.networkMetrics.pageInfo.endCursor;
  }
  return values;
}

/** Scales each node from its type's size (0.7x for the lowest value to 2.3x for the highest);
 * null puts every node back. The value is kept in the node's data as `metric`. */
export function applySizes(cy: Core, values: Map<string, number> | null): void {
  const top = values ? Math.max(0, ...values.values()) : 0;
  cy.batch(() => {
    cy.nodes().forEach((node) => {
      const base: number = node.data("baseSize") ?? node.data("size");
      node.data("baseSize", base);
      const value = values?.get(node.id());
      node.data("metric", value ?? null);
      node.data("size", value === undefined ? base : base * (0.7 + (top > 0 ? (1.6 * value) / top : 0)));
      node.toggleClass("unmeasured", values !== null && value === undefined);
    });
  });
}
