"""Opening a driver to the right Neo4j, with one-line errors instead of tracebacks."""

from __future__ import annotations

from collections.abc import Callable

from neo4j import Driver, GraphDatabase, Session
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError

from . import config
from .errors import ConnectionProblem
from .neo4j_server import LocalServer, Progress, _quiet


def connection(instance: str = "default", progress: Progress = _quiet) -> config.Connection:
    """NEO4J_URI's database when set; otherwise the local instance, started when needed."""
    return config.from_environment() or LocalServer(instance, progress).start().connection()


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def open_driver(conn: config.Connection, retry_seconds: float = 30.0) -> Driver:
    """A driver that has already proved it can connect and log in. ``retry_seconds`` bounds
    how long a transaction is retried while Neo4j is unreachable (the API keeps it short,
    so an outage answers quickly instead of hanging requests)."""
    scheme = conn.uri.partition("://")[0]
    if scheme not in BOLT_SCHEMES:
        raise ConnectionProblem(
            f"NEO4J_URI {conn.uri!r} is not a Neo4j URI: {scheme!r} is not a Bolt scheme.",
            "Use bolt://host:7687 for one server or neo4j://host:7687 for a cluster.")
    try:
        driver = GraphDatabase.driver(conn.uri, auth=(conn.user, conn.password),
                                      connection_timeout=5.0,
                                      max_transaction_retry_time=retry_seconds,
                                      notifications_min_severity="OFF")
    except (ConfigurationError, ValueError) as err:
        raise ConnectionProblem(
            f"NEO4J_URI {conn.uri!r} is not a Neo4j URI: {err}",
            "Use bolt://host:7687 for one server or neo4j://host:7687 for a cluster.",
        ) from None
    try:
        driver.verify_connectivity()
    except AuthError:
        driver.close()
        raise ConnectionProblem(
            f"Neo4j at {conn.uri} refused user {conn.user!r}: wrong user or password.",
            "Check NEO4J_USER and NEO4J_PASSWORD.",
        ) from None
    except (DriverError, Neo4jError, OSError) as err:
        driver.close()
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise ConnectionProblem(
            f"Cannot reach Neo4j at {conn.uri}: {reason}",
            "Is it running? Unset NEO4J_URI to use the local server (`pkb neo4j start`).",
        ) from None
    return driver


def server_version(driver: Driver, database: str | None = None) -> str:
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD versions RETURN versions[0] AS version",
        database_=database, routing_="r")
    return str(records[0]["version"])


def rediscover(conn: config.Connection) -> Callable[[], config.Connection]:
    """A way to find the same database again after a restart: the local instance's ports of
    now (they can change), or NEO4J_URI as it is (a cluster or Aura routes by itself)."""
    instance = conn.local_instance
    if instance is None:
        return lambda: conn

    def find() -> config.Connection:
        info = LocalServer(instance).info()
        if info is None:
            raise ConnectionProblem(f"The local Neo4j ({instance}) is not running.",
                                    "Start it with `pkb neo4j start`.")
        return info.connection()
    return find


def load_session(driver: Driver, database: str | None) -> Session:
    """A session for a load's reads and writes. It uses the driver's bookmark manager, so a
    read made afterwards through this driver (execute_query's), on any member of a cluster,
    sees what this session wrote, and it sees what was written before. Every result is read
    whole (fetch_size -1): a load reads all it asks for, so statements sent together run
    back to back (a rule check's rows arriving in one piece let Neo4j run the next checks
    meanwhile: checks.run.checks_in)."""
    return driver.session(database=database, fetch_size=-1,
                          bookmark_manager=driver.execute_query_bookmark_manager)
