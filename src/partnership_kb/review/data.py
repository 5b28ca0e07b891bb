"""What a structure review says, read from the graph: bodies against the guidance, the
member-board network with its interlocks and overlaps, the rule checks' findings, and metrics.

Interlocks, overlaps and metrics are computed from the same network the broker rule reads
(queries/checks/broker.cypher), so every part of the review agrees on what is in scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from neo4j import Driver

from ..checks import Finding, run_checks
from ..checks.rules import project_rules
from ..checks.run import rows_of
from ..metrics.ask import Question, answer
from ..metrics.measures import NodeMeasures
from ..metrics.network import BOARD, Projection
from ..queries import QueryRunner


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    label: str


@dataclass
class Network:
    """The two-mode network: members, boards, and the memberships linking them."""

    members: dict[str, Member] = field(default_factory=dict)
    boards: dict[str, str] = field(default_factory=dict)  # id -> name
    links: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # -> sources

    def boards_of(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for member, board in self.links:
            found[member].append(board)
        return found


@dataclass(frozen=True)
class Interlock:
    member: Member
    boards: list[str]
    sources: list[str]


@dataclass(frozen=True)
class Overlap:
    a: str
    b: str
    shared: list[Member]
    sources: list[str]


@dataclass
class Review:
    area: str | None
    area_name: str | None
    as_of: dt.date | None
    bodies: list[dict[str, Any]]
    network: Network
    interlocks: list[Interlock]
    overlaps: list[Overlap]
    findings: list[Finding]
    degree: dict[str, int]  # members' ("m:id") and boards' ("b:id") degree in the network
    documents: dict[str, str]  # source id -> title
    measures: dict[str, NodeMeasures] = field(default_factory=dict)  # the same keys


def network_of(driver: Driver, database: str | None, as_of: dt.date | None,
               area: str | None) -> Network:
    rule = project_rules()["broker"]
    records, _, _ = driver.execute_query(rule.query.text, rule.query.bind(
        {"asOf": as_of, "area": area, "dataset": None}), database_=database, routing_="r")
    network = Network()
    for row in rows_of(records):  # one per member, with its boards
        member = row["subject"]
        network.members[member["id"]] = Member(member["id"], member["name"], member["label"])
        for board, cited in zip(row["boards"], row["sources"], strict=True):
            network.boards[board["id"]] = board["name"]
            network.links.setdefault((member["id"], board["id"]), []).extend(cited or [])
    return network


def interlocks_of(network: Network) -> list[Interlock]:
    found = []
    for member, boards in network.boards_of().items():
        if len(boards) >= 2:
            sources = [s for b in boards for s in network.links[(member, b)]]
            found.append(Interlock(network.members[member],
                                   sorted(network.boards[b] for b in boards),
                                   list(dict.fromkeys(sources))))
    return sorted(found, key=lambda i: (-len(i.boards), i.member.name))


def overlaps_of(network: Network) -> list[Overlap]:
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for member, boards in network.boards_of().items():
        for a, b in combinations(sorted(boards), 2):
            shared[(a, b)].append(member)
    found = []
    for (a, b), members in shared.items():
        sources = [s for m in members for s in network.links[(m, a)] + network.links[(m, b)]]
        found.append(Overlap(network.boards[a], network.boards[b],
                             sorted((network.members[m] for m in members), key=lambda m: m.name),
                             list(dict.fromkeys(sources))))
    return sorted(found, key=lambda o: (-len(o.shared), o.a, o.b))


def measures_of(runner: QueryRunner, as_of: dt.date | None,
                area: str | None) -> dict[str, NodeMeasures]:
    """The member-board network's measures (betweenness, eigenvector, community...), as the
    API's networkMetrics gives them, keyed as the review keys its nodes."""
    question = Question(Projection.MEMBER_BOARD, as_of, area)
    measured = answer(question, runner.run("network", **question.params()))
    return {("b:" if node.mode == BOARD else "m:") + node.id: node for node in measured.nodes}


def degree_of(network: Network) -> dict[str, int]:
    """Links per node."""
    degree: dict[str, int] = defaultdict(int)
    for member, board in network.links:
        degree["m:" + member] += 1
        degree["b:" + board] += 1
    return dict(degree)


def build(driver: Driver, database: str | None = None, *, area: str | None = None,
          as_of: dt.date | None = None) -> Review:
    """Everything the review shows, read in a handful of read queries."""
    runner = QueryRunner(driver, database)
    bodies = runner.run("review_bodies", asOf=as_of, area=area)
    network = network_of(driver, database, as_of, area)
    findings = run_checks(driver, database, as_of=as_of, area=area)
    records, _, _ = driver.execute_query(
        "OPTIONAL MATCH (a:Area {id: $area}) "
        "RETURN a.name AS area, COLLECT { MATCH (s:Source) RETURN [s.id, coalesce(s.title, "
        "s.name, s.id)] } AS documents", area=area, database_=database, routing_="r")
    return Review(area, records[0]["area"], as_of, bodies, network, interlocks_of(network),
                  overlaps_of(network), findings, degree_of(network),
                  dict(records[0]["documents"]), measures_of(runner, as_of, area))
