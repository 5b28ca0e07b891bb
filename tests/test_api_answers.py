"""The analyst contract answers the signature questions from the seed knowledge base."""

from __future__ import annotations

from neo4j import Driver

from .graphql_client import data, execute

OUTCOME_34 = """{ outcome(code: "3.4") { code actions { code }
  deliveredBy { via deliverer { __typename ... on Node { id name } } } } }"""


def test_outcome_3_4_has_four_actions_and_health_trainers_deliver_it(seeded: Driver) -> None:
    outcome = data(seeded, OUTCOME_34)["outcome"]
    assert [a["code"] for a in outcome["actions"]] == ["3.4.1", "3.4.2", "3.4.3", "3.4.4"]
    deliverers = {(d["via"], d["deliverer"]["name"]) for d in outcome["deliveredBy"]}
    assert ("outcome", "Health Trainers") in deliverers
    assert ("action 3.4.4", "Chlamydia screening drive") in deliverers


def test_delivery_through_a_programme_names_the_body_running_it(seeded: Driver) -> None:
    outcome = data(seeded, """{ outcome(code: "2.3") { deliveredBy { via
      deliverer { ... on Node { id } } } } }""")["outcome"]
    vias = {d["via"] for d in outcome["deliveredBy"]}
    assert any(via.startswith("action 2.3.") for via in vias)
    programme_runs = data(seeded, """{ outcome(code: "1.3") { deliveredBy { via
      deliverer { __typename } } } }""")["outcome"]["deliveredBy"]
    assert any(d["via"].startswith("programme ") for d in programme_runs)


def test_cheltenham_chief_executive_sits_on_several_boards(seeded: Driver) -> None:
    post = data(seeded, """{ node(id: "chief-executive-cheltenham-borough-council") {
      ... on Post { boards { id } } } }""")["node"]
    boards = {b["id"] for b in post["boards"]}
    assert {"strategic-leadership-group", "community-strategy-executive-board"} <= boards
    interlocks = data(seeded, "{ interlocks(minBoards: 2, first: 100) { nodes { "
                              "member { ... on Node { id } } } } }")
    assert "chief-executive-cheltenham-borough-council" in {
        i["member"]["id"] for i in interlocks["interlocks"]["nodes"]}


def test_positive_participation_partnership_reports_six_monthly(seeded: Driver) -> None:
    lines = data(seeded, """{ partnership(name: "positive participation partnership") {
      accountableTo { frequency to { ... on Node { id } } } } }""")
    assert {"frequency": "6-monthly", "to": {"id": "strategic-leadership-group"}} in \
        lines["partnership"]["accountableTo"]


def test_unknown_outcome_code_is_null(seeded: Driver) -> None:
    assert data(seeded, '{ outcome(code: "9.9") { code } }') == {"outcome": None}


def test_partnership_found_by_alias_in_any_case(seeded: Driver) -> None:
    assert data(seeded, '{ partnership(name: "gsp") { id } }')["partnership"]["id"] == \
        "gloucestershire-strategic-partnership"


def test_organisation_level_rolls_posts_up(seeded: Driver) -> None:
    found = data(seeded, """{ interlocks(minBoards: 3, level: ORGANISATION, first: 100) {
      nodes { member { __typename ... on Node { id } } count } } }""")["interlocks"]["nodes"]
    counts = {i["member"]["id"]: i["count"] for i in found}
    assert counts["gloucestershire-county-council"] >= 5


def test_board_overlaps_list_each_pair_once(seeded: Driver) -> None:
    pairs = data(seeded, "{ boardOverlaps(minShared: 1, first: 100) { nodes { a { id } b { id } "
                         "shared { ... on Node { id } } } } }")["boardOverlaps"]["nodes"]
    keys = [(p["a"]["id"], p["b"]["id"]) for p in pairs]
    assert len(keys) == len(set(keys))
    assert all(a < b for a, b in keys)
    assert all(len(p["shared"]) >= 1 for p in pairs)


def test_accountability_chain_goes_up_and_survives_cycles(seeded: Driver) -> None:
    chain = data(seeded, """{ accountabilityChain(id: "cheltenham-task-and-finish-groups") {
      step from { id } to { ... on Node { id } } } }""")["accountabilityChain"]
    assert chain[0]["step"] == 1
    assert {"step": 2, "from": {"id": "positive-participation-partnership"},
            "to": {"id": "strategic-leadership-group"}} in chain


def test_lists_page_with_cursors_and_total_count(seeded: Driver) -> None:
    query = """query ($after: String) { partnerships(first: 10, after: $after,
      filter: {kind: "board"}) { totalCount edges { cursor node { id } }
      pageInfo { hasNextPage endCursor } } }"""
    first = data(seeded, query)["partnerships"]
    second = data(seeded, query, after=first["pageInfo"]["endCursor"])["partnerships"]
    ids = [e["node"]["id"] for e in first["edges"] + second["edges"]]
    assert first["totalCount"] == second["totalCount"] >= 11
    assert len(ids) == len(set(ids)) == min(20, first["totalCount"])
    assert first["pageInfo"]["hasNextPage"] is True


def test_search_finds_outcome_3_4_first(seeded: Driver) -> None:
    hits = data(seeded, '{ search(text: "Outcome 3.4") { node { id } score } }')["search"]
    assert hits[0]["node"]["id"] == "gloucester-scs-outcome-3-4"


def test_search_text_with_lucene_syntax_is_taken_literally(seeded: Driver) -> None:
    answer = execute(seeded, '{ search(text: "health AND (trainers OR \\"") { node { id } } }')
    assert answer.errors == []


def test_every_node_and_relationship_like_type_has_sources(seeded: Driver) -> None:
    found = data(seeded, """{ partnership(id: "strategic-leadership-group") {
      sources { document section }
      members { sources { document } }
      accountableTo { sources { document } } } }""")["partnership"]
    assert found["sources"][0]["document"] == "cheltenham-structures-2011"
    assert all(m["sources"] for m in found["members"])
    assert all(a["sources"] for a in found["accountableTo"])


def test_neighbourhood_and_path_give_drawable_graphs(seeded: Driver) -> None:
    graph = data(seeded, """{ neighbourhood(id: "gloucestershire-conference", depth: 1) {
      nodes { id label } edges { source target type } } }""")["neighbourhood"]
    ids = {n["id"] for n in graph["nodes"]}
    assert {"gloucestershire-strategic-partnership", "accountable-bodies-group",
            "community-strategy-executive-board"} <= ids
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
    path = data(seeded, """{ path(from: "chief-executive-cheltenham-borough-council",
      to: "gloucestershire-conference") { nodes { id } edges { type } } }""")["path"]
    assert path["nodes"][0]["id"] == "chief-executive-cheltenham-borough-council"
    assert path["nodes"][-1]["id"] == "gloucestershire-conference"
    assert len(path["edges"]) == len(path["nodes"]) - 1


def test_path_goes_around_what_it_is_told_to_avoid(seeded: Driver) -> None:
    ends = ("positive-participation-partnership", "gloucestershire-conference")
    query = ("query ($types: [String!], $labels: [NodeType!], $status: [String!]) { "
             f'path(from: "{ends[0]}", to: "{ends[1]}", avoidTypes: $types, '
             "avoidLabels: $labels, avoidStatus: $status) "
             "{ nodes { id label status } edges { type } } }")
    free = data(seeded, query)["path"]
    assert free["nodes"], "the seed links the two"
    inner = free["nodes"][1:-1]
    # Take away, in turn, each kind of link and node the free path used: the answer never uses it.
    for kind in {e["type"] for e in free["edges"]}:
        found = data(seeded, query, types=[kind])["path"]
        assert kind not in {e["type"] for e in found["edges"]}
    for label in {n["label"] for n in inner}:
        found = data(seeded, query, labels=[label.upper()])["path"]
        assert label not in {n["label"] for n in found["nodes"][1:-1]}
    for status in {n["status"] for n in inner if n["status"]}:
        found = data(seeded, query, status=[status])["path"]
        assert status not in {n["status"] for n in found["nodes"][1:-1]}
