"""The Starlette app: /graphql for analysts, /health for operators, /reconcile for OpenRefine,
/ for the explorer."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import config
from ..queries import load_all
from .database import Database, Unavailable
from .http import GraphQLEndpoint
from .reconcile import routes as reconcile_routes
from .schema import build_schema

PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Partnership KB</title></head><body>
<h1>Partnership KB</h1>
<p>The explorer has not been built yet (run <code>make demo</code>).
The GraphQL API is at <a href="/graphql">/graphql</a>.</p></body></html>"""

HEALTH = "CALL dbms.components() YIELD versions RETURN versions[0] AS neo4jVersion"


def explorer_dir() -> Path:
    return config.project_home() / "explorer" / "dist"


def create_app(connect: config.Connection | Callable[[], config.Connection],
               debug: bool = False) -> Starlette:
    """The whole web app over one Neo4j: a connection, or a function that finds it again
    (so a restarted local server on new ports is found without restarting the app)."""
    database = Database(connect if callable(connect) else lambda: connect)

    async def health(_: Request) -> Response:
        try:
            version = (await database.read(HEALTH, {}))[0]["neo4jVersion"]
        except Unavailable:
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok", "neo4jVersion": version})

    async def placeholder(_: Request) -> Response:
        return HTMLResponse(PLACEHOLDER)

    routes: list[Any] = [
        Route("/health", health),
        Route("/graphql", GraphQLEndpoint(database, build_schema(debug), load_all(), debug),
              methods=["GET", "POST"]),
        *reconcile_routes(database),
    ]
    if (explorer_dir() / "index.html").exists():
        routes.append(Mount("/", StaticFiles(directory=explorer_dir(), html=True)))
    else:
        routes.append(Route("/", placeholder))

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await database.close()

    return Starlette(routes=routes, lifespan=lifespan)
