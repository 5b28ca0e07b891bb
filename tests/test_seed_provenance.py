"""Every fact in the seed is cited, and the seed holds what `pkb stats` should show: enough
bodies, organisations and posts, the Gloucester strategy's aims, outcomes and actions, and all
five source documents."""

from __future__ import annotations

from neo4j import Driver

from partnership_kb.model import RECORD_LABELS
from partnership_kb.queries import QueryRunner

from .helpers import rows, value

DOCUMENTS = {"glos-prospectus-2008", "cheltenham-structures-2011", "south-glos-review-2009",
             "gloucester-recommendations-2010", "horsham-talking-2009"}
GLOUCESTER_SCS = "gloucester-sustainable-community-strategy"


def stats(driver: Driver, database: str | None) -> dict:
    [row] = QueryRunner(driver, database).run("stats")
    return row


def test_every_node_has_at_least_one_source(seeded: Driver):
    uncited = rows(seeded,
                   "MATCH (n) WHERE (n.sources IS NULL OR size(n.sources) = 0) "
                   "AND NOT any(label IN labels(n) WHERE label IN $records) "
                   "RETURN labels(n) AS labels, n.id AS id LIMIT $limit",
                   limit=10, records=RECORD_LABELS)
    assert uncited == []
    assert value(seeded, "MATCH (n) RETURN count(n)") > 0


def test_every_relationship_has_at_least_one_source(seeded: Driver):
    uncited = rows(seeded,
                   "MATCH (a)-[r]->(b) WHERE (r.sources IS NULL OR size(r.sources) = 0) "
                   "AND NOT any(label IN labels(a) WHERE label IN $records) "
                   "RETURN a.id AS a, type(r) AS type, b.id AS b LIMIT $limit",
                   limit=10, records=RECORD_LABELS)
    assert uncited == []
    assert value(seeded, "MATCH ()-[r]->() RETURN count(r)") > 0


def test_every_citation_names_a_source_document_and_a_section(seeded: Driver):
    bad = rows(seeded,
               "CALL () { MATCH (n) UNWIND n.sources AS s RETURN s "
               "UNION MATCH ()-[r]->() UNWIND r.sources AS s RETURN s } "
               "WITH s WHERE NOT s =~ $pattern OR NOT split(s, $hash)[0] IN $documents "
               "RETURN s LIMIT $limit",
               pattern="[a-z0-9-]+#\\S.*", hash="#", documents=sorted(DOCUMENTS), limit=10)
    assert bad == []


def test_every_node_and_relationship_records_its_dataset_and_provenance(seeded: Driver):
    bad = rows(seeded,
               "CALL () { MATCH (n) WHERE NOT any(label IN labels(n) WHERE label IN $records) "
               "RETURN n.sources AS sources, n.datasets AS datasets, n.provenance AS provenance "
               "UNION ALL MATCH (a)-[r]->() "
               "WHERE NOT any(label IN labels(a) WHERE label IN $records) "
               "RETURN r.sources AS sources, r.datasets AS datasets, "
               "r.provenance AS provenance } "
               "WITH sources, datasets, provenance "
               "WHERE size(coalesce(datasets, [])) = 0 "
               "OR NOT all(s IN sources WHERE any(p IN provenance WHERE p ENDS WITH $bar + s)) "
               "OR NOT all(p IN provenance WHERE split(p, $bar)[0] IN datasets "
               "AND split(p, $bar)[0] = $seed + split(split(p, $bar)[1], $hash)[0]) "
               "RETURN sources, provenance LIMIT $limit",
               bar="|", seed="seed/", hash="#", limit=10, records=RECORD_LABELS)
    assert bad == []


def test_all_five_documents_are_source_nodes(seeded: Driver):
    found = rows(seeded, "MATCH (s:Source) RETURN s.id AS id, s.title AS title, s.date AS date")
    assert {r["id"] for r in found} == DOCUMENTS
    assert all(r["title"] and r["date"] for r in found)


def test_every_document_is_cited_by_nodes_and_relationships(seeded: Driver, database):
    documents = {d["document"]: d for d in stats(seeded, database)["documents"]}
    assert set(documents) == DOCUMENTS
    for document in DOCUMENTS:
        assert documents[document]["nodes"] >= 20, document
        assert documents[document]["relationships"] >= 20, document


def test_stats_count_enough_partnerships_organisations_and_posts(seeded: Driver, database):
    labels = {item["label"]: item["count"] for item in stats(seeded, database)["labels"]}
    assert labels["Partnership"] >= 60
    assert labels["Organisation"] >= 60
    assert labels["Post"] >= 100
    assert labels["Source"] == 5


def test_the_gloucester_strategy_has_four_aims(seeded: Driver):
    assert value(seeded,
                 "MATCH (:Strategy {id: $scs})-[:HAS_AIM]->(a:Aim) RETURN count(a)",
                 scs=GLOUCESTER_SCS) == 4


def test_the_gloucester_strategy_has_16_outcomes_and_34_actions(seeded: Driver):
    counts = value(seeded,
                   "MATCH (:Strategy {id: $scs})-[:HAS_AIM]->(:Aim)-[:HAS_OUTCOME]->(o:Outcome) "
                   "OPTIONAL MATCH (o)-[:HAS_ACTION]->(a:Action) "
                   "RETURN {outcomes: count(DISTINCT o), actions: count(DISTINCT a)}",
                   scs=GLOUCESTER_SCS)
    assert counts == {"outcomes": 16, "actions": 34}


def test_outcomes_and_actions_all_belong_to_the_gloucester_strategy(seeded: Driver, database):
    labels = {item["label"]: item["count"] for item in stats(seeded, database)["labels"]}
    assert (labels["Outcome"], labels["Action"]) == (16, 34)
