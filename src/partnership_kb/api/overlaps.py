"""GraphQL boardOverlaps: pairs of boards counted and ranked in Python (overlaps.py) from the
compact seats (api/seats.py, shared with interlocks), kept per data version, and a page of them
projected in Cypher as every root field is (the named query `board_overlap_page`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from strawberry.types import Info

from ..metrics.cache import VersionedCache
from ..overlaps import Ranked, TooMany, rank_seats
from .context import Context
from .database import TooCostly
from .seats import Scope, kept_page, ranked_in_turn, seats

# Rankings kept (of the latest data versions): a few MB each, at most about 25 (MAX_KEPT).
CACHE: VersionedCache[Ranked] = VersionedCache(kept=8)


@dataclass(frozen=True)
class Question:
    """What decides the ranked pairs (not the order or the page)."""

    min_shared: int
    scope: Scope


async def overlap_page(info: Info[Context, Any], question: Question, shared_first: bool,
                       first: int, start: int, cursors: list[str]) -> Any:
    """One page {totalCount, items} of the pairs, after `start` in the order asked."""
    context = info.context

    async def make(version: str | None) -> tuple[str | None, Ranked]:
        found = await seats(context, version, question.scope)
        try:
            ranked = await ranked_in_turn(lambda: rank_seats(found, question.min_shared))
        except TooMany as many:
            raise TooCostly(f"This question counts too many pairs of boards ({many}).",
                            "Narrow it: an area, a dataset, a larger minShared.") from None
        return found.version, ranked

    async def page(ranked: Ranked) -> tuple[Any, str | None]:
        if not shared_first:  # the name order is sorted when first asked for: off the loop
            await asyncio.to_thread(lambda: ranked.by_name)
        chosen = ranked.page(shared_first, start, first)
        values, version = await context.rows_at(
            info, "board_overlap_page", ("totalCount", "items"),
            {"cursors": "$cursors", "offset": "$offset"}, {"cursors": cursors, "offset": start},
            pairs=[[a, b] for a, b, _ in chosen], counts=[c for _, _, c in chosen],
            totalCount=len(ranked), asOf=question.scope.as_of,
            dataset=question.scope.dataset)
        return values[0], version

    return await kept_page(context, CACHE, question, make, page)
