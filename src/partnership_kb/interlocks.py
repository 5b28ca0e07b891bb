"""Interlocks ranked in Python from the compact seats (seats.py): who sits on several boards,
most boards first (then by name), or by name.

One ranking serves every `minBoards`: by boards, the members on at least k boards are a prefix
of it; by name, the members left once those under k are dropped (kept per k once made). The
order is that of the named query `interlocks`, which ranks in Cypher (a test compares both):
lower-cased name (or id when there is none), then id.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .seats import Counted, Level, Seats


@dataclass
class Ranked:
    """Everyone the seats count for at one level, ranked, on one data version."""

    version: str | None
    counted: Counted = field(repr=False)
    board_ids: list[str] = field(repr=False)
    by_boards: list[int] = field(repr=False)  # places in counted: most boards, name, id
    by_name: list[int] = field(repr=False)  # places in counted: name, id
    # -boards of each in by_boards order (ascending), for the prefix on at least k boards
    fewer: list[int] = field(repr=False)
    _named: dict[int, list[int]] = field(default_factory=dict, repr=False)

    def total(self, min_boards: int) -> int:
        """How many sit on at least `min_boards` boards."""
        return bisect_right(self.fewer, -min_boards)

    def named(self, min_boards: int) -> list[int]:
        """By name, those on at least `min_boards` boards (filtered once per minBoards)."""
        if self.total(min_boards) == len(self.by_name):
            return self.by_name
        found = self._named.get(min_boards)
        if found is None:
            boards = self.counted.boards
            found = self._named[min_boards] = [
                at for at in self.by_name if len(boards[at]) >= min_boards]
        return found

    def page(self, by_boards: bool, min_boards: int, start: int,
             first: int) -> list[tuple[str, str, list[str]]]:
        """A page, each as (label, id, its boards' ids)."""
        chosen = (self.by_boards[:self.total(min_boards)] if by_boards
                  else self.named(min_boards))[start:start + first]
        keys, boards = self.counted.keys, self.counted.boards
        return [(*keys[at], sorted(self.board_ids[b] for b in boards[at])) for at in chosen]


def rank(seats: Seats, level: Level) -> Ranked:
    """Everyone counted at `level`, ranked by name (then id, then label: a Person and a Post
    may share an id) and, stably, by most boards."""
    counted = seats.counted(level)
    names, keys = counted.names, counted.keys

    def key(at: int) -> tuple[str, str, str]:
        label, id_ = keys[at]
        name = names[at]
        return (name if name is not None else id_).lower(), id_, label  # as toLower(coalesce())
    by_name = sorted(range(len(keys)), key=key)
    sizes = [len(b) for b in counted.boards]
    by_boards = sorted(by_name, key=lambda at: -sizes[at])
    return Ranked(seats.version, counted, seats.board_ids, by_boards, by_name,
                  [-sizes[at] for at in by_boards])
