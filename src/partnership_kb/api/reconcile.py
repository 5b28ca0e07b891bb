"""The Reconciliation API at /reconcile: W3C Entity Reconciliation 0.2, as OpenRefine speaks it.

A spreadsheet column of names (people, organisations, partnerships, posts) is matched to the
knowledge base's nodes. Candidates come from the full-text index `nodeNames` (each word as
typed or within two edits) and from the id constraints, never a scan; they are scored by the
loader's own matcher (``loader.resolve.similarity``: the same squashed name is 100, otherwise
rapidfuzz's ratio of the folded names), so a name the loader would take as the same node
reconciles to it. A candidate is a ``match`` only when it scores at least MATCH_SCORE (the
loader's near-miss threshold) and at least MATCH_MARGIN more than the runner-up.

Endpoints (every one answers CORS, as the specification requires, and JSONP with ``callback``):
- GET /reconcile: the service manifest; with ``queries`` (GET, or POST as a form field or a
  JSON body): a batch of reconciliation queries; with ``extend``: data extension.
- GET /reconcile/suggest/{entity,type,property}?prefix=&cursor=: suggest services.
- GET /reconcile/preview?id=: an HTML card (name, type, key facts, sources).
- GET /reconcile/properties?type=&limit=: the properties data extension can fetch.
"""

from __future__ import annotations

import html
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..errors import PkbError
from ..loader.resolve import NEAR_MISS, similarity
from .database import Database, Unavailable
from .http import bounded_body

MATCH_SCORE = float(NEAR_MISS)  # at least this score (0-100) to be a match...
MATCH_MARGIN = 5.0  # ...and at least this much ahead of the runner-up
DEFAULT_LIMIT = 5  # candidates per query when the query gives no limit
MAX_LIMIT = 50
BATCH_SIZE = 50  # queries per batch (announced in the manifest; more is HTTP 413)
MAX_EXTEND_IDS = 500
MAX_BODY_BYTES = 2_000_000
MAX_NAME_CHARS = 500  # no name is longer: a longer query has no candidates
MAX_WORDS = 12  # words of a query sent to the full-text index
WINDOW = 100  # full-text hits per query before the type filter
SUGGEST_PAGE = 10
MAX_CURSOR = 900
PREVIEW_WIDTH, PREVIEW_HEIGHT = 420, 320
ABOUT_CHARS = 280  # of a purpose or description, on a preview card
IDENTIFIER_SPACE = "urn:partnership-kb:id:"
SCHEMA_SPACE = "urn:partnership-kb:schema:"
WORD = re.compile(r"\w+")
log = logging.getLogger("partnership_kb.api.reconcile")


@dataclass(frozen=True)
class Kind:
    id: str
    name: str
    description: str


TYPES = {t.id: t for t in (
    Kind("Person", "Person", "A named individual."),
    Kind("Organisation", "Organisation", "An independent body: council, NHS trust, police, "
         "voluntary body, business."),
    Kind("Partnership", "Partnership", "A governance body: conference, strategic partnership, "
         "board, executive, thematic partnership, forum."),
    Kind("Post", "Post", "A position at an organisation or partnership, held or vacant."),
)}


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    description: str
    types: tuple[str, ...]  # the types that have it
    value_type: Kind | None  # the type of its entity values, when it is one of TYPES


PROPERTIES = {p.id: p for p in (
    Property("member_of", "member of (boards sat on)",
             "The partnerships it sits on; a person's include those of the posts they hold.",
             ("Person", "Organisation", "Partnership", "Post"), TYPES["Partnership"]),
    Property("post_in", "post in", "The body a post is in; for a person, those of their posts.",
             ("Person", "Post"), None),
    Property("area", "area", "The areas it covers; for a post, its body's; for a person, "
             "those of their posts' bodies and boards.",
             ("Person", "Organisation", "Partnership", "Post"), None),
    Property("posts", "posts", "A person's posts held; an organisation's or partnership's "
             "posts.", ("Person", "Organisation", "Partnership"), TYPES["Post"]),
    Property("accountable_to", "accountable to", "The bodies a partnership reports or is "
             "accountable to.", ("Partnership",), None),
    Property("kind", "kind", "Its kind: council, board, forum...", ("Organisation",
             "Partnership"), None),
    Property("sources", "sources", "Says who: document § section.",
             ("Person", "Organisation", "Partnership", "Post"), None),
)}
QUERY_PROPERTIES = ("member_of", "post_in", "area", "posts", "accountable_to", "kind")
VALUE_TYPES = {"member_of": ["Partnership"], "post_in": ["Organisation", "Partnership"],
               "area": ["Area"], "posts": ["Post"], "accountable_to": ["Organisation",
                                                                      "Partnership"]}
MOST_BY_PROPERTIES = 200  # candidates of a query by properties alone, before scoring

# One round trip for a whole batch: each query's full-text hits (and a node whose id it is),
# of the query's types. The index is searched once per query; ids are seeks on constraints.
CANDIDATES = """
UNWIND $queries AS q
CALL (q) {
  WITH q WHERE q.lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('nodeNames', q.lucene, {limit: $window}) YIELD node
  WITH q, node WHERE any(l IN labels(node) WHERE l IN q.types)
  RETURN node
  UNION
  MATCH (node:Person|Organisation|Partnership|Post|Area) WHERE node.id = q.id
  WITH q, node WHERE any(l IN labels(node) WHERE l IN q.types)
  RETURN node
}
RETURN q.key AS key, node.id AS id, [l IN labels(node) WHERE l IN $types][0] AS type,
       node.name AS name, coalesce(node.aliases, []) AS aliases, node.kind AS kind,
       node.status AS status, [(node)-[:POST_IN]->(b) | b.name][0] AS postIn,
       [(node)-[:HOLDS]->(p:Post) | p.name][0] AS holds
"""

# A query with properties but no name: the nodes the property values point back to (a value is
# found by id, a seek on the constraints, then its relationships are followed backwards).
BY_PROPERTIES = """
UNWIND $targets AS t
CALL (t) {
  MATCH (b:Organisation|Partnership|Post|Area) WHERE b.id = t.id
  CALL (t, b) {
    WITH t, b WHERE t.pid = 'member_of'
    MATCH (n)-[:MEMBER_OF]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'member_of'
    MATCH (n)-[:HOLDS]->(:Post)-[:MEMBER_OF]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'post_in'
    MATCH (n)-[:POST_IN]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'post_in'
    MATCH (n)-[:HOLDS]->(:Post)-[:POST_IN]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'posts'
    MATCH (n)-[:HOLDS]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'posts'
    MATCH (b)-[:POST_IN]->(n) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'accountable_to'
    MATCH (n)-[:ACCOUNTABLE_TO]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'area'
    MATCH (n)-[:COVERS]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'area'
    MATCH (n)-[:POST_IN]->()-[:COVERS]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'area'
    MATCH (n)-[:HOLDS]->(:Post)-[:POST_IN]->()-[:COVERS]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'area'
    MATCH (n)-[:MEMBER_OF]->(:Partnership)-[:COVERS]->(b) RETURN n
    UNION
    WITH t, b WHERE t.pid = 'area'
    MATCH (n)-[:HOLDS]->(:Post)-[:MEMBER_OF]->(:Partnership)-[:COVERS]->(b) RETURN n
  }
  RETURN n
  UNION
  MATCH (n:Partnership) WHERE t.pid = 'kind' AND n.kind = t.id RETURN n
  UNION
  MATCH (n:Organisation) WHERE t.pid = 'kind' AND n.kind = t.id RETURN n
}
WITH t, n WHERE any(l IN labels(n) WHERE l IN t.types)
WITH t.key AS key, collect(DISTINCT n.id)[..$most] AS ids
RETURN key, ids
"""

# What the properties say of some nodes, by id (a seek on each label's id constraint).
FACTS = """
UNWIND $ids AS wanted
MATCH (n:Person|Organisation|Partnership|Post) WHERE n.id = wanted
WITH n, [l IN labels(n) WHERE l IN $types][0] AS type
RETURN n.id AS id, type, n.name AS name, coalesce(n.aliases, []) AS aliases,
  n.kind AS kind, n.tier AS tier, n.status AS status,
  coalesce(n.purpose, n.description) AS about,
  [(n)-[:PART_OF]->(b) | b.name] AS partOf,
  [(n)-[:MEMBER_OF]->(b:Partnership) | b {.id, .name, .aliases}]
    + [(n)-[:HOLDS]->(:Post)-[:MEMBER_OF]->(b:Partnership) | b {.id, .name, .aliases}]
    AS member_of,
  [(n)-[:POST_IN]->(b) | b {.id, .name, .aliases}]
    + [(n)-[:HOLDS]->(:Post)-[:POST_IN]->(b) | b {.id, .name, .aliases}] AS post_in,
  [(n)-[:COVERS]->(a:Area) | a {.id, .name, .aliases}]
    + [(n)-[:POST_IN]->()-[:COVERS]->(a:Area) | a {.id, .name, .aliases}]
    + [(n)-[:HOLDS]->(:Post)-[:POST_IN]->()-[:COVERS]->(a:Area) | a {.id, .name, .aliases}]
    + [(n)-[:MEMBER_OF]->(:Partnership)-[:COVERS]->(a:Area) | a {.id, .name, .aliases}]
    + [(n)-[:HOLDS]->(:Post)-[:MEMBER_OF]->(:Partnership)-[:COVERS]->(a:Area)
       | a {.id, .name, .aliases}] AS area,
  [(n)-[:HOLDS]->(p:Post) | p {.id, .name, .aliases}]
    + [(p:Post)-[:POST_IN]->(n) | p {.id, .name, .aliases}] AS posts,
  [(n)-[:ACCOUNTABLE_TO]->(b) | b {.id, .name, .aliases}] AS accountable_to,
  [(h:Person)-[:HOLDS]->(n) | h.name] AS holders,
  coalesce(n.sources, []) AS sources,
  COLLECT {
    UNWIND coalesce(n.sources, []) AS cited
    MATCH (doc:Source) WHERE doc.id = split(cited, '#')[0]
    RETURN DISTINCT [doc.id, doc.title]
  } AS documents
"""

# Entity suggest: the words typed, each as typed or as a prefix, all required.
SUGGEST = """
CALL db.index.fulltext.queryNodes('nodeNames', $lucene, {limit: $window}) YIELD node, score
WITH node, score WHERE any(l IN labels(node) WHERE l IN $types)
RETURN node.id AS id, node.name AS name, [l IN labels(node) WHERE l IN $types][0] AS type,
       node.kind AS kind, node.status AS status, [(node)-[:POST_IN]->(b) | b.name][0] AS postIn,
       [(node)-[:HOLDS]->(p:Post) | p.name][0] AS holds
ORDER BY score DESC, node.name, node.id
SKIP $cursor LIMIT $first
"""


class Refused(PkbError):
    """A request the caller can fix; answered with HTTP 400 (or ``status``) and a hint."""

    def __init__(self, message: str, hint: str = "", status: int = 400) -> None:
        super().__init__(message, hint)
        self.status = status


# --- parsing requests -------------------------------------------------------------------------

async def parameters(request: Request) -> dict[str, str]:
    """The request's parameters: the query string, and a POST's form fields or JSON object
    (whose object values are taken as the JSON text a form field would hold)."""
    params = dict(request.query_params)
    if request.method != "POST":
        return params
    body = await read_body(request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            payload = json.loads(body or b"null")
        except (ValueError, UnicodeDecodeError) as err:
            raise Refused(f"the JSON body is not valid JSON: {err}.",
                          'Send {"queries": {...}} or {"extend": {...}}.') from err
        if not isinstance(payload, dict):
            raise Refused("the JSON body is not an object.",
                          'Send {"queries": {...}} or {"extend": {...}}.')
        for key, value in payload.items():
            params[str(key)] = value if isinstance(value, str) else json.dumps(value)
        return params
    if content_type in ("", "application/x-www-form-urlencoded"):
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError as err:
            raise Refused("the form body is not UTF-8.", "Encode the form as UTF-8.") from err
        params.update({key: values[-1] for key, values in form.items()})
        return params
    raise Refused(f"a body of type {content_type} is not read here.",
                  "POST application/x-www-form-urlencoded (queries=... or extend=...) "
                  "or application/json.", 415)


async def read_body(request: Request) -> bytes:
    """The body, refused (413) as soon as it is longer than MAX_BODY_BYTES, before it is
    all read."""
    body = await bounded_body(request, MAX_BODY_BYTES)
    if body is None:
        raise Refused(f"the request body is longer than {MAX_BODY_BYTES:,} bytes.",
                      f"Send at most {BATCH_SIZE} queries per request.", 413)
    return body


def decode(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as err:
        raise Refused(f"{name}: not valid JSON ({err}).",
                      f"Send {name} as a JSON object, URL-encoded.") from err


@dataclass
class Query:
    key: str
    text: str
    types: list[str]
    limit: int
    properties: list[tuple[str, list[Any]]] = field(default_factory=list)


def parse_batch(text: str) -> list[Query]:
    batch = decode("queries", text)
    if not isinstance(batch, dict):
        raise Refused("queries: not an object of queries keyed by an id.",
                      'Send queries as {"q0": {"query": "Gloucestershire Conference"}}.')
    if len(batch) > BATCH_SIZE:
        raise Refused(f"queries: {len(batch)} queries in one batch; at most {BATCH_SIZE}.",
                      f"Send batches of at most {BATCH_SIZE} (the manifest's batchSize).", 413)
    return [parse_query(str(key), value) for key, value in batch.items()]


ALLOWED_KEYS = {"query", "type", "limit", "properties", "type_strict"}


def parse_query(key: str, raw: Any) -> Query:
    where = f"queries[{key!r}]"
    if not isinstance(raw, dict):
        raise Refused(f"{where}: not an object.", 'Write it as {"query": "a name"}.')
    unknown = sorted(set(raw) - ALLOWED_KEYS)
    if unknown:
        raise Refused(f"{where}: unknown field {unknown[0]!r}.",
                      f"A query has only {', '.join(sorted(ALLOWED_KEYS))}.")
    text = raw.get("query", "")
    if not isinstance(text, str):
        raise Refused(f"{where}.query: not a string.", "Give the name to match as a string.")
    types = raw.get("type") or list(TYPES)
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise Refused(f"{where}.type: not a type id or a list of them.",
                      f"Use one of {', '.join(TYPES)}.")
    for kind in types:
        if kind not in TYPES:
            raise Refused(f"{where}.type: {kind!r} is not a type of this service.",
                          f"Use one of {', '.join(TYPES)}.")
    limit = raw.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit != int(limit) \
            or not 1 <= limit <= MAX_LIMIT:
        raise Refused(f"{where}.limit: {limit!r} is not a whole number from 1 to {MAX_LIMIT}.",
                      "Leave limit out for 5 candidates.")
    properties = parse_properties(where, raw.get("properties", []))
    if not text.strip() and not properties:
        raise Refused(f"{where}: has neither a query nor properties.",
                      'Give the name to match: {"query": "a name"}.')
    return Query(key, text.strip(), list(dict.fromkeys(types)), int(limit), properties)


def parse_properties(where: str, raw: Any) -> list[tuple[str, list[Any]]]:
    if not isinstance(raw, list):
        raise Refused(f"{where}.properties: not a list.",
                      'Write [{"pid": "member_of", "v": "a partnership"}].')
    found = []
    for i, item in enumerate(raw):
        here = f"{where}.properties[{i}]"
        if not isinstance(item, dict) or "pid" not in item or "v" not in item:
            raise Refused(f"{here}: not an object with pid and v.",
                          'Write {"pid": "member_of", "v": "a partnership"}.')
        pid = item["pid"]
        if pid not in QUERY_PROPERTIES:
            raise Refused(f"{here}.pid: {pid!r} is not a property a query can use.",
                          f"Use one of {', '.join(QUERY_PROPERTIES)}.")
        values = item["v"] if isinstance(item["v"], list) else [item["v"]]
        if not values:
            raise Refused(f"{here}.v: an empty list.",
                          "Give at least one value, or leave the property out.")
        for value in values:
            if isinstance(value, dict) and not isinstance(value.get("id"), str):
                raise Refused(f"{here}.v: an entity value without an id.",
                              'Write {"id": "an-id"} or the name as a string.')
            if not isinstance(value, str | int | float | bool | dict):
                raise Refused(f"{here}.v: {value!r} is not a string, number, boolean or "
                              "entity.", "Give the value as a string.")
        found.append((str(pid), values))
    return found


# --- matching ---------------------------------------------------------------------------------

def words(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


def fuzzy_lucene(text: str) -> str | None:
    """Any word of the query, as typed or within two edits (so a misspelling still finds
    the name), for the full-text index; None when nothing in it can be searched."""
    terms = [f"{w}~" if len(w) > 3 else w for w in words(text)]
    return " OR ".join(terms) or None


def prefix_lucene(text: str) -> str | None:
    """Every word typed, as typed or as a prefix (the last one is being typed)."""
    return " AND ".join(f"({w} OR {w}*)" for w in words(text)) or None


def name_score(text: str, node: dict[str, Any]) -> float:
    """The loader's similarity of the query to the node's name or closest alias; its id is
    as good as its name."""
    if text == node["id"]:
        return 100.0
    names = [node["name"] or "", *(node.get("aliases") or [])]
    return max(similarity(text, name) for name in names if name) if any(names) else 0.0


def value_score(value: Any, items: list[Any]) -> float:
    """How well one supplied property value matches the best of a node's values."""
    best = 0.0
    for item in items:
        if isinstance(item, str):
            candidates = [item]
            item_id = None
        else:
            candidates = [item.get("name") or "", *(item.get("aliases") or [])]
            item_id = item.get("id")
        if isinstance(value, dict):
            if value["id"] == item_id:
                return 100.0
            text = value.get("name")
            if not isinstance(text, str):
                continue
        else:
            text = str(value)
            if text == item_id:
                return 100.0
        best = max([best, *(similarity(text, c) for c in candidates if c)])
    return best


def property_values(facts: dict[str, Any], pid: str) -> list[Any]:
    if pid == "kind":
        return [facts["kind"]] if facts.get("kind") else []
    return list(facts.get(pid) or [])


@dataclass
class Candidate:
    node: dict[str, Any]
    score: float
    features: list[dict[str, Any]]
    match: bool = False

    def as_json(self) -> dict[str, Any]:
        kind = TYPES[self.node["type"]]
        return {"id": self.node["id"], "name": self.node["name"] or self.node["id"],
                "description": describe(self.node), "score": self.score,
                "features": self.features, "match": self.match,
                "type": [{"id": kind.id, "name": kind.name}]}


def rank(query: Query, nodes: Iterable[dict[str, Any]],
         facts: dict[str, dict[str, Any]]) -> list[Candidate]:
    """Scores (0-100): the mean of the name's similarity and each property's; sorted best
    first; the best is a match only when clearly ahead (see MATCH_SCORE, MATCH_MARGIN)."""
    candidates = []
    for node in nodes:
        parts: list[float] = []
        features: list[dict[str, Any]] = []
        if query.text:
            score = round(name_score(query.text, node), 1)
            parts.append(score)
            features.append({"id": "name", "value": score})
        for pid, values in query.properties:
            items = property_values(facts.get(node["id"], {}), pid)
            score = round(sum(value_score(v, items) for v in values) / len(values), 1)
            parts.append(score)
            features.append({"id": f"property:{pid}", "value": score})
        candidates.append(Candidate(node, round(sum(parts) / len(parts), 1), features))
    candidates.sort(key=lambda c: (-c.score, c.node["name"] or "", c.node["id"]))
    if candidates:
        best = candidates[0]
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        best.match = best.score >= MATCH_SCORE and best.score - runner_up >= MATCH_MARGIN
    return candidates[:query.limit]


def node_of(facts: dict[str, Any]) -> dict[str, Any]:
    """A candidate found through its facts, in the shape the candidates query gives."""
    post_in = facts["post_in"] if facts["type"] == "Post" else []
    posts = facts["posts"] if facts["type"] == "Person" else []
    return {key: facts[key] for key in ("id", "type", "name", "aliases", "kind", "status")} \
        | {"postIn": post_in[0]["name"] if post_in else None,
           "holds": posts[0]["name"] if posts else None}


def describe(node: dict[str, Any]) -> str:
    parts = [node["type"]]
    if node.get("kind"):
        parts[0] += f", {node['kind']}"
    if node.get("postIn"):
        parts.append(f"in {node['postIn']}")
    if node.get("holds"):
        parts.append(str(node["holds"]))
    if node.get("status") and node["status"] != "current":
        parts.append(str(node["status"]))
    return " · ".join(parts)


# --- the service ------------------------------------------------------------------------------

class Service:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def rows(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        return [record.data() for record in await self.database.read(cypher, params)]

    async def facts(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        found = await self.rows(FACTS, ids=list(dict.fromkeys(ids)), types=list(TYPES))
        for row in found:
            for pid in ("member_of", "post_in", "area", "posts", "accountable_to"):
                unique = {item["id"]: item for item in row[pid]}.values()
                row[pid] = sorted(unique, key=lambda item: (item["name"] or "", item["id"]))
            row["partOf"], row["holders"] = sorted(row["partOf"]), sorted(row["holders"])
            row["sources"] = sorted(row["sources"])
        return {row["id"]: row for row in found}

    async def reconcile(self, queries: list[Query]) -> dict[str, Any]:
        searchable = [{"key": q.key, "id": q.text,
                       "lucene": fuzzy_lucene(q.text) if len(q.text) <= MAX_NAME_CHARS
                       else None, "types": q.types} for q in queries]
        hits = await self.rows(CANDIDATES, queries=searchable, window=WINDOW,
                               types=list(TYPES)) if queries else []
        by_query: dict[str, dict[str, dict[str, Any]]] = {q.key: {} for q in queries}
        for hit in hits:
            by_query[hit["key"]][hit["id"]] = hit
        bare = await self.by_properties([q for q in queries if not q.text])
        wanted = [id_ for q in queries if q.properties for id_ in by_query[q.key]]
        facts = await self.facts(wanted + [id_ for ids in bare.values() for id_ in ids])
        for key, ids in bare.items():
            by_query[key] = {id_: node_of(facts[id_]) for id_ in ids if id_ in facts}
        return {q.key: {"result": [c.as_json() for c in rank(q, by_query[q.key].values(),
                                                                facts)]}
                for q in queries}

    async def by_properties(self, queries: list[Query]) -> dict[str, list[str]]:
        """The candidates of queries without a name: the nodes their property values point
        back to. A value given by name is the node(s) named so (as the loader matches)."""
        if not queries:
            return {}
        lookups, named = [], {}
        for q in queries:
            for i, (pid, values) in enumerate(q.properties):
                for j, value in enumerate(values):
                    if pid in VALUE_TYPES and not isinstance(value, dict):
                        key = f"{q.key}\n{i}\n{j}"
                        named[key] = str(value)
                        lookups.append({"key": key, "id": str(value), "types": VALUE_TYPES[pid],
                                        "lucene": fuzzy_lucene(str(value)[:MAX_NAME_CHARS])})
        found: dict[str, list[str]] = {}
        if lookups:
            for hit in await self.rows(CANDIDATES, queries=lookups, window=WINDOW,
                                       types=[*TYPES, "Area"]):
                if name_score(named[hit["key"]], hit) >= MATCH_SCORE:
                    found.setdefault(hit["key"], []).append(hit["id"])
        targets = []
        for q in queries:
            for i, (pid, values) in enumerate(q.properties):
                for j, value in enumerate(values):
                    if isinstance(value, dict):
                        ids = [value["id"]]
                    elif pid == "kind":
                        ids = [str(value).strip().lower()]
                    else:
                        ids = found.get(f"{q.key}\n{i}\n{j}", [])
                    targets += [{"key": q.key, "pid": pid, "id": id_, "types": q.types}
                                for id_ in ids]
        rows = await self.rows(BY_PROPERTIES, targets=targets, most=MOST_BY_PROPERTIES) \
            if targets else []
        return {q.key: next((r["ids"] for r in rows if r["key"] == q.key), [])
                for q in queries}

    async def extend(self, text: str) -> dict[str, Any]:
        query = decode("extend", text)
        if not isinstance(query, dict) or not isinstance(query.get("ids"), list) \
                or not isinstance(query.get("properties"), list):
            raise Refused("extend: not an object with ids and properties.",
                          'Send {"ids": ["an-id"], "properties": [{"id": "member_of"}]}.')
        ids = query["ids"]
        if not all(isinstance(i, str) for i in ids):
            raise Refused("extend.ids: not a list of ids (strings).",
                          "Give the ids reconciliation returned.")
        if len(ids) > MAX_EXTEND_IDS:
            raise Refused(f"extend.ids: {len(ids)} ids; at most {MAX_EXTEND_IDS}.",
                          "Extend fewer rows at a time.", 413)
        pids = []
        for i, prop in enumerate(query["properties"]):
            pid = prop.get("id") if isinstance(prop, dict) else None
            if pid not in PROPERTIES:
                raise Refused(f"extend.properties[{i}]: {pid!r} is not a property of this "
                              "service.", f"Use one of {', '.join(PROPERTIES)}.")
            pids.append(str(pid))
        facts = await self.facts(ids)
        meta = []
        for pid in pids:
            column: dict[str, Any] = {"id": pid, "name": PROPERTIES[pid].name}
            if PROPERTIES[pid].value_type:
                kind = PROPERTIES[pid].value_type
                assert kind is not None
                column["type"] = {"id": kind.id, "name": kind.name}
            meta.append(column)
        rows = {id_: {pid: extension_values(facts.get(id_), pid) for pid in pids}
                for id_ in ids}
        return {"meta": meta, "rows": rows}

    async def suggest_entities(self, prefix: str, cursor: int, types: list[str]) -> list[Any]:
        lucene = prefix_lucene(prefix[:MAX_NAME_CHARS])
        if lucene is None:
            return []
        found = await self.rows(SUGGEST, lucene=lucene, types=types, cursor=cursor,
                                first=SUGGEST_PAGE, window=cursor + SUGGEST_PAGE + WINDOW)
        return [{"id": row["id"], "name": row["name"] or row["id"],
                 "description": describe(row),
                 "notable": [{"id": row["type"], "name": TYPES[row["type"]].name}]}
                for row in found]


def extension_values(facts: dict[str, Any] | None, pid: str) -> list[dict[str, Any]]:
    if facts is None:
        return []
    if pid == "sources":
        return [{"str": cite(source, documents(facts))} for source in facts["sources"]]
    if pid == "kind":
        return [{"str": facts["kind"]}] if facts.get("kind") else []
    return [{"id": item["id"], "name": item["name"] or item["id"]} for item in facts[pid]]


def documents(facts: dict[str, Any]) -> dict[str, str]:
    return {doc: title for doc, title in facts["documents"]}


def cite(source: str, titles: dict[str, str]) -> str:
    """doc#section as "Title (doc) § section"."""
    doc, _, section = source.partition("#")
    name = f"{titles[doc]} ({doc})" if titles.get(doc) else doc
    return f"{name} § {section}" if section else name


# --- HTTP -------------------------------------------------------------------------------------

CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept"}


def endpoint(handler: Callable[[Request], Awaitable[Response]]
             ) -> Callable[[Request], Awaitable[Response]]:
    """CORS on every answer (the specification requires it), preflights answered, and
    refusals and outages as JSON saying what to do."""
    async def run(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=CORS)
        try:
            response = await handler(request)
        except Refused as err:
            response = JSONResponse({"error": err.message, "hint": err.hint},
                                    status_code=err.status)
        except Unavailable as err:
            error_id = secrets.token_hex(4)
            log.error("Reconcile error %s at %s: Neo4j unavailable: %s", error_id,
                      request.url.path, err)
            response = JSONResponse({"error": f"The knowledge base's database is not answering "
                                              f"(error {error_id}).",
                                     "hint": "Try again shortly."}, status_code=503)
        except Exception:  # noqa: BLE001 - a fault of ours: logged, never shown
            error_id = secrets.token_hex(4)
            log.exception("Reconcile error %s at %s", error_id, request.url.path)
            response = JSONResponse({"error": f"Internal error {error_id}; it has been logged.",
                                     "hint": "Tell the operator this error id."},
                                    status_code=500)
        callback = request.query_params.get("callback")
        if callback is not None and request.method == "GET" \
                and isinstance(response, JSONResponse):
            response = jsonp(callback, response)
        response.headers.update(CORS)
        return response
    return run


CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*")


def jsonp(callback: str, response: JSONResponse) -> Response:
    """The answer as a JSONP script, for older web clients (the specification allows it):
    only a plain JavaScript name may be the callback."""
    if len(callback) > 100 or not CALLBACK.fullmatch(callback):
        return JSONResponse({"error": f"callback: {callback[:40]!r} is not a JavaScript name.",
                             "hint": "Use a name such as jQuery123_456, or leave callback "
                                     "out for JSON."}, status_code=400)
    script = f"/**/{callback}({bytes(response.body).decode()});"
    return Response(script, status_code=response.status_code,
                    media_type="application/javascript")


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def manifest(request: Request) -> dict[str, Any]:
    base = base_url(request)

    def service(path: str) -> dict[str, str]:
        return {"service_url": base, "service_path": path}

    return {
        "versions": ["0.2"],
        "name": "Partnership KB",
        "identifierSpace": IDENTIFIER_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "serviceVersion": __version__,
        "defaultTypes": [{"id": t.id, "name": t.name} for t in TYPES.values()],
        "view": {"url": f"{base}/?focus={{{{id}}}}"},
        "preview": {"url": f"{base}/reconcile/preview?id={{{{id}}}}",
                    "width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
        "suggest": {"entity": service("/reconcile/suggest/entity"),
                    "type": service("/reconcile/suggest/type"),
                    "property": service("/reconcile/suggest/property")},
        "extend": {"propose_properties": service("/reconcile/properties"),
                   "property_settings": []},
        "batchSize": BATCH_SIZE,
    }


def cursor_of(request: Request) -> int:
    text = request.query_params.get("cursor", "0") or "0"
    if not text.isdigit() or int(text) > MAX_CURSOR:
        raise Refused(f"cursor: {text[:20]!r} is not a whole number from 0 to {MAX_CURSOR}.",
                      "Leave cursor out for the first suggestions.")
    return int(text)


def types_of(request: Request) -> list[str]:
    asked = [t for t in request.query_params.getlist("type") if t]
    for kind in asked:
        if kind not in TYPES:
            raise Refused(f"type: {kind[:40]!r} is not a type of this service.",
                          f"Use one of {', '.join(TYPES)}.")
    return asked or list(TYPES)


def matches_prefix(prefix: str, *texts: str) -> bool:
    folded = prefix.strip().casefold()
    return not folded or any(folded in text.casefold() for text in texts)


def routes(database: Database) -> list[Route]:
    """The /reconcile routes, for the app to mount before the explorer."""
    service = Service(database)

    async def root(request: Request) -> Response:
        params = await parameters(request)
        if "queries" in params:
            return JSONResponse(await service.reconcile(parse_batch(params["queries"])))
        if "extend" in params:
            return JSONResponse(await service.extend(params["extend"]))
        return JSONResponse(manifest(request))

    async def suggest_entity(request: Request) -> Response:
        prefix = request.query_params.get("prefix", "")
        return JSONResponse({"result": await service.suggest_entities(
            prefix, cursor_of(request), types_of(request))})

    async def suggest_type(request: Request) -> Response:
        prefix, cursor = request.query_params.get("prefix", ""), cursor_of(request)
        found = [{"id": t.id, "name": t.name, "description": t.description}
                 for t in TYPES.values() if matches_prefix(prefix, t.id, t.name)]
        return JSONResponse({"result": found[cursor:cursor + SUGGEST_PAGE]})

    async def suggest_property(request: Request) -> Response:
        prefix, cursor = request.query_params.get("prefix", ""), cursor_of(request)
        found = [{"id": p.id, "name": p.name, "description": p.description}
                 for p in PROPERTIES.values() if matches_prefix(prefix, p.id, p.name)]
        return JSONResponse({"result": found[cursor:cursor + SUGGEST_PAGE]})

    async def propose(request: Request) -> Response:
        kind = request.query_params.get("type", "")
        if kind and kind not in TYPES:
            raise Refused(f"type: {kind[:40]!r} is not a type of this service.",
                          f"Use one of {', '.join(TYPES)}.")
        limit_text = request.query_params.get("limit", "")
        if limit_text and not limit_text.isdigit():
            raise Refused(f"limit: {limit_text[:20]!r} is not a whole number.",
                          "Leave limit out for every property.")
        found = [{"id": p.id, "name": p.name, "description": p.description}
                 for p in PROPERTIES.values() if not kind or kind in p.types]
        answer: dict[str, Any] = {"properties": found}
        if kind:
            answer["type"] = kind
        if limit_text:
            answer["limit"] = int(limit_text)
            answer["properties"] = found[:int(limit_text)]
        return JSONResponse(answer)

    async def preview(request: Request) -> Response:
        id_ = request.query_params.get("id", "")
        if not id_:
            raise Refused("id: missing.", "Ask for /reconcile/preview?id=an-id.")
        facts = (await service.facts([id_])).get(id_)
        if facts is None:
            return HTMLResponse(card_missing(id_), status_code=404)
        return HTMLResponse(card(facts))

    return [
        Route("/reconcile", endpoint(root), methods=["GET", "POST", "OPTIONS"]),
        Route("/reconcile/suggest/entity", endpoint(suggest_entity), methods=["GET", "OPTIONS"]),
        Route("/reconcile/suggest/type", endpoint(suggest_type), methods=["GET", "OPTIONS"]),
        Route("/reconcile/suggest/property", endpoint(suggest_property),
              methods=["GET", "OPTIONS"]),
        Route("/reconcile/properties", endpoint(propose), methods=["GET", "OPTIONS"]),
        Route("/reconcile/preview", endpoint(preview), methods=["GET", "OPTIONS"]),
    ]


# --- the preview card -------------------------------------------------------------------------

STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:0;padding:10px;color:#222}
h1{font-size:16px;margin:0 0 2px}.type{color:#555;margin:0 0 6px}.id{color:#777;font:12px
monospace}dl{margin:6px 0;display:grid;grid-template-columns:max-content 1fr;gap:2px 8px}
dt{color:#555}dd{margin:0}h2{font-size:13px;margin:8px 0 2px}ul{margin:0;padding-left:18px}
.about{margin:4px 0;color:#333}"""


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{body}</body></html>")


def card(facts: dict[str, Any]) -> str:
    e = html.escape
    name = facts["name"] or facts["id"]
    heading = ", ".join(x for x in (facts["type"], facts.get("kind")) if x)
    rows: list[tuple[str, list[str]]] = [
        ("Also known as", list(facts["aliases"])),
        ("Tier", [facts["tier"]] if facts.get("tier") else []),
        ("Status", [facts["status"]] if facts.get("status") else []),
        ("Part of", list(facts["partOf"])),
        ("Post in", [i["name"] for i in facts["post_in"]] if facts["type"] == "Post" else []),
        ("Held by", list(facts["holders"])),
        ("Posts", [i["name"] for i in facts["posts"]]),
        ("Sits on", [i["name"] for i in facts["member_of"]]),
        ("Accountable to", [i["name"] for i in facts["accountable_to"]]),
        ("Area", [i["name"] for i in facts["area"]]),
    ]
    facts_html = "".join(f"<dt>{e(label)}</dt><dd>{e('; '.join(str(v) for v in values))}</dd>"
                         for label, values in rows if values)
    about = str(facts.get("about") or "")
    if len(about) > ABOUT_CHARS:
        about = about[:ABOUT_CHARS].rsplit(" ", 1)[0] + " …"
    about = f'<p class="about">{e(about)}</p>' if about else ""
    titles = documents(facts)
    sources = "".join(f"<li>{e(cite(s, titles))}</li>" for s in facts["sources"]) \
        or "<li>none recorded</li>"
    return page(name, f'<h1>{e(name)}</h1><p class="type">{e(heading)}</p>'
                      f'<p class="id">{e(facts["id"])}</p>{about}<dl>{facts_html}</dl>'
                      f"<h2>Sources</h2><ul>{sources}</ul>")


def card_missing(id_: str) -> str:
    return page("Not found", f"<p>No person, organisation, partnership or post has the id "
                             f"<code>{html.escape(id_)}</code>.</p><p>Reconcile the name again: "
                             f"the id may have changed.</p>")
