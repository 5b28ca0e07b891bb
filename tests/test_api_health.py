"""The web app: GraphQL health, GraphiQL, the explorer placeholder, the health check."""

from __future__ import annotations

from neo4j import Driver

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
