"""The Starlette app: /graphql for analysts, /health for operators, /reconcile for OpenRefine,
/ for the explorer, /load for district officers (with /api/load behind it), /report for the
structure review."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import config
from ..queries import load_all
from . import auth, warm
from .auth import ReadGuard
from .database import Database, Unavailable
from .http import GraphQLEndpoint
from .metrics import start_workers
from .reconcile import routes as reconcile_routes
from .report import review_page
from .schema import GRAPHQL
from .upload import UploadApi

PLACEHOLDER = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Partnership KB</title></head><body>
<h1>Partnership KB</h1>
<p>The explorer has not been built yet (run <code>make demo</code>).
The GraphQL API is at <a href="/graphql">/graphql</a>.</p></body></html>"""

HEALTH = "CALL dbms.components() YIELD versions RETURN versions[0] AS neo4jVersion"


def explorer_dir() -> Path:
    return config.project_home() / "explorer" / "dist"


STATIC = Path(__file__).resolve().parent / "static"
# The /load page's own files, served with a policy that allows nothing from elsewhere.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "connect-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def static_page(name: str, media_type: str) -> Callable[[Request], Any]:
    async def serve(_: Request) -> Response:
        return FileResponse(STATIC / name, media_type=media_type, headers=PAGE_HEADERS)
    return serve


def create_app(connect: config.Connection | Callable[[], config.Connection],
               debug: bool = False, read_key: str | None = None,
               warm_every: float = 0.0) -> Starlette:
    """The whole web app over one Neo4j: a connection, or a function that finds it again
    (so a restarted local server on new ports is found without restarting the app).
    With a read key (``read_key``, else the setting PKB_READ_KEY), /graphql, /reconcile and
    /report answer only requests bearing it (the explorer asks for it). With ``warm_every``
    seconds, the whole graph's seats are counted again in the background after each load
    (warm.py; `pkb serve` does, every PKB_WARM_SECONDS)."""
    find = connect if callable(connect) else lambda: connect
    database = Database(find)
    queries = load_all()
    uploads = UploadApi(database, find)

    async def health(_: Request) -> Response:
        try:
            version = (await database.read(HEALTH, {}))[0]["neo4jVersion"]
        except Unavailable:
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ok", "neo4jVersion": version})

    async def report(request: Request) -> Response:
        return await review_page(request, uploads.driver)

    async def placeholder(_: Request) -> Response:
        return HTMLResponse(PLACEHOLDER)

    routes: list[Any] = [
        Route("/health", health),
        Route("/graphql", GraphQLEndpoint(database, GRAPHQL, queries, debug),
              methods=["GET", "POST"]),
        *reconcile_routes(database),
        Route("/load", static_page("load.html", "text/html; charset=utf-8")),
        Route("/load.js", static_page("load.js", "text/javascript; charset=utf-8")),
        Route("/load.css", static_page("load.css", "text/css; charset=utf-8")),
        Route("/api/key", uploads.whoami),
        Route("/api/load", uploads.load, methods=["POST"]),
        Route("/api/load/progress", uploads.progress),
        Route("/report", report),
    ]
    if (explorer_dir() / "index.html").exists():
        routes.append(Mount("/", StaticFiles(directory=explorer_dir(), html=True)))
    else:
        routes.append(Route("/", placeholder))

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        start_workers()
        warming = (asyncio.create_task(warm.keep_current(database, queries, warm_every))
                   if warm_every > 0 else None)
        yield
        if warming is not None:
            warming.cancel()
            with suppress(asyncio.CancelledError):
                await warming
        await database.close()
        uploads.driver.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(ReadGuard, key=read_key or auth.read_key())
    return app
