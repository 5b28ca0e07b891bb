"""Who sits on which boards, as the named query `board_seats` reads it compactly (one entry a
member, boards as numbers): what interlocks and boardOverlaps count and rank in Python.

One read serves both questions, for one scope (asOf, area, dataset) and data version, so a
cold read is paid once. Who a seat counts for is decided here, as the named query `interlocks`
decides it: at level MEMBER a post's holders in force (a person counts the boards of every post
they hold), else the member itself; at level ORGANISATION a post's organisations (a person's,
through the posts they hold), else the member itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

# Node labels a member can have (the union Member); `board_seats` says which, by its index.
LABELS = ("Person", "Post", "Organisation", "Partnership")
POST = LABELS.index("Post")
PERSON = LABELS.index("Person")
Ints = npt.NDArray[np.int64]
Whom = tuple[str, str, Any]  # (label, id, name) of whom a seat counts for


class Level(Enum):
    """Who a seat counts for (GraphQL InterlockLevel)."""

    MEMBER = "MEMBER"
    ORGANISATION = "ORGANISATION"


@dataclass(frozen=True, eq=False)
class Counted:
    """Whom the seats count for at one level, and the boards each is on: the boards of the
    i-th are boards[start[i]:start[i + 1]] (board places, ascending, each once)."""

    keys: list[tuple[str, str]]  # (label, id) of each
    names: list[str | None]  # what the name order sorts by: the name, or the id when none
    start: Ints
    boards: Ints

    @property
    def sizes(self) -> Ints:
        """How many boards each sits on."""
        return np.diff(self.start)

    def boards_of(self, at: int) -> list[int]:
        return [int(b) for b in self.boards[self.start[at]:self.start[at + 1]]]


@dataclass(frozen=True, eq=False)
class Seats:
    """The seats in one scope, read on one data version, counted for whom at one level."""

    version: str | None
    level: Level
    board_ids: list[str]  # sorted by id: board i is board_ids[i]
    board_names: list[str | None]
    counted: Counted = field(repr=False)


@dataclass(frozen=True, eq=False)
class Read:
    """`board_seats`'s row as read, its members and holders as columns: kept only until
    counted (some 35 MB at 300 districts, 44 MB when it was a list a member; 7 MB counted)."""

    labels: Sequence[int]  # each member's label index
    ids: Sequence[str]
    names: Sequence[Any]  # each member's name, or its id when it has none
    seats: Sequence[Sequence[int]]  # each member's boards, as read
    place: list[int]  # a board as read -> its place in the sorted board ids
    held: Sequence[str]  # post ids, each held by the person at the same place in holders
    holders: Sequence[str]
    holder_names: Sequence[Any]  # the holder's name, or its id when none
    post_in: Sequence[Sequence[Any]]  # [post id, organisation id, name]
    posts: Sequence[Sequence[Any]]  # [person id, post id]


def parse(version: str | None, record: dict[str, Any], level: Level) -> Seats:
    """Seats from `board_seats`'s row (read at `level`), counted for whom at that level."""
    boards = record["boards"]
    order = sorted(range(len(boards)), key=lambda at: str(boards[at][0]))
    place = [0] * len(boards)
    for i, at in enumerate(order):
        place[at] = i
    read = Read(record["labels"], record["ids"], record["names"], record["seats"], place,
                record["held"], record["holders"], record["holderNames"], record["postIn"],
                record["posts"])
    return Seats(version, level, [str(boards[at][0]) for at in order],
                 [boards[at][1] for at in order], count(read, level))


def through(seats: Read, level: Level) -> dict[int, dict[str, list[Whom]]]:
    """Members whose seats count for others, label index -> id -> whom: posts for their
    holders, or posts and people for their organisations."""
    posts: dict[str, list[Whom]] = {}
    if level is Level.MEMBER:
        for post, person, name in zip(seats.held, seats.holders, seats.holder_names,
                                      strict=True):
            posts.setdefault(post, []).append(("Person", person, name))
        return {POST: posts}
    for post, org, name in seats.post_in:
        posts.setdefault(post, []).append(("Organisation", org, name))
    people: dict[str, list[Whom]] = {}
    for person, post in seats.posts:
        people.setdefault(person, []).extend(posts.get(post, []))
    return {POST: posts, PERSON: people}


def count(seats: Read, level: Level) -> Counted:
    """Group the members' boards by whom they count for, each board once."""
    whom_of = through(seats, level)
    ids = seats.ids
    if not len(seats.labels) == len(ids) == len(seats.names) == len(seats.seats):
        raise ValueError("board_seats: its member columns differ in length")
    # Most members count for themselves, each once (a member is one node); only posts (and
    # at level ORGANISATION people) are looked up, found by their label with numpy. A person
    # whose posts are in no organisation counts for itself.
    labels = np.fromiter(seats.labels, np.int64, len(ids))
    passing = sorted(k for label, whom in whom_of.items()
                     for k in np.flatnonzero(labels == label).tolist() if whom.get(ids[k]))
    own_mask = np.ones(len(ids), bool)
    own_mask[passing] = False
    own = np.flatnonzero(own_mask).tolist()
    keys = [(LABELS[seats.labels[k]], ids[k]) for k in own]
    names = [seats.names[k] for k in own]
    found = dict(zip(keys, range(len(keys)), strict=True))
    owner = list(range(len(own)))  # for each (member, whom) pair: whom, and the member's place
    of = own
    for k in passing:
        for w_label, w_id, w_name in whom_of[seats.labels[k]][ids[k]]:
            at = found.get((w_label, w_id))
            if at is None:
                at = found[(w_label, w_id)] = len(keys)
                keys.append((w_label, w_id))
                names.append(w_name)
            owner.append(at)
            of.append(k)
    return Counted(keys, names, *grouped(seats, np.array(owner, np.int64),
                                         np.array(of, np.int64), len(keys)))


def grouped(seats: Read, owner: Ints, of: Ints, whom: int) -> tuple[Ints, Ints]:
    """Each whom's boards (start, boards), from the pairs (owner, member): every board of
    the member, as its place in board_ids, once per whom."""
    sizes = np.fromiter(map(len, seats.seats), np.int64, len(seats.seats))
    read = np.fromiter(chain.from_iterable(seats.seats), np.int64, int(sizes.sum()))
    first = np.cumsum(sizes) - sizes  # where each member's boards begin in `read`
    lengths = sizes[of]
    within = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    board = np.array(seats.place, np.int64)[read[np.repeat(first[of], lengths) + within]] \
        if len(read) else np.zeros(0, np.int64)
    n = max(len(seats.place), 1)
    seat = np.sort(np.repeat(owner, lengths) * n + board)  # by whom, then board
    seat = seat[np.concatenate(([True], seat[1:] != seat[:-1]))] if len(seat) else seat
    counts = np.bincount(seat // n, minlength=whom)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64), seat % n
