"""Apply the model's constraints and indexes to Neo4j, idempotently."""

from __future__ import annotations

from neo4j import Driver

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
    return sorted(existing(driver, database) - before)
