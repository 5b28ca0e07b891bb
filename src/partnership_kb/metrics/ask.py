"""One metrics question (which network, on which date, of which area and dataset, weighted or
not), answered from the rows of the named query `network`, and its nodes in a chosen order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

from . import measures, network
from .measures import Measured, NodeMeasures
from .network import Projection


@dataclass(frozen=True)
class Question:
    projection: Projection = Projection.MEMBER_BOARD
    as_of: dt.date | None = None
    area: str | None = None
    dataset: str | None = None
    weighted: bool = False

    def params(self) -> dict[str, Any]:
        """The parameters of the named query `network` (the projection is made in Python)."""
        return {"asOf": self.as_of, "area": self.area, "dataset": self.dataset}


def answer(question: Question, rows: list[dict[str, Any]]) -> Measured:
    graph, source = network.build(rows, question.projection)
    return measures.measure(network.with_distances(graph), source, question.weighted,
                            bipartite_source=question.projection is Projection.PERSON_PERSON)


class MetricSort(Enum):
    """Nodes highest first by a measure (ties by name), by name, or by community."""

    NAME = "NAME"
    DEGREE = "DEGREE"
    WEIGHTED_DEGREE = "WEIGHTED_DEGREE"
    BETWEENNESS = "BETWEENNESS"
    CLOSENESS = "CLOSENESS"
    EIGENVECTOR = "EIGENVECTOR"
    CONSTRAINT = "CONSTRAINT"
    EFFECTIVE_SIZE = "EFFECTIVE_SIZE"
    COMMUNITY = "COMMUNITY"


def ordered(nodes: list[NodeMeasures], sort: MetricSort) -> list[NodeMeasures]:
    """The nodes in `sort` order; a measure that is null (undefined) sorts last."""
    by_name = sorted(nodes, key=lambda node: (node.name.lower(), node.label, node.id))
    if sort is MetricSort.NAME:
        return by_name
    if sort is MetricSort.COMMUNITY:  # community 0 is the largest; its best connected first
        return sorted(by_name, key=lambda node: (node.community, -node.degree))
    field = sort.value.lower()
    return sorted(by_name, key=lambda node: (getattr(node, field) is None,
                                             -(getattr(node, field) or 0)))
