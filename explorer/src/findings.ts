// The Findings panel: what the rule checks (GraphQL `checks`) find for the date shown, most
// severe first; clicking one opens and focuses its subject. Its own module, so other panels
// can change without touching it.
import { gql } from "./api";

export interface Finding {
  rule: string;
  severity: "INFO" | "WARNING" | "ERROR";
  subject: { id: string; name: string; label: string };
  evidence: string;
  sources: { document: string; section: string | null }[];
}

const RANK: Record<Finding["severity"], number> = { ERROR: 0, WARNING: 1, INFO: 2 };
const SHOWN = 30;

export async function checks(asOf: string | null): Promise<Finding[]> {
  const data = await gql<{ checks: Finding[] }>(
    `query Findings($asOf: Date) {
       checks(asOf: $asOf) { rule severity subject { id name label } evidence
                             sources { document section } }
     }`,
    { asOf },
  );
  return data.checks;
}

/** Draws the list into `list`; `open` focuses a subject (drawing it when it is not yet). */
export function showFindings(list: HTMLElement, found: Finding[], asOf: string | null,
                             open: (id: string) => void): void {
  list.replaceChildren();
  const sorted = [...found].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.rule.localeCompare(b.rule)
    || a.subject.name.localeCompare(b.subject.name));
  for (const finding of sorted.slice(0, SHOWN)) {
    const li = document.createElement("li");
    li.className = `finding ${finding.severity.toLowerCase()}`;
    const badge = document.createElement("span");
    badge.className = "severity";
    badge.textContent = finding.severity.toLowerCase();
    const button = document.createElement("button");
    button.type = "button";
    button.className = "linkish";
    button.textContent = finding.subject.name;
    button.dataset.id = finding.subject.id;
    button.title = `${finding.rule}: ${finding.evidence}\nSays who: ${finding.sources
      .map((s) => (s.section ? `${s.document} § ${s.section}` : s.document)).join("; ")}`;
    button.addEventListener("click", () => open(finding.subject.id));
    const evidence = document.createElement("span");
    evidence.className = "evidence";
    evidence.textContent = finding.evidence;
    li.append(badge, " ", button, ": ", evidence);
    list.append(li);
  }
  const note = document.createElement("li");
  note.className = "hint";
  if (found.length === 0) note.textContent = `None${asOf ? ` as of ${asOf}` : ""}.`;
  else if (found.length > SHOWN) note.textContent = `…and ${found.length - SHOWN} more (pkb check lists them all).`;
  if (note.textContent) list.append(note);
}
