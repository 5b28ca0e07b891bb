"""The API's way to Neo4j: an async driver that outlives a Neo4j restart.

Reads run as auto-commit queries in read mode (routed to readers on a cluster), with a
timeout, sharing one bookmark manager, so a write made through this app is seen by the next
read. When the server the driver knew is gone (stopped, restarted, moved to other ports), the
next request finds it again: the connection is resolved afresh and the request retried once.
A question that runs out of time or of the memory Neo4j allows a transaction is the caller's
to narrow, and is answered so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from typing import Any

from neo4j import READ_ACCESS, AsyncDriver, AsyncGraphDatabase, AsyncSession, Query, Record
from neo4j.exceptions import DriverError, Neo4jError

from .. import config
from ..errors import BadRequest

TIMEOUT_SECONDS = 30.0
DATA_VERSION = "OPTIONAL MATCH (v:DataVersion {id: 'graph'}) RETURN v.version AS version"
# What a lost or restarted server looks like to the driver (a dead pooled connection, a refused
# one, a session on a server that went away); Neo4j's own errors about a query are not here.
LOST = (DriverError, OSError)
# Sessions kept between requests: making one and closing it costs 0.1-0.15 ms a query
# (measured on RETURN 1: 0.69-0.79 ms reused, 0.85-0.88 ms afresh). An idle session holds no
# connection (it gives its connection back when a result is read to the end), so this bounds
# only a few small objects.
IDLE_SESSIONS = 32


class Unavailable(Exception):
    """Neo4j does not answer; the operator must bring it back."""


class TooCostly(BadRequest):
    """A question that took longer than the time limit, or more memory than Neo4j allows."""


def too_costly(error: Neo4jError) -> TooCostly | None:
    code = error.code or ""
    if "TimedOut" in code:
        return TooCostly(f"This question took longer than {TIMEOUT_SECONDS:.0f} s to answer.",
                         "Narrow it: an area, a dataset, a smaller page, fewer nested lists.")
    if "Memory" in code:
        return TooCostly("This question needs more memory than the database allows one "
                         "question.", "Narrow it: an area, a dataset, a smaller page.")
    return None


class Database:
    def __init__(self, connect: Callable[[], config.Connection],
                 timeout: float = TIMEOUT_SECONDS) -> None:
        self._connect = connect
        self.timeout = timeout
        self.connection = connect()
        self._driver: AsyncDriver | None = None
        self._idle: list[AsyncSession] = []  # sessions of self._driver, free to reuse
        self._retired: list[AsyncSession] = []  # of a driver left behind: to close
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bookmarks = AsyncGraphDatabase.bookmark_manager()

    def _open(self) -> AsyncDriver:
        conn = self.connection
        return AsyncGraphDatabase.driver(conn.uri, auth=(conn.user, conn.password),
                                         connection_timeout=3.0,
                                         connection_acquisition_timeout=5.0,
                                         max_transaction_retry_time=2.0,
                                         notifications_min_severity="OFF")

    @property
    def driver(self) -> AsyncDriver:
        # An async driver belongs to the event loop it was made in; a server has one loop,
        # but a test client may start a loop per request, so follow the loop we are in.
        loop = asyncio.get_running_loop()
        if self._driver is None or self._loop is not loop:
            self._retired += self._idle
            self._driver, self._loop, self._idle = self._open(), loop, []
        return self._driver

    async def data_version(self) -> str | None:
        """The graph's data version (every load and unload changes it; None before any)."""
        records = await self.read(DATA_VERSION, {})
        return records[0]["version"] if records else None

    async def read(self, cypher: str, params: dict[str, Any]) -> list[Record]:
        """Run one read query; once more on a fresh driver when the server was lost."""
        try:
            return await self._run(cypher, params)
        except LOST:
            await self._reconnect()
            try:
                return await self._run(cypher, params)
            except LOST as err:
                raise Unavailable(str(err).splitlines()[0] if str(err) else repr(err)) from err

    async def _run(self, cypher: str, params: dict[str, Any]) -> list[Record]:
        # One auto-commit query in read mode: a single RUN and PULL, where a managed
        # transaction adds BEGIN and COMMIT (measured: about half the time per small query).
        # A lost server is retried by read() itself.
        driver = self.driver
        await self._close_retired()
        session = self._idle.pop() if self._idle else driver.session(
            database=self.connection.database, default_access_mode=READ_ACCESS,
            bookmark_manager=self._bookmarks)
        read_whole = False
        try:
            result = await session.run(Query(cypher, timeout=self.timeout), params)
            records = [record async for record in result]
            read_whole = True
            return records
        except Neo4jError as error:
            costly = too_costly(error)
            if costly is None:
                raise
            raise costly from error
        finally:
            # Only a session whose query ended well is reused, and only with its driver.
            if read_whole and driver is self._driver and len(self._idle) < IDLE_SESSIONS:
                self._idle.append(session)
            else:
                await session.close()

    async def saw(self, bookmarks: Collection[str]) -> None:
        """Make the next reads see a write made through another driver (a load from the
        upload API): on a cluster they then wait until their member has it."""
        await self._bookmarks.update_bookmarks([], bookmarks)

    async def _reconnect(self) -> None:
        """A new driver to wherever the server is now (the local one may have new ports)."""
        self._retired += self._idle
        stale, self._driver, self._idle = self._driver, None, []
        await self._close_retired()
        try:
            self.connection = self._connect()
        except Exception as err:  # noqa: BLE001 - any failure to find it is an outage
            raise Unavailable(str(err).splitlines()[0]) from err
        if stale is not None:
            await stale.close()

    async def _close_retired(self) -> None:
        # An idle session holds no connection: closing it sends nothing, on any loop.
        while self._retired:
            await self._retired.pop().close()

    async def close(self) -> None:
        self._retired += self._idle
        self._idle = []
        await self._close_retired()
        if self._driver is not None:
            await self._driver.close()
