"""What the graph knows about the names and ids a return uses, and nothing else.

A load asks the database only about its own rows: the ids it names (a seek on each label's id
constraint), the names and aliases it uses (a seek in the `nameKeys` index, which holds each
node's names and aliases squashed as the loader compares them), and, for a name found nowhere,
a few look-alike candidates from the full-text index (every word of four letters or more
within one typo), for the near-miss check. So a load costs what its return costs, not what
the graph holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from neo4j import Driver, ManagedTransaction, Record

from ..db import load_session
from ..model import Model
from .mapping import squash
from .resolve import DEDUPED_LABELS, LOOKALIKES, Index, node_name
from .validate import Validated

NAME_KEYS = "nameKeys"  # the property and its index
CANDIDATES = 50  # look-alikes fetched per unknown name
KEYS_A_QUERY = 500  # within Lucene's limit of clauses in one query

BY_ID = """
UNWIND $ids AS id MATCH (n:`{label}` {{id: id}})
RETURN n.id AS id, coalesce(n.name, n.title) AS name, coalesce(n.aliases, []) AS aliases,
       coalesce(n.datasets, []) AS datasets
"""
# Keys are letters, digits and marks only (squash), so a query of keys joined by OR is a
# disjunction of exact terms, with nothing to escape. (Joined by spaces alone, the keyword
# analyzer would read the whole query as one term.) With $area: the area's people only.
BY_KEY = """
UNWIND $queries AS query
CALL db.index.fulltext.queryNodes($index, query) YIELD node AS n
WITH n WHERE $area IS NULL OR n:Person AND any(d IN n.datasets WHERE split(d, '/')[0] IN $area)
RETURN DISTINCT [l IN labels(n) WHERE l IN $labels][0] AS label, n.id AS id,
       coalesce(n.name, n.title) AS name, coalesce(n.aliases, []) AS aliases,
       coalesce(n.datasets, []) AS datasets
"""
# Whether any dataset of the load's area (district) was loaded: then its people may be in the
# graph. A seek on the index of loads' datasets, by prefix.
AREA_LOADED = """
UNWIND $area AS area
MATCH (l:Load) WHERE l.dataset STARTS WITH area AND split(l.dataset, '/')[0] = area
RETURN count(l) > 0 AS loaded
"""
# Which words match something within one typo. A word held exactly (most of a return's
# words: "council", "partnership") is found by its term alone, without the fuzzy search that
# costs about 1 ms a word; `exact` is null where the analyzer might split the word.
MATCHING = """
UNWIND $clauses AS clause
OPTIONAL CALL (clause) {
  WITH clause WHERE clause.exact IS NOT NULL
  CALL db.index.fulltext.queryNodes($index, clause.exact, {limit: 1}) YIELD node
  RETURN true AS exactly
}
OPTIONAL CALL (clause, exactly) {
  WITH clause WHERE exactly IS NULL
  CALL db.index.fulltext.queryNodes($index, clause.fuzzy, {limit: 1}) YIELD node
  RETURN true AS nearly
}
WITH clause WHERE exactly OR nearly
RETURN DISTINCT clause.fuzzy AS clause
"""
LOOKALIKE = """
UNWIND $asks AS ask
CALL db.index.fulltext.queryNodes($index, ask.query, {limit: $limit}) YIELD node AS n
WITH ask, n WHERE any(l IN labels(n) WHERE l IN ask.labels)
RETURN DISTINCT [l IN labels(n) WHERE l IN $labels][0] AS label, n.id AS id,
       coalesce(n.name, n.title) AS name, coalesce(n.aliases, []) AS aliases,
       coalesce(n.datasets, []) AS datasets
"""


def name_keys(props: dict[str, object]) -> list[str]:
    """A node's names and aliases as the loader matches them (squashed), for `nameKeys`."""
    aliases = props.get("aliases")
    texts = [props.get("name") or props.get("title"),
             *(aliases if isinstance(aliases, list) else [])]
    return sorted({key for text in texts if text and (key := squash(str(text)))})


def references(checked: Validated, model: Model) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every reference cell of the return: its text and the labels it may name."""
    for spec in model.nodes.values():
        for row in checked.rows.get(spec.sheet, []):
            for column in spec.references:
                for value in row.values.get(column.name, []):
                    yield str(value), column.to
    for rel in model.relationships.values():
        refs = [c for c in rel.all_columns.values() if c.type == "ref"]
        for row in checked.rows.get(rel.sheet, []):
            for column in refs:
                for value in row.values.get(column.name) or []:
                    yield str(value), column.to


def distinct_references(checked: Validated, model: Model) -> list[tuple[str, tuple[str, ...]]]:
    """references(), each once, in the order first used (rows repeat the same few)."""
    return list(dict.fromkeys(references(checked, model)))


def known(driver: Driver, model: Model, checked: Validated, area: frozenset[str],
          database: str | None) -> Index:
    """The graph's nodes that the return's ids, names, aliases and references name. A person
    row with an id is checked against the people of its own area only (Resolver.check_new:
    namesakes elsewhere are other people), so their names are looked up there alone: the
    nation's namesakes of a return's people were 3,400 nodes at 300 districts (0.16 s). (The
    look-alike query finds most of the area's too, but only among its first CANDIDATES.)"""
    ids: dict[str, set[str]] = {label: set() for label in model.nodes}
    keys: set[str] = set()  # looked up wherever they are held
    own_people: set[str] = set()  # looked up among the area's people
    for spec in model.nodes.values():
        for row in checked.rows.get(spec.sheet, []):
            if "id" in row.values:
                ids[spec.label].add(str(row.values["id"]))
            named = name_keys({"name": node_name(spec, row.values),
                               "aliases": row.values.get("aliases")})
            (own_people if spec.label == "Person" and "id" in row.values else keys).update(named)
    for value, labels in distinct_references(checked, model):
        for label in labels:
            ids[label].add(value)
        keys.add(squash(value))
    for rows in checked.rows.values():
        for row in rows:
            ids["Source"].update(source.partition("#")[0] for source in row.sources)
    by_key = [(keys, None), (own_people - keys, sorted(area))]
    with load_session(driver, database) as session:
        index: Index = session.execute_read(_known, model, ids, by_key)
        return index


def _known(tx: ManagedTransaction, model: Model, ids: dict[str, set[str]],
           by_key: list[tuple[set[str], list[str] | None]]) -> Index:
    """Every look-up sent at once in one transaction, then read: one round trip each for
    Neo4j to plan, none waiting for the last's rows (a dozen labels, two name look-ups)."""
    by_id = [(label, tx.run(BY_ID.format(label=label), ids=sorted(wanted)))
             for label, wanted in ids.items() if wanted]
    named = [tx.run(BY_KEY, queries=queries, index=NAME_KEYS, area=area,
                    labels=list(model.nodes))
             for keys, area in by_key if (queries := _key_queries(keys))]
    index = Index()
    for label, result in by_id:
        _add(index, label, list(result))
    for result in named:
        _add_any(index, list(result))
    return index


def _key_queries(keys: set[str]) -> list[str]:
    ordered = sorted(keys - {""})
    return [" OR ".join(ordered[i:i + KEYS_A_QUERY])
            for i in range(0, len(ordered), KEYS_A_QUERY)]


def add_lookalikes(index: Index, driver: Driver, model: Model, checked: Validated,
                   area: frozenset[str], database: str | None) -> None:
    """Candidates for the near-miss check: nodes whose names are within a typo of a new node's
    name or of a reference found nowhere. A person in the graph is a near miss only within the
    load's own area (resolve.likely_same: namesakes are common), so people are asked about only
    when a dataset of the area has been loaded: a district's first return skips its people's
    look-ups, most of its look-alike work (fuzzy queries cost about 2.5 ms a name)."""
    people = bool(driver.execute_query(AREA_LOADED, area=sorted(area), database_=database,
                                       routing_="r")[0][0]["loaded"])
    asks: dict[str, set[str]] = {}
    for spec in model.nodes.values():
        if spec.label not in DEDUPED_LABELS or (spec.label == "Person" and not people):
            continue
        for row in checked.rows.get(spec.sheet, []):
            found = index.by_id[spec.label].get(str(row.values.get("id")))
            if not (found and found.in_graph):
                asks.setdefault(node_name(spec, row.values), set()).add(spec.label)
    for value, labels in distinct_references(checked, model):
        if not people:
            labels = tuple(label for label in labels if label != "Person")
        if labels and not any(value in index.by_id[label]
                              or squash(value) in index.by_name[label] for label in labels):
            asks.setdefault(value, set()).update(labels)
    # Names that differ only in short words or digits ("Board 12", "Board 13") are one
    # query: asked once, for every label they were asked for.
    by_query: dict[str, set[str]] = {}
    for name, asked in asks.items():
        if query := lookalike_query(name):
            by_query.setdefault(query, set()).update(asked)
    queries = [{"query": query, "labels": sorted(asked)} for query, asked in by_query.items()]
    if queries:
        queries = answerable(driver, model, queries, database)
    if queries:
        _add_any(index, driver.execute_query(
            LOOKALIKE, asks=queries, index=model.fulltext_name, limit=CANDIDATES,
            labels=list(model.nodes), database_=database, routing_="r")[0])


def answerable(driver: Driver, model: Model, queries: list[dict[str, Any]],
               database: str | None) -> list[dict[str, Any]]:
    """The queries left once those with a required word that matches nothing are dropped.
    A return's names share words (its place name above all, new to the graph), so each word
    that two or more names share is asked once, alone (most by an exact term), and a name
    with one that matches nothing is not asked at all: the same answers for a fraction of
    the fuzzy matching. Words of one name only are left to its own query: asked alone as
    well, they cost more than the names they drop (measured at 300 districts)."""
    uses = Counter(word for query in queries for word in _required(query))
    shared = sorted(word for word, count in uses.items() if count > 1)
    if not shared:
        return queries
    clauses = [{"fuzzy": word, "exact": _exact(word)} for word in shared]
    matched = {record["clause"] for record in driver.execute_query(
        MATCHING, clauses=clauses, index=model.fulltext_name, database_=database,
        routing_="r")[0]}
    unmatched = set(shared) - matched
    return [query for query in queries if unmatched.isdisjoint(_required(query))]


def _exact(fuzzy: str) -> str | None:
    """The exact-term query of a required fuzzy word ("+board~1" -> "+board"), where the
    index's analyzer keeps the word as one term: ASCII letters and digits. (Its standard
    tokenizer splits CJK text into single characters, which would match where the fuzzy
    word does not.)"""
    word = fuzzy.removeprefix("+").removesuffix("~1")
    return f"+{word}" if word.isascii() and word.isalnum() else None


def _required(query: dict[str, Any]) -> list[str]:
    return [word for word in query["query"].split() if word.startswith("+")]


def lookalike_query(name: str) -> str:
    """A Lucene query for names within a typo of this one: each word of four letters or more
    required within one edit (lookalike letters of other scripts read as Latin ones), shorter
    words optional. Words are letters and digits only, so nothing needs escaping."""
    text = unicodedata.normalize("NFKC", name).lower().translate(LOOKALIKES)
    words = [w for w in re.split(r"[\W_]+", text) if w]
    required = [f"+{w}~1" for w in words if len(w) >= 4]
    if not required:
        return " ".join(f"+{w}" for w in words if len(w) >= 2)
    return " ".join([*required, *(w for w in words if len(w) == 3)])


def _add(index: Index, label: str, records: list[Record]) -> None:
    for r in records:
        index.add(label, r["id"], r["name"] or "", r["aliases"], in_graph=True,
                  datasets=r["datasets"])


def _add_any(index: Index, records: list[Record]) -> None:
    for r in records:
        if r["label"]:
            _add(index, r["label"], [r])
