"""Search ranks as a person expects: the exact name first, then names starting with the text,
then every word in the node's own names, then words found with the help of its context."""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import Driver

from partnership_kb.api.schema import search_params
from partnership_kb.queries import load_all

from .graphql_client import data, execute
from .helpers import rows

HIT = "{ node { __typename id name } score matched alias context }"
RANK = ["EXACT_NAME", "EXACT_ALIAS", "NAME_PREFIX", "ALIAS_PREFIX", "NAME_WORDS", "ALIAS_WORDS",
        "CONTEXT_WORDS"]


def search(driver: Driver, text: str, **args: Any) -> list[dict[str, Any]]:
    extra = "".join(f", {k}: {v}" for k, v in args.items())
    found: list[dict[str, Any]] = data(
        driver, f"query ($t: String!) {{ search(text: $t{extra}) {HIT} }}", t=text)["search"]
    return found


def test_every_name_in_the_seed_finds_itself_first(seeded: Driver) -> None:
    names = rows(seeded, "MATCH (n) WHERE n.name IS NOT NULL AND NOT n:Guidance "
                         "AND size(split(n.name, ' ')) <= 24 RETURN n.name AS name, n.id AS id")
    assert len(names) > 300
    query = load_all()["search"]
    with seeded.session() as session:  # the named query itself: hundreds of names, one session
        for row in names:
            hits = session.run(query.text, query.bind(
                {**search_params(row["name"]), "first": 5})).data()
            assert hits and hits[0]["matched"] == "EXACT_NAME", row
            same = [h for h in hits if h["node"]["name"].lower() == row["name"].lower()]
            assert row["id"] in {h["node"]["id"] for h in same}, (row, hits)


def test_hits_come_in_rank_order_and_each_contains_every_word(seeded: Driver) -> None:
    for text in ["partnership", "glouc", "strategic partnership", "children", "3.4", "board"]:
        hits = search(seeded, text, first=50)
        assert hits, text
        ranks = [RANK.index(h["matched"]) for h in hits]
        assert ranks == sorted(ranks), (text, hits)
        for hit in hits:
            words = " ".join([hit["node"]["name"], hit["alias"] or "", *hit["context"]]).lower()
            if hit["matched"] != "CONTEXT_WORDS":
                assert all(w in words for w in text.split()), (text, hit)


def test_an_alias_is_found_and_named(seeded: Driver) -> None:
    alias = rows(seeded, "MATCH (n:Partnership) WHERE size(n.aliases) > 0 "
                         "RETURN n.id AS id, n.aliases[0] AS alias ORDER BY n.id LIMIT 1")[0]
    hits = search(seeded, alias["alias"])
    assert hits[0]["node"]["id"] == alias["id"] or hits[0]["matched"] == "EXACT_NAME"
    mine = next(h for h in hits if h["node"]["id"] == alias["id"])
    assert mine["matched"] in ("EXACT_NAME", "EXACT_ALIAS") and (
        mine["matched"] == "EXACT_NAME" or mine["alias"] == alias["alias"])


def test_a_prefix_of_a_name_ranks_before_a_word_inside_another(seeded: Driver) -> None:
    hits = search(seeded, "Gloucester", first=50)
    kinds = [h["matched"] for h in hits]
    assert "NAME_PREFIX" in kinds and "NAME_WORDS" in kinds
    assert kinds.index("NAME_PREFIX") < kinds.index("NAME_WORDS")
    for hit in hits:
        starts = hit["node"]["name"].lower().startswith("gloucester")
        assert starts == (hit["matched"] in ("EXACT_NAME", "NAME_PREFIX")), hit


def test_words_across_an_outcome_and_its_strategy(seeded: Driver) -> None:
    outcome = rows(seeded, "MATCH (s:Strategy)-[:HAS_AIM]->()-[:HAS_OUTCOME]->(o:Outcome "
                           "{code: '3.4'}) RETURN o.id AS id, s.name AS strategy")[0]
    strategy_word = next(w for w in outcome["strategy"].split() if len(w) > 4)
    hits = search(seeded, f"3.4 {strategy_word}")
    found = next(h for h in hits if h["node"]["id"] == outcome["id"])
    assert found["matched"] == "CONTEXT_WORDS"
    assert outcome["strategy"] in found["context"]


def test_types_keep_only_those_labels(seeded: Driver) -> None:
    everything = search(seeded, "partnership", first=100)
    assert {h["node"]["__typename"] for h in everything} > {"Partnership"}
    only = search(seeded, "partnership", first=100, types="[POST, PERSON]")
    assert only and {h["node"]["__typename"] for h in only} <= {"Post", "Person"}
    assert [h for h in everything if h["node"]["__typename"] in ("Post", "Person")] == only


def test_a_post_says_where_it_is(seeded: Driver) -> None:
    post = rows(seeded, "MATCH (p:Post)-[:POST_IN]->(b) RETURN p.name AS name, b.name AS body "
                        "ORDER BY p.id LIMIT 1")[0]
    hit = search(seeded, post["name"], types="[POST]")[0]
    assert post["body"] in hit["context"]


@pytest.mark.parametrize("text", ["zzqx", "Gloucester zzqx"])
def test_no_hit_without_every_word(seeded: Driver, text: str) -> None:
    assert search(seeded, text) == []
    assert not execute(seeded, '{ search(text: "zzqx") { score } }').errors


@pytest.mark.parametrize("text, expected", [
    ("Gloucester outcome 3.4", "Outcome 3.4:"),
    ("health improvements Gloucester", "health improvement"),
    ("Gloucestershire Strategic Partnership", "Gloucestershire Strategic Partnership"),
])
def test_what_analysts_typed_finds_what_they_meant(seeded: Driver, text: str,
                                                   expected: str) -> None:
    best = search(seeded, text)[0]
    assert expected.lower() in best["node"]["name"].lower(), best
