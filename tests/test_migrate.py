"""`pkb migrate` applies the model's constraints and indexes idempotently."""

from __future__ import annotations

from neo4j import Driver

from partnership_kb import migrate, model

from .helpers import rows


def test_migrate_twice_changes_nothing(driver: Driver, database) -> None:
    the_model = model.default()
    migrate.apply(driver, the_model, database)
    assert migrate.apply(driver, the_model, database) == []


def test_every_label_has_a_unique_id_constraint(driver: Driver) -> None:
    found = rows(driver, "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type "
                         "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties")
    constrained = {r["label"] for r in found if r["properties"] == ["id"]}
    assert constrained == set(model.default().nodes) | set(model.RECORD_LABELS)


def test_fulltext_index_covers_names_and_aliases(driver: Driver) -> None:
    found = rows(driver, "SHOW FULLTEXT INDEXES YIELD name, properties RETURN name, properties")
    assert {"name": "nodeNames", "properties": ["name", "aliases", "title", "code"]} in found
