"""The local server: provisioned from Maven Central, real, idempotent, recoverable."""

from __future__ import annotations

import os
import signal
import stat
import time
from pathlib import Path

import pytest
from neo4j import Driver

from partnership_kb import config
from partnership_kb.errors import ServerStartError
from partnership_kb.neo4j_server import LocalServer

from .helpers import value


def test_server_is_neo4j_5_26_community(driver: Driver) -> None:
    version = value(driver, "CALL dbms.components() YIELD versions RETURN versions[0]")
    edition = value(driver, "CALL dbms.components() YIELD edition RETURN edition")
    assert version.startswith("5.26.")
    assert edition == "community"


@pytest.fixture
def scratch_server(tmp_path, monkeypatch) -> LocalServer:
    """A throwaway instance in its own state directory, stopped afterwards."""
    monkeypatch.setenv("PKB_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("PKB_NEO4J_HEAP", "256m")
    monkeypatch.setenv("PKB_NEO4J_PAGECACHE", "64m")
    server = LocalServer("scratch")
    yield server
    server.stop()


def test_start_is_idempotent_and_downloads_nothing_twice(scratch_server: LocalServer) -> None:
    first = scratch_server.start()
    jars = scratch_server.runtime / "complete"
    jars_mtime = jars.stat().st_mtime
    second = scratch_server.start()
    assert second.pid == first.pid
    assert second.bolt_port == first.bolt_port
    assert jars.stat().st_mtime == jars_mtime


def test_password_is_generated_and_private(scratch_server: LocalServer) -> None:
    info = scratch_server.start()
    password_file = config.state_dir("scratch") / "password"
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert len(info.password) >= 24
    assert info.password not in (scratch_server.home / "conf" / "neo4j.conf").read_text()


def test_crashed_server_is_restarted_by_next_start(scratch_server: LocalServer) -> None:
    crashed = scratch_server.start()
    os.kill(crashed.pid, signal.SIGKILL)
    time.sleep(0.5)
    assert scratch_server.info() is None
    restarted = scratch_server.start()
    assert restarted.pid != crashed.pid
    assert scratch_server.info() is not None


def test_a_restart_keeps_its_ports(scratch_server: LocalServer) -> None:
    first = scratch_server.start()
    scratch_server.stop()
    again = scratch_server.start()
    assert (again.bolt_port, again.http_port) == (first.bolt_port, first.http_port)


def test_stop_is_clean(scratch_server: LocalServer) -> None:
    info = scratch_server.start()
    assert scratch_server.stop() is True
    assert scratch_server.info() is None
    assert not running(info.pid)
    assert scratch_server.stop() is False


def running(pid: int) -> bool:
    """Whether the process still runs: gone, or exited and waiting for its parent (not this
    process) to reap it (a zombie, which still answers kill(pid, 0)), is not running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_failed_start_names_the_log_and_its_last_lines(scratch_server: LocalServer,
                                                       monkeypatch) -> None:
    scratch_server.start()  # provisioned once, so the failure below is the server's own
    scratch_server.stop()
    monkeypatch.setenv("PKB_NEO4J_HEAP", "not-a-size")
    with pytest.raises(ServerStartError) as failure:
        scratch_server.start(timeout=60)
    message = str(failure.value)
    assert str(scratch_server.log_file) in message
    assert "last lines" in message
