"""The GraphQL schema: each root field runs one named query (queries/*.cypher) with the
selection below it compiled into the same Cypher, so it is one round trip."""

from __future__ import annotations

import base64
import datetime as dt
import re
from typing import Annotated, Any

import strawberry
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.types import Info

from ..errors import BadRequest
from ..seats import Level
from .context import Context
from .executor import call_root_resolvers_directly
from .findings import CheckFinding, FindingSeverity, findings
from .interlocks import Question as InterlockQuestion
from .interlocks import interlock_page
from .metrics import MetricSort, NetworkMetrics, Projection, Question, measured
from .metrics import page as metrics_page
from .overlaps import Question as OverlapQuestion
from .overlaps import overlap_page
from .results import (
    BoardOverlap,
    Connection,
    Graph,
    GuidanceGap,
    Health,
    Interlock,
    InterlockLevel,
    InterlockSort,
    ListFilter,
    NodeType,
    OverlapSort,
    SearchHit,
    Sort,
)
from .seats import Scope
from .types import (
    TYPES,
    Accountability,
    Area,
    Change,
    Load,
    Node,
    Organisation,
    Outcome,
    Partnership,
    Person,
    Post,
    Programme,
    Strategy,
)

MAX_PAGE = 100
MAX_OFFSET = 1_000_000
MAX_SEARCH_CHARS = 200
MAX_AVOID = 50  # kinds of relationship or status a path may avoid
MAX_SEARCH_WORDS = 24
# What separates words when the search query splits names, codes and context. Not '.', so that
# an outcome's code "3.4" stays one word.
SEARCH_DELIMITERS = (" ", ",", ":", ";", "(", ")", "'", "\u2019", '"', "/", "&", "-", "\u2013",
                     "!", "?")
SEARCH_WINDOW = 500  # full-text candidates ranked per search
LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
Ctx = Info[Context, None]


def cursor_of(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def offset_of(cursor: str | None) -> int:
    """The offset after a cursor this API gave; anything else is the caller's mistake."""
    if cursor is None:
        return 0
    try:
        kind, _, number = base64.b64decode(cursor, validate=True).decode().partition(":")
        offset = int(number)
    except ValueError:
        offset, kind = -1, ""
    if kind != "offset" or not 0 <= offset < MAX_OFFSET or not number.isdigit():
        raise BadRequest(f"after: {cursor[:40]!r} is not a cursor from this API.",
                         "Pass pageInfo.endCursor of the previous page, or leave after out.")
    return offset + 1


def check_page(first: int) -> None:
    if not 0 < first <= MAX_PAGE:
        raise BadRequest(f"first: {first} is outside 1..{MAX_PAGE}.",
                         f"Ask for at most {MAX_PAGE} per page and follow pageInfo.endCursor.")


async def page(info: Ctx, query: str, first: int, after: str | None, /,
               **params: Any) -> Any:
    """One page of a named query answering {totalCount, items}, after the cursor given."""
    check_page(first)
    start = offset_of(after)
    return (await info.context.rows(
        info, query, ("totalCount", "items"), {"cursors": "$cursors", "offset": "$offset"},
        {"cursors": [cursor_of(start + i) for i in range(first)]},
        first=first, offset=start, **params))[0]


def listing(label: str, cls: type[Any], plural: str) -> Any:
    """The root field listing one label's nodes, a page at a time."""

    async def resolve(info: Ctx, first: int = 20, after: str | None = None,
                      filter: ListFilter | None = None, sort: Sort = Sort.NAME) -> Any:
        given = filter or ListFilter()
        return await page(
            info, "list_nodes", first, after, label=label, sort=sort.value, kind=given.kind,
            status=given.status, tier=given.tier, sector=given.sector, area=given.area,
            text=given.text, document=given.document, accountable=given.accountable)

    # Annotations as objects, not strings: the page's type depends on the label.
    resolve.__annotations__ = {"info": Ctx, "first": int, "after": str | None,
                               "filter": ListFilter | None, "sort": Sort,
                               "return": Connection[cls]}  # type: ignore[valid-type]
    return strawberry.field(
        resolver=resolve,
        description=f"A page of {plural}, filtered and sorted, with the total count.")


def words_of(text: str) -> list[str]:
    """The words of a search, refused when they are too many or too long to be a name."""
    if len(text) > MAX_SEARCH_CHARS:
        raise BadRequest(f"search: text is {len(text):,} characters long; at most "
                         f"{MAX_SEARCH_CHARS} are searched.", "Type a few words of a name.")
    words = [w for w in text.split() if w.strip()]
    if not words:
        raise BadRequest("search: text is empty.", "Type a word or two of a name.")
    if len(words) > MAX_SEARCH_WORDS:
        raise BadRequest(f"search: {len(words)} words; at most {MAX_SEARCH_WORDS} are searched.",
                         "Type a few words of a name.")
    return [LUCENE_SPECIAL.sub(r"\\\1", w.lower()) for w in words]


def lucene(text: str) -> str:
    """The words typed as a Lucene query: each word as typed or as a prefix, any of them (the
    search query then requires every word among a node's names, code or context)."""
    return " OR ".join(f"{w} OR {w}*" for w in words_of(text))


def search_params(text: str) -> dict[str, Any]:
    """The search query's parameters for the text typed."""
    pattern = "[" + re.escape("".join(SEARCH_DELIMITERS)) + "]"
    return {"query": lucene(text), "words": [w for w in re.split(pattern, text.lower()) if w],
            "text": " ".join(text.lower().split()), "delimiters": list(SEARCH_DELIMITERS),
            "window": SEARCH_WINDOW}


def phrase(name: str) -> str:
    """A name as one quoted Lucene phrase, to find it through the full-text index."""
    if len(name) > MAX_SEARCH_CHARS:
        raise BadRequest(f"name: {len(name):,} characters is longer than any name "
                         f"(at most {MAX_SEARCH_CHARS}).", "Ask by id, or search.")
    return '"' + LUCENE_SPECIAL.sub(r"\\\1", name.lower()) + '"'


async def by_id_or_name(info: Ctx, label: str, id: str | None, name: str | None) -> Any:
    field = label.lower()
    if (id is None) == (name is None):
        raise BadRequest(f"{field}: give either id or name.", f'{field}(id: "...") or '
                         f'{field}(name: "...").')
    if id is not None:
        return await info.context.one(info, "node_by_id", field, id=str(id), label=label)
    if not any(ch.isalnum() for ch in name or ""):
        return None  # nothing a name index holds
    return await info.context.one(info, "node_by_name", f"{field}(name: {name!r})",
                                  name=name, phrase=phrase(name or ""), label=label)


@strawberry.type
class Query:
    @strawberry.field(description="Which Neo4j answers, and how many nodes and relationships.")
    async def health(self, info: Ctx) -> Health:
        return (await info.context.rows(info, "health", ("neo4jVersion", "nodes",
                                                         "relationships")))[0]

    @strawberry.field(description="Any node by its id.")
    async def node(self, info: Ctx, id: strawberry.ID) -> Node | None:
        return await info.context.one(info, "node_by_id", "node", id=str(id))

    @strawberry.field(description=(
        "Search over names, aliases and codes, and the strategy, body or post around each node. "
        "Exact names first, then names starting with the text, then nodes with every word in "
        "their own names, then with words found in their context; each group by score."))
    async def search(self, info: Ctx, text: str, first: int = 20,
                     types: list[NodeType] | None = None) -> list[SearchHit]:
        check_page(first)
        return await info.context.rows(
            info, "search", ("node", "score", "matched", "alias", "context"),
            **search_params(text), first=first,
            types=None if types is None else [t.value for t in types])

    @strawberry.field(description=(
        "A partnership by id, or by name or alias (any case); an ambiguous name is an error "
        "listing the candidates."))
    async def partnership(self, info: Ctx, id: strawberry.ID | None = None,
                          name: str | None = None) -> Partnership | None:
        return await by_id_or_name(info, "Partnership", id, name)

    @strawberry.field(description=(
        "An organisation by id, or by name or alias (any case); an ambiguous name is an error "
        "listing the candidates."))
    async def organisation(self, info: Ctx, id: strawberry.ID | None = None,
                           name: str | None = None) -> Organisation | None:
        return await by_id_or_name(info, "Organisation", id, name)

    @strawberry.field(description="An outcome by its code (3.4), optionally within one strategy.")
    async def outcome(self, info: Ctx, code: str,
                      strategy: strawberry.ID | None = None) -> Outcome | None:
        return await info.context.one(info, "outcome_by_code", f"outcome(code: {code!r})",
                                      code=code, strategy=str(strategy) if strategy else None)

    @strawberry.field(description=(
        "A strategy's outcomes; delivered: false lists those nothing delivers."))
    async def outcomes(self, info: Ctx, strategy: strawberry.ID | None = None,
                       delivered: bool | None = None) -> list[Outcome]:
        return await info.context.rows(info, "outcomes", ("n",), delivered=delivered,
                                       strategy=str(strategy) if strategy else None)

    @strawberry.field(description=(
        "Partnerships larger, or meeting less often, than the guidance for their kind."))
    async def guidance_gaps(self, info: Ctx, kind: str | None = None,
                            all: bool = False) -> list[GuidanceGap]:
        return await info.context.rows(
            info, "guidance_gaps", ("partnership", "guidance", "seats", "meetingsPerYear",
                                    "tooLarge", "meetsLessOften"), kind=kind, all=all)

    @strawberry.field(description=(
        "What the rule checks (queries/checks/) find: boards larger than the guidance, bodies "
        "nobody holds to account, outcomes nothing delivers, brokers, ..."))
    async def checks(self, info: Ctx, as_of: dt.date | None = None, area: str | None = None,
                     dataset: str | None = None,
                     severity: FindingSeverity | None = None) -> list[CheckFinding]:
        return await findings(info.context, info.context.rules, as_of, area, dataset, severity)

    @strawberry.field(description=(
        "Members sitting on at least minBoards distinct boards: a page, most boards first, "
        "with the total count; area and dataset narrow the boards and seats counted."))
    async def interlocks(self, info: Ctx, min_boards: int = 2, as_of: dt.date | None = None,
                         level: InterlockLevel = InterlockLevel.MEMBER,
                         area: strawberry.ID | None = None, dataset: str | None = None,
                         sort: InterlockSort = InterlockSort.BOARDS, first: int = 20,
                         after: str | None = None) -> Connection[Interlock]:
        check_page(first)
        start = offset_of(after)
        question = InterlockQuestion(Level(level.value),
                                     Scope(as_of, str(area) if area else None, dataset))
        return await interlock_page(info, question, min_boards, sort is InterlockSort.BOARDS,
                                    first, start, [cursor_of(start + i) for i in range(first)])

    @strawberry.field(description=(
        "Pairs of boards sharing at least minShared members: a page, most shared first, with "
        "the total count; area and dataset narrow the boards and seats counted."))
    async def board_overlaps(self, info: Ctx, min_shared: int = 1,
                             as_of: dt.date | None = None, area: strawberry.ID | None = None,
                             dataset: str | None = None,
                             sort: OverlapSort = OverlapSort.SHARED, first: int = 20,
                             after: str | None = None) -> Connection[BoardOverlap]:
        check_page(first)
        start = offset_of(after)
        question = OverlapQuestion(min_shared, Scope(as_of, str(area) if area else None,
                                                     dataset))
        return await overlap_page(info, question, sort is OverlapSort.SHARED, first, start,
                                  [cursor_of(start + i) for i in range(first)])

    @strawberry.field(description="Every accountability line from a body up to the top.")
    async def accountability_chain(self, info: Ctx, id: strawberry.ID,
                                   as_of: dt.date | None = None) -> list[Accountability]:
        return await info.context.rows(
            info, "accountability_chain", ("step",),
            {"rel": "line", "from": "source", "to": "target"}, id=str(id), asOf=as_of)

    @strawberry.field(description="A node's surroundings, for drawing.")
    async def neighbourhood(self, info: Ctx, id: strawberry.ID, depth: int = 1,
                            limit: int = 200, as_of: dt.date | None = None) -> Graph:
        if not 1 <= depth <= 3:
            raise BadRequest(f"neighbourhood: depth {depth} is outside 1..3.", "Use 1, 2 or 3.")
        if not 1 <= limit <= 2000:
            raise BadRequest(f"neighbourhood: limit {limit} is outside 1..2000.",
                             "Ask for at most 2000 nodes.")
        found = await info.context.rows(info, "neighbourhood", ("nodes", "edges"), id=str(id),
                                        depth=depth, limit=limit, asOf=as_of)
        return found[0] if found else {"nodes": [], "edges": []}

    @strawberry.field(description=(
        "The shortest chain linking two nodes (from a node to itself: a path of length 0)."))
    async def path(self, info: Ctx,
                   from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                   to: strawberry.ID, as_of: dt.date | None = None,
                   avoid_types: Annotated[list[str] | None, strawberry.argument(
                       description="Relationship types never followed (COVERS, WITHIN...).")]
                   = None,
                   avoid_labels: Annotated[list[NodeType] | None, strawberry.argument(
                       description="Kinds of node never passed through (the ends may be).")]
                   = None,
                   avoid_status: Annotated[list[str] | None, strawberry.argument(
                       description="Statuses never passed through (example, proposed...).")]
                   = None) -> Graph:
        for name, given in (("avoidTypes", avoid_types), ("avoidStatus", avoid_status)):
            if given is not None and len(given) > MAX_AVOID:
                raise BadRequest(f"path: {name} lists {len(given)} values; at most "
                                 f"{MAX_AVOID}.", "Name each kind once.")
        return (await info.context.rows(
            info, "path", ("nodes", "edges"), asOf=as_of,
            avoidTypes=avoid_types or [], avoidStatus=avoid_status or [],
            avoidLabels=[label.value for label in avoid_labels or []],
            **{"from": str(from_), "to": str(to)}))[0]

    @strawberry.field(description="Loads of datasets, latest stated first.")
    async def loads(self, info: Ctx, district: str | None = None,
                    dataset: str | None = None) -> list[Load]:
        return await info.context.rows(info, "loads", ("n",), district=district,
                                       dataset=dataset)

    @strawberry.field(description=(
        "What loads of returns stated on or after `since` added, ended, removed and changed."))
    async def changes(self, info: Ctx, since: dt.date, district: str | None = None,
                      first: int = 100, after: str | None = None) -> Connection[Change]:
        return await page(info, "changes", first, after, since=since, district=district)

    @strawberry.field(description=(
        "Network measures of who sits on which board (degree, betweenness, closeness, "
        "eigenvector, Burt's constraint and effective size, Louvain community; density, "
        "components, diameter, path length, clustering), kept until the next load."))
    async def network_metrics(self, info: Ctx,
                              projection: Projection = Projection.MEMBER_BOARD,
                              as_of: dt.date | None = None, area: str | None = None,
                              dataset: str | None = None, weighted: bool = False,
                              first: int = 20, after: str | None = None,
                              sort: MetricSort = MetricSort.BETWEENNESS) -> NetworkMetrics:
        check_page(first)
        start = offset_of(after)
        question = Question(projection, as_of, area, dataset, weighted)
        result, version, kept = await measured(info.context, question)
        return metrics_page(result, question, version, kept, sort, first, start,
                            cursor_of)

    organisations = listing("Organisation", Organisation, "organisations")
    partnerships = listing("Partnership", Partnership, "partnerships")
    people = listing("Person", Person, "people")
    posts = listing("Post", Post, "posts")
    strategies = listing("Strategy", Strategy, "strategies")
    programmes = listing("Programme", Programme, "programmes")
    areas = listing("Area", Area, "areas")


MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 3000
# The depth and alias limits as validation rules, which operation.py adds to the schema's own.
LIMIT_RULES = [*QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
               *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules]


def build_schema() -> strawberry.Schema:
    """The types and resolvers; operation.py parses, limits, validates and executes."""
    built = strawberry.Schema(query=Query, types=list(TYPES.values()))
    call_root_resolvers_directly(built)
    return built


schema = build_schema()
GRAPHQL = schema._schema  # graphql-core's, which operation.py executes against
