"""The GraphQL schema: root fields that each run one named query."""

from __future__ import annotations

import strawberry
from starlette.concurrency import run_in_threadpool
from strawberry.types import Info

from .context import Context


@strawberry.type(description="Which Neo4j answers and how much the knowledge base holds.")
class Health:
    neo4j_version: str
    nodes: int
    relationships: int


@strawberry.type
class Query:
    @strawberry.field(description="Which Neo4j answers, and how many nodes and relationships.")
    async def health(self, info: Info[Context, None]) -> Health:
        rows = await run_in_threadpool(info.context.runner.run, "health")
        row = rows[0]
        return Health(neo4j_version=row["neo4jVersion"], nodes=row["nodes"],
                      relationships=row["relationships"])


schema = strawberry.Schema(query=Query)
