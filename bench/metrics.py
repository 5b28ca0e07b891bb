"""Network metrics at national scale: cold, then served from the cache, and sampled against exact.

Builds a synthetic membership network of N districts on the pattern of English two-tier areas
(per district 28 boards, 117 posts each held by a person, 86 more people sitting in person, 577
memberships; each county of ten districts has 6 boards and 40 officers who sit on its
districts' boards too), written with parameterised UNWIND. Then, through the GraphQL API
in-process, for each projection it times:
  - cold: the first networkMetrics (read the network, measure it), against the read alone;
  - cached: the same question again (one round trip for the data version).
And on the smallest scale it measures, for each projection, the sampled estimates against
exact values (everything measured exactly there): the largest and mean error and the rank
agreement of the top 20. The machine's load average is printed before and after.
Aim (issue 14): at 100 districts every projection cold under 30 s; cached under 0.1 s.

Usage: .venv/bin/python bench/metrics.py [--districts 10,50,100]
Uses NEO4J_URI when set (its graph is wiped!), else the local instance "bench".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from typing import Any

from neo4j import Driver

from partnership_kb import db
from partnership_kb.api import metrics as api_metrics
from partnership_kb.api import operation
from partnership_kb.api.context import Context
from partnership_kb.api.database import Database
from partnership_kb.api.schema import GRAPHQL
from partnership_kb.metrics import ask, measures, network
from partnership_kb.queries import QueryRunner, load_all

BOARDS, POSTS, EXTRA_PEOPLE, MEMBERSHIPS = 28, 117, 86, 577
COUNTY_BOARDS, COUNTY_OFFICERS, PER_COUNTY = 6, 40, 10

NODES = """UNWIND $rows AS row
CALL (row) { WITH row WHERE row.label = 'Partnership' CREATE (:Partnership:Bench {id: row.id,
  name: row.name, kind: 'board'}) }
CALL (row) { WITH row WHERE row.label = 'Post' CREATE (:Post:Bench {id: row.id, name: row.name}) }
CALL (row) { WITH row WHERE row.label = 'Person' CREATE (:Person:Bench {id: row.id,
  name: row.name}) }"""
RELS = """UNWIND $rows AS row
MATCH (a:Bench {id: row.a}) MATCH (b:Bench {id: row.b})
CALL (a, b, row) { WITH a, b, row WHERE row.type = 'MEMBER_OF'
  CREATE (a)-[:MEMBER_OF {seats: row.seats}]->(b) }
CALL (a, b, row) { WITH a, b, row WHERE row.type = 'HOLDS' CREATE (a)-[:HOLDS]->(b) }"""
VERSION = ("MERGE (v:DataVersion {id: 'graph'}) "
           "SET v.version = randomUUID(), v.changedAt = datetime()")


def synthetic(districts: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and relationships of `districts` districts (seeded: the same every run)."""
    rng = random.Random(14)
    nodes: list[dict[str, Any]] = []
    rels: list[dict[str, Any]] = []

    def node(label: str, id_: str, name: str) -> str:
        nodes.append({"label": label, "id": id_, "name": name})
        return id_

    for county in range((districts + PER_COUNTY - 1) // PER_COUNTY):
        c = f"c{county}"
        county_boards = [node("Partnership", f"{c}-b{i}", f"County {county} board {i}")
                         for i in range(COUNTY_BOARDS)]
        officers = []
        for i in range(COUNTY_OFFICERS):
            post = node("Post", f"{c}-p{i}", f"County {county} officer {i}")
            person = node("Person", f"{c}-h{i}", f"County {county} person {i}")
            rels.append({"type": "HOLDS", "a": person, "b": post})
            officers.append(post)
            for board in rng.sample(county_boards, 2):
                rels.append({"type": "MEMBER_OF", "a": post, "b": board, "seats": 1})
        for d in range(county * PER_COUNTY, min(districts, (county + 1) * PER_COUNTY)):
            boards = [node("Partnership", f"d{d}-b{i}", f"District {d} board {i}")
                      for i in range(BOARDS)]
            members = []
            for i in range(POSTS):
                post = node("Post", f"d{d}-p{i}", f"District {d} post {i}")
                person = node("Person", f"d{d}-h{i}", f"District {d} holder {i}")
                rels.append({"type": "HOLDS", "a": person, "b": post})
                members.append(post)
            members += [node("Person", f"d{d}-x{i}", f"District {d} resident {i}")
                        for i in range(EXTRA_PEOPLE)]
            pairs = set()
            while len(pairs) < MEMBERSHIPS:
                member = rng.choice(officers) if rng.random() < 0.1 else rng.choice(members)
                pairs.add((member, rng.choice(boards)))
            rels += [{"type": "MEMBER_OF", "a": a, "b": b, "seats": rng.choice([1, 1, 1, 2])}
                     for a, b in sorted(pairs)]
            for board in rng.sample(county_boards, 2):  # the district sits on county boards
                rels.append({"type": "MEMBER_OF", "a": boards[0], "b": board, "seats": 1})
    return nodes, rels


def wipe(driver: Driver) -> None:
    with driver.session() as session:  # IN TRANSACTIONS needs an implicit transaction
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")\
            .consume()


def build(driver: Driver, districts: int) -> int:
    wipe(driver)
    driver.execute_query("CREATE INDEX bench_id IF NOT EXISTS FOR (n:Bench) ON (n.id)")
    driver.execute_query("CALL db.awaitIndexes()")
    nodes, rels = synthetic(districts)
    for start in range(0, len(nodes), 10_000):
        driver.execute_query(NODES, rows=nodes[start:start + 10_000])
    for start in range(0, len(rels), 10_000):
        driver.execute_query(RELS, rows=rels[start:start + 10_000])
    # Only the model's labels: the network query names a node by its first label.
    with driver.session() as session:
        session.run("MATCH (n:Bench) CALL (n) { REMOVE n:Bench } IN TRANSACTIONS OF 10000 ROWS")\
            .consume()
    driver.execute_query(VERSION)
    return len(nodes)


QUERY = """query ($projection: Projection!) { networkMetrics(projection: $projection,
  first: 10) { cached graph { nodes edges components sampledSources }
  nodes { name betweenness } } }"""


def timed_query(database: Database, projection: str) -> tuple[float, Any]:
    async def run() -> Any:
        context = Context(database, load_all())
        result = await operation.run(GRAPHQL, QUERY, context, {"projection": projection})
        assert not result.errors, result.errors
        return result.data["networkMetrics"]
    started = time.perf_counter()
    answer = asyncio.run(run())
    return time.perf_counter() - started, answer


def read_seconds(driver: Driver) -> float:
    started = time.perf_counter()
    QueryRunner(driver).run("network")
    return time.perf_counter() - started


def spearman_top(exact: dict[Any, float], estimate: dict[Any, float], top: int = 20) -> float:
    """How many of the exact top nodes the estimate also puts in its top (0..1)."""
    best = set(sorted(exact, key=lambda n: -exact[n])[:top])
    guessed = set(sorted(estimate, key=lambda n: -estimate[n])[:top])
    return len(best & guessed) / top


def sampling_error(driver: Driver, projection: network.Projection) -> None:
    rows = QueryRunner(driver).run("network")
    graph, source = network.build(rows, projection)
    network.with_distances(graph)
    bipartite = projection is network.Projection.PERSON_PERSON
    started = time.perf_counter()
    exact = measures.measure(graph, source, weighted=False, exact_work=10**15,
                             bipartite_source=bipartite)
    exact_s = time.perf_counter() - started
    started = time.perf_counter()
    sampled = measures.measure(graph, source, weighted=False, exact_work=0,
                               bipartite_source=bipartite)
    sampled_s = time.perf_counter() - started
    print(f" {projection.name} ({graph.number_of_nodes():,} nodes, "
          f"{graph.number_of_edges():,} ties)")
    for measure in ("betweenness", "closeness"):
        e = {(n.label, n.id): getattr(n, measure) for n in exact.nodes}
        s = {(n.label, n.id): getattr(n, measure) for n in sampled.nodes}
        worst = max(abs(e[k] - s[k]) for k in e)
        mean = sum(abs(e[k] - s[k]) for k in e) / len(e)
        print(f"  {measure:>11}: largest error {worst:.4f}, mean {mean:.5f} (largest exact "
              f"{max(e.values()):.4f}); top 20 shared {spearman_top(e, s):.0%}")
    print(f"  average path length exact {exact.graph.average_path_length:.4f}, sampled "
          f"{sampled.graph.average_path_length:.4f}; diameter (exact in both) "
          f"{exact.graph.diameter} = {sampled.graph.diameter}")
    print(f"  time: exact {exact_s:.1f} s, sampled ({measures.SAMPLE} sources) {sampled_s:.1f} s"
          f" = {sampled_s / exact_s:.2f} x exact")


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--districts", default="10,50,100")
    args = parser.parse_args()
    scales = [int(n) for n in args.districts.split(",")]
    conn = db.connection("bench", progress=print)
    driver = db.open_driver(conn)
    print(f"Start: {load()}")
    # The measuring process is started once per server: start it before timing.
    api_metrics.workers().submit(ask.answer, ask.Question(), []).result()
    try:
        for index, districts in enumerate(scales):
            nodes = build(driver, districts)
            api_metrics.CACHE._answers.clear()
            read = read_seconds(driver)
            print(f"{districts} districts ({nodes:,} nodes in the graph); reading the network "
                  f"alone: {read:.2f} s")
            database = Database(lambda: conn)
            for projection in ("MEMBER_BOARD", "BOARD_BOARD", "PERSON_PERSON"):
                cold, answer = timed_query(database, projection)
                cached, again = timed_query(database, projection)
                assert again["cached"] and not answer["cached"]
                g = answer["graph"]
                print(f"  {projection:>13}: {g['nodes']:>6,} nodes {g['edges']:>7,} ties "
                      f"{g['components']:>4} parts, sampled {g['sampledSources'] or 'no':>4} | "
                      f"cold {cold:6.2f} s = {cold / read:5.1f} x read (aim < 30 s) | cached "
                      f"{cached * 1000:6.1f} ms = {cached / cold:.4f} x cold | {load()}")
            if index == 0:
                print(f"Sampled against exact, {districts} districts:")
                for projection_ in network.Projection:
                    sampling_error(driver, projection_)
        print(f"End: {load()}")
    finally:
        wipe(driver)
        driver.execute_query("DROP INDEX bench_id IF EXISTS")
        driver.close()


if __name__ == "__main__":
    main()
