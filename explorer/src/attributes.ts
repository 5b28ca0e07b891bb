// Filters by attribute, beside the legend's filters by type: statuses (proposed, example,
// former...) of nodes and relationships, and partnership tiers. Only the values the view holds
// are offered; a hidden value stays hidden (and listed) until it is ticked again.

import type { Core } from "cytoscape";

export interface AttributeChoice {
  status: string[];
  tiers: string[];
}

function values(cy: Core, key: string, nodesOnly: boolean): string[] {
  const found = new Set<string>();
  (nodesOnly ? cy.nodes() : cy.elements()).forEach((el) => {
    const value = el.data(key);
    if (typeof value === "string" && value) found.add(value);
  });
  return [...found].sort();
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function boxes(kind: "status" | "tier", offered: string[], hidden: string[]): string {
  const all = [...new Set([...offered, ...hidden])].sort();
  return all
    .map(
      (v) =>
        `<li><label><input type="checkbox" data-${kind}="${esc(v)}" ${hidden.includes(v) ? "" : "checked"}>` +
        `<span>${esc(v)}</span></label></li>`,
    )
    .join("");
}

/** Offers the statuses and tiers drawn; re-rendered only when that set changes (so focus and
 * ticks are kept while the view merely refreshes). */
export function renderAttributeFilters(
  statusList: HTMLElement,
  tierList: HTMLElement,
  cy: Core,
  hidden: AttributeChoice,
  onChange: (choice: AttributeChoice) => void,
): void {
  const status = boxes("status", values(cy, "status", false), hidden.status);
  const tiers = boxes("tier", values(cy, "tier", true), hidden.tiers);
  if (statusList.dataset.shown !== status) {
    statusList.innerHTML = status || `<li class="hint">None drawn.</li>`;
    statusList.dataset.shown = status;
  }
  if (tierList.dataset.shown !== tiers) {
    tierList.innerHTML = tiers || `<li class="hint">None drawn.</li>`;
    tierList.dataset.shown = tiers;
  }
  if (statusList.dataset.wired) return;
  const changed = () =>
    onChange({
      status: [...statusList.querySelectorAll<HTMLInputElement>("input[data-status]")].filter((i) => !i.checked).map((i) => i.dataset.status!),
      tiers: [...tierList.querySelectorAll<HTMLInputElement>("input[data-tier]")].filter((i) => !i.checked).map((i) => i.dataset.tier!),
    });
  statusList.addEventListener("change", changed);
  tierList.addEventListener("change", changed);
  statusList.dataset.wired = "true";
}
