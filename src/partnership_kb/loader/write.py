"""Writing a plan to Neo4j in one transaction: batched UNWIND statements, all or nothing.

A dataset's reload first takes back everything that dataset said, then writes what it says now,
then deletes whatever no dataset says any more. Each node and relationship records who said
what: `provenance` ("dataset|doc#section", from which `datasets` and `sources` derive) and
`claims`: "dataset|property" for a single value (the last dataset to load wins) and
"dataset|property=value" for each value of a list such as `aliases` (lists are the union of
what every dataset says). So a property or alias only this dataset gave goes with it, while
facts other datasets also hold stay. Labels and relationship types in these statements come
from model.yaml (trusted configuration); every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from neo4j import Driver, ManagedTransaction, Result

from ..checks.findings import Finding, diff
from ..checks.run import Scope, anchor_counts, checks_in
from ..db import load_session
from ..model import Model
from . import history
from .history import Change, LoadInfo
from .lookup import NAME_KEYS, name_keys
from .plan import Plan, RelPattern

BATCH = 5_000

# Recompute datasets and sources from provenance, sorted, so that loading the same file twice
# leaves every list exactly as it was.
DERIVE = """
SET x.provenance = COLLECT { UNWIND prov AS p WITH DISTINCT p RETURN p ORDER BY p },
    x.datasets = COLLECT { UNWIND prov AS p WITH DISTINCT split(p, '|')[0] AS d
                           RETURN d ORDER BY d },
    x.sources = COLLECT { UNWIND prov AS p WITH DISTINCT substring(p, size(split(p, '|')[0]) + 1)
                          AS s RETURN s ORDER BY s }
"""

# Each list property ($lists) is the sorted union of the values its claims give.
DERIVE_LISTS = """
WITH x
CALL (x) {
  UNWIND $lists AS key
  WITH x, key, COLLECT { UNWIND x.claims AS c
                         WITH substring(c, size(split(c, '|')[0]) + 1) AS claim
                         WHERE claim STARTS WITH key + '='
                         WITH DISTINCT substring(claim, size(key) + 1) AS v RETURN v ORDER BY v
                       } AS values
  SET x[key] = CASE WHEN size(values) = 0 THEN null ELSE values END
}
"""

# A node or relationship that exists already: merge what this dataset says into it (said
# again, it is no longer ended), and re-time it from its statements, in the same statement.
WRITE = """
SET x += row.props, x.endedOn = null, x.endedBy = null
WITH x, coalesce(x.provenance, []) + row.provenance AS prov,
     coalesce(x.claims, []) + row.claims AS claims
SET x.claims = COLLECT { UNWIND claims AS c WITH DISTINCT c RETURN c ORDER BY c }
""" + DERIVE + DERIVE_LISTS + "WITH x" + history.STAMP

# One the graph does not hold yet (the planner knows from its index): written whole, with its
# bookkeeping lists and times computed and sorted in Python. Much cheaper than merging. The
# load's time and date are parameters, not values per row: the driver packs each date and
# datetime in Python, slowly enough to cost more than the writing. A new fact is stated on
# the load's date; it is in force from then unless its row says otherwise (`fromStated`).
CREATE = """ SET x = row.all, x += $shared, x.recordedAt = $recordedAt, x.statedOn = $statedOn,
    x.inForceFrom = CASE WHEN row.fromStated THEN $statedOn ELSE x.inForceFrom END"""

# Take back what the dataset said: its citations, the single values no other dataset claims,
# and its list values.
STRIP = """
WITH x, [c IN x.claims WHERE NOT c STARTS WITH $prefix] AS kept,
     [c IN x.claims WHERE c STARTS WITH $prefix AND NOT c CONTAINS '='
      | substring(c, size($prefix))] AS mine
FOREACH (key IN [k IN mine WHERE none(c IN kept WHERE c ENDS WITH '|' + k)] | SET x[key] = null)
SET x.claims = kept
WITH x, [p IN x.provenance WHERE NOT p STARTS WITH $prefix] AS prov
""" + DERIVE + DERIVE_LISTS

# Ended facts keep what they said: they are the record of what held until then. An unload
# scans for the dataset's facts; a load names them (what its last load said, found by identity).
STRIP_NODES = "MATCH (x) WHERE $dataset IN x.datasets AND x.endedOn IS NULL" + STRIP
STRIP_RELS = "MATCH ()-[x]->() WHERE $dataset IN x.datasets AND x.endedOn IS NULL" + STRIP
STRIP_NODE_ELEMENTS = history.NODES_BY_ELEMENT + " AND x.endedOn IS NULL" + STRIP
STRIP_REL_ELEMENTS = history.RELS_BY_ELEMENT + " AND x.endedOn IS NULL" + STRIP

DELETE_UNSAID_RELS = "MATCH ()-[x]->() WHERE x.datasets = [] DELETE x"
DELETE_UNSAID_NODES = "MATCH (x) WHERE x.datasets = [] DETACH DELETE x"
DELETE_UNSAID_REL_ELEMENTS = history.RELS_BY_ELEMENT + " AND x.datasets = [] DELETE x"
DELETE_UNSAID_NODE_ELEMENTS = (history.NODES_BY_ELEMENT
                               + " AND x.datasets = [] DETACH DELETE x")

# The relationships a batch wrote, by element id: the load's checks reach them by seeks.
WRITTEN = " RETURN collect(elementId(x)) AS elements"

Progress = Callable[[int], None]
Times = Callable[[dict[str, Any]], dict[str, Any]]


# Every load and unload gives the graph a new data version, in the same transaction: the API's
# ETags are made of it, so a cached answer is never served across a change.
BUMP_DATA_VERSION = ("MERGE (v:DataVersion {id: 'graph'}) "
                     "SET v.version = randomUUID(), v.changedAt = datetime()")


def node_statement(label: str, new: bool) -> str:
    if new:
        return f"UNWIND $rows AS row CREATE (x:`{label}`)" + CREATE
    return f"UNWIND $rows AS row MERGE (x:`{label}` {{id: row.id}})" + WRITE


def rel_statement(pattern: RelPattern, new: bool) -> str:
    ends = (f"UNWIND $rows AS row MATCH (a:`{pattern.start}` {{id: row.start}}) "
            f"MATCH (b:`{pattern.end}` {{id: row.end}}) ")
    if new:
        return ends + f"CREATE (a)-[x:`{pattern.type}`]->(b)" + CREATE + WRITTEN
    key = ", ".join(f"{name}: row.key.{name}" for name in pattern.key)
    return ends + f"MERGE (a)-[x:`{pattern.type}` {{{key}}}]->(b)" + WRITE + WRITTEN


class Rows(list[dict[str, Any]]):
    """A batch's rows, sent as a list. The driver writes each statement's parameters into a
    debug-log line (repr) whether or not debug logging is on: a batch is named by its size
    there, not spelt out row by row (5,000 rows took 10 ms each time)."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


@dataclass
class WriteCounts:
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    written: dict[str, int] = field(default_factory=dict)
    rel_elements: dict[str, list[str]] = field(default_factory=dict, repr=False)  # by type

    def add(self, counters: Any) -> None:
        self.nodes_created += counters.nodes_created
        self.nodes_deleted += counters.nodes_deleted
        self.relationships_created += counters.relationships_created
        self.relationships_deleted += counters.relationships_deleted
        self.properties_set += counters.properties_set


def with_lists(rows: list[dict[str, Any]], prefix: str, identity: tuple[str, ...],
               times: Times | None = None) -> list[dict[str, Any]]:
    """The parameters of one batch: a new row's whole property map (`all`, timed by
    ``times``), or what merging an existing one needs. Bookkeeping lists are computed and
    sorted here, as DERIVE sorts them. Identity properties (a node's id, a relationship's key)
    are never claimed, so a reload never removes them."""
    datasets = [prefix[:-1]]
    params = []
    # Rows share their citations and, lists aside, the set of properties they give: each
    # such list is made once per batch (the driver only reads them).
    sources_of: dict[tuple[str, ...], list[str]] = {}
    claims_of: dict[tuple[str, ...], list[str]] = {}
    for row in rows:
        props, cited = row["props"], row["provenance"]
        if identity == ("id",):  # a node: the names it is found by (lookup.py)
            props = {**props, NAME_KEYS: name_keys(props)}
        cited_key = tuple(cited)
        sources = sources_of.get(cited_key)
        if sources is None:
            sources = sources_of[cited_key] = sorted({p[len(prefix):] for p in cited})
        if any(isinstance(value, list) for value in props.values()):
            said = sorted(claims(props, prefix, identity))  # its list values are claims
        elif (known := claims_of.get(keys := tuple(props))) is not None:
            said = known
        else:
            said = claims_of[keys] = sorted(claims(props, prefix, identity))
        lists = {"provenance": cited, "datasets": datasets, "sources": sources,
                 "claims": said}
        ends = {"start": row["start"], "end": row["end"]} if "start" in row else {"id": row["id"]}
        if row.get("new"):
            timed = times(props) if times else {}
            stated = timed.pop("statedOn", None)  # $statedOn (CREATE)
            from_stated = stated is not None and timed.get("inForceFrom") == stated
            if from_stated:
                del timed["inForceFrom"]
            params.append({**ends, "all": {**props, **lists, **timed},
                           "fromStated": from_stated})
        else:
            params.append({**ends, "key": row.get("key", {}), "props": props, **lists})
    return params


# Bookkeeping lists with_lists makes once and gives many rows (the same list object).
SHAREABLE = ("provenance", "datasets", "sources", "claims", "stated")


def shared(params: list[dict[str, Any]]) -> dict[str, Any]:
    """The bookkeeping lists every new row of a batch holds (the same object: with_lists
    makes each once), taken out of the rows to be sent once as `$shared` (CREATE), as an
    expert would write them: each was packed, sent and unpacked again for every row."""
    if not params or "all" not in params[0]:
        return {}  # rows to merge: their lists are merged row by row (WRITE)
    first = params[0]["all"]
    found = {key: first[key] for key in SHAREABLE
             if key in first and all(p["all"].get(key) is first[key] for p in params)}
    for p in params:
        for key in found:
            del p["all"][key]
    return found


def claims(props: dict[str, Any], prefix: str, identity: tuple[str, ...]) -> Iterator[str]:
    for key, value in props.items():
        if key in identity:
            continue
        if isinstance(value, list):
            yield from (f"{prefix}{key}={item}" for item in value)
        else:
            yield prefix + key


def batches(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def write(driver: Driver, plan: Plan, model: Model, load: LoadInfo,
          database: str | None = None, progress: Progress | None = None,
          check: bool = True) -> WriteResult:
    """Replace what the load's dataset says with ``plan``, in one transaction, and record the
    load with what it changed (and, with ``check``, the rule checks' new and resolved findings:
    the rules run in the same transaction before and after the write)."""
    with load_session(driver, database) as session:
        started = time.perf_counter()
        result: WriteResult = session.execute_write(_load, plan, model, load, progress, check)
        # What the transaction function did not take: committing (Neo4j applies the whole
        # transaction to the store and its indexes then).
        result.seconds["commit"] = (time.perf_counter() - started
                                    - result.seconds.pop("transaction"))
        return result


def changes(driver: Driver, plan: Plan, model: Model, load: LoadInfo,
            database: str | None = None) -> list[Change]:
    """What a load would add, end and change (a dry run's difference), writing nothing."""
    with load_session(driver, database) as session:
        found: list[Change] = session.execute_read(_changes, plan, model, load)
        return found


def unload(driver: Driver, dataset: str, model: Model,
           database: str | None = None) -> WriteCounts:
    """Take back the dataset's latest load: the state its load before left returns exactly;
    with no load before, everything the dataset says goes (what others also say stays)."""
    with load_session(driver, database) as session:
        counts: WriteCounts = session.execute_write(_unload, dataset, model)
        return counts


@dataclass
class WriteResult:
    counts: WriteCounts
    changes: list[Change]
    new_findings: list[Finding] = field(default_factory=list)
    resolved_findings: list[Finding] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # rules (checks), commit


def _lists(model: Model) -> list[str]:
    """Node properties that are the union of what each dataset says."""
    return [*model.list_properties(), NAME_KEYS]


def _later(loads: list[dict[str, Any]], load: LoadInfo) -> bool:
    """Whether this return is stated later than the dataset's last (so it ends facts)."""
    return bool(loads) and load.stated_on > loads[0]["statedOn"].to_native()


def _changes(tx: ManagedTransaction, plan: Plan, model: Model, load: LoadInfo) -> list[Change]:
    loads = history.previous_loads(tx, load.dataset)
    before, said = history.last_said(tx, loads, load.dataset, model)
    return history.changes_of(tx, plan, load.dataset, model, _later(loads, load), before, said)


def _load(tx: ManagedTransaction, plan: Plan, model: Model, load: LoadInfo,
          progress: Progress | None, check: bool) -> WriteResult:
    """One load, touching only what the dataset's last load said and what this one says: the
    facts to strip, end and re-time are found by identity from the last load's plan. With
    ``check``, the rule checks run before and after it, in the same transaction (before a
    dataset's first load it says nothing, so it has no findings to check for), over what the
    last load said and this one says: what the dataset states outside that was ended by an
    earlier load and is untouched by this one, so its findings are the same before and after
    (and every rule but one leaves ended facts out)."""
    started = time.perf_counter()
    loads = history.previous_loads(tx, load.dataset)
    later = _later(loads, load)
    before, said = history.last_said(tx, loads, load.dataset, model)
    rules = _RuleClock(tx, load.dataset, check)
    scope = _scope(plan, said, rules.counts())
    # Python work on the plan alone (its facts, and the plan as its load records it): done
    # in a second thread, mostly while this one waits for Neo4j to write and check.
    with ThreadPoolExecutor(max_workers=1) as pool:
        facts = pool.submit(history.stated_facts, plan)
        recorded = pool.submit(history.plan_json, plan)
        before_findings = rules.findings(scope) if loads else []
        if later:  # what it no longer says is ended before anything is written
            found = _end_unsaid(tx, plan, model, load, before, said, facts.result())
        counts = _replace(tx, plan, load.dataset, _lists(model), progress, load, said,
                          facts.result)
        if not later:  # the same found afterwards (names come from the plan, or from nodes
            # the load does not touch), in the second thread while the rules run
            names = history.names_of(tx, [*before.values(), *facts.result().values()])
            diffed = pool.submit(history.diff, before, facts.result(), said, names,
                                 load.dataset, later)
        new, resolved = diff(before_findings, rules.findings(_written(scope, counts, plan)))
        if not later:
            found = diffed.result()
        _record(tx, load, recorded.result(), found, counts, not loads, new, resolved)
    return WriteResult(counts, found, new, resolved, {
        "rules": rules.seconds, "transaction": time.perf_counter() - started})


def _scope(plan: Plan, said: history.Said, sizes: dict[str, int]) -> Scope:
    """What the load may change the findings of: the nodes its plan names and those its
    last load said, and the relationships its last load said (by element id); with how many
    of each kind the graph holds before the write."""
    ids: dict[str, set[str]] = {label: {row["id"] for row in rows}
                                for label, rows in plan.nodes.items()}
    for subject, row in said.nodes.items():
        ids.setdefault(subject.partition(":")[0], set()).add(row["id"])
    said_rels: dict[str, list[str]] = {}
    for subject, row in said.rels.items():
        said_rels.setdefault(subject.partition(":")[0], []).append(row["element"])
    return Scope({label: sorted(found) for label, found in ids.items()}, said_rels, sizes)


def _written(scope: Scope, counts: WriteCounts, plan: Plan) -> Scope:
    """The scope after the write: the relationships it wrote join those said before, and
    the graph holds what the plan created besides what it held (what the write removed is
    left counted: the sizes only choose how the rules reach their anchors)."""
    written = {type_: [*scope.rels.get(type_, []), *elements]
               for type_, elements in counts.rel_elements.items()}
    sizes = dict(scope.sizes)
    for kind, rows in [*plan.nodes.items(),
                       *((pattern.type, rows.values()) for pattern, rows in plan.rels.items())]:
        if kind in sizes:
            sizes[kind] += sum(1 for row in rows if row.get("new"))
    return Scope(scope.ids, {**scope.rels, **written}, sizes)


class _RuleClock:
    """The rule checks of one load (none without ``check``), and the time they took."""

    def __init__(self, tx: ManagedTransaction, dataset: str, check: bool) -> None:
        self.tx, self.dataset, self.check = tx, dataset, check
        self.seconds = 0.0

    def counts(self) -> dict[str, int]:
        """How many anchors of each kind the graph holds (before the load writes)."""
        if not self.check:
            return {}
        started = time.perf_counter()
        found = anchor_counts(self.tx)
        self.seconds += time.perf_counter() - started
        return found

    def findings(self, scope: Scope) -> list[Finding]:
        if not self.check:
            return []
        started = time.perf_counter()
        found = checks_in(self.tx, self.dataset, scope)
        self.seconds += time.perf_counter() - started
        return found


def _end_unsaid(tx: ManagedTransaction, plan: Plan, model: Model, load: LoadInfo,
                before: dict[str, history.Fact], said: history.Said,
                facts: dict[str, history.Fact]) -> list[Change]:
    """A later return's changes; what it no longer says is ended (before anything is
    written)."""
    found = history.changes_of(tx, plan, load.dataset, model, True, before, said, facts)
    ended = [c for c in found if c.kind == "ended"]
    for statement, rel in ((history.END_NODES, False), (history.END_RELS, True)):
        tx.run(statement, elements=[c.element for c in ended if ("->" in c.subject) is rel],
               statedOn=load.stated_on, load=load.id).consume()
    return found


def _record(tx: ManagedTransaction, load: LoadInfo, recorded: bytes, found: list[Change],
            counts: WriteCounts, first: bool, new: list[Finding],
            resolved: list[Finding]) -> None:
    history.record(tx, load, recorded, found, {
        "nodesCreated": counts.nodes_created, "nodesDeleted": counts.nodes_deleted,
        "relationshipsCreated": counts.relationships_created,
        "relationshipsDeleted": counts.relationships_deleted}, first,
        {"newFindings": [f.line() for f in new],
         "resolvedFindings": [f.line() for f in resolved]})


def _unload(tx: ManagedTransaction, dataset: str, model: Model) -> WriteCounts:
    loads = history.previous_loads(tx, dataset)
    latest = [loads[0]["id"]] if len(loads) > 1 else None  # None: every load of it
    tx.run(history.REOPEN_NODES, dataset=dataset, loads=latest).consume()
    tx.run(history.REOPEN_RELS, dataset=dataset, loads=latest).consume()
    tx.run(history.FORGET, dataset=dataset, loads=latest).consume()
    if latest is None:
        counts = _replace(tx, Plan(), dataset, _lists(model), None, None, None)
        history.stamp(tx, dataset, None, None)
        return counts
    before = loads[1]
    when = LoadInfo(dataset, "", "", "", before["statedOn"].to_native(),
                    before["recordedAt"].to_native(), "")
    counts = _replace(tx, history.plan_from_json(history.plan_of(tx, before["id"]), model),
                      dataset, _lists(model), None, when, None)
    history.stamp(tx, dataset, when.stated_on, when.recorded_at)
    return counts


def _times(dataset: str, stated_on: dt.date) -> Times:
    """A new fact's times (history.new_times), made once for each status and validity the
    load's rows give (most give none), each row getting a copy of its own."""
    made: dict[tuple[Any, Any, Any], dict[str, Any]] = {}

    def times(props: dict[str, Any]) -> dict[str, Any]:
        key = (props.get("status"), props.get("validFrom"), props.get("validTo"))
        if key not in made:
            made[key] = history.new_times(props, dataset, stated_on)
        return dict(made[key])

    return times


def _replace(tx: ManagedTransaction, plan: Plan, dataset: str, list_props: list[str],
             progress: Progress | None, load: LoadInfo | None,
             said: history.Said | None,
             now: Callable[[], dict[str, history.Fact]] | None = None) -> WriteCounts:
    """Take back what the dataset said and write what it says now. ``said`` names what it
    said (a load); None: find it by scanning the graph (an unload, which then re-times all
    the dataset's facts itself). ``now`` gives the plan's facts, when made already."""
    counts = WriteCounts()
    results: list[tuple[str, Result]] = []  # with the type of relationship they write

    def run(statement: str, type_: str = "", **params: Any) -> None:
        if params.get("elements") == []:
            return  # nothing named: not even a round trip
        if "rows" in params:
            params["rows"] = Rows(params["rows"])
        # Counted at the end, not waited for here: while Neo4j writes this batch, Python
        # makes the next one's parameters (statements still run in order).
        results.append((type_, tx.run(statement, params)))

    prefix = f"{dataset}|"
    when = history.stamp_params(dataset, load.stated_on if load else None,
                                load.recorded_at if load else None)
    if said is None:
        run(STRIP_RELS, dataset=dataset, prefix=prefix, lists=[])
        run(STRIP_NODES, dataset=dataset, prefix=prefix, lists=list_props)
    else:
        node_elements = [row["element"] for row in said.nodes.values()]
        rel_elements = [row["element"] for row in said.rels.values()]
        run(STRIP_REL_ELEMENTS, elements=rel_elements, dataset=dataset, prefix=prefix, lists=[])
        run(STRIP_NODE_ELEMENTS, elements=node_elements, dataset=dataset, prefix=prefix,
            lists=list_props)
    times = _times(dataset, load.stated_on) if load is not None else None
    for label, rows in plan.nodes.items():
        for new in (True, False):
            for batch in batches([r for r in rows if bool(r.get("new")) is new]):
                params = with_lists(batch, prefix, ("id",), times)
                run(node_statement(label, new), rows=params, shared=shared(params),
                    lists=list_props, **when)
                if progress:
                    progress(len(batch))
        counts.written[label] = len(rows)
    for pattern, by_identity in plan.rels.items():
        rows = list(by_identity.values())
        for new in (True, False):
            for batch in batches([r for r in rows if bool(r.get("new")) is new]):
                params = with_lists(batch, prefix, pattern.key, times)
                run(rel_statement(pattern, new), pattern.type, rows=params,
                    shared=shared(params), lists=[], **when)
                if progress:
                    progress(len(batch))
        counts.written[pattern.type] = counts.written.get(pattern.type, 0) + len(rows)
    if said is None:
        run(DELETE_UNSAID_RELS)
        run(DELETE_UNSAID_NODES)
    else:
        run(DELETE_UNSAID_REL_ELEMENTS, elements=rel_elements)
        run(DELETE_UNSAID_NODE_ELEMENTS, elements=node_elements)
        # What it said and no longer says (stripped, or ended above) keeps its other
        # statements: re-timed from them. What it says again was re-timed as it was merged.
        facts = history.stated_facts(plan) if now is None else now()
        history.stamp_elements(
            tx, [r["element"] for k, r in said.nodes.items() if k not in facts],
            [r["element"] for k, r in said.rels.items() if k not in facts],
            dataset, when["statedOn"], when["recordedAt"])
    for type_, result in results:
        for record in result:
            counts.rel_elements.setdefault(type_, []).extend(record["elements"])
        counts.add(result.consume().counters)
    tx.run(BUMP_DATA_VERSION).consume()  # bookkeeping, not a fact: not counted
    return counts
