"""The Starlette app: /graphql for analysts, /health for operators, / for the explorer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.asgi import GraphQL

from .. import config
from ..queries import QueryRunner, load_all
from .context import Context
from .schema import build_schema

PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Partnership KB</title></head><body>
<h1>Partnership KB</h1>
<p>The explorer has not been built yet (run <code>make demo</code>).
The GraphQL API is at <a href="/graphql">/graphql</a>.</p></body></html>"""


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app, giving each request its own round-trip counter."""

    def __init__(self, driver: Driver, database: str | None, debug: bool = False) -> None:
        super().__init__(build_schema(debug), graphql_ide="graphiql")
        self.driver = driver
        self.database = database
        self.queries = load_all()

    async def get_context(self, request: Any, response: Any) -> Context:
        runner = QueryRunner(self.driver, self.database, queries=self.queries)
        return Context(request=request, runner=runner)


def explorer_dir() -> Path:
    return config.project_home() / "explorer" / "dist"


def create_app(driver: Driver, database: str | None = None, debug: bool = False) -> Starlette:
    """The whole web app around one driver (the caller owns and closes it)."""
    queries = load_all()

    async def health(_: Request) -> Response:
        try:
            row = QueryRunner(driver, database, queries=queries).run("health")[0]
        except (DriverError, Neo4jError, OSError):
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok", **row})

    async def placeholder(_: Request) -> Response:
        return HTMLResponse(PLACEHOLDER)

    routes: list[Any] = [
        Route("/health", health),
        Route("/graphql", GraphQLApp(driver, database, debug), methods=["GET", "POST"]),
    ]
    if (explorer_dir() / "index.html").exists():
        routes.append(Mount("/", StaticFiles(directory=explorer_dir(), html=True)))
    else:
        routes.append(Route("/", placeholder))
    return Starlette(routes=routes)
