"""GraphQL networkMetrics: the membership network measured (metrics/), a page of its nodes.

Unlike the other root fields, the answer is computed in Python, not projected in Cypher: the
named query `network` reads the whole membership network in one round trip, it is measured in
a worker process, and the result is kept per data version (a load renews the version, so
nothing stale is served). A kept answer costs one small round trip: the data version.

A worker process, not a thread: Louvain and the graph building are pure Python and hold the
interpreter lock for seconds at national scale, which in a thread would stall every other
request (/health included). One worker, started with the server: a second question waits for the
first rather than both competing for the same cores.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from typing import Any

import strawberry

from ..errors import BadRequest
from ..metrics.ask import MetricSort, Question, answer, ordered
from ..metrics.cache import KEPT, VersionedCache
from ..metrics.measures import Measured, NodeMeasures
from ..metrics.network import Projection
from .context import Context
from .gate import whole_graph
from .kept import Kept
from .results import PageInfo

__all__ = ["MetricSort", "NetworkMetrics", "Projection", "Question", "measured", "page"]

CACHE: VersionedCache[Measured] = VersionedCache()
_WORKERS: list[ProcessPoolExecutor] = []


def watch_parent(parent: int) -> None:
    """In the measuring process: end when the server that started it is gone (killed without
    the chance to stop its workers), rather than linger."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(2)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()


def workers() -> ProcessPoolExecutor:
    """The one measuring process, spawned (not forked: this process runs threads and an event
    loop) the first time it is needed."""
    if not _WORKERS:
        _WORKERS.append(ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"),
            initializer=watch_parent, initargs=(os.getpid(),)))
    return _WORKERS[0]

strawberry.enum(Projection, description=(
    "Which network: MEMBER_BOARD (two-mode: members and the boards they sit on), BOARD_BOARD "
    "(boards linked by shared members), PERSON_PERSON (people linked by shared boards)."))
strawberry.enum(MetricSort, description=(
    "Order of the nodes: highest first by a measure (ties by name), NAME, or COMMUNITY "
    "(largest community first, best connected first within it)."))


@strawberry.type(description="One node of the network and its measures.")
class NodeMetrics:
    id: strawberry.ID
    label: str = strawberry.field(description="Person, Post, Organisation or Partnership.")
    name: str
    mode: str = strawberry.field(description="board (a partnership) or member.")
    degree: int = strawberry.field(description="How many ties it has.")
    weighted_degree: float = strawberry.field(description=(
        "The sum of its ties' weights: seats (member-board) or members or boards shared."))
    betweenness: float = strawberry.field(description=(
        "Normalised betweenness: the share of shortest paths between others through it."))
    closeness: float = strawberry.field(description=(
        "Closeness (networkx's, scaled by the share of the network it reaches)."))
    eigenvector: float | None = strawberry.field(description=(
        "Eigenvector centrality: tied to well-tied nodes (null when it does not settle)."))
    constraint: float | None = strawberry.field(description=(
        "Burt's constraint: high when its ties are tied to each other (null for an isolate)."))
    effective_size: float | None = strawberry.field(description=(
        "Burt's effective size: its non-redundant ties (null for an isolate)."))
    community: int = strawberry.field(description=(
        "Its Louvain community (fixed seed), numbered from 0, largest first."))


@strawberry.type(description="Measures of the whole network.")
class NetworkSummary:
    nodes: int
    edges: int
    density: float
    components: int = strawberry.field(description="How many connected parts.")
    largest_component: int = strawberry.field(description="Nodes in the largest part.")
    diameter: int | None = strawberry.field(description=(
        "The longest shortest path, in steps, within the largest part."))
    average_path_length: float | None = strawberry.field(description=(
        "The mean shortest path, in steps, within the largest part."))
    two_mode_clustering: float = strawberry.field(description=(
        "Robins and Alexander's clustering of the two-mode network the network comes from."))
    communities: int
    sampled_sources: int | None = strawberry.field(description=(
        "Null when betweenness, closeness and path length are exact; else how many sources "
        "(drawn with a fixed seed) estimate them, for networks whose nodes x ties pass "
        "10,000,000."))


@strawberry.type
class NodeMetricsEdge:
    cursor: str
    node: NodeMetrics


@strawberry.type(description=(
    "A network measured: the whole network's measures and a page of its nodes."))
class NetworkMetrics:
    projection: Projection
    as_of: dt.date | None
    area: str | None
    dataset: str | None
    weighted: bool
    data_version: str | None = strawberry.field(description=(
        "The graph's data version it was measured on (renewed by every load)."))
    cached: bool = strawberry.field(description=(
        "Whether it was served from memory, measured earlier on the same data version."))
    graph: NetworkSummary
    total_count: int
    edges: list[NodeMetricsEdge]
    page_info: PageInfo
    nodes: list[NodeMetrics]


def start_workers() -> None:
    """Start the measuring process now, with its modules loaded (an empty network measured),
    so that the first question does not wait for it."""
    workers().submit(answer, Question(), [])


# The named query's rows, with the data version they were read on and whether the area and
# dataset asked for exist (so a misspelt one is an error, not an empty network).
WRAPPED = """CALL () {{
{query}
}}
WITH collect({{member: member, board: board, seats: seats}}) AS rows
OPTIONAL MATCH (version:DataVersion {{id: 'graph'}})
RETURN rows, version.version AS dataVersion,
       $area IS NULL OR EXISTS {{ (:Area {{id: $area}}) }} AS areaKnown,
       $dataset IS NULL OR EXISTS {{ (:Load {{dataset: $dataset}}) }} AS datasetKnown"""


async def measured(context: Context, question: Question) -> tuple[Measured, str | None, bool]:
    """The measured network, its data version, and whether it was kept from before."""
    version = await context.data_version()
    context.data_versions.add(version)

    async def read() -> tuple[str | None, Measured]:
        cypher = WRAPPED.format(query=context.queries["network"].text.strip())
        async with whole_graph():  # a whole-graph read takes its turn (gate.py)
            record = (await context.read(cypher, context.queries["network"].bind(
                question.params())))[0]
        if not record["areaKnown"]:
            raise BadRequest(f"area: no area {question.area!r}.",
                             "Give an area id, such as the ids `areas { nodes { id } }` lists.")
        if not record["datasetKnown"]:
            raise BadRequest(f"dataset: no dataset {question.dataset!r} has been loaded.",
                             "Give a dataset of `loads { dataset }`, such as "
                             "seed/glos-prospectus-2008.")
        measured = await asyncio.get_running_loop().run_in_executor(
            workers(), answer, question, record["rows"])
        return record["dataVersion"], measured

    result, kept = await CACHE.answer(version, question, read)
    return result, version, kept


_ORDERS: Kept[tuple[Measured, list[NodeMeasures]]] = Kept(KEPT)


def in_order(result: Measured, sort: MetricSort) -> list[NodeMeasures]:
    """The nodes of a kept answer in `sort` order, sorted once (22,000 nodes take a while):
    the next page of a kept answer costs its slice."""
    key = (id(result), sort)

    def sort_() -> tuple[Measured, list[NodeMeasures]]:
        return result, ordered(result.nodes, sort)
    kept = _ORDERS.get(key, sort_)
    if kept[0] is not result:  # an id can be reused once its answer is gone
        kept = _ORDERS.put(key, sort_())
    return kept[1]


def page(result: Measured, question: Question, version: str | None, kept: bool,
         sort: MetricSort, first: int, start: int, cursor_of: Any) -> NetworkMetrics:
    nodes = in_order(result, sort)
    chosen = [NodeMetrics(**asdict(node)) for node in nodes[start:start + first]]
    edges = [NodeMetricsEdge(cursor=cursor_of(start + i), node=node)
             for i, node in enumerate(chosen)]
    return NetworkMetrics(
        projection=question.projection, as_of=question.as_of, area=question.area,
        dataset=question.dataset, weighted=question.weighted, data_version=version,
        cached=kept, graph=NetworkSummary(**asdict(result.graph)), total_count=len(nodes),
        edges=edges, nodes=chosen,
        page_info=PageInfo(has_next_page=start + first < len(nodes),
                           end_cursor=edges[-1].cursor if edges else None))
