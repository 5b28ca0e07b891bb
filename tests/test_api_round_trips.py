"""One Cypher round trip per root field, whatever the nesting; lookups use indexes."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from .graphql_client import execute, http_client

NESTED = [
    """{ partnership(id: "gloucestershire-strategic-partnership") {
      name members { role member { __typename } } parts { id } partOf { id }
      accountableTo { frequency } } }""",
    """{ outcome(code: "3.4", strategy: "gloucester-sustainable-community-strategy") {
      actions { code } deliveredBy { via deliverer { __typename } } } }""",
    """{ partnerships(first: 50) { nodes { id members { role } parts { id }
      accountableTo { frequency } } } }""",
    """{ interlocks(minBoards: 2) { totalCount pageInfo { endCursor } edges { cursor node {
      boards { members { member { ... on Post { holders { id } } } } } } } } }""",
]


@pytest.mark.parametrize("query", NESTED)
def test_any_nesting_below_a_root_field_is_one_round_trip(seeded: Driver, query: str) -> None:
    first, again = execute(seeded, query), execute(seeded, query)
    assert not first.errors, first.errors
    assert again.round_trips == 1
    # interlocks ranks once per data version (reading the version and the seats), then pages
    # the kept ranking: the page, nested however deep, is one round trip.
    assert first.round_trips == 1 or (query.startswith("{ interlocks")
                                      and first.round_trips <= 3)


def test_several_root_fields_cost_one_each(seeded: Driver) -> None:
    execute(seeded, "{ interlocks { totalCount } }")  # its ranking made: see above
    answer = execute(seeded, """{ a: outcome(code: "3.4", strategy:
      "gloucester-sustainable-community-strategy") { code } b: interlocks { totalCount }
      c: health { nodes } }""")
    assert answer.round_trips == 3


def test_debug_mode_reports_the_cypher_in_the_response(seeded: Driver) -> None:
    with http_client(seeded, debug=True) as client:
        body = client.post("/graphql", json={"query": "{ health { nodes } }"}).json()
    assert body["extensions"]["cypherRoundTrips"] == 1
    assert "CALL dbms.components()" in body["extensions"]["cypher"][0]["query"]
    with http_client(seeded) as client:
        plain = client.post("/graphql", json={"query": "{ health { nodes } }"}).json()
    assert "extensions" not in plain


def operators(plan: dict[str, Any]) -> list[str]:
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += operators(child)
    return found


LOOKUPS = [
    ('{ partnership(id: "gloucestershire-conference") { name } }', "NodeUniqueIndexSeek"),
    ('{ node(id: "gloucestershire-conference") { name } }', "NodeUniqueIndexSeek"),
    ('{ partnership(name: "gloucestershire conference") { name } }', "ProcedureCall"),
    ('{ organisation(name: "GCC") { name } }', "ProcedureCall"),
    ('{ outcome(code: "3.4", strategy: "gloucester-sustainable-community-strategy") { code } }',
     "NodeIndexSeek"),
]


@pytest.mark.parametrize(("query", "seek"), LOOKUPS)
def test_lookups_use_an_index_not_a_scan(seeded: Driver, query: str, seek: str) -> None:
    answer = execute(seeded, query)
    assert not answer.errors, answer.errors
    sent = answer.cypher[0]
    plan = seeded.execute_query("EXPLAIN " + sent["query"], sent["params"]).summary.plan
    found = operators(plan)
    assert seek in found, found
    assert not {"AllNodesScan", "NodeByLabelScan"} & set(found), found

