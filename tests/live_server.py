"""A real uvicorn serving the app on a free loopback port, for end-to-end tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from neo4j import Driver

from partnership_kb.api.app import create_app

from .conftest import SESSION


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(driver: Driver, database: str | None = None, debug: bool = False,
            read_key: str | None = None) -> Iterator[str]:
    """Serve the app in a background thread over the session's Neo4j (`driver`, the fixture,
    says which state the graph is in); yields its base URL (http://127.0.0.1:PORT)."""
    port = free_port()
    app = create_app(SESSION["connection"], debug=debug, read_key=read_key)
    config = uvicorn.Config(app, host="127.0.0.1",
                            port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
