"""Named Cypher queries: one file each under queries/, with a header saying what it answers.

The API's root fields and `pkb query NAME` run these and nothing else, so an analyst can read or
paste into Neo4j Browser exactly what the API runs. Every query runs in a read transaction with a
timeout, and every run is counted (the API reports round trips per request in debug mode).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver, Query, RoutingControl

from . import config
from .errors import ConfigError, PkbError

HEADER_LINE = re.compile(r"^//\s*(\w[\w ]*?)\s*:\s*(.*)$")
PARAM = re.compile(r"^\$?(\w+)\s*:\s*([\w\[\]!]+)(?:\s*=\s*(\S+))?\s*(?:-\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    doc: str


@dataclass(frozen=True)
class NamedQuery:
    """One query file: its header fields and its Cypher text."""

    name: str
    purpose: str
    params: dict[str, Param]
    returns: str
    used_by: str
    text: str
    path: Path


def parse(path: Path) -> NamedQuery:
    """Read one .cypher file; a missing or malformed header fails naming the file and field."""
    header: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        match = HEADER_LINE.match(line)
        if not match:
            break
        header.setdefault(match.group(1).lower(), []).append(match.group(2).strip())
    for key in ("name", "purpose", "params", "returns", "used by"):
        if key not in header:
            raise ConfigError(
                f"{path}: the header has no `// {key}:` line.",
                "Every query file opens with name, purpose, params, returns, used by.")
    params: dict[str, Param] = {}
    for spec in header["params"]:
        if spec.lower() == "none":
            continue
        match = PARAM.match(spec)
        if not match:
            raise ConfigError(f"{path}: cannot read the parameter line {spec!r}.",
                              "Write it as `// params: $name: Type = default - what it is`.")
        name, type_, default, doc = match.groups()
        params[name] = Param(name, type_, default, doc or "")
    return NamedQuery(header["name"][0], " ".join(header["purpose"]), params,
                      " ".join(header["returns"]), " ".join(header["used by"]),
                      path.read_text(), path)


def load_all(folder: Path | None = None) -> dict[str, NamedQuery]:
    folder = folder or config.project_home() / "queries"
    found = {}
    for path in sorted(folder.glob("*.cypher")):
        query = parse(path)
        if query.name != path.stem:
            raise ConfigError(f"{path}: the header names it {query.name!r}.",
                              f"Name the file {query.name}.cypher or the query {path.stem!r}.")
        found[query.name] = query
    return found


class UnknownQuery(PkbError):
    """`pkb query` or the API asked for a query that has no file."""


@dataclass
class QueryRunner:
    """Runs named queries in read transactions, with a timeout, counting round trips."""

    driver: Driver
    database: str | None = None
    timeout: float = 30.0
    queries: dict[str, NamedQuery] = field(default_factory=load_all)
    round_trips: int = 0

    def run(self, name: str, **params: Any) -> list[dict[str, Any]]:
        query = self.queries.get(name)
        if query is None:
            raise UnknownQuery(f"No named query {name!r}.",
                               f"Known queries: {', '.join(sorted(self.queries))}.")
        self.round_trips += 1
        records, _, _ = self.driver.execute_query(
            Query(query.text, timeout=self.timeout), params,
            database_=self.database, routing_=RoutingControl.READ)
        return [record.data() for record in records]
