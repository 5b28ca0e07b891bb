"""Measured networks kept per data version: the same question on the same data is answered from
memory, and a load (which renews the data version) makes every kept answer stale.

Measuring runs in a worker thread, off the event loop; concurrent requests for the same
uncomputed answer wait for one computation rather than starting their own.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
KEPT = 32  # answers kept (of the latest data versions); each is a few MB at national scale


@dataclass
class VersionedCache(Generic[T]):
    """Answers keyed by (data version, question), the oldest forgotten past `kept`."""

    kept: int = KEPT
    computations: int = 0  # how many answers were computed, not served from memory
    _answers: OrderedDict[tuple[str, Hashable], T] = field(default_factory=OrderedDict)
    _running: dict[tuple[str, Hashable], asyncio.Future[T]] = field(default_factory=dict)
    _newest: dict[Hashable, str] = field(default_factory=dict)  # question -> last version kept

    def forget(self) -> None:
        """Forget every kept answer (benchmarks time cold answers so)."""
        self._answers.clear()
        self._newest.clear()

    def newest(self, question: Hashable) -> tuple[str, T] | None:
        """The answer to a question kept under the version most recently computed, whichever
        that is (a caller that reads the data version in its own query checks it there)."""
        version = self._newest.get(question)
        answer = self.get(version, question)
        return None if version is None or answer is None else (version, answer)

    def get(self, version: str | None, question: Hashable) -> T | None:
        if version is None:
            return None
        answer = self._answers.get((version, question))
        if answer is not None:
            self._answers.move_to_end((version, question))
        return answer

    async def compute(self, question: Hashable,
                      read: Callable[[], Awaitable[tuple[str | None, T]]]) -> T:
        """Compute an answer (read gives the data version it was made from, and the answer)
        and keep it under that version; a graph with no data version is never kept."""
        self.computations += 1
        version, answer = await read()
        if version is not None:
            self._answers[(version, question)] = answer
            self._answers.move_to_end((version, question))
            self._newest[question] = version
            while len(self._answers) > self.kept:
                (_, forgotten), _ = self._answers.popitem(last=False)
                if not any(q == forgotten for _, q in self._answers):
                    self._newest.pop(forgotten, None)
        return answer

    async def answer(self, version: str | None, question: Hashable,
                     read: Callable[[], Awaitable[tuple[str | None, T]]]) -> tuple[T, bool]:
        """The kept answer for this version (and True), or a fresh one (and False)."""
        kept = self.get(version, question)
        if kept is not None:
            return kept, True
        key = (version or "", question)
        running = self._running.get(key) if version is not None else None
        if running is not None:
            return await asyncio.shield(running), False
        task = asyncio.ensure_future(self.compute(question, read))
        if version is not None:
            self._running[key] = task
            task.add_done_callback(lambda _: self._running.pop(key, None))
        return await asyncio.shield(task), False
