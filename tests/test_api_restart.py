"""The API outlives Neo4j: after a stop and start of the local server, queries answer again
without restarting the app; answers carry an ETag that changes with every load."""

from __future__ import annotations

import time

import httpx
import pytest
from neo4j import Driver

from partnership_kb import config, db
from partnership_kb.api.app import create_app
from partnership_kb.neo4j_server import LocalServer

from .conftest import ensure_seeded
from .live_server import free_port

QUERY = {"query": '{ partnership(id: "gloucestershire-conference") { name } }'}


def test_queries_answer_again_within_10_s_of_a_neo4j_restart(
        seeded: Driver, connection: config.Connection) -> None:
    if connection.local_instance is None:
        pytest.fail("This test restarts the project's local Neo4j; unset NEO4J_URI to run it.")
    import threading

    import uvicorn
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db.rediscover(connection)),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}/graphql"
    try:
        assert httpx.post(url, json=QUERY).json()["data"]["partnership"]
        local = LocalServer(connection.local_instance)
        local.stop()
        local.start()
        started = time.monotonic()
        answer: dict = {}
        while time.monotonic() - started < 10:
            answer = httpx.post(url, json=QUERY, timeout=10).json()
            if answer.get("data", {}).get("partnership"):
                break
            time.sleep(0.2)
        assert answer["data"]["partnership"] == {"name": "Gloucestershire Conference"}, answer
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    ensure_seeded(seeded, connection.database)


def test_etag_is_answered_304_until_a_load_changes_the_data(
        seeded: Driver, connection: config.Connection) -> None:
    from starlette.testclient import TestClient

    from partnership_kb.loader.write import BUMP_DATA_VERSION
    with TestClient(create_app(connection)) as client:
        first = client.post("/graphql", json=QUERY)
        tag = first.headers["etag"]
        again = client.post("/graphql", json=QUERY, headers={"If-None-Match": tag})
        assert again.status_code == 304
        other = client.post("/graphql", json={"query": "{ health { nodes } }"})
        assert other.headers["etag"] != tag  # the request is part of the tag
        seeded.execute_query(BUMP_DATA_VERSION, database_=connection.database)
        after = client.post("/graphql", json=QUERY, headers={"If-None-Match": tag})
        assert after.status_code == 200 and after.headers["etag"] != tag
