"""Provision and run a real Neo4j Community 5.26 server, with no Docker and no tarball.

Neo4j's distribution tarball is not on Maven Central, but the server's jars are. We ask Maven to
copy ``org.neo4j.app:neo4j-server`` and its dependencies into a cache once, write a small
``neo4j.conf``, and start ``org.neo4j.server.CommunityEntryPoint`` - the same entry point
``bin/neo4j console`` uses - on free loopback ports. Each instance keeps its data, logs and
generated password in its own state directory.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from . import config
from .errors import ServerStartError

NEO4J_VERSION = "5.26.30"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>partnership-kb</groupId><artifactId>neo4j-runtime</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.neo4j.app</groupId><artifactId>neo4j-server</artifactId>
      <version>{version}</version></dependency>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId>
      <version>{version}</version></dependency>
  </dependencies>
</project>
"""

# The JVM flags bin/neo4j passes that the server needs on Java 17 (Netty, direct buffers).
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """The default progress reporter: says nothing."""


@dataclass(frozen=True)
class ServerInfo:
    """What a running local instance listens on, and how to log in."""

    instance: str
    pid: int
    bolt_port: int
    http_port: int
    password: str

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def connection(self) -> config.Connection:
        return config.Connection(self.uri, "neo4j", self.password, None, self.instance)


class LocalServer:
    """One local Neo4j instance: its files under ``state_dir(instance)``, its jars in the cache."""

    def __init__(self, instance: str = "default", progress: Progress = _quiet) -> None:
        self.instance = instance
        self.home = config.state_dir(instance)
        self.runtime = config.cache_dir() / f"neo4j-{NEO4J_VERSION}"
        self.progress = progress

    # -- paths -----------------------------------------------------------------------------
    @property
    def lib(self) -> Path:
        return self.runtime / "lib"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "console.log"

    @property
    def _state_file(self) -> Path:
        return self.home / "server.json"

    @property
    def _password_file(self) -> Path:
        return self.home / "password"

    # -- provisioning ----------------------------------------------------------------------
    def ensure_jars(self) -> None:
        """Fetch Neo4j's jars with Maven once; later calls find them in the cache and return."""
        if (self.runtime / "complete").exists():
            return
        mvn = shutil.which("mvn")
        if not mvn or not shutil.which("java"):
            raise ServerStartError(
                "Java 17 and Maven are needed to provision Neo4j, and one is missing.",
                "Install them (Debian: apt-get install openjdk-17-jre-headless maven), "
                "or set NEO4J_URI to use an existing Neo4j.",
            )
        self.progress(f"Fetching Neo4j {NEO4J_VERSION} jars from Maven Central (once)...")
        self.runtime.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix="neo4j-", dir=self.runtime.parent))
        (staging / "pom.xml").write_text(POM.format(version=NEO4J_VERSION))
        result = subprocess.run(
            [mvn, "-q", "-B", "-f", str(staging / "pom.xml"), "dependency:copy-dependencies",
             f"-DoutputDirectory={staging / 'lib'}", "-DincludeScope=runtime"],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-15:])
            raise ServerStartError(
                f"Maven could not fetch Neo4j {NEO4J_VERSION}'s jars:\n{tail}",
                "Check that Maven Central is reachable (mvn -v; ~/.m2/settings.xml), "
                "or set NEO4J_URI to use an existing Neo4j.",
            )
        (staging / "complete").write_text(NEO4J_VERSION)
        shutil.rmtree(self.runtime, ignore_errors=True)
        staging.rename(self.runtime)  # atomic: a half-fetched cache is never used

    def _java(self, *args: str, heap: bool = True) -> list[str]:
        java = shutil.which("java") or "java"
        memory = []
        if heap:
            size = os.environ.get("PKB_NEO4J_HEAP", "1g")
            memory = [f"-Xms{size}", f"-Xmx{size}"]
        return [java, *memory, *JVM_FLAGS, "-cp", str(self.lib / "*"), *args]

    def _write_conf(self, bolt_port: int, http_port: int) -> None:
        home = self.home
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        heap = os.environ.get("PKB_NEO4J_HEAP", "1g")
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.listen_address": f"127.0.0.1:{bolt_port}",
            "server.http.listen_address": f"127.0.0.1:{http_port}",
            "server.https.enabled": "false",
            "server.memory.heap.initial_size": heap,
            "server.memory.heap.max_size": heap,
            "server.memory.pagecache.size": os.environ.get("PKB_NEO4J_PAGECACHE", "512m"),
            "dbms.memory.transaction.total.max": "768m",
            "dbms.security.auth_enabled": "true",
            "dbms.usage_report.enabled": "false",
            # No keep-alive during requests, so no hint to clients to time out their reads:
            # the async driver then reads without wrapping each read in a task with a timer
            # (0.15 ms of the API's CPU a query). Each query has its own timeout instead.
            "server.bolt.connection_keep_alive_for_requests": "OFF",
            "db.tx_log.rotation.retention_policy": "2 files",
            "server.directories.data": str(home / "data"),
            "server.directories.logs": str(home / "logs"),
            "server.directories.run": str(home / "run"),
            "server.directories.plugins": str(home / "plugins"),
            "server.directories.import": str(home / "import"),
        }
        text = "".join(f"{key}={value}\n" for key, value in settings.items())
        (home / "conf" / "neo4j.conf").write_text(
            "# Written by `pkb neo4j start`; edits are overwritten on the next start.\n" + text
        )

    def _ensure_password(self) -> str:
        """The instance's password: generated and set before the first start, then reused."""
        if self._password_file.exists():
            return self._password_file.read_text().strip()
        # Hex, not url-safe base64: a password starting with "-" would read as an option.
        password = secrets.token_hex(16)
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}
        result = subprocess.run(
            self._java(ADMIN_TOOL, "dbms", "set-initial-password", password, heap=False),
            capture_output=True, text=True, env=env,
        )
        if result.returncode != 0:
            raise ServerStartError(
                f"Could not set the initial Neo4j password: {result.stderr.strip()[-500:]}",
                f"Remove {self.home} to start afresh.",
            )
        self._password_file.touch(mode=0o600)
        self._password_file.write_text(password + "\n")
        return password

    # -- lifecycle -------------------------------------------------------------------------
    def info(self) -> ServerInfo | None:
        """The running instance, or None when it is not running (a stale record is removed)."""
        if not self._state_file.exists():
            return None
        state = json.loads(self._state_file.read_text())
        if not _alive(state["pid"]):
            self._state_file.unlink(missing_ok=True)
            return None
        return ServerInfo(self.instance, state["pid"], state["bolt_port"], state["http_port"],
                          self._password_file.read_text().strip())

    def start(self, timeout: float = 180.0) -> ServerInfo:
        """Start the instance unless it already runs; wait until the driver can connect."""
        running = self.info()
        if running and _answers(running):
            return running
        if running:  # a process that no longer answers: put it down and start afresh
            self.stop()
        self.ensure_jars()
        bolt_port, http_port = self._ports()
        self._write_conf(bolt_port, http_port)
        password = self._ensure_password()
        self.progress(f"Starting Neo4j {NEO4J_VERSION} on bolt://127.0.0.1:{bolt_port} ...")
        pid = self._spawn(self._java(ENTRY_POINT, f"--home-dir={self.home}",
                                     f"--config-dir={self.home / 'conf'}", "--console-mode"))
        self._state_file.write_text(json.dumps(
            {"pid": pid, "bolt_port": bolt_port, "http_port": http_port}))
        info = ServerInfo(self.instance, pid, bolt_port, http_port, password)
        self._wait_until_up(info, timeout)
        return info

    def _ports(self) -> tuple[int, int]:
        """The ports of the last start when still free (so a Neo4j Browser bookmark or a
        NEO4J_URI keeps working), else new free ones."""
        remembered = self.home / "ports.json"
        if remembered.exists():
            bolt, http = json.loads(remembered.read_text())
            # Just after a stop, the old server's connections can hold its ports for a moment
            # (until their clients close them): wait for that rather than move.
            deadline = time.monotonic() + PORT_WAIT_SECONDS
            while time.monotonic() < deadline:
                if _port_is_free(bolt) and _port_is_free(http):
                    return bolt, http
                time.sleep(0.25)
        bolt, http = _free_port(), _free_port()
        remembered.parent.mkdir(parents=True, exist_ok=True)
        remembered.write_text(json.dumps([bolt, http]))
        return bolt, http

    def _spawn(self, argv: list[str]) -> int:
        """Start the server in its own session, output to its log. A bare spawn rather than
        Popen: the server is meant to outlive us, and Popen warns when it does."""
        log = os.open(self.log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                       (os.POSIX_SPAWN_DUP2, log, 1), (os.POSIX_SPAWN_DUP2, log, 2)]
            return os.posix_spawn(argv[0], argv, dict(os.environ), file_actions=actions,
                                  setsid=True)
        finally:
            os.close(log)

    def _wait_until_up(self, info: ServerInfo, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(info.pid):
                self._state_file.unlink(missing_ok=True)
                raise self._failure("Neo4j exited while starting.")
            if _answers(info):
                return
            time.sleep(0.5)
        self.stop()
        raise self._failure(f"Neo4j did not answer on {info.uri} within {timeout:.0f} seconds.")

    def _failure(self, what: str) -> ServerStartError:
        tail = "\n".join(self.logs(12).splitlines())
        return ServerStartError(
            f"{what} Its log is {self.log_file}; its last lines:\n{tail}",
            "Fix what the log says (often memory or a port), then run `pkb neo4j start` again; "
            f"to start from nothing, run `pkb neo4j stop` and remove {self.home}.",
        )

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the instance cleanly (SIGTERM, then SIGKILL after ``timeout``). True if it ran."""
        if not self._state_file.exists():
            return False
        pid = json.loads(self._state_file.read_text())["pid"]
        self._state_file.unlink(missing_ok=True)
        if not _alive(pid):
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            # Gone for good before returning: the ports and the store are free to reuse.
            killed_by = time.monotonic() + 10
            while _alive(pid) and time.monotonic() < killed_by:
                time.sleep(0.1)
        return True

    def logs(self, lines: int = 50) -> str:
        if not self.log_file.exists():
            return "(no log yet)"
        return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # reap it if it is our own child that has exited
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    # A zombie (exited, not yet reaped by its parent) still answers kill(0); /proc says otherwise.
    try:
        zombie = Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except (FileNotFoundError, IndexError):
        return True
    if zombie:  # it died between the waitpid above and now: reap it if it is ours
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
    return not zombie


def _answers(info: ServerInfo) -> bool:
    try:
        with GraphDatabase.driver(info.uri, auth=("neo4j", info.password),
                                  connection_timeout=2.0) as driver:
            driver.verify_connectivity()
        return True
    except (ServiceUnavailable, AuthError, OSError):
        return False


def _port_is_free(port: int) -> bool:
    """Whether Neo4j could listen on the port. Neo4j binds with SO_REUSEADDR, so a port whose
    old connections linger in TIME_WAIT after a stop is free to it; the probe must agree, or a
    restart would move to new ports and strand every client of the old ones."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    """A free port below the kernel's ephemeral range: a port the kernel hands out for outgoing
    connections could be taken by any client while the server is stopped, and a restart would
    then have to move."""
    first_ephemeral = _ephemeral_start()
    for port in random.sample(range(PORTS_FROM, first_ephemeral), 200):
        if _port_is_free(port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:  # all taken: any port
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


PORTS_FROM = 20_000
PORT_WAIT_SECONDS = 15.0


def _ephemeral_start() -> int:
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32_768
    return max(low, PORTS_FROM + 1_000)
