"""GraphQL interlocks (ranked in Python from board_seats) and boardOverlaps give exactly what
the named queries `interlocks` and `board_overlaps` (ranked in Cypher alone) give: totalCount,
order, counts and boards, for every level, sort, minBoards and scope, on the seed and on a
generated graph of namesakes, held and vacant posts, times and datasets. And cold whole-graph
work takes its turn: a question that cannot get one is told to narrow it."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from itertools import product
from typing import Any

import pytest
from neo4j import Driver

from partnership_kb.api import gate, operation
from partnership_kb.api import interlocks as api_interlocks
from partnership_kb.api import overlaps as api_overlaps
from partnership_kb.api.context import Context
from partnership_kb.api.database import Database
from partnership_kb.api.schema import GRAPHQL
from partnership_kb.api.seats import SEATS
from partnership_kb.queries import QueryRunner

from .conftest import SESSION
from .graphql_client import QUERIES, execute

LEVELS = ["MEMBER", "ORGANISATION"]
SORTS = ["BOARDS", "NAME"]
INTERLOCK = "count member { __typename ... on Node { id } } boards { id }"
OVERLAP = "count a { id } b { id } shared { ... on Node { id } }"
PAGE = [100]  # the page size walked: small pages on the small generated graph


def walk(driver: Driver, field: str, arguments: str, selection: str) -> tuple[int, list[Any]]:
    """totalCount and every item of a field, page after page."""
    items, after = [], None
    while True:
        cursor = f', after: "{after}"' if after else ""
        answer = execute(driver, f"{{ {field}(first: {PAGE[0]}{arguments}{cursor}) {{ totalCount "
                                 f"pageInfo {{ hasNextPage endCursor }} nodes {{ {selection} }}"
                                 " } }")
        assert not answer.errors, answer.errors
        page = answer.data[field]
        items += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return page["totalCount"], items
        after = page["pageInfo"]["endCursor"]


def arguments(given: dict[str, Any]) -> str:
    return "".join(f', {k}: "{v}"' if isinstance(v, str) and k in ("asOf", "area", "dataset")
                   else f", {k}: {v}" for k, v in given.items() if v is not None)


def same_interlocks(driver: Driver, runner: QueryRunner, level: str, sort: str,
                    min_boards: int, as_of: str | None, area: str | None,
                    dataset: str | None) -> int:
    """Assert the API and the named query agree; the number of interlocks."""
    given = {"minBoards": min_boards, "level": level, "sort": sort, "asOf": as_of,
             "area": area, "dataset": dataset}
    total, items = walk(driver, "interlocks", arguments(given), INTERLOCK)
    cypher = runner.run("interlocks", **{**given, "asOf": as_of and dt.date.fromisoformat(
        as_of)}, first=100_000)[0]
    api = [(i["member"]["id"], i["count"], [b["id"] for b in i["boards"]]) for i in items]
    assert api == [(row["member"]["id"], row["count"], [b["id"] for b in row["boards"]])
                   for row in cypher["items"]], given
    assert total == cypher["totalCount"] == len(api), given
    return total


def same_overlaps(driver: Driver, runner: QueryRunner, sort: str, min_shared: int,
                  as_of: str | None, area: str | None, dataset: str | None) -> int:
    given = {"minShared": min_shared, "sort": "SHARED" if sort == "BOARDS" else sort,
             "asOf": as_of, "area": area, "dataset": dataset}
    total, items = walk(driver, "boardOverlaps", arguments(given), OVERLAP)
    cypher = runner.run("board_overlaps", **{**given, "asOf": as_of and dt.date.fromisoformat(
        as_of)}, first=100_000)[0]
    api = [(i["a"]["id"], i["b"]["id"], i["count"], [w["id"] for w in i["shared"]])
           for i in items]
    assert api == [(row["a"]["id"], row["b"]["id"], row["count"],
                    [w["id"] for w in row["shared"]]) for row in cypher["items"]], given
    assert total == cypher["totalCount"] == len(api), given
    return total


SEED_SCOPES = [(None, None, None), ("2009-06-01", None, None), ("2011-09-29", None, None),
               (None, "gloucestershire", None), (None, "cheltenham", None),
               (None, None, "seed/cheltenham-structures-2011"),
               ("2011-09-29", "gloucestershire", "seed/cheltenham-structures-2011")]


@pytest.mark.parametrize("level", LEVELS)
def test_interlocks_rank_as_the_cypher_query_does_on_the_seed(seeded: Driver,
                                                              level: str) -> None:
    runner = QueryRunner(seeded)
    totals = [same_interlocks(seeded, runner, level, sort, min_boards, *scope)
              for sort, min_boards, scope in product(SORTS, [1, 2, 3], SEED_SCOPES)]
    assert max(totals) > 100 and 0 in totals  # several pages, and none at all, both tried


# -- a generated graph --------------------------------------------------------------------------

DAYS = [dt.date(2006, 1, 1), dt.date(2009, 6, 1), dt.date(2011, 9, 29), dt.date(2014, 1, 1)]
NAMES = ["John Smith", "john smith", "Sarah Khan", "Åsa Berg", "Zoe Lee", "Chair", "chair",
         "Chief Executive", None]
DATASETS = ["gen/a", "gen/b"]
AREAS = ["gen-county", "gen-north", "gen-south", "gen-parish"]


def times(rng: random.Random) -> dict[str, Any]:
    """When a fact is in force: mostly always, sometimes from or until a day, sometimes never
    (a proposal has no inForceFrom)."""
    shape = rng.random()
    if shape < 0.55:
        return {"inForceFrom": dt.date(2000, 1, 1), "inForceUntil": None}
    if shape < 0.9:
        start = rng.choice(DAYS[:3])
        return {"inForceFrom": start,
                "inForceUntil": rng.choice([None, *[d for d in DAYS if d > start]])}
    return {"inForceFrom": None, "inForceUntil": None}


def generated(seed: int) -> dict[str, list[dict[str, Any]]]:
    """Nodes and relationships of a random graph with the shapes the questions care about."""
    rng = random.Random(seed)

    def named(prefix: str, count: int) -> list[dict[str, Any]]:
        return [{"id": f"{prefix}-{i:02d}", "name": rng.choice(NAMES), **times(rng)}
                for i in range(count)]
    boards = named("board", 18)
    orgs, posts, people = named("org", 6), named("post", 30), named("person", 40)
    members = ([("Person", p["id"]) for p in people] + [("Post", p["id"]) for p in posts]
               + [("Organisation", o["id"]) for o in orgs]
               + [("Partnership", b["id"]) for b in boards[:4]])
    seats = [{"label": label, "member": id_, "board": board["id"],
              "datasets": rng.sample(DATASETS, rng.randint(1, 2)), **times(rng)}
             for label, id_ in rng.sample(members, 60)
             for board in rng.sample(boards, rng.choice([1, 1, 2, 3, 4, 6]))]
    return {
        "boards": boards, "orgs": orgs, "posts": posts, "people": people, "seats": seats,
        "covers": [{"board": b["id"], "area": rng.choice(AREAS)} for b in boards],
        "postIn": [{"post": p["id"], "label": label, "at": at} for p in posts
                   for label, at in [rng.choice([("Organisation", o["id"]) for o in orgs]
                                                + [("Partnership", boards[0]["id"])])]
                   if rng.random() < 0.85],
        "holds": [{"person": rng.choice(people)["id"], "post": p["id"], **times(rng)}
                  for p in posts for _ in range(rng.choice([0, 1, 1, 2]))],
    }


WRITE = """
UNWIND ['gen-county', 'gen-north', 'gen-south', 'gen-parish'] AS id
CREATE (:Area {id: id, name: id})
WITH count(*) AS done
MATCH (c:Area {id: 'gen-county'}), (n:Area {id: 'gen-north'}), (s:Area {id: 'gen-south'}),
      (p:Area {id: 'gen-parish'})
CREATE (n)-[:WITHIN]->(c), (s)-[:WITHIN]->(c), (p)-[:WITHIN]->(n)
WITH count(*) AS done
UNWIND $g.boards AS x CREATE (b:Partnership) SET b = x
WITH count(*) AS done
UNWIND $g.orgs AS x CREATE (o:Organisation) SET o = x
WITH count(*) AS done
UNWIND $g.posts AS x CREATE (p:Post) SET p = x
WITH count(*) AS done
UNWIND $g.people AS x CREATE (p:Person) SET p = x
WITH count(*) AS done
UNWIND $g.covers AS x MATCH (b:Partnership {id: x.board}), (a:Area {id: x.area})
CREATE (b)-[:COVERS]->(a)
WITH count(*) AS done
UNWIND $g.postIn AS x MATCH (p:Post {id: x.post})
MATCH (at {id: x.at}) WHERE x.label IN labels(at) CREATE (p)-[:POST_IN]->(at)
WITH count(*) AS done
UNWIND $g.holds AS x MATCH (p:Person {id: x.person}), (post:Post {id: x.post})
CREATE (p)-[:HOLDS {inForceFrom: x.inForceFrom, inForceUntil: x.inForceUntil}]->(post)
WITH count(*) AS done
UNWIND $g.seats AS x MATCH (b:Partnership {id: x.board})
MATCH (m {id: x.member}) WHERE x.label IN labels(m)
CREATE (m)-[:MEMBER_OF {datasets: x.datasets, inForceFrom: x.inForceFrom,
                        inForceUntil: x.inForceUntil}]->(b)
WITH count(*) AS done
CREATE (:DataVersion {id: 'graph', version: $version})
"""
GENERATED_SCOPES = list(product([None, "2009-06-01", "2011-09-29"],
                                [None, "gen-county", "gen-north"], [None, "gen/a"]))


@pytest.mark.parametrize("seed", [1, 2])
def test_interlocks_and_overlaps_rank_as_the_cypher_queries_do_on_a_generated_graph(
        graph: Driver, seed: int) -> None:
    graph.execute_query(WRITE, g=generated(seed), version=str(uuid.uuid4()))
    runner = QueryRunner(graph)
    PAGE[0] = 15
    totals = [same_interlocks(graph, runner, level, sort, min_boards, *scope)
              for level, sort, min_boards, scope in product(LEVELS, SORTS, [1, 2, 4],
                                                            GENERATED_SCOPES)]
    pairs = [same_overlaps(graph, runner, sort, min_shared, *scope)
             for sort, min_shared, scope in product(SORTS, [1, 2], GENERATED_SCOPES)]
    PAGE[0] = 100
    assert min(totals) == 0 and max(totals) > 2 * 15  # none at all, and several pages, tried
    assert max(pairs) > 2 * 15


def test_board_seats_sends_its_columns_aligned_when_members_and_holders_have_no_name(
        graph: Driver) -> None:
    # collect() drops nulls: a nameless member or holder must still have its place in the
    # columns (its id stands for its name, as interlocks sorts), or every later one would be
    # counted under another's name.
    generation = generated(1)
    graph.execute_query(WRITE, g=generation, version=str(uuid.uuid4()))
    found = QueryRunner(graph).run("board_seats")[0]
    members = list(zip(found["labels"], found["ids"], found["names"], strict=True))
    assert len(found["seats"]) == len(members)
    holders = list(zip(found["held"], found["holders"], found["holderNames"], strict=True))
    names = {(label, node["id"]): node["name"] for label, kind in
             (("Person", "people"), ("Post", "posts"), ("Organisation", "orgs"),
              ("Partnership", "boards")) for node in generation[kind]}
    labels = ["Person", "Post", "Organisation", "Partnership"]
    assert [name for _, _, name in members] == [
        names[(labels[label], id_)] or id_ for label, id_, _ in members]
    assert [name for _, _, name in holders] == [
        names[("Person", person)] or person for _, person, _ in holders]
    nameless = [id_ for label, id_, _ in members if names[(labels[label], id_)] is None]
    assert nameless and any(names[("Person", person)] is None for _, person, _ in holders)


# -- taking turns ---------------------------------------------------------------------------------

def ask_concurrently(*queries: str, hold_gate: bool = False) -> list[Any]:
    """Run queries at once in one event loop (as one server does), optionally while every
    whole-graph slot is held by someone else."""
    async def run() -> list[Any]:
        database = Database(lambda: SESSION["connection"])
        try:
            async def all_of() -> list[Any]:
                return list(await asyncio.gather(*(operation.run(GRAPHQL, q, Context(
                    database, QUERIES)) for q in queries)))
            if not hold_gate:
                return await all_of()
            async with gate.whole_graph():
                return await all_of()
        finally:
            await database.close()
    return asyncio.run(run())


def forget() -> None:
    for cache in (SEATS, api_interlocks.CACHE, api_overlaps.CACHE):
        cache.forget()


def test_interlocks_and_overlaps_over_one_scope_read_the_seats_once(seeded: Driver) -> None:
    forget()
    before = SEATS.computations
    answers = ask_concurrently(
        '{ interlocks(area: "gloucestershire") { totalCount } }',
        '{ boardOverlaps(area: "gloucestershire") { totalCount } }',
        '{ interlocks(area: "gloucestershire", minBoards: 3, sort: NAME) { totalCount } }')
    assert [a.errors for a in answers] == [[]] * 3
    assert SEATS.computations == before + 1
    assert answers[0].data["interlocks"]["totalCount"] > \
        answers[2].data["interlocks"]["totalCount"] > 0


def test_a_question_that_cannot_get_its_turn_is_told_to_narrow_it(
        seeded: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate, "SLOTS", 1)
    monkeypatch.setattr(gate, "WAIT", 0.2)
    forget()
    refused = ask_concurrently('{ interlocks(area: "cheltenham") { totalCount } }',
                               hold_gate=True)[0]
    assert refused.errors[0].message == (
        "Other whole-graph questions kept the server busy for 0.2 s. Ask again in a moment, "
        "or narrow it: an area, a dataset.")
    # Once the slot is free, the same question is answered; a kept answer needs no turn.
    assert not ask_concurrently('{ interlocks(area: "cheltenham") { totalCount } }')[0].errors
    kept = ask_concurrently('{ interlocks(area: "cheltenham") { totalCount } }',
                            hold_gate=True)[0]
    assert not kept.errors and kept.data["interlocks"]["totalCount"] > 0
