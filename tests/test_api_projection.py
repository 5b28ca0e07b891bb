"""Right by construction: every node type has the same scalar values wherever it is reached.

Generated from the schema: for each field that leads to a node type (directly, or through a
membership, accountability line, delivery or support), nodes reached through it are compared,
scalar by scalar, with the same nodes asked for at the root with `node(id:)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    GraphQLObjectType,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
)
from neo4j import Driver

from partnership_kb.api.projection import COMPILED
from partnership_kb.api.schema import schema
from partnership_kb.api.types import TYPES

from .graphql_client import data
from .helpers import rows

GRAPHQL = schema._schema
NODE_TYPES = set(TYPES)
EDGE_TYPES = {"Membership", "Accountability", "Delivery", "Support"}
PER_QUERY = 8  # within the 30-alias and 3,000-token limits, with an alias per node
EACH = 3


def object_types(name: str) -> list[GraphQLObjectType]:
    found = GRAPHQL.get_type(name)
    if is_abstract_type(found):
        return list(GRAPHQL.get_possible_types(found))  # type: ignore[arg-type]
    return [found] if is_object_type(found) else []  # type: ignore[list-item]


def scalars(type_: GraphQLObjectType) -> list[str]:
    return [name for name, field in type_.fields.items()
            if is_leaf_type(get_named_type(field.type)) and not field.args]


def conflicting() -> set[str]:
    """Scalars whose type differs between node types (title: String! or String)."""
    seen: dict[str, set[str]] = {}
    for label in NODE_TYPES:
        for name, field in GRAPHQL.get_type(label).fields.items():  # type: ignore[union-attr]
            seen.setdefault(name, set()).add(str(field.type))
    return {name for name, types in seen.items() if len(types) > 1}


CONFLICTING = conflicting()


def asked(type_: GraphQLObjectType, name: str) -> str:
    """A nullable variant of a conflicting scalar is aliased: GraphQL refuses to merge it."""
    nullable = not str(type_.fields[name].type).endswith("!")
    return f"{type_.name}_{name}: {name}" if name in CONFLICTING and nullable else name


def selection(type_name: str) -> str:
    return " ".join(
        f"... on {t.name} {{ __typename {' '.join(asked(t, name) for name in scalars(t))} }}"
        for t in object_types(type_name) if t.name in NODE_TYPES)


def paths() -> Iterator[tuple[str, list[str], str]]:
    """(start label, fields followed, node type reached) for every way to a node type."""
    for label in sorted(NODE_TYPES):
        start = GRAPHQL.get_type(label)
        for name, field in start.fields.items():  # type: ignore[union-attr]
            target = get_named_type(field.type).name
            if any(t.name in NODE_TYPES for t in object_types(target)):
                yield label, [name], target
            elif target in EDGE_TYPES:
                edge = GRAPHQL.get_type(target)
                for inner, inner_field in edge.fields.items():  # type: ignore[union-attr]
                    reached = get_named_type(inner_field.type).name
                    if any(t.name in NODE_TYPES for t in object_types(reached)):
                        yield label, [name, inner], reached


def items(value: Any, fields: list[str]) -> Iterator[dict[str, Any]]:
    if not fields:
        yield from (value if isinstance(value, list) else [value] if value else [])
        return
    for item in value if isinstance(value, list) else [value] if value else []:
        yield from items(item[fields[0]], fields[1:])


def reached(driver: Driver, label: str, fields: list[str], target: str) -> list[dict]:
    # A few nodes of the label for each kind of relationship it has, either way: between
    # them, something lies down every field that can hold anything.
    ids = [r["id"] for r in rows(
        driver, f"MATCH (n:{label})-[r]-(m) WITH type(r) AS type, startNode(r) = n AS out, "
                "labels(m) AS other, collect(DISTINCT n.id)[..$each] AS ids "
                "UNWIND ids AS id RETURN DISTINCT id ORDER BY id", each=EACH)]
    inner = selection(target)
    for name in reversed(fields):
        inner = f"{name} {{ {inner} }}"
    found: list[dict] = []
    for start in range(0, len(ids), PER_QUERY):
        chunk = ids[start:start + PER_QUERY]
        query = " ".join(f'n{i}: node(id: "{id_}") {{ ... on {label} {{ {inner} }} }}'
                         for i, id_ in enumerate(chunk))
        answer = data(driver, f"{{ {query} }}")
        for value in answer.values():
            found += [i for i in items(value, fields) if i]
    return found


def at_root(driver: Driver, nodes: list[dict]) -> dict[str, dict]:
    ids = sorted({n["id"] for n in nodes})
    known: dict[str, dict] = {}
    for start in range(0, len(ids), PER_QUERY):
        chunk = ids[start:start + PER_QUERY]
        query = " ".join(f'n{i}: node(id: "{id_}") {{ {selection("Node")} }}'
                         for i, id_ in enumerate(chunk))
        answer = data(driver, f"{{ {query} }}")
        known.update({v["id"]: v for v in answer.values()})
    return known


def test_every_node_type_has_the_same_scalars_nested_as_at_the_root(seeded: Driver) -> None:
    compared: set[str] = set()
    followed = 0
    for label, fields, target in paths():
        nodes = reached(seeded, label, fields, target)
        if not nodes:
            continue
        followed += 1
        root = at_root(seeded, nodes)
        for node in nodes:
            expected = {k: v for k, v in root[node["id"]].items() if k in node}
            assert node == expected, (label, fields, node["id"])
            compared.add(node["__typename"])
    assert followed >= 40, followed
    assert compared >= NODE_TYPES - {"Source", "Guidance"}, compared


def test_a_kept_compiled_selection_answers_for_the_variables_given(seeded: Driver) -> None:
    """Compiled selections are kept per document, env and variables: the same query with
    other variables (nested arguments, @include) answers for those, exactly as compiled
    afresh would."""
    query = """query ($role: String, $withParts: Boolean!) {
      partnership(id: "gloucestershire-strategic-partnership") {
        members(role: $role) { role member { ... on Node { id } } }
        parts @include(if: $withParts) { id } } }"""
    asked = [{"role": "chair", "withParts": True}, {"role": None, "withParts": False},
             {"role": "chair", "withParts": True}, {"role": "member", "withParts": True}]
    kept = [data(seeded, query, **variables) for variables in asked]
    fresh = []
    for variables in asked:
        COMPILED.clear()
        fresh.append(data(seeded, query, **variables))
    assert kept == fresh
    chair, everyone = kept[0]["partnership"], kept[1]["partnership"]
    assert 0 < len(chair["members"]) < len(everyone["members"])
    assert {m["role"] for m in chair["members"]} == {"chair"}
    assert "parts" in chair and "parts" not in everyone
