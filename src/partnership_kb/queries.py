"""Named Cypher queries: one file each under queries/, with a header saying what it answers.

The API's root fields and `pkb query NAME` run these and nothing else, so an analyst can read or
paste into Neo4j Browser exactly what the API runs. Every query runs in a read transaction with a
timeout, and every run is counted (the API reports round trips per request in debug mode).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from neo4j import Driver, Query, RoutingControl
from neo4j.time import Date, DateTime

from . import config
from .errors import ConfigError, PkbError

STANDARD = ("name", "purpose", "params", "returns", "used by")
HEADER_LINE = re.compile(r"^//\s*(\w[\w ]*?)\s*:\s*(.*)$")
PARAM = re.compile(r"^\$?(\w+)\s*:\s*([\w\[\]!]+)(?:\s*=\s*(\S+))?\s*(?:-\s*(.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None  # as written in the header; None: the parameter is required
    doc: str

    def default_value(self) -> Any:
        """The header's default as a value: null, [], a number, or text."""
        assert self.default is not None
        if self.default == "null":
            return None
        if self.default == "[]":
            return []
        return convert(self.default, self.type)


def convert(text: str, type_: str) -> Any:
    """A value given as text (a header default, `pkb query --param`) in its declared type."""
    base = type_.strip("!")
    if base.startswith("["):
        return [convert(item.strip(), base[1:-1]) for item in text.split(",") if item.strip()]
    if base == "Int":
        return int(text)
    if base == "Float":
        return float(text)
    if base == "Boolean":
        return text.lower() in ("true", "1", "yes")
    if base == "Date":
        return dt.date.fromisoformat(text)
    return text


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
    extra: dict[str, str] = field(default_factory=dict)  # header lines beyond the five above

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """The parameters to send: those given, the header's defaults for the rest."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            raise BadParameters(f"Query {self.name} has no parameter {', '.join(unknown)}.",
                                f"Its parameters: {', '.join(self.params) or 'none'}.")
        bound = {}
        for name, param in self.params.items():
            if name in given:
                bound[name] = given[name]
            elif param.default is not None:
                bound[name] = param.default_value()
            else:
                raise BadParameters(f"Query {self.name} needs the parameter {name}.",
                                    f"{name}: {param.type} - {param.doc}")
        return bound


class BadParameters(PkbError):
    """A named query was called with unknown or missing parameters."""


def parse(path: Path) -> NamedQuery:
    """Read one .cypher file; a missing or malformed header fails naming the file and field."""
    header: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        match = HEADER_LINE.match(line)
        if not match:
            break
        header.setdefault(match.group(1).lower(), []).append(match.group(2).strip())
    for key in STANDARD:
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
    extra = {key: " ".join(lines) for key, lines in header.items() if key not in STANDARD}
    return NamedQuery(header["name"][0], " ".join(header["purpose"]), params,
                      " ".join(header["returns"]), " ".join(header["used by"]),
                      path.read_text(), path, extra)


class Named(Protocol):
    @property
    def name(self) -> str: ...


N = TypeVar("N", bound=Named)


def load_folder(folder: Path, read: Callable[[Path], N]) -> dict[str, N]:
    """Every .cypher file of a folder, read by ``read``, by name; each file is named after
    what its header names (queries here, rules in checks/)."""
    found = {}
    for path in sorted(folder.glob("*.cypher")):
        item = read(path)
        if item.name != path.stem:
            raise ConfigError(f"{path}: the header names it {item.name!r}.",
                              f"Name the file {item.name}.cypher or the header {path.stem!r}.")
        found[item.name] = item
    return found


def load_all(folder: Path | None = None) -> dict[str, NamedQuery]:
    return load_folder(folder or config.project_home() / "queries", parse)


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

    def run(self, name: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run one named query (defaults filled from its header); rows as plain Python."""
        query = self.queries.get(name)
        if query is None:
            raise UnknownQuery(f"No named query {name!r}.",
                               f"Known queries: {', '.join(sorted(self.queries))}.")
        bound = query.bind(params)
        self.round_trips += 1
        records, _, _ = self.driver.execute_query(
            Query(query.text, timeout=self.timeout), bound,
            database_=self.database, routing_=RoutingControl.READ)
        return [native(record.data()) for record in records]


def native(value: Any) -> Any:
    """Neo4j's temporal values as Python's, all the way down."""
    if isinstance(value, dict):
        return {k: native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [native(v) for v in value]
    if isinstance(value, Date | DateTime):
        return value.to_native()
    return value
