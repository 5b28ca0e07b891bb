// What the page says about itself: the loading indicator, the error banner, passing notices.

import { ApiError } from "./api";

function el<T extends HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

const reasons = new Map<string, { count: number; text: string }>();

/** Shows the loading indicator while any reason (requests, layouts) holds it; each `true` needs
 * its own `false`. body[data-busy] says whether anything is still running (tests wait on it). */
export function busy(reason: string, on: boolean, text = "Loading…"): void {
  const held = reasons.get(reason) ?? { count: 0, text };
  held.count += on ? 1 : -1;
  if (on) held.text = text;
  if (held.count > 0) reasons.set(reason, held);
  else reasons.delete(reason);
  const box = el<HTMLElement>("loading");
  box.hidden = reasons.size === 0;
  document.body.dataset.busy = String(reasons.size > 0);
  if (reasons.size) el<HTMLElement>("loading-text").textContent = [...reasons.values()].pop()!.text;
}

export function showError(err: unknown): void {
  const message =
    err instanceof ApiError ? err.message : `Something went wrong: ${err instanceof Error ? err.message : String(err)}`;
  el<HTMLElement>("error-text").textContent = message;
  el<HTMLElement>("error").hidden = false;
  console.warn(message); // not console.error: a failing API is reported, not a bug in the page
}

export function clearError(): void {
  el<HTMLElement>("error").hidden = true;
}

let noticeTimer: number | undefined;

export function notice(message: string | null, ms = 6000): void {
  const box = el<HTMLElement>("notice");
  window.clearTimeout(noticeTimer);
  if (!message) {
    box.hidden = true;
    return;
  }
  box.textContent = message;
  box.hidden = false;
  if (ms > 0) noticeTimer = window.setTimeout(() => (box.hidden = true), ms);
}

el<HTMLButtonElement>("error-close").addEventListener("click", clearError);
