"""The Reconciliation API (W3C Entity Reconciliation 0.2) at /reconcile, against the seed in real
Neo4j: every answer is validated against the specification's own JSON schemas (vendored in
tests/data/reconciliation-api-0.2), and misspelt real names reconcile as a person would expect."""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from jsonschema import Draft7Validator
from neo4j import Driver
from referencing import Registry
from referencing.jsonschema import DRAFT7
from starlette.testclient import TestClient

from partnership_kb import config, model
from partnership_kb.api import reconcile
from partnership_kb.api.app import create_app
from partnership_kb.loader.resolve import NEAR_MISS, Resolver, graph_index, similarity

from .graphql_client import http_client
from .helpers import rows

SCHEMAS = Path(__file__).parent / "data" / "reconciliation-api-0.2"


@cache
def validator(name: str) -> Draft7Validator:
    """A validator for one of the specification's schemas, its $refs (type.json) resolved
    among the vendored files (draft 7, as the specification's own tests use)."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((contents["$id"], DRAFT7.create_resource(contents)))
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return Draft7Validator(schema, registry=Registry().with_resources(resources))


def valid(name: str, document: Any) -> Any:
    validator(name).validate(document)
    return document


def reconcile_batch(client: Any, batch: dict[str, Any]) -> dict[str, Any]:
    """POST a batch as the specification says (form field `queries`), both checked."""
    valid("reconciliation-query-batch", batch)
    response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == "*"
    return valid("reconciliation-result-batch", response.json())


# Misspelt (or abbreviated, or lower-cased) real names from the seed, and the node a person
# reading them would pick.
MISSPELT = {
    "Glocestershire Strategic Partnership": "gloucestershire-strategic-partnership",
    "Cheltenham Strategic Partnerhsip": "cheltenham-strategic-partnership",
    "Gloucestershire Conferance": "gloucestershire-conference",
    "Stroud Local Strategic Partnrship": "stroud-local-strategic-partnership",
    "Horsham District Comunity Partnership": "horsham-district-community-partnership",
    "Voluntary Sector Assembly Bord": "voluntary-sector-assembly-board",
    "Glouceter Partnership": "gloucester-partnership",
    "cotswold lsp": "cotswold-local-strategic-partnership",
    "Kevin Ambros": "kevin-ambrose",
    "Tracy Evans": "tracey-evans",
    "Amanda Wadsly": "amanda-wadsley",
    "Gloucestershire County Counsil": "gloucestershire-county-council",
}


def test_manifest_is_valid_and_points_at_the_services(seeded: Driver) -> None:
    with http_client(seeded) as client:
        response = client.get("/reconcile")
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
        manifest = valid("manifest", response.json())
        assert manifest["versions"] == ["0.2"]
        assert [t["id"] for t in manifest["defaultTypes"]] == [
            "Person", "Organisation", "Partnership", "Post"]
        base = "http://testserver"
        assert manifest["preview"]["url"] == f"{base}/reconcile/preview?id={{{{id}}}}"
        assert manifest["view"]["url"] == f"{base}/?focus={{{{id}}}}"
        for kind in ("entity", "type", "property"):
            service = manifest["suggest"][kind]
            answer = client.get(service["service_path"], params={"prefix": "g"})
            assert answer.status_code == 200, (kind, answer.text)
        proposal = manifest["extend"]["propose_properties"]
        assert client.get(proposal["service_path"], params={"type": "Person"}).status_code \
            == 200
        # A browser's preflight is answered for every endpoint (CORS is required).
        preflight = client.options("/reconcile", headers={
            "Origin": "https://openrefine.example", "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert "POST" in preflight.headers["access-control-allow-methods"]


def test_schemas_refuse_what_the_specification_forbids() -> None:
    """The validation is real: a candidate without a score, a manifest of version 0.1 only."""
    with pytest.raises(jsonschema.ValidationError, match="score"):
        valid("reconciliation-result-batch", {"q0": {"result": [{"id": "a", "name": "A"}]}})
    with pytest.raises(jsonschema.ValidationError):
        valid("manifest", {"versions": ["0.1"], "name": "x", "identifierSpace": "x",
                           "schemaSpace": "x"})


def test_misspelt_names_reconcile_as_a_person_would_expect(seeded: Driver) -> None:
    batch = {f"q{i}": {"query": name} for i, name in enumerate(MISSPELT)}
    with http_client(seeded) as client:
        results = reconcile_batch(client, batch)
    for i, (name, expected) in enumerate(MISSPELT.items()):
        candidates = results[f"q{i}"]["result"]
        top = candidates[0]
        assert (top["id"], top["match"]) == (expected, True), (name, candidates[:3])
        assert top["score"] >= reconcile.MATCH_SCORE
        assert [c["score"] for c in candidates] == sorted((c["score"] for c in candidates),
                                                          reverse=True)
        assert not any(c["match"] for c in candidates[1:])
        assert top["type"][0]["id"] in reconcile.TYPES
        assert top["features"][0]["id"] == "name"


def test_the_score_is_the_loaders_similarity_and_agrees_with_its_did_you_mean(
        seeded: Driver, database: str | None) -> None:
    """The loader, given the same misspelt name, suggests the same node ("Did you mean")."""
    resolver = Resolver(graph_index(seeded, model.default(), database), [])
    with http_client(seeded) as client:
        results = reconcile_batch(client, {f"q{i}": {"query": name}
                                           for i, name in enumerate(MISSPELT)})
    for i, (name, expected) in enumerate(MISSPELT.items()):
        top = results[f"q{i}"]["result"][0]
        near = resolver.near_miss(name, tuple(reconcile.TYPES))
        if near is not None:  # an abbreviation ("cotswold lsp") is an alias, not a near miss
            assert near.id == expected, name
        names = rows(seeded, "MATCH (n {id: $id}) WHERE n:Person OR n:Organisation OR "
                             "n:Partnership OR n:Post RETURN [n.name] + coalesce(n.aliases, []) "
                             "AS names", id=expected)[0]["names"]
        assert top["score"] == round(max(similarity(name, n) for n in names), 1), name
    assert similarity("Cheltenham Strategic Partnerhsip", "Cheltenham Strategic Partnership") \
        >= NEAR_MISS
    assert similarity("the  Cheltenham-strategic partnership!", "Cheltenham Strategic "
                      "Partnership") < 100  # "the" is a word, not punctuation
    assert similarity("CHELTENHAM strategic-partnership", "Cheltenham Strategic Partnership") \
        == 100


@pytest.mark.parametrize(("names", "match"), [
    (["Health Board", "Health Board"], False),  # 100 and 100: a tie
    (["Health Boar"], True),  # 95.7 alone: at least MATCH_SCORE
    (["Health Boards", "Health Boar"], False),  # 96.0 and 95.7: not clearly ahead
    (["Health Boards", "Health B"], True),  # 96.0 and 80.0: clearly ahead
    (["Health Boarding"], False),  # 88.9: below MATCH_SCORE, with no runner-up at all
])
def test_a_match_needs_the_threshold_and_a_clear_margin(names: list[str], match: bool) -> None:
    query = reconcile.Query("q", "Health Board", ["Partnership"], 5)
    nodes = [{"id": f"n{i}", "type": "Partnership", "name": name, "aliases": []}
             for i, name in enumerate(names)]
    ranked = reconcile.rank(query, nodes, {})
    assert [c.match for c in ranked] == [match] + [False] * (len(ranked) - 1), [
        (c.node["name"], c.score) for c in ranked]


def test_an_ambiguous_short_name_is_never_a_match(seeded: Driver) -> None:
    with http_client(seeded) as client:
        results = reconcile_batch(client, {
            "executive": {"query": "Executive"},  # an alias of three executives
            "evans": {"query": "Evans", "type": "Person"},  # Tracey or Claire
            "council": {"query": "Glos County Council"},  # Gloucestershire or West Sussex?
        })
    executives = results["executive"]["result"]
    assert [c["score"] for c in executives[:3]] == [100.0, 100.0, 100.0]
    assert {c["id"] for c in executives[:3]} >= {
        "gloucester-partnership-executive-level",
        "horsham-district-community-partnership-executive"}
    for key in ("executive", "evans", "council"):
        assert not any(c["match"] for c in results[key]["result"]), results[key]
    assert {(c["id"], c["description"]) for c in results["evans"]["result"]} == {
        ("tracey-evans", "Person · Representative, Newhaven Community Development Association"),
        ("claire-evans", "Person · Representative, Oxfordshire Partnership")}


def test_types_restrict_the_candidates(seeded: Driver) -> None:
    with http_client(seeded) as client:
        results = reconcile_batch(client, {
            "org": {"query": "Gloucestershire County Council", "type": "Organisation",
                    "limit": 10},
            "post": {"query": "Chief Executive, Cheltenham Borough Council", "type": ["Post"]},
            "people": {"query": "Ambrose", "type": "Person"},
        })
    assert {c["type"][0]["id"] for c in results["org"]["result"]} == {"Organisation"}
    assert len(results["org"]["result"]) <= 10
    post = results["post"]["result"][0]
    assert (post["id"], post["match"]) == ("chief-executive-cheltenham-borough-council", True)
    assert "in Cheltenham Borough Council" in post["description"]
    assert [c["id"] for c in results["people"]["result"]] == ["kevin-ambrose"]


def test_properties_rank_the_candidates(seeded: Driver) -> None:
    """Evans who holds a post in the Newhaven Community Development Association is Tracey; the
    property, by name or by a reconciled id, lifts her above Claire."""
    newhaven = "representative-newhaven-community-development-association"
    with http_client(seeded) as client:
        results = reconcile_batch(client, {
            "by-name": {"query": "Evans", "type": "Person", "properties": [
                {"pid": "posts", "v": "Representative, Newhaven Community Development "
                                      "Association"}]},
            "by-id": {"query": "Tracy Evans", "type": "Person", "properties": [
                {"pid": "posts", "v": {"id": newhaven}}]},
            "misfit": {"query": "Tracy Evans", "type": "Person", "properties": [
                {"pid": "posts", "v": {"id": "no-such-post"}}]},
            "executive": {"query": "Community Strategy Executive Bord", "properties": [
                {"pid": "accountable_to", "v": ["Gloucestershire Strategic Partnership",
                                                {"id": "accountable-bodies-group"}]}]},
        })
    by_name = results["by-name"]["result"]
    assert by_name[0]["id"] == "tracey-evans"
    assert by_name[0]["score"] > by_name[1]["score"]
    assert {f["id"] for f in by_name[0]["features"]} == {"name", "property:posts"}
    by_id = results["by-id"]["result"][0]
    assert (by_id["id"], by_id["score"], by_id["match"]) == ("tracey-evans", 97.8, True)
    misfit = results["misfit"]["result"][0]  # the name fits, the post does not: no match
    assert (misfit["id"], misfit["match"]) == ("tracey-evans", False)
    assert misfit["score"] < reconcile.MATCH_SCORE
    board = results["executive"]["result"][0]
    assert (board["id"], board["match"]) == ("community-strategy-executive-board", True)
    assert {"id": "property:accountable_to", "value": 100.0} in board["features"]


def test_a_query_of_properties_alone_finds_what_they_point_back_to(seeded: Driver) -> None:
    with http_client(seeded) as client:
        results = reconcile_batch(client, {
            "holder": {"type": "Person", "properties": [
                {"pid": "posts", "v": {"id": "consultant-ambrose-associates"}}]},
            "reporting": {"type": "Partnership", "limit": 50, "properties": [
                {"pid": "accountable_to", "v": "Glocestershire Strategic Partnership"}]},
            "conferences": {"type": "Partnership", "limit": 50, "properties": [
                {"pid": "kind", "v": "conference"}]},
            "nothing": {"properties": [{"pid": "member_of", "v": "No Such Board Anywhere"}]},
        })
    holder = results["holder"]["result"]
    assert [(c["id"], c["score"], c["match"]) for c in holder] == [("kevin-ambrose", 100.0, True)]
    reporting = results["reporting"]["result"]
    assert {c["id"] for c in reporting} == {r["id"] for r in rows(
        seeded, "MATCH (p:Partnership)-[:ACCOUNTABLE_TO]->(:Partnership {id: $id}) "
                "RETURN p.id AS id", id="gloucestershire-strategic-partnership")}
    assert len(reporting) > 1 and {c["score"] for c in reporting} == {98.6}  # misspelt
    assert not any(c["match"] for c in reporting)  # several fit equally: none is certain
    conferences = results["conferences"]["result"]
    assert "gloucestershire-conference" in {c["id"] for c in conferences}
    assert {c["description"].split(" · ")[0] for c in conferences} == {"Partnership, conference"}
    assert results["nothing"]["result"] == []


def test_an_id_as_query_finds_its_node(seeded: Driver) -> None:
    with http_client(seeded) as client:
        results = reconcile_batch(client, {"q": {"query": "kevin-ambrose"},
                                           "typed": {"query": "kevin-ambrose",
                                                     "type": "Organisation"}})
    top = results["q"]["result"][0]
    assert (top["id"], top["score"], top["match"]) == ("kevin-ambrose", 100.0, True)
    assert "kevin-ambrose" not in {c["id"] for c in results["typed"]["result"]}


def test_get_and_json_bodies_answer_as_the_form_does(seeded: Driver) -> None:
    batch = {"a": {"query": "Glocestershire Strategic Partnership", "limit": 2}}
    with http_client(seeded) as client:
        form = reconcile_batch(client, batch)
        by_get = client.get("/reconcile", params={"queries": json.dumps(batch)})
        by_json = client.post("/reconcile", json={"queries": batch})
    assert by_get.status_code == by_json.status_code == 200
    assert by_get.json() == by_json.json() == form
    assert len(form["a"]["result"]) == 2


@pytest.mark.parametrize(("request_args", "status", "says"), [
    ({"data": {"queries": "{not json"}}, 400, "queries: not valid JSON"),
    ({"data": {"queries": "[1, 2]"}}, 400, "not an object of queries"),
    ({"data": {"queries": json.dumps({"q": {"query": "x", "type": "Dog"}})}}, 400,
     "'Dog' is not a type of this service"),
    ({"data": {"queries": json.dumps({"q": {"qeury": "x"}})}}, 400, "unknown field 'qeury'"),
    ({"data": {"queries": json.dumps({"q": {"query": "x", "limit": 0}})}}, 400,
     "limit: 0 is not a whole number from 1 to 50"),
    ({"data": {"queries": json.dumps({"q": {"query": " "}})}}, 400,
     "has neither a query nor properties"),
    ({"data": {"queries": json.dumps({"q": {"query": "x", "properties": [
        {"pid": "salary", "v": 1}]}})}}, 400, "'salary' is not a property a query can use"),
    ({"data": {"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(51)})}}, 413,
     "51 queries in one batch; at most 50"),
    ({"content": b"<xml/>", "headers": {"content-type": "application/xml"}}, 415,
     "application/xml is not read here"),
    ({"data": {"queries": json.dumps({"q": {"query": "x", "properties": [
        {"pid": "area", "v": []}]}})}}, 400, "properties[0].v: an empty list"),
    ({"data": {"queries": "{}", "padding": "x" * 2_100_000}}, 413,
     "longer than 2,000,000 bytes"),
    ({"content": b"[1]", "headers": {"content-type": "application/json"}}, 400,
     "the JSON body is not an object"),
    ({"data": {"extend": json.dumps({"ids": ["a"], "properties": [{"id": "salary"}]})}},
     400, "'salary' is not a property of this service"),
    ({"data": {"extend": json.dumps({"ids": "a"})}}, 400,
     "not an object with ids and properties"),
])
def test_mistakes_are_refused_saying_what_to_change(seeded: Driver, request_args: dict[str, Any],
                                                    status: int, says: str) -> None:
    with http_client(seeded) as client:
        response = client.post("/reconcile", **request_args)
    assert response.status_code == status, response.text
    assert says in response.json()["error"]
    assert response.json()["hint"]
    assert response.headers["access-control-allow-origin"] == "*"


def test_jsonp_for_older_web_clients(seeded: Driver) -> None:
    with http_client(seeded) as client:
        script = client.get("/reconcile/suggest/type", params={"prefix": "pers",
                                                                "callback": "jQuery12_34"})
        refused = client.get("/reconcile", params={"callback": "alert(1)//"})
    assert script.headers["content-type"].startswith("application/javascript")
    assert script.text.startswith("/**/jQuery12_34(") and script.text.endswith(");")
    body = json.loads(script.text[len("/**/jQuery12_34("):-2])
    assert [t["id"] for t in valid("suggest-types-response", body)["result"]] == ["Person"]
    assert refused.status_code == 400 and "not a JavaScript name" in refused.json()["error"]


def test_an_outage_is_503_saying_so_without_internals(caplog: pytest.LogCaptureFixture) -> None:
    dead = config.Connection("bolt://127.0.0.1:1", "neo4j", "x")
    with TestClient(create_app(dead)) as client, \
            caplog.at_level(logging.ERROR, logger="partnership_kb.api"):
        response = client.post("/reconcile", data={"queries": json.dumps(
            {"q": {"query": "Gloucestershire Conference"}})})
        manifest = client.get("/reconcile")
    assert response.status_code == 503
    assert response.headers["access-control-allow-origin"] == "*"
    body = response.json()
    assert "database is not answering" in body["error"] and body["hint"]
    assert "bolt://" not in response.text and "127.0.0.1" not in response.text
    error_id = body["error"].split("(error ")[1].rstrip(").")
    assert any(error_id in record.getMessage() for record in caplog.records)
    assert manifest.status_code == 200  # the manifest needs no database


def test_a_cell_too_long_to_be_a_name_has_no_candidates(seeded: Driver) -> None:
    with http_client(seeded) as client:
        results = reconcile_batch(client, {"long": {"query": "Gloucestershire " * 100},
                                           "marks": {"query": "-- ? --"}})
    assert results == {"long": {"result": []}, "marks": {"result": []}}


def test_suggest_entities_by_prefix_with_types_and_cursor(seeded: Driver) -> None:
    with http_client(seeded) as client:
        def suggest(**params: Any) -> list[dict[str, Any]]:
            response = client.get("/reconcile/suggest/entity", params=params)
            assert response.status_code == 200, response.text
            assert response.headers["access-control-allow-origin"] == "*"
            return valid("suggest-entities-response", response.json())["result"]

        found = suggest(prefix="glouc conf")
        assert found[0]["id"] == "gloucestershire-conference"
        assert found[0]["notable"] == [{"id": "Partnership", "name": "Partnership"}]
        people = suggest(prefix="kev", type="Person")
        assert [p["id"] for p in people] == ["kevin-ambrose"]
        first, second = suggest(prefix="gloucestershire"), suggest(prefix="gloucestershire",
                                                                   cursor=10)
        assert len(first) == reconcile.SUGGEST_PAGE and second
        assert not {p["id"] for p in first} & {p["id"] for p in second}
        assert suggest(prefix="") == suggest(prefix="***") == []
        refused = client.get("/reconcile/suggest/entity", params={"prefix": "g", "cursor": "-1"})
        assert refused.status_code == 400 and "cursor" in refused.json()["error"]


def test_suggest_types_and_properties(seeded: Driver) -> None:
    with http_client(seeded) as client:
        types = client.get("/reconcile/suggest/type", params={"prefix": "part"}).json()
        properties = client.get("/reconcile/suggest/property", params={"prefix": "acc"}).json()
        every = client.get("/reconcile/suggest/property", params={"prefix": ""}).json()
    assert [t["id"] for t in valid("suggest-types-response", types)["result"]] == ["Partnership"]
    assert [p["id"] for p in valid("suggest-properties-response", properties)["result"]] == [
        "accountable_to"]
    assert {p["id"] for p in every["result"]} >= {"member_of", "post_in", "area", "posts",
                                                  "accountable_to"}


def test_preview_card_shows_name_type_facts_and_sources(seeded: Driver) -> None:
    with http_client(seeded) as client:
        card = client.get("/reconcile/preview", params={"id": "community-strategy-executive-board"})
        person = client.get("/reconcile/preview", params={"id": "kevin-ambrose"})
        missing = client.get("/reconcile/preview", params={"id": "<script>x</script>"})
    assert card.status_code == 200 and card.headers["content-type"].startswith("text/html")
    text = card.text
    assert "<h1>Community Strategy Executive Board</h1>" in text
    assert '<p class="type">Partnership, executive</p>' in text
    assert "<dt>Also known as</dt><dd>CSEB</dd>" in text
    assert "<dt>Part of</dt><dd>Gloucestershire Conference</dd>" in text
    assert ("<dt>Accountable to</dt><dd>Accountable Bodies Group; Gloucestershire Strategic "
            "Partnership</dd>") in text
    assert "<dt>Area</dt><dd>Gloucestershire</dd>" in text
    assert ("<li>Prospectus for Partnership Working in Gloucestershire (updated) "
            "(glos-prospectus-2008) § 3(c)</li>") in text
    about = text.split('<p class="about">')[1].split("</p>")[0]
    assert about.startswith("Chief executives/lead officers") and about.endswith(" …")
    assert len(about) <= reconcile.ABOUT_CHARS + 2
    assert "<dt>Posts</dt><dd>Consultant, Ambrose Associates</dd>" in person.text
    assert "(horsham-talking-2009) § introduction</li>" in person.text
    assert missing.status_code == 404
    assert "<script>" not in missing.text and "&lt;script&gt;" in missing.text


def test_propose_properties_by_type(seeded: Driver) -> None:
    with http_client(seeded) as client:
        partnership = client.get("/reconcile/properties", params={"type": "Partnership"}).json()
        person = client.get("/reconcile/properties", params={"type": "Person", "limit": "2"})
        unknown = client.get("/reconcile/properties", params={"type": "Dog"})
    ids = [p["id"] for p in valid("data-extension-property-proposal", partnership)["properties"]]
    assert {"member_of", "accountable_to", "posts", "area", "sources"} <= set(ids)
    assert partnership["type"] == "Partnership"
    assert valid("data-extension-property-proposal", person.json())["limit"] == 2
    assert [p["id"] for p in person.json()["properties"]] == ["member_of", "post_in"]
    assert unknown.status_code == 400 and "Person, Organisation" in unknown.json()["hint"]


def test_extend_fetches_boards_posts_and_accountability(seeded: Driver) -> None:
    query = {"ids": ["kevin-ambrose", "community-strategy-executive-board", "no-such-id"],
             "properties": [{"id": "member_of"}, {"id": "posts"}, {"id": "accountable_to"},
                            {"id": "sources"}]}
    valid("data-extension-query", query)
    with http_client(seeded) as client:
        response = client.post("/reconcile", data={"extend": json.dumps(query)})
        by_get = client.get("/reconcile", params={"extend": json.dumps(query)})
    assert response.status_code == 200, response.text
    answer = valid("data-extension-response", response.json())
    assert by_get.json() == answer
    assert [m["id"] for m in answer["meta"]] == ["member_of", "posts", "accountable_to",
                                                 "sources"]
    assert answer["meta"][0]["type"] == {"id": "Partnership", "name": "Partnership"}
    assert answer["meta"][1]["type"] == {"id": "Post", "name": "Post"}
    assert "type" not in answer["meta"][2]  # organisations or partnerships: no one type
    kevin, board, missing = (answer["rows"][i] for i in query["ids"])
    assert kevin["posts"] == [{"id": "consultant-ambrose-associates",
                               "name": "Consultant, Ambrose Associates"}]
    assert kevin["accountable_to"] == []
    talking = ("When the talking has to stop: a review of structures and decision-making "
               "arrangements for a Local Strategic Partnership (horsham-talking-2009)")
    assert sorted(s["str"] for s in kevin["sources"]) == [f"{talking} § author",
                                                          f"{talking} § introduction"]
    assert {v["id"] for v in board["accountable_to"]} == {
        "gloucestershire-strategic-partnership", "accountable-bodies-group"}
    assert missing == {"member_of": [], "posts": [], "accountable_to": [], "sources": []}


def operators(plan: Any) -> set[str]:
    found = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        found |= operators(child)
    return found


@pytest.mark.parametrize(("cypher", "params"), [
    (reconcile.CANDIDATES, {"queries": [{"key": "q", "id": "x", "lucene": "x~", "types":
                                         ["Person"]}], "window": 10, "types": ["Person"]}),
    (reconcile.FACTS, {"ids": ["x"], "types": ["Person"]}),
    (reconcile.BY_PROPERTIES, {"targets": [{"key": "q", "pid": "kind", "id": "board",
                                            "types": ["Partnership"]}], "most": 200}),
    (reconcile.SUGGEST, {"lucene": "x*", "types": ["Person"], "cursor": 0, "first": 10,
                         "window": 110}),
])
def test_lookups_use_indexes_never_a_scan(seeded: Driver, database: str | None, cypher: str,
                                          params: dict[str, Any]) -> None:
    with seeded.session(database=database) as session:
        plan = session.run("EXPLAIN " + cypher, params).consume().plan
    found = operators(plan)
    assert not found & {"AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan",
                        "IntersectionNodeByLabelsScan", "NodeIndexScan"}, found
    assert found & {"ProcedureCall", "NodeUniqueIndexSeek"}, found


def test_a_person_sits_on_the_boards_of_the_posts_they_hold(graph: Driver,
                                                            database: str | None) -> None:
    """(Last: it writes its own small graph, so the seed is loaded again after it.)"""
    graph.execute_query(
        "CREATE (jo:Person {id: 'jo', name: 'Jo Bloggs', sources: ['d#1']}), "
        "(ceo:Post {id: 'ceo', name: 'Chief Executive, Council', sources: ['d#2']}), "
        "(council:Organisation {id: 'council', name: 'Council', sources: ['d#2']}), "
        "(board:Partnership {id: 'board', name: 'Health Board', sources: ['d#3']}), "
        "(forum:Partnership {id: 'forum', name: 'Forum', sources: ['d#4']}), "
        "(town:Area {id: 'town', name: 'Town', sources: ['d#5']}), "
        "(jo)-[:HOLDS]->(ceo)-[:POST_IN]->(council)-[:COVERS]->(town), "
        "(ceo)-[:MEMBER_OF]->(board), (jo)-[:MEMBER_OF]->(forum), "
        "(:Source {id: 'd', title: 'The Document'})", database_=database)
    graph.execute_query("CALL db.awaitIndexes(60)", database_=database)
    query = {"ids": ["jo"], "properties": [{"id": p} for p in (
        "member_of", "posts", "post_in", "area", "sources")]}
    with http_client(graph) as client:
        answer = valid("data-extension-response", client.post(
            "/reconcile", data={"extend": json.dumps(query)}).json())
        ranked = reconcile_batch(client, {"q": {"query": "Jo Blogs", "properties": [
            {"pid": "member_of", "v": "Health Bord"}, {"pid": "area", "v": {"id": "town"}}]}})
    jo = answer["rows"]["jo"]
    assert sorted(v["id"] for v in jo["member_of"]) == ["board", "forum"]
    assert jo["posts"] == [{"id": "ceo", "name": "Chief Executive, Council"}]
    assert jo["post_in"] == [{"id": "council", "name": "Council"}]
    assert jo["area"] == [{"id": "town", "name": "Town"}]
    assert jo["sources"] == [{"str": "The Document (d) § 1"}]
    top = ranked["q"]["result"][0]
    assert (top["id"], top["match"]) == ("jo", True)
    assert [f["id"] for f in top["features"]] == ["name", "property:member_of", "property:area"]
