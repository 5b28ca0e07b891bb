"""The GraphQL object types: declarations of what can be asked, with their descriptions.

No resolver below a root field runs: the root's compiled Cypher (projection.py, with the
recipes of fields.py) returns each answer already in its response shape. Fields with arguments
declare them through a signature whose body is never reached.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any, NoReturn

import strawberry


def projected() -> NoReturn:
    """The body of a field whose value the root's Cypher projection has already filled."""
    raise AssertionError("filled by the compiled Cypher projection; never resolved")


@strawberry.type(description="Where a fact comes from: a document and a section of it.")
class SourceRef:
    document: str
    section: str | None


@strawberry.type(description="A dataset saying a fact, from the return that first said it.")
class Statement:
    dataset: str
    stated_on: dt.date


@strawberry.type(description="One load of a dataset: a district return or a source document.")
class Load:
    id: strawberry.ID
    dataset: str
    district: str | None
    file: str | None
    sha256: str | None
    stated_on: dt.date | None = strawberry.field(description="The date the return says it on.")
    recorded_at: str | None = strawberry.field(description="When it was loaded (ISO time).")
    who: str | None
    added: int | None
    ended: int | None
    changed: int | None
    new_findings: list[str] | None = strawberry.field(
        description="The rule checks' findings this load made (`pkb check`), one line each.")
    resolved_findings: list[str] | None = strawberry.field(
        description="The rule checks' findings this load resolved, one line each.")


@strawberry.type(description=(
    "What one load did to one fact: added, ended (a later return no longer says it), "
    "removed (a correction of the same return), or changed (before and after, as JSON)."))
class Change:
    kind: str
    subject: str
    summary: str
    before: str | None
    after: str | None
    load: Load | None


@strawberry.enum(description="Whether the source says a fact in words, or we infer it.")
class Basis(Enum):
    STATED = "STATED"
    INFERRED = "INFERRED"


@strawberry.interface(description=(
    "When a fact holds: stated by which returns, recorded when, in force from and until; and "
    "whether its source says it in words."))
class Dated:
    basis: Basis = strawberry.field(description=(
        "STATED when the sources say it in words; INFERRED when we read it from them."))
    inference: str | None = strawberry.field(description="Why it is an inference, if it is.")
    stated_on: dt.date | None = strawberry.field(
        description="The date of the first document or return that said it.")
    recorded_at: str | None = strawberry.field(description="When it was first loaded.")
    ended_on: dt.date | None = strawberry.field(
        description="The date of the return that no longer said it.")
    in_force_from: dt.date | None = strawberry.field(description=(
        "validFrom, else statedOn; null for what is only proposed, an option or an example."))
    in_force_until: dt.date | None = strawberry.field(description="validTo, else endedOn.")
    statements: list[Statement]
    history: list[Change] = strawberry.field(description="What each load did to it.")


@strawberry.interface(description=(
    "Anything in the knowledge base: it has an id, a name and sources."))
class Node(Dated):
    id: strawberry.ID
    name: str
    sources: list[SourceRef] = strawberry.field(
        description="The documents and sections that say so.")
    datasets: list[str] = strawberry.field(
        description="The datasets (documents or spreadsheets) it was loaded from.")
    aliases: list[str]


@strawberry.type(description="A member sitting on a partnership, with its role and seats.")
class Membership(Dated):
    role: str
    seats: int
    status: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    note: str | None = strawberry.field(
        description="A qualifier the source gives ('plus relevant officer').")
    on_behalf_of: str | None = strawberry.field(
        description="The id of the body a representative speaks for.")
    member: Member
    body: Partnership
    sources: list[SourceRef]


@strawberry.type(description="An accountability or reporting line.")
class Accountability(Dated):
    frequency: str | None
    how: str | None
    status: str | None
    step: int | None = strawberry.field(
        description="How many lines up from where the chain started (1 = first).")
    from_: Node = strawberry.field(name="from", description="A partnership, or a programme.")
    to: Member
    sources: list[SourceRef]


@strawberry.type(description="A body or programme delivering an outcome or action.")
class Delivery:
    via: str = strawberry.field(description=(
        "How: 'outcome' (directly), 'action 3.4.2', 'programme Health Trainers'."))
    role: str | None
    status: str | None
    deliverer: Deliverer
    sources: list[SourceRef]
    basis: Basis = strawberry.field(description=(
        "STATED when the sources say it in words; INFERRED when we read it from them."))
    inference: str | None = strawberry.field(description="Why it is an inference, if it is.")


@strawberry.type
class Support(Dated):
    how: str | None
    partnership: Partnership
    supporter: Organisation
    sources: list[SourceRef]


@strawberry.interface(description=(
    "An organisation or partnership: a body that can sit on boards, own strategies and deliver."))
class Body(Node):
    kind: str | None
    status: str | None

    @strawberry.field(description="The partnerships it sits on itself.")
    def memberships(self, as_of: dt.date | None = None) -> list[Membership]:
        projected()

    strategies: list[Strategy]
    areas: list[Area]
    delivers: list[Node] = strawberry.field(description="The outcomes and actions it delivers.")
    runs: list[Programme]


@strawberry.type(description=(
    "A governance body: conference, board, executive, LSP, thematic partnership, group."))
class Partnership(Body):
    tier: str | None
    meeting_frequency: str | None
    meetings_per_year: float | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    purpose: str | None

    @strawberry.field(description="Who sits on it (on a date, with asOf; in a role, with role).")
    def members(self, as_of: dt.date | None = None, role: str | None = None) -> list[Membership]:
        projected()

    parts: list[Partnership]
    part_of: Partnership | None

    @strawberry.field
    def accountable_to(self, as_of: dt.date | None = None) -> list[Accountability]:
        projected()

    @strawberry.field(description="The bodies accountable to this one.")
    def accountable_from(self, as_of: dt.date | None = None) -> list[Accountability]:
        projected()

    supported_by: list[Support]


@strawberry.type(description=(
    "An independent body, or a sector placeholder such as a district's voluntary sector."))
class Organisation(Body):
    sector: str | None
    description: str | None
    posts: list[Post]
    part_of: Organisation | None
    supports: list[Support]


@strawberry.type(description="A position at an organisation or partnership, held or vacant.")
class Post(Node):
    title: str
    post_in: Node | None

    @strawberry.field
    def holders(self, as_of: dt.date | None = None) -> list[Person]:
        projected()

    @strawberry.field
    def memberships(self, as_of: dt.date | None = None) -> list[Membership]:
        projected()

    @strawberry.field(description="Every partnership the post sits on.")
    def boards(self, as_of: dt.date | None = None) -> list[Partnership]:
        projected()


@strawberry.type(description="A named individual.")
class Person(Node):
    @strawberry.field
    def posts(self, as_of: dt.date | None = None) -> list[Post]:
        projected()

    @strawberry.field(description="Partnerships the person sits on in their own right.")
    def memberships(self, as_of: dt.date | None = None) -> list[Membership]:
        projected()

    @strawberry.field(description=(
        "Every board the person sits on, directly or through a post held."))
    def boards(self, as_of: dt.date | None = None) -> list[Partnership]:
        projected()


@strawberry.type(description=(
    "A plan: Sustainable Community Strategy, Local Area Agreement, action plan."))
class Strategy(Node):
    kind: str | None
    period: str | None
    status: str | None
    aims: list[Aim]
    owners: list[Node]


@strawberry.interface(description=(
    "Aims, outcomes and actions: a code and a title within a strategy."))
class StrategyPart(Node):
    code: str
    title: str
    strategy: Strategy | None


@strawberry.type(description="A top-level aim of a strategy.")
class Aim(StrategyPart):
    outcomes: list[Outcome]


@strawberry.type(description="An outcome under an aim, such as Outcome 3.4.")
class Outcome(StrategyPart):
    aim: Aim | None
    actions: list[Action]
    delivered_by: list[Delivery] = strawberry.field(description=(
        "Bodies and programmes delivering it: directly, through one of its actions, or through a "
        "programme (and the bodies running it)."))


@strawberry.type(description="An action under an outcome.")
class Action(StrategyPart):
    outcome: Outcome | None
    delivered_by: list[Delivery]


@strawberry.type(description="A service or initiative already delivering something.")
class Programme(Node):
    description: str | None
    status: str | None
    run_by: list[Node]
    delivers: list[Node]

    @strawberry.field(description="The lines it reports up (an annual report to a board).")
    def accountable_to(self, as_of: dt.date | None = None) -> list[Accountability]:
        projected()


@strawberry.type(description="A county, district, town or other place a body covers.")
class Area(Node):
    kind: str | None
    within: Area | None
    covered_by: list[Node] = strawberry.field(description="The bodies covering this area.")


@strawberry.type(description="A source document or loaded spreadsheet.")
class Source(Node):
    title: str | None
    date: dt.date | None
    publisher: str | None


@strawberry.type(description=(
    "Recommended composition, size and meeting frequency for a layer of a partnership."))
class Guidance(Node):
    tier: str | None
    applies_to: list[str]
    composition: str | None
    min_members: int | None
    max_members: int | None
    meeting_frequency: str | None
    meetings_per_year: float | None


Member = Annotated[Person | Post | Organisation | Partnership, strawberry.union("Member")]
Deliverer = Annotated[Organisation | Partnership | Programme, strawberry.union("Deliverer")]

# Every node type, by its Neo4j label (each label is its GraphQL type's name).
TYPES: dict[str, type[Any]] = {
    "Organisation": Organisation, "Partnership": Partnership, "Post": Post, "Person": Person,
    "Strategy": Strategy, "Aim": Aim, "Outcome": Outcome, "Action": Action,
    "Programme": Programme, "Area": Area, "Source": Source, "Guidance": Guidance,
}
