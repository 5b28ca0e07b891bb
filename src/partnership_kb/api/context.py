"""What every root resolver reaches: the database, the named queries, and this request's tally.

A root field runs its named query with the selection below it compiled into the same Cypher
(projection.py), so each root field is one round trip whose answer is already the response.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from strawberry.types import Info

from ..checks.rules import Rule, project_rules
from ..errors import BadRequest
from ..queries import NamedQuery
from .database import DATA_VERSION, Database
from .projection import compiled


@dataclass
class Context:
    database: Database
    queries: dict[str, NamedQuery]
    debug: bool = False
    round_trips: int = 0
    cypher: list[dict[str, Any]] = field(default_factory=list)  # debug: what was sent
    data_versions: set[str | None] = field(default_factory=set)
    variable_values: Any = None  # graphql-core's, set by the executor
    rules: dict[str, Rule] = field(default_factory=project_rules)  # the `checks` field's

    async def rows(self, info: Info[Any, Any], name: str, columns: tuple[str, ...],
                   row_env: dict[str, str] | None = None, extra: dict[str, Any] | None = None,
                   /, **params: Any) -> list[Any]:
        """The root rows of a named query, each projected as the request's selection asks."""
        return (await self._run(info, name, columns, row_env, extra or {}, params))[0]

    async def rows_at(self, info: Info[Any, Any], name: str, columns: tuple[str, ...],
                      row_env: dict[str, str] | None, extra: dict[str, Any],
                      /, **params: Any) -> tuple[list[Any], str | None]:
        """As rows, with the data version they were read on (for answers kept in memory)."""
        values, _, version = await self._run(info, name, columns, row_env, extra, params)
        return values, version

    async def _run(self, info: Info[Any, Any], name: str, columns: tuple[str, ...],
                   row_env: dict[str, str] | None, extra: dict[str, Any],
                   params: dict[str, Any]) -> tuple[list[Any], list[Any], str | None]:
        """One round trip: the projected rows, [id, name] of each when they are nodes, and the
        data version."""
        raw = info._raw_info
        env = {column: column for column in columns} | (row_env or {})
        value, projected = compiled(raw.schema, raw.fragments, self.variable_values,
                                    raw.return_type, env, list(raw.field_nodes))
        query = self.queries[name]
        key = "[n.id, coalesce(n.name, n.id)]" if columns == ("n",) else "null"
        cypher = (f"CALL () {{\n{query.text.strip()}\n}}\n"
                  f"WITH collect({value}) AS values, collect({key}) AS keys\n"
                  "OPTIONAL MATCH (version:DataVersion {id: 'graph'})\n"
                  "RETURN values, keys, version.version AS dataVersion")
        sent = {**query.bind(params), **extra, **projected}
        record = (await self.database.read(cypher, sent))[0]
        self.round_trips += 1
        if self.debug:
            self.cypher.append({"query": cypher, "params": {
                k: v.isoformat() if isinstance(v, dt.date) else v for k, v in sent.items()}})
        self.data_versions.add(record["dataVersion"])
        return record["values"], record["keys"], record["dataVersion"]

    async def read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """One round trip of Cypher made here (not projected), counted and shown in debug.
        Values come as the driver decoded them: Record.data() would copy every nested list
        again (1.6 s for the 60,000 members board_seats reads at 300 districts)."""
        records = await self.database.read(cypher, params)
        self.round_trips += 1
        if self.debug:
            self.cypher.append({"query": cypher, "params": {
                k: v.isoformat() if isinstance(v, dt.date) else v for k, v in params.items()}})
        return [dict(record) for record in records]

    async def data_version(self) -> str | None:
        """The graph's data version, read as one counted round trip (shown in debug)."""
        return (await self.read(DATA_VERSION, {}))[0]["version"]  # type: ignore[no-any-return]

    async def one(self, info: Info[Any, Any], name: str, what: str, /, **params: Any) -> Any:
        """A single node by a lookup that must not be ambiguous (null when nothing matches)."""
        values, keys, _ = await self._run(info, name, ("n",), None, {}, params)
        if len(values) > 1:
            candidates = "; ".join(f"{id_} ({label})" for id_, label in keys)
            raise BadRequest(f"{what} matches {len(values)} nodes: {candidates}.",
                            "Ask by id, or by a fuller name.")
        return values[0] if values else None
