"""Burt's constraint and effective size (Burt, 1992), exactly as networkx defines them (its
`constraint` and its `effective_size` computed node by node, which follows Burt), as array sums
over the two-step paths of the network, in batches of nodes.

For node i with ties j, p_ij is the tie's share of i's ties (by weight) and m_jq the strength of
j's tie to q against j's strongest tie. Burt's constraint is sum over j of (p_ij + sum over q of
p_iq p_qj)^2, his effective size sum over j of (1 - sum over q of p_iq m_jq), q running over the
nodes tied to both i and j. For unweighted networks the effective size is Borgatti's (1997)
n - 2t / n (t ties among the n contacts), as every m is 1.

networkx 3.6's `effective_size` has a second, sparse-matrix path, taken when scipy is installed
and no `nodes` are given, which divides by q's strongest tie instead of j's: on weighted
networks it disagrees with Burt (networkx pull request 8906). This module follows Burt.
"""

from __future__ import annotations

import numpy as np

from .indexed import Floats, Indexed, Ints

BATCH_PATHS = 4_000_000  # two-step paths handled at once
BATCH_CELLS = 2_000_000  # nodes in a batch x nodes in the network: its table of ties


def batches(graph: Indexed) -> list[Ints]:
    """The nodes in runs whose two-step paths number about BATCH_PATHS at most, and no more
    than BATCH_CELLS / n nodes."""
    degree = graph.degree()
    origin = np.repeat(np.arange(graph.size), degree)
    paths = np.bincount(origin, weights=degree[graph.neighbours], minlength=graph.size)
    ends = np.searchsorted(np.cumsum(paths), np.arange(1, 1 + len(paths)) * BATCH_PATHS)
    bounds = np.unique(np.concatenate(([0], np.minimum(ends + 1, graph.size), [graph.size])))
    most = max(1, BATCH_CELLS // max(1, graph.size))
    return [np.arange(first, min(first + most, b))
            for a, b in zip(bounds[:-1], bounds[1:], strict=True) for first in range(a, b, most)]


def slots_of(graph: Indexed, nodes: Ints) -> tuple[Ints, Ints]:
    """Every tie out of `nodes`: (the node it leaves, its position in graph.neighbours)."""
    counts = graph.degree()[nodes]
    ends = np.cumsum(counts)
    slots = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - counts, counts)
    return np.repeat(nodes, counts), np.repeat(graph.start[nodes], counts) + slots


def structural_holes(graph: Indexed, weighted: bool) -> tuple[Floats, Floats]:
    """Constraint and effective size of every node; NaN for an isolate, as networkx says."""
    n, ties = graph.size, len(graph.neighbours)
    tie = graph.weight if weighted else np.ones(ties)
    origin = np.repeat(np.arange(n), graph.degree())
    total = np.bincount(origin, weights=tie, minlength=n)
    strongest = np.zeros(n)
    np.maximum.at(strongest, origin, tie)
    share = tie / total[origin]  # p_ij, at the slot of the tie i-j
    indirect, redundant = np.zeros(ties), np.zeros(ties)  # per tie i-j: the sums over q
    for nodes in batches(graph):
        row = np.full(n, -1, dtype=np.int64)
        row[nodes] = np.arange(len(nodes))
        slot_of = np.full((len(nodes), n), -1, dtype=np.int64)  # the tie i-j's slot
        mine, first = slots_of(graph, nodes)
        slot_of[row[mine], graph.neighbours[first]] = first
        middle = graph.neighbours[first]  # q
        _, second = slots_of(graph, middle)  # q-j
        i = np.repeat(mine, graph.degree()[middle])
        via = np.repeat(first, graph.degree()[middle])  # the slot of i-q
        j = graph.neighbours[second]
        closing = slot_of[row[i], j]  # the tie i-j, where there is one
        kept = closing >= 0
        closing, via, second, j = closing[kept], via[kept], second[kept], j[kept]
        q = graph.neighbours[via]
        indirect += np.bincount(closing, weights=share[via] * tie[second] / total[q],
                                minlength=ties)
        redundant += np.bincount(closing, weights=share[via] * tie[second] / strongest[j],
                                 minlength=ties)
    constraint: Floats = np.bincount(origin, weights=(share + indirect) ** 2,
                                     minlength=n).astype(np.float64)
    effective: Floats = np.bincount(origin, weights=1.0 - redundant,
                                    minlength=n).astype(np.float64)
    isolated = graph.degree() == 0
    constraint[isolated] = effective[isolated] = np.nan
    return constraint, effective
