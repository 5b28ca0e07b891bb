"""interlocks and boardOverlaps are connections: walking their pages gives the whole set once,
each filter (asOf, area, dataset) gives what the seed's memberships say, computed here from
the raw memberships independently of the named queries, and `first` bounds what a page costs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import pytest
from neo4j import Driver

from partnership_kb import model, seed
from partnership_kb.api.cost import BUDGET
from partnership_kb.api.overlaps import CACHE
from partnership_kb.api.schema import MAX_PAGE
from partnership_kb.loader.write import unload
from partnership_kb.queries import QueryRunner

from .graphql_client import execute

# Every membership with what decides whether, and for whom, it counts.
RAW_MEMBERSHIPS = """
MATCH (m)-[r:MEMBER_OF]->(b:Partnership)
RETURN m.id AS member, b.id AS board, coalesce(r.datasets, []) AS datasets,
       [[r.inForceFrom, r.inForceUntil], [m.inForceFrom, m.inForceUntil],
        [b.inForceFrom, b.inForceUntil]] AS times,
       [(p:Person)-[h:HOLDS]->(m) | {id: p.id, times: [[h.inForceFrom, h.inForceUntil],
                                                       [p.inForceFrom, p.inForceUntil]]}]
         AS holders,
       [(b)-[:COVERS]->(:Area)-[:WITHIN*0..]->(a:Area) | a.id] AS areas
"""


@dataclass(frozen=True)
class Scope:
    """The arguments that choose which seats count."""

    as_of: str | None = None
    area: str | None = None
    dataset: str | None = None

    def arguments(self) -> str:
        given = {"asOf": self.as_of, "area": self.area, "dataset": self.dataset}
        return "".join(f', {k}: "{v}"' for k, v in given.items() if v is not None)


SCOPES = [Scope(), Scope(as_of="2009-06-01"), Scope(as_of="2011-09-29"),
          Scope(area="gloucestershire"), Scope(area="cheltenham"),
          Scope(dataset="seed/cheltenham-structures-2011"),
          Scope(dataset="seed/glos-prospectus-2008"),
          Scope(as_of="2011-09-29", area="gloucestershire",
                dataset="seed/cheltenham-structures-2011")]


def in_force(times: list[list[Any]], day: dt.date) -> bool:
    return all(start is not None and start.to_native() <= day and
               (until is None or until.to_native() >= day) for start, until in times)


def seats(driver: Driver, scope: Scope) -> dict[str, set[str]]:
    """Who each counted seat is for (a held post's holders, else the member) -> boards."""
    day = dt.date.fromisoformat(scope.as_of) if scope.as_of else None
    boards: dict[str, set[str]] = {}
    for row in driver.execute_query(RAW_MEMBERSHIPS)[0]:
        if (day and not in_force(row["times"], day)) or \
                (scope.area and scope.area not in row["areas"]) or \
                (scope.dataset and scope.dataset not in row["datasets"]):
            continue
        holders = [h["id"] for h in row["holders"] if not day or in_force(h["times"], day)]
        for who in holders or [row["member"]]:
            boards.setdefault(who, set()).add(row["board"])
    return boards


def expected(field: str, driver: Driver, scope: Scope) -> dict[Any, int]:
    """The rows the data says, each with its count: members on two or more boards, or pairs
    of boards sharing one or more members."""
    boards = seats(driver, scope)
    if field == "interlocks":
        return {who: len(on) for who, on in boards.items() if len(on) >= 2}
    pairs: dict[Any, int] = {}
    for on in boards.values():
        for pair in combinations(sorted(on), 2):
            pairs[pair] = pairs.get(pair, 0) + 1
    return pairs


SELECTIONS = {
    "interlocks": "count member { ... on Node { id } } boards { id }",
    "boardOverlaps": "count a { id } b { id } shared { ... on Node { id } }",
}


def key_of(field: str, item: dict[str, Any]) -> Any:
    if field == "interlocks":
        assert item["count"] == len(item["boards"])
        return item["member"]["id"]
    assert item["a"]["id"] < item["b"]["id"] and item["count"] == len(item["shared"])
    return (item["a"]["id"], item["b"]["id"])


def pages(driver: Driver, field: str, scope: Scope, first: int,
          sort: str | None = None) -> Iterator[dict[str, Any]]:
    """Every page of a field, following pageInfo.endCursor."""
    after, ordering = None, f", sort: {sort}" if sort else ""
    while True:
        cursor = f', after: "{after}"' if after else ""
        answer = execute(driver, f"{{ {field}(first: {first}{scope.arguments()}{ordering}"
                                 f"{cursor}) {{ totalCount pageInfo {{ hasNextPage endCursor }}"
                                 f" nodes {{ {SELECTIONS[field]} }} }} }}")
        assert not answer.errors, answer.errors
        # Both rank in Python once per data version (the first time, one read of the data
        # version and, unless the other field read them, one of the seats): every later page
        # is one round trip.
        assert answer.round_trips == 1 or (after is None and answer.round_trips in (2, 3)), \
            answer.round_trips
        page = answer.data[field]
        yield page
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("field", SELECTIONS)
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s.arguments().strip(", ") or "all")
def test_walking_the_pages_gives_what_the_data_says_once(seeded: Driver, field: str,
                                                         scope: Scope) -> None:
    walked = [item for page in pages(seeded, field, scope, first=3) for item in page["nodes"]]
    keys = [key_of(field, item) for item in walked]
    assert len(keys) == len(set(keys))
    assert {key: item["count"] for key, item in zip(keys, walked, strict=True)} == \
        expected(field, seeded, scope)
    totals = {page["totalCount"] for page in pages(seeded, field, scope, first=3)}
    assert totals == {len(keys)}
    counts = [item["count"] for item in walked]
    assert counts == sorted(counts, reverse=True)  # most boards, most shared first


def walk(driver: Driver, field: str, scope: Scope) -> dict[Any, int]:
    walked = [item for page in pages(driver, field, scope, first=3) for item in page["nodes"]]
    return {key_of(field, item): item["count"] for item in walked}


@pytest.mark.parametrize("scope", [Scope(), Scope(area="gloucestershire")],
                         ids=lambda s: s.arguments().strip(", ") or "all")
def test_a_load_between_two_requests_is_seen(graph: Driver, database: str | None,
                                              scope: Scope) -> None:
    """boardOverlaps keeps its ranked pairs per data version: an unload, then a load, between
    two requests give the pairs the data then says, not the kept ones."""
    seed.load_all(graph, database)
    before = walk(graph, "boardOverlaps", scope)
    assert before == expected("boardOverlaps", graph, scope)
    computed = CACHE.computations
    assert walk(graph, "boardOverlaps", scope) == before  # served from the kept ranking
    assert CACHE.computations == computed
    unload(graph, "seed/cheltenham-structures-2011", model.default(), database)
    after = walk(graph, "boardOverlaps", scope)
    assert after == expected("boardOverlaps", graph, scope) != before
    assert CACHE.computations == computed + 1
    seed.load_all(graph, database)
    assert walk(graph, "boardOverlaps", scope) == before


@pytest.mark.parametrize("field", SELECTIONS)
def test_each_filter_changes_the_set(seeded: Driver, field: str) -> None:
    everything = expected(field, seeded, Scope())
    for scope in SCOPES[1:]:
        assert expected(field, seeded, scope) != everything, scope


@pytest.mark.parametrize("field", SELECTIONS)
def test_sort_by_name_pages_the_same_set_in_name_order(seeded: Driver, field: str) -> None:
    by_count = [key_of(field, item) for page in pages(seeded, field, Scope(), first=7)
                for item in page["nodes"]]
    by_name = [key_of(field, item) for page in pages(seeded, field, Scope(), first=7, sort="NAME")
               for item in page["nodes"]]
    assert sorted(by_name) == sorted(by_count) and by_name != by_count


@pytest.mark.parametrize("field", SELECTIONS)
def test_a_page_over_the_limit_is_refused_before_it_runs(seeded: Driver, field: str) -> None:
    answer = execute(seeded, f"{{ {field}(first: {MAX_PAGE + 1}) {{ totalCount }} }}")
    assert answer.errors[0].message.startswith(f"first: {MAX_PAGE + 1} is outside 1..")
    assert answer.round_trips == 0


HEAVY = {
    "interlocks": "boards { members { role seats member { ... on Node { id name sources "
                  "{ document } } } } parts { members { role } } }",
    "boardOverlaps": "shared { ... on Person { boards { members { role seats member { "
                     "... on Node { id name sources { document } } } } parts { members "
                     "{ role } } } } }",
}


@pytest.mark.parametrize("field", HEAVY)
def test_first_bounds_what_a_page_costs(seeded: Driver, field: str) -> None:
    def ask(first: int) -> Any:
        return execute(seeded, f"{{ {field}(first: {first}) {{ nodes {{ {HEAVY[field]} }} }} }}")
    refused = ask(MAX_PAGE)
    assert refused.errors[0].extensions["code"] == "COST_LIMIT"
    assert f"the limit is {BUDGET:,}" in refused.errors[0].message
    assert refused.round_trips == 0
    small = ask(2)
    assert not small.errors, small.errors
    assert len(small.data[field]["nodes"]) == 2


@pytest.mark.parametrize("sort", ["SHARED", "NAME"])
@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: s.arguments().strip(", ") or "all")
def test_overlaps_come_in_the_order_the_cypher_query_gives(seeded: Driver, scope: Scope,
                                                           sort: str) -> None:
    """boardOverlaps ranks in Python; the named query board_overlaps (`pkb query`) ranks the
    same pairs in Cypher: both give the same pairs in the same order, with the same shared."""
    api = [(key_of("boardOverlaps", item), item["count"],
            [who["id"] for who in item["shared"]])
           for page in pages(seeded, "boardOverlaps", scope, first=7, sort=sort)
           for item in page["nodes"]]
    runner = QueryRunner(seeded)
    cypher = runner.run("board_overlaps", minShared=1, asOf=scope.as_of and
                        dt.date.fromisoformat(scope.as_of), area=scope.area,
                        dataset=scope.dataset, sort=sort, first=10_000)[0]
    assert api == [((row["a"]["id"], row["b"]["id"]), row["count"],
                    [who["id"] for who in row["shared"]]) for row in cypher["items"]]
    assert len(api) == cypher["totalCount"]
