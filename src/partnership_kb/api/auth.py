"""Who is asking: a district key for loads, and the optional read key for /graphql.

Keys travel only in `Authorization: Bearer ...` (never in cookies, so a page elsewhere cannot
make a browser send one: no CSRF). A key's record is read from Neo4j on every request, so a
revoked key is refused at once; the scrypt check itself is remembered for a matching record,
so a page polling for progress does not pay for it each time.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .. import keys
from .database import Database, Unavailable

READ_KEY_SETTING = "PKB_READ_KEY"
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="partnership-kb"'}
HEADER_MAX = 512


class Refused(Exception):
    """A request the caller must change: an HTTP status, what went wrong and what to do."""

    def __init__(self, status: int, message: str, hint: str = "", code: str = "",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint
        self.code = code or {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 403: "FORBIDDEN",
                             404: "NOT_FOUND", 409: "CONFLICT", 413: "TOO_LARGE",
                             415: "UNSUPPORTED_FILE", 422: "INVALID_INPUT",
                             429: "TOO_MANY_LOADS", 503: "UNAVAILABLE"}.get(status, "ERROR")
        self.headers = headers or {}

    def response(self, **extra: Any) -> JSONResponse:
        body = {"error": {"code": self.code, "message": self.message, "hint": self.hint},
                **extra}
        return JSONResponse(body, status_code=self.status, headers=self.headers)


def bearer(request: Request) -> str | None:
    """The bearer token of a request; None when there is no Authorization header."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if len(header) > HEADER_MAX or scheme.lower() != "bearer" or not token.strip():
        raise Refused(401, "The Authorization header is not a bearer key.",
                      "Send `Authorization: Bearer <key>` with the key `pkb key create` printed.",
                      headers=CHALLENGE)
    return token.strip()


class KeyChecker:
    """Finds the district key of a request, or refuses it (401)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._checked: dict[bytes, str] = {}  # sha256 of a key -> the stored hash it matched

    async def key(self, request: Request) -> keys.ApiKey:
        token = bearer(request)
        if token is None:
            raise Refused(401, "No key: loading needs a district key.",
                          "Send `Authorization: Bearer <key>`; an operator makes one with "
                          "`pkb key create --district NAME`.", headers=CHALLENGE)
        parsed = keys.parse(token)
        if parsed is None:
            raise Refused(401, "That is not a key made by `pkb key create`.",
                          "Keys look like pkb_key-…_…; copy the whole key.", headers=CHALLENGE)
        key_id, secret = parsed
        try:
            rows = await self.database.read(keys.FIND, {"id": key_id})
        except Unavailable as err:
            raise Refused(503, "The database is unavailable, so the key cannot be checked.",
                          "Try again shortly; an operator can check `pkb neo4j status`.") from err
        record = rows[0].data() if rows else None
        fingerprint = hashlib.sha256(token.encode()).digest()
        found: keys.ApiKey | None
        if record is not None and hmac.compare_digest(self._checked.get(fingerprint, ""),
                                                      record["hash"]):
            found = keys.from_record(record)
        else:
            found = await run_in_threadpool(keys.verify, record, secret)
            if found is not None:
                if len(self._checked) > 1000:
                    self._checked.clear()
                self._checked[fingerprint] = record["hash"] if record else ""
        if found is None:
            raise Refused(401, "This key is not known here.",
                          "Check that it was copied whole; `pkb key list` shows the keys there "
                          "are.", headers=CHALLENGE)
        if found.revoked_at is not None:
            raise Refused(401, f"Key {found.id} was revoked on {found.revoked_at:%Y-%m-%d}.",
                          "Ask an operator for a new key (`pkb key create`).", headers=CHALLENGE)
        return found


def read_key() -> str | None:
    """The key /graphql requires, when the operator set PKB_READ_KEY."""
    return os.environ.get(READ_KEY_SETTING) or None


ASGI = Callable[[Any, Any, Any], Awaitable[None]]


class ReadGuard:
    """Lets a request through to the read API (/graphql, /reconcile, /report) only with the
    read key, when one is set. GraphiQL's page itself (no query) is served without it, so the
    key can be typed in its headers pane. /reconcile also takes it as `?key=`, because
    OpenRefine cannot send headers to a reconciliation service."""

    GUARDED = ("/graphql", "/reconcile", "/report")

    def __init__(self, inner: ASGI, key: str | None) -> None:
        self.inner, self.key = inner, key

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.key is not None and scope["type"] == "http" \
                and scope["path"].startswith(self.GUARDED):
            request = Request(scope, receive)
            refusal = self.refusal(request)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.inner(scope, receive, send)

    def refusal(self, request: Request) -> Response | None:
        assert self.key is not None
        if request.url.path == "/graphql" and request.method == "GET" \
                and "text/html" in request.headers.get("accept", "") \
                and "query" not in request.query_params:
            return None
        try:
            token = bearer(request)
        except Refused as refused:
            return _graphql_error(refused.message)
        if token is None and request.url.path.startswith("/reconcile"):
            token = request.query_params.get("key")
        if token is None:
            return _graphql_error("This API needs the read key: send "
                                  "`Authorization: Bearer <key>` (the operator's PKB_READ_KEY).")
        if not hmac.compare_digest(token.encode(), self.key.encode()):
            return _graphql_error("That is not the read key: send the operator's PKB_READ_KEY "
                                  "as `Authorization: Bearer <key>`.")
        return None


def _graphql_error(message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message,
                                     "extensions": {"code": "UNAUTHENTICATED"}}]},
                        status_code=401, headers=CHALLENGE)
