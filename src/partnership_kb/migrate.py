"""Apply the model's constraints and indexes to Neo4j, idempotently."""

from __future__ import annotations

from neo4j import Driver

from .loader.lookup import NAME_KEYS, name_keys
from .model import RECORD_LABELS, Model


def statements(model: Model) -> list[str]:
    """The schema DDL for a model. Names come from model.yaml (trusted config, not user input);
    Neo4j cannot take labels or index names as parameters."""
    ddl = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in [*model.nodes, *RECORD_LABELS]
    ]
    ddl += [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
        for label, prop in model.indexes
    ]
    labels = "|".join(model.fulltext_labels)
    props = ", ".join(f"n.{p}" for p in model.fulltext_properties)
    ddl.append(f"CREATE FULLTEXT INDEX {model.fulltext_name} IF NOT EXISTS "
               f"FOR (n:{labels}) ON EACH [{props}]")
    # The loader's exact lookup of names and aliases (squashed: loader/lookup.py), one term a
    # key, so a load finds the names its return uses without reading the graph.
    ddl.append(f"CREATE FULLTEXT INDEX {NAME_KEYS} IF NOT EXISTS "
               f"FOR (n:{'|'.join(model.nodes)}) ON EACH [n.{NAME_KEYS}] "
               "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}")
    return ddl


def existing(driver: Driver, database: str | None) -> set[str]:
    names: set[str] = set()
    for query in ("SHOW CONSTRAINTS YIELD name", "SHOW INDEXES YIELD name"):
        records, _, _ = driver.execute_query(query, database_=database)
        names.update(r["name"] for r in records)
    return names


def apply(driver: Driver, model: Model, database: str | None = None) -> list[str]:
    """Create what is missing; returns the names created (empty on a second run)."""
    before = existing(driver, database)
    for ddl in statements(model):
        driver.execute_query(ddl, database_=database)
    driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    backfill_name_keys(driver, model, database)
    return sorted(existing(driver, database) - before)


UNKEYED = """
MATCH (n:`{label}`) WHERE n.{keys} IS NULL
RETURN elementId(n) AS element, n.name AS name, n.title AS title, n.aliases AS aliases
"""
SET_KEYS = """
UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.element SET n.{keys} = row.keys
"""


def backfill_name_keys(driver: Driver, model: Model, database: str | None) -> None:
    """Name keys for nodes loaded before the loader wrote them (a one-off scan per label; a
    later load of the node's dataset claims them as its own)."""
    for label in model.nodes:
        records, _, _ = driver.execute_query(UNKEYED.format(label=label, keys=NAME_KEYS),
                                             database_=database)
        rows = [{"element": r["element"], "keys": name_keys(dict(r))} for r in records]
        if rows:
            driver.execute_query(SET_KEYS.format(keys=NAME_KEYS), rows=rows,
                                 database_=database)
