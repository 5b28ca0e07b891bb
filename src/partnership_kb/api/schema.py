"""The GraphQL schema: each root field runs one named query (queries/*.cypher)."""

from __future__ import annotations

import base64
import datetime as dt
import re
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import ExecutionContext, Info

from .context import Context
from .extensions import MaskInternalErrors, RoundTrips, UserError
from .types import (
    TYPES,
    Accountability,
    Area,
    BoardOverlap,
    Graph,
    GuidanceGap,
    Interlock,
    InterlockLevel,
    Node,
    Organisation,
    Outcome,
    Partnership,
    Person,
    Post,
    Programme,
    SearchHit,
    Strategy,
    accountability,
    code_order,
    node,
)

MAX_PAGE = 100
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000
LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')

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

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


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


def cursor_of(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def offset_of(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        kind, _, number = base64.b64decode(cursor).decode().partition(":")
        if kind != "offset":
            raise ValueError(kind)
        return int(number) + 1
    except ValueError:
        raise UserError(f"after: {cursor!r} is not a cursor from this API.") from None


def check_page(first: int) -> None:
    if not 0 < first <= MAX_PAGE:
        raise UserError(f"first: {first} is outside 1..{MAX_PAGE}; ask for at most "
                        f"{MAX_PAGE} per page and follow pageInfo.endCursor.")


async def page(info: Info[Context, None], label: str, cls: type[Any], first: int,
               after: str | None, filter: ListFilter | None, sort: Sort) -> Connection[Any]:
    """One page of a label's nodes, filtered and sorted (one round trip)."""
    check_page(first)
    start = offset_of(after)
    given = filter or ListFilter()
    rows = await info.context.run(
        "list_nodes", label=label, first=first, offset=start, sort=sort.value,
        kind=given.kind, status=given.status, tier=given.tier, sector=given.sector,
        area=given.area, text=given.text, document=given.document,
        accountable=given.accountable)
    total, items = rows[0]["totalCount"], rows[0]["items"]
    edges = [Edge(cursor=cursor_of(start + i), node=cls(data=item))
             for i, item in enumerate(items)]
    return Connection(total_count=total, edges=edges,
                      page_info=PageInfo(has_next_page=start + len(items) < total,
                                         end_cursor=edges[-1].cursor if edges else None))


def listing(label: str, cls: type[Any], plural: str) -> Any:
    """The root field listing one label's nodes, a page at a time."""

    async def resolve(info: Info[Context, None], first: int = 20, after: str | None = None,
                      filter: ListFilter | None = None, sort: Sort = Sort.NAME) -> Any:
        return await page(info, label, cls, first, after, filter, sort)

    # Annotations as objects, not strings: the page's type depends on the label.
    resolve.__annotations__ = {"info": Info[Context, None], "first": int, "after": str | None,
                               "filter": ListFilter | None, "sort": Sort,
                               "return": Connection[cls]}  # type: ignore[valid-type]
    return strawberry.field(
        resolver=resolve,
        description=f"A page of {plural}, filtered and sorted, with the total count.")


def lucene(text: str) -> str:
    """The words typed as a Lucene query: each word as typed or as a prefix, all required."""
    words = [LUCENE_SPECIAL.sub(r"\\\1", w.lower()) for w in text.split() if w.strip()]
    if not words:
        raise UserError("search: text is empty; type a word or two.")
    return " AND ".join(f"({w} OR {w}*)" for w in words)


async def find(info: Info[Context, None], **params: Any) -> Any:
    rows = await info.context.run("node_details", **params)
    return node(rows[0]["node"]) if rows else None


def one_of(id: str | None, name: str | None, field: str) -> None:
    if (id is None) == (name is None):
        raise UserError(f"{field}: give either id or name.")


@strawberry.type
class Query:
    @strawberry.field(description="Which Neo4j answers, and how many nodes and relationships.")
    async def health(self, info: Info[Context, None]) -> Health:
        row = (await info.context.run("health"))[0]
        return Health(neo4j_version=row["neo4jVersion"], nodes=row["nodes"],
                      relationships=row["relationships"])

    @strawberry.field(description="Any node by its id.")
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:
        return await find(info, ids=[str(id)])  # type: ignore[no-any-return]

    @strawberry.field(description="Full-text search over names, aliases, titles and codes.")
    async def search(self, info: Info[Context, None], text: str,
                     first: int = 20) -> list[SearchHit]:
        check_page(first)
        rows = await info.context.run("search", query=lucene(text), first=first)
        return [SearchHit(node_data=r["node"], score=r["score"]) for r in rows]

    @strawberry.field(description="A partnership by id, or by name or alias (any case).")
    async def partnership(self, info: Info[Context, None], id: strawberry.ID | None = None,
                          name: str | None = None) -> Partnership | None:
        one_of(id, name, "partnership")
        return await find(info, ids=[str(id)] if id else [], name=name,  # type: ignore[no-any-return]
                          label="Partnership")

    @strawberry.field(description="An organisation by id, or by name or alias (any case).")
    async def organisation(self, info: Info[Context, None], id: strawberry.ID | None = None,
                           name: str | None = None) -> Organisation | None:
        one_of(id, name, "organisation")
        return await find(info, ids=[str(id)] if id else [], name=name,  # type: ignore[no-any-return]
                          label="Organisation")

    @strawberry.field(description="An outcome by its code (3.4), optionally within one strategy.")
    async def outcome(self, info: Info[Context, None], code: str,
                      strategy: strawberry.ID | None = None) -> Outcome | None:
        return await find(info, code=code, label="Outcome",  # type: ignore[no-any-return]
                          strategy=str(strategy) if strategy else None)

    @strawberry.field(description=(
        "A strategy's outcomes; delivered: false lists those nothing delivers."))
    async def outcomes(self, info: Info[Context, None], strategy: strawberry.ID | None = None,
                       delivered: bool | None = None) -> list[Outcome]:
        rows = await info.context.run("outcomes", delivered=delivered,
                                      strategy=str(strategy) if strategy else None)
        return [Outcome(data=r["outcome"])
                for r in sorted(rows, key=lambda r: code_order(r["outcome"]))]

    @strawberry.field(description=(
        "Partnerships larger, or meeting less often, than the guidance for their kind."))
    async def guidance_gaps(self, info: Info[Context, None], kind: str | None = None,
                            all: bool = False) -> list[GuidanceGap]:
        rows = await info.context.run("guidance_gaps", kind=kind, all=all)
        return [GuidanceGap.of(r) for r in rows]

    @strawberry.field(description="Members sitting on at least minBoards distinct boards.")
    async def interlocks(self, info: Info[Context, None], min_boards: int = 2,
                         as_of: dt.date | None = None,
                         level: InterlockLevel = InterlockLevel.MEMBER) -> list[Interlock]:
        rows = await info.context.run("interlocks", minBoards=min_boards, asOf=as_of,
                                      level=level.value)
        return [Interlock(member_data=r["member"], board_data=r["boards"]) for r in rows]

    @strawberry.field(description="Pairs of boards sharing at least minShared members.")
    async def board_overlaps(self, info: Info[Context, None], min_shared: int = 1,
                             as_of: dt.date | None = None) -> list[BoardOverlap]:
        rows = await info.context.run("board_overlaps", minShared=min_shared, asOf=as_of)
        return [BoardOverlap(a_data=r["a"], b_data=r["b"], shared_data=r["shared"])
                for r in rows]

    @strawberry.field(description="Every accountability line from a body up to the top.")
    async def accountability_chain(self, info: Info[Context, None],
                                   id: strawberry.ID) -> list[Accountability]:
        rows = await info.context.run("accountability_chain", id=str(id))
        return [accountability(r) for r in rows]

    @strawberry.field(description="A node's surroundings, for drawing.")
    async def neighbourhood(self, info: Info[Context, None], id: strawberry.ID, depth: int = 1,
                            limit: int = 200) -> Graph:
        if not 1 <= depth <= 3:
            raise UserError(f"neighbourhood: depth {depth} is outside 1..3.")
        if not 1 <= limit <= 2000:
            raise UserError(f"neighbourhood: limit {limit} is outside 1..2000.")
        rows = await info.context.run("neighbourhood", id=str(id), depth=depth, limit=limit)
        return Graph.of(rows[0] if rows else {"nodes": [], "edges": []})

    @strawberry.field(description="The shortest chain linking two nodes.")
    async def path(self, info: Info[Context, None],
                   from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                   to: strawberry.ID) -> Graph:
        rows = await info.context.run("path", **{"from": str(from_), "to": str(to)})
        return Graph.of(rows[0])

    organisations = listing("Organisation", Organisation, "organisations")
    partnerships = listing("Partnership", Partnership, "partnerships")
    people = listing("Person", Person, "people")
    posts = listing("Post", Post, "posts")
    strategies = listing("Strategy", Strategy, "strategies")
    programmes = listing("Programme", Programme, "programmes")
    areas = listing("Area", Area, "areas")



class KnowledgeBaseSchema(strawberry.Schema):
    """Strawberry's schema, minus tracebacks in the log for the caller's own mistakes
    (internal errors are logged once, with their id, by MaskInternalErrors)."""

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        internal = [e for e in errors if not isinstance(e.original_error, UserError)
                    and e.original_error is not None]
        if internal:
            super().process_errors(internal, execution_context)


# The depth and alias limits as validation rules, made once: rules made afresh for each request
# would defeat ValidationCache (its key includes the rules) and cost a full visit per request.
LIMIT_RULES = [*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
               *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules]


def build_schema(debug: bool = False) -> strawberry.Schema:
    """The schema with its safety limits; debug adds Cypher round trips to each response."""
    extensions: list[Any] = [  # factories: strawberry builds fresh ones per request
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        MaskInternalErrors,
        lambda: ParserCache(maxsize=256),  # analysts and the explorer repeat their queries
        lambda: ValidationCache(maxsize=256),
    ]
    if debug:
        extensions.append(RoundTrips)
    return KnowledgeBaseSchema(query=Query, types=list(TYPES.values()), extensions=extensions)


schema = build_schema()
