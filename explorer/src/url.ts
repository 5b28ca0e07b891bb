// The view <-> the URL's query string, so a link reproduces what is on screen:
//   ?open=a,b&add=c&drop=d&focus=a&path=a~b&layout=force&depth=2&asOf=2011-09-29
//    &hide=Area,Source&hideRel=COVERS&hideStatus=example&hideTier=operational
//    &hideArea=cheltenham,_none&hideDataset=seed/horsham-talking-2009&pin=a:120:-40,b:0:35

import type { LayoutName, ViewState } from "./types";

export const DEFAULT_STATE: ViewState = {
  expanded: [],
  focus: null,
  path: null,
  layout: "hierarchy",
  depth: 1,
  asOf: null,
  hiddenLabels: [],
  hiddenTypes: [],
  hiddenStatus: [],
  hiddenTiers: [],
  hiddenAreas: [],
  hiddenDatasets: [],
  added: [],
  removed: [],
  pins: {},
};

function list(value: string | null): string[] {
  return value ? value.split(",").map((s) => s.trim()).filter(Boolean) : [];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "id:x:y,id:x:y" -> {id: {x, y}}; ids may hold colons, so the numbers are read from the end. */
export function readPins(value: string | null): Record<string, { x: number; y: number }> {
  const pins: Record<string, { x: number; y: number }> = {};
  for (const item of list(value)) {
    const m = /^(.+):(-?\d+(?:\.\d+)?):(-?\d+(?:\.\d+)?)$/.exec(item);
    if (m) pins[m[1]] = { x: Math.round(Number(m[2])), y: Math.round(Number(m[3])) };
  }
  return pins;
}

export function writePins(pins: Record<string, { x: number; y: number }>): string {
  return Object.entries(pins)
    .map(([id, p]) => `${id}:${Math.round(p.x)}:${Math.round(p.y)}`)
    .join(",");
}

export function readState(query: string): ViewState {
  const params = new URLSearchParams(query);
  const layout: LayoutName = params.get("layout") === "force" ? "force" : "hierarchy";
  const depth = Math.min(3, Math.max(1, Number(params.get("depth")) || 1));
  const asOf = params.get("asOf");
  const ends = (params.get("path") ?? "").split("~");
  const focus = params.get("focus");
  const expanded = list(params.get("open"));
  const added = list(params.get("add"));
  // A link with only a focus opens that node.
  if (focus && expanded.length === 0 && added.length === 0 && !params.get("path")) expanded.push(focus);
  return {
    expanded: [...new Set(expanded)],
    focus: focus || null,
    path: ends.length === 2 && ends[0] && ends[1] ? [ends[0], ends[1]] : null,
    layout,
    depth,
    asOf: asOf && DATE.test(asOf) ? asOf : null,
    hiddenLabels: list(params.get("hide")),
    hiddenTypes: list(params.get("hideRel")),
    hiddenStatus: list(params.get("hideStatus")),
    hiddenTiers: list(params.get("hideTier")),
    hiddenAreas: list(params.get("hideArea")),
    hiddenDatasets: list(params.get("hideDataset")),
    added: [...new Set(added)],
    removed: [...new Set(list(params.get("drop")))],
    pins: readPins(params.get("pin")),
  };
}

export function writeState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.expanded.length) params.set("open", state.expanded.join(","));
  if (state.added.length) params.set("add", state.added.join(","));
  if (state.removed.length) params.set("drop", state.removed.join(","));
  if (state.focus) params.set("focus", state.focus);
  if (state.path) params.set("path", state.path.join("~"));
  if (state.layout !== DEFAULT_STATE.layout) params.set("layout", state.layout);
  if (state.depth !== DEFAULT_STATE.depth) params.set("depth", String(state.depth));
  if (state.asOf) params.set("asOf", state.asOf);
  if (state.hiddenLabels.length) params.set("hide", state.hiddenLabels.join(","));
  if (state.hiddenTypes.length) params.set("hideRel", state.hiddenTypes.join(","));
  if (state.hiddenStatus.length) params.set("hideStatus", state.hiddenStatus.join(","));
  if (state.hiddenTiers.length) params.set("hideTier", state.hiddenTiers.join(","));
  if (state.hiddenAreas.length) params.set("hideArea", state.hiddenAreas.join(","));
  if (state.hiddenDatasets.length) params.set("hideDataset", state.hiddenDatasets.join(","));
  if (Object.keys(state.pins).length) params.set("pin", writePins(state.pins));
  const query = params.toString().replace(/%2C/g, ",").replace(/%7E/gi, "~").replace(/%3A/gi, ":").replace(/%2F/gi, "/");
  return query ? `?${query}` : "";
}

/** Records the state in the address bar without adding a history entry per click. */
export function saveState(state: ViewState): void {
  const query = writeState(state);
  if (query !== window.location.search) {
    window.history.replaceState(null, "", `${window.location.pathname}${query}${window.location.hash}`);
  }
}
