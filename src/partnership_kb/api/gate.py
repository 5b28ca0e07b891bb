"""A gate for cold whole-graph work: at most as many at once as there are cores.

A cold whole-graph answer (the seats interlocks and boardOverlaps rank, the network metrics
measure) reads every membership in scope in one transaction and then works on it in Python.
Several different ones at once would compete for the same cores, each taking longer, and
together could need more transaction memory than the database allows; through the gate they
take turns. A request that cannot get its turn within the time limit is told so, as one that
runs out of time is.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from .database import TIMEOUT_SECONDS, TooCostly

SLOTS = os.cpu_count() or 1
WAIT = TIMEOUT_SECONDS  # the longest a request waits for its turn (read at each call)
_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = \
    weakref.WeakKeyDictionary()


@asynccontextmanager
async def whole_graph() -> AsyncIterator[None]:
    """Hold one of the slots for cold whole-graph work while inside."""
    # A semaphore belongs to the event loop it waits in; a server has one loop, a test client
    # may start one per request.
    loop = asyncio.get_running_loop()
    gate = _GATES.get(loop)
    if gate is None:
        gate = _GATES[loop] = asyncio.Semaphore(SLOTS)
    try:
        await asyncio.wait_for(gate.acquire(), WAIT)
    except TimeoutError:
        raise TooCostly(f"Other whole-graph questions kept the server busy for {WAIT:g} s.",
                        "Ask again in a moment, or narrow it: an area, a dataset.") from None
    try:
        yield
    finally:
        gate.release()
