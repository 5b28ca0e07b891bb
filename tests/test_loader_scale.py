"""Loads that cost what the return costs, and near misses a person would call near misses."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from partnership_kb import loader, model
from partnership_kb.errors import InvalidInput
from partnership_kb.loader import history, lookup

from .district_data import BASE
from .workbooks import Sheets, write_xlsx

write = importlib.import_module("partnership_kb.loader.write")

# Operators that read a whole label, or the whole graph.
SCANS = {"AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan",
         "IntersectionNodeByLabelsScan",
         "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
         "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan"}


def district(name: str, orgs: list[str],
             people: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()) -> Sheets:
    """A names-only return: organisations without ids, people with them."""
    return {
        "sources": [["id", "title", "date"], [f"{name}-2025", f"{name} return", "2025-04-01"]],
        "organisations": [["name", "kind", "sources"],
                          *([org, "voluntary", f"{name}-2025#1"] for org in orgs)],
        "people": [["id", "name", "sources"],
                   *([id_, person, f"{name}-2025#2"] for id_, person in people)],
    }


def load(driver: Driver, tmp_path: Path, name: str, data: Sheets) -> loader.LoadReport:
    return loader.load(write_xlsx(tmp_path / f"{name}.xlsx", data), name, model.default(),
                       driver, dataset=f"{name}/returns")


def refusals(driver: Driver, tmp_path: Path, name: str, data: Sheets) -> list[str]:
    with pytest.raises(InvalidInput) as invalid:
        load(driver, tmp_path, name, data)
    return [p.message for p in invalid.value.problems]


def test_names_that_differ_by_a_place_are_different_bodies(graph: Driver,
                                                           tmp_path: Path) -> None:
    load(graph, tmp_path, "ashford", district("ashford", [
        "Ashford Council for Voluntary Service", "Cheltenham Strategic Partnership Trust"],
        [("ashford-jo", "John Smith")]))
    # Another district's bodies of the same pattern, and a namesake: no confirmation needed.
    report = load(graph, tmp_path, "dartford", district("dartford", [
        "Dartford Council for Voluntary Service"], [("dartford-jo", "John Smith"),
                                                    ("dartford-jon", "Jon Smith")]))
    assert report.counts is not None and report.counts.written["Organisation"] == 1


def test_a_typo_of_another_districts_name_is_still_a_near_miss(graph: Driver,
                                                               tmp_path: Path) -> None:
    load(graph, tmp_path, "ashford", district("ashford", [
        "Cheltenham Strategic Partnership Trust", "Ashford Council for Voluntary Service"]))
    assert refusals(graph, tmp_path, "dartford", district("dartford", [
        "Cheltenham Strategic Partnershp Trust", "Ashford Council for Voluntary Servce"])) == [
        "new organisation 'Cheltenham Strategic Partnershp Trust' is nearly 'Cheltenham "
        "Strategic Partnership Trust' (ashford-cheltenham-strategic-partnership-trust)",
        "new organisation 'Ashford Council for Voluntary Servce' is nearly 'Ashford Council for "
        "Voluntary Service' (ashford-ashford-council-for-voluntary-service)"]


def test_a_person_nearly_named_in_the_same_district_is_asked_about(graph: Driver,
                                                                   tmp_path: Path) -> None:
    load(graph, tmp_path, "ashford", district("ashford", [], [("ashford-jo", "Evelyn Jefferson")]))
    assert refusals(graph, tmp_path, "ashford", district("ashford", [], [
        ("ashford-jo", "Evelyn Jefferson"), ("ashford-ev", "Evelyn Jeferson")])) == [
        "new person 'Evelyn Jeferson' is nearly 'Evelyn Jefferson' (ashford-jo)"]


def test_a_person_of_the_same_name_is_asked_about_in_the_same_district_only(
        graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, "ashford", district("ashford", [], [("ashford-jo", "Evelyn Jefferson")]))
    with pytest.raises(InvalidInput) as invalid:  # another of the district's datasets
        loader.load(write_xlsx(tmp_path / "minutes.xlsx", district("ashford", [], [
            ("ashford-ev", "Evelyn Jefferson")])), "ashford", model.default(), graph,
            dataset="ashford/minutes")
    assert [p.message for p in invalid.value.problems] == [
        "'Evelyn Jefferson' already exists as person ashford-jo"]
    report = load(graph, tmp_path, "dartford", district("dartford", [], [
        ("dartford-ev", "Evelyn Jefferson")]))  # a namesake elsewhere: another person
    assert report.counts is not None and report.counts.written["Person"] == 1


def statements(the_model: model.Model) -> list[tuple[str, dict[str, Any]]]:
    """Every statement a load runs, for every label and relationship pattern of the model."""
    params: dict[str, Any] = {
        "ids": ["x"], "keys": ["x"], "queries": ["x"], "labels": list(the_model.nodes),
        "index": lookup.NAME_KEYS, "asks": [], "limit": 5, "elements": ["x"], "ends": [["a", "b"]],
        "dataset": "d/x", "prefix": "d/x|", "statedOn": None, "recordedAt": None, "load": "l",
        "rows": [], "lists": [], "id": "x", "dropped": ["x"],
        "clauses": [{"fuzzy": "x", "exact": "x"}],
        "area": ["d"]}
    found = [(lookup.BY_KEY, params), (lookup.LOOKALIKE, params), (lookup.MATCHING, params),
             (lookup.AREA_LOADED, params),
             (history.PREVIOUS, params), (history.PLAN, params)]
    for label in the_model.nodes:
        found += [(lookup.BY_ID.format(label=label), params),
                  (history.READ_NODES.format(label=label), params),
                  (history.NAMES.format(label=label), params),
                  (write.node_statement(label, True), params),
                  (write.node_statement(label, False), params),
                  (loader.PREVIEW.format(label=label), params)]
    for rel in the_model.relationships.values():
        for start in rel.start.to:
            for end in rel.end.to:
                pattern = write.RelPattern(rel.type, start, end, rel.key)
                found += [(history.READ_RELS.format(start=start, type=rel.type, end=end), params),
                          (write.rel_statement(pattern, True), params),
                          (write.rel_statement(pattern, False), params)]
    for spec in the_model.nodes.values():
        for column in spec.references:
            for target in column.to if column.rel else ():
                start, end = (spec.label, target) if column.direction == "out" \
                    else (target, spec.label)
                pattern = write.RelPattern(column.rel, start, end, ())
                found += [(history.READ_RELS.format(start=start, type=column.rel, end=end),
                           params), (write.rel_statement(pattern, True), params),
                          (write.rel_statement(pattern, False), params)]
    found += [(getattr(write, name), params) for name in (
        "STRIP_NODE_ELEMENTS", "STRIP_REL_ELEMENTS", "DELETE_UNSAID_NODE_ELEMENTS",
        "DELETE_UNSAID_REL_ELEMENTS")]
    # END_RELS and STAMP_REL_ELEMENTS are left out: on a graph this small the planner takes
    # a scan of its few relationships over the element-id seek it plans on a large one.
    found += [(getattr(history, name), params) for name in (
        "END_NODES", "STAMP_NODE_ELEMENTS")]
    return found


def operators(plan: dict[str, Any]) -> set[str]:
    found = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        found |= operators(child)
    return found


def test_no_statement_of_a_load_scans_a_label_or_the_graph(graph: Driver,
                                                           tmp_path: Path) -> None:
    # On an empty graph the planner may take a scan of nothing as cheapest: give it facts.
    loader.load(write_xlsx(tmp_path / "base.xlsx", BASE), "seed", model.default(), graph,
                dataset="test/base")
    scanning = []
    for statement, params in statements(model.default()):
        with graph.session() as session:
            plan = session.run("EXPLAIN " + statement, params).consume().plan
        assert plan is not None
        if operators(plan) & SCANS:
            scanning.append(" ".join(statement.split())[:90])
    assert scanning == []


def typo(word: str) -> str:
    """One edit: the second letter dropped."""
    return word[0] + word[2:] if len(word) > 3 else word


def test_asking_shared_words_first_finds_the_same_lookalikes(seeded: Driver) -> None:
    """lookup.answerable drops only names that could match nothing: over every name of the
    seed, with a typo, and with its first word swapped for a place the graph does not hold,
    the candidates found are those every name asked alone finds."""
    the_model = model.default()
    names = [r["name"] for r in seeded.execute_query(
        "MATCH (n) WHERE n.name IS NOT NULL RETURN DISTINCT n.name AS name").records]
    variants = {variant for name in names for variant in (
        name, " ".join(typo(word) for word in name.split()),
        " ".join(["Zyxwvut", *name.split()[1:]]))}
    asks = [{"query": query, "labels": sorted(the_model.nodes)}
            for name in sorted(variants) if (query := lookup.lookalike_query(name))]
    kept = lookup.answerable(seeded, the_model, asks, None)
    assert len(asks) / 3 < len(kept) < len(asks)  # some dropped: the test tests something

    def found(queries: list[dict[str, Any]]) -> set[tuple[str, str]]:
        return {(r["query"], r["id"]) for r in seeded.execute_query(
            lookup.LOOKALIKE.replace("RETURN DISTINCT", "RETURN DISTINCT ask.query AS query,"),
            asks=queries, index=the_model.fulltext_name, limit=lookup.CANDIDATES,
            labels=list(the_model.nodes)).records}

    assert found(kept) == found(asks)


# Names the index's analyzer splits into several terms (CJK: a term a character) or that hold
# other scripts: their words are asked by the fuzzy search alone.
NON_LATIN = {"東京都庁 Partnership", "Челтнем Board", "Cheltenham 東京都庁", "Café Strategic Board"}


def test_words_held_exactly_are_matched_as_the_fuzzy_search_matches_them(
        graph: Driver, tmp_path: Path) -> None:
    """MATCHING finds a word held exactly by its term instead of a fuzzy search: over every
    word of the graph's names, with typos and words of other scripts, the words it says
    match are those the fuzzy search alone matches. (The graph holds 東 alone: "東京都庁" as an
    exact query would match it, as a fuzzy word it does not.)"""
    the_model = model.default()
    load(graph, tmp_path, "ashford", district("ashford", [
        "Ashford Council for Voluntary Service", "東 Partnership", "Челтнем Board", "Café"]))
    names = [r["name"] for r in graph.execute_query(
        "MATCH (n) WHERE n.name IS NOT NULL RETURN DISTINCT n.name AS name").records]
    words = sorted({word for name in [*names, *map(typo, names), *NON_LATIN]
                    for word in lookup.lookalike_query(name).split() if word.startswith("+")})
    # Each word asked by two names: a word of one name only is left to its own query.
    kept = lookup.answerable(graph, the_model,
                             [{"query": w, "labels": []} for w in words for _ in "ab"], None)
    fuzzy = {r["clause"] for r in graph.execute_query(
        "UNWIND $clauses AS clause "
        "CALL db.index.fulltext.queryNodes($index, clause, {limit: 1}) YIELD node "
        "RETURN DISTINCT clause", clauses=words, index=the_model.fulltext_name).records}
    assert 0 < len(fuzzy) < len(words)  # some match, some do not
    assert {query["query"] for query in kept} == fuzzy
