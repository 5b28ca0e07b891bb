"""GraphQL over HTTP against the same named Cypher run directly, measured in the same run.

For the seed knowledge base, and for a synthetic graph 100 times larger (the seed cloned with
new ids), it times the signature questions:
  - outcome:    which bodies deliver Outcome 3.4;
  - interlocks: who sits on three or more boards (a page of 100, most boards first);
  - board:      a board with its members, parts and lines;
each through a real `pkb serve` over HTTP, and the very Cypher the API sends for it (read from
a second server in debug mode) through the driver, and
prints p50, p95, throughput (sequential requests per second) and the p50 ratio. The two
methods take turns, request by request, so that both meet the same load on the machine.
Aim: GraphQL p50 within 1.5 x raw Cypher.

It also times the floor every request pays before any Cypher, `{ __typename }` over HTTP (HTTP,
parsing, validation, the extensions, JSON), and prints the ratio net of it: when the Cypher
takes a millisecond or two, that fixed cost decides the ratio, not the query the API sends.

The HTTP client is a minimal one of its own over one kept-alive connection (GraphQLClient): a
general client's own CPU would be charged to the API and not to the driver. Measured on
`{ __typename }`: p50 0.36 ms through http.client, 0.18 ms through GraphQLClient (and httpx
took twice http.client's time).

Usage: .venv/bin/python bench/api.py [--requests 200] [--scale 100]   (--scale 1: the seed alone)
Uses NEO4J_URI when set (its graph is wiped!), else the local instance "bench".
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import httpx
from neo4j import READ_ACCESS, Driver

from partnership_kb import config, db, seed
from partnership_kb.model import RECORD_LABELS

SIGNATURES: dict[str, str] = {
    "outcome": """{ outcome(code: "3.4", strategy: "gloucester-sustainable-community-strategy") {
        code title actions { code title }
        deliveredBy { via role deliverer { __typename ... on Node { id name } } } } }""",
    "interlocks": """{ interlocks(minBoards: 3, first: 100) { totalCount nodes { count
        member { __typename ... on Node { id name } } boards { id name } } } }""",
    "board": """{ partnership(id: "gloucestershire-strategic-partnership") { name kind
        members { role seats member { __typename ... on Node { id name } } }
        parts { id name } accountableTo { frequency to { ... on Node { name } } } } }""",
}

# Clone every node (but the source documents and the records of loads) and relationship
# `copies` times, with new ids.
CLONE_NODES = """
MATCH (n) WHERE NOT n:Source AND NOT any(label IN labels(n) WHERE label IN $records)
UNWIND range(1, $copies) AS copy
CREATE (c:$(labels(n)):BenchClone)
SET c = n {.*, id: n.id + '-copy-' + copy, name: n.name + ' #' + copy,
           cloneKey: elementId(n) + '#' + copy}
"""
CLONE_RELS = """
MATCH (a)-[r]->(b) WHERE NOT a:BenchClone AND NOT b:BenchClone
UNWIND range(1, $copies) AS copy
MATCH (a2:BenchClone {cloneKey: elementId(a) + '#' + copy})
MATCH (b2:BenchClone {cloneKey: elementId(b) + '#' + copy})
CREATE (a2)-[r2:$(type(r))]->(b2) SET r2 = properties(r)
"""


def wipe(driver: Driver) -> None:
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")\
            .consume()


def build_graph(driver: Driver, scale: int) -> int:
    """The seed, cloned to `scale` times its size; returns the node count."""
    wipe(driver)
    seed.load_all(driver)
    if scale > 1:
        driver.execute_query("CREATE INDEX bench_clone IF NOT EXISTS "
                             "FOR (n:BenchClone) ON (n.cloneKey)")
        driver.execute_query("CALL db.awaitIndexes(300)")
        driver.execute_query(CLONE_NODES, copies=scale - 1, records=RECORD_LABELS)
        driver.execute_query(CLONE_RELS, copies=scale - 1)
    records, _, _ = driver.execute_query("MATCH (n) RETURN count(n) AS nodes")
    return int(records[0]["nodes"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_api(conn: config.Connection, *flags: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "NEO4J_URI": conn.uri, "NEO4J_USER": conn.user,
           "NEO4J_PASSWORD": conn.password}
    server = subprocess.Popen([sys.executable, "-m", "partnership_kb", "serve", "--port",
                               str(port), *flags], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("pkb serve did not answer within 60 s")


def timings(*actions: Callable[[], object], requests: int) -> list[list[float]]:
    """Each action's times, taken in turns (a, b, a, b, ...) so that both meet the same
    machine: on a shared machine the load changes between two series taken one after the
    other more than between the methods."""
    for _ in range(max(5, requests // 10)):  # warm caches and the query planner
        for action in actions:
            action()
    spent: list[list[float]] = [[] for _ in actions]
    for _ in range(requests):
        for action, times in zip(actions, spent, strict=True):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
    return spent


def summary(spent: list[float]) -> tuple[float, float, float]:
    """p50 and p95 in milliseconds, and sequential requests per second."""
    ordered = sorted(spent)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000, len(spent) / sum(spent)


def sent_cypher(debug_url: str, graphql: str) -> dict[str, Any]:
    """The one Cypher query (and its parameters) the API sends for a GraphQL query asked
    again: a first request may also make what is kept per data version (interlocks' ranking,
    from the seats read), which the requests timed here find made."""
    for _ in range(5):
        body = httpx.post(f"{debug_url}/graphql", json={"query": graphql}, timeout=60).json()
        assert "errors" not in body, body
        sent = body["extensions"]["cypher"]
        if len(sent) == 1:
            return sent[0]  # type: ignore[no-any-return]
    raise AssertionError([query["query"][:80] for query in sent])


FLOOR = "{ __typename }"


class GraphQLClient:
    """POSTs GraphQL on one kept-alive HTTP/1.1 connection, reading only what our server
    sends back (a status line, headers with Content-Length, the body): http.client parses every
    response's headers with the email package, 0.12 ms of the client's CPU a request (measured
    on `{ __typename }`: 150 against 30 µs), which would be charged to the API."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.head = (f"POST /graphql HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     "Content-Type: application/json\r\nContent-Length: ")
        self.connection: socket.socket | None = None

    def post(self, query: str) -> dict[str, Any]:
        body = json.dumps({"query": query}).encode()
        request = f"{self.head}{len(body)}\r\n\r\n".encode() + body
        try:
            return self.exchange(request)
        except ConnectionError:  # the server closed the connection while it was idle
            self.close()
            return self.exchange(request)

    def exchange(self, request: bytes) -> dict[str, Any]:
        if self.connection is None:
            self.connection = socket.create_connection(self.address, timeout=60)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.reader = self.connection.makefile("rb")
        self.connection.sendall(request)
        status = self.reader.readline()
        if not status:
            raise ConnectionError("closed by the server")
        length = 0
        while (line := self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        answer = self.reader.read(length)
        if b" 200 " not in status:
            raise RuntimeError(f"{status!r}: {answer[:200]!r}")
        return json.loads(answer)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.connection is not None:
            self.reader.close()
            self.connection.close()
            self.connection = None


def measure(driver: Driver, url: str, debug_url: str,
            requests: int) -> tuple[Any, list[tuple[str, Any, Any]]]:
    """The floor's timings, and each signature question's over HTTP and through the driver."""
    client = GraphQLClient(url)
    results = []
    try:
        floor = summary(timings(lambda: client.post(FLOOR), requests=requests)[0])
        for name, graphql in SIGNATURES.items():
            sent = sent_cypher(debug_url, graphql)

            def over_http(query: str = graphql) -> None:
                body = client.post(query)
                assert "errors" not in body, body

            def direct(query: dict[str, Any] = sent) -> None:
                # As the API sends it: one auto-commit query in read mode.
                with driver.session(default_access_mode=READ_ACCESS) as session:
                    session.run(query["query"], query["params"]).data()

            api, raw = timings(over_http, direct, requests=requests)
            results.append((name, summary(api), summary(raw)))
    finally:
        client.close()
    return floor, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--scale", type=int, default=100)
    args = parser.parse_args()
    conn = db.connection("bench", progress=print)
    driver = db.open_driver(conn)
    print(f"{'graph':>16} {'question':>10} | {'GraphQL p50':>11} {'p95':>7} {'req/s':>6} | "
          f"{'Cypher p50':>10} {'p95':>7} {'req/s':>6} | p50 ratio")
    for scale in dict.fromkeys((1, args.scale)):  # --scale 1: the seed alone
        nodes = build_graph(driver, scale)
        server, url = start_api(conn)
        debug_server, debug_url = start_api(conn, "--debug")
        try:
            floor, results = measure(driver, url, debug_url, args.requests)
            print(f"{f'x{scale} ({nodes:,} nodes)':>16} {'floor':>10} | {floor[0]:9.1f}ms "
                  f"{floor[1]:5.1f}ms {floor[2]:6.0f} | (no Cypher: HTTP and GraphQL alone)")
            for name, api, raw in results:
                print(f"{f'x{scale} ({nodes:,} nodes)':>16} {name:>10} | {api[0]:9.1f}ms "
                      f"{api[1]:5.1f}ms {api[2]:6.0f} | {raw[0]:8.1f}ms {raw[1]:5.1f}ms "
                      f"{raw[2]:6.0f} | {api[0] / raw[0]:5.2f}  (aim <= 1.5); "
                      f"net of the floor {(api[0] - floor[0]) / raw[0]:5.2f}")
        finally:
            for process in (server, debug_server):
                process.terminate()
                process.wait(timeout=30)
    wipe(driver)
    driver.execute_query("DROP INDEX bench_clone IF EXISTS")
    driver.close()


if __name__ == "__main__":
    main()
