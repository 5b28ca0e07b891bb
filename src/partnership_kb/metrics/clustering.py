"""Robins and Alexander's two-mode clustering (4 x 4-cycles / 3-paths), as networkx's
`bipartite.robins_alexander_clustering` counts them, from the pairs of nodes that share
neighbours rather than from a set intersection per pair of ties: seconds instead of minutes
at national scale.

With c(u, w) the neighbours u and w share: networkx counts sum over pairs of c(c - 1) / 4
four-cycles, and (sum over ties u-w, both ways, of (deg u - 1)(deg w - 1) - 6 triangles) / 2
three-paths, where the triangles are sum over tied pairs of c / 3.
"""

from __future__ import annotations

import numpy as np

from .indexed import Indexed, Ints


def shared_neighbours(start: Ints, neighbours: Ints, n: int) -> tuple[Ints, Ints]:
    """Every pair of nodes (as u * n + w, u < w) with a neighbour in common, and how many."""
    pairs: list[Ints] = []
    for node in range(n):
        around = np.sort(neighbours[start[node]:start[node + 1]])
        if len(around) > 1:
            first, second = np.triu_indices(len(around), k=1)
            pairs.append(around[first] * n + around[second])
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    found, counts = np.unique(np.concatenate(pairs), return_counts=True)
    return found, counts


def two_mode_clustering(fast: Indexed) -> float:
    if fast.size < 4 or len(fast.neighbours) < 6:  # networkx: fewer than 4 nodes or 3 ties
        return 0.0
    n, degree = fast.size, fast.degree()
    origin = np.repeat(np.arange(n), degree)
    pairs, shared = shared_neighbours(fast.start, fast.neighbours, n)
    ties = origin * n + fast.neighbours
    triangles = int(shared[np.isin(pairs, ties[origin < fast.neighbours])].sum()) // 3
    paths = (int(((degree[origin] - 1) * (degree[fast.neighbours] - 1)).sum())
             - 6 * triangles) // 2
    if paths == 0:
        return 0.0
    cycles = int((shared * (shared - 1)).sum()) / 4
    return 4.0 * cycles / paths
