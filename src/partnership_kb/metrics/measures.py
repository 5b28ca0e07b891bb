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

import networkx as nx
import numpy as np

from . import paths
from .clustering import two_mode_clustering
from .holes import structural_holes
from .indexed import Floats, Indexed, Ints, eigenvector, indexed
from .network import NodeKey

SEED = 42
EXACT_WORK = 10_000_000  # nodes x ties: about 10 s of networkx's exact betweenness
SAMPLE = 256
MAX_ITER = 1000  # steps of the eigenvector power iteration before it counts as unsettled


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


@dataclass(frozen=True)
class Halved:
    """A bipartite network in which `graph`'s nodes lie exactly twice as many steps apart (the
    two-mode network a one-mode projection was made from): far fewer ties to search."""

    graph: Indexed
    at: Ints  # each node of the projection's position in it


def halved(projection: Indexed, bipartite: Indexed) -> Halved:
    fast = bipartite
    position = {key: i for i, key in enumerate(fast.keys)}
    return Halved(fast, np.array([position[key] for key in projection.keys], dtype=np.int64))


def measure(graph: nx.Graph, source: nx.Graph, weighted: bool, exact_work: int = EXACT_WORK,
            sample: int = SAMPLE, bipartite_source: bool = False) -> Measured:
    """Every measure of `graph`; `source` is the two-mode network it was projected from.
    Weighted: ties count by their weight (seats, or members shared); path measures treat a
    strong tie as short (edge attribute `distance`, see network.with_distances).
    bipartite_source: `graph` is the projection of the bipartite `source` onto one side, so
    distances in steps are found there, halved."""
    weight = "weight" if weighted else None
    fast = indexed(graph)
    two_mode = fast if source is graph else indexed(source)
    via = halved(fast, two_mode) if bipartite_source and not weighted else None
    n = fast.size
    sampled = n * graph.number_of_edges() > exact_work
    k = min(sample, n) if sampled else None
    # networkx's own sample for betweenness(k, seed): the same draw over the same node order
    sources = random.Random(SEED).sample(range(n), k) if k is not None and k < n else None
    betweenness = paths.betweenness(fast, sources, weighted)
    closeness = closeness_of(graph, fast, k, weighted, via)
    eigenvector = eigenvector_of(fast, weighted)
    constraint, effective = structural_holes(fast, weighted)
    communities = community_of(graph, weight)
    nodes = [NodeMeasures(
        id=data["id"], label=data["label"], name=data["name"], mode=data["mode"],
        degree=graph.degree(node), weighted_degree=float(graph.degree(node, weight="weight")),
        betweenness=float(betweenness[i]), closeness=closeness[node],
        eigenvector=None if eigenvector is None else float(eigenvector[i]),
        constraint=finite(constraint[i]), effective_size=finite(effective[i]),
        community=communities[node])
        for i, (node, data) in enumerate(graph.nodes(data=True))]
    return Measured(whole(graph, fast, two_mode, k, len(set(communities.values())), via), nodes)


def eigenvector_of(graph: Indexed, weighted: bool) -> Floats | None:
    """Eigenvector centrality; None when the power iteration does not settle (then null)."""
    if len(graph.neighbours) == 0:
        return None
    return eigenvector(graph, weighted, max_iter=MAX_ITER)


def canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph with its nodes and ties in sorted order: Louvain visits nodes in the
    order the graph holds them, so this makes its answer depend on the network alone."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_weighted_edges_from(sorted(
        (min(a, b), max(a, b), w) for a, b, w in graph.edges(data="weight", default=1)))
    return ordered


def in_order(graph: nx.Graph) -> bool:
    """Whether the graph already holds its nodes, and each node its ties, in sorted order."""
    nodes = list(graph)
    return all(a < b for a, b in zip(nodes, nodes[1:], strict=False)) and all(
        all(a < b for a, b in zip(ties, ties[1:], strict=False))
        for ties in (list(graph[node]) for node in nodes))


def community_of(graph: nx.Graph, weight: str | None) -> dict[NodeKey, int]:
    """Louvain communities with a fixed seed, numbered from 0 by size (largest first), ties by
    their first member, so the numbers are stable for the same network."""
    sorted_graph = graph if in_order(graph) else canonical(graph)  # projections come sorted
    found = nx.community.louvain_communities(sorted_graph, weight=weight, seed=SEED) \
        if graph.number_of_nodes() else []
    ordered = sorted(found, key=lambda group: (-len(group), min(group)))
    return {node: number for number, group in enumerate(ordered) for node in group}


def sources_of(component: set[NodeKey], k: int) -> list[NodeKey]:
    return random.Random(SEED).sample(sorted(component), k)


def total_lengths(graph: Indexed, sources: list[int], weighted: bool,
                  via: Halved | None = None) -> Floats:
    """Each node's summed distance from `sources` (in steps, or by distance when weighted)."""
    if via is not None and not weighted:
        twice = total_lengths(via.graph, via.at[sources].tolist(), weighted=False)
        halves: Floats = twice[via.at] / 2
        return halves
    totals = np.zeros(graph.size)
    if weighted:
        ties = paths.lists_of(graph)
        for source in sources:
            for node, length in paths.lengths_from(ties, source).items():
                totals[node] += length
        return totals
    for level, _, nodes in paths.levels_from(graph, sources):
        totals += np.bincount(nodes, minlength=graph.size) * level
    return totals


def closeness_of(graph: nx.Graph, fast: Indexed, k: int | None, weighted: bool,
                 via: Halved | None = None) -> dict[NodeKey, float]:
    """Closeness as networkx defines it: (r - 1) / (sum of distances to the r nodes a node
    reaches), scaled by (r - 1) / (n - 1). The sum is exact from every node of a component no
    larger than k (every component when k is None), else estimated from k of them drawn with
    the seed, scaled up by size / k (Eppstein and Wang, 2004)."""
    n = fast.size
    position = {key: i for i, key in enumerate(fast.keys)}
    sizes, drawn = np.zeros(n), np.zeros(n)  # each node's component: its size, its sources
    sources: list[int] = []
    for component in nx.connected_components(graph):
        members = [position[node] for node in component]
        chosen = members if k is None or len(members) <= k else \
            [position[node] for node in sources_of(component, k)]
        sizes[members], drawn[members] = len(members), len(chosen)
        sources += chosen
    totals = total_lengths(fast, sources, weighted, via)  # each search stays in its component
    closeness: dict[NodeKey, float] = {}
    for i, key in enumerate(fast.keys):
        size = sizes[i]
        mean = totals[i] * size / (drawn[i] * (size - 1)) if size > 1 else 0.0
        closeness[key] = (size - 1) / (n - 1) / mean if mean > 0 else 0.0
    return closeness


def whole(graph: nx.Graph, fast: Indexed, source: Indexed, k: int | None,
          communities: int, via: Halved | None = None) -> GraphMeasures:
    """The measures of the whole network; diameter and average path length (in steps) are of
    its largest component, as they are undefined across components."""
    parts = list(nx.connected_components(graph))
    largest = max(parts, key=len) if parts else set()
    position = {key: i for i, key in enumerate(fast.keys)}
    members = np.array(sorted(position[node] for node in largest), dtype=np.int64)
    diameter = paths.diameter(fast, members) if len(largest) > 1 else None
    average = None
    if len(largest) > 1:  # the mean over pairs, from every node or from k drawn with the seed
        starts = members.tolist() if k is None or len(largest) <= k else \
            [position[start] for start in sources_of(largest, k)]
        total = float(total_lengths(fast, starts, weighted=False, via=via).sum())
        average = total / (len(starts) * (len(largest) - 1))
    return GraphMeasures(
        nodes=graph.number_of_nodes(), edges=graph.number_of_edges(),
        density=nx.density(graph) if graph.number_of_nodes() > 1 else 0.0,
        components=len(parts), largest_component=len(largest), diameter=diameter,
        average_path_length=average, two_mode_clustering=two_mode_clustering(source),
        communities=communities, sampled_sources=k)
