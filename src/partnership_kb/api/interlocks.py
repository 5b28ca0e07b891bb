"""GraphQL interlocks: who sits on several boards, counted and ranked in Python
(interlocks.py) from the compact seats (api/seats.py, shared with boardOverlaps), kept per data
version, scope and level, and a page of them projected in Cypher as every root field is (the
named query `interlock_page`). The named query `interlocks` ranks the same in Cypher alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from strawberry.types import Info

from ..interlocks import Ranked, rank
from ..metrics.cache import VersionedCache
from ..seats import Level
from .context import Context
from .seats import Scope, kept_page, ranked_in_turn, seats

# Rankings kept (of the latest data versions): every member counted in scope, a few MB each
# at national scale; one serves every minBoards and both sorts.
CACHE: VersionedCache[Ranked] = VersionedCache(kept=8)


@dataclass(frozen=True)
class Question:
    """What decides the ranking (not minBoards, the order or the page)."""

    level: Level
    scope: Scope


async def interlock_page(info: Info[Context, Any], question: Question, min_boards: int,
                         by_boards: bool, first: int, start: int, cursors: list[str]) -> Any:
    """One page {totalCount, items} of those on at least `min_boards` boards, after `start`
    in the order asked."""
    context = info.context

    async def page(ranked: Ranked) -> tuple[Any, str | None]:
        chosen = ranked.page(by_boards, min_boards, start, first)
        values, version = await context.rows_at(
            info, "interlock_page", ("totalCount", "items"),
            {"cursors": "$cursors", "offset": "$offset"}, {"cursors": cursors, "offset": start},
            members=[[label, id_] for label, id_, _ in chosen],
            boards=[boards for _, _, boards in chosen], totalCount=ranked.total(min_boards))
        return values[0], version

    return await kept_page(context, CACHE, question, partial(ranking, context, question), page)


async def ranking(context: Context, question: Question,
                  version: str | None) -> tuple[str | None, Ranked]:
    """Everyone in scope counted and ranked, on this data version or a newer one."""
    found = await seats(context, version, question.scope, question.level)
    return found.version, await ranked_in_turn(lambda: rank(found))
