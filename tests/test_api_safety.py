"""The API is safe to expose: bounded requests, clear rejections, masked internal errors."""

from __future__ import annotations

import logging

from neo4j import Driver, GraphDatabase
from starlette.testclient import TestClient

from partnership_kb.api.app import create_app
from partnership_kb.api.schema import MAX_ALIASES, MAX_DEPTH, MAX_PAGE

from .graphql_client import execute


def post(driver: Driver, query: str) -> dict:
    client = TestClient(create_app(driver))
    response = client.post("/graphql", json={"query": query})
    return response.json()


def test_malformed_query_is_an_error_with_its_location(driver: Driver) -> None:
    errors = post(driver, "{ partnership(id: ) { id } }")["errors"]
    assert errors[0]["message"].startswith("Syntax Error")
    assert errors[0]["locations"] == [{"line": 1, "column": 19}]


def test_unknown_field_names_the_field(driver: Driver) -> None:
    errors = post(driver, "{ partnership(id: \"x\") { colour } }")["errors"]
    assert errors[0]["message"] == "Cannot query field 'colour' on type 'Partnership'."


def test_too_deep_query_is_rejected(driver: Driver) -> None:
    nested = "parts { " * (MAX_DEPTH + 1) + "id" + " }" * (MAX_DEPTH + 1)
    errors = post(driver, f'{{ partnership(id: "x") {{ {nested} }} }}')["errors"]
    assert f"exceeds maximum operation depth of {MAX_DEPTH}" in errors[0]["message"]


def test_too_many_aliases_are_rejected_even_through_fragments(driver: Driver) -> None:
    aliases = " ".join(f"a{i}: id" for i in range(MAX_ALIASES + 1))
    query = f'{{ node(id: "x") {{ ...F }} }} fragment F on Node {{ {aliases} }}'
    errors = post(driver, query)["errors"]
    assert "aliases found" in errors[0]["message"]


def test_oversized_page_is_refused_clearly(seeded: Driver) -> None:
    answer = execute(seeded, f"{{ organisations(first: {MAX_PAGE + 1}) {{ totalCount }} }}")
    assert answer.errors[0].message == (
        f"first: {MAX_PAGE + 1} is outside 1..{MAX_PAGE}; ask for at most {MAX_PAGE} per page "
        "and follow pageInfo.endCursor.")
    assert answer.round_trips == 0


def test_neo4j_outage_is_masked_and_health_check_says_503(caplog) -> None:
    dead = GraphDatabase.driver("bolt://127.0.0.1:1", auth=("neo4j", "x"),
                                connection_timeout=1.0, max_transaction_retry_time=1.0)
    client = TestClient(create_app(dead))
    with caplog.at_level(logging.ERROR, logger="partnership_kb.api"):
        body = client.post("/graphql", json={"query": "{ health { nodes } }"}).json()
    error = body["errors"][0]
    assert error["message"].startswith("Internal error ")
    assert "Traceback" not in str(body) and "bolt://" not in str(body)
    error_id = error["extensions"]["errorId"]
    assert any(error_id in record.getMessage() for record in caplog.records)
    assert client.get("/health").status_code == 503
    dead.close()


def test_graphiql_is_on(driver: Driver) -> None:
    page = TestClient(create_app(driver)).get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" in page.text.lower()
