"""GraphQL boardOverlaps: pairs of boards counted and ranked in Python (overlaps.py) from a
compact read (the named query `board_seats`), kept per data version, and a page of them
projected in Cypher as every root field is (the named query `board_overlap_page`).

A kept ranking is used optimistically: the page query reads the data version in the same
round trip, so a warm page is one round trip, and a page read on another version than its
ranking's (a load or unload came between) is thrown away and the ranking made again. Concurrent
requests for a ranking not yet made wait for one computation (metrics/cache.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from strawberry.types import Info

from ..metrics.cache import VersionedCache
from ..overlaps import Ranked, TooMany, rank
from .context import Context
from .database import TooCostly

# Rankings kept (of the latest data versions): a few MB each, at most about 25 (MAX_KEPT).
CACHE: VersionedCache[Ranked] = VersionedCache(kept=8)
WRAPPED = """CALL () {{
{query}
}}
OPTIONAL MATCH (version:DataVersion {{id: 'graph'}})
RETURN boards, seats, version.version AS dataVersion"""
TRIES = 3  # rankings made for one request while loads keep changing the graph


@dataclass(frozen=True)
class Question:
    """What decides the ranked pairs (not the order or the page)."""

    min_shared: int
    as_of: dt.date | None
    area: str | None
    dataset: str | None


async def overlap_page(info: Info[Context, Any], question: Question, shared_first: bool,
                       first: int, start: int, cursors: list[str]) -> Any:
    """One page {totalCount, items} of the pairs, after `start` in the order asked."""
    context = info.context
    kept = CACHE.newest(question)
    if kept is not None:
        found, now = await _page(info, kept[1], question, shared_first, first, start, cursors)
        if now == kept[0]:
            return found
    else:
        now = await context.data_version()
    for _ in range(TRIES):
        ranked, _ = await CACHE.answer(now, question, lambda: _ranked(context, question))
        found, now = await _page(info, ranked, question, shared_first, first, start, cursors)
        if now == ranked.version:
            break
    return found


async def _ranked(context: Context, question: Question) -> tuple[str | None, Ranked]:
    named = context.queries["board_seats"]
    record = (await context.read(WRAPPED.format(query=named.text.strip()), named.bind(
        {"asOf": question.as_of, "area": question.area, "dataset": question.dataset})))[0]
    version = record["dataVersion"]
    try:
        ranked = await asyncio.to_thread(rank, version, record["boards"], record["seats"],
                                         question.min_shared)
    except TooMany as many:
        raise TooCostly(f"This question counts too many pairs of boards ({many}).",
                        "Narrow it: an area, a dataset, a larger minShared.") from None
    return version, ranked


async def _page(info: Info[Context, Any], ranked: Ranked, question: Question,
                shared_first: bool, first: int, start: int,
                cursors: list[str]) -> tuple[Any, str | None]:
    if not shared_first:  # the name order is sorted when first asked for: off the event loop
        await asyncio.to_thread(lambda: ranked.by_name)
    chosen = ranked.page(shared_first, start, first)
    values, version = await info.context.rows_at(
        info, "board_overlap_page", ("totalCount", "items"),
        {"cursors": "$cursors", "offset": "$offset"}, {"cursors": cursors, "offset": start},
        pairs=[[a, b] for a, b, _ in chosen], counts=[c for _, _, c in chosen],
        totalCount=len(ranked), asOf=question.as_of, dataset=question.dataset)
    return values[0], version
