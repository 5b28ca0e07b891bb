"""National scale: synthetic districts loaded one after another, timed at chosen scales.

Generates N district returns (bench/districts.py: two-tier counties of ten districts sharing
county bodies and officers), loads them in order through the real loader (`pkb load`'s code
path, each district its own dataset, no --allow-new), and at each scale prints:
  - the load time per district (median of the last loads before that scale) and its parts
    (check: reading, validating and resolving; write: the transaction, of which rules: the
    rule checks, commit: the commit);
  - the graph's size (nodes and relationships);
  - p50 of the signature questions through the GraphQL API in-process: a board by id, a board
    by name, an outcome, the interlocks and board overlaps (first page where the API pages;
    both rank in Python and keep their rankings and the seats they read per data version, so
    `interlocks`, `overlaps` and `interlocks_area` (one county) are warm p50s, and
    `interlocks_cold` and `overlaps_cold` forget every kept ranking and read before each run;
    `interlocks_warmed` and `overlaps_warmed` forget them too, then let the server count the
    whole graph's seats ahead as `pkb serve` does after a load (api/warm.py), untimed: the
    first page a user asking after a load gets once that is done);
  - how many loads were refused (a near miss between districts is a wrong refusal; such a
    load is then made with allow_new so the run goes on);
then the growth exponent of each time against the graph's growth (log time ratio over log size
ratio) between consecutive scales and from the second scale to the last. Flat is 0; a time
that grows as the graph does is 1.

With --raw N, at each scale the next district is loaded N times by the loader and, in turns,
written by hand (bench/load.py's full raw baseline: batched UNWIND ... MERGE of exactly the
nodes, relationships and load record the loader wrote for it, read back from the graph), each
into the graph of that scale (the load is taken back between runs); it prints the best times
and their ratio, the loader's against raw UNWIND at each scale. With --raw-rows R as well, a
return of R memberships (bench/load.py's synthetic workbook) is compared the same way at the
last scale: a large return there against a district's 1,100 rows.

Usage: .venv/bin/python bench/scale.py [--scales 1,10,100,300] [--repeats 5] [--raw 3]
           [--raw-rows 30000]
           [--questions board,board_name,outcome,interlocks,interlocks_cold,
                        interlocks_warmed,overlaps,overlaps_cold,overlaps_warmed,
                        interlocks_area]
       .venv/bin/python bench/scale.py --reuse [--questions ...]
--reuse times the questions on the graph already loaded (by an earlier run; its districts are
counted from its loads) without wiping or loading anything.
Uses NEO4J_URI when set (its graph is wiped, unless --reuse!), else the local instance "bench"
(or --instance NAME, to keep graphs of two scales).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neo4j import Driver

from districts import Nation
from load import Snapshot, full_raw_baseline, synthetic, write_xlsx
from partnership_kb import db, loader, migrate, model
from partnership_kb.api import interlocks as api_interlocks
from partnership_kb.api import operation
from partnership_kb.api import overlaps as api_overlaps
from partnership_kb.api import seats as api_seats
from partnership_kb.api.context import Context
from partnership_kb.api.database import Database
from partnership_kb.api.schema import GRAPHQL
from partnership_kb.api.warm import warm
from partnership_kb.errors import InvalidInput
from partnership_kb.loader import history
from partnership_kb.loader.resolve import new_id
from partnership_kb.loader.write import unload
from partnership_kb.metrics.cache import VersionedCache
from partnership_kb.queries import load_all

OVERLAPS = "{ boardOverlaps(minShared: 3, first: 20) { totalCount nodes { a { id } b { id } } } }"
INTERLOCKS = ("{ interlocks(minBoards: 3, first: 20) { totalCount nodes { "
              "member { ... on Node { id } } boards { id } } } }")
CACHES: list[VersionedCache[Any]] = [api_seats.SEATS, api_interlocks.CACHE, api_overlaps.CACHE]
COLD = {"overlaps_cold", "interlocks_cold"}  # asked with every kept answer forgotten first
WARMED = {"overlaps_warmed", "interlocks_warmed"}  # forgotten, then counted ahead (untimed)
# A load's time and its parts: preparing (read, validate, resolve), the write transaction,
# and within the write the rule checks and the commit.
PARTS = ("load", "check", "write", "rules", "commit")


def questions(nation: Nation) -> dict[str, str]:
    """The signature questions, about district 0 (there at every scale)."""
    district = nation.district_id(0)
    board = nation.district(0)["partnerships"][5]  # a local board (after the county's four)
    return {
        "board": f'{{ partnership(id: "{new_id(district, board[1], {})}") '
                 "{ name members { role member { ... on Node { name } } } } }",
        "board_name": f'{{ partnership(name: "{board[1]}") {{ id name }} }}',
        "outcome": f'{{ outcome(code: "3.4", strategy: "{district}-community-strategy") '
                   "{ code title deliveredBy { via deliverer { ... on Node { name } } } } }",
        "interlocks": INTERLOCKS,
        "interlocks_cold": INTERLOCKS,
        "overlaps": OVERLAPS,
        "overlaps_cold": OVERLAPS,
        "interlocks_warmed": INTERLOCKS,
        "overlaps_warmed": OVERLAPS,
        "interlocks_area": f'{{ interlocks(minBoards: 2, area: "{nation.county(0).id}", '
                           "first: 20) { totalCount nodes { member { ... on Node { id } } } } }",
    }


class Asker:
    """Runs GraphQL in-process against the bench Neo4j, as the API would."""

    def __init__(self, conn: Any) -> None:
        self.queries = load_all()
        self.conn = conn

    def p50(self, query: str, repeats: int, cold: bool = False, warmed: bool = False) -> float:
        async def run() -> list[float]:
            database = Database(lambda: self.conn, timeout=600)
            times = []
            try:
                for _ in range(repeats):
                    for cache in CACHES if cold or warmed else []:
                        cache.forget()
                    context = Context(database, self.queries, debug=False)
                    if warmed:
                        await warm(context, None)
                    start = time.perf_counter()
                    result = await operation.run(GRAPHQL, query, context)
                    times.append(time.perf_counter() - start)
                    if result.errors:
                        raise SystemExit(f"{query}: {result.errors}")
            finally:
                await database.close()
            return times
        return statistics.median(asyncio.run(run()))


def wipe(driver: Driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")\
            .consume()


def size(driver: Driver) -> tuple[int, int]:
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n) RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels")
    return records[0]["nodes"], records[0]["rels"]


def exponent(t0: float, t1: float, g0: float, g1: float) -> float:
    if min(t0, t1, g0) <= 0 or g1 == g0:
        return math.nan
    return math.log(t1 / t0) / math.log(g1 / g0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each question")
    parser.add_argument("--window", type=int, default=10,
                        help="loads before each scale whose median is its time per district")
    parser.add_argument("--questions", default="board,board_name,outcome,interlocks,"
                        "interlocks_cold,interlocks_warmed,overlaps,overlaps_cold,"
                        "overlaps_warmed,interlocks_area")
    parser.add_argument("--reuse", action="store_true",
                        help="time the questions on the graph already loaded; load nothing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--instance", default="bench", help="the local Neo4j instance")
    parser.add_argument("--raw", type=int, default=0, metavar="N",
                        help="at each scale, the next district N times by the loader and by "
                        "raw UNWIND, in turns")
    parser.add_argument("--raw-rows", type=int, default=0, metavar="R",
                        help="with --raw, also a return of R memberships at the last scale")
    args = parser.parse_args()
    scales = sorted({int(s) for s in args.scales.split(",")})
    asked = [q for q in args.questions.split(",") if q]

    conn = db.connection(args.instance, progress=print)
    driver = db.open_driver(conn)
    the_model = model.default()
    if args.reuse:
        reused(driver, Asker(conn), questions(Nation(args.seed)), asked, args)
        return
    wipe(driver)
    migrate.apply(driver, the_model)
    nation = Nation(args.seed)
    signature = questions(nation)
    asker = Asker(conn)
    rows: list[dict[str, Any]] = []
    loads: list[tuple[float, ...]] = []  # total, check, write, rules, commit
    raw: list[tuple[str, float, float]] = []  # what was loaded, loader's best, raw's best
    refused = 0
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(scales[-1]):
            district = nation.district_id(number)
            folder = nation.write_csv(nation.district(number), Path(tmp) / district)
            start = time.perf_counter()
            try:
                report = _load(folder, district, the_model, driver, allow_new=False)
            except InvalidInput as invalid:
                refused += 1
                print(f"  {district} refused: {len(invalid.problems)} problems, first: "
                      f"{invalid.problems[0]}", file=sys.stderr)
                start = time.perf_counter()
                report = _load(folder, district, the_model, driver, allow_new=True)
            loads.append((time.perf_counter() - start, report.seconds["check"],
                          report.seconds["write"], report.parts["rules"],
                          report.parts["commit"]))
            if number + 1 in scales:
                rows.append(_measure(number + 1, loads, args, driver, asker, signature, asked,
                                     refused, rows))
                _print(rows, asked)
                if args.raw:
                    raw.append(against_raw_district(nation, number + 1, Path(tmp), the_model,
                                                    driver, args.raw))
        if args.raw and args.raw_rows:
            raw.append(against_raw_return(args.raw_rows, scales[-1], Path(tmp), the_model,
                                          driver, args.raw))
    driver.close()
    _print(rows, asked, final=True)
    for what, loader_s, raw_s in raw:
        print(f"{what}, best of {args.raw}: loader {loader_s:.3f} s, raw UNWIND of the same "
              f"graph {raw_s:.3f} s; ratio loader / raw {raw_s / loader_s:.2f} (aim >= 0.7)")


def against_raw_district(nation: Nation, number: int, tmp: Path, the_model: model.Model,
                         driver: Driver, repeats: int) -> tuple[str, float, float]:
    """District `number` (the next one) by the loader and by raw UNWIND at this scale."""
    district = nation.district_id(number)
    folder = nation.write_csv(nation.district(number), tmp / district)
    loader_s, raw_s = against_raw(
        lambda: _load(folder, district, the_model, driver, allow_new=False),
        f"{district}/returns", the_model, driver, repeats)
    return f"district {number + 1} into {number} districts", loader_s, raw_s


def against_raw_return(memberships: int, scale: int, tmp: Path, the_model: model.Model,
                       driver: Driver, repeats: int) -> tuple[str, float, float]:
    """bench/load.py's synthetic return of that many memberships, the same way."""
    path = write_xlsx(tmp / "return.xlsx", synthetic(memberships))
    loader_s, raw_s = against_raw(
        lambda: loader.load(path, "bench", the_model, driver, dataset="bench/return"),
        "bench/return", the_model, driver, repeats)
    return (f"a return of {memberships:,} memberships into {scale} districts",
            loader_s, raw_s)


def against_raw(load_once: Callable[[], object], dataset: str, the_model: model.Model,
                driver: Driver, repeats: int) -> tuple[float, float]:
    """The best times of a load by the loader and written raw, in turns, each into the
    graph as it is (the load is taken back after each)."""
    keys = history.rel_keys(the_model)
    loader_s: list[float] = []
    raw_s: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        load_once()
        loader_s.append(time.perf_counter() - start)
        written = said_by(driver, dataset)
        unload(driver, dataset, the_model)
        start = time.perf_counter()
        full_raw_baseline(driver, written, keys)
        raw_s.append(time.perf_counter() - start)
        if canonical(said_by(driver, dataset)) != canonical(written):
            raise AssertionError(f"raw UNWIND wrote another graph than the loader's for {dataset}")
        unload(driver, dataset, the_model)  # the raw graph is the loader's: it unloads
    return min(loader_s), min(raw_s)


# What one dataset's first load wrote: the nodes and relationships it says (shared ones with
# every dataset's bookkeeping, as they are now) and its load record (a first load writes no
# Change). Ends are named by id, as bench/load.py's snapshot names them.
SAID_NODES = """
MATCH (n) WHERE $dataset IN n.datasets OR (n:Load AND n.dataset = $dataset)
RETURN labels(n) AS labels, properties(n) AS p
"""
SAID_RELS = """
MATCH (a)-[x]->(b) WHERE $dataset IN x.datasets
RETURN labels(a)[0] AS a, a.id AS s, type(x) AS type, labels(b)[0] AS b, b.id AS e,
       properties(x) AS p
"""


def said_by(driver: Driver, dataset: str) -> Snapshot:
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for record in driver.execute_query(SAID_NODES, dataset=dataset).records:
        nodes.setdefault(tuple(sorted(record["labels"])), []).append(
            {"id": record["p"]["id"], "props": record["p"]})
    for record in driver.execute_query(SAID_RELS, dataset=dataset).records:
        rels.setdefault((record["a"], record["type"], record["b"]), []).append(
            {"start": record["s"], "end": record["e"], "props": record["p"]})
    return nodes, rels


def canonical(snapshot: Snapshot) -> list[str]:
    """A snapshot as sorted lines, to compare two whatever the order they were read in."""
    nodes, rels = snapshot
    return sorted(repr((kind, sorted(row.items(), key=str)))
                  for part in (nodes, rels) for kind, rows in part.items() for row in rows)


def reused(driver: Driver, asker: Asker, signature: dict[str, str], asked: list[str],
           args: argparse.Namespace) -> None:
    """The questions timed on the graph as it is (the districts an earlier run loaded)."""
    records, _, _ = driver.execute_query("MATCH (l:Load) RETURN count(DISTINCT l.dataset) AS n")
    nodes, rels = size(driver)
    row: dict[str, Any] = {"scale": records[0]["n"], "nodes": nodes, "rels": rels,
                           "refused": 0, **{part: math.nan for part in PARTS}}
    for name in asked:
        row[name] = asker.p50(signature[name], args.repeats, name in COLD, name in WARMED)
    _print([row], asked, final=True)
    driver.close()


def _load(folder: Path, district: str, the_model: model.Model, driver: Driver,
          allow_new: bool) -> loader.LoadReport:
    return loader.load(folder, district, the_model, driver, dataset=f"{district}/returns",
                       allow_new=allow_new)


def _measure(scale: int, loads: list[tuple[float, ...]], args: argparse.Namespace,
             driver: Driver, asker: Asker, signature: dict[str, str], asked: list[str],
             refused: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    previous = rows[-1]["scale"] if rows else 0
    window = loads[max(previous, scale - args.window):]
    nodes, rels = size(driver)
    row: dict[str, Any] = {
        "scale": scale, "nodes": nodes, "rels": rels, "refused": refused,
        **{part: statistics.median(times[i] for times in window)
           for i, part in enumerate(PARTS)},
    }
    for name in asked:
        row[name] = asker.p50(signature[name], args.repeats, name in COLD, name in WARMED)
    return row


def _print(rows: list[dict[str, Any]], asked: list[str], final: bool = False) -> None:
    timed = [*PARTS, *asked]
    print(f"{'districts':>9} {'nodes':>8} {'rels':>8} {'refused':>7} "
          + " ".join(f"{name:>10}" for name in timed) + "   (seconds; load = per district)")
    for row in rows:
        print(f"{row['scale']:>9} {row['nodes']:>8,} {row['rels']:>8,} {row['refused']:>7} "
              + " ".join(f"{row[name]:>10.3f}" for name in timed))
    if not final or len(rows) < 2:
        return
    print("growth exponent of each time against the graph's size (nodes + relationships):")
    pairs: list[tuple[str, Callable[[dict[str, Any]], float]]] = [
        (name, lambda r, n=name: r[n]) for name in timed]
    spans = [(rows[i], rows[i + 1]) for i in range(len(rows) - 1)]
    if len(rows) > 2:
        spans.append((rows[1], rows[-1]))
    for a, b in spans:
        ga, gb = a["nodes"] + a["rels"], b["nodes"] + b["rels"]
        print(f"  {a['scale']:>4} -> {b['scale']:<4} graph x{gb / ga:6.1f}: " + " ".join(
            f"{name} {exponent(get(a), get(b), ga, gb):5.2f}" for name, get in pairs))


if __name__ == "__main__":
    main()
