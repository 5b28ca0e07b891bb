// The one way the explorer talks to the knowledge base: POST /graphql. Every failure (network,
// HTTP status, GraphQL errors) becomes an ApiError with a message a person can act on.

import type { Based, Graph, SourceRef } from "./types";

export class ApiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ApiError";
  }
}

type BusyListener = (busy: boolean) => void;
let inFlight = 0;
const listeners: BusyListener[] = [];

/** Called with true when a request starts while none was running, false when the last ends. */
export function onBusy(listener: BusyListener): void {
  listeners.push(listener);
}

function busy(delta: number): void {
  const before = inFlight > 0;
  inFlight += delta;
  const after = inFlight > 0;
  if (before !== after) listeners.forEach((l) => l(after));
}

export const ENDPOINT = new URL("graphql", document.baseURI).toString();

// When the operator keeps the read API private (PKB_READ_KEY), the API answers 401 and the
// explorer asks for the key once per tab; it is kept in sessionStorage, sent as a Bearer header.
const KEY_STORE = "pkb-read-key";
let asking: Promise<string | null> | null = null;

function askForKey(again: boolean): Promise<string | null> {
  asking ??= Promise.resolve(
    window.prompt(
      again
        ? "That is not the read key. Type the read key the operator gave you:"
        : "This knowledge base needs a read key. Type the key the operator gave you:",
    ),
  ).finally(() => (asking = null));
  return asking;
}

async function post(query: string, variables: Record<string, unknown>): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const key = sessionStorage.getItem(KEY_STORE);
    const response = await fetch(ENDPOINT, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    if (response.status !== 401 || attempt >= 3) return response;
    if ((sessionStorage.getItem(KEY_STORE) ?? "") !== (key ?? "")) continue; // typed meanwhile
    const typed = (await askForKey(Boolean(key)))?.trim();
    if (!typed) return response;
    sessionStorage.setItem(KEY_STORE, typed);
  }
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  busy(+1);
  try {
    let response: Response;
    try {
      response = await post(query, variables);
    } catch (err) {
      throw new ApiError(`The knowledge base API did not answer (${(err as Error).message}). Is the server running?`);
    }
    let body: { data?: T | null; errors?: { message: string }[] } | null = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const detail = body?.errors?.map((e) => e.message).join("; ");
      throw new ApiError(
        `The knowledge base API failed: HTTP ${response.status} ${response.statusText}${detail ? ` (${detail})` : ""}.`,
      );
    }
    if (!body) throw new ApiError("The knowledge base API sent an answer that is not JSON.");
    if (body.errors?.length) {
      throw new ApiError(`The knowledge base API reported: ${body.errors.map((e) => e.message).join("; ")}`);
    }
    if (!body.data) throw new ApiError("The knowledge base API sent no data.");
    return body.data;
  } finally {
    busy(-1);
  }
}

// ---- The questions the explorer asks -------------------------------------------------------

const TIMES = "status statedOn inForceFrom inForceUntil";
const GRAPH_FIELDS = `
  nodes { id label name kind tier code datasets areas { id name } ${TIMES} }
  edges { id type source target role frequency datasets sources { document section } basis inference ${TIMES} }`;

export interface SearchHit {
  score: number;
  /** How it matched (EXACT_NAME … CONTEXT_WORDS); hits arrive best first. */
  matched: string;
  /** The alias that matched, if one did. */
  alias: string | null;
  /** Names around it (its strategy, its body, the posts held), to tell namesakes apart. */
  context: string[];
  node: { __typename: string; id: string; name: string };
}

export async function search(text: string, first = 12): Promise<SearchHit[]> {
  const data = await gql<{ search: SearchHit[] }>(
    `query Search($text: String!, $first: Int!) {
       search(text: $text, first: $first) { score matched alias context node { __typename id name } }
     }`,
    { text, first },
  );
  return data.search;
}

export async function neighbourhood(id: string, depth = 1, limit = 200): Promise<Graph> {
  const data = await gql<{ neighbourhood: Graph }>(
    `query Neighbourhood($id: ID!, $depth: Int!, $limit: Int!) {
       neighbourhood(id: $id, depth: $depth, limit: $limit) { ${GRAPH_FIELDS} }
     }`,
    { id, depth, limit },
  );
  return data.neighbourhood;
}

/** The API answers at most 30 aliased fields per request. */
export const MAX_ALIASES = 25;

/** Several neighbourhoods, MAX_ALIASES to a request (one aliased field per node); with asOf,
 * only what is in force on that date. */
export async function neighbourhoods(ids: string[], depth = 1, limit = 200, asOf: string | null = null): Promise<Map<string, Graph>> {
  const found = new Map<string, Graph>();
  for (let i = 0; i < ids.length; i += MAX_ALIASES) {
    for (const [id, graph] of await neighbourhoodBatch(ids.slice(i, i + MAX_ALIASES), depth, limit, asOf)) found.set(id, graph);
  }
  return found;
}

async function neighbourhoodBatch(ids: string[], depth: number, limit: number, asOf: string | null): Promise<Map<string, Graph>> {
  const found = new Map<string, Graph>();
  if (ids.length === 0) return found;
  const vars: Record<string, unknown> = { depth, limit, asOf };
  const fields = ids.map((id, i) => {
    vars[`i${i}`] = id;
    return `n${i}: neighbourhood(id: $i${i}, depth: $depth, limit: $limit, asOf: $asOf) { ${GRAPH_FIELDS} }`;
  });
  const params = ids.map((_, i) => `$i${i}: ID!`).join(", ");
  const data = await gql<Record<string, Graph>>(
    `query Neighbourhoods(${params}, $depth: Int!, $limit: Int!, $asOf: Date) { ${fields.join("\n")} }`,
    vars,
  );
  ids.forEach((id, i) => found.set(id, data[`n${i}`] ?? { nodes: [], edges: [] }));
  return found;
}

/** The API's shortest chain; with asOf, through what is in force on that date only. */
/** What a chain may not go through: relationship types, node types (the ends excepted), statuses. */
export interface Avoid {
  types: string[];
  labels: string[];
  status: string[];
}

export async function path(from: string, to: string, asOf: string | null = null, avoid?: Avoid): Promise<Graph> {
  const data = await gql<{ path: Graph }>(
    `query Path($from: ID!, $to: ID!, $asOf: Date, $types: [String!], $labels: [NodeType!], $status: [String!]) {
       path(from: $from, to: $to, asOf: $asOf, avoidTypes: $types, avoidLabels: $labels, avoidStatus: $status) { ${GRAPH_FIELDS} }
     }`,
    {
      from,
      to,
      asOf,
      types: avoid?.types ?? null,
      labels: avoid ? avoid.labels.map((l) => l.toUpperCase()) : null,
      status: avoid?.status ?? null,
    },
  );
  return data.path;
}

export interface Ref {
  __typename?: string;
  id: string;
  name: string;
}

/** A seat's status and board, enough to tell proposed seats from agreed ones. */
export interface SeatStatus {
  status: string | null;
  body: { id: string };
}

export interface Interlock {
  member: Ref & { memberships?: SeatStatus[]; posts?: { memberships?: SeatStatus[] }[] };
  boards: Ref[];
}

/** The boards (ids) on which every seat the member holds, directly or through its posts, is
 * only proposed. */
export function proposedBoards(seats: SeatStatus[], boards: Ref[]): Set<string> {
  const byBoard = new Map<string, string[]>();
  for (const s of seats) byBoard.set(s.body.id, [...(byBoard.get(s.body.id) ?? []), s.status ?? "current"]);
  const proposed = new Set<string>();
  for (const b of boards) {
    const statuses = byBoard.get(b.id);
    if (statuses?.length && statuses.every((s) => s === "proposed")) proposed.add(b.id);
  }
  return proposed;
}

export function seatsOf(member: Interlock["member"]): SeatStatus[] {
  return [...(member.memberships ?? []), ...(member.posts ?? []).flatMap((p) => p.memberships ?? [])];
}

/** Interlocks come a page at a time, most boards first: the explorer reads at most this many
 * pages of 100 (a national graph has tens of thousands; the most interlocked are shown). */
export const INTERLOCK_PAGES = 5;

export interface Interlocks {
  items: Interlock[];
  totalCount: number;
}

export async function interlocks(asOf: string | null): Promise<Interlocks> {
  const seats = "memberships(asOf: $asOf) { status body { id } }";
  const items: Interlock[] = [];
  let after: string | null = null;
  let totalCount = 0;
  for (let page = 0; page < INTERLOCK_PAGES; page++) {
    const data: { interlocks: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Interlock[] } } =
      await gql(
        `query Interlocks($asOf: Date, $after: String) {
           interlocks(minBoards: 2, asOf: $asOf, first: 100, after: $after) {
             totalCount
             pageInfo { hasNextPage endCursor }
             nodes {
               member {
                 __typename ... on Node { id name }
                 ... on Post { ${seats} }
                 ... on Person { ${seats} posts(asOf: $asOf) { ${seats} } }
                 ... on Organisation { ${seats} }
                 ... on Partnership { ${seats} }
               }
               boards { id name }
             }
           }
         }`,
        { asOf, after },
      );
    items.push(...data.interlocks.nodes);
    totalCount = data.interlocks.totalCount;
    if (!data.interlocks.pageInfo.hasNextPage) break;
    after = data.interlocks.pageInfo.endCursor;
  }
  return { items, totalCount };
}

/** The names of two nodes (for saying what is not drawn). */
export async function namesOf(a: string, b: string): Promise<Map<string, string>> {
  const data = await gql<{ a: { name: string } | null; b: { name: string } | null }>(
    `query Names($a: ID!, $b: ID!) { a: node(id: $a) { name } b: node(id: $b) { name } }`,
    { a, b },
  );
  const found = new Map<string, string>();
  if (data.a) found.set(a, data.a.name);
  if (data.b) found.set(b, data.b.name);
  return found;
}

/** The dates of the documents and returns loaded (each load's statedOn), oldest first. */
export async function documentDates(): Promise<string[]> {
  const data = await gql<{ loads: { statedOn: string | null }[] }>(`{ loads { statedOn } }`);
  return [...new Set(data.loads.map((l) => l.statedOn).filter((d): d is string => Boolean(d)))].sort();
}

export async function startingPoints(): Promise<Ref[]> {
  const data = await gql<{ partnerships: { nodes: Ref[] } }>(
    `{ partnerships(first: 12, filter: {tier: "strategic"}) { nodes { id name } } }`,
  );
  return data.partnerships?.nodes ?? [];
}

/** When a fact holds (GraphQL Dated). */
export interface Dates {
  status?: string | null;
  statedOn?: string | null;
  inForceFrom?: string | null;
  inForceUntil?: string | null;
  endedOn?: string | null;
}

export interface MembershipInfo extends Dates, Based {
  role: string;
  seats: number;
  status: string | null;
  validFrom: string | null;
  validTo: string | null;
  member?: Ref;
  body?: Ref;
  sources: SourceRef[];
}

export interface DeliveryInfo extends Based {
  via: string;
  role: string | null;
  deliverer: Ref;
  sources: SourceRef[];
}

export interface AccountabilityInfo extends Dates {
  to: Ref;
  frequency: string | null;
  how: string | null;
}

/** Everything the detail panel shows; which fields are present depends on __typename. */
export interface NodeDetails extends Dates, Based {
  __typename: string;
  id: string;
  name: string;
  sources: SourceRef[];
  aliases?: string[];
  kind?: string | null;
  tier?: string | null;
  status?: string | null;
  sector?: string | null;
  meetingFrequency?: string | null;
  purpose?: string | null;
  description?: string | null;
  period?: string | null;
  code?: string;
  title?: string;
  sourceTitle?: string | null;
  date?: string | null;
  publisher?: string | null;
  partOf?: Ref | null;
  parts?: Ref[];
  accountableTo?: AccountabilityInfo[];
  members?: MembershipInfo[];
  memberships?: MembershipInfo[];
  boards?: Ref[];
  posts?: (Ref & { memberships?: MembershipInfo[] })[];
  holders?: Ref[];
  postIn?: Ref | null;
  deliveredBy?: DeliveryInfo[];
  actions?: (Ref & { code: string })[];
  runBy?: Ref[];
  strategy?: Ref | null;
}

const REF = "__typename ... on Node { id name }";
// "Says who", and whether it says so in words.
const SRC = "sources { document section } basis inference";
const WHEN = "statedOn inForceFrom inForceUntil endedOn";

export async function details(id: string, asOf: string | null): Promise<NodeDetails | null> {
  const data = await gql<{ node: NodeDetails | null }>(
    `query Details($id: ID!, $asOf: Date) {
       node(id: $id) {
         __typename id name aliases ${SRC}
         ... on Dated { ${WHEN} }
         ... on Partnership {
           kind tier status meetingFrequency purpose
           partOf { id name } parts { id name }
           accountableTo { frequency how status ${WHEN} to { ${REF} } }
           members(asOf: $asOf) { role seats status validFrom validTo ${WHEN} member { ${REF} } ${SRC} }
           memberships(asOf: $asOf) { role seats status validFrom validTo ${WHEN} body { id name } ${SRC} }
         }
         ... on Organisation {
           kind sector status description posts { id name }
           memberships(asOf: $asOf) { role seats status validFrom validTo ${WHEN} body { id name } ${SRC} }
         }
         ... on Post {
           title postIn { ${REF} } holders(asOf: $asOf) { id name }
           boards(asOf: $asOf) { id name }
           memberships(asOf: $asOf) { role seats status validFrom validTo ${WHEN} body { id name } ${SRC} }
         }
         ... on Person {
           posts(asOf: $asOf) { id name memberships(asOf: $asOf) { role seats status validFrom validTo ${WHEN} body { id name } ${SRC} } }
           boards(asOf: $asOf) { id name }
           memberships(asOf: $asOf) { role seats status validFrom validTo ${WHEN} body { id name } ${SRC} }
         }
         ... on Outcome {
           code title strategy { id name } actions { id name code }
           deliveredBy { via role deliverer { ${REF} } ${SRC} }
         }
         ... on Action { code title strategy { id name } deliveredBy { via role deliverer { ${REF} } ${SRC} } }
         ... on Aim { code title strategy { id name } }
         ... on Programme { description status runBy { ${REF} } accountableTo { frequency how status ${WHEN} to { ${REF} } } }
         ... on Strategy { kind period status }
         ... on Area { kind }
         ... on Source { sourceTitle: title date publisher }
       }
     }`,
    { id, asOf },
  );
  return data.node;
}
