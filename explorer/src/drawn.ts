// The list of what is drawn: every node on the canvas as a button, grouped by type, so the graph
// can be walked by keyboard (and by screen readers). One Tab stop: arrow keys move within the
// list (roving tabindex), Enter opens a node, Delete takes it out of the view.

import type { Core, NodeSingular } from "cytoscape";
import { nodeLook, nodeSwatch, NODE_TYPES } from "./graph";

export interface DrawnList {
  /** Redraws the list from the graph (keeps keyboard focus on the same node when it can). */
  update: (current: string | null) => void;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function setupDrawnList(
  cy: Core,
  toggle: HTMLButtonElement,
  panel: HTMLElement,
  list: HTMLUListElement,
  count: HTMLElement,
  onOpen: (id: string) => void,
  onRemove: (id: string) => void,
): DrawnList {
  let current: string | null = null;

  const buttons = () => [...list.querySelectorAll<HTMLButtonElement>("button[data-id]")];

  const moveTo = (button: HTMLButtonElement | undefined) => {
    if (!button) return;
    for (const b of buttons()) b.tabIndex = b === button ? 0 : -1;
    button.focus();
  };

  const render = () => {
    const shown = cy.nodes().not(".filtered");
    count.textContent = `(${shown.length})`;
    if (panel.hidden) return;
    const focusedId = list.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.id : undefined;
    const order = Object.keys(NODE_TYPES);
    const rank = (label: string) => (order.includes(label) ? order.indexOf(label) : order.length);
    const nodes = shown.toArray() as NodeSingular[];
    nodes.sort(
      (a, b) =>
        rank(a.data("label")) - rank(b.data("label")) || String(a.data("name")).localeCompare(String(b.data("name"))),
    );
    let html = "";
    let group = "";
    for (const n of nodes) {
      const label = n.data("label") as string;
      if (label !== group) {
        group = label;
        html += `<li class="group" aria-hidden="true">${esc(nodeLook(label).title)}</li>`;
      }
      const name = String(n.data("name") ?? n.id());
      html +=
        `<li><button type="button" data-id="${esc(n.id())}" tabindex="-1"${n.id() === current ? ` aria-current="true"` : ""}` +
        ` aria-label="${esc(`${name} (${nodeLook(label).title})`)}">${nodeSwatch(label)}<span>${esc(name)}</span></button></li>`;
    }
    if (!nodes.length) html = `<li class="hint">Nothing is drawn yet.</li>`;
    list.innerHTML = html;
    const all = buttons();
    const keep = all.find((b) => b.dataset.id === focusedId) ?? all.find((b) => b.dataset.id === current) ?? all[0];
    if (keep) keep.tabIndex = 0;
    if (focusedId !== undefined) {
      // The focused node was removed: stay in the list, on its neighbour.
      if (keep) keep.focus();
      else toggle.focus();
    }
  };

  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    render();
  });

  list.addEventListener("click", (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button[data-id]");
    if (!button) return;
    moveTo(button);
    onOpen(button.dataset.id!);
  });

  list.addEventListener("keydown", (event) => {
    const all = buttons();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    if (event.key === "ArrowDown") moveTo(all[Math.min(all.length - 1, at + 1)]);
    else if (event.key === "ArrowUp") moveTo(all[Math.max(0, at - 1)]);
    else if (event.key === "Home") moveTo(all[0]);
    else if (event.key === "End") moveTo(all[all.length - 1]);
    else if (event.key === "Delete" || event.key === "Backspace") {
      const id = all[at].dataset.id!;
      // Focus the next one first, so the list keeps focus once the node is gone.
      moveTo(all[at + 1] ?? all[at - 1]);
      onRemove(id);
    } else if (event.key === "Escape") {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    } else return;
    event.preventDefault();
  });

  return {
    update: (focus: string | null) => {
      current = focus;
      render();
    },
  };
}
