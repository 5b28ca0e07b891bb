"""Connection errors are one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from partnership_kb import config

PKB = [sys.executable, "-m", "partnership_kb"]


def run_pkb(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PKB, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env})


def test_unreachable_uri_fails_with_one_line(tmp_path: Path) -> None:
    result = run_pkb("serve", NEO4J_URI="bolt://127.0.0.1:1")
    assert result.returncode == 3
    first = result.stderr.strip().splitlines()[0]
    assert first.startswith("Error: Cannot reach Neo4j at bolt://127.0.0.1:1")
    assert "Traceback" not in result.stderr


def test_wrong_password_fails_with_one_line(connection: config.Connection) -> None:
    result = run_pkb("stats", NEO4J_URI=connection.uri, NEO4J_PASSWORD="wrong-password")
    assert result.returncode == 3
    assert result.stderr.startswith(f"Error: Neo4j at {connection.uri} refused user 'neo4j'")
    assert "Traceback" not in result.stderr


def test_malformed_uri_fails_with_one_line() -> None:
    result = run_pkb("stats", NEO4J_URI="http://127.0.0.1:7474")
    assert result.returncode == 3
    assert "is not a Neo4j URI" in result.stderr
    assert "Traceback" not in result.stderr
