"""Root fields that executor.py calls without strawberry's resolver wrapper answer exactly as
they do through it: data and errors alike, for every such field of the schema."""

from __future__ import annotations

import asyncio
from typing import Any

import strawberry
from graphql import GraphQLSchema
from neo4j import Driver

from partnership_kb.api import operation
from partnership_kb.api.context import Context
from partnership_kb.api.database import Database
from partnership_kb.api.executor import _plain
from partnership_kb.api.schema import GRAPHQL, Query, schema
from partnership_kb.api.types import TYPES

from .conftest import SESSION
from .graphql_client import QUERIES

STRATEGY = "gloucester-sustainable-community-strategy"
# Each directly called root field with every argument it takes, and a mistake or two.
CASES: dict[str, list[str]] = {
    "health": ["{ health { nodes relationships neo4jVersion } }"],
    "node": ['{ node(id: "gloucestershire-strategic-partnership") { __typename id name } }',
             '{ node(id: "no-such-node") { id } }'],
    "partnership": ['{ partnership(id: "gloucestershire-strategic-partnership") { name } }',
                    '{ partnership(name: "strategic leadership group") { id purpose '
                    "meetingFrequency } }",
                    '{ partnership(name: "Partnership") { id } }',
                    "{ partnership { id } }"],
    "organisation": ['{ organisation(name: "Gloucestershire County Council") { id name } }'],
    "outcome": [f'{{ outcome(code: "3.4", strategy: "{STRATEGY}") {{ code title }} }}',
                '{ outcome(code: "3.4") { code } }'],
    "outcomes": [f'{{ outcomes(strategy: "{STRATEGY}", delivered: false) {{ code }} }}',
                 "{ outcomes { code title } }"],
    "guidanceGaps": ['{ guidanceGaps(all: true) { partnership { id } seats tooLarge } }',
                     '{ guidanceGaps(kind: "board", all: false) { seats meetsLessOften } }'],
    "loads": ['{ loads(district: "gloucestershire") { dataset statedOn added } }',
              "{ loads { id dataset } }"],
}


def through_strawberry() -> GraphQLSchema:
    """The same types and resolvers, every root field resolved by strawberry's wrapper."""
    return strawberry.Schema(query=Query, types=list(TYPES.values()))._schema


def answer(graphql: GraphQLSchema, query: str) -> dict[str, Any]:
    async def run() -> dict[str, Any]:
        database = Database(lambda: SESSION["connection"])
        try:
            return (await operation.run(graphql, query, Context(database, QUERIES))).body()
        finally:
            await database.close()
    return asyncio.run(run())


def test_every_directly_called_field_is_compared() -> None:
    query = schema.get_type_by_name("Query")
    direct = {schema.config.name_converter.get_graphql_name(field)
              for field in getattr(query, "fields", []) if _plain(field)}
    assert direct == set(CASES)


def test_direct_resolvers_answer_as_strawberrys(seeded: Driver) -> None:
    wrapped = through_strawberry()
    assert GRAPHQL.query_type is not None and wrapped.query_type is not None
    for field, queries in CASES.items():
        assert GRAPHQL.query_type.fields[field].resolve is not \
            wrapped.query_type.fields[field].resolve
        for query in queries:
            ours = answer(GRAPHQL, query)
            assert ours == answer(wrapped, query), query
            assert ours.get("data") or ours.get("errors"), query
