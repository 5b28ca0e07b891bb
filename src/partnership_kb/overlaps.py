"""Board overlaps counted and ranked in Python, from the compact seats (seats.py): which boards
each member (a person through their posts, else the member itself) sits on.

Counting every pair of boards in Cypher holds one grouping row per pair and costs seconds at
national scale; here the members on the same number of boards are expanded together, pairs are
integers in numpy arrays, and the ranking is one sort of integer keys. The order and the counts
are those of the named query `board_overlaps`, which counts in Cypher (tests compare both, and
both with the raw memberships).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .seats import Ints, Level, Seats

# Past this many pairs counted (each distinct set of boards expanded, times its members) or
# kept, the question is the caller's to narrow, as when Neo4j's transaction memory is exceeded.
# Measured at 300 districts: 950,000 pairs counted, 51,000 kept with minShared 3, 219,000 with
# 2, 655,000 with 1; the counts grow as the number of districts does.
MAX_WORK = 5_000_000
MAX_KEPT = 250_000


class TooMany(Exception):
    """More pairs than one answer may count or keep."""


@dataclass(frozen=True, eq=False)
class Ranked:
    """Pairs of boards sharing at least `min_shared` members, counted on one data version."""

    version: str | None
    ids: list[str]  # the boards' ids, sorted: a pair (i, j) has i < j, so ids[i] < ids[j]
    name_rank: Ints = field(repr=False)  # each board's place by lower-cased name
    counts: Ints = field(repr=False)  # the pairs, most shared first: counts, i and j
    i: Ints = field(repr=False)
    j: Ints = field(repr=False)

    def __len__(self) -> int:
        return len(self.counts)

    @cached_property
    def by_name(self) -> Ints:
        """The pairs' places by a's name, b's name, a's id, b's id (made when first asked)."""
        return np.lexsort((self.j, self.i, self.name_rank[self.j], self.name_rank[self.i]))

    def page(self, shared_first: bool, start: int, first: int) -> list[tuple[str, str, int]]:
        """The pairs of one page, as (a's id, b's id, count)."""
        chosen = (np.arange(start, min(start + first, len(self))) if shared_first
                  else self.by_name[start:start + first])
        return [(self.ids[self.i[at]], self.ids[self.j[at]], int(self.counts[at]))
                for at in chosen]


def rank_seats(seats: Seats, min_shared: int) -> Ranked:
    """The overlaps of the seats as counted for members (people through their posts)."""
    assert seats.level is Level.MEMBER
    counted = seats.counted
    return rank(seats.version, seats.board_ids, seats.board_names, counted.start,
                counted.boards, min_shared)


def rank(version: str | None, ids: list[str], names: Sequence[Any], start: Ints,
         boards: Ints, min_shared: int) -> Ranked:
    """Count the pairs of boards (places in the sorted `ids`) sharing at least `min_shared`
    members, the k-th member on boards[start[k]:start[k + 1]] (ascending), most shared first,
    then by a's name, b's name, a's id, b's id (as board_overlaps orders them)."""
    keys, counts = pair_counts(start, boards, len(ids))
    kept = counts >= min_shared
    if int(kept.sum()) > MAX_KEPT:  # read at each call: tests lower the limits
        raise TooMany(f"{int(kept.sum()):,} pairs to keep")
    keys, counts = keys[kept], counts[kept]
    n = max(len(ids), 1)
    i, j = keys // n, keys % n
    ranks = name_ranks(names)
    order = np.lexsort((j, i, ranks[j], ranks[i], -counts))
    return Ranked(version, ids, ranks, counts[order], i[order], j[order])


def pair_counts(start: Ints, boards: Ints, n: int) -> tuple[Ints, Ints]:
    """Each pair of boards (as i * n + j, i < j) and how many members sit on both: the
    members on the same number of boards expanded together, in numpy."""
    sizes = np.diff(start)
    work = int((sizes * (sizes - 1) // 2).sum())
    if work > MAX_WORK:
        raise TooMany(f"{work:,} pairs to count")
    keys = [np.zeros(0, np.int64)]
    for size in np.unique(sizes[sizes > 1]).tolist():
        on = boards[start[:-1][sizes == size][:, None] + np.arange(size)]  # one row a member
        a, b = np.triu_indices(size, 1)
        keys.append((on[:, a] * n + on[:, b]).ravel())
    unique, counts = np.unique(np.concatenate(keys), return_counts=True)
    return unique.astype(np.int64), counts.astype(np.int64)


def name_ranks(names: Sequence[Any]) -> Ints:
    """Each board's dense rank by lower-cased name; a board with no name sorts last (as a
    null does in Cypher's ORDER BY)."""
    def key(name: Any) -> tuple[bool, str]:
        return name is None, str(name).lower() if name is not None else ""
    places = {k: place for place, k in enumerate(sorted({key(name) for name in names}))}
    return np.array([places[key(name)] for name in names], dtype=np.int64)
