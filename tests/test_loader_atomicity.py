"""A load is all or nothing: a connection cut half-way leaves the graph exactly as it was."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import DriverError

from partnership_kb import loader, model
from partnership_kb.config import Connection

from .helpers import snapshot
from .tcp_proxy import CuttableProxy
from .workbooks import write_csv_folder


def big_return(size: int) -> dict[str, list[list[object]]]:
    """A district return with ``size`` posts and memberships: several write batches."""
    posts = [["id", "title", "sources"]] + [[f"post-{i}", f"Post {i}", ""] for i in range(size)]
    members = [["member", "body", "role"]] + [[f"post-{i}", "big-board", "member"]
                                              for i in range(size)]
    return {"partnerships": [["id", "name", "kind"], ["big-board", "Big Board", "board"]],
            "posts": posts, "memberships": members}


def test_connection_cut_mid_load_leaves_graph_unchanged(graph: Driver, connection: Connection,
                                                        tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "small", big_return(10))
    loader.load(folder, "seed", model.default(), graph, dataset="test/small")
    before = snapshot(graph)

    target = urlparse(connection.uri)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 7687,
                          cut_after=400_000)  # past the handshake, inside the write batches
    cut_driver = GraphDatabase.driver(f"bolt://127.0.0.1:{proxy.port}",
                                      auth=(connection.user, connection.password),
                                      max_transaction_retry_time=2.0, connection_timeout=2.0)
    big = write_csv_folder(tmp_path / "big", big_return(20_000))
    try:
        with pytest.raises(DriverError):
            loader.load(big, "seed", model.default(), cut_driver, dataset="test/small")
    finally:
        proxy.close()
        cut_driver.close()
    assert proxy.cut.is_set()
    assert snapshot(graph) == before
