"""Run the rules against Neo4j: from the CLI and the loader (sync driver) and the API (async)."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction, Query, Record, Result, RoutingControl
from neo4j.graph import Node
from neo4j.time import Date, DateTime

from .findings import Finding, from_rows
from .rules import Rule, Severity, load_rules

TIMEOUT_SECONDS = 30.0


# Values the driver gives that are already as Python's (maps are the rules' projections).
PLAIN = frozenset({str, int, float, bool, dict, type(None)})


def node_value(value: Any) -> Any:
    """A node as the id, name and label a finding names it by; other values as Python's."""
    kind = type(value)
    if kind in PLAIN:
        return value  # most values (a load's checks read thousands of rows)
    if kind is list:
        if all(type(v) in PLAIN for v in value):
            return value  # a list of plain values as it is, not rebuilt item by item
        return [node_value(v) for v in value]
    if isinstance(value, Node):
        return {"id": value.get("id"), "name": value.get("name") or value.get("title"),
                "label": next(iter(sorted(value.labels)), "")}
    if isinstance(value, list):
        return [node_value(v) for v in value]
    if isinstance(value, Date | DateTime):
        return value.to_native()
    return value


def rows_of(records: list[Record]) -> list[dict[str, Any]]:
    if not records:
        return []
    keys = records[0].keys()  # a result's records share their keys
    return [dict(zip(keys, map(node_value, record), strict=True)) for record in records]


def params_for(rule: Rule, as_of: dt.date | None, area: str | None,
               dataset: str | None) -> dict[str, Any]:
    return rule.query.bind({"asOf": as_of, "area": area, "dataset": dataset})


def chosen(rules: dict[str, Rule] | None, severity: Severity | None,
           names: list[str] | None = None) -> list[Rule]:
    """The rules to run: all, or those of at least a severity, or those named."""
    everything = rules if rules is not None else load_rules()
    unknown = sorted(set(names or []) - set(everything))
    if unknown:
        raise ValueError(f"No rule {', '.join(unknown)}; rules: {', '.join(everything)}.")
    return [r for r in everything.values()
            if (severity is None or r.severity.rank >= severity.rank)
            and (not names or r.name in names)]


def run_checks(driver: Driver, database: str | None = None, *, as_of: dt.date | None = None,
               area: str | None = None, dataset: str | None = None,
               severity: Severity | None = None, rules: dict[str, Rule] | None = None,
               names: list[str] | None = None) -> list[Finding]:
    """Every rule's findings, in rule order, read in read transactions with a timeout."""

    def read(cypher: str, params: dict[str, Any]) -> list[Record]:
        records, _, _ = driver.execute_query(Query(cypher, timeout=TIMEOUT_SECONDS), params,
                                             database_=database, routing_=RoutingControl.READ)
        return records

    return checks_with(read, as_of=as_of, area=area, dataset=dataset, severity=severity,
                       rules=rules, names=names)


@dataclass(frozen=True)
class Scope:
    """What a load may have changed the findings of: node ids by label and relationship
    element ids by type. It must hold every anchor the dataset states (rules.Rule). With it,
    how many of each kind the graph holds (anchor_counts), to judge how much of it that is."""

    ids: dict[str, list[str]]
    rels: dict[str, list[str]]
    sizes: dict[str, int]

    def of(self, rule: Rule) -> list[str]:
        _, kind, rel = rule.anchored
        return (self.rels if rel else self.ids).get(kind, [])


# A scope of more than this share of its kind's nodes or relationships is judged by the rule
# as written (filtering all of them by dataset): seeking each costs about twice as much.
SEEK_SHARE = 0.5
# How many rules a load's checks keep sent ahead of the one whose rows Python is reading:
# Neo4j runs them in turn meanwhile. (Its session reads each result whole, not a thousand
# rows at a time: the rest of a result would wait behind the rules sent after it.)
IN_FLIGHT = 2


def checks_in(tx: ManagedTransaction, dataset: str, scope: Scope,
              rules: dict[str, Rule] | None = None) -> list[Finding]:
    """Every rule's findings within what ``dataset`` says, as a transaction sees the graph
    (a load's, before and after). Each rule reaches its anchors through ``scope`` by seeks
    instead of filtering the whole graph by dataset (which no index serves): so a load's
    checks cost what its return holds, not what the graph holds. The findings are the same
    either way; where the scope is most of the graph, the rule runs as written. A rule with
    no anchor in the scope judges nothing, so finds nothing: it is not sent at all."""
    judged = [rule for rule in chosen(rules, None) if scope.of(rule)]
    found: list[Finding] = []
    pending: deque[tuple[Rule, Result]] = deque()
    for rule in judged:
        pending.append((rule, tx.run(*_judging(rule, dataset, scope))))
        # The rows of a rule sent earlier, made findings while Neo4j runs the ones sent since
        # (a rule's Python step, such as the brokers', then costs no time of its own).
        if len(pending) > IN_FLIGHT:
            found.extend(_findings(*pending.popleft()))
    while pending:
        found.extend(_findings(*pending.popleft()))
    return found


def _findings(rule: Rule, result: Result) -> list[Finding]:
    return from_rows(rule, rows_of(list(result)))


def anchor_counts(tx: ManagedTransaction,
                  rules: dict[str, Rule] | None = None) -> dict[str, int]:
    """How many anchors of each kind the rules judge the graph holds, by their count queries
    (Neo4j's count store), each kind once. A load counts before it writes: afterwards each
    count would also tally what its transaction changed (up to 0.1 s each at 30,000 rows)."""
    kinds = {rule.anchored[1]: rule.count_text for rule in chosen(rules, None)}
    results = {kind: tx.run(text) for kind, text in kinds.items()}  # all sent, then read
    return {kind: _count(result) for kind, result in results.items()}


def _count(result: Result) -> int:
    record = result.single()
    return 0 if record is None else int(record["n"])


def _judging(rule: Rule, dataset: str, scope: Scope) -> tuple[str, dict[str, Any]]:
    """The rule's text and parameters: as written where the anchors are most of their kind,
    else reaching them by seeks."""
    params = params_for(rule, None, None, dataset)
    anchors = scope.of(rule)
    if len(anchors) > SEEK_SHARE * scope.sizes.get(rule.anchored[1], 0):
        return rule.query.text, params
    params.update(ids=anchors, rels=anchors)
    return rule.scoped_text, params


def checks_with(read: Callable[[str, dict[str, Any]], list[Record]], *,
                as_of: dt.date | None = None, area: str | None = None,
                dataset: str | None = None, severity: Severity | None = None,
                rules: dict[str, Rule] | None = None,
                names: list[str] | None = None) -> list[Finding]:
    found: list[Finding] = []
    for rule in chosen(rules, severity, names):
        found.extend(from_rows(rule, rows_of(read(rule.query.text,
                                                  params_for(rule, as_of, area, dataset)))))
    return found


async def run_checks_async(read: Callable[[str, dict[str, Any]], Awaitable[list[Record]]], *,
                           as_of: dt.date | None = None, area: str | None = None,
                           dataset: str | None = None, severity: Severity | None = None,
                           rules: dict[str, Rule] | None = None) -> list[Finding]:
    """The same through the API's async read (one read per rule)."""
    found: list[Finding] = []
    for rule in chosen(rules, severity):
        records = await read(rule.query.text, params_for(rule, as_of, area, dataset))
        found.extend(from_rows(rule, rows_of(records)))
    return found
