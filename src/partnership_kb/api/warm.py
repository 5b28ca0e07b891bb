"""Keeping the whole graph's seats counted before anyone asks.

A load or unload (in any process: `pkb load`, the /load page) renews the graph's data version,
and the next whole-graph `interlocks` or `boardOverlaps` would pay for reading every seat again
(about 1 s at 300 districts). The server looks at the data version every few seconds and, when
it has changed, reads the seats of the whole graph and ranks its interlocks (level MEMBER: every
minBoards and both orders) in the background, as a request would and through the same caches,
so the first page asked after a load is served from memory; a request arriving meanwhile waits
for that computation rather than starting its own. Narrower questions (an area, a date, a
dataset) are still counted when first asked. A lost database is waited out.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os

from ..errors import ConfigError
from ..queries import NamedQuery
from ..seats import Level
from .context import Context
from .database import Database
from .interlocks import CACHE, Question, ranking
from .seats import Scope

WHOLE_GRAPH = Scope(None, None, None)
LOG = logging.getLogger("partnership_kb.warm")


def interval() -> float:
    """Seconds between looks at the data version (PKB_WARM_SECONDS; 0: never)."""
    text = os.environ.get("PKB_WARM_SECONDS", "5")
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not 0 <= seconds < math.inf:
        raise ConfigError(f"PKB_WARM_SECONDS={text!r} is not a number of seconds.",
                          "Set it to 5, say, or to 0 to count the seats only when asked.")
    return seconds


async def keep_current(database: Database, queries: dict[str, NamedQuery],
                       every: float) -> None:
    """Forever (until cancelled): look at the data version, and warm what it makes stale.
    A failure (a lost database, a busy gate) is logged once, and so is the recovery."""
    warmed: str | None = None
    failing = False
    while True:
        await asyncio.sleep(every)
        try:
            warmed = await warm(Context(database, queries), warmed)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not failing:
                LOG.warning("Could not count the seats ahead of requests (%s); trying again "
                            "every %g s.", error, every)
            failing = True
            continue
        if failing:
            LOG.warning("Counting the seats ahead of requests again.")
        failing = False


async def warm(context: Context, warmed: str | None) -> str | None:
    """The whole graph's interlocks ranked on the current data version, unless they were
    already (``warmed``); the version they are now ranked on."""
    version = await context.data_version()
    if version is None or version == warmed:
        return warmed
    question = Question(Level.MEMBER, WHOLE_GRAPH)
    ranked, _ = await CACHE.answer(version, question, lambda: ranking(context, question,
                                                                       version))
    return ranked.version
