"""Board overlaps counted and ranked in Python, from the compact seats the named query
`board_seats` reads: which boards each member (a person through their posts, else the member
itself) sits on.

Counting every pair of boards in Cypher holds one grouping row per pair and costs seconds at
national scale; here each distinct set of boards is expanded once (members sharing exactly the
same boards, such as a county's officers, are counted together), pairs are small integers, and
the ranking sorts integers. The order and the counts are those of `board_seats`'s sibling
`board_overlaps`, which counts in Cypher (tests compare both with the raw memberships).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Any

# Past this many pairs counted (expanding each distinct set of boards) or kept, the question is
# the caller's to narrow, as when Neo4j's transaction memory is exceeded: 300 districts with
# minShared 3 count about ... pairs and keep ...
MAX_WORK = 30_000_000
MAX_KEPT = 2_000_000


class TooMany(Exception):
    """More pairs than one answer may count or keep."""


@dataclass(frozen=True)
class Ranked:
    """Pairs of boards sharing at least `min_shared` members, counted on one data version."""

    version: str | None
    ids: list[str]  # the boards' ids, sorted: a pair (i, j) has i < j, so ids[i] < ids[j]
    name_rank: list[int]  # each board's place by lower-cased name (equal names, equal places)
    pairs: list[tuple[int, int, int]] = field(repr=False)  # (count, i, j), in no order

    def __len__(self) -> int:
        return len(self.pairs)

    @cached_property
    def by_shared(self) -> list[tuple[int, int, int]]:
        """Most shared first, then by a's name, b's name, a's id, b's id (as board_overlaps)."""
        return self._sorted(shared_first=True)

    @cached_property
    def by_name(self) -> list[tuple[int, int, int]]:
        return self._sorted(shared_first=False)

    def _sorted(self, shared_first: bool) -> list[tuple[int, int, int]]:
        # One integer per pair sorts several times faster than a tuple of strings.
        n, rank = max(len(self.ids), 1), self.name_rank
        most = max((c for c, _, _ in self.pairs), default=0)
        keyed = sorted(((((most - c if shared_first else 0) * n + rank[i]) * n + rank[j]) * n
                        + i) * n + j for c, i, j in self.pairs)
        counts = {(i, j): c for c, i, j in self.pairs}
        out = []
        for key in keyed:
            key, j = divmod(key, n)
            i = key % n
            out.append((counts[(i, j)], i, j))
        return out

    def page(self, shared_first: bool, start: int, first: int) -> list[tuple[str, str, int]]:
        """The pairs of one page, as (a's id, b's id, count)."""
        ordered = self.by_shared if shared_first else self.by_name
        return [(self.ids[i], self.ids[j], c) for c, i, j in ordered[start:start + first]]


def rank(version: str | None, boards: Sequence[Sequence[Any]],
         seats: Sequence[Sequence[str]], min_shared: int) -> Ranked:
    """Count the pairs of `seats` (each member's boards) sharing at least `min_shared`."""
    ids = sorted(str(board[0]) for board in boards)
    index = {id_: i for i, id_ in enumerate(ids)}
    names = {str(board[0]): board[1] for board in boards}
    n = max(len(ids), 1)
    # Members on exactly the same boards are counted once, times how many they are.
    sets = Counter(tuple(sorted(index[b] for b in seat)) for seat in seats)
    work = sum(len(s) * (len(s) - 1) // 2 for s in sets)
    if work > MAX_WORK:
        raise TooMany(f"{work:,} pairs to count")
    counts: Counter[int] = Counter()
    for members, times in sets.items():
        keys = [i * n + j for i, j in combinations(members, 2)]
        if times == 1:
            counts.update(keys)  # counted in C
        else:
            for key in keys:
                counts[key] += times
    kept = [(c, key // n, key % n) for key, c in counts.items() if c >= min_shared]
    if len(kept) > MAX_KEPT:
        raise TooMany(f"{len(kept):,} pairs to keep")
    return Ranked(version, ids, name_ranks(ids, names), kept)


def name_ranks(ids: list[str], names: dict[str, Any]) -> list[int]:
    """Each board's dense rank by lower-cased name; a board with no name sorts last (as a
    null does in Cypher's ORDER BY)."""
    def key(id_: str) -> tuple[bool, str]:
        name = names.get(id_)
        return name is None, str(name).lower() if name is not None else ""
    places = {k: place for place, k in enumerate(sorted({key(id_) for id_ in ids}))}
    return [places[key(id_)] for id_ in ids]
