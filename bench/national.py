"""A synthetic national graph written straight into Neo4j, for timing whole-graph questions.

Counties of ten districts, as in English two-tier areas. Each district: 28 partnerships, 56
organisations, 117 posts, 203 people, about 577 memberships; each county: its council, police,
NHS and fire bodies, 40 officers' posts and 6 county boards, the officers sitting on boards
across its districts. Who sits where is drawn with a fixed seed and a skewed choice (a few
posts sit on many boards, most on one or two), so interlocks and overlaps look like the real
ones. Facts carry the properties the loader derives (`inForceFrom`, `inForceUntil`, `status`,
`datasets`, `sources`), with some memberships ended and some only proposed, so `asOf` and
`dataset` have something to choose.

This writes with parameterised UNWIND batches, not through the loader: it builds a graph to
query quickly. `bench/scale.py` (the loader at national scale) measures loads.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

from neo4j import Driver

from partnership_kb import migrate, model

DISTRICTS_PER_COUNTY = 10
BOARDS, ORGANISATIONS, POSTS, PEOPLE, MEMBERSHIPS = 28, 56, 117, 203, 577
COUNTY_BOARDS, COUNTY_POSTS = 6, 40
COUNTY_BODIES = ("County Council", "Constabulary", "NHS Trust", "Fire and Rescue Service")
BOARD_NAMES = ("Local Strategic Partnership", "Community Safety Partnership",
               "Health and Wellbeing Board", "Children's Trust", "Economic Partnership",
               "Housing Forum", "Environment Partnership", "Culture Board")
ORG_NAMES = ("Council for Voluntary Service", "District Council", "Housing Association",
             "Chamber of Commerce", "College", "Citizens Advice", "Youth Trust",
             "Community Foundation")
FIRST_NAMES = ("Alex", "Sam", "Jo", "Chris", "Pat", "Nicola", "David", "Sarah", "Priya", "Tom")
SURNAMES = ("Smith", "Jones", "Patel", "Brown", "Taylor", "Wilson", "Evans", "Khan", "Hughes")
STARTED, ENDED = "2019-04-01", "2022-03-31"
BATCH = 5_000

NODES = """
UNWIND $rows AS row
CALL (row) {
  WITH row WHERE row.label = 'Area' CREATE (n:Area) SET n = row.props
  UNION ALL WITH row WHERE row.label = 'Organisation' CREATE (n:Organisation) SET n = row.props
  UNION ALL WITH row WHERE row.label = 'Partnership' CREATE (n:Partnership) SET n = row.props
  UNION ALL WITH row WHERE row.label = 'Post' CREATE (n:Post) SET n = row.props
  UNION ALL WITH row WHERE row.label = 'Person' CREATE (n:Person) SET n = row.props
}
"""
# One statement per relationship type: the ends are found through the id constraints.
RELATIONSHIPS = {
    "WITHIN": "MATCH (a:Area {id: row.start}), (b:Area {id: row.end}) CREATE (a)-[r:WITHIN]->(b)",
    "COVERS": "MATCH (a:Partnership|Organisation {id: row.start}), (b:Area {id: row.end}) "
              "CREATE (a)-[r:COVERS]->(b)",
    "POST_IN": "MATCH (a:Post {id: row.start}), (b:Organisation {id: row.end}) "
               "CREATE (a)-[r:POST_IN]->(b)",
    "HOLDS": "MATCH (a:Person {id: row.start}), (b:Post {id: row.end}) CREATE (a)-[r:HOLDS]->(b)",
    "MEMBER_OF": "MATCH (a:Post|Person|Organisation {id: row.start}), "
                 "(b:Partnership {id: row.end}) CREATE (a)-[r:MEMBER_OF]->(b)",
}


class Graph:
    """The rows of a synthetic graph: nodes by label, relationships by type."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, Any]] = []
        self.rels: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RELATIONSHIPS}

    def node(self, label: str, id_: str, name: str, dataset: str, **props: Any) -> str:
        self.nodes.append({"label": label, "props": {
            "id": id_, "name": name, "datasets": [dataset], "sources": [f"{dataset}#{label}"],
            "status": "current", "inForceFrom": STARTED, **props}})
        return id_

    def rel(self, kind: str, start: str, end: str, dataset: str, **props: Any) -> None:
        self.rels[kind].append({"start": start, "end": end, "props": {
            "datasets": [dataset], "sources": [f"{dataset}#{kind}"], "status": "current",
            "inForceFrom": STARTED, **props}})


def skewed(rng: random.Random, items: list[str], alpha: float) -> str:
    """Mostly the first few items: a chief executive sits on many boards, a clerk on one."""
    return items[min(len(items) - 1, int(rng.paretovariate(alpha)) - 1)]


def membership_dates(rng: random.Random) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.10:  # ended with the return of 2022
        return {"inForceUntil": ENDED, "endedOn": ENDED}
    if roll < 0.15:  # only proposed: never in force
        return {"status": "proposed", "inForceFrom": None}
    return {}


def county(graph: Graph, rng: random.Random, c: int) -> list[str]:
    """A county's area, bodies, officers and boards; returns its officers' posts."""
    dataset, area = f"county-{c}/returns", f"county-{c}"
    graph.node("Area", area, f"County {c}", dataset, kind="county")
    posts = []
    for i, body in enumerate(COUNTY_BODIES):
        org = graph.node("Organisation", f"{area}-org-{i}", f"County {c} {body}", dataset,
                         kind="council")
        graph.rel("COVERS", org, area, dataset)
        for j in range(COUNTY_POSTS // len(COUNTY_BODIES)):
            post = graph.node("Post", f"{org}-post-{j}", f"Officer {j}, County {c} {body}",
                              dataset)
            graph.rel("POST_IN", post, org, dataset)
            person = graph.node("Person", f"{post}-holder", f"{rng.choice(FIRST_NAMES)} "
                                f"{rng.choice(SURNAMES)}", dataset)
            graph.rel("HOLDS", person, post, dataset)
            posts.append(post)
    rng.shuffle(posts)
    for i in range(COUNTY_BOARDS):
        board = graph.node("Partnership", f"{area}-board-{i}", f"County {c} "
                           f"{BOARD_NAMES[i % len(BOARD_NAMES)]}", dataset, kind="board")
        graph.rel("COVERS", board, area, dataset)
        for post in rng.sample(posts, 12):
            graph.rel("MEMBER_OF", post, board, dataset, role="member", **membership_dates(rng))
    return posts


def district(graph: Graph, rng: random.Random, d: int, county_posts: list[str],
             county_area: str) -> None:
    """One district's return: its area, bodies, posts, people and who sits where."""
    dataset, area = f"district-{d}/returns", f"district-{d}"
    place = f"Newtown {d}"
    graph.node("Area", area, place, dataset, kind="district")
    graph.rel("WITHIN", area, county_area, dataset)
    orgs = [graph.node("Organisation", f"{area}-org-{i}",
                       f"{place} {ORG_NAMES[i % len(ORG_NAMES)]} {i // len(ORG_NAMES) or ''}"
                       .strip(), dataset, kind="voluntary") for i in range(ORGANISATIONS)]
    boards = []
    for i in range(BOARDS):
        board = graph.node("Partnership", f"{area}-board-{i}", f"{place} "
                           f"{BOARD_NAMES[i % len(BOARD_NAMES)]} {i // len(BOARD_NAMES) or ''}"
                           .strip(), dataset, kind="board")
        graph.rel("COVERS", board, area, dataset)
        boards.append(board)
    posts = []
    for i in range(POSTS):
        post = graph.node("Post", f"{area}-post-{i}", f"Post {i}, {place}", dataset)
        graph.rel("POST_IN", post, orgs[i % ORGANISATIONS], dataset)
        posts.append(post)
    people = []
    for i in range(PEOPLE):
        person = graph.node("Person", f"{area}-person-{i}", f"{rng.choice(FIRST_NAMES)} "
                            f"{rng.choice(SURNAMES)}", dataset)
        if i < POSTS - 17:  # most posts held, a few vacant
            graph.rel("HOLDS", person, posts[i], dataset)
        else:
            people.append(person)
    seen: set[tuple[str, str]] = set()
    while len(seen) < MEMBERSHIPS:
        board, roll = rng.choice(boards + boards[:4]), rng.random()
        member = (rng.choice(county_posts) if roll < 0.06 else rng.choice(people)
                  if roll < 0.30 else rng.choice(orgs) if roll < 0.36 else
                  skewed(rng, posts, 1.2))
        if (member, board) not in seen:
            seen.add((member, board))
            graph.rel("MEMBER_OF", member, board, dataset, role="member",
                      **membership_dates(rng))


def synthetic(districts: int, seed: int = 14) -> Graph:
    rng, graph = random.Random(seed), Graph()
    officers: list[str] = []
    for d in range(districts):
        c = d // DISTRICTS_PER_COUNTY
        if d % DISTRICTS_PER_COUNTY == 0:
            officers = county(graph, rng, c)
        district(graph, rng, d, officers, f"county-{c}")
    return graph


def batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def autocommit(driver: Driver, query: str) -> None:
    """A statement that commits in batches itself (CALL ... IN TRANSACTIONS)."""
    with driver.session() as session:
        session.run(query).consume()  # type: ignore[arg-type]


def build(driver: Driver, districts: int) -> dict[str, int]:
    """Wipes the graph and writes `districts` synthetic districts; returns node and
    relationship counts."""
    autocommit(driver, "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    migrate.apply(driver, model.default())
    graph = synthetic(districts)
    dates = "SET r += row.props SET r.inForceFrom = date(r.inForceFrom), " \
            "r.inForceUntil = date(r.inForceUntil), r.endedOn = date(r.endedOn)"
    for rows in batches(graph.nodes):
        driver.execute_query(NODES + "WITH 1 AS done RETURN count(*)", rows=rows)
    autocommit(driver, "MATCH (n) WHERE n.inForceFrom IS :: STRING "
               "CALL (n) { SET n.inForceFrom = date(n.inForceFrom) } IN TRANSACTIONS OF 10000 ROWS")
    for kind, statement in RELATIONSHIPS.items():
        for rows in batches(graph.rels[kind]):
            driver.execute_query(f"UNWIND $rows AS row {statement} {dates}", rows=rows)
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n) RETURN count(n) AS nodes } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } "
        "RETURN nodes, relationships")
    return {"nodes": records[0]["nodes"], "relationships": records[0]["relationships"]}
