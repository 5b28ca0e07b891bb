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

# Past this many pairs counted (each distinct set of boards expanded) or kept, the question is
# the caller's to narrow, as when Neo4j's transaction memory is exceeded. Measured at 122
# districts: 408,000 pairs counted, 280,000 kept with minShared 1, 94,000 with 2, 22,000 with 3;
# the counts grow as the number of districts does. A kept pair costs about 100 bytes.
MAX_WORK = 5_000_000
MAX_KEPT = 250_000


class TooMany(Exception):
    """More pairs than one answer may count or keep."""


@dataclass(frozen=True)
class Ranked:
    """Pairs of boards sharing at least `min_shared` members, counted on one data version."""

    version: str | None
    ids: list[str]  # the boards' ids, sorted: a pair (i, j) has i < j, so ids[i] < ids[j]
    name_rank: list[int]  # each board's place by lower-cased name (equal names, equal places)
    by_shared: list[tuple[int, int, int]] = field(repr=False)  # (count, i, j), ranked

    def __len__(self) -> int:
        return len(self.by_shared)

    @cached_property
    def by_name(self) -> list[tuple[int, int, int]]:
        """By a's name, b's name, a's id, b's id (made when first asked for)."""
        return ordered(self.by_shared, self.name_rank, shared_first=False)

    def page(self, shared_first: bool, start: int, first: int) -> list[tuple[str, str, int]]:
        """The pairs of one page, as (a's id, b's id, count)."""
        chosen = (self.by_shared if shared_first else self.by_name)[start:start + first]
        return [(self.ids[i], self.ids[j], c) for c, i, j in chosen]


def rank(version: str | None, boards: Sequence[Sequence[Any]],
         seats: Sequence[Sequence[str]], min_shared: int) -> Ranked:
    """Count the pairs of `seats` (each member's boards) sharing at least `min_shared`, most
    shared first, then by a's name, b's name, a's id, b's id (as board_overlaps orders them)."""
    ids = sorted(str(board[0]) for board in boards)
    index = {id_: i for i, id_ in enumerate(ids)}
    n = max(len(ids), 1)
    # Members on exactly the same boards are expanded once, times how many they are.
    sets = Counter(tuple(sorted([index[b] for b in seat])) for seat in seats)
    work = sum(len(s) * (len(s) - 1) // 2 * times for s, times in sets.items())
    if work > MAX_WORK:  # read at each call: tests lower the limits
        raise TooMany(f"{work:,} pairs to count")
    keys: list[int] = []  # one integer per pair of boards and member, counted in C below
    for members, times in sets.items():
        expanded = [i * n + j for i, j in combinations(members, 2)]
        keys.extend(expanded * times if times > 1 else expanded)
    kept = [(c, key) for key, c in Counter(keys).items() if c >= min_shared]
    if len(kept) > MAX_KEPT:
        raise TooMany(f"{len(kept):,} pairs to keep")
    ranks = name_ranks(ids, {str(board[0]): board[1] for board in boards})
    pairs = [(c, key // n, key % n) for c, key in kept]
    return Ranked(version, ids, ranks, ordered(pairs, ranks, shared_first=True))


def ordered(pairs: list[tuple[int, int, int]], rank: list[int],
            shared_first: bool) -> list[tuple[int, int, int]]:
    """Pairs (count, i, j) sorted by (most shared first if asked,) a's name, b's name, a's id,
    b's id. One integer per pair sorts several times faster than a tuple of strings."""
    n = max(len(rank), 1)
    most = max((c for c, _, _ in pairs), default=0)
    keyed = sorted(((((most - c if shared_first else 0) * n + rank[i]) * n + rank[j]) * n + i)
                   * n + j for c, i, j in pairs)
    counts = {(i, j): c for c, i, j in pairs}
    out = []
    for key in keyed:
        rest, j = divmod(key, n)
        i = rest % n
        out.append((counts[(i, j)], i, j))
    return out


def name_ranks(ids: list[str], names: dict[str, Any]) -> list[int]:
    """Each board's dense rank by lower-cased name; a board with no name sorts last (as a
    null does in Cypher's ORDER BY)."""
    def key(id_: str) -> tuple[bool, str]:
        name = names.get(id_)
        return name is None, str(name).lower() if name is not None else ""
    places = {k: place for place, k in enumerate(sorted({key(id_) for id_ in ids}))}
    return [places[key(id_)] for id_ in ids]
