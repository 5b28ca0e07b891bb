"""The three networks an analyst measures, made from the rows of the named query `network`.

- member-board (two-mode): each member (a person through the posts they hold, else the post,
  organisation or partnership itself) linked to each board it sits on, weighted by seats;
- board-board: boards linked when they share members, weighted by how many;
- person-person: people linked when they sit on the same boards, weighted by how many.
A partnership that sits on another partnership is one node, a member and a board at once, so
the two-mode network is bipartite only where no board sits on a board.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

import networkx as nx

NodeKey = tuple[str, str]  # (label, id): ids are unique per label, not across labels


class Projection(Enum):
    MEMBER_BOARD = "MEMBER_BOARD"
    BOARD_BOARD = "BOARD_BOARD"
    PERSON_PERSON = "PERSON_PERSON"


BOARD = "board"
MEMBER = "member"


def key_of(node: dict[str, Any]) -> NodeKey:
    return (node["label"], node["id"])


def two_mode(rows: Iterable[dict[str, Any]], people_only: bool = False) -> nx.Graph:
    """Members and boards, an edge for each member on a board weighted by its seats. Each node
    keeps its id, label, name and mode (board for partnerships, member for the rest)."""
    graph = nx.Graph()
    for row in rows:
        member, board = row["member"], row["board"]
        if people_only and member["label"] != "Person":
            continue
        for node in (member, board):
            mode = BOARD if node["label"] == "Partnership" else MEMBER
            graph.add_node(key_of(node), id=node["id"], label=node["label"],
                           name=node["name"], mode=mode)
        a, b = key_of(member), key_of(board)
        if a == b:
            continue  # a board listed as its own member says nothing about the network
        seats = int(row.get("seats") or 1)
        if graph.has_edge(a, b):  # a partnership on a board that sits on it: one tie
            graph[a][b]["weight"] += seats
        else:
            graph.add_edge(a, b, weight=seats)
    return graph


def one_mode(graph: nx.Graph, keep: set[NodeKey]) -> nx.Graph:
    """The nodes in `keep`, linked when they share neighbours in the two-mode graph, weighted by
    how many they share. Nodes and ties come in sorted order, the order Louvain needs (see
    measures.canonical), so the graph needs no sorted copy."""
    projected = nx.Graph()
    order = sorted(keep)
    projected.add_nodes_from((node, graph.nodes[node]) for node in order)
    for node in order:
        shared: dict[NodeKey, int] = {}
        for middle in graph[node]:
            for other in graph[middle]:
                if other > node and other in keep:
                    shared[other] = shared.get(other, 0) + 1
        projected.add_edges_from((node, other, {"weight": shared[other]})
                                 for other in sorted(shared))
    return projected


def build(rows: list[dict[str, Any]], projection: Projection) -> tuple[nx.Graph, nx.Graph]:
    """The network to measure and the two-mode network it comes from."""
    if projection is Projection.MEMBER_BOARD:
        graph = two_mode(rows)
        return graph, graph
    if projection is Projection.BOARD_BOARD:
        source = two_mode(rows)
        boards = {key_of(row["board"]) for row in rows}
        return one_mode(source, boards), source
    source = two_mode(rows, people_only=True)
    people = {node for node, label in source.nodes(data="label") if label == "Person"}
    return one_mode(source, people), source


def with_distances(graph: nx.Graph) -> nx.Graph:
    """Each edge's distance for path metrics: a strong tie (more seats, more shared) is a short
    one, 1/weight, as tie strength is usually turned into distance (Opsahl et al., 2010)."""
    for _, _, data in graph.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return graph
