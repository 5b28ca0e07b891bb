"""Running GraphQL in-process against real Neo4j, with the request's Cypher round trips."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from neo4j import Driver
from starlette.testclient import TestClient

from partnership_kb.api import operation
from partnership_kb.api.app import create_app
from partnership_kb.api.context import Context
from partnership_kb.api.database import Database
from partnership_kb.api.schema import GRAPHQL
from partnership_kb.queries import load_all

from .conftest import SESSION

QUERIES = load_all()


@dataclass
class Answer:
    data: Any
    errors: list[Any]
    round_trips: int
    cypher: list[str]


def execute(driver: Driver, query: str, **variables: Any) -> Answer:
    """Run a query on the session's Neo4j (`driver`, a fixture, says which state it is in)."""
    async def run() -> Answer:
        database = Database(lambda: SESSION["connection"])
        context = Context(database, QUERIES, debug=True)
        try:
            result = await operation.run(GRAPHQL, query, context, variables)
        finally:
            await database.close()
        return Answer(result.data, list(result.errors or []), context.round_trips,
                      context.cypher)
    return asyncio.run(run())


def data(driver: Driver, query: str, **variables: Any) -> Any:
    """The data of a query that must succeed."""
    answer = execute(driver, query, **variables)
    assert not answer.errors, answer.errors
    return answer.data


@contextmanager
def http_client(driver: Driver, debug: bool = False) -> Iterator[TestClient]:
    """The whole app over HTTP (in-process), on the session's Neo4j."""
    with TestClient(create_app(SESSION["connection"], debug=debug)) as client:
        yield client
