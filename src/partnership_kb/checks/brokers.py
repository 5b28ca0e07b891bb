"""Brokers: members whose absence splits the member-board network (its articulation points).

Computed here rather than in Cypher, which has no articulation points; an iterative Tarjan
walk (no recursion limit on long chains), then each broker's removal to say what it splits.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

Edge = tuple[dict[str, Any], dict[str, Any], list[str]]


def articulation_points(adjacency: dict[str, set[str]]) -> set[str]:
    """The nodes whose removal leaves more connected components (Tarjan, iteratively)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    found: set[str] = set()
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        children = 0
        stack = [(root, "", iter(sorted(adjacency[root])))]
        while stack:
            node, parent, neighbours = stack[-1]
            advanced = False
            for nxt in neighbours:
                if nxt == parent:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = len(order)
                    stack.append((nxt, node, iter(sorted(adjacency[nxt]))))
                    advanced = True
                    break
            if advanced:
                continue
            stack.pop()
            if stack:
                up = stack[-1][0]
                low[up] = min(low[up], low[node])
                if up == root:
                    children += 1
                elif low[node] >= order[up]:
                    found.add(up)
        if children > 1:
            found.add(root)
    return found


def pieces_without(adjacency: dict[str, set[str]], removed: str) -> list[set[str]]:
    """The connected pieces that removed's neighbours fall into once it is gone."""
    seen: set[str] = {removed}
    pieces = []
    for start in sorted(adjacency[removed]):
        if start in seen:
            continue
        piece, todo = {start}, [start]
        seen.add(start)
        while todo:
            for nxt in adjacency[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    piece.add(nxt)
                    todo.append(nxt)
        pieces.append(piece)
    return pieces


def articulation_findings(edges: list[Edge]) -> list[tuple[dict[str, Any], str, list[str]]]:
    """(member, evidence, sources) for each member that is the only link between boards."""
    adjacency: dict[str, set[str]] = defaultdict(set)
    nodes: dict[str, dict[str, Any]] = {}
    boards: set[str] = set()
    cited: dict[str, list[str]] = defaultdict(list)
    for member, board, sources in edges:
        m, b = "m:" + member["id"], "b:" + board["id"]
        adjacency[m].add(b)
        adjacency[b].add(m)
        nodes[m], nodes[b] = member, board
        boards.add(b)
        cited[m].extend(sources)
    found = []
    for point in sorted(articulation_points(adjacency) - boards,
                        key=lambda n: (str(nodes[n].get("name")), n)):
        pieces = sorted(pieces_without(adjacency, point), key=lambda p: (-len(p), sorted(p)))
        cut_off = sorted(str(nodes[n].get("name")) for piece in pieces[1:] for n in piece
                         if n in boards)
        name = nodes[point].get("name")
        evidence = (f"{name} is the only link between {len(pieces)} parts of the "
                    f"member-board network; without {name}, "
                    f"{'; '.join(cut_off) or 'some members'} would be cut off from "
                    f"{sum(1 for n in pieces[0] if n in boards)} other bodies.")
        found.append((nodes[point], evidence, list(dict.fromkeys(cited[point]))))
    return found
