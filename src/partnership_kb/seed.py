"""The curated knowledge base: data/seed/<document id>/, one dataset per source document,
loaded by the same loader districts use."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from . import config, loader, migrate, model

SEED_DISTRICT = "seed"


def folders() -> list[Path]:
    return sorted(p for p in (config.project_home() / "data" / "seed").iterdir() if p.is_dir())


def dataset_of(folder: Path) -> str:
    return f"seed/{folder.name}"


def load_all(driver: Driver, database: str | None = None) -> list[loader.LoadReport]:
    """Apply the schema and load every seed folder (loading again changes nothing)."""
    the_model = model.default()
    migrate.apply(driver, the_model, database)
    return [loader.load(folder, SEED_DISTRICT, the_model, driver, dataset=dataset_of(folder),
                        database=database)
            for folder in folders()]
