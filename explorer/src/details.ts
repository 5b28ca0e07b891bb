// The detail panel: a node's properties, members with roles and seats, the boards it sits on,
// what delivers it, and the sources ("says who": document and section).

import type { AccountabilityInfo, DeliveryInfo, MembershipInfo, NodeDetails, Ref } from "./api";
import { edgeLook, edgeSwatch, nodeLook, nodeSwatch } from "./graph";
import { isTentative, timeNote } from "./time";
import type { Based, GraphEdge, GraphNode, SourceRef } from "./types";

export interface DetailActions {
  open: (id: string) => void;
  expand: (id: string) => void;
  collapse: (id: string) => void;
  remove: (id: string) => void;
  isExpanded: (id: string) => boolean;
  isDrawn: (id: string) => boolean;
  pathFrom: (id: string) => void;
  pathTo: (id: string) => void;
  pathStart: () => { id: string; name: string } | null;
}

function esc(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function link(ref: Ref | null | undefined): string {
  if (!ref) return "";
  return `<a href="?focus=${esc(encodeURIComponent(ref.id))}" data-open="${esc(ref.id)}">${esc(ref.name)}</a>`;
}

function sourceText(refs: SourceRef[] | null | undefined, fact?: Based): string {
  if (!refs?.length) return "";
  const said = refs.map((s) => `${esc(s.document)}${s.section ? ` § ${esc(s.section)}` : ""}`).join("; ");
  return fact?.basis === "INFERRED" ? `${said} <span class="inferred">(inferred: ${esc(fact.inference)})</span>` : said;
}

/** "Says who": the documents and sections, and whether they say it in words or we infer it. */
function saysWho(refs: SourceRef[] | null | undefined, fact: Based): string {
  if (!refs?.length) return `<p class="hint">No source recorded.</p>`;
  const list = `<ul class="sources">${refs.map((s) => `<li>${esc(s.document)}${s.section ? ` § ${esc(s.section)}` : ""}</li>`).join("")}</ul>`;
  const basis =
    fact.basis === "INFERRED"
      ? `<p class="inferred"><b>Inferred</b>, not said in words: ${esc(fact.inference)}</p>`
      : `<p class="meta">Said in words by the source.</p>`;
  return list + basis;
}

/** A seat only proposed (or recommended, or an example) stands out from the agreed ones. */
function statusTag(status: string | null | undefined): string {
  if (!status || status === "current") return "";
  return `<span class="tag">${status === "proposed" ? "only proposed" : esc(status)}</span>`;
}

/** When a fact holds, for the panel (see time.ts): "in force on D", "stated 2011, proposed",
 * "ended 2025-04-01". */
function whenHtml(fact: Parameters<typeof timeNote>[0], asOf: string | null, withStatus = true): string {
  const note = timeNote(fact, asOf, withStatus);
  return note ? `<span class="when">${esc(note)}</span>` : "";
}

function dates(m: MembershipInfo, asOf: string | null): string {
  const bits: string[] = [];
  // A tag says the status of what is only proposed (or an option, an example); the note says when.
  const tagged = Boolean(m.status && m.status !== "current" && m.status !== "former");
  if (tagged) bits.push(statusTag(m.status));
  bits.push(whenHtml(m, asOf, !tagged));
  return bits.filter(Boolean).join(", ");
}

function membershipLine(m: MembershipInfo, who: Ref | undefined, asOf: string | null): string {
  const meta = [
    m.role && m.role !== "member" ? `<b>${esc(m.role)}</b>` : esc(m.role),
    m.seats > 1 ? `${m.seats} seats` : "",
    dates(m, asOf),
  ].filter(Boolean).join(", ");
  const says = sourceText(m.sources, m);
  return `<li>${link(who)} <span class="meta">— ${meta}</span>${says ? `<br><span class="meta">says: ${says}</span>` : ""}</li>`;
}

function section(title: string, body: string, count?: number): string {
  if (!body) return "";
  return `<h3>${esc(title)}${count !== undefined ? ` (${count})` : ""}</h3>${body}`;
}

function refList(refs: Ref[] | undefined): string {
  return refs?.length ? `<ul>${refs.map((r) => `<li>${link(r)}</li>`).join("")}</ul>` : "";
}

function properties(d: NodeDetails): string {
  const rows: [string, unknown][] = [
    ["Code", d.code],
    ["Title", d.title && d.title !== d.name ? d.title : null],
    ["Kind", d.kind],
    ["Tier", d.tier],
    ["Status", d.status],
    ["Sector", d.sector],
    ["Meets", d.meetingFrequency],
    ["Period", d.period],
    ["Title", d.sourceTitle],
    ["Date", d.date],
    ["Publisher", d.publisher],
  ];
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== "");
  let html = shown.length ? `<dl>${shown.map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join("")}</dl>` : "";
  if (d.purpose) html += `<p>${esc(d.purpose)}</p>`;
  if (d.description) html += `<p>${esc(d.description)}</p>`;
  return html;
}

function deliveries(list: DeliveryInfo[] | undefined): string {
  if (!list?.length) return "";
  return `<ul>${list
    .map((d) => {
      const meta = [d.role, d.via === "outcome" ? "directly" : `via ${d.via}`].filter(Boolean).map(esc).join(", ");
      const says = sourceText(d.sources, d);
      return `<li>${link(d.deliverer)} <span class="meta">— ${meta}</span>${says ? `<br><span class="meta">says: ${says}</span>` : ""}</li>`;
    })
    .join("")}</ul>`;
}

function accountability(list: AccountabilityInfo[] | undefined, asOf: string | null): string {
  if (!list?.length) return "";
  return `<ul>${list
    .map((a) => `<li>${link(a.to)} <span class="meta">${[...[a.frequency, a.how].filter(Boolean).map(esc), whenHtml(a, asOf)].filter(Boolean).join(", ")}</span></li>`)
    .join("")}</ul>`;
}

function boardsOf(d: NodeDetails, asOf: string | null): { html: string; count: number; proposed: number } {
  const memberships = d.memberships ?? [];
  const direct = new Set(memberships.map((m) => m.body?.id));
  let html = memberships.map((m) => membershipLine(m, m.body, asOf)).join("");
  let proposed = memberships.filter((m) => m.status === "proposed").length;
  // Boards a person sits on through the posts held, not listed as direct memberships: with the
  // post, and whether that post's seat is only proposed.
  const extra = (d.boards ?? []).filter((b) => !direct.has(b.id));
  html += extra
    .map((b) => {
      const via = (d.posts ?? []).flatMap((p) => (p.memberships ?? []).filter((m) => m.body?.id === b.id).map((m) => ({ post: p, m })));
      const allProposed = via.length > 0 && via.every((v) => v.m.status === "proposed");
      if (allProposed) proposed++;
      const posts = via.map((v) => esc(v.post.name)).join("; ");
      const notes = [...new Set(via.map((v) => timeNote(v.m, asOf, false)).filter(Boolean))].map(esc).join("; ");
      return `<li>${link(b)} <span class="meta">— through ${posts ? `the post ${posts}` : "a post held"}</span>${allProposed ? ` ${statusTag("proposed")}` : ""}${notes ? ` <span class="meta when">${notes}</span>` : ""}</li>`;
    })
    .join("");
  return { html: html ? `<ul>${html}</ul>` : "", count: memberships.length + extra.length, proposed };
}

function header(id: string, name: string, label: string, actions: DetailActions): string {
  const start = actions.pathStart();
  const pathButton =
    start && start.id !== id
      ? `<button type="button" data-path-to="${esc(id)}" title="Shortest chain from ${esc(start.name)}">Path from ${esc(start.name.length > 28 ? `${start.name.slice(0, 26)}…` : start.name)} to here</button>`
      : `<button type="button" data-path-from="${esc(id)}">Path from here…</button>`;
  const expand = actions.isExpanded(id)
    ? `<button type="button" data-collapse="${esc(id)}" title="Take away the neighbours this node's expansion drew">Collapse</button>`
    : `<button type="button" data-expand="${esc(id)}">Expand</button>`;
  const remove = actions.isDrawn(id)
    ? `<button type="button" data-remove="${esc(id)}" title="Take this node out of the view">Remove from view</button>`
    : "";
  return (
    `<span class="badge">${nodeSwatch(label)}${esc(nodeLook(label).title)}</span>` +
    `<h2 id="details-title" tabindex="-1">${esc(name)}</h2><div class="id">${esc(id)}</div>` +
    `<div class="actions">${expand}${remove}${pathButton}</div>`
  );
}

function wire(panel: HTMLElement, actions: DetailActions): void {
  panel.onclick = (event) => {
    const el = (event.target as HTMLElement).closest<HTMLElement>("button, a[data-open]");
    if (!el) return;
    if (el.dataset.open) {
      // A plain click opens here; ctrl/shift/middle-click keeps the link's own behaviour.
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      actions.open(el.dataset.open);
    }
    else if (el.dataset.expand) actions.expand(el.dataset.expand);
    else if (el.dataset.collapse) actions.collapse(el.dataset.collapse);
    else if (el.dataset.remove) actions.remove(el.dataset.remove);
    else if (el.dataset.pathFrom) actions.pathFrom(el.dataset.pathFrom);
    else if (el.dataset.pathTo) actions.pathTo(el.dataset.pathTo);
  };
}

export function showLoading(panel: HTMLElement, node: GraphNode, actions: DetailActions): void {
  panel.innerHTML = header(node.id, node.name, node.label, actions) + `<p class="hint">Loading details…</p>`;
  wire(panel, actions);
}

/** An interlock as the panel tells it: how many boards, and which of them only proposed. */
export interface InterlockInfo {
  boards: number;
  proposed: string[];
}

export function showNode(
  panel: HTMLElement,
  d: NodeDetails | null,
  fallback: GraphNode,
  interlock: InterlockInfo | undefined,
  asOf: string | null,
  actions: DetailActions,
): void {
  if (!d) {
    panel.innerHTML = header(fallback.id, fallback.name, fallback.label, actions) + `<p class="hint">No details found for this node.</p>`;
    wire(panel, actions);
    return;
  }
  const when = asOf ? ` as of ${asOf}` : "";
  let html = header(d.id, d.name, d.__typename, actions);
  if (interlock && interlock.boards >= 2) {
    const n = interlock.proposed.length;
    const proposed = n
      ? `; ${n === interlock.boards ? "all" : n} of them only proposed: ${interlock.proposed.map(esc).join("; ")}`
      : "";
    html += `<div class="interlock-badge">Interlock: sits on ${interlock.boards} boards${esc(when)}${proposed}</div>`;
  }
  const holds = timeNote(d, asOf);
  if (holds) {
    const dashed = isTentative(d) ? " tentative" : "";
    html += `<p class="when-line${dashed}">${esc(holds.charAt(0).toUpperCase() + holds.slice(1))}</p>`;
  }
  html += properties(d);
  if (d.aliases?.length) html += section("Also called", `<p>${d.aliases.map(esc).join("; ")}</p>`);
  if (d.strategy) html += section("Strategy", `<p>${link(d.strategy)}</p>`);
  if (d.partOf) html += section("Part of", `<p>${link(d.partOf)}</p>`);
  html += section("Accountable to", accountability(d.accountableTo, asOf));
  if (d.members) {
    const body = d.members.length
      ? `<ul>${d.members.map((m) => membershipLine(m, m.member, asOf)).join("")}</ul>`
      : `<p class="hint">No members recorded${esc(when)}.</p>`;
    const seats = d.members.reduce((sum, m) => sum + (m.seats ?? 1), 0);
    const proposed = d.members.filter((m) => m.status === "proposed").reduce((sum, m) => sum + (m.seats ?? 1), 0);
    const note = proposed ? `<p class="hint">${proposed === seats ? "All" : `${proposed} of ${seats}`} seats only proposed.</p>` : "";
    html += section(`Members${when}`, note + body, seats);
  }
  html += section("Parts", refList(d.parts), d.parts?.length);
  if (d.postIn) html += section("Post in", `<p>${link(d.postIn)}</p>`);
  if (d.holders) html += section(`Held by${when}`, refList(d.holders) || `<p class="hint">No holder named.</p>`);
  html += section(`Posts${when}`, refList(d.posts), d.posts?.length);
  if (d.memberships || d.boards) {
    const boards = boardsOf(d, asOf);
    const note = boards.proposed
      ? `<p class="hint">${boards.proposed === boards.count ? "All" : `${boards.proposed} of ${boards.count}`} only proposed.</p>`
      : "";
    html += section(`Boards sat on${when}`, note + (boards.html || `<p class="hint">None recorded${esc(when)}.</p>`), boards.count);
  }
  if (d.deliveredBy) {
    html += section("Delivered by", deliveries(d.deliveredBy) || `<p class="hint">Nothing recorded delivers this.</p>`, d.deliveredBy.length);
  }
  if (d.actions?.length) html += section("Actions", refList(d.actions), d.actions.length);
  html += section("Run by", refList(d.runBy));
  html += section("Says who", saysWho(d.sources, d));
  panel.innerHTML = html;
  wire(panel, actions);
}

export function showEdge(
  panel: HTMLElement,
  edge: GraphEdge,
  source: GraphNode,
  target: GraphNode,
  asOf: string | null,
  actions: DetailActions,
): void {
  const look = edgeLook(edge.type);
  const rows: [string, unknown][] = [
    ["Type", edge.type],
    ["Role", edge.role],
    ["Frequency", edge.frequency],
    ["Status", edge.status],
    ["When", timeNote(edge, asOf)],
  ];
  panel.innerHTML =
    `<span class="badge">${edgeSwatch(edge.type)}Relationship</span>` +
    `<h2 id="details-title" tabindex="-1">${link(source)} <span class="meta">${esc(look.title)}</span> ${link(target)}</h2>` +
    `<dl>${rows.filter(([, v]) => v).map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join("")}</dl>` +
    section("Says who", saysWho(edge.sources, edge));
  wire(panel, actions);
}

export function showEmpty(panel: HTMLElement): void {
  panel.innerHTML = `<p class="hint">Select a node to see its properties, members, boards and sources.</p>`;
}
