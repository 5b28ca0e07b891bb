"""GraphQL object types. Each wraps the map a named query returned; nested fields read from it.

A node's map is either a summary (id, name, label, a few properties: what a list or a
relationship projects) or its details (what `node_details` projects). A nested field that
needs details the map lacks loads them through the request's DataLoader, so a page of
results costs one more round trip, not one per item.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from ..model import camel
from .context import Context

Data = dict[str, Any]


@strawberry.type(description="Where a fact comes from: a document and a section of it.")
class SourceRef:
    document: str
    section: str | None

    @staticmethod
    def parse(citations: list[str] | None) -> list[SourceRef]:
        refs = []
        for citation in citations or []:
            document, _, section = citation.partition("#")
            refs.append(SourceRef(document=document, section=section or None))
        return refs


def in_force(fact: Data, as_of: dt.date | None) -> bool:
    """Whether a membership (or holding) holds on a date; always, without one."""
    if as_of is None:
        return True
    start, end = fact.get("validFrom"), fact.get("validTo")
    return (start is None or start <= as_of) and (end is None or end >= as_of)


class FromData:
    """Fills a type's plain fields from the map it wraps (meeting_frequency from
    meetingFrequency), so a field that only passes a value on needs no resolver."""

    data: Data

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):  # type: ignore[arg-type]
            value = self.data.get(camel(field.name))
            if value is not None and field.name != "data":
                setattr(self, field.name, value)


@strawberry.interface(description=(
    "Anything in the knowledge base: it has an id, a name and sources."))
class Node(FromData):
    data: strawberry.Private[Data]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.data["id"])

    @strawberry.field
    def name(self) -> str:
        return str(self.data.get("name") or self.data["id"])

    @strawberry.field(description="The documents and sections that say so.")
    def sources(self) -> list[SourceRef]:
        return SourceRef.parse(self.data.get("sources"))

    @strawberry.field(description="The datasets (documents or spreadsheets) it was loaded from.")
    def datasets(self) -> list[str]:
        return list(self.data.get("datasets") or [])

    @strawberry.field
    def aliases(self) -> list[str]:
        return list(self.data.get("aliases") or [])

    async def details(self, info: Info[Context, None]) -> Data:
        if "members" in self.data:  # already the detail projection
            return self.data
        loaded = await info.context.details.load(self.data["id"])
        return loaded or {**self.data, **EMPTY_DETAILS}



EMPTY_DETAILS: Data = {key: [] for key in (
    "members", "memberships", "boards", "parts", "partOf", "accountableTo", "accountableFrom",
    "supportedBy", "supports", "posts", "postIn", "holders", "holdings", "owns", "ownedBy",
    "aims", "outcomes", "actions", "parent", "strategy", "deliveredBy", "delivers", "runs",
    "runBy", "covers", "coveredBy", "within", "contains")}


def node(data: Data | None) -> Any:
    """The GraphQL object for a node map, by its label."""
    if data is None:
        return None
    return TYPES.get(data.get("label", ""), Source)(data=data)


def nodes(items: list[Data] | None) -> list[Any]:
    return [node(item) for item in items or []]


@strawberry.type(description="A member sitting on a partnership, with its role and seats.")
class Membership(FromData):
    data: strawberry.Private[Data]
    member_data: strawberry.Private[Data]
    body_data: strawberry.Private[Data]

    @strawberry.field
    def member(self) -> Member:
        return node(self.member_data)  # type: ignore[no-any-return]

    @strawberry.field
    def body(self) -> Partnership:
        return Partnership(data=self.body_data)

    role: str = "member"
    seats: int = 1
    status: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str | None = strawberry.field(
        default=None, description="A qualifier the source gives ('plus relevant officer').")
    on_behalf_of: str | None = strawberry.field(
        default=None, description="The id of the body a representative speaks for.")

    @strawberry.field
    def sources(self) -> list[SourceRef]:
        return SourceRef.parse(self.data.get("sources"))


def members_of(body: Data, details: Data, as_of: dt.date | None) -> list[Membership]:
    return [Membership(data=m, member_data=m["member"], body_data=body)
            for m in details["members"] if in_force(m, as_of)]


def memberships_of(member: Data, facts: list[Data], as_of: dt.date | None) -> list[Membership]:
    return [Membership(data=m, member_data=member, body_data=m["body"])
            for m in facts if in_force(m, as_of)]


def distinct_bodies(facts: list[Data]) -> list[Partnership]:
    seen: dict[str, Data] = {}
    for fact in facts:
        seen.setdefault(fact["body"]["id"], fact["body"])
    return [Partnership(data=b) for b in sorted(seen.values(), key=lambda b: b.get("name", ""))]


@strawberry.type(description="An accountability or reporting line.")
class Accountability(FromData):
    data: strawberry.Private[Data]
    from_data: strawberry.Private[Data]
    to_data: strawberry.Private[Data]

    @strawberry.field(name="from")
    def from_(self) -> Partnership:
        return Partnership(data=self.from_data)

    @strawberry.field
    def to(self) -> Member:
        return node(self.to_data)  # type: ignore[no-any-return]

    frequency: str | None = None
    how: str | None = None
    status: str | None = None
    step: int | None = strawberry.field(
        default=None, description="How many lines up from where the chain started (1 = first).")

    @strawberry.field
    def sources(self) -> list[SourceRef]:
        return SourceRef.parse(self.data.get("sources"))


@strawberry.type(description="A body or programme delivering an outcome or action.")
class Delivery(FromData):
    data: strawberry.Private[Data]

    @strawberry.field
    def deliverer(self) -> Deliverer:
        return node(self.data["deliverer"])  # type: ignore[no-any-return]

    via: str = strawberry.field(default="", description=(
        "How: 'outcome' (directly), 'action 3.4.2', 'programme Health Trainers'."))

    role: str | None = None
    status: str | None = None

    @strawberry.field
    def sources(self) -> list[SourceRef]:
        return SourceRef.parse(self.data.get("sources"))


@strawberry.type
class Support(FromData):
    data: strawberry.Private[Data]

    @strawberry.field
    def partnership(self) -> Partnership:
        return Partnership(data=self.data["partnership"])

    @strawberry.field
    def supporter(self) -> Organisation:
        return Organisation(data=self.data["supporter"])

    how: str | None = None

    @strawberry.field
    def sources(self) -> list[SourceRef]:
        return SourceRef.parse(self.data.get("sources"))


def accountability(line: Data, start: Data | None = None,
                   end: Data | None = None) -> Accountability:
    return Accountability(data=line, from_data=start or line["from"], to_data=end or line["to"])


@strawberry.interface(description=(
    "An organisation or partnership: a body that can sit on boards, own strategies and deliver."))
class Body(Node):
    kind: str | None = None
    status: str | None = None

    @strawberry.field(description="The partnerships it sits on itself.")
    async def memberships(self, info: Info[Context, None],
                          as_of: dt.date | None = None) -> list[Membership]:
        return memberships_of(self.data, (await self.details(info))["memberships"], as_of)

    @strawberry.field
    async def strategies(self, info: Info[Context, None]) -> list[Strategy]:
        return [Strategy(data=s) for s in (await self.details(info))["owns"]]

    @strawberry.field
    async def areas(self, info: Info[Context, None]) -> list[Area]:
        return [Area(data=a) for a in (await self.details(info))["covers"]]

    @strawberry.field(description="The outcomes and actions it delivers.")
    async def delivers(self, info: Info[Context, None]) -> list[Node]:
        return nodes([d["target"] for d in (await self.details(info))["delivers"]])

    @strawberry.field
    async def runs(self, info: Info[Context, None]) -> list[Programme]:
        return [Programme(data=p) for p in (await self.details(info))["runs"]]


@strawberry.type(description=(
    "A governance body: conference, board, executive, LSP, thematic partnership, group."))
class Partnership(Body):
    tier: str | None = None
    meeting_frequency: str | None = None
    meetings_per_year: float | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    purpose: str | None = None

    @strawberry.field(description="Who sits on it (on a date, with asOf; in a role, with role).")
    async def members(self, info: Info[Context, None], as_of: dt.date | None = None,
                      role: str | None = None) -> list[Membership]:
        found = members_of(self.data, await self.details(info), as_of)
        return [m for m in found if role is None or m.data.get("role") == role]

    @strawberry.field
    async def parts(self, info: Info[Context, None]) -> list[Partnership]:
        return [Partnership(data=p) for p in (await self.details(info))["parts"]]

    @strawberry.field
    async def part_of(self, info: Info[Context, None]) -> Partnership | None:
        found = (await self.details(info))["partOf"]
        return Partnership(data=found[0]) if found else None

    @strawberry.field
    async def accountable_to(self, info: Info[Context, None]) -> list[Accountability]:
        return [accountability(a, self.data, a["to"])
                for a in (await self.details(info))["accountableTo"]]

    @strawberry.field(description="The bodies accountable to this one.")
    async def accountable_from(self, info: Info[Context, None]) -> list[Accountability]:
        return [accountability(a, a["from"], self.data)
                for a in (await self.details(info))["accountableFrom"]]

    @strawberry.field
    async def supported_by(self, info: Info[Context, None]) -> list[Support]:
        return [Support(data={**s, "partnership": self.data})
                for s in (await self.details(info))["supportedBy"]]



@strawberry.type(description=(
    "An independent body, or a sector placeholder such as a district's voluntary sector."))
class Organisation(Body):
    sector: str | None = None
    description: str | None = None

    @strawberry.field
    async def posts(self, info: Info[Context, None]) -> list[Post]:
        return [Post(data=p) for p in (await self.details(info))["posts"]]

    @strawberry.field
    async def part_of(self, info: Info[Context, None]) -> Organisation | None:
        found = (await self.details(info))["partOf"]
        return Organisation(data=found[0]) if found else None

    @strawberry.field
    async def supports(self, info: Info[Context, None]) -> list[Support]:
        return [Support(data={**s, "supporter": self.data})
                for s in (await self.details(info))["supports"]]



@strawberry.type(description="A position at an organisation or partnership, held or vacant.")
class Post(Node):
    @strawberry.field
    def title(self) -> str:
        return str(self.data.get("title") or self.data.get("name") or "")

    @strawberry.field
    async def post_in(self, info: Info[Context, None]) -> Node | None:
        found = (await self.details(info))["postIn"]
        return node(found[0]) if found else None

    @strawberry.field
    async def holders(self, info: Info[Context, None],
                      as_of: dt.date | None = None) -> list[Person]:
        return [Person(data=h["person"]) for h in (await self.details(info))["holders"]
                if in_force(h, as_of)]

    @strawberry.field
    async def memberships(self, info: Info[Context, None],
                          as_of: dt.date | None = None) -> list[Membership]:
        return memberships_of(self.data, (await self.details(info))["memberships"], as_of)

    @strawberry.field(description="Every partnership the post sits on.")
    async def boards(self, info: Info[Context, None],
                     as_of: dt.date | None = None) -> list[Partnership]:
        facts = (await self.details(info))["memberships"]
        return distinct_bodies([m for m in facts if in_force(m, as_of)])


@strawberry.type(description="A named individual.")
class Person(Node):
    @strawberry.field
    async def posts(self, info: Info[Context, None],
                    as_of: dt.date | None = None) -> list[Post]:
        return [Post(data=h["post"]) for h in (await self.details(info))["holdings"]
                if in_force(h, as_of)]

    @strawberry.field(description="Partnerships the person sits on in their own right.")
    async def memberships(self, info: Info[Context, None],
                          as_of: dt.date | None = None) -> list[Membership]:
        return memberships_of(self.data, (await self.details(info))["memberships"], as_of)

    @strawberry.field(description=(
        "Every board the person sits on, directly or through a post held."))
    async def boards(self, info: Info[Context, None],
                     as_of: dt.date | None = None) -> list[Partnership]:
        details = await self.details(info)
        facts = details["memberships"] + details["boards"]
        return distinct_bodies([m for m in facts if in_force(m, as_of)])


@strawberry.type(description=(
    "A plan: Sustainable Community Strategy, Local Area Agreement, action plan."))
class Strategy(Node):
    kind: str | None = None
    period: str | None = None
    status: str | None = None

    @strawberry.field
    async def aims(self, info: Info[Context, None]) -> list[Aim]:
        found = (await self.details(info))["aims"]
        return [Aim(data=a) for a in sorted(found, key=code_order)]

    @strawberry.field
    async def owners(self, info: Info[Context, None]) -> list[Node]:
        return nodes((await self.details(info))["ownedBy"])


def code_order(item: Data) -> list[int | str]:
    """3.10 after 3.9: codes sort by their numbers."""
    return [int(p) if p.isdigit() else p for p in str(item.get("code", "")).split(".")]


@strawberry.interface(description=(
    "Aims, outcomes and actions: a code and a title within a strategy."))
class StrategyPart(Node):

    code: str = ""
    title: str = ""

    @strawberry.field
    async def strategy(self, info: Info[Context, None]) -> Strategy | None:
        found = (await self.details(info))["strategy"]
        return Strategy(data=found[0]) if found else None


@strawberry.type(description="A top-level aim of a strategy.")
class Aim(StrategyPart):
    @strawberry.field
    async def outcomes(self, info: Info[Context, None]) -> list[Outcome]:
        found = (await self.details(info))["outcomes"]
        return [Outcome(data=o) for o in sorted(found, key=code_order)]


@strawberry.type(description="An outcome under an aim, such as Outcome 3.4.")
class Outcome(StrategyPart):
    @strawberry.field
    async def aim(self, info: Info[Context, None]) -> Aim | None:
        found = (await self.details(info))["parent"]
        return Aim(data=found[0]) if found else None

    @strawberry.field
    async def actions(self, info: Info[Context, None]) -> list[Action]:
        found = (await self.details(info))["actions"]
        return [Action(data=a) for a in sorted(found, key=code_order)]

    @strawberry.field(description=(
        "Bodies and programmes delivering it: directly, through one of its actions, or through a "
        "programme (and the bodies running it)."))
    async def delivered_by(self, info: Info[Context, None]) -> list[Delivery]:
        return [Delivery(data=d) for d in (await self.details(info))["deliveredBy"]]


@strawberry.type(description="An action under an outcome.")
class Action(StrategyPart):
    @strawberry.field
    async def outcome(self, info: Info[Context, None]) -> Outcome | None:
        found = (await self.details(info))["parent"]
        return Outcome(data=found[0]) if found else None

    @strawberry.field
    async def delivered_by(self, info: Info[Context, None]) -> list[Delivery]:
        return [Delivery(data=d) for d in (await self.details(info))["deliveredBy"]]


@strawberry.type(description="A service or initiative already delivering something.")
class Programme(Node):
    description: str | None = None
    status: str | None = None

    @strawberry.field
    async def run_by(self, info: Info[Context, None]) -> list[Node]:
        return nodes((await self.details(info))["runBy"])

    @strawberry.field
    async def delivers(self, info: Info[Context, None]) -> list[Node]:
        return nodes([d["target"] for d in (await self.details(info))["delivers"]])


@strawberry.type(description="A county, district, town or other place a body covers.")
class Area(Node):
    kind: str | None = None

    @strawberry.field
    async def within(self, info: Info[Context, None]) -> Area | None:
        found = (await self.details(info))["within"]
        return Area(data=found[0]) if found else None

    @strawberry.field(description="The bodies covering this area.")
    async def covered_by(self, info: Info[Context, None]) -> list[Node]:
        return nodes((await self.details(info))["coveredBy"])


@strawberry.type(description="A source document or loaded spreadsheet.")
class Source(Node):
    title: str | None = None
    date: dt.date | None = None
    publisher: str | None = None


@strawberry.type(description=(
    "Recommended composition, size and meeting frequency for a layer of a partnership."))
class Guidance(Node):
    tier: str | None = None
    applies_to: list[str] = strawberry.field(default_factory=list)
    composition: str | None = None
    min_members: int | None = None
    max_members: int | None = None
    meeting_frequency: str | None = None
    meetings_per_year: float | None = None


@strawberry.type(description="A partnership set beside the guidance for its kind.")
class GuidanceGap:
    partnership: Partnership
    guidance: Guidance
    seats: int = strawberry.field(description="Seats on it: members, counting '2 x' as two.")
    meetings_per_year: float | None
    too_large: bool
    meets_less_often: bool

    @staticmethod
    def of(row: Data) -> GuidanceGap:
        return GuidanceGap(partnership=Partnership(data=row["partnership"]),
                           guidance=Guidance(data=row["guidance"]), seats=row["seats"],
                           meetings_per_year=row["meetingsPerYear"], too_large=row["tooLarge"],
                           meets_less_often=row["meetsLessOften"])


Member = Annotated[Person | Post | Organisation | Partnership, strawberry.union("Member")]
Deliverer = Annotated[Organisation | Partnership | Programme, strawberry.union("Deliverer")]

TYPES: dict[str, type[Node]] = {
    "Organisation": Organisation, "Partnership": Partnership, "Post": Post, "Person": Person,
    "Strategy": Strategy, "Aim": Aim, "Outcome": Outcome, "Action": Action,
    "Programme": Programme, "Area": Area, "Source": Source, "Guidance": Guidance,
}


@strawberry.enum(description=(
    "What interlocks count: members as they sit, or rolled up to organisations."))
class InterlockLevel(Enum):
    MEMBER = "MEMBER"
    ORGANISATION = "ORGANISATION"


@strawberry.type(description="A member sitting on several boards.")
class Interlock:
    member_data: strawberry.Private[Data]
    board_data: strawberry.Private[list[Data]]

    @strawberry.field
    def member(self) -> Member:
        return node(self.member_data)  # type: ignore[no-any-return]

    @strawberry.field
    def boards(self) -> list[Partnership]:
        return [Partnership(data=b) for b in self.board_data]

    @strawberry.field
    def count(self) -> int:
        return len(self.board_data)


@strawberry.type(description="Two boards and the members they share.")
class BoardOverlap:
    a_data: strawberry.Private[Data]
    b_data: strawberry.Private[Data]
    shared_data: strawberry.Private[list[Data]]

    @strawberry.field
    def a(self) -> Partnership:
        return Partnership(data=self.a_data)

    @strawberry.field
    def b(self) -> Partnership:
        return Partnership(data=self.b_data)

    @strawberry.field
    def shared(self) -> list[Member]:
        return nodes(self.shared_data)


@strawberry.type(description="A search result and how well it matched.")
class SearchHit:
    node_data: strawberry.Private[Data]
    score: float

    @strawberry.field
    def node(self) -> Node:
        return node(self.node_data)  # type: ignore[no-any-return]


@strawberry.type(description="A node to draw.")
class GraphNode:
    id: strawberry.ID
    label: str
    name: str
    kind: str | None = None
    status: str | None = None
    tier: str | None = None
    code: str | None = None
    sources: list[SourceRef] = strawberry.field(default_factory=list)


@strawberry.type(description="A relationship to draw.")
class GraphEdge:
    id: strawberry.ID
    type: str
    source: strawberry.ID
    target: strawberry.ID
    role: str | None = None
    frequency: str | None = None
    sources: list[SourceRef] = strawberry.field(default_factory=list)


@strawberry.type(description="Nodes and edges for the explorer.")
class Graph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]

    @staticmethod
    def of(row: Data) -> Graph:
        return Graph(
            nodes=[GraphNode(id=strawberry.ID(n["id"]), label=n["label"],
                             name=n.get("name") or n["id"], kind=n.get("kind"),
                             status=n.get("status"), tier=n.get("tier"), code=n.get("code"),
                             sources=SourceRef.parse(n.get("sources")))
                   for n in row["nodes"]],
            edges=[GraphEdge(id=strawberry.ID(e["id"]), type=e["type"],
                             source=strawberry.ID(e["source"]),
                             target=strawberry.ID(e["target"]), role=e.get("role"),
                             frequency=e.get("frequency"),
                             sources=SourceRef.parse(e.get("sources")))
                   for e in row["edges"]])
