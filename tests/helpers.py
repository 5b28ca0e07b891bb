"""Small helpers shared by tests."""

from __future__ import annotations

from typing import Any

from neo4j import Driver


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
    """The whole graph as comparable data: every node and relationship with its properties
    (but the data version, which every load renews)."""
    nodes = rows(driver, "MATCH (n) WHERE NOT n:DataVersion "
                         "RETURN labels(n) AS labels, properties(n) AS props")
    rels = rows(driver, "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, "
                        "properties(r) AS props")
    return (sorted(repr((n["labels"], sorted(n["props"].items()))) for n in nodes),
            sorted(repr((r["a"], r["type"], r["b"], sorted(r["props"].items()))) for r in rels))
