"""Running GraphQL in-process against real Neo4j, with the request's Cypher round trips."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from neo4j import Driver

from partnership_kb.api.context import Context
from partnership_kb.api.schema import build_schema
from partnership_kb.queries import QueryRunner

SCHEMA = build_schema(debug=True)


@dataclass
class Answer:
    data: Any
    errors: list[Any]
    round_trips: int


def execute(driver: Driver, query: str, **variables: Any) -> Answer:
    context = Context(request=None, runner=QueryRunner(driver))
    result = asyncio.run(SCHEMA.execute(query, variable_values=variables,
                                        context_value=context))
    return Answer(result.data, list(result.errors or []), context.runner.round_trips)


def data(driver: Driver, query: str, **variables: Any) -> Any:
    """The data of a query that must succeed."""
    answer = execute(driver, query, **variables)
    assert not answer.errors, answer.errors
    return answer.data
