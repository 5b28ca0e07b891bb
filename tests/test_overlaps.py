"""overlaps.rank: pairs of boards counted from who sits where, ranked as board_overlaps ranks
them, and refused ("Narrow it") past the limits."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest
from neo4j import Driver

from partnership_kb import overlaps
from partnership_kb.api import operation
from partnership_kb.api.context import Context
from partnership_kb.api.database import Database
from partnership_kb.api.overlaps import CACHE
from partnership_kb.api.schema import GRAPHQL
from partnership_kb.overlaps import TooMany, rank

from .conftest import SESSION
from .graphql_client import QUERIES, execute

BOARDS = [["b-2", "beta"], ["a-9", "Alpha"], ["c-1", None], ["d-4", "alpha"]]
IDS = sorted(board[0] for board in BOARDS)
NAMES = [dict(BOARDS)[id_] for id_ in IDS]


def pairs_of(version: str | None, seats: list[list[str]], min_shared: int) -> overlaps.Ranked:
    """The pairs of seats given as board ids (each member's boards)."""
    boards = [sorted(IDS.index(b) for b in seat) for seat in seats]
    start = np.cumsum([0] + [len(on) for on in boards])
    return rank(version, IDS, NAMES, start, np.array([b for on in boards for b in on]),
                min_shared)


def test_pairs_are_counted_once_per_member_and_ranked_by_count_then_names() -> None:
    seats = [["b-2", "a-9", "c-1"], ["a-9", "b-2"], ["c-1", "a-9", "b-2"], ["d-4", "b-2"],
             ["d-4", "a-9"]]
    ranked = pairs_of("v1", seats, 1)
    # a-9 and d-4 are both "alpha" lower-cased: equal names, then ids; c-1 has no name: last.
    assert ranked.page(True, 0, 10) == [
        ("a-9", "b-2", 3), ("a-9", "c-1", 2), ("b-2", "c-1", 2), ("a-9", "d-4", 1),
        ("b-2", "d-4", 1)]
    assert ranked.page(False, 0, 10) == [
        ("a-9", "d-4", 1), ("a-9", "b-2", 3), ("a-9", "c-1", 2), ("b-2", "d-4", 1),
        ("b-2", "c-1", 2)]
    assert ranked.page(True, 3, 10) == ranked.page(True, 0, 10)[3:]
    assert len(pairs_of("v1", seats, 2)) == 3 and pairs_of("v1", seats, 4).page(
        True, 0, 10) == []


def test_past_the_limits_it_is_too_many(monkeypatch: pytest.MonkeyPatch) -> None:
    seats = [["b-2", "a-9", "c-1", "d-4"]] * 3
    assert len(pairs_of(None, seats, 1)) == 6
    monkeypatch.setattr(overlaps, "MAX_KEPT", 5)
    with pytest.raises(TooMany, match="6 pairs to keep"):
        pairs_of(None, seats, 1)
    monkeypatch.setattr(overlaps, "MAX_WORK", 17)
    with pytest.raises(TooMany, match="18 pairs to count"):
        pairs_of(None, seats, 1)


def test_too_many_pairs_are_the_callers_to_narrow(seeded: Driver,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def ask(min_shared: int) -> Any:
        return execute(seeded, f"{{ boardOverlaps(minShared: {min_shared}, first: 5) "
                               "{ totalCount } }")
    fine = ask(2)
    assert not fine.errors, fine.errors
    monkeypatch.setattr(overlaps, "MAX_KEPT", fine.data["boardOverlaps"]["totalCount"])
    CACHE.forget()  # a ranking kept from an earlier test would be served, not counted again
    refused = ask(1)
    assert refused.errors[0].message.startswith("This question counts too many pairs of boards")
    assert "Narrow it" in refused.errors[0].message


def test_concurrent_requests_count_once(seeded: Driver) -> None:
    """Requests for a ranking not yet made wait for one computation, then page it each."""
    query = "{ boardOverlaps(minShared: 2, first: 4) { totalCount nodes { a { id } b { id } } } }"

    async def run() -> list[Any]:
        database = Database(lambda: SESSION["connection"])
        try:
            return await asyncio.gather(*(operation.run(GRAPHQL, query, Context(
                database, QUERIES)) for _ in range(4)))
        finally:
            await database.close()

    CACHE.forget()
    before = CACHE.computations
    results = asyncio.run(run())
    assert all(not result.errors for result in results), [r.errors for r in results]
    assert CACHE.computations == before + 1
    assert len({str(result.data) for result in results}) == 1
    assert results[0].data["boardOverlaps"]["totalCount"] > 4
