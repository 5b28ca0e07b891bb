"""Interlocks ranked in Python from the compact seats (seats.py): who sits on several boards,
most boards first (then by name), or by name.

One ranking serves every `minBoards`: by boards, the members on at least k boards are a prefix
of it; by name, the members left once those under k are dropped (kept per k once made). The
order is that of the named query `interlocks`, which ranks in Cypher (a test compares both):
lower-cased name (or id when there is none), then id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .seats import Counted, Ints, Seats


@dataclass(eq=False)
class Ranked:
    """Everyone the seats count for at one level, ranked, on one data version."""

    version: str | None
    counted: Counted = field(repr=False)
    board_ids: list[str] = field(repr=False)
    by_name: Ints = field(repr=False)  # places in counted: name, id
    by_boards: Ints = field(repr=False)  # places in counted: most boards, name, id
    _named: dict[int, Ints] = field(default_factory=dict, repr=False)

    def total(self, min_boards: int) -> int:
        """How many sit on at least `min_boards` boards."""
        sizes = self.counted.sizes
        return int(np.count_nonzero(sizes >= min_boards))

    def named(self, min_boards: int) -> Ints:
        """By name, those on at least `min_boards` boards (filtered once per minBoards)."""
        found = self._named.get(min_boards)
        if found is None:
            sizes = self.counted.sizes
            found = self._named[min_boards] = self.by_name[sizes[self.by_name] >= min_boards]
        return found

    def page(self, by_boards: bool, min_boards: int, start: int,
             first: int) -> list[tuple[str, str, list[str]]]:
        """A page, each as (label, id, its boards' ids)."""
        chosen = (self.by_boards[:self.total(min_boards)] if by_boards
                  else self.named(min_boards))[start:start + first]
        keys = self.counted.keys
        return [(*keys[at], sorted(self.board_ids[b] for b in self.counted.boards_of(at)))
                for at in chosen.tolist()]


def rank(seats: Seats) -> Ranked:
    """Everyone the seats count for, ranked by name (then id, then label: a Person and a Post
    may share an id) and, stably, by most boards."""
    counted = seats.counted
    labels = [label for label, _ in counted.keys]
    ids = [id_ for _, id_ in counted.keys]
    # As Cypher's toLower(coalesce(name, id)); numpy sorts strings by code point, as Python.
    lowered = [(name if name is not None else id_).lower()
               for name, id_ in zip(counted.names, ids, strict=True)]
    by_name = np.lexsort((np.array(labels or [""]), np.array(ids or [""]),
                          np.array(lowered or [""])))[:len(ids)].astype(np.int64)
    by_boards = by_name[np.argsort(-counted.sizes[by_name], kind="stable")]
    return Ranked(seats.version, counted, seats.board_ids, by_name, by_boards)
