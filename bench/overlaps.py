"""boardOverlaps on the graph already loaded (by bench/scale.py into instance "bench"): the
named query board_overlaps, which counts and ranks every pair in Cypher (the baseline, as the
API ran it before), against the API's way: a compact read of the seats (board_seats), the pairs
counted and ranked in Python (overlaps.py), kept per data version, and one page projected.

Prints p50 seconds of, for each question: the baseline; the API cold (its kept rankings
forgotten, and the seats read, before each run) and warm (a kept ranking); the parts of a
cold answer (the read, the
ranking, the page); and cold and warm as ratios of the baseline, measured in the same run.
Nothing is written: run it as often as you like on a loaded graph.

Usage: .venv/bin/python bench/overlaps.py [--repeats 5] [--min-shared 3,2]
           [--area gloucestershire-like-area-id]
Uses NEO4J_URI when set, else the local instance "bench" (or --instance NAME).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from partnership_kb import db
from partnership_kb.api import interlocks as api_interlocks
from partnership_kb.api import operation
from partnership_kb.api import overlaps as api_overlaps
from partnership_kb.api import seats as api_seats
from partnership_kb.api.context import Context
from partnership_kb.api.database import Database, TooCostly
from partnership_kb.api.schema import GRAPHQL
from partnership_kb.api.seats import without_collector
from partnership_kb.overlaps import TooMany, rank_seats
from partnership_kb.queries import load_all
from partnership_kb.seats import Level, parse

SELECTION = "totalCount nodes { count a { id name } b { id name } shared { ... on Node { id } } }"


class Bench:
    def __init__(self, repeats: int, instance: str) -> None:
        self.conn = db.connection(instance, progress=print)
        self.queries = load_all()
        self.repeats = repeats

    async def p50(self, run: Callable[[Database], Awaitable[Any]],
                  before: Callable[[], None] = lambda: None) -> float | str:
        database = Database(lambda: self.conn, timeout=600)
        times = []
        try:
            for _ in range(self.repeats):
                before()
                start = time.perf_counter()
                try:
                    await run(database)
                except TooCostly as costly:
                    return f"refused: {str(costly)[:60]}"
                times.append(time.perf_counter() - start)
        finally:
            await database.close()
        return statistics.median(times)

    def graphql(self, query: str) -> Callable[[Database], Awaitable[Any]]:
        async def run(database: Database) -> Any:
            result = await operation.run(GRAPHQL, query, Context(database, self.queries))
            if result.errors:
                original = result.errors[0].original_error
                if isinstance(original, TooCostly):
                    raise original
                raise SystemExit(f"{query}: {result.errors}")
            return result.data
        return run

    def named(self, name: str, **params: Any) -> Callable[[Database], Awaitable[Any]]:
        async def run(database: Database) -> Any:
            query = self.queries[name]
            return await database.read(query.text, query.bind(params))
        return run


def forget() -> None:
    """Forget every kept ranking and read, so that the next answer is cold."""
    for cache in (api_seats.SEATS, api_interlocks.CACHE, api_overlaps.CACHE):
        cache.forget()


async def parts(bench: Bench, min_shared: int, area: str | None) -> dict[str, float]:
    """One cold answer's parts: the compact read, the ranking in Python, the page."""
    database = Database(lambda: bench.conn, timeout=600)
    query = bench.queries["board_seats"]
    try:
        start = time.perf_counter()
        record = (await database.read(query.text, query.bind({"area": area})))[0]
        read = time.perf_counter() - start
        start = time.perf_counter()
        found = without_collector(lambda: parse(None, dict(record), Level.MEMBER))
        counted = found.counted
        try:
            pairs = len(without_collector(lambda: rank_seats(found, min_shared)))
        except TooMany:
            pairs = -1  # refused
        ranking = time.perf_counter() - start
        seats = len(counted.boards)
    finally:
        await database.close()
    return {"read": read, "rank": ranking, "members": len(counted.keys), "seats": seats,
            "pairs": pairs}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--min-shared", default="3,2")
    parser.add_argument("--area", default=None, help="also ask for this area")
    parser.add_argument("--instance", default="bench", help="the local Neo4j instance")
    args = parser.parse_args()
    bench = Bench(args.repeats, args.instance)
    print(f"load average {os.getloadavg()[0]:.2f}; p50 of {args.repeats} runs, seconds")
    print(f"{'question':<28} {'baseline':>9} {'cold':>7} {'warm':>7} {'read':>6} {'rank':>6} "
          f"{'cold/base':>9} {'warm/base':>9}  members, seats, pairs")
    for min_shared in [int(m) for m in args.min_shared.split(",")]:
        for area in [None, args.area] if args.area else [None]:
            where = f', area: "{area}"' if area else ""
            query = (f"{{ boardOverlaps(minShared: {min_shared}, first: 20{where}) "
                     f"{{ {SELECTION} }} }}")
            baseline = await bench.p50(bench.named("board_overlaps", minShared=min_shared,
                                                   area=area, first=20))
            cold = await bench.p50(bench.graphql(query), before=forget)
            warm = await bench.p50(bench.graphql(query))
            split = await parts(bench, min_shared, area)
            label = f"minShared {min_shared}" + (f" {area}" if area else "")
            print(f"{label:<28} {_s(baseline):>9} {_s(cold):>7} {_s(warm):>7} "
                  f"{split['read']:6.3f} {split['rank']:6.3f} {_ratio(cold, baseline):>9} "
                  f"{_ratio(warm, baseline):>9}  {split['members']:,}, {split['seats']:,}, "
                  f"{split['pairs']:,}")


def _s(value: float | str) -> str:
    return f"{value:.3f}" if isinstance(value, float) else value[:9]


def _ratio(a: float | str, b: float | str) -> str:
    return f"{a / b:.2f}" if isinstance(a, float) and isinstance(b, float) else "-"


if __name__ == "__main__":
    asyncio.run(main())
