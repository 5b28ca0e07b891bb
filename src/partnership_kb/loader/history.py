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


# What the dataset says now, found by identity from its last load's plan (index seeks), so a
# load reads what it may end or strip, not the graph. Labels and types come from the model.
READ_NODES = """
UNWIND $ids AS id MATCH (x:`{label}` {{id: id}})
WHERE $dataset IN x.datasets AND x.endedOn IS NULL
RETURN x.id AS id, elementId(x) AS element, x.datasets AS datasets, properties(x) AS props
"""
READ_RELS = """
UNWIND $ends AS ends MATCH (a:`{start}` {{id: ends[0]}})-[x:`{type}`]->(b:`{end}` {{id: ends[1]}})
WHERE $dataset IN x.datasets AND x.endedOn IS NULL
RETURN a.id AS start, b.id AS end, elementId(x) AS element, x.datasets AS datasets,
       properties(x) AS props
"""


def rel_keys(model: Model) -> dict[str, tuple[str, ...]]:
    return {rel.type: rel.key for rel in model.relationships.values()}


def rel_subject(type_: str, start: str, end: str, key: list[Any]) -> str:
    return f"{type_}:{start}->{end}" + "".join(f":{k}" for k in key)


def read_said(tx: ManagedTransaction, dataset: str, model: Model,
              facts: dict[str, Fact]) -> Said:
    """Which of ``facts`` (what the dataset's last load said) the dataset still says."""
    said = Said()
    nodes: dict[str, list[str]] = {}
    rels: dict[tuple[str, str, str], set[tuple[str, str]]] = {}
    for fact in facts.values():
        if fact.label:
            nodes.setdefault(fact.label, []).append(fact.props["id"])
        else:
            rels.setdefault((fact.start_label, fact.type, fact.end_label), set()).add(
                (fact.start, fact.end))
    for label, ids in nodes.items():
        for row in tx.run(READ_NODES.format(label=label), ids=ids, dataset=dataset):
            said.nodes[f"{label}:{row['id']}"] = dict(row)
    keys = rel_keys(model)
    for (start, type_, end), pairs in rels.items():
        for row in tx.run(READ_RELS.format(start=start, type=type_, end=end),
                          ends=[list(p) for p in sorted(pairs)], dataset=dataset):
            key = [row["props"].get(k) for k in keys.get(type_, ())]
            said.rels[rel_subject(type_, row["start"], row["end"], key)] = dict(row)
    return said


# Values that are Python's already (a plan's): only the driver's dates and times convert.
PLAIN = frozenset({str, int, float, bool, list, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in PLAIN:
        return value
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
    start_label: str = ""
    end_label: str = ""


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
                                  type=pattern.type, start=row["start"], end=row["end"],
                                  start_label=pattern.start, end_label=pattern.end)
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
UNWIND $ids AS id MATCH (n:`{label}` {{id: id}}) RETURN n.id AS id, coalesce(n.name, n.id) AS name
"""


def names_of(tx: ManagedTransaction, facts: list[Fact]) -> dict[str, str]:
    """Names for the ids some facts mention: their own, else the graph's (by index seeks)."""
    names = {f.props["id"]: str(f.props.get("name") or f.props["id"]) for f in facts if f.label}
    wanted: dict[str, set[str]] = {}
    for fact in facts:
        if fact.type:
            for label, id_ in ((fact.start_label, fact.start), (fact.end_label, fact.end)):
                if id_ not in names:
                    wanted.setdefault(label, set()).add(id_)
    for label, ids in wanted.items():
        names.update({r["id"]: r["name"] for r in tx.run(NAMES.format(label=label),
                                                         ids=sorted(ids))})
    return names


def changes_of(tx: ManagedTransaction, plan: Plan, dataset: str, model: Model,
               later: bool, before: dict[str, Fact], said: Said,
               now: dict[str, Fact] | None = None) -> list[Change]:
    """The plan against the dataset's last load (``before``; empty: all of it is new);
    ``now``: the plan's facts, when the caller has them already."""
    now = stated_facts(plan) if now is None else now
    names = names_of(tx, [*before.values(), *now.values()])
    return diff(before, now, said, names, dataset, later)


def last_said(tx: ManagedTransaction, loads: list[dict[str, Any]], dataset: str,
              model: Model) -> tuple[dict[str, Fact], Said]:
    """What the dataset's last load said, and which of it the dataset still says."""
    if not loads:
        return {}, Said()
    before = stated_facts(plan_from_json(plan_of(tx, loads[0]["id"]), model))
    return before, read_said(tx, dataset, model, before)


# Facts the new return no longer says, and no other dataset says: ended on its date.
END_NODES = """
UNWIND $elements AS element MATCH (x) WHERE elementId(x) = element
SET x.endedOn = $statedOn, x.endedBy = $load
"""
END_RELS = """
UNWIND $elements AS element MATCH ()-[x]->() WHERE elementId(x) = element
SET x.endedOn = $statedOn, x.endedBy = $load
"""
NODES_BY_ELEMENT = "UNWIND $elements AS element MATCH (x) WHERE elementId(x) = element"
RELS_BY_ELEMENT = "UNWIND $elements AS element MATCH ()-[x]->() WHERE elementId(x) = element"

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
# The same for named facts only: those a load strips, ends or merges into.
STAMP_NODE_ELEMENTS = NODES_BY_ELEMENT + " WITH x" + STAMP
STAMP_REL_ELEMENTS = RELS_BY_ELEMENT + " WITH x" + STAMP

# What every change shares (dataset and times) is given once, not packed again for each.
RECORD = """
CREATE (l:Load) SET l = $load
WITH l UNWIND $changes AS change
CREATE (c:Change)-[:IN]->(l)
SET c = change, c.dataset = $dataset, c.statedOn = $statedOn, c.recordedAt = $recordedAt
"""

PREVIOUS = """
MATCH (l:Load {dataset: $dataset})
RETURN l.id AS id, l.statedOn AS statedOn, l.recordedAt AS recordedAt
ORDER BY l.statedOn DESC, l.recordedAt DESC
"""
PLAN = "MATCH (l:Load {id: $id}) RETURN l.plan AS plan"


def stamp_params(dataset: str, stated_on: dt.date | None,
                 recorded_at: dt.datetime | None) -> dict[str, Any]:
    return {"dataset": dataset, "prefix": f"{dataset}|", "statedOn": stated_on,
            "recordedAt": recorded_at}


def stamp(tx: ManagedTransaction, dataset: str, stated_on: dt.date | None,
          recorded_at: dt.datetime | None) -> None:
    """Times of every fact the dataset says or said (an unload's way: it scans the graph);
    `stated_on` dates what the dataset now says first (None: no statement is added)."""
    params = stamp_params(dataset, stated_on, recorded_at)
    tx.run(STAMP_NODES, params).consume()
    tx.run(STAMP_RELS, params).consume()


def stamp_elements(tx: ManagedTransaction, nodes: list[str], rels: list[str], dataset: str,
                   stated_on: dt.date | None, recorded_at: dt.datetime | None) -> None:
    """Times of the named facts only (a load's way: what it stripped or ended)."""
    params = stamp_params(dataset, stated_on, recorded_at)
    if nodes:
        tx.run(STAMP_NODE_ELEMENTS, params, elements=nodes).consume()
    if rels:
        tx.run(STAMP_REL_ELEMENTS, params, elements=rels).consume()


def new_times(props: dict[str, Any], dataset: str, stated_on: dt.date) -> dict[str, Any]:
    """STAMP's times for a fact the graph does not hold yet, computed here so that creating
    it needs no second pass (None values are left out: Neo4j stores no nulls). Its
    `recordedAt` is the load's, set by the statement from one parameter (write.CREATE)."""
    status = props.get("status") or "current"
    valid_from, valid_to = props.get("validFrom"), props.get("validTo")
    times = {"stated": [f"{dataset}|{stated_on.isoformat()}"], "statedOn": stated_on,
             "inForceFrom": (valid_from or stated_on) if status == "current"
             else valid_from if status == "former" else None,
             "inForceUntil": (valid_to or stated_on - dt.timedelta(days=1))
             if status == "former" else valid_to}
    return {k: v for k, v in times.items() if v is not None}


def record(tx: ManagedTransaction, load: LoadInfo, plan: bytes, changes: list[Change],
           counts: dict[str, int], first: bool,
           findings: dict[str, list[str]] | None = None) -> None:
    """The load, with its plan as plan_json made it, and what it changed."""
    props = {**(findings or {}), "id": load.id, "dataset": load.dataset, "district": load.district,
             "file": load.file, "sha256": load.sha256, "statedOn": load.stated_on,
             "recordedAt": load.recorded_at, "who": load.who, "plan": plan,
             **{f"count_{k}": v for k, v in counts.items()},
             "added": sum(c.kind == "added" for c in changes),
             "ended": sum(c.kind == "ended" for c in changes),
             "changed": sum(c.kind == "changed" for c in changes)}
    # A dataset's first load adds everything: its Load keeps the count, and its facts'
    # `stated` say which load brought them, so no Change is written for each.
    kept = [] if first else changes
    tx.run(RECORD, load=props, changes=[c.record() for c in kept], dataset=load.dataset,
           statedOn=load.stated_on, recordedAt=load.recorded_at).consume()


def previous_loads(tx: ManagedTransaction, dataset: str) -> list[dict[str, Any]]:
    """The dataset's loads, latest stated first (without their plans)."""
    return [dict(r) for r in tx.run(PREVIOUS, dataset=dataset)]


def plan_of(tx: ManagedTransaction, load_id: str) -> bytes:
    record = tx.run(PLAN, id=load_id).single()
    assert record is not None
    return bytes(record["plan"])


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
