"""Loads as records: what a return says against what its dataset said before, and when.

Every load writes a `Load` (dataset, district, file, sha256, statedOn, recordedAt, who, counts,
and the plan it wrote, so the load before can be restored) and one `Change` per fact it added,
ended or changed, with values before and after. A return stated later than the dataset's last
one *ends* the facts it no longer says (they stay, with `endedOn`), instead of deleting them:
the knowledge base is a record over time. Every fact then gets its times:
- `stated`: "dataset|date" for each dataset saying it, dated by the first return that did;
  `statedOn` is the earliest; `recordedAt` is when we first loaded it;
- `inForceFrom` / `inForceUntil`: when it holds in the world, derived once, here:
  from `validFrom`, else `statedOn`; until `validTo`, else `endedOn`, else open. A `former`
  fact had ended when it was stated: from `validFrom` (unknown: never), until `validTo`, else
  the day before `statedOn`. A fact whose status is proposed, option, example or uncertain has
  no `inForceFrom`: it is never in force.
"In force on D" is then `x.inForceFrom <= D AND (x.inForceUntil IS NULL OR D <= x.inForceUntil)`
for the fact and both its ends (queries/README say so where they use it).
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from ..model import Model
from .plan import Plan, RelPattern


@dataclass(frozen=True)
class LoadInfo:
    """Who loaded which file, stating what on which date."""

    dataset: str
    district: str
    file: str
    sha256: str
    stated_on: dt.date
    recorded_at: dt.datetime
    who: str

    @property
    def id(self) -> str:
        return f"{self.dataset}@{self.recorded_at.isoformat()}"


@dataclass
class Change:
    kind: str  # added, ended, changed
    subject: str  # "Partnership:health-board" or "MEMBER_OF:jo-bloggs->health-board:member"
    summary: str  # in words a district officer reads
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    element: str | None = None  # the Neo4j element id of a fact that exists now

    def record(self) -> dict[str, Any]:
        return {"kind": self.kind, "subject": self.subject, "summary": self.summary,
                "before": _json(self.before), "after": _json(self.after)}


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, default=str, sort_keys=True)


@dataclass
class Said:
    """What a dataset says now, read from the graph: facts by identity."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    rels: dict[str, dict[str, Any]] = field(default_factory=dict)


READ_NODES = """
MATCH (x) WHERE $dataset IN x.datasets AND x.endedOn IS NULL
RETURN labels(x)[0] AS label, x.id AS id, elementId(x) AS element, x.datasets AS datasets,
       properties(x) AS props
"""
READ_RELS = """
MATCH (a)-[x]->(b) WHERE $dataset IN x.datasets AND x.endedOn IS NULL
RETURN type(x) AS type, a.id AS start, b.id AS end, coalesce(a.name, a.id) AS startName,
       coalesce(b.name, b.id) AS endName, elementId(x) AS element, x.datasets AS datasets,
       properties(x) AS props
"""


def rel_keys(model: Model) -> dict[str, tuple[str, ...]]:
    return {rel.type: rel.key for rel in model.relationships.values()}


def rel_subject(type_: str, start: str, end: str, key: list[Any]) -> str:
    return f"{type_}:{start}->{end}" + "".join(f":{k}" for k in key)


def read_said(tx: ManagedTransaction, dataset: str, model: Model) -> Said:
    said = Said()
    for row in tx.run(READ_NODES, dataset=dataset):
        said.nodes[f"{row['label']}:{row['id']}"] = dict(row)
    keys = rel_keys(model)
    for row in tx.run(READ_RELS, dataset=dataset):
        key = [row["props"].get(k) for k in keys.get(row["type"], ())]
        said.rels[rel_subject(row["type"], row["start"], row["end"], key)] = dict(row)
    return said


def _plain(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@dataclass(frozen=True)
class Fact:
    """One fact a plan states: its identity, how to name it, and what it says."""

    subject: str
    props: dict[str, Any]
    label: str = ""  # a node's label
    type: str = ""  # a relationship's type, with its ends
    start: str = ""
    end: str = ""


def stated_facts(plan: Plan) -> dict[str, Fact]:
    found = {}
    for label, rows in plan.nodes.items():
        for row in rows:
            subject = f"{label}:{row['id']}"
            found[subject] = Fact(subject, _values(row["props"]), label=label)
    for pattern, by_identity in plan.rels.items():
        for row in by_identity.values():
            subject = rel_subject(pattern.type, row["start"], row["end"],
                                  list(row["key"].values()))
            found[subject] = Fact(subject, _values({**row["props"], **row["key"]}),
                                  type=pattern.type, start=row["start"], end=row["end"])
    return found


def _values(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in props.items()}


def diff(before: dict[str, Fact], now: dict[str, Fact], said: Said, names: dict[str, str],
         dataset: str, later: bool) -> list[Change]:
    """What a return adds, ends and changes against the dataset's last return. A fact only
    this dataset says and the new return leaves out is ended by a later return (it stays,
    dated), and removed by a correction of the same return."""
    gone, verb = ("ended", "ends") if later else ("removed", "removes")
    changes: list[Change] = []
    for subject, fact in now.items():
        earlier = before.get(subject)
        if earlier is None:
            changes.append(Change("added", subject, f"adds: {named(fact, names)}", None,
                                  fact.props))
        elif earlier.props != fact.props:
            changes.append(_changed(earlier, fact, names, said))
    for subject, fact in before.items():
        found = said.nodes.get(subject) or said.rels.get(subject)
        if subject in now or found is None or found["datasets"] != [dataset]:
            continue
        since = fact.props.get("validFrom") or _first_stated(found["props"])
        held = f", held since {since}" if since and fact.type else ""
        changes.append(Change(gone, subject, f"{verb}: {named(fact, names)}{held}",
                              fact.props, None, found["element"]))
    return changes


def _changed(earlier: Fact, fact: Fact, names: dict[str, str], said: Said) -> Change:
    keys = sorted(set(earlier.props) | set(fact.props))
    moved = [k for k in keys if earlier.props.get(k) != fact.props.get(k)]
    words = "; ".join(f"{k} {_shown(earlier.props.get(k))} → {_shown(fact.props.get(k))}"
                      for k in moved)
    found = said.nodes.get(fact.subject) or said.rels.get(fact.subject) or {}
    return Change("changed", fact.subject, f"changes: {named(fact, names)}: {words}",
                  {k: earlier.props.get(k) for k in moved}, {k: fact.props.get(k) for k in moved},
                  found.get("element"))


def named(fact: Fact, names: dict[str, str]) -> str:
    if fact.label:
        return f"{fact.label} {names.get(fact.props.get('id', ''), fact.subject)!r}"
    return relation(fact.type, names.get(fact.start, fact.start), names.get(fact.end, fact.end),
                    fact.props)


def _first_stated(props: dict[str, Any]) -> str | None:
    stated = props.get("statedOn")
    return str(_plain(stated)) if stated else None


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def relation(type_: str, start: str, end: str, props: dict[str, Any]) -> str:
    if type_ == "MEMBER_OF":
        return f"{start} as {props.get('role') or 'member'} of {end}"
    return f"{start} {type_.lower().replace('_', ' ')} {end}"


NAMES = """
UNWIND $ids AS id
MATCH (n:Organisation|Partnership|Post|Person|Strategy|Aim|Outcome|Action|Programme|Area|
         Source|Guidance)
WHERE n.id = id
RETURN n.id AS id, coalesce(n.name, n.id) AS name
"""


def names_of(tx: ManagedTransaction, facts: list[Fact]) -> dict[str, str]:
    """Names for the ids some facts mention: their own, else the graph's."""
    names = {f.props["id"]: str(f.props.get("name") or f.props["id"]) for f in facts if f.label}
    wanted = sorted({id_ for f in facts if f.type for id_ in (f.start, f.end)} - set(names))
    names.update({r["id"]: r["name"] for r in tx.run(NAMES, ids=wanted)})
    return names


def changes_of(tx: ManagedTransaction, plan: Plan, dataset: str, model: Model,
               later: bool) -> list[Change]:
    """The plan against the dataset's last load (all of it is new without one)."""
    loads = previous_loads(tx, dataset)
    before = stated_facts(plan_from_json(loads[0]["plan"], model)) if loads else {}
    now = stated_facts(plan)
    names = names_of(tx, [*before.values(), *now.values()])
    return diff(before, now, read_said(tx, dataset, model), names, dataset, later)


# Facts the new return no longer says, and no other dataset says: ended on its date.
END_NODES = """
UNWIND $elements AS element MATCH (x) WHERE elementId(x) = element
SET x.endedOn = $statedOn, x.endedBy = $load
"""
END_RELS = """
UNWIND $elements AS element MATCH ()-[x]->() WHERE elementId(x) = element
SET x.endedOn = $statedOn, x.endedBy = $load
"""

# What a load ended, open again (its load is being unloaded; or, with $loads null, all of the
# dataset's ended facts, for an unload of the dataset as a whole).
REOPEN_NODES = """
MATCH (x) WHERE $dataset IN x.datasets AND x.endedOn IS NOT NULL
  AND ($loads IS NULL OR x.endedBy IN $loads)
REMOVE x.endedOn, x.endedBy
"""
REOPEN_RELS = """
MATCH ()-[x]->() WHERE $dataset IN x.datasets AND x.endedOn IS NOT NULL
  AND ($loads IS NULL OR x.endedBy IN $loads)
REMOVE x.endedOn, x.endedBy
"""
FORGET = """
MATCH (l:Load {dataset: $dataset}) WHERE $loads IS NULL OR l.id IN $loads
OPTIONAL MATCH (c:Change)-[:IN]->(l)
DETACH DELETE c, l
"""

# A fact's times, from its statements: each dataset that says it keeps the date it first did
# ($prefix adds one for the dataset being loaded); one the dataset no longer says loses its.
STAMP = """
WITH x, [s IN coalesce(x.stated, []) WHERE split(s, '|')[0] IN x.datasets] AS kept
WITH x, CASE WHEN NOT $dataset IN x.datasets OR $statedOn IS NULL
                  OR any(s IN kept WHERE s STARTS WITH $prefix) THEN kept
             ELSE kept + [$prefix + toString($statedOn)] END AS stated
WITH x, stated, reduce(first = null, s IN stated |
       CASE WHEN first IS NULL OR date(split(s, '|')[1]) < first
            THEN date(split(s, '|')[1]) ELSE first END) AS statedOn
SET x.stated = stated, x.statedOn = statedOn,
    x.recordedAt = coalesce(x.recordedAt, $recordedAt),
    x.inForceFrom = CASE coalesce(x.status, 'current')
                      WHEN 'current' THEN coalesce(x.validFrom, statedOn)
                      WHEN 'former' THEN x.validFrom END,
    x.inForceUntil = CASE WHEN x.status = 'former'
                          THEN coalesce(x.validTo, x.endedOn, statedOn - duration('P1D'))
                          ELSE coalesce(x.validTo, x.endedOn) END
"""
TOUCHED = (" WHERE $dataset IN x.datasets"
           " OR any(s IN coalesce(x.stated, []) WHERE s STARTS WITH $prefix)")
STAMP_NODES = "MATCH (x)" + TOUCHED + STAMP
STAMP_RELS = "MATCH ()-[x]->()" + TOUCHED + STAMP

RECORD = """
CREATE (l:Load) SET l = $load
WITH l UNWIND $changes AS change
CREATE (c:Change)-[:IN]->(l) SET c = change
"""

PREVIOUS = """
MATCH (l:Load {dataset: $dataset})
RETURN l.id AS id, l.statedOn AS statedOn, l.recordedAt AS recordedAt, l.plan AS plan
ORDER BY l.statedOn DESC, l.recordedAt DESC
"""


def stamp(tx: ManagedTransaction, dataset: str, stated_on: dt.date | None,
          recorded_at: dt.datetime | None) -> None:
    """Times of the facts a write touched; `stated_on` dates what the dataset now says first
    (None: an unload, which adds no statement)."""
    params = {"dataset": dataset, "prefix": f"{dataset}|", "statedOn": stated_on,
              "recordedAt": recorded_at}
    tx.run(STAMP_NODES, params).consume()
    tx.run(STAMP_RELS, params).consume()


def record(tx: ManagedTransaction, load: LoadInfo, plan: Plan, changes: list[Change],
           counts: dict[str, int], first: bool,
           findings: dict[str, list[str]] | None = None) -> None:
    props = {**(findings or {}), "id": load.id, "dataset": load.dataset, "district": load.district,
             "file": load.file, "sha256": load.sha256, "statedOn": load.stated_on,
             "recordedAt": load.recorded_at, "who": load.who, "plan": plan_json(plan),
             **{f"count_{k}": v for k, v in counts.items()},
             "added": sum(c.kind == "added" for c in changes),
             "ended": sum(c.kind == "ended" for c in changes),
             "changed": sum(c.kind == "changed" for c in changes)}
    when = {"dataset": load.dataset, "statedOn": load.stated_on, "recordedAt": load.recorded_at}
    # A dataset's first load adds everything: its Load keeps the count, and its facts'
    # `stated` say which load brought them, so no Change is written for each.
    kept = [] if first else changes
    tx.run(RECORD, load=props, changes=[{**c.record(), **when} for c in kept]).consume()


def previous_loads(tx: ManagedTransaction, dataset: str) -> list[dict[str, Any]]:
    return [dict(r) for r in tx.run(PREVIOUS, dataset=dataset)]


def plan_json(plan: Plan) -> bytes:
    """The plan, to restore this load's state when the load after it is unloaded (JSON,
    compressed: a return's plan repeats its keys and ids on every row)."""
    return zlib.compress(json.dumps({
        "nodes": plan.nodes,
        "rels": [{"pattern": [p.type, p.start, p.end, list(p.key)],
                  "rows": [{k: v for k, v in row.items() if k != "row"}
                           for row in rows.values()]}
                 for p, rows in plan.rels.items()]}, default=str).encode(), 6)


def plan_from_json(recorded: bytes, model: Model) -> Plan:
    """A recorded plan, every row written as an update (its nodes may exist by now)."""
    raw = json.loads(zlib.decompress(bytes(recorded)))
    plan = Plan()
    specs: list[Any] = [*model.nodes.values(), *model.relationships.values()]
    dates = {c.prop for spec in specs for c in spec.columns.values() if c.type == "date"}
    for label, rows in raw["nodes"].items():
        plan.nodes[label] = [{**row, "props": _dated(row["props"], dates), "new": False}
                             for row in rows]
    for entry in raw["rels"]:
        type_, start, end, key = entry["pattern"]
        pattern = RelPattern(type_, start, end, tuple(key))
        for row in entry["rows"]:
            identity = (row["start"], row["end"], *row["key"].values())
            plan.rels[pattern][identity] = {**row, "props": _dated(row["props"], dates),
                                            "new": False}
    return plan


def _dated(props: dict[str, Any], dates: set[str]) -> dict[str, Any]:
    return {k: dt.date.fromisoformat(v) if k in dates and isinstance(v, str) else v
            for k, v in props.items()}
