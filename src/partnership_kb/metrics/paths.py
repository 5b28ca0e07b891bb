"""Shortest-path measures over an indexed network (indexed.py): betweenness as networkx computes
it (Brandes, 2001, from every source or from networkx's own sample of sources), distances from
chosen sources, and the exact diameter with few searches (iFUB: Crescenzi et al., 2013).

A search in steps expands a whole level of the search at once as array operations; a search by
distance (weighted: 1/weight per tie) is Dijkstra's over plain lists, as networkx's is over
dicts, with the same rule for equal lengths, so both give networkx's figures.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence

import numpy as np

from .indexed import Floats, Indexed, Ints

Lists = list[list[tuple[int, float]]]


def steps_from(graph: Indexed, source: int) -> Ints:
    """Each node's distance in steps from `source`; -1 where it is not reached."""
    steps = np.full(graph.size, -1, dtype=np.int64)
    steps[source] = 0
    level, frontier = 0, np.array([source], dtype=np.int64)
    while frontier.size:
        _, reached = graph.ties_of(frontier)
        reached = reached[steps[reached] < 0]
        level += 1
        steps[reached] = level
        frontier = np.unique(reached)
    return steps


BATCH_TIES = 8_000_000  # ties followed per level at most, over a batch of searches


def levels_from(graph: Indexed, sources: Sequence[int]) -> Iterator[tuple[int, Ints, Ints]]:
    """Searches in steps from many sources at once, in batches: for each level, the nodes
    first reached at that many steps (as positions in `sources`, and nodes)."""
    n = graph.size
    batch = max(1, BATCH_TIES // max(1, len(graph.neighbours)))
    for first in range(0, len(sources), batch):
        chosen = np.asarray(sources[first:first + batch], dtype=np.int64)
        seen = np.zeros(len(chosen) * n, dtype=bool)
        slot = np.zeros(len(chosen) * n, dtype=np.int64)  # where a pair was first listed
        frontier = np.arange(len(chosen), dtype=np.int64) * n + chosen
        seen[frontier] = True
        level = 0
        while frontier.size:
            which, nodes = np.divmod(frontier, n)
            counts = graph.degree()[nodes]
            _, reached = graph.ties_of(nodes)
            found = np.repeat(which, counts) * n + reached
            found = found[~seen[found]]
            slot[found[::-1]] = np.arange(len(found) - 1, -1, -1)  # the first listing wins
            frontier = found[slot[found] == np.arange(len(found))]  # each pair once
            seen[frontier] = True
            level += 1
            if frontier.size:
                which, nodes = np.divmod(frontier, n)
                yield level, which + first, nodes


def eccentricities(graph: Indexed, sources: Sequence[int]) -> Ints:
    """The greatest distance in steps from each source to a node it reaches."""
    farthest = np.zeros(len(sources), dtype=np.int64)
    for level, which, _ in levels_from(graph, sources):
        farthest[which] = level
    return farthest


def lists_of(graph: Indexed) -> Lists:
    """Each node's (neighbour, distance) pairs, for Dijkstra's search."""
    neighbours, distance, start = (graph.neighbours.tolist(), graph.distance.tolist(),
                                   graph.start.tolist())
    return [list(zip(neighbours[start[i]:start[i + 1]], distance[start[i]:start[i + 1]],
                     strict=True)) for i in range(graph.size)]


def lengths_from(ties: Lists, source: int) -> dict[int, float]:
    """Each reached node's shortest distance from `source` (Dijkstra)."""
    done: dict[int, float] = {}
    queue = [(0.0, source)]
    while queue:
        length, node = heapq.heappop(queue)
        if node in done:
            continue
        done[node] = length
        for other, distance in ties[node]:
            if other not in done:
                heapq.heappush(queue, (length + distance, other))
    return done


def dependencies_in_steps(graph: Indexed, source: int) -> Floats:
    """How much each node lies on shortest paths (in steps) from `source` to the others."""
    n = graph.size
    steps = np.full(n, -1, dtype=np.int64)
    paths = np.zeros(n)  # how many shortest paths from the source reach each node
    steps[source], paths[source] = 0, 1.0
    levels: list[tuple[Ints, Ints]] = []  # per level, the ties that lie on shortest paths
    level, frontier = 0, np.array([source], dtype=np.int64)
    while frontier.size:
        before, after = graph.ties_of(frontier)
        fresh = after[steps[after] < 0]
        steps[fresh] = level + 1
        forward = steps[after] == level + 1
        before, after = before[forward], after[forward]
        paths += np.bincount(after, weights=paths[before], minlength=n)
        levels.append((before, after))
        level, frontier = level + 1, np.unique(fresh)
    dependency = np.zeros(n)
    for before, after in reversed(levels):
        share = paths[before] / paths[after] * (1.0 + dependency[after])
        dependency += np.bincount(before, weights=share, minlength=n)
    dependency[source] = 0.0
    return dependency


def dependencies_by_distance(ties: Lists, source: int) -> dict[int, float]:
    """The same along shortest distances: networkx's _single_source_dijkstra_path_basic and
    _accumulate_basic over integer nodes, equal lengths compared as networkx compares them."""
    order: list[int] = []
    before: dict[int, list[int]] = {}
    paths: dict[int, float] = {source: 1.0}
    done: dict[int, float] = {}
    seen: dict[int, float] = {source: 0.0}
    queue: list[tuple[float, int, int, int]] = [(0.0, 0, source, source)]
    pushed = 1
    while queue:
        length, _, previous, node = heapq.heappop(queue)
        if node in done:
            continue
        if node != source:
            paths[node] += paths[previous]
        order.append(node)
        done[node] = length
        for other, distance in ties[node]:
            through = length + distance
            if other not in done and (other not in seen or through < seen[other]):
                seen[other] = through
                heapq.heappush(queue, (through, pushed, node, other))
                pushed += 1
                paths[other] = 0.0
                before[other] = [node]
            elif through == seen[other]:
                paths[other] += paths[node]
                before[other].append(node)
    dependency = dict.fromkeys(order, 0.0)
    for node in reversed(order):
        coefficient = (1.0 + dependency[node]) / paths[node]
        for previous in before.get(node, ()):
            dependency[previous] += paths[previous] * coefficient
    dependency[source] = 0.0
    return dependency


def betweenness(graph: Indexed, sources: Sequence[int] | None, weighted: bool) -> Floats:
    """Normalised betweenness, from every source (None) or from `sources` (networkx's sample),
    scaled exactly as networkx scales it (its _rescale, endpoints excluded)."""
    n = graph.size
    total = np.zeros(n)
    ties = lists_of(graph) if weighted else None
    for source in range(n) if sources is None else sources:
        if ties is None:
            total += dependencies_in_steps(graph, source)
        else:
            for node, value in dependencies_by_distance(ties, source).items():
                total[node] += value
    pairs = n - 1  # targets other than the node itself
    if pairs < 2:
        return total
    if sources is None:
        return total / (pairs * (pairs - 1))
    k = len(sources)
    scale = np.full(n, 1.0 / (k * (pairs - 1)))
    scale[list(sources)] = 1.0 / ((k - 1) * (pairs - 1)) if k > 1 else math.nan
    scaled: Floats = total * scale
    return scaled


def diameter(graph: Indexed, members: Ints) -> int:
    """The exact diameter, in steps, of the connected part made of `members` (iFUB): search
    from a central node u; a pair of nodes both within i - 1 steps of u is at most 2(i - 1)
    apart, so once the farthest nodes seen beat that bound, nodes nearer u can be skipped."""
    degree = graph.degree()
    start = int(members[np.argmax(degree[members])])
    a = int(np.argmax(steps_from(graph, start)))  # two sweeps find a far pair (a, b) ...
    from_a = steps_from(graph, a)
    b = int(np.argmax(from_a))
    from_b = steps_from(graph, b)
    half = from_a[b] // 2  # ... and u halfway between them
    middle = np.flatnonzero((from_a == half) & (from_b == from_a[b] - half))
    from_u = steps_from(graph, int(middle[0]))
    level = int(from_u.max())
    lower = max(int(from_a[b]), level)
    while 2 * level > lower and level > 0:
        fringe = np.flatnonzero(from_u == level).tolist()
        lower = max(lower, int(eccentricities(graph, fringe).max()))
        if lower > 2 * (level - 1):
            return lower
        level -= 1
    return lower
