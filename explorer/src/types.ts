// Shapes shared by the modules: what the API's Graph type returns, and the view's state.

export interface SourceRef {
  document: string;
  section: string | null;
}

/** When a drawn fact holds (GraphQL Drawn): in force on D when inForceFrom <= D <= inForceUntil
 * (no until: open; no from: never, as for what is only proposed, an option or an example). */
/** Whether the source says a fact in words (STATED) or we read it from the source (INFERRED). */
export interface Based {
  basis?: "STATED" | "INFERRED";
  inference?: string | null;
}

export interface Timed {
  status?: string | null;
  statedOn?: string | null;
  inForceFrom?: string | null;
  inForceUntil?: string | null;
}

/** A node to draw (GraphQL GraphNode). label is the node's type: Organisation, Partnership, ... */
export interface GraphNode extends Timed {
  id: string;
  label: string;
  name: string;
  kind?: string | null;
  status?: string | null;
  tier?: string | null;
  code?: string | null;
  /** The datasets (documents, returns) that say it. */
  datasets?: string[];
  /** The areas it covers, or its body covers (none: "no area"). */
  areas?: { id: string; name: string }[];
}

/** A relationship to draw (GraphQL GraphEdge). type is MEMBER_OF, PART_OF, ... */
export interface GraphEdge extends Timed, Based {
  id: string;
  type: string;
  source: string;
  target: string;
  role?: string | null;
  frequency?: string | null;
  sources?: SourceRef[] | null;
  datasets?: string[];
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type LayoutName = "hierarchy" | "force";

/** Everything the URL records, so that a link reproduces the view. */
export interface ViewState {
  /** Nodes whose neighbourhoods are drawn, in the order they were opened. */
  expanded: string[];
  /** The node (or edge) shown in the detail panel. */
  focus: string | null;
  /** The two ends of a path drawn between them. */
  path: [string, string] | null;
  layout: LayoutName;
  depth: number;
  asOf: string | null;
  hiddenLabels: string[];
  hiddenTypes: string[];
  /** Statuses hidden (proposed, example, ...), of nodes and relationships alike. */
  hiddenStatus: string[];
  /** Partnership tiers hidden (strategic, operational, ...). */
  hiddenTiers: string[];
  /** Area ids hidden ("_none": nodes in no area); a node stays while one of its areas shows. */
  hiddenAreas: string[];
  /** Datasets hidden; what several datasets say stays while one of them shows. */
  hiddenDatasets: string[];
  /** Nodes drawn on their own, not expanded (a collapsed node stays drawn this way). */
  added: string[];
  /** Nodes taken out of the view: kept out when their neighbours are expanded again. */
  removed: string[];
  /** Where the user dragged nodes to (model coordinates, whole numbers). */
  pins: Record<string, { x: number; y: number }>;
}
