"""A force-directed layout (Fruchterman-Reingold) for drawing the network as SVG.

Small and deterministic: a fixed seed gives the same picture for the same network, so a review
printed twice looks the same. Positions are in the unit square.
"""

from __future__ import annotations

import math
import random


def spring_layout(nodes: list[str], edges: list[tuple[str, str]], seed: int = 7,
                  steps: int = 120) -> dict[str, tuple[float, float]]:
    """Each node's (x, y) in [0, 1]: linked nodes pulled together, all pushed apart."""
    if not nodes:
        return {}
    rng = random.Random(seed)
    pos = {n: [rng.random(), rng.random()] for n in sorted(nodes)}
    k = math.sqrt(1.0 / len(nodes))  # the ideal distance between nodes
    temperature = 0.1
    for _ in range(steps):
        move = {n: [0.0, 0.0] for n in pos}
        names = list(pos)
        for i, a in enumerate(names):  # repulsion between every pair
            for b in names[i + 1:]:
                dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
                dist = max(math.hypot(dx, dy), 1e-4)
                push = k * k / dist
                move[a][0] += dx / dist * push
                move[a][1] += dy / dist * push
                move[b][0] -= dx / dist * push
                move[b][1] -= dy / dist * push
        for a, b in edges:  # attraction along links
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 1e-4)
            pull = dist * dist / k
            move[a][0] -= dx / dist * pull
            move[a][1] -= dy / dist * pull
            move[b][0] += dx / dist * pull
            move[b][1] += dy / dist * pull
        for n, (mx, my) in move.items():
            length = max(math.hypot(mx, my), 1e-9)
            step = min(length, temperature)
            pos[n][0] += mx / length * step
            pos[n][1] += my / length * step
        temperature *= 0.96
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {n: ((p[0] - min(xs)) / span_x, (p[1] - min(ys)) / span_y) for n, p in pos.items()}
