"""First pages of interlocks and boardOverlaps at national scale, against the whole lists.

Builds a synthetic national graph (bench/national.py) of each size asked for, then times:
  - the first page (20 rows) of interlocks(minBoards: 3) and boardOverlaps(minShared: 3),
    through a real `pkb serve` over HTTP, as an analyst asks them;
  - the same page narrowed to one county (area:), over HTTP;
  - the baseline: the whole list as the API answered it before paging (the pre-paging named
    query, embedded below, with the same fields projected), through the driver, no HTTP.
and prints p50s and the ratio page / whole list. Aim: first page p50 under 1 s at 300.

Usage: .venv/bin/python bench/paging.py [--districts 100,300] [--requests 7]
Uses NEO4J_URI when set (its graph is wiped!), else the local instance "bench".
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from neo4j import READ_ACCESS, Driver

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import start_api  # noqa: E402  (bench/ is not a package)
from national import build  # noqa: E402
from partnership_kb import db  # noqa: E402

PAGES = {
    "interlocks": """{ interlocks(minBoards: 3, first: 20%s) { totalCount nodes { count
        member { __typename ... on Node { id name } } boards { id name } } } }""",
    "boardOverlaps": """{ boardOverlaps(minShared: 3, first: 20%s) { totalCount nodes { count
        a { id name } b { id name } shared { __typename ... on Node { id name } } } } }""",
}
# The whole lists as the API computed them before paging (queries/*.cypher until issue 14).
MEMBERSHIPS = """MATCH (m)-[r:MEMBER_OF]->(b:Partnership)
WITH b, m, [(p:Person)-[:HOLDS]->(m) | p] AS holders"""
WHOLE = {
    "interlocks": MEMBERSHIPS + """
UNWIND CASE WHEN size(holders) > 0 THEN holders ELSE [m] END AS who
WITH who, collect(DISTINCT b) AS boards WHERE size(boards) >= 3
RETURN who {.id, .name} AS member, size(boards) AS count,
       [x IN boards | x {.id, .name}] AS boards
ORDER BY size(boards) DESC, who.name, who.id""",
    "boardOverlaps": MEMBERSHIPS + """
UNWIND CASE WHEN size(holders) > 0 THEN holders ELSE [m] END AS who
WITH who, collect(DISTINCT b) AS boards WHERE size(boards) >= 2
UNWIND boards AS a UNWIND boards AS b
WITH a, b, who WHERE a.id < b.id
WITH a, b, collect(who) AS shared WHERE size(shared) >= 3
RETURN a {.id, .name}, b {.id, .name}, [x IN shared | x {.id, .name}] AS shared
ORDER BY size(shared) DESC, a.name, b.name""",
}


def p50(action: Callable[[], object], requests: int) -> float:
    action()  # warm the plan cache
    spent = []
    for _ in range(requests):
        started = time.perf_counter()
        action()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent) * 1000


def over_http(client: httpx.Client, url: str, query: str) -> Callable[[], object]:
    def run() -> None:
        body = client.post(f"{url}/graphql", json={"query": query}).json()
        assert "errors" not in body, body
    return run


def whole_list(driver: Driver, query: str, rows: list[int]) -> Callable[[], object]:
    def run() -> None:
        with driver.session(default_access_mode=READ_ACCESS) as session:
            rows[:] = [len(session.run(query).data())]  # type: ignore[arg-type]
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", default="100,300")
    parser.add_argument("--requests", type=int, default=7)
    args = parser.parse_args()
    conn = db.connection("bench", progress=print)
    driver: Driver = db.open_driver(conn)
    print(f"{'graph':>26} {'question':>14} | {'page p50':>9} {'county page':>11} | "
          f"{'whole list p50':>14} {'rows':>7} | page/whole")
    for districts in (int(d) for d in args.districts.split(",")):
        size = build(driver, districts)
        server, url = start_api(conn)
        graph = f"{districts} districts ({size['nodes']:,} nodes)"
        try:
            with httpx.Client(timeout=120) as client:
                for field, text in PAGES.items():
                    page = p50(over_http(client, url, text % ""), args.requests)
                    county = p50(over_http(client, url, text % ', area: "county-0"'),
                                 args.requests)
                    rows: list[int] = []
                    full = p50(whole_list(driver, WHOLE[field], rows),
                               max(3, args.requests // 2))
                    print(f"{graph:>26} {field:>14} | {page:7.0f}ms {county:9.0f}ms | "
                          f"{full:12.0f}ms {rows[0]:7,} | {page / full:6.2f}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    driver.close()


if __name__ == "__main__":
    main()
