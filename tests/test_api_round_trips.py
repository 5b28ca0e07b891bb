"""One Cypher round trip per root field, plus at most one batch per level of nesting."""

from __future__ import annotations

from neo4j import Driver
from starlette.testclient import TestClient

from partnership_kb.api.app import create_app

from .graphql_client import execute


def test_a_root_field_with_its_nested_shape_is_one_round_trip(seeded: Driver) -> None:
    answer = execute(seeded, """{ partnership(id: "gloucestershire-strategic-partnership") {
      name members { role member { __typename } } parts { id } partOf { id }
      accountableTo { frequency } } }""")
    assert answer.round_trips == 1


def test_outcome_with_actions_and_deliverers_is_one_round_trip(seeded: Driver) -> None:
    answer = execute(seeded, """{ outcome(code: "3.4") { actions { code }
      deliveredBy { via deliverer { __typename } } } }""")
    assert answer.round_trips == 1


def test_a_page_of_nodes_with_nested_lists_is_two_round_trips(seeded: Driver) -> None:
    answer = execute(seeded, """{ partnerships(first: 50) { nodes { id
      members { role } parts { id } accountableTo { frequency } } } }""")
    assert len(answer.data["partnerships"]["nodes"]) == 50
    assert answer.round_trips == 2


def test_each_deeper_level_adds_one_batch_not_one_per_item(seeded: Driver) -> None:
    answer = execute(seeded, """{ interlocks(minBoards: 2) {
      boards { members { member { ... on Post { holders { id } } } } } } }""")
    assert len(answer.data["interlocks"]) > 5
    assert answer.round_trips == 3


def test_several_root_fields_cost_one_each(seeded: Driver) -> None:
    answer = execute(seeded, """{ a: outcome(code: "3.4") { code }
      b: interlocks { count } c: health { nodes } }""")
    assert answer.round_trips == 3


def test_debug_mode_reports_round_trips_in_the_response(seeded: Driver) -> None:
    client = TestClient(create_app(seeded, debug=True))
    body = client.post("/graphql", json={"query": "{ health { nodes } }"}).json()
    assert body["extensions"] == {"cypherRoundTrips": 1}
    plain = TestClient(create_app(seeded)).post("/graphql",
                                                json={"query": "{ health { nodes } }"}).json()
    assert "extensions" not in plain
