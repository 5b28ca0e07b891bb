"""Fixtures: one real Neo4j for the whole session, and a clean or seeded graph per test.

Which Neo4j: NEO4J_URI when set (its graph is wiped: point it at a scratch database!);
otherwise testcontainers' Neo4j 5.26 when a Docker engine answers; otherwise the project's own
local server, instance "test" (separate from the demo's, so tests never wipe the demo).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j import Driver

from partnership_kb import config, db, migrate, model, seed
from partnership_kb.neo4j_server import LocalServer

TEST_INSTANCE = "test"


def _docker_engine_answers() -> bool:
    if not shutil.which("docker"):
        return False
    result = subprocess.run(["docker", "info"], capture_output=True, timeout=20)
    return result.returncode == 0


# The session's connection, for helpers that serve or query the API (which opens its own
# async driver from it) while tests hand them the sync driver fixture that says the graph's state.
SESSION: dict[str, config.Connection] = {}


@pytest.fixture(scope="session")
def connection() -> Iterator[config.Connection]:
    for conn in _connection():
        SESSION["connection"] = conn
        yield conn


def _connection() -> Iterator[config.Connection]:
    env = config.from_environment()
    if env:
        yield env
        return
    if _docker_engine_answers():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26-community") as container:
            yield config.Connection(container.get_connection_url(), "neo4j",
                                    container.password)
        return
    server = LocalServer(TEST_INSTANCE)
    yield server.start().connection()
    if os.environ.get("CI"):
        server.stop()


@pytest.fixture(scope="session")
def driver(connection: config.Connection) -> Iterator[Driver]:
    the_driver = db.open_driver(connection)
    records, _, _ = the_driver.execute_query(
        "CALL dbms.components() YIELD name, versions, edition "
        "RETURN name, versions[0] AS version, edition", database_=connection.database)
    REACHED.update(records[0].data(), uri=connection.uri)
    migrate.apply(the_driver, model.default(), connection.database)
    yield the_driver
    the_driver.close()


@pytest.fixture(scope="session")
def database(connection: config.Connection) -> str | None:
    return connection.database


class GraphState:
    """Whether the graph holds exactly the seed, so seeded tests load it only when needed."""

    seeded = False


def wipe(driver: Driver, database: str | None) -> None:
    with driver.session(database=database) as session:  # IN TRANSACTIONS needs an implicit one
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")\
            .consume()


@pytest.fixture
def graph(driver: Driver, database: str | None) -> Driver:
    """An empty graph (with the schema applied)."""
    wipe(driver, database)
    GraphState.seeded = False
    return driver


def ensure_seeded(driver: Driver, database: str | None) -> Driver:
    """Load the seed knowledge base unless the graph holds exactly it already."""
    if not GraphState.seeded:
        wipe(driver, database)
        seed.load_all(driver, database)
        GraphState.seeded = True
    return driver


@pytest.fixture
def seeded(driver: Driver, database: str | None) -> Driver:
    """The seed knowledge base, loaded once and reused while no test changes the graph.
    Tests using it must only read."""
    return ensure_seeded(driver, database)


REACHED: dict[str, str] = {}


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say which real server the session used, so a CI log shows it."""
    if REACHED:
        terminalreporter.write_line(
            f"Neo4j reached: {REACHED['name']} {REACHED['version']} {REACHED['edition']} "
            f"at {REACHED['uri']}")
