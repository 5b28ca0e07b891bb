"""Our GraphQL API against @neo4j/graphql (the peer) on the same Neo4j, measured in one run.

The peer is @neo4j/graphql 7 on Apollo Server (bench/peer/, an npm package; `npm ci` runs there
when node_modules is missing). Its type definitions are generated from schema/model.yaml:
one @node type per label, a relationship field each way per relationship type (with its
properties), and @cypher root fields for interlocks and full-text search, written as the
project's named queries. `--typedefs` prints them.

For each graph size (the seed, and the seed cloned 100 times with new ids; see bench/api.py),
it starts `pkb serve` and the peer, checks that both give the same answers (normalised: ids,
roles, counts), then times five questions:
  Q1 a board with its members and roles       Q4 interlocks (members on two or more boards)
  Q2 the first 100 partnerships with members  Q5 full-text search
  Q3 outcome 3.4 with actions and deliverers
  - p50/p95 of one client, requests alternating ours, peer, ours, peer (ABAB);
  - throughput with 8 concurrent clients for --duration seconds each;
  - CPU milliseconds per request under those 8 clients, of each server process (utime+stime
    from /proc/PID/stat, the process and its children) and of Neo4j when it is the local one.
It prints the ours/peer ratios. Aim: p50 ratio <= 1.0 on every question at both sizes, and
throughput ratio >= 1.0. Answers that differ are shown and make the exit status 1.

Usage:  .venv/bin/python bench/peer.py [--requests 200] [--duration 5] [--sizes seed,100]
        .venv/bin/python bench/peer.py --quick          # a short run on the seed only
        .venv/bin/python bench/peer.py --out results.json
Needs Node.js 20+ and npm. Uses NEO4J_URI when set (its graph is wiped!), else the local
instance "bench". Server logs go to a fresh folder under /tmp, printed at the start.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api import build_graph, free_port, summary, wipe
from partnership_kb import config, db, model, queries
from partnership_kb.api.schema import search_params
from partnership_kb.neo4j_server import LocalServer

PEER_DIR = Path(__file__).resolve().parent / "peer"
CLIENTS = 8

# -- the peer's type definitions -----------------------------------------------------------------

# Field names of each relationship type: (on its start node, on its end node).
REL_FIELDS = {
    "MEMBER_OF": ("memberships", "members"),
    "PART_OF": ("partOf", "parts"),
    "COVERS": ("areas", "coveredBy"),
    "WITHIN": ("within", "contains"),
    "POST_IN": ("postIn", "posts"),
    "OWNS": ("strategies", "ownedBy"),
    "HAS_AIM": ("aims", "strategy"),
    "HAS_OUTCOME": ("outcomes", "aim"),
    "HAS_ACTION": ("actions", "outcome"),
    "RUNS": ("runs", "runBy"),
    "DELIVERS": ("delivers", "deliverers"),
    "HOLDS": ("posts", "holders"),
    "ACCOUNTABLE_TO": ("accountableTo", "accountableFrom"),
    "SUPPORTED_BY": ("supportedBy", "supports"),
}
SCALARS = {"string": "String", "text": "String", "enum": "String", "ref": "String",
           "int": "Int", "float": "Float", "date": "Date", "list": "[String!]"}
COMMON = "  sources: [String!]\n  datasets: [String!]\n"

# Root fields the model cannot generate: the Cypher of queries/interlocks.cypher (as a list,
# top `first`) and queries/search.cypher (its very text), one map per row (as @cypher needs).
PEER_QUERIES = '''
type NodeSummary {
  id: ID!
  name: String
  title: String
  code: String
  kind: String
  tier: String
  status: String
  label: String
  sources: [String!]
}
type Interlock {
  member: NodeSummary!
  boards: [NodeSummary!]!
}
type SearchHit {
  score: Float!
  node: NodeSummary!
}
type Query {
  interlocks(minBoards: Int = 2, asOf: Date, level: String = "MEMBER",
             first: Int = 20): [Interlock!]!
    @cypher(columnName: "row", statement: """
      MATCH (m)-[r:MEMBER_OF]->(b:Partnership)
      WHERE $asOf IS NULL OR ((r.validFrom IS NULL OR r.validFrom <= $asOf)
                              AND (r.validTo IS NULL OR r.validTo >= $asOf))
      WITH b, m,
           [(p:Person)-[:HOLDS]->(m) | p] AS holders,
           [(m)-[:POST_IN]->(o:Organisation) | o]
             + [(m)-[:HOLDS]->(:Post)-[:POST_IN]->(o:Organisation) | o] AS organisations
      WITH b, CASE
        WHEN $level = 'ORGANISATION' AND size(organisations) > 0 THEN organisations
        WHEN $level <> 'ORGANISATION' AND size(holders) > 0 THEN holders
        ELSE [m] END AS counted
      UNWIND counted AS who
      WITH who, collect(DISTINCT b) AS boards
      WHERE size(boards) >= $minBoards
      RETURN {member: who {.id, .name, .title, .kind, .sources, label: labels(who)[0]},
              boards: [x IN boards | x {.id, .name, .kind, .tier, .status, .sources,
                                        label: 'Partnership'}]} AS row
      ORDER BY size(row.boards) DESC, toLower(coalesce(row.member.name, row.member.id)),
               row.member.id
      LIMIT $first
    """)
  "The parameters of queries/search.cypher, whose text this runs (see search_params)"
  search(query: String!, words: [String!]!, text: String!, delimiters: [String!],
         types: [String!], window: Int = 500, first: Int = 20): [SearchHit!]!
    @cypher(columnName: "hit", statement: """
      CALL () {
SEARCH_CYPHER
      }
      RETURN {node: node {.id, .name, .title, .code, .kind, .status, .sources,
                          label: labels(node)[0]}, score: score} AS hit
    """)
}
'''


def rel_fields(rel: str) -> tuple[str, str]:
    forward = model.camel(rel.lower())
    return REL_FIELDS.get(rel, (forward, forward + "Inverse"))


def model_edges(spec: model.Model) -> list[tuple[str, str, str]]:
    """Every (start label, relationship type, end label) the model allows."""
    edges = []
    for node in spec.nodes.values():
        for col in node.references:
            if col.rel:
                pairs = [(node.label, t) for t in col.to] if col.direction == "out" \
                    else [(t, node.label) for t in col.to]
                edges += [(a, col.rel, b) for a, b in pairs]
    for rel in spec.relationships.values():
        edges += [(a, rel.type, b) for a in rel.start.to for b in rel.end.to]
    return sorted(set(edges), key=lambda e: (e[1], list(spec.nodes).index(e[0])))


def properties_type(rel: str, spec: model.Model) -> str:
    columns = spec.relationships[rel].columns.values() if rel in spec.relationships else []
    lines = "".join(f"  {c.prop}: {SCALARS[c.type]}\n" for c in columns
                    if c.type != "ref" or not c.rel)
    return f"type {pascal(rel)}Props @relationshipProperties {{\n{lines}{COMMON}}}\n"


def pascal(rel: str) -> str:
    return "".join(word.capitalize() for word in rel.split("_"))


def relationship_fields(spec: model.Model) -> tuple[dict[str, list[str]], list[str]]:
    """Per label, its relationship field lines; and the unions they need."""
    ends: dict[tuple[str, str, str], list[str]] = defaultdict(list)  # (label, rel, dir) -> labels
    for start, rel, end in model_edges(spec):
        ends[(start, rel, "OUT")].append(end)
        ends[(end, rel, "IN")].append(start)
    order = list(spec.nodes)
    fields: dict[str, list[str]] = defaultdict(list)
    unions = []
    for (label, rel, direction), found in ends.items():
        others = sorted(set(found), key=order.index)
        name = rel_fields(rel)[0 if direction == "OUT" else 1]
        target = others[0]
        if len(others) > 1:
            target = f"{label}{name[0].upper()}{name[1:]}"
            unions.append(f"union {target} = {' | '.join(others)}\n")
        fields[label].append(f'  {name}: [{target}!]! @relationship(type: "{rel}", '
                             f'direction: {direction}, properties: "{pascal(rel)}Props")\n')
    return fields, unions


def node_type(node: model.NodeSpec, rels: list[str]) -> str:
    lines = ["  id: ID!\n"]
    if "name" not in node.columns and node.name_from:
        lines.append("  name: String\n")
    lines += [f"  {c.prop}: {SCALARS[c.type]}\n" for c in node.properties if c.name != "id"]
    names = [line.split(":")[0].strip() for line in lines + rels]
    if len(names) != len(set(names)):
        raise SystemExit(f"bench/peer.py: two fields of {node.label} have the same name "
                         f"({sorted(names)}); give the relationship a name in REL_FIELDS.")
    return f"type {node.label} @node {{\n{''.join(lines)}{COMMON}{''.join(rels)}}}\n"


def typedefs(spec: model.Model | None = None) -> str:
    """The peer's type definitions, generated from schema/model.yaml."""
    spec = spec or model.default()
    fields, unions = relationship_fields(spec)
    rel_types = sorted({rel for _, rel, _ in model_edges(spec)})
    parts = [properties_type(rel, spec) for rel in rel_types] + unions
    parts += [node_type(node, fields[node.label]) for node in spec.nodes.values()]
    return "\n".join(parts) + PEER_QUERIES.replace("SEARCH_CYPHER", search_cypher())


def search_cypher() -> str:
    """Our search query's Cypher without its header, for the peer's @cypher search."""
    text = queries.load_all()["search"].text
    return "\n".join(line for line in text.splitlines() if not line.startswith("//"))


# -- the questions ------------------------------------------------------------------------------

IDS = "... on Organisation { id } ... on Partnership { id } ... on Post { id } ... on Person { id }"
NAMES = IDS.replace("{ id }", "{ id name }")
DELIVERERS = """deliverersConnection { edges { properties { role } node { __typename
  ... on Organisation { id } ... on Partnership { id } ... on Programme { id name
    runBy { __typename ... on Organisation { id } ... on Partnership { id } } } } } }"""


def peer_query(text: str) -> str:
    """A peer query with its @IDS, @NAMES and @DELIVERERS selections written out."""
    return text.replace("@IDS", IDS).replace("@NAMES", NAMES).replace("@DELIVERERS", DELIVERERS)
Norm = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Question:
    """One question asked of both APIs, and how to bring each answer to a comparable form."""

    key: str
    title: str
    ours: str
    ours_vars: dict[str, Any]
    peer: str
    peer_vars: dict[str, Any]
    ours_norm: Norm
    peer_norm: Norm

    def body(self, side: str) -> bytes:
        query, variables = (self.ours, self.ours_vars) if side == "ours" else \
            (self.peer, self.peer_vars)
        return json.dumps({"query": query, "variables": variables}).encode()


def board_ours(data: dict[str, Any]) -> Any:
    b = data["partnership"]
    return b["id"], b["name"], b["kind"], sorted(
        (m["role"], m["seats"], m["member"]["__typename"], m["member"]["id"])
        for m in b["members"])


def board_peer(data: dict[str, Any]) -> Any:
    (b,) = data["partnerships"]
    return b["id"], b["name"], b["kind"], sorted(
        (e["properties"]["role"], e["properties"]["seats"], e["node"]["__typename"],
         e["node"]["id"]) for e in b["membersConnection"]["edges"])


def list_ours(data: dict[str, Any]) -> Any:
    return [(p["id"], p["name"], sorted((m["role"], m["member"]["__typename"], m["member"]["id"])
                                        for m in p["members"]))
            for p in data["partnerships"]["nodes"]]


def list_peer(data: dict[str, Any]) -> Any:
    return [(p["id"], p["name"], sorted((e["properties"]["role"], e["node"]["__typename"],
                                         e["node"]["id"])
                                        for e in p["membersConnection"]["edges"]))
            for p in data["partnerships"]]


def outcome_ours(data: dict[str, Any]) -> Any:
    o = data["outcome"]
    return o["code"], o["title"], sorted((a["code"], a["title"]) for a in o["actions"]), sorted(
        (d["via"], d["role"], d["deliverer"]["__typename"], d["deliverer"]["id"])
        for d in o["deliveredBy"])


def deliveries(connection: dict[str, Any], via: str, suffix: str) -> Iterable[tuple[str, ...]]:
    """Our deliveredBy rows from the peer's deliverers: direct, and through a programme."""
    for edge in connection["edges"]:
        role, node = edge["properties"]["role"], edge["node"]
        yield via, role, node["__typename"], node["id"]
        for runner in node.get("runBy", []):
            yield f"programme {node['name']}{suffix}", role, runner["__typename"], runner["id"]


def outcome_peer(data: dict[str, Any]) -> Any:
    (o,) = data["outcomes"]
    rows = list(deliveries(o["deliverersConnection"], "outcome", ""))
    for a in o["actions"]:
        via = f"action {a['code']}"
        rows += deliveries(a["deliverersConnection"], via, f" ({via})")
    return o["code"], o["title"], sorted((a["code"], a["title"]) for a in o["actions"]), \
        sorted(rows)


def interlocks_ours(data: dict[str, Any]) -> Any:
    return sorted((i["member"]["__typename"], i["member"]["id"], i["count"],
                   sorted(b["id"] for b in i["boards"])) for i in data["interlocks"]["nodes"])


def interlocks_peer(data: dict[str, Any]) -> Any:
    return sorted((i["member"]["label"], i["member"]["id"], len(i["boards"]),
                   sorted(b["id"] for b in i["boards"])) for i in data["interlocks"])


def search_ours(data: dict[str, Any]) -> Any:
    return sorted((h["node"]["__typename"], h["node"]["id"], round(h["score"], 3))
                  for h in data["search"])


def search_peer(data: dict[str, Any]) -> Any:
    return sorted((h["node"]["label"], h["node"]["id"], round(h["score"], 3))
                  for h in data["search"])


STRATEGY = "gloucester-sustainable-community-strategy"
QUESTIONS = [
    Question(
        "Q1", "a board, members and roles",
        """query ($id: ID!) { partnership(id: $id) { id name kind
             members { role seats member { __typename ... on Node { id name } } } } }""",
        {"id": "strategic-leadership-group"},
        peer_query("""query ($id: ID!) { partnerships(where: {id: {eq: $id}}) { id name kind
             membersConnection { edges { properties { role seats }
               node { __typename @NAMES } } } } }"""),
        {"id": "strategic-leadership-group"}, board_ours, board_peer),
    Question(
        "Q2", "100 partnerships with members",
        """query ($first: Int!) { partnerships(first: $first, sort: ID) { nodes { id name
             members { role member { __typename ... on Node { id } } } } } }""",
        {"first": 100},
        peer_query("""query ($first: Int!) {
             partnerships(limit: $first, sort: [{id: ASC}]) { id name membersConnection {
               edges { properties { role } node { __typename @IDS } } } } }"""),
        {"first": 100}, list_ours, list_peer),
    Question(
        "Q3", "outcome 3.4, actions, deliverers",
        """query ($code: String!, $strategy: ID) { outcome(code: $code, strategy: $strategy) {
             code title actions { code title }
             deliveredBy { via role deliverer { __typename ... on Node { id } } } } }""",
        {"code": "3.4", "strategy": STRATEGY},
        peer_query("""query ($code: String!, $strategy: ID!) { outcomes(where: {code: {eq: $code},
               aim: {some: {strategy: {some: {id: {eq: $strategy}}}}}}) {
             code title @DELIVERERS actions { code title @DELIVERERS } } }"""),
        {"code": "3.4", "strategy": STRATEGY}, outcome_ours, outcome_peer),
    Question(
        "Q4", "interlocks (2+ boards)",
        """query ($min: Int!) { interlocks(minBoards: $min, first: 100) { nodes {
             count member { __typename ... on Node { id } } boards { id } } } }""",
        {"min": 2},
        """query ($min: Int!) { interlocks(minBoards: $min, first: 100) {
             member { label id } boards { id } } }""",
        {"min": 2}, interlocks_ours, interlocks_peer),
    Question(
        "Q5", "search: health",
        """query ($text: String!) { search(text: $text, first: 20) {
             score node { __typename id } } }""",
        {"text": "health"},
        """query ($query: String!, $words: [String!]!, $text: String!, $delimiters: [String!],
                  $window: Int) {
             search(query: $query, words: $words, text: $text, delimiters: $delimiters,
                    window: $window, first: 20) { score node { label id } } }""",
        search_params("health"), search_ours, search_peer),
]

# -- the servers --------------------------------------------------------------------------------


@dataclass
class Server:
    """A running API: its process, GraphQL URL and log file."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def fail(what: str, fix: str) -> SystemExit:
    return SystemExit(f"bench/peer.py: {what}\n  How to fix: {fix}")


def ensure_peer_installed(logs: Path) -> None:
    """`npm ci` in bench/peer/ unless its node_modules is there; Node.js 20+ is needed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        raise fail("Node.js and npm are needed to run the peer (@neo4j/graphql), and "
                   f"{'node' if not node else 'npm'} is not on PATH.",
                   "install Node.js 20 or later with npm (e.g. `apt-get install nodejs npm`).")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout
    if int(version.strip().lstrip("v").split(".")[0] or 0) < 20:
        raise fail(f"Node.js {version.strip()} is too old for @neo4j/graphql 7.",
                   "install Node.js 20 or later.")
    if (PEER_DIR / "node_modules").is_dir():
        return
    log = logs / "npm-ci.log"
    print(f"Installing the peer: npm ci in {PEER_DIR} (log: {log}) ...", flush=True)
    with log.open("wb") as out:
        done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PEER_DIR,
                              stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise fail(f"`npm ci` in {PEER_DIR} failed (exit {done.returncode}); see {log}.",
                   "check that the npm registry is reachable, then run the benchmark again.")


def start(name: str, argv: list[str], env: dict[str, str], url: str, log: Path,
          hint: str, cwd: Path | None = None) -> Server:
    """Start a server and wait until it answers `{ __typename }` (at most 90 s)."""
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=cwd, env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT)
    server = Server(name, process, url, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise fail(f"{name} exited with status {process.returncode} while starting; "
                       f"its log {log} ends:\n{tail(log)}", hint)
        try:
            if httpx.post(url, json={"query": "{ __typename }"}, timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.stop()
    raise fail(f"{name} did not answer at {url} within 90 s; its log {log} ends:\n{tail(log)}",
               hint)


OURS_HINT = "the log names the cause; `.venv/bin/pkb serve` run by hand shows it too."
PEER_HINT = ("the log names the cause. Neo4j unreachable or refusing the login: check the "
             "connection printed above. The type definitions rejected: see them with "
             "`.venv/bin/python bench/peer.py --typedefs`. A module not found: delete "
             "bench/peer/node_modules and run again (npm ci reinstalls it).")


def tail(log: Path, lines: int = 15) -> str:
    text = log.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join("    " + line for line in text)


def start_both(conn: config.Connection, logs: Path, label: str) -> tuple[Server, Server]:
    env = {"NEO4J_URI": conn.uri, "NEO4J_USER": conn.user, "NEO4J_PASSWORD": conn.password}
    if conn.database:
        env["NEO4J_DATABASE"] = conn.database
    port = free_port()
    ours = start("pkb serve", [sys.executable, "-m", "partnership_kb", "serve", "--port",
                               str(port)], env, f"http://127.0.0.1:{port}/graphql",
                 logs / f"ours-{label}.log", OURS_HINT)
    typedefs_file = logs / "peer-typedefs.graphql"
    typedefs_file.write_text(typedefs())
    port = free_port()
    try:
        peer = start("the peer (@neo4j/graphql)", [shutil.which("node") or "node", "server.mjs"],
                     {**env, "PORT": str(port), "PEER_TYPEDEFS": str(typedefs_file)},
                     f"http://127.0.0.1:{port}/", logs / f"peer-{label}.log", PEER_HINT,
                     cwd=PEER_DIR)
    except SystemExit:
        ours.stop()
        raise
    return ours, peer


# -- measuring ----------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | None) -> float:
    """utime + stime of a process and its live descendants, in seconds."""
    if pid is None:
        return 0.0
    total, todo = 0, [pid]
    children = child_map()
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        todo += children.get(current, [])
    return total / TICK


def child_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children[ppid].append(int(stat.parent.name))
    return children


def answered(response: httpx.Response) -> bool:
    """A 200 with no GraphQL errors."""
    return response.status_code == 200 and b'"errors":' not in response.content


def refused(server: Server, response: httpx.Response, when: str = "") -> SystemExit:
    return fail(f"{server.name} at {server.url} answered {response.status_code}{when}: "
                f"{response.text[:300]}", f"its log {server.log} says more.")


def ask(client: httpx.Client, server: Server, body: bytes) -> float:
    """One request; its wall time in seconds. An error answer stops the benchmark."""
    began = time.perf_counter()
    response = client.post(server.url, content=body,
                           headers={"content-type": "application/json"})
    spent = time.perf_counter() - began
    if not answered(response):
        raise refused(server, response)
    return spent


def latencies(question: Question, ours: Server, peer: Server,
              requests: int) -> dict[str, list[float]]:
    """Single-client wall times, alternating ours and peer (which goes first alternates too)."""
    spent: dict[str, list[float]] = {"ours": [], "peer": []}
    sides = [("ours", ours), ("peer", peer)]
    with httpx.Client(timeout=120) as client:
        for _ in range(max(5, requests // 10)):
            for side, server in sides:
                ask(client, server, question.body(side))
        for i in range(requests):
            for side, server in sides if i % 2 == 0 else sides[::-1]:
                spent[side].append(ask(client, server, question.body(side)))
    return spent


async def hammer(server: Server, body: bytes, seconds: float) -> int:
    """Requests completed by CLIENTS concurrent clients in `seconds`."""
    done = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                response = await client.post(server.url, content=body,
                                             headers={"content-type": "application/json"})
                if not answered(response):
                    raise refused(server, response, " under load")
                done += 1
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return done


@dataclass
class Load:
    """Throughput of one server under CLIENTS clients, and CPU spent per request."""

    rps: float
    cpu_ms: float
    db_cpu_ms: float
    requests: int


def throughput(question: Question, side: str, server: Server, db_pid: int | None,
               seconds: float) -> Load:
    before = cpu_seconds(server.process.pid), cpu_seconds(db_pid)
    began = time.perf_counter()
    done = asyncio.run(hammer(server, question.body(side), seconds))
    wall = time.perf_counter() - began
    after = cpu_seconds(server.process.pid), cpu_seconds(db_pid)
    per = 1000 / max(done, 1)
    return Load(done / wall, (after[0] - before[0]) * per, (after[1] - before[1]) * per, done)


# -- agreement ----------------------------------------------------------------------------------


def answer(server: Server, body: bytes) -> dict[str, Any]:
    response = httpx.post(server.url, content=body, timeout=120,
                          headers={"content-type": "application/json"})
    try:
        reply = response.json()
    except ValueError:
        reply = {}
    if response.status_code != 200 or reply.get("errors") or not reply.get("data"):
        raise refused(server, response)
    return dict(reply["data"])


def disagreement(question: Question, ours: Server, peer: Server) -> str | None:
    """None when both give the same answer; otherwise what differs."""
    mine = question.ours_norm(answer(ours, question.body("ours")))
    theirs = question.peer_norm(answer(peer, question.body("peer")))
    if mine == theirs:
        return None
    if isinstance(mine, list) and isinstance(theirs, list):
        only_ours = [x for x in mine if x not in theirs][:3]
        only_peer = [x for x in theirs if x not in mine][:3]
        return (f"{len(mine)} rows against {len(theirs)}; only ours: {only_ours}; "
                f"only the peer's: {only_peer}")
    return f"ours: {str(mine)[:400]}\n    peer: {str(theirs)[:400]}"


# -- the run ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One question on one graph: both sides' figures."""

    size: str
    nodes: int
    key: str
    title: str
    agrees: bool
    p50: dict[str, float] = field(default_factory=dict)
    p95: dict[str, float] = field(default_factory=dict)
    load: dict[str, Load] = field(default_factory=dict)

    def ratios(self) -> tuple[float, float]:
        """ours/peer p50 (aim <= 1.0) and ours/peer throughput (aim >= 1.0)."""
        return (self.p50["ours"] / self.p50["peer"],
                self.load["ours"].rps / max(self.load["peer"].rps, 1e-9))


HEADER = (f"{'graph':<5} {'question':<37}| {'p50 ours':>8} {'peer':>7} {'ratio':>5} | "
          f"{'p95 ours':>8} {'peer':>7} | {'req/s ours':>10} {'peer':>6} {'ratio':>5} | "
          f"{'cpu ms/req ours':>15} {'peer':>6} | {'db ms/req ours':>14} {'peer':>6}")


def print_row(row: Row) -> None:
    p50, rps = row.ratios()
    ours, peer = row.load["ours"], row.load["peer"]
    flag = "" if row.agrees else "  ANSWERS DIFFER"
    print(f"{row.size:<5} {row.key + ' ' + row.title:<37}| {row.p50['ours']:6.1f}ms "
          f"{row.p50['peer']:5.1f}ms {p50:5.2f} | {row.p95['ours']:6.1f}ms {row.p95['peer']:5.1f}ms"
          f" | {ours.rps:10.1f} {peer.rps:6.1f} {rps:5.2f} | {ours.cpu_ms:15.2f} {peer.cpu_ms:6.2f}"
          f" | {ours.db_cpu_ms:14.2f} {peer.db_cpu_ms:6.2f}{flag}", flush=True)


def measure(question: Question, ours: Server, peer: Server, db_pid: int | None,
            args: argparse.Namespace, size: tuple[str, int]) -> Row:
    problem = disagreement(question, ours, peer)
    if problem:
        print(f"  {question.key} at {size[0]}: the answers differ: {problem}", flush=True)
    row = Row(size[0], size[1], question.key, question.title, problem is None)
    for side, spent in latencies(question, ours, peer, args.requests).items():
        p50, p95, _ = summary(spent)
        row.p50[side], row.p95[side] = p50, p95
    order = [("ours", ours), ("peer", peer)]
    for side, server in order if int(question.key[1:]) % 2 else order[::-1]:
        row.load[side] = throughput(question, side, server, db_pid, args.duration)
    return row


def neo4j_pid() -> int | None:
    """The local Neo4j's process, for its CPU; None when NEO4J_URI points elsewhere."""
    if config.from_environment():
        return None
    info = LocalServer("bench").info()
    return info.pid if info else None


def run_size(scale: int, conn: config.Connection, logs: Path,
             args: argparse.Namespace) -> list[Row]:
    driver = db.open_driver(conn)
    try:
        print(f"Building the graph x{scale} ...", flush=True)
        nodes = build_graph(driver, scale)
    finally:
        driver.close()
    label = "seed" if scale == 1 else f"x{scale}"
    ours, peer = start_both(conn, logs, label)
    try:
        print(f"Graph {label}: {nodes:,} nodes; both servers up.", flush=True)
        print(HEADER, flush=True)
        rows = []
        for question in (q for q in QUESTIONS if q.key in args.questions):
            rows.append(measure(question, ours, peer, neo4j_pid(), args, (label, nodes)))
            print_row(rows[-1])
        return rows
    finally:
        ours.stop()
        peer.stop()


def verdict(rows: list[Row]) -> list[str]:
    """The aims missed (empty when all are met)."""
    missed = []
    for row in rows:
        p50, rps = row.ratios()
        missed += [f"{row.key} at {row.size}: p50 ratio {p50:.2f} > 1.0"] if p50 > 1.0 else []
        missed += [f"{row.key} at {row.size}: throughput ratio {rps:.2f} < 1.0"] \
            if rps < 1.0 else []
        missed += [f"{row.key} at {row.size}: the answers differ"] if not row.agrees else []
    return missed


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200,
                        help="single-client requests per question and side (default 200)")
    parser.add_argument("--duration", type=float, default=5.0,
                        help="seconds of 8-client load per question and side (default 5)")
    parser.add_argument("--sizes", default="seed,100",
                        help="graph sizes: seed and/or copies of it, e.g. seed,100")
    parser.add_argument("--questions", default="Q1,Q2,Q3,Q4,Q5")
    parser.add_argument("--quick", action="store_true",
                        help="a short run: by default seed only, 30 requests, 2 s of load")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--typedefs", action="store_true",
                        help="print the peer's type definitions and exit")
    if parser.parse_args().quick:  # shorter defaults; options given still count
        parser.set_defaults(requests=30, duration=2.0, sizes="seed")
    args = parser.parse_args()
    args.questions = [q.strip().upper() for q in args.questions.split(",")]
    try:
        args.scales = [1 if s.strip() == "seed" else int(s) for s in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: give 'seed' or whole numbers, e.g. seed,100")
    return args


def write_json(path: Path, rows: list[Row]) -> None:
    path.write_text(json.dumps([{
        "graph": r.size, "nodes": r.nodes, "question": r.key, "title": r.title,
        "answersAgree": r.agrees, "p50ms": r.p50, "p95ms": r.p95,
        "requestsPerSecond": {s: load.rps for s, load in r.load.items()},
        "requestsUnderLoad": {s: load.requests for s, load in r.load.items()},
        "serverCpuMsPerRequest": {s: load.cpu_ms for s, load in r.load.items()},
        "neo4jCpuMsPerRequest": {s: load.db_cpu_ms for s, load in r.load.items()},
        "ratios": dict(zip(("p50", "throughput"), r.ratios(), strict=True)),
    } for r in rows], indent=2) + "\n")


def main() -> None:
    args = options()
    if args.typedefs:
        print(typedefs())
        return
    logs = Path(tempfile.mkdtemp(prefix="pkb-peer-"))
    print(f"Logs of both servers: {logs}", flush=True)
    ensure_peer_installed(logs)
    conn = db.connection("bench", progress=print)
    print(f"Neo4j: {conn.uri} (user {conn.user}), for both servers.", flush=True)
    print(f"Single client: {args.requests} requests each, alternating; {CLIENTS} clients: "
          f"{args.duration:g} s each. CPU per request is measured under the {CLIENTS} clients.")
    rows: list[Row] = []
    for scale in args.scales:
        rows += run_size(scale, conn, logs, args)
    driver = db.open_driver(conn)
    wipe(driver)
    driver.execute_query("DROP INDEX bench_clone IF EXISTS")
    driver.close()
    if args.out:
        write_json(args.out, rows)
    missed = verdict(rows)
    print("Aims met on every question." if not missed else "Aims missed:\n  " +
          "\n  ".join(missed))
    if not all(row.agrees for row in rows):
        raise SystemExit("bench/peer.py: the two APIs gave different answers (see above).")


if __name__ == "__main__":
    main()
