"""Small helpers shared by tests."""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from partnership_kb.model import RECORD_LABELS


def rows(driver: Driver, cypher: str, **params: Any) -> list[dict[str, Any]]:
    """Run a read query and return its rows as dicts."""
    records, _, _ = driver.execute_query(cypher, params)
    return [r.data() for r in records]


def value(driver: Driver, cypher: str, **params: Any) -> Any:
    """The single value of a single-row, single-column query."""
    found = rows(driver, cypher, **params)
    assert len(found) == 1, found
    return next(iter(found[0].values()))


def snapshot(driver: Driver) -> tuple[list[Any], list[Any]]:
    """The knowledge base as comparable data: every fact, node and relationship, with its
    properties; not the records of loads (a load is recorded even when it changes nothing),
    nor when a fact was recorded (the same file loaded at another time says the same)."""
    nodes = rows(driver, "MATCH (n) WHERE NOT any(l IN labels(n) WHERE l IN $records) "
                         "RETURN labels(n) AS labels, properties(n) AS props",
                 records=RECORD_LABELS)
    rels = rows(driver, "MATCH (a)-[r]->(b) WHERE NOT any(l IN labels(a) WHERE l IN $records) "
                        "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props",
                records=RECORD_LABELS)
    return (sorted(repr((n["labels"], facts(n["props"]))) for n in nodes),
            sorted(repr((r["a"], r["type"], r["b"], facts(r["props"]))) for r in rels))


def facts(props: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted((k, v) for k, v in props.items() if k != "recordedAt")
