"""What the explorer draws (GraphNode, GraphEdge) agrees with the API's own node types.

Generated from the schema: every scalar a drawn node shares by name with its node type equals
the one `node(id:)` gives at the root; a drawn node's `areas` equal what the node fields that
lead to a body's areas give (the body's own areas, a post's body's, ...); a drawn edge's
`datasets` are its relationship's. Centres are chosen so that every label is drawn.
"""

from __future__ import annotations

from typing import Any

from graphql import get_named_type, is_leaf_type
from neo4j import Driver

from partnership_kb.api.schema import schema
from partnership_kb.api.types import TYPES

from .graphql_client import data, execute
from .helpers import rows

GRAPHQL = schema._schema
DRAWN_SCALARS = [name for name, field in GRAPHQL.get_type("GraphNode").fields.items()  # type: ignore[union-attr]
                 if is_leaf_type(get_named_type(field.type))]
EDGE_SCALARS = [name for name, field in GRAPHQL.get_type("GraphEdge").fields.items()  # type: ignore[union-attr]
                if is_leaf_type(get_named_type(field.type))]

# Where a node's areas come from, said through the API's node fields (an independent path to
# the same facts): `areas` of the bodies reached by these selections.
BODY_AREAS = "... on Organisation { areas { id } } ... on Partnership { areas { id } }"
AREAS_THROUGH = {
    "Organisation": "areas { id }",
    "Partnership": "areas { id }",
    "Post": f"postIn {{ {BODY_AREAS} }}",
    "Person": f"posts {{ postIn {{ {BODY_AREAS} }} }}",
    "Programme": f"runBy {{ {BODY_AREAS} }}",
    "Strategy": f"owners {{ {BODY_AREAS} }}",
    "Aim": f"strategy {{ owners {{ {BODY_AREAS} }} }}",
    "Outcome": f"strategy {{ owners {{ {BODY_AREAS} }} }}",
    "Action": f"strategy {{ owners {{ {BODY_AREAS} }} }}",
    "Area": "id",
    "Source": "id",
    "Guidance": "id",
}


def area_ids(label: str, value: Any) -> set[str]:
    """Every `areas { id }` found in an answer (an area is in itself; no body: no area)."""
    if label == "Area":
        return {value["id"]}
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= area_ids(label, item)
    elif isinstance(value, dict):
        found |= {a["id"] for a in value.get("areas", [])}
        for key, inner in value.items():
            if key != "areas":
                found |= area_ids(label, inner)
    return found


def centres(driver: Driver) -> list[str]:
    """The best connected node of each label: between their neighbourhoods, every label."""
    return [r["id"] for r in rows(
        driver, "UNWIND $labels AS label CALL (label) { MATCH (n) WHERE label IN labels(n) "
                "RETURN n.id AS id ORDER BY COUNT { (n)--() } DESC, n.id LIMIT 1 } "
                "RETURN DISTINCT id ORDER BY id", labels=list(TYPES))]


def drawn(driver: Driver) -> tuple[list[dict], list[dict]]:
    nodes: dict[str, dict] = {}
    edges: dict[str, dict] = {}
    for centre in centres(driver):
        graph = data(driver, f"""query ($id: ID!) {{ neighbourhood(id: $id, limit: 40) {{
            nodes {{ {' '.join(DRAWN_SCALARS)} areas {{ id name }} }}
            edges {{ {' '.join(EDGE_SCALARS)} }} }} }}""", id=centre)["neighbourhood"]
        nodes.update({n["id"]: n for n in graph["nodes"]})
        edges.update({e["id"]: e for e in graph["edges"]})
    return list(nodes.values()), list(edges.values())


def at_root(driver: Driver, node: dict) -> dict:
    label = node["label"]
    shared = [name for name in DRAWN_SCALARS
              if name in GRAPHQL.get_type(label).fields]  # type: ignore[union-attr]
    return data(driver, f"""query ($id: ID!) {{ node(id: $id) {{ ... on {label} {{
        {' '.join(shared)} {AREAS_THROUGH[label]} }} }} }}""", id=node["id"])["node"]


def test_drawn_nodes_agree_with_their_node_type_scalars_and_areas(seeded: Driver) -> None:
    nodes, _ = drawn(seeded)
    labels = set()
    for node in nodes:
        root = at_root(seeded, node)
        for name in DRAWN_SCALARS:
            if name in root:
                assert node[name] == root[name], (node["id"], name)
        assert {a["id"] for a in node["areas"]} == area_ids(node["label"], root), node["id"]
        assert [a["name"] for a in node["areas"]] == sorted(a["name"] for a in node["areas"])
        labels.add(node["label"])
    assert labels == set(TYPES), set(TYPES) - labels
    assert any(n["label"] == "Post" and n["areas"] for n in nodes)
    assert any(not n["areas"] for n in nodes)  # some have no area: the explorer says "no area"


def test_drawn_edges_carry_their_relationships_datasets(seeded: Driver) -> None:
    _, edges = drawn(seeded)
    stored = {r["id"]: r["datasets"] for r in rows(
        seeded, "MATCH ()-[r]->() WHERE elementId(r) IN $ids "
                "RETURN elementId(r) AS id, coalesce(r.datasets, []) AS datasets",
        ids=[e["id"] for e in edges])}
    assert len(stored) == len(edges) > 100
    for edge in edges:
        assert edge["datasets"] == stored[edge["id"]], edge["id"]
    assert len({d for e in edges for d in e["datasets"]}) >= 3


def test_areas_and_datasets_of_a_neighbourhood_take_one_round_trip(seeded: Driver) -> None:
    answer = execute(seeded, """{ neighbourhood(id: "gloucestershire-conference", depth: 2) {
        nodes { id datasets areas { id name } } edges { id datasets } } }""")
    assert not answer.errors and answer.round_trips == 1
    nodes = {n["id"]: n for n in answer.data["neighbourhood"]["nodes"]}
    assert nodes["chief-executive-cheltenham-borough-council"]["areas"] == \
        [{"id": "cheltenham", "name": "Cheltenham"}]
    assert nodes["gloucestershire-conference"]["datasets"] == [
        "seed/glos-prospectus-2008", "seed/gloucester-recommendations-2010"]


def test_a_path_draws_its_nodes_with_their_areas(seeded: Driver) -> None:
    graph = data(seeded, """{ path(from: "richard-gibson", to: "gloucestershire-conference") {
        nodes { id areas { id } datasets } } }""")["path"]
    areas = {n["id"]: [a["id"] for a in n["areas"]] for n in graph["nodes"]}
    assert areas["richard-gibson"] == ["cheltenham"]
    assert areas["gloucestershire-conference"] == ["gloucestershire"]
