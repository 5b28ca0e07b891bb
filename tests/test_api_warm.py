"""The server counts the whole graph's seats again after each load, before anyone asks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from starlette.testclient import TestClient

from partnership_kb import config, loader, model
from partnership_kb.api import interlocks as api_interlocks
from partnership_kb.api.app import create_app
from partnership_kb.api.seats import SEATS
from partnership_kb.api.warm import WHOLE_GRAPH
from partnership_kb.seats import Level

from .conftest import SESSION
from .district_data import BASE
from .workbooks import write_xlsx

INTERLOCKS = ("{ interlocks(minBoards: 1, first: 5) { totalCount "
              "nodes { count member { ... on Node { id } } boards { id } } } }")
QUESTION = api_interlocks.Question(Level.MEMBER, WHOLE_GRAPH)


def data_version(driver: Driver) -> str:
    records, _, _ = driver.execute_query("MATCH (v:DataVersion {id: 'graph'}) RETURN v.version "
                                         "AS version")
    return str(records[0]["version"])


def ranked_on(version: str) -> bool:
    return api_interlocks.CACHE.get(version, QUESTION) is not None


def wait_for(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not counted in the background in time"
        time.sleep(0.05)


def load(driver: Driver, tmp_path: Path, dataset: str) -> str:
    loader.load(write_xlsx(tmp_path / f"{dataset.replace('/', '-')}.xlsx", BASE), "seed",
                model.default(), driver, dataset=dataset)
    return data_version(driver)


def ask(client: TestClient) -> Any:
    body = client.post("/graphql", json={"query": INTERLOCKS}).json()
    assert "errors" not in body, body
    return body["data"]


def test_the_first_page_after_a_load_is_served_from_seats_counted_ahead(
        graph: Driver, tmp_path: Path) -> None:
    version = load(graph, tmp_path, "test/base")
    with TestClient(create_app(SESSION["connection"], warm_every=0.05)) as client:
        wait_for(lambda: ranked_on(version))
        read, ranked = SEATS.computations, api_interlocks.CACHE.computations
        answer = ask(client)
        assert (SEATS.computations, api_interlocks.CACHE.computations) == (read, ranked)
        assert answer["interlocks"]["totalCount"] > 0
        # What was counted ahead is what the request would count itself.
        for cache in (SEATS, api_interlocks.CACHE):
            cache.forget()
        assert ask(client) == answer
        assert api_interlocks.CACHE.computations == ranked + 1
        # Another load: counted again, unasked.
        assert ranked_on(again := load(graph, tmp_path, "test/again")) is False
        wait_for(lambda: ranked_on(again))


def test_counting_ahead_outlives_a_lost_database(graph: Driver, tmp_path: Path,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """While the database does not answer, the server keeps looking (and says so once);
    once it answers again, a load is counted ahead as before."""
    dead = config.Connection("bolt://127.0.0.1:1", "neo4j", "x")
    found = [dead]
    with caplog.at_level(logging.WARNING, logger="partnership_kb.warm"), \
            TestClient(create_app(lambda: found[0], warm_every=0.05)) as client:
        time.sleep(0.5)  # some looks fail
        assert client.get("/health").status_code == 503
        found[0] = SESSION["connection"]
        version = load(graph, tmp_path, "test/base")
        wait_for(lambda: ranked_on(version))
        assert client.get("/health").status_code == 200
    said = [record.getMessage().split(" (")[0] for record in caplog.records
            if record.name == "partnership_kb.warm"]
    assert said == ["Could not count the seats ahead of requests",
                    "Counting the seats ahead of requests again."]
