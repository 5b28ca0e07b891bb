// Filters by attribute, beside the legend's filters by type: statuses (proposed, example,
// former...) of nodes and relationships, partnership tiers, the areas drawn nodes are in and
// the datasets that say what is drawn. Only the values the view holds are offered; a hidden
// value stays hidden (and listed) until it is ticked again.
//
// Areas and datasets are many to a node: a node stays while any of its areas (or datasets) is
// shown, so unticking Cheltenham leaves a county-wide board that also covers Gloucestershire.
// A node in no area (a source, guidance, a programme nobody runs) answers to "no area".

import type { Core, SingularElementArgument } from "cytoscape";

/** The value of the area filter that stands for nodes in no area (area ids are slugs). */
export const NO_AREA = "_none";

export interface AttributeChoice {
  status: string[];
  tiers: string[];
  areas: string[];
  datasets: string[];
}

/** The lists the filters are drawn in. */
export interface AttributeLists {
  status: HTMLElement;
  tier: HTMLElement;
  area: HTMLElement;
  dataset: HTMLElement;
}

type Kind = "status" | "tier" | "area" | "dataset";

interface Offer {
  value: string;
  text: string;
  /** How many drawn nodes it holds (areas and datasets). */
  count?: number;
}

interface AreaRef {
  id: string;
  name: string;
}

function areasOf(el: SingularElementArgument): AreaRef[] {
  const areas = el.data("areas");
  return Array.isArray(areas) ? areas : [];
}

function datasetsOf(el: SingularElementArgument): string[] {
  const datasets = el.data("datasets");
  return Array.isArray(datasets) ? datasets : [];
}

/** Whether the area and dataset filters hide a node or relationship: all its areas hidden (or
 * "no area", having none), or all the datasets saying it hidden. Relationships have no area:
 * they go with their ends. What says no dataset (an old saved view) is never hidden by it. */
export function hiddenByPlace(el: SingularElementArgument, areas: Set<string>, datasets: Set<string>): boolean {
  const said = datasetsOf(el);
  if (said.length && said.every((d) => datasets.has(d))) return true;
  if (!el.isNode() || areas.size === 0) return false;
  const ids = areasOf(el).map((a) => a.id);
  return ids.length ? ids.every((id) => areas.has(id)) : areas.has(NO_AREA);
}

function values(cy: Core, key: string, nodesOnly: boolean): Offer[] {
  const found = new Set<string>();
  (nodesOnly ? cy.nodes() : cy.elements()).forEach((el) => {
    const value = el.data(key);
    if (typeof value === "string" && value) found.add(value);
  });
  return [...found].sort().map((value) => ({ value, text: value }));
}

function counted(names: Map<string, string>, counts: Map<string, number>, value: string, text: string): void {
  names.set(value, text);
  counts.set(value, (counts.get(value) ?? 0) + 1);
}

/** The areas of the drawn nodes, by name, with "no area" last; each with its count of nodes. */
function areaOffers(cy: Core): Offer[] {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  cy.nodes().forEach((n) => {
    const areas = areasOf(n);
    if (!areas.length) counted(names, counts, NO_AREA, "no area");
    for (const a of areas) counted(names, counts, a.id, a.name);
  });
  const byName = [...names].filter(([id]) => id !== NO_AREA).sort((a, b) => a[1].localeCompare(b[1]));
  if (names.has(NO_AREA)) byName.push([NO_AREA, names.get(NO_AREA)!]);
  return byName.map(([value, text]) => ({ value, text, count: counts.get(value) }));
}

/** The datasets saying what is drawn (nodes and relationships); counts are of nodes. */
function datasetOffers(cy: Core): Offer[] {
  const counts = new Map<string, number>();
  cy.elements().forEach((el) => {
    for (const d of datasetsOf(el)) counts.set(d, (counts.get(d) ?? 0) + (el.isNode() ? 1 : 0));
  });
  return [...counts.keys()].sort().map((value) => ({ value, text: value, count: counts.get(value) }));
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function boxes(kind: Kind, offered: Offer[], hidden: string[]): string {
  const known = new Set(offered.map((o) => o.value));
  const gone: Offer[] = hidden.filter((v) => !known.has(v)).map((v) => ({ value: v, text: v === NO_AREA ? "no area" : v }));
  return [...offered, ...gone]
    .map(
      (o) =>
        `<li><label><input type="checkbox" data-${kind}="${esc(o.value)}" ${hidden.includes(o.value) ? "" : "checked"}>` +
        `<span class="name">${esc(o.text)}</span>` +
        (o.count !== undefined ? `<span class="count">${o.count}</span>` : "") +
        `</label></li>`,
    )
    .join("");
}

function render(list: HTMLElement, html: string): void {
  if (list.dataset.shown === html) return;
  list.innerHTML = html || `<li class="hint">None drawn.</li>`;
  list.dataset.shown = html;
}

function unticked(list: HTMLElement, kind: Kind): string[] {
  return [...list.querySelectorAll<HTMLInputElement>(`input[data-${kind}]`)].filter((i) => !i.checked).map((i) => i.dataset[kind]!);
}

/** Offers the statuses, tiers, areas and datasets drawn; a list is re-rendered only when what it
 * offers changes (so focus and ticks are kept while the view merely refreshes). */
export function renderAttributeFilters(
  lists: AttributeLists,
  cy: Core,
  hidden: AttributeChoice,
  onChange: (choice: AttributeChoice) => void,
): void {
  render(lists.status, boxes("status", values(cy, "status", false), hidden.status));
  render(lists.tier, boxes("tier", values(cy, "tier", true), hidden.tiers));
  render(lists.area, boxes("area", areaOffers(cy), hidden.areas));
  render(lists.dataset, boxes("dataset", datasetOffers(cy), hidden.datasets));
  if (lists.status.dataset.wired) return;
  const changed = () =>
    onChange({
      status: unticked(lists.status, "status"),
      tiers: unticked(lists.tier, "tier"),
      areas: unticked(lists.area, "area"),
      datasets: unticked(lists.dataset, "dataset"),
    });
  for (const list of Object.values(lists)) list.addEventListener("change", changed);
  lists.status.dataset.wired = "true";
}
