"""GraphQL over HTTP: request checks, caching by the graph's data version, a wall-time limit.

GET and POST as GraphQL-over-HTTP describes: a body that is not a JSON object, or lacks a
query, is answered 400 with a GraphQL error saying what to send. With
`Accept: application/graphql-response+json` a request that never reached execution (syntax,
validation, variables, cost) is 400 as well; plain `application/json` keeps 200 for those.
Each answer carries an ETag made of the graph's data version (changed by every load and unload)
and the request, so `If-None-Match` is answered 304 without running anything.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import orjson
from graphql import GraphQLSchema
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from strawberry.http.ides import get_graphql_ide_html

from ..queries import NamedQuery
from . import operation
from .context import Context
from .database import Database, Unavailable

WALL_SECONDS = 30.0
# A query is at most 3,000 tokens; what is left is for variables. A body is never read whole
# before its size is known to be within this.
MAX_BODY_BYTES = 1_000_000
GRAPHQL_RESPONSE = "application/graphql-response+json"


def problem(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message}]}, status_code=status)


async def bounded_body(request: Request, limit: int) -> bytes | None:
    """The body, or None as soon as it is known to be longer than `limit` bytes (from its
    declared length, else while it streams in), before it is all read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def encoded(body: dict[str, Any]) -> bytes:
    """The response as compact UTF-8 JSON. orjson writes a page of 100 partnerships with their
    members (165 KB) in 0.12 ms where the standard library takes 2 ms, byte for byte the same;
    what it refuses (an integer past 64 bits) the standard library writes."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class GraphQLEndpoint:
    def __init__(self, database: Database, schema: GraphQLSchema, queries: dict[str, NamedQuery],
                 debug: bool = False) -> None:
        self.database, self.schema, self.queries, self.debug = database, schema, queries, debug

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        accept = request.headers.get("accept", "")
        if request.method == "GET" and "text/html" in accept \
                and "query" not in request.query_params:
            return HTMLResponse(get_graphql_ide_html(graphql_ide="graphiql"))
        params = await self.params(request)
        if isinstance(params, Response):
            return params
        tag = self.etag_key(params)
        if match := request.headers.get("if-none-match"):
            version = await self.data_version()
            if version is not None and match.strip('W/"') == f"{version}-{tag}":
                return Response(status_code=304, headers={"ETag": f'"{version}-{tag}"'})
        return await self.execute(params, tag, GRAPHQL_RESPONSE in accept)

    async def params(self, request: Request) -> dict[str, Any] | Response:
        """query, variables and operationName from the query string or the JSON body."""
        if request.method == "GET":
            given: Any = dict(request.query_params)
            escaped = True
            if isinstance(given.get("variables"), str):
                try:
                    given["variables"] = json.loads(given["variables"])
                except ValueError:
                    return problem("variables is not JSON: send a JSON object, URL-encoded.")
        else:
            body = await bounded_body(request, MAX_BODY_BYTES)
            if body is None:
                return problem(f"The body is longer than {MAX_BODY_BYTES:,} bytes. Send "
                               "smaller variables, or split the request.", 413)
            escaped = b"\\u" in body  # only an escape can make a lone surrogate
            try:
                given = json.loads(body)
            except ValueError:
                return problem("The body is not JSON. Send a JSON object such as "
                               '{"query": "{ health { nodes } }"}.')
        if not isinstance(given, dict):
            return problem(f"The body is JSON {type(given).__name__}, not an object. Send "
                           '{"query": "...", "variables": {...}}.')
        if not isinstance(given.get("query"), str) or not given["query"].strip():
            return problem('No query: send {"query": "{ health { nodes } }"}.')
        if not isinstance(given.get("variables") or {}, dict):
            return problem("variables must be a JSON object of names to values.")
        if not isinstance(given.get("operationName") or "", str):
            return problem("operationName must be a string.")
        if escaped:
            try:
                json.dumps(given, ensure_ascii=False).encode()
            except UnicodeEncodeError:
                return problem("The request holds a lone UTF-16 surrogate (such as \\ud800), "
                               "which is not text; send valid Unicode.")
        return given

    @staticmethod
    def etag_key(params: dict[str, Any]) -> str:
        text = json.dumps([params["query"], params.get("variables"),
                           params.get("operationName")], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    async def data_version(self) -> str | None:
        try:
            return await self.database.data_version()
        except Unavailable:
            return None

    async def execute(self, params: dict[str, Any], tag: str, graphql_response: bool) -> Response:
        context = Context(self.database, self.queries, debug=self.debug)
        try:
            # Not wait_for, which on Python 3.11 runs the operation as a task of its own.
            async with asyncio.timeout(WALL_SECONDS):
                outcome = await operation.run(self.schema, params["query"], context,
                                              params.get("variables"), params.get("operationName"))
        except TimeoutError:
            return problem(f"The query ran past {WALL_SECONDS:.0f} s and was stopped. Ask "
                           "for less (smaller pages, fewer fields).", 503)
        body = outcome.body()
        status = 400 if graphql_response and "data" not in body else 200
        headers = {"Content-Type": GRAPHQL_RESPONSE if graphql_response else "application/json"}
        versions = context.data_versions
        if len(versions) == 1 and None not in versions and not outcome.errors:
            headers["ETag"] = f'"{next(iter(versions))}-{tag}"'
        return Response(encoded(body), status_code=status, headers=headers)
