"""`pkb query` runs the API's named queries from a terminal."""

from __future__ import annotations

import csv
import io
import json

from neo4j import Driver
from typer.testing import CliRunner

from partnership_kb.cli import app
from partnership_kb.config import Connection


def run(connection: Connection, *args: str):
    env = {"NEO4J_URI": connection.uri, "NEO4J_PASSWORD": connection.password,
           "COLUMNS": "200"}
    return CliRunner().invoke(app, ["query", *args], env=env)


def test_query_prints_json(seeded: Driver, connection: Connection) -> None:
    result = run(connection, "interlocks", "--param", "minBoards=3", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all(len(row["boards"]) >= 3 for row in rows) and rows


def test_query_prints_csv_with_nodes_by_name(seeded: Driver, connection: Connection) -> None:
    result = run(connection, "accountability_chain", "-p",
                 "id=positive-participation-partnership", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {"step": "1", "target": "Strategic Leadership Group",
            "frequency": "6-monthly"}.items() \
        <= next(r for r in rows if r["target"] == "Strategic Leadership Group").items()


def test_query_show_prints_the_cypher_the_api_runs(connection: Connection) -> None:
    result = run(connection, "interlocks", "--show")
    assert result.exit_code == 0
    assert result.output.startswith("// name: interlocks")
