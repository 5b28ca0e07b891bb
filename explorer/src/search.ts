// The search box: type-ahead over the API's full-text `search`, as an accessible combobox
// (arrow keys move, Enter opens, Escape closes).

import { search, type SearchHit } from "./api";
import { nodeSwatch } from "./graph";

export interface SearchOptions {
  input: HTMLInputElement;
  list: HTMLUListElement;
  onChoose: (hit: SearchHit["node"]) => void;
  onError: (err: unknown) => void;
  delayMs?: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** What tells a hit apart from its namesakes: the alias that matched, and where it sits. */
function describe(hit: SearchHit): string {
  const parts = [
    ...(hit.alias ? [`also called ${hit.alias}`] : []),
    ...(hit.context.length ? [`in ${hit.context.join("; ")}`] : []),
  ];
  return parts.length ? `<span class="context">${escapeHtml(parts.join(" · "))}</span>` : "";
}

export function setupSearch({ input, list, onChoose, onError, delayMs = 180 }: SearchOptions): void {
  let hits: SearchHit[] = [];
  let active = -1;
  let timer: number | undefined;
  let asked = 0;
  let shownFor = "";

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll("li[role=option]").forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", `search-hit-${index}`);
      list.querySelector(`#search-hit-${index}`)?.scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  };

  const render = (text: string) => {
    if (hits.length === 0) {
      list.innerHTML = `<li class="empty">Nothing matches “${escapeHtml(text)}”.</li>`;
    } else {
      list.innerHTML = hits
        .map(
          (hit, i) =>
            `<li role="option" id="search-hit-${i}" data-index="${i}" aria-selected="false">` +
            `<span class="type">${nodeSwatch(hit.node.__typename)}${escapeHtml(hit.node.__typename)}</span>` +
            `<span><span class="name">${escapeHtml(hit.node.name)}</span>${describe(hit)}</span></li>`,
        )
        .join("");
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    // Nothing is highlighted until the arrow keys move: ArrowDown goes to the first result, and
    // Enter with nothing highlighted opens the best match.
    highlight(-1);
  };

  const choose = (index: number) => {
    const hit = hits[index];
    if (!hit) return;
    input.value = hit.node.name;
    close();
    onChoose(hit.node);
  };

  const ask = async (text: string) => {
    const mine = ++asked;
    try {
      const found = await search(text);
      if (mine !== asked) return; // a newer question is on its way
      hits = found;
      shownFor = text;
      render(text);
    } catch (err) {
      if (mine === asked) {
        close();
        onError(err);
      }
    }
  };

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      asked++;
      close();
      return;
    }
    timer = window.setTimeout(() => void ask(text), delayMs);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && hits.length) {
      event.preventDefault();
      if (list.hidden) {
        render(input.value.trim());
        highlight(0);
      } else highlight((active + 1) % hits.length);
    } else if (event.key === "ArrowUp" && hits.length) {
      event.preventDefault();
      highlight((active - 1 + hits.length) % hits.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && shownFor === input.value.trim() && hits.length) choose(active >= 0 ? active : 0);
      else if (input.value.trim().length >= 2) {
        // Enter before the list arrived: search now and open the best match.
        window.clearTimeout(timer);
        const mine = ++asked;
        search(input.value.trim())
          .then((found) => {
            if (mine !== asked) return;
            hits = found;
            if (found.length) choose(0);
            else render(input.value.trim());
          })
          .catch(onError);
      }
    } else if (event.key === "Escape") {
      close();
    }
  });

  list.addEventListener("mousedown", (event) => {
    const li = (event.target as HTMLElement).closest<HTMLElement>("li[data-index]");
    if (li) {
      event.preventDefault();
      choose(Number(li.dataset.index));
    }
  });

  input.addEventListener("blur", () => window.setTimeout(close, 150));

  // "/" anywhere focuses the search box.
  document.addEventListener("keydown", (event) => {
    const target = event.target as HTMLElement;
    if (event.key === "/" && !["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
}
