"""Who sits on which boards, as the named query `board_seats` reads it compactly (ids and
names, one entry per member): what interlocks and boardOverlaps count and rank in Python.

One read serves both questions, for one scope (asOf, area, dataset) and data version, so a
cold read is paid once. Who a seat counts for is decided here, as `interlocks.cypher` decides
it: at level MEMBER a post's holders in force (a person counts the boards of every post they
hold), else the member itself; at level ORGANISATION a post's organisation (a person's, through
the posts they hold), else the member itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# Node labels a member can have (the union Member); `board_seats` says which, by its index.
LABELS = ("Person", "Post", "Organisation", "Partnership")


class Level(Enum):
    """Who a seat counts for (GraphQL InterlockLevel)."""

    MEMBER = "MEMBER"
    ORGANISATION = "ORGANISATION"


@dataclass(frozen=True)
class Counted:
    """Who the seats count for at one level, and the boards each is on (board indices)."""

    keys: list[tuple[str, str]]  # (label, id) of each
    names: list[str | None]
    boards: list[frozenset[int]]


@dataclass
class Seats:
    """The seats in one scope, read on one data version."""

    version: str | None
    board_ids: list[str]  # sorted by id: board i is board_ids[i]
    board_names: list[str | None]
    # Each member: [label index, id, name, [board], [[holder id, name]], [[org id, name]]],
    # a board given by its place in the read, which is board_ids[place[board]]
    members: Sequence[Sequence[Any]] = field(repr=False)
    place: list[int] = field(repr=False)
    _counted: dict[Level, Counted] = field(default_factory=dict, repr=False)

    def counted(self, level: Level) -> Counted:
        """Who the seats count for at `level` (worked out once, when first asked for)."""
        found = self._counted.get(level)
        if found is None:
            found = self._counted[level] = count(self, level)
        return found


def parse(version: str | None, boards: Sequence[Sequence[Any]],
          members: Sequence[Sequence[Any]]) -> Seats:
    """Seats from `board_seats`'s row: boards [[id, name]] and members as above."""
    order = sorted(range(len(boards)), key=lambda at: str(boards[at][0]))
    place = [0] * len(boards)
    for i, at in enumerate(order):
        place[at] = i
    return Seats(version, [str(boards[at][0]) for at in order],
                 [boards[at][1] for at in order], members, place)


def count(seats: Seats, level: Level) -> Counted:
    """Group the members' boards by who they count for (holders, organisations, or itself)."""
    place = seats.place
    through = 4 if level is Level.MEMBER else 5
    found: dict[tuple[str, str], int] = {}
    keys: list[tuple[str, str]] = []
    names: list[str | None] = []
    boards: list[set[int]] = []
    for member in seats.members:
        on = [place[b] for b in member[3]]
        whom = [("Person" if through == 4 else "Organisation", w[0], w[1])
                for w in member[through]] or [(LABELS[member[0]], member[1], member[2])]
        for label, id_, name in whom:
            key = (label, id_)
            at = found.get(key)
            if at is None:
                at = found[key] = len(keys)
                keys.append(key)
                names.append(name)
                boards.append(set())
            boards[at].update(on)
    return Counted(keys, names, [frozenset(b) for b in boards])
