"""Where things live and how to reach Neo4j: environment settings (SETTINGS_DOC) and defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

SETTINGS_DOC = {
    "NEO4J_URI": "Use an existing Neo4j at this URI instead of the local server.",
    "NEO4J_USER": "User for NEO4J_URI (default neo4j).",
    "NEO4J_PASSWORD": "Password for NEO4J_URI.",
    "NEO4J_DATABASE": "Database name (default: the server's default database).",
    "PKB_HOME": "The project folder holding schema/, queries/ and data/.",
    "PKB_STATE_DIR": "Where the local Neo4j keeps data, logs and its password.",
    "PKB_CACHE_DIR": "Where Neo4j's jars are cached (~/.cache/partnership-kb).",
    "PKB_NEO4J_HEAP": "Java heap of the local Neo4j (1g).",
    "PKB_NEO4J_PAGECACHE": "Page cache of the local Neo4j (512m).",
    "PORT": "Port of `pkb serve` (8000).",
    "PKB_READ_KEY": "When set, /graphql and /reconcile answer only requests bearing it as "
                    "`Authorization: Bearer <key>` (/reconcile also as `?key=`, for OpenRefine); "
                    "the explorer asks for it once per tab. Unset: the read API is open.",
    "PKB_WARM_SECONDS": "How often `pkb serve` looks for a new load, to count the whole graph's "
                        "seats (interlocks, boardOverlaps) before anyone asks (5; 0: only when "
                        "asked).",
}


def project_home() -> Path:
    """The checkout holding schema/, queries/ and data/: PKB_HOME, else the one we run from."""
    if env := os.environ.get("PKB_HOME"):
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "schema" / "model.yaml").exists():
        return here
    return Path.cwd()


def state_dir(instance: str = "default") -> Path:
    """The folder of one local Neo4j instance (tests use their own, so they never wipe the demo)."""
    base = Path(os.environ.get("PKB_STATE_DIR") or project_home() / ".neo4j")
    return base / instance


def cache_dir() -> Path:
    if env := os.environ.get("PKB_CACHE_DIR"):
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "partnership-kb"


@dataclass(frozen=True)
class Connection:
    """How to reach one Neo4j database."""

    uri: str
    user: str
    password: str
    database: str | None = None
    local_instance: str | None = None  # set when this is a server we provisioned ourselves


def from_environment() -> Connection | None:
    """The connection NEO4J_* variables describe, or None when NEO4J_URI is unset."""
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        return None
    return Connection(
        uri=uri,
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
