"""The shapes root fields answer with: pages, interlocks, overlaps, hits, gaps, graphs to draw."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Generic, TypeVar

import strawberry

from .types import Area, Basis, Guidance, Member, Node, Partnership, SourceRef

T = TypeVar("T")


@strawberry.type(description="Which Neo4j answers and how much the knowledge base holds.")
class Health:
    neo4j_version: str
    nodes: int
    relationships: int


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of results, with the total count and a cursor to go on.")
class Connection(Generic[T]):
    total_count: int
    edges: list[Edge[T]]
    page_info: PageInfo
    nodes: list[T]


@strawberry.enum
class Sort(Enum):
    NAME = "NAME"
    ID = "ID"


@strawberry.input(description="Filters for lists; all given must hold.")
class ListFilter:
    kind: str | None = None
    status: str | None = None
    tier: str | None = None
    sector: str | None = None
    area: str | None = strawberry.field(default=None, description="An area id the node covers.")
    text: str | None = strawberry.field(default=None, description="Part of a name or alias.")
    document: str | None = strawberry.field(default=None,
                                            description="Only what this source document says.")
    accountable: bool | None = strawberry.field(
        default=None, description="Whether it has an accountability line (partnerships).")


@strawberry.enum(description=(
    "What interlocks count: members as they sit, or rolled up to organisations."))
class InterlockLevel(Enum):
    MEMBER = "MEMBER"
    ORGANISATION = "ORGANISATION"


@strawberry.enum(description="The order of interlocks: most boards first (then name), or by name.")
class InterlockSort(Enum):
    BOARDS = "BOARDS"
    NAME = "NAME"


@strawberry.enum(description=(
    "The order of board overlaps: most shared members first (then names), or by names."))
class OverlapSort(Enum):
    SHARED = "SHARED"
    NAME = "NAME"


@strawberry.type(description="A member sitting on several boards.")
class Interlock:
    member: Member
    boards: list[Partnership] = strawberry.field(description="Its boards, by name.")
    count: int = strawberry.field(description="How many boards.")


@strawberry.type(description="Two boards (a's id before b's) and the members they share.")
class BoardOverlap:
    a: Partnership
    b: Partnership
    shared: list[Member] = strawberry.field(description="The members on both, by name.")
    count: int = strawberry.field(description="How many members they share.")


@strawberry.enum(description="Kinds of node (search finds all but Guidance).")
class NodeType(Enum):
    ORGANISATION = "Organisation"
    PARTNERSHIP = "Partnership"
    POST = "Post"
    PERSON = "Person"
    STRATEGY = "Strategy"
    AIM = "Aim"
    OUTCOME = "Outcome"
    ACTION = "Action"
    PROGRAMME = "Programme"
    AREA = "Area"
    SOURCE = "Source"
    GUIDANCE = "Guidance"


@strawberry.enum(description="How a search hit matched, best first; hits are ranked in this order.")
class Matched(Enum):
    EXACT_NAME = "EXACT_NAME"
    EXACT_ALIAS = "EXACT_ALIAS"
    NAME_PREFIX = "NAME_PREFIX"
    ALIAS_PREFIX = "ALIAS_PREFIX"
    NAME_WORDS = strawberry.enum_value("NAME_WORDS", description="Every word in its name or code.")
    ALIAS_WORDS = strawberry.enum_value("ALIAS_WORDS", description="Every word in one alias.")
    CONTEXT_WORDS = strawberry.enum_value(
        "CONTEXT_WORDS", description="Some words only in its context (see `context`).")


@strawberry.type(description="A search result and how well it matched.")
class SearchHit:
    node: Node
    score: float = strawberry.field(description="The full-text score, within a `matched` group.")
    matched: Matched
    alias: str | None = strawberry.field(description="The alias that matched, if one did.")
    context: list[str] = strawberry.field(description=(
        "Names around the node, to tell namesakes apart: the strategy above an aim, outcome or "
        "action; the body a post is in or a body is part of; the posts a person holds; who owns "
        "a strategy or runs a programme (at most three)."))


@strawberry.type(description="A partnership set beside the guidance for its kind.")
class GuidanceGap:
    partnership: Partnership
    guidance: Guidance
    seats: int = strawberry.field(description="Seats on it: members, counting '2 x' as two.")
    meetings_per_year: float | None
    too_large: bool
    meets_less_often: bool


@strawberry.interface(description="When a drawn node or edge holds (see Dated).")
class Drawn:
    status: str | None
    stated_on: dt.date | None
    in_force_from: dt.date | None
    in_force_until: dt.date | None
    basis: Basis
    inference: str | None


@strawberry.type(description="A node to draw.")
class GraphNode(Drawn):
    id: strawberry.ID
    label: str
    name: str
    kind: str | None
    tier: str | None
    code: str | None
    sources: list[SourceRef]
    datasets: list[str] = strawberry.field(
        description="The datasets (documents or spreadsheets) that say it.")
    areas: list[Area] = strawberry.field(description=(
        "The areas it covers, or that the bodies it belongs to cover: a post's body, the "
        "bodies of a person's posts, who runs a programme, who owns a strategy (and its aims, "
        "outcomes and actions); an area is in itself. Empty: no area (sources, guidance)."))


@strawberry.type(description="A relationship to draw.")
class GraphEdge(Drawn):
    id: strawberry.ID
    type: str
    source: strawberry.ID
    target: strawberry.ID
    role: str | None
    frequency: str | None
    sources: list[SourceRef]
    datasets: list[str] = strawberry.field(
        description="The datasets (documents or spreadsheets) that say it.")


@strawberry.type(description="Nodes and edges for the explorer.")
class Graph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
