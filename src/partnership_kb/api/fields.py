"""How each GraphQL field reads the graph: one Cypher recipe per field of every object type.

`projection.py` compiles a selection into one Cypher map projection from these recipes. A
recipe's templates name the values the object is bound to ("env"): a node type's node is `{n}`;
a membership is its relationship `{rel}` with its `{member}` and `{body}` nodes; a root row
(an interlock, an overlap) is the named query's columns. Any other name in braces (`{m}`, `{r}`,
`{x}`) is a fresh Cypher variable. What a field returns (node type, union, list) comes from the
GraphQL schema, so a recipe only says where the value is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Expr:
    """A scalar (or list of scalars): a Cypher expression."""

    template: str


@dataclass(frozen=True)
class Bound:
    """One object already at hand: its env, each entry an expression over this one's env."""

    bind: dict[str, str]


@dataclass(frozen=True)
class Each:
    """A list of objects made from a list expression; `{x}` is each item."""

    items: str
    bind: dict[str, str]


@dataclass(frozen=True)
class Filter:
    """A condition applied when the field's argument is given (`{arg}` is its parameter), or
    always, with no argument named."""

    argument: str
    template: str


IN_FORCE = "{x}.inForceFrom <= {arg} AND ({x}.inForceUntil IS NULL OR {x}.inForceUntil >= {arg})"


def in_force(*facts: str) -> Filter:
    """asOf: the fact and its ends are in force on the date (loader/history.py derives
    inForceFrom and inForceUntil: proposed, option and example facts have none)."""
    return Filter("asOf", " AND ".join(IN_FORCE.replace("{x}", f"{{{fact}}}")
                                       for fact in facts))


@dataclass(frozen=True)
class Follow:
    """Objects reached by a pattern from this one (a pattern comprehension). `order` or
    `distinct` need a COLLECT subquery; `single` takes the first (or null)."""

    pattern: str
    bind: dict[str, str]
    filters: tuple[Filter, ...] = ()
    single: bool = False
    order: str | None = None
    distinct: bool = False
    union: tuple[Follow, ...] = ()  # more patterns whose items are appended (no order)


Recipe = Expr | Bound | Each | Follow

# Dates leave Cypher as ISO text: the response needs no conversion in Python.
def date(prop: str) -> Expr:
    return Expr(f"toString({prop})")


def code_order(var: str) -> str:
    """3.10 after 3.9: codes sort by their numbers."""
    return f"[part IN split({{{var}}}.code, '.') | coalesce(toInteger(part), 0)]"


def basis(fact: str) -> dict[str, Recipe]:
    """Whether the source says a fact in words, or we inferred it (and why)."""
    return {"basis": Expr(f"CASE WHEN {fact}.inferred IS NULL THEN 'STATED' ELSE 'INFERRED' END"),
            "inference": Expr(f"{fact}.inferred")}


def times(var: str, subject: str) -> dict[str, Recipe]:
    """When a fact was stated, recorded, ended and is in force; and its loads' changes."""
    fact = f"{{{var}}}"
    return {
        "statedOn": date(f"{fact}.statedOn"), "recordedAt": Expr(f"toString({fact}.recordedAt)"),
        "endedOn": date(f"{fact}.endedOn"), "inForceFrom": date(f"{fact}.inForceFrom"),
        "inForceUntil": date(f"{fact}.inForceUntil"),
        "statements": Each(f"coalesce({fact}.stated, [])", {"s": "{x}"}),
        **basis(fact),
        "history": Follow("({c}:Change)-[:IN]->(:Load)", {"n": "{c}"},
                          (Filter("", f"{{c}}.subject = {subject}"),),
                          order="{c}.recordedAt"),
    }


SOURCES = Each("coalesce({n}.sources, [])", {"s": "{x}"})
# What the explorer's timeline and "says who" need of each drawn node and edge.
DRAWN_TIMES: dict[str, Recipe] = {**{name: date(f"{{n}}.{name}")
                                     for name in ("statedOn", "inForceFrom", "inForceUntil")},
                                  **basis("{n}")}
DATASETS = Expr("coalesce({n}.datasets, [])")
# The areas a drawn node is in, for the explorer's area filter: those it covers, and those the
# bodies it belongs to cover (posts and people have no COVERS of their own; strategies and their
# trees, programmes, neither, mostly); an area is in itself. Time plays no part: where a body
# works does not change with a date. One small subquery per node, in the same round trip.
AREAS_OF = (
    "COLLECT { CALL ({n}) {"
    " MATCH ({n})-[:HOLDS|POST_IN*0..2]->({b})-[:COVERS]->({a}:Area) RETURN {a}"
    " UNION MATCH ({b})-[:OWNS|RUNS]->()-[:HAS_AIM|HAS_OUTCOME|HAS_ACTION*0..3]->({n}),"
    " ({b})-[:COVERS]->({a}:Area) RETURN {a}"
    " UNION WITH {n} AS {a} WHERE {a}:Area RETURN {a} }"
    " WITH {a} ORDER BY {a}.name RETURN {a} }")
NODE: dict[str, Recipe] = {
    "id": Expr("{n}.id"),
    "name": Expr("coalesce({n}.name, {n}.id)"),
    "sources": SOURCES,
    "datasets": DATASETS,
    "aliases": Expr("coalesce({n}.aliases, [])"),
    **times("n", "labels({n})[0] + ':' + {n}.id"),
}


def node_type(**fields: Recipe) -> dict[str, Recipe]:
    return {**NODE, **fields}


def props(*names: str, var: str = "n") -> dict[str, Recipe]:
    return {name: Expr(f"{{{var}}}.{name}") for name in names}


def one(pattern: str, var: str = "m") -> Follow:
    return Follow(pattern, {"n": f"{{{var}}}"}, single=True)


def many(pattern: str, var: str = "m", **options: object) -> Follow:
    return Follow(pattern, {"n": f"{{{var}}}"}, **options)  # type: ignore[arg-type]


def membership(pattern: str, member: str, body: str) -> Follow:
    return Follow(pattern, {"rel": "{r}", "member": member, "body": body},
                  (in_force("r", member.strip("{}"), body.strip("{}")),))


BODY: dict[str, Recipe] = {
    **props("kind", "status"),
    "memberships": membership("({n})-[{r}:MEMBER_OF]->({b}:Partnership)", "{n}", "{b}"),
    "strategies": many("({n})-[:OWNS]->({m}:Strategy)"),
    "areas": many("({n})-[:COVERS]->({m}:Area)"),
    "delivers": many("({n})-[:DELIVERS]->({m})"),
    "runs": many("({n})-[:RUNS]->({m}:Programme)"),
}

BOARDS_OF_POST = Follow("({n})-[{r}:MEMBER_OF]->({b}:Partnership)", {"n": "{b}"},
                        (in_force("r", "n", "b"),), order="{b}.name", distinct=True)


def delivered_by(kind: str) -> Follow:
    """Who delivers an outcome or action: directly, through one of its actions, or through a
    programme (named with the bodies running it)."""
    def delivery(pattern: str, via: str, sources: str = "{r}.sources") -> Follow:
        return Follow(pattern, {"rel": "{r}", "deliverer": "{d}", "via": via,
                                "sources": sources})
    run = "coalesce({r}.sources, []) + coalesce({run}.sources, [])"
    return Follow(
        "({d})-[{r}:DELIVERS]->({n})", {"rel": "{r}", "deliverer": "{d}", "via": f"'{kind}'",
                                        "sources": "{r}.sources"},
        union=(delivery("({n})-[:HAS_ACTION]->({a})<-[{r}:DELIVERS]-({d})", "'action ' + {a}.code"),
               delivery("({n})<-[{r}:DELIVERS]-({p}:Programme)<-[{run}:RUNS]-({d})",
                        "'programme ' + {p}.name", run),
               delivery("({n})-[:HAS_ACTION]->({a})<-[{r}:DELIVERS]-({p}:Programme)"
                        "<-[{run}:RUNS]-({d})",
                        "'programme ' + {p}.name + ' (action ' + {a}.code + ')'", run)))


# The lines a partnership or programme reports up.
ACCOUNTABLE_TO = Follow("({n})-[{r}:ACCOUNTABLE_TO]->({t})",
                        {"rel": "{r}", "from": "{n}", "to": "{t}", "step": "null"},
                        (in_force("r", "n", "t"),))

STRATEGY_OF = one("({m}:Strategy)-[:HAS_AIM|HAS_OUTCOME|HAS_ACTION*1..3]->({n})")

FIELDS: dict[str, dict[str, Recipe]] = {
    "Statement": {
        "dataset": Expr("split({s}, '|')[0]"), "statedOn": Expr("split({s}, '|')[1]"),
    },
    "Change": {
        **props("kind", "subject", "summary", "before", "after"),
        "load": one("({n})-[:IN]->({m}:Load)"),
    },
    "Load": {
        **props("id", "dataset", "district", "file", "sha256", "who", "added", "ended", "changed",
                "newFindings", "resolvedFindings"),
        "statedOn": date("{n}.statedOn"), "recordedAt": Expr("toString({n}.recordedAt)"),
    },
    "SourceRef": {
        "document": Expr("split({s}, '#')[0]"),
        "section": Expr("CASE WHEN {s} CONTAINS '#' AND NOT {s} ENDS WITH '#' "
                        "THEN substring({s}, size(split({s}, '#')[0]) + 1) END"),
    },
    "Partnership": node_type(
        **BODY, **props("tier", "meetingFrequency", "purpose"),
        meetingsPerYear=Expr("toFloat({n}.meetingsPerYear)"),
        validFrom=date("{n}.validFrom"), validTo=date("{n}.validTo"),
        members=Follow("({m})-[{r}:MEMBER_OF]->({n})", {"rel": "{r}", "member": "{m}",
                                                         "body": "{n}"},
                       (in_force("r", "m", "n"), Filter("role", "{r}.role = {arg}"))),
        parts=many("({m}:Partnership)-[:PART_OF]->({n})"),
        partOf=one("({n})-[:PART_OF]->({m}:Partnership)"),
        accountableTo=ACCOUNTABLE_TO,
        accountableFrom=Follow("({f})-[{r}:ACCOUNTABLE_TO]->({n})",
                               {"rel": "{r}", "from": "{f}", "to": "{n}", "step": "null"},
                               (in_force("r", "f", "n"),)),
        supportedBy=Follow("({n})-[{r}:SUPPORTED_BY]->({o})",
                           {"rel": "{r}", "partnership": "{n}", "supporter": "{o}"}),
    ),
    "Organisation": node_type(
        **BODY, **props("sector", "description"),
        posts=many("({m}:Post)-[:POST_IN]->({n})"),
        partOf=one("({n})-[:PART_OF]->({m}:Organisation)"),
        supports=Follow("({p})-[{r}:SUPPORTED_BY]->({n})",
                        {"rel": "{r}", "partnership": "{p}", "supporter": "{n}"}),
    ),
    "Post": node_type(
        title=Expr("coalesce({n}.title, {n}.name, '')"),
        postIn=one("({n})-[:POST_IN]->({m})"),
        holders=Follow("({m}:Person)-[{r}:HOLDS]->({n})", {"n": "{m}"},
                       (in_force("r", "m", "n"),)),
        memberships=membership("({n})-[{r}:MEMBER_OF]->({b}:Partnership)", "{n}", "{b}"),
        boards=BOARDS_OF_POST,
    ),
    "Person": node_type(
        posts=Follow("({n})-[{r}:HOLDS]->({m}:Post)", {"n": "{m}"}, (in_force("r", "n", "m"),)),
        memberships=membership("({n})-[{r}:MEMBER_OF]->({b}:Partnership)", "{n}", "{b}"),
        # on boards in their own right, or through a post they hold
        boards=Follow("({n})-[:HOLDS*0..1]->()-[{r}:MEMBER_OF]->({b}:Partnership)", {"n": "{b}"},
                      (in_force("r", "n", "b"),), order="{b}.name", distinct=True),
    ),
    "Strategy": node_type(
        **props("kind", "period", "status"),
        aims=many("({n})-[:HAS_AIM]->({m}:Aim)", order=code_order("m")),
        owners=many("({m})-[:OWNS]->({n})"),
    ),
    "Aim": node_type(
        **props("code", "title"), strategy=STRATEGY_OF,
        outcomes=many("({n})-[:HAS_OUTCOME]->({m}:Outcome)", order=code_order("m")),
    ),
    "Outcome": node_type(
        **props("code", "title"), strategy=STRATEGY_OF,
        aim=one("({m}:Aim)-[:HAS_OUTCOME]->({n})"),
        actions=many("({n})-[:HAS_ACTION]->({m}:Action)", order=code_order("m")),
        deliveredBy=delivered_by("outcome"),
    ),
    "Action": node_type(
        **props("code", "title"), strategy=STRATEGY_OF,
        outcome=one("({m}:Outcome)-[:HAS_ACTION]->({n})"),
        deliveredBy=delivered_by("action"),
    ),
    "Programme": node_type(
        **props("description", "status"),
        runBy=many("({m})-[:RUNS]->({n})"),
        delivers=many("({n})-[:DELIVERS]->({m})"),
        accountableTo=ACCOUNTABLE_TO,
    ),
    "Area": node_type(
        **props("kind"),
        within=one("({n})-[:WITHIN]->({m}:Area)"),
        coveredBy=many("({m})-[:COVERS]->({n})"),
    ),
    "Source": node_type(**props("title", "publisher"), date=date("{n}.date")),
    "Guidance": node_type(
        **props("tier", "composition", "meetingFrequency"),
        appliesTo=Expr("coalesce({n}.appliesTo, [])"),
        minMembers=Expr("toInteger({n}.minMembers)"), maxMembers=Expr("toInteger({n}.maxMembers)"),
        meetingsPerYear=Expr("toFloat({n}.meetingsPerYear)"),
    ),
    "Membership": {
        **times("rel", "'MEMBER_OF:' + {member}.id + '->' + {body}.id + ':' + {rel}.role"),
        "role": Expr("coalesce({rel}.role, 'member')"),
        "seats": Expr("toInteger(coalesce({rel}.seats, 1))"),
        **props("status", "note", "onBehalfOf", var="rel"),
        "validFrom": date("{rel}.validFrom"), "validTo": date("{rel}.validTo"),
        "member": Bound({"n": "{member}"}), "body": Bound({"n": "{body}"}),
        "sources": Each("coalesce({rel}.sources, [])", {"s": "{x}"}),
    },
    "Accountability": {
        **times("rel", "'ACCOUNTABLE_TO:' + {from}.id + '->' + {to}.id"),
        **props("frequency", "how", "status", var="rel"),
        "step": Expr("{step}"),
        "from": Bound({"n": "{from}"}), "to": Bound({"n": "{to}"}),
        "sources": Each("coalesce({rel}.sources, [])", {"s": "{x}"}),
    },
    "Delivery": {
        "via": Expr("{via}"), **props("role", "status", var="rel"),
        "deliverer": Bound({"n": "{deliverer}"}),
        "sources": Each("coalesce({sources}, [])", {"s": "{x}"}), **basis("{rel}"),
    },
    "Support": {
        **times("rel", "'SUPPORTED_BY:' + {partnership}.id + '->' + {supporter}.id"),
        **props("how", var="rel"),
        "partnership": Bound({"n": "{partnership}"}), "supporter": Bound({"n": "{supporter}"}),
        "sources": Each("coalesce({rel}.sources, [])", {"s": "{x}"}),
    },
    # Root rows: their env is the named query's columns.
    # Items of a page: maps the named query made ({member, count, boards}, {a, b, count, shared}).
    "Interlock": {
        "member": Bound({"n": "{n}.member"}), "boards": Each("{n}.boards", {"n": "{x}"}),
        "count": Expr("{n}.count"),
    },
    "BoardOverlap": {
        "a": Bound({"n": "{n}.a"}), "b": Bound({"n": "{n}.b"}),
        "shared": Each("{n}.shared", {"n": "{x}"}), "count": Expr("{n}.count"),
    },
    "SearchHit": {"node": Bound({"n": "{node}"}), "score": Expr("{score}"),
                  "matched": Expr("{matched}"), "alias": Expr("{alias}"),
                  "context": Expr("{context}")},
    "GuidanceGap": {
        "partnership": Bound({"n": "{partnership}"}), "guidance": Bound({"n": "{guidance}"}),
        "seats": Expr("{seats}"), "meetingsPerYear": Expr("toFloat({meetingsPerYear})"),
        "tooLarge": Expr("{tooLarge}"), "meetsLessOften": Expr("{meetsLessOften}"),
    },
    "Health": {name: Expr(f"{{{name}}}") for name in ("neo4jVersion", "nodes", "relationships")},
    "Graph": {"nodes": Each("{nodes}", {"n": "{x}"}), "edges": Each("{edges}", {"n": "{x}"})},
    "GraphNode": {
        **props("id", "kind", "status", "tier", "code"),
        "label": Expr("labels({n})[0]"), "name": Expr("coalesce({n}.name, {n}.id)"),
        "sources": SOURCES, "datasets": DATASETS, "areas": Each(AREAS_OF, {"n": "{x}"}),
        **DRAWN_TIMES,
    },
    "GraphEdge": {
        "id": Expr("elementId({n})"), "type": Expr("type({n})"),
        "source": Expr("startNode({n}).id"), "target": Expr("endNode({n}).id"),
        **props("role", "frequency", "status"),
        "sources": SOURCES, "datasets": DATASETS, **DRAWN_TIMES,
    },
    # A page: the named query's totalCount and items; $cursors holds each item's cursor.
    "Connection": {
        "totalCount": Expr("{totalCount}"),
        "nodes": Each("{items}", {"n": "{x}"}),
        "edges": Each("range(0, size({items}) - 1)",
                      {"node": "{items}[{x}]", "cursor": "{cursors}[{x}]"}),
        "pageInfo": Bound({"hasNext": "{offset} + size({items}) < {totalCount}",
                           "end": "CASE WHEN size({items}) > 0 "
                                  "THEN {cursors}[size({items}) - 1] END"}),
    },
    "Edge": {"cursor": Expr("{cursor}"), "node": Bound({"n": "{node}"})},
    "PageInfo": {"hasNextPage": Expr("{hasNext}"), "endCursor": Expr("{end}")},
}

def recipes_of(type_name: str) -> dict[str, Recipe]:
    """The recipes of a GraphQL object type; every connection and edge type shares one."""
    if type_name.endswith("Connection"):
        return FIELDS["Connection"]
    if type_name.endswith("Edge") and type_name != "GraphEdge":
        return FIELDS["Edge"]
    return FIELDS[type_name]
