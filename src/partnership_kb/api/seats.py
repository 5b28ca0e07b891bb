"""The seats interlocks and boardOverlaps rank (the named query `board_seats`, read once per
data version and scope, through the whole-graph gate), and the way both serve a page from a
ranking kept per data version.

A kept ranking is used optimistically: the page query reads the data version in the same round
trip, so a warm page is one round trip, and a page read on another version than its ranking's
(a load or unload came between) is thrown away and the ranking made again. Concurrent requests
for a ranking not yet made wait for one computation (metrics/cache.py), and so do requests for
the same seats: interlocks and boardOverlaps asked together over one scope read it once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from ..metrics.cache import VersionedCache
from ..seats import Level, Seats, parse
from .context import Context
from .gate import whole_graph

# Seats kept (of the latest data versions and scopes), counted: about 7 MB each at 300
# districts.
SEATS: VersionedCache[Seats] = VersionedCache(kept=8)
WRAPPED = """CALL () {{
{query}
}}
OPTIONAL MATCH (version:DataVersion {{id: 'graph'}})
RETURN boards, labels, ids, names, seats, held, holders, holderNames, postIn, posts,
       version.version AS dataVersion"""
TRIES = 3  # rankings made for one request while loads keep changing the graph


@dataclass(frozen=True)
class Scope:
    """Which seats count: in force on a date, on boards in an area, stated by a dataset."""

    as_of: dt.date | None
    area: str | None
    dataset: str | None


@dataclass(frozen=True)
class Read:
    """One read of the seats: a scope, and whether whom posts belong to is read too."""

    scope: Scope
    level: Level


class Versioned(Protocol):
    @property
    def version(self) -> str | None: ...


R = TypeVar("R", bound=Versioned)
T = TypeVar("T")


async def seats(context: Context, version: str | None, scope: Scope,
                level: Level = Level.MEMBER) -> Seats:
    """The seats in scope on this data version (or a newer one), read unless kept; at level
    ORGANISATION with the organisations posts belong to (boardOverlaps and interlocks at level
    MEMBER share one read)."""
    read = Read(scope, level)
    found, _ = await SEATS.answer(version, read, lambda: _read(context, read))
    return found


async def _read(context: Context, read: Read) -> tuple[str | None, Seats]:
    named, scope = context.queries["board_seats"], read.scope
    async with whole_graph():
        record = (await context.read(WRAPPED.format(query=named.text.strip()), named.bind(
            {"asOf": scope.as_of, "area": scope.area, "dataset": scope.dataset,
             "level": read.level.value})))[0]
        version = record["dataVersion"]
        # Counted once, off the event loop, and only the count kept.
        return version, await asyncio.to_thread(
            without_collector, lambda: parse(version, record, read.level))


async def ranked_in_turn(work: Callable[[], T]) -> T:
    """Rank in a worker thread (off the event loop), through the whole-graph gate."""
    async with whole_graph():
        return await asyncio.to_thread(without_collector, work)


def without_collector(work: Callable[[], T]) -> T:
    """Run work with Python's cyclic garbage collector paused. The seats are some hundreds of
    thousands of small lists, none in a cycle, and a ranking allocates as many again: each
    collection it sets off walks them all (measured at 300 districts: grouping the holders
    0.10 s with the collector, 0.015 s without)."""
    # Process-wide: with two of these at once, the first to end turns it on again (a cost,
    # never a wrong answer).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return work()
    finally:
        if was_enabled:
            gc.enable()


async def kept_page(context: Context, cache: VersionedCache[R], question: Hashable,
                    make: Callable[[str | None], Awaitable[tuple[str | None, R]]],
                    page: Callable[[R], Awaitable[tuple[Any, str | None]]]) -> Any:
    """A page from the ranking kept for `question`, made (by `make`, given the data version
    known) when there is none for the graph's data version; `page` gives the page and the
    data version it was read on."""
    kept = cache.newest(question)
    if kept is not None:
        found, now = await page(kept[1])
        if now == kept[0]:
            return found
    else:
        now = await context.data_version()
    for _ in range(TRIES):
        ranked, _ = await cache.answer(now, question, partial(make, now))
        found, now = await page(ranked)
        if now == ranked.version:
            break
    return found
