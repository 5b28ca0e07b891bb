"""The web app: GraphQL health, GraphiQL, the explorer placeholder, the health check."""

from __future__ import annotations

import asyncio

import pytest
from neo4j import Driver
from neo4j.exceptions import CypherSyntaxError

from partnership_kb.api.database import Database

from .conftest import SESSION
from .graphql_client import http_client


def test_graphql_health_reports_neo4j_5_26_and_counts(graph: Driver, database) -> None:
    graph.execute_query("CREATE (:Organisation {id: 'a'})-[:PART_OF]->(:Organisation {id: 'b'})",
                        database_=database)
    with http_client(graph) as client:
        response = client.post("/graphql",
                               json={"query": "{ health { neo4jVersion nodes relationships } }"})
        assert response.status_code == 200
        health = response.json()["data"]["health"]
        assert health["neo4jVersion"].startswith("5.26.")
        assert (health["nodes"], health["relationships"]) == (2, 1)


def test_graphiql_is_served_to_browsers(driver: Driver, database) -> None:
    with http_client(driver) as client:
        page = client.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert "graphiql" in page.text.lower()


def test_health_check_answers_ok(driver: Driver, database) -> None:
    with http_client(driver) as client:
        response = client.get("/health")
        assert response.status_code == 200
        assert response.json()["status"] == "ok"


def test_root_serves_a_page(driver: Driver, database) -> None:
    with http_client(driver) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "Partnership KB" in page.text


def test_sessions_are_reused_and_a_failed_one_is_not(driver: Driver, database) -> None:
    """Reads reuse idle sessions (one each for reads at once), and a session whose query
    failed is closed, not handed to the next request, which answers."""
    async def run() -> None:
        db = Database(lambda: SESSION["connection"])
        try:
            for _ in range(3):
                assert (await db.read("RETURN 1 AS one", {}))[0]["one"] == 1
            assert len(db._idle) == 1
            together = await asyncio.gather(*(db.read("RETURN $n AS n", {"n": n})
                                              for n in range(4)))
            assert [rows[0]["n"] for rows in together] == [0, 1, 2, 3]
            assert len(db._idle) == 4
            with pytest.raises(CypherSyntaxError):
                await db.read("RETURN RETURN", {})
            assert len(db._idle) == 3  # the failed one was closed
            assert (await db.read("RETURN 2 AS two", {}))[0]["two"] == 2
        finally:
            await db.close()
        assert db._idle == [] and db._retired == []
    asyncio.run(run())
