// Time in the explorer: whether a fact is in force on a date (the API's definition, README
// "Time"), which facts are only tentative (drawn dashed), the timeline's stops, and how the
// panel says when a fact holds.

import type { Timed } from "./types";

/** Statuses of what a document only puts forward: never in force, drawn dashed. */
export const TENTATIVE = new Set(["proposed", "option", "example"]);

export function isTentative(fact: Timed): boolean {
  return TENTATIVE.has(fact.status ?? "");
}

/** Dated at all: a fact that carries no date (nothing says when) is never hidden by the timeline. */
function dated(fact: Timed): boolean {
  return Boolean(fact.statedOn || fact.inForceFrom || fact.inForceUntil || fact.status);
}

/** In force on `day` (YYYY-MM-DD): inForceFrom <= day <= inForceUntil; no until is open, no
 * from is never (only proposed, an option, an example, uncertain). No day: everything counts. */
export function inForce(fact: Timed, day: string | null): boolean {
  if (!day || !dated(fact)) return true;
  if (!fact.inForceFrom || fact.inForceFrom > day) return false;
  return !fact.inForceUntil || day <= fact.inForceUntil;
}

/** The day after a YYYY-MM-DD date. */
export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The timeline's stops: every date on which what is drawn can change (a document's date, a
 * fact coming into force, the day after one ends), oldest first. */
export function timelineStops(documentDates: string[], facts: Timed[]): string[] {
  const days = new Set(documentDates.filter((d) => DATE.test(d)));
  for (const f of facts) {
    if (f.inForceFrom && DATE.test(f.inForceFrom)) days.add(f.inForceFrom);
    if (f.inForceFrom && f.inForceUntil && DATE.test(f.inForceUntil)) days.add(nextDay(f.inForceUntil));
  }
  return [...days].sort();
}

/** Where a date sits on the timeline: 0 is "all dates", stop i is position i + 1; a date between
 * stops sits at the last stop before it (the first, when it is before them all). */
export function positionOf(stops: string[], day: string | null): number {
  if (!day || stops.length === 0) return 0;
  let position = 1;
  stops.forEach((s, i) => {
    if (s <= day) position = i + 1;
  });
  return position;
}

/** When a fact holds, in words for the panel: "in force on 2011-01-01", "stated 2011, proposed",
 * "ended 2025-04-01", "in force since 2008-10-01", "not yet in force on …". withStatus: say the
 * status of a tentative fact (leave it out where a tag already says it). */
export function timeNote(fact: Timed & { endedOn?: string | null }, day: string | null, withStatus = true): string {
  if (!dated(fact)) return "";
  const year = fact.statedOn ? fact.statedOn.slice(0, 4) : "";
  const ended = fact.endedOn ?? fact.inForceUntil ?? null;
  if (!fact.inForceFrom) {
    if (ended) return `ended ${ended}`; // former, and since when unknown
    const stated = year ? `stated ${year}` : "";
    const status = withStatus || !fact.status ? fact.status || "not in force" : "";
    return [stated, status].filter(Boolean).join(", ");
  }
  if (day) {
    if (inForce(fact, day)) return `in force on ${day}`;
    if (day < fact.inForceFrom) return `not yet in force on ${day} (from ${fact.inForceFrom})`;
    return `ended ${ended}`;
  }
  if (fact.endedOn) return `in force from ${fact.inForceFrom}, ended ${fact.endedOn}`;
  if (fact.inForceUntil) return `in force ${fact.inForceFrom} to ${fact.inForceUntil}`;
  return `in force since ${fact.inForceFrom}`;
}
