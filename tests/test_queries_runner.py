"""Named queries run read-only, with a timeout, with defaults from their headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver
from neo4j.exceptions import ClientError, Neo4jError

from partnership_kb import queries

from .helpers import value


def named(tmp_path: Path, name: str, cypher: str, params: str = "none") -> queries.NamedQuery:
    path = tmp_path / f"{name}.cypher"
    path.write_text(f"// name: {name}\n// purpose: test\n// params: {params}\n"
                    f"// returns: rows\n// used by: tests\n{cypher}\n")
    return queries.parse(path)


def test_a_write_through_the_runner_is_refused(graph: Driver, tmp_path: Path) -> None:
    evil = named(tmp_path, "evil", "CREATE (n:Evil) RETURN n")
    runner = queries.QueryRunner(graph, queries={"evil": evil})
    with pytest.raises(ClientError, match="read"):
        runner.run("evil")
    assert value(graph, "MATCH (n:Evil) RETURN count(n)") == 0


def test_a_runaway_query_is_stopped_by_the_timeout(driver: Driver, tmp_path: Path) -> None:
    slow = named(tmp_path, "slow", "UNWIND range(1, 1000000000) AS x "
                                   "WITH x WHERE x % 7 = 100 RETURN count(x)")
    runner = queries.QueryRunner(driver, timeout=0.5, queries={"slow": slow})
    with pytest.raises(Neo4jError, match="(?i)terminated|timed out|timeout"):
        runner.run("slow")


def test_defaults_come_from_the_header_and_unknown_parameters_are_refused(
        driver: Driver, tmp_path: Path) -> None:
    echo = named(tmp_path, "echo", "RETURN $n AS n, $d AS d",
                 params="$n: Int = 3 - a number\n// params: $d: [String] = [] - some text")
    runner = queries.QueryRunner(driver, queries={"echo": echo})
    assert runner.run("echo") == [{"n": 3, "d": []}]
    with pytest.raises(queries.BadParameters, match="has no parameter colour"):
        runner.run("echo", colour="red")
