"""Per-node and whole-network measures of one network, computed with networkx.

Exact while nodes x ties (the work of a shortest-path search from every node) is at most
EXACT_WORK. Above it, the measures that need a shortest-path search from
every node (betweenness, closeness, average path length) are estimated from SAMPLE sources
drawn with a fixed seed, so the same graph always gives the same figures: betweenness by
networkx's own sampling (Brandes and Pich, 2007), closeness and average path length from the
distances to those sources (Eppstein and Wang, 2004). `bench/metrics.py` measures the error.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .network import NodeKey

SEED = 42
EXACT_WORK = 10_000_000  # nodes x ties: about 10 s of networkx's exact betweenness
SAMPLE = 256


@dataclass(frozen=True)
class NodeMeasures:
    id: str
    label: str
    name: str
    mode: str
    degree: int
    weighted_degree: float
    betweenness: float
    closeness: float
    eigenvector: float | None
    constraint: float | None
    effective_size: float | None
    community: int


@dataclass(frozen=True)
class GraphMeasures:
    nodes: int
    edges: int
    density: float
    components: int
    largest_component: int
    diameter: int | None
    average_path_length: float | None
    two_mode_clustering: float
    communities: int
    sampled_sources: int | None  # None: betweenness and closeness are exact


@dataclass(frozen=True)
class Measured:
    graph: GraphMeasures
    nodes: list[NodeMeasures]


def finite(value: float | None) -> float | None:
    """networkx says NaN where a measure is undefined (constraint of an isolate): null."""
    return None if value is None or math.isnan(value) else float(value)


def measure(graph: nx.Graph, source: nx.Graph, weighted: bool, exact_work: int = EXACT_WORK,
            sample: int = SAMPLE) -> Measured:
    """Every measure of `graph`; `source` is the two-mode network it was projected from.
    Weighted: ties count by their weight (seats, or members shared); path measures treat a
    strong tie as short (edge attribute `distance`, see network.with_distances)."""
    weight = "weight" if weighted else None
    distance = "distance" if weighted else None
    n = graph.number_of_nodes()
    sampled = n * graph.number_of_edges() > exact_work
    k = min(sample, n) if sampled else None
    betweenness = nx.betweenness_centrality(graph, k=k, normalized=True, weight=distance,
                                            seed=SEED if sampled else None)
    closeness = estimated_closeness(graph, k, distance) if k else \
        nx.closeness_centrality(graph, distance=distance)
    eigenvector = eigenvector_of(graph, weight)
    constraint, effective = structural_holes(graph, weight)
    communities = community_of(graph, weight)
    nodes = [NodeMeasures(
        id=data["id"], label=data["label"], name=data["name"], mode=data["mode"],
        degree=graph.degree(node), weighted_degree=float(graph.degree(node, weight="weight")),
        betweenness=betweenness[node], closeness=closeness[node],
        eigenvector=eigenvector.get(node), constraint=finite(constraint[node]),
        effective_size=finite(effective[node]), community=communities[node])
        for node, data in graph.nodes(data=True)]
    return Measured(whole(graph, source, k, len(set(communities.values()))), nodes)


def structural_holes(graph: nx.Graph, weight: str | None) -> tuple[dict[NodeKey, float],
                                                                   dict[NodeKey, float]]:
    """Burt's constraint and effective size, exactly as networkx defines them (its
    `constraint` and `effective_size`), in one pass over each tie's shared neighbours: without
    scipy networkx's own take minutes at 2,000 nodes, and with it effective size needs a dense
    n x n matrix. Isolates: NaN, as networkx says."""
    def tie(a: NodeKey, b: NodeKey) -> float:
        return float(graph[a][b].get(weight, 1)) if weight else 1.0

    # A tie's share of a node's ties (sum) and its strength against the node's strongest (max).
    share: dict[NodeKey, dict[NodeKey, float]] = {}
    strength: dict[NodeKey, dict[NodeKey, float]] = {}
    for node in graph:
        ties = {other: tie(node, other) for other in graph[node] if other != node}
        total, strongest = sum(ties.values()), max(ties.values(), default=0.0)
        share[node] = {o: t / total for o, t in ties.items()} if total else {}
        strength[node] = {o: t / strongest for o, t in ties.items()} if strongest else {}
    constraint: dict[NodeKey, float] = {}
    effective: dict[NodeKey, float] = {}
    for node, mine in share.items():
        if not mine:
            constraint[node] = effective[node] = float("nan")
            continue
        total_constraint = total_size = 0.0
        for other in mine:
            theirs = share[other]
            small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
            shared = [x for x in small if x in large]
            indirect = sum(mine[x] * share[x][other] for x in shared)
            total_constraint += (mine[other] + indirect) ** 2
            redundancy = sum(mine[x] * strength[other][x] for x in shared)
            total_size += 1 - redundancy
        constraint[node], effective[node] = total_constraint, total_size
    return constraint, effective


def eigenvector_of(graph: nx.Graph, weight: str | None) -> dict[NodeKey, float]:
    """Eigenvector centrality; empty when the power iteration does not settle (then null)."""
    if graph.number_of_edges() == 0:
        return {}
    try:
        return dict(nx.eigenvector_centrality(graph, max_iter=1000, weight=weight))
    except nx.PowerIterationFailedConvergence:
        return {}


def canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph with its nodes and ties in sorted order: Louvain visits nodes in the
    order the graph holds them, so this makes its answer depend on the network alone."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_weighted_edges_from(sorted(
        (min(a, b), max(a, b), w) for a, b, w in graph.edges(data="weight", default=1)))
    return ordered


def community_of(graph: nx.Graph, weight: str | None) -> dict[NodeKey, int]:
    """Louvain communities with a fixed seed, numbered from 0 by size (largest first), ties by
    their first member, so the numbers are stable for the same network."""
    found = nx.community.louvain_communities(canonical(graph), weight=weight, seed=SEED) \
        if graph.number_of_nodes() else []
    ordered = sorted(found, key=lambda group: (-len(group), min(group)))
    return {node: number for number, group in enumerate(ordered) for node in group}


def sources_of(component: set[NodeKey], k: int) -> list[NodeKey]:
    return random.Random(SEED).sample(sorted(component), k)


def distances_from(graph: nx.Graph, source: NodeKey, distance: str | None) -> dict[NodeKey, Any]:
    if distance is None:
        return dict(nx.single_source_shortest_path_length(graph, source))
    return dict(nx.single_source_dijkstra_path_length(graph, source, weight=distance))


def estimated_closeness(graph: nx.Graph, k: int, distance: str | None) -> dict[NodeKey, float]:
    """Closeness as networkx defines it (scaled by the share of the graph each node reaches),
    its mean distance estimated from k sources in each component larger than k; smaller
    components are measured exactly."""
    n = graph.number_of_nodes()
    closeness: dict[NodeKey, float] = {}
    for component in nx.connected_components(graph):
        size = len(component)
        if size <= k:
            part = nx.closeness_centrality(graph.subgraph(component), distance=distance)
            closeness.update({node: value * (size - 1) / (n - 1) if n > 1 else 0.0
                              for node, value in part.items()})
            continue
        totals = dict.fromkeys(component, 0.0)
        for source in sources_of(component, k):
            for node, length in distances_from(graph, source, distance).items():
                totals[node] += length
        for node, total in totals.items():
            mean = total * size / (k * (size - 1))  # a source at itself adds 0: rescale
            closeness[node] = (size - 1) / (n - 1) / mean if mean > 0 else 0.0
    return closeness


def whole(graph: nx.Graph, source: nx.Graph, k: int | None, communities: int) -> GraphMeasures:
    """The measures of the whole network; diameter and average path length (in steps) are of
    its largest component, as they are undefined across components."""
    parts = list(nx.connected_components(graph))
    largest = max(parts, key=len) if parts else set()
    core = graph.subgraph(largest)
    diameter = nx.diameter(core, usebounds=True) if len(largest) > 1 else None
    if len(largest) <= 1:
        average = None
    elif k is None or len(largest) <= k:
        average = nx.average_shortest_path_length(core)
    else:
        lengths = [length for start in sources_of(largest, k)
                   for length in nx.single_source_shortest_path_length(core, start).values()]
        average = sum(lengths) / (k * (len(largest) - 1))
    return GraphMeasures(
        nodes=graph.number_of_nodes(), edges=graph.number_of_edges(),
        density=nx.density(graph) if graph.number_of_nodes() > 1 else 0.0,
        components=len(parts), largest_component=len(largest), diameter=diameter,
        average_path_length=average,
        two_mode_clustering=nx.bipartite.robins_alexander_clustering(source),
        communities=communities, sampled_sources=k)
