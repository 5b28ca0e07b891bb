"""networkMetrics and `pkb metrics` equal networkx's own results on graphs with known values.

The Davis Southern Women network (18 women at 14 events; networkx ships it, and its two-mode
clustering is the published 0.468) is loaded through the loader as a district return: women as
people, events as boards, each attendance a membership. Events carry dates, areas and datasets,
so every filter is checked against networkx run on the matching part of the same network.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from neo4j import Driver
from typer.testing import CliRunner

from partnership_kb import loader, model
from partnership_kb.api import metrics as api_metrics
from partnership_kb.cli import app
from partnership_kb.config import Connection
from partnership_kb.metrics import measures, network
from partnership_kb.metrics.ask import MetricSort, ordered

from .graphql_client import data, execute
from .workbooks import write_csv_folder

DAVIS = nx.davis_southern_women_graph()
WOMEN: list[str] = DAVIS.graph["top"]
EVENTS: list[str] = DAVIS.graph["bottom"]
SOURCE = "davis-1941#1"


def event_number(event: str) -> int:
    return int(event[1:])


def started(event: str) -> str:
    """Events 1-7 are boards since 2000, 8-14 since 2010: asOf 2005 sees only the first."""
    return "2000-01-01" if event_number(event) <= 7 else "2010-01-01"


def area_of(event: str) -> str:
    return "north" if event_number(event) <= 9 else "south"


def dataset_of(event: str) -> str:
    return "davis/returns" if event_number(event) <= 11 else "davis/late"


def seats(woman: str, event: str) -> int:
    return 2 if woman == "Evelyn Jefferson" and event_number(event) % 2 == 0 else 1


def slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def sheets(dataset: str) -> dict[str, list[list[Any]]]:
    """The return of one dataset: everything, with only that dataset's attendances."""
    return {
        "sources": [["id", "title", "date", "publisher"],
                    ["davis-1941", "Deep South (Davis, Gardner and Gardner)", "1941-01-01",
                     "University of Chicago Press"]],
        "areas": [["id", "name", "kind", "within", "sources"],
                  ["davisshire", "Davisshire", "county", "", SOURCE],
                  ["north", "North Davis", "district", "davisshire", SOURCE],
                  ["south", "South Davis", "district", "davisshire", SOURCE]],
        "partnerships": [["id", "name", "kind", "valid_from", "area", "sources"]]
        + [[f"event-{e.lower()}", f"Event {e}", "board", started(e), area_of(e), SOURCE]
           for e in EVENTS],
        "people": [["id", "name", "sources"]] + [[slug(w), w, SOURCE] for w in WOMEN],
        "memberships": [["member", "body", "seats", "sources"]]
        + [[slug(w), f"event-{e.lower()}", seats(w, e), SOURCE]
           for w, e in DAVIS.edges() if dataset_of(e) == dataset],
    }


@pytest.fixture
def davis(graph: Driver, tmp_path: Path) -> Driver:
    for dataset in ("davis/returns", "davis/late"):
        folder = write_csv_folder(tmp_path / dataset.replace("/", "-"), sheets(dataset))
        loader.load(folder, "davis", model.default(), graph, dataset=dataset)
    return graph


def expected_two_mode(keep: Callable[[str], bool]) -> nx.Graph:
    """Davis's network, only the events `keep` says, each tie weighted by its seats."""
    expected = nx.Graph()
    for woman, event in DAVIS.edges():
        if keep(event):
            expected.add_edge(woman, f"Event {event}", weight=seats(woman, event))
    return expected


def expected_network(projection: str, keep: Callable[[str], bool]) -> tuple[nx.Graph, nx.Graph]:
    two_mode = expected_two_mode(keep)
    if projection == "MEMBER_BOARD":
        return two_mode, two_mode
    side = [n for n in two_mode if (n.startswith("Event ")) == (projection == "BOARD_BOARD")]
    return nx.bipartite.weighted_projected_graph(two_mode, side), two_mode


NODE_FIELDS = ("name degree weightedDegree betweenness closeness eigenvector constraint "
               "effectiveSize community")
GRAPH_FIELDS = ("nodes edges density components largestComponent diameter averagePathLength "
                "twoModeClustering communities sampledSources")
QUERY = f"""query ($projection: Projection!, $asOf: Date, $area: String, $dataset: String,
                   $weighted: Boolean!, $after: String) {{
  networkMetrics(projection: $projection, asOf: $asOf, area: $area, dataset: $dataset,
                 weighted: $weighted, first: 100, after: $after, sort: NAME) {{
    totalCount cached dataVersion graph {{ {GRAPH_FIELDS} }} nodes {{ {NODE_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None and (b is None or math.isnan(b))
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def assert_equals_networkx(answer: dict[str, Any], expected: nx.Graph, two_mode: nx.Graph,
                           weighted: bool) -> None:
    weight = "weight" if weighted else None
    if weighted:
        for _, _, tie in expected.edges(data=True):
            tie["distance"] = 1 / tie["weight"]
    distance = "distance" if weighted else None
    figures = {
        "degree": dict(expected.degree()),
        "weightedDegree": dict(expected.degree(weight="weight")),
        "betweenness": nx.betweenness_centrality(expected, weight=distance),
        "closeness": nx.closeness_centrality(expected, distance=distance),
        "eigenvector": nx.eigenvector_centrality(expected, max_iter=1000, weight=weight),
        "constraint": nx.constraint(expected, weight=weight),
        # Node by node: Burt's definition (see test_effective_size_is_burts below).
        "effectiveSize": nx.effective_size(expected, nodes=list(expected), weight=weight),
    }
    nodes = {node["name"]: node for node in answer["nodes"]}
    assert set(nodes) == set(expected), "the same nodes"
    for measure, values in figures.items():
        for name, value in values.items():
            assert close(nodes[name][measure], value), (measure, name, nodes[name][measure],
                                                         value)
    core = expected.subgraph(max(nx.connected_components(expected), key=len))
    assert answer["graph"] == pytest.approx({
        "nodes": expected.number_of_nodes(), "edges": expected.number_of_edges(),
        "density": nx.density(expected),
        "components": nx.number_connected_components(expected),
        "largestComponent": core.number_of_nodes(), "diameter": nx.diameter(core),
        "averagePathLength": nx.average_shortest_path_length(core),
        "twoModeClustering": nx.bipartite.robins_alexander_clustering(two_mode),
        "communities": answer["graph"]["communities"], "sampledSources": None})
    # Louvain visits nodes in the order a graph holds them: both in sorted order of the keys
    # the API uses (label, id), the communities are networkx's own with the same seed.
    keys = {name: ("Partnership", f"event-{name[6:].lower()}") if name.startswith("Event ")
            else ("Person", slug(name)) for name in expected}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(keys.values()))
    ordered.add_weighted_edges_from(sorted(
        (min(keys[a], keys[b]), max(keys[a], keys[b]), w)
        for a, b, w in expected.edges(data="weight")))
    theirs = sorted(nx.community.louvain_communities(ordered, weight=weight,
                                                     seed=measures.SEED),
                    key=lambda group: (-len(group), min(group)))
    names = {key: name for name, key in keys.items()}
    assert answer["graph"]["communities"] == len(theirs)
    for number, group in enumerate(theirs):
        assert {names[key] for key in group} == {
            name for name, node in nodes.items() if node["community"] == number}


FILTERS: dict[str, tuple[dict[str, Any], Callable[[str], bool]]] = {
    "everything": ({}, lambda e: True),
    "as of 2005": ({"asOf": "2005-06-01"}, lambda e: started(e) <= "2005-06-01"),
    "area south": ({"area": "south"}, lambda e: area_of(e) == "south"),
    "area within the county": ({"area": "davisshire"}, lambda e: True),
    "dataset": ({"dataset": "davis/returns"}, lambda e: dataset_of(e) == "davis/returns"),
    "all three": ({"asOf": "2015-01-01", "area": "north", "dataset": "davis/returns"},
                  lambda e: area_of(e) == "north" and dataset_of(e) == "davis/returns"),
}


@pytest.mark.parametrize("projection", ["MEMBER_BOARD", "BOARD_BOARD", "PERSON_PERSON"])
@pytest.mark.parametrize("case", list(FILTERS))
def test_metrics_equal_networkx_with_each_filter(davis: Driver, case: str,
                                                 projection: str) -> None:
    given, keep = FILTERS[case]
    for weighted in (False, True):
        answer = data(davis, QUERY, projection=projection, weighted=weighted,
                      **given)["networkMetrics"]
        expected, two_mode = expected_network(projection, keep)
        assert_equals_networkx(answer, expected, two_mode, weighted)


def test_two_mode_clustering_is_the_published_figure(davis: Driver) -> None:
    answer = data(davis, QUERY, projection="MEMBER_BOARD", weighted=False)["networkMetrics"]
    assert round(answer["graph"]["twoModeClustering"], 3) == 0.468


def test_an_answer_is_kept_until_a_load(davis: Driver, tmp_path: Path) -> None:
    first = execute(davis, QUERY, projection="BOARD_BOARD", weighted=True)
    computed = api_metrics.CACHE.computations
    again = execute(davis, QUERY, projection="BOARD_BOARD", weighted=True)
    assert not first.data["networkMetrics"]["cached"]
    assert again.data["networkMetrics"]["cached"]
    assert again.data["networkMetrics"]["graph"] == first.data["networkMetrics"]["graph"]
    assert api_metrics.CACHE.computations == computed, "measured once"
    assert again.round_trips == 1, "only the data version is read"
    other = execute(davis, QUERY, projection="BOARD_BOARD", weighted=False)
    assert not other.data["networkMetrics"]["cached"], "another question is measured afresh"

    late = sheets("davis/late")
    late["memberships"] = late["memberships"][:1] + [["flora-price", "event-e1", 1, SOURCE]]
    loader.load(write_csv_folder(tmp_path / "new", late), "davis", model.default(), davis,
                dataset="davis/late")
    after = execute(davis, QUERY, projection="BOARD_BOARD", weighted=True)
    assert not after.data["networkMetrics"]["cached"]
    assert after.data["networkMetrics"]["dataVersion"] != first.data["networkMetrics"][
        "dataVersion"]
    assert api_metrics.CACHE.computations == computed + 2
    assert after.data["networkMetrics"]["graph"]["nodes"] == 14 - 3 + 1 - 1, \
        "events 12-14 lost their late attendances; E1 gained Flora Price's"


def test_pages_follow_the_sort(davis: Driver) -> None:
    query = """query ($after: String) { networkMetrics(first: 5, after: $after,
      sort: BETWEENNESS) { totalCount nodes { name betweenness }
      pageInfo { hasNextPage endCursor } } }"""
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        found = data(davis, query, after=after)["networkMetrics"]
        seen += found["nodes"]
        if not found["pageInfo"]["hasNextPage"]:
            break
        after = found["pageInfo"]["endCursor"]
    assert len(seen) == found["totalCount"] == 32
    values = [node["betweenness"] for node in seen]
    assert values == sorted(values, reverse=True)
    best = max(nx.betweenness_centrality(expected_two_mode(lambda e: True)).items(),
               key=lambda item: item[1])
    assert seen[0]["name"] == best[0]


def test_every_sort_orders_highest_first_nulls_last() -> None:
    graph = nx.Graph([(("Person", "a"), ("Partnership", "b")),
                      (("Person", "c"), ("Partnership", "b"))])
    graph.add_node(("Person", "alone"))
    for node in graph:
        graph.nodes[node].update(id=node[1], label=node[0], name=node[1].upper(),
                                 mode="board" if node[0] == "Partnership" else "member")
    result = measures.measure(graph, graph, weighted=False)
    for sort in MetricSort:
        names = [node.name for node in ordered(result.nodes, sort)]
        if sort is MetricSort.NAME:
            assert names == ["A", "ALONE", "B", "C"]
        elif sort is MetricSort.CONSTRAINT:
            assert names[-1] == "ALONE", "an isolate's constraint is undefined: last"
        elif sort not in (MetricSort.COMMUNITY,):
            assert names[0] == "B", sort


def test_effective_size_is_burts() -> None:
    """Burt's effective size of A: for each contact j, 1 - sum over q of p_Aq m_jq. A's ties
    B (2) and C (1) give p_AB = 2/3, p_AC = 1/3; B's strongest tie is 2, C's is 3 (to D).
    B: 1 - p_AC m_BC = 1 - 1/3 x 1/2 = 5/6; C: 1 - p_AB m_CB = 1 - 2/3 x 1/3 = 7/9; 29/18 in
    all. Unweighted it is Borgatti's n - 2t/n: C has 3 contacts and 1 tie among them, 7/3."""
    graph = nx.Graph()
    graph.add_weighted_edges_from([("A", "B", 2), ("A", "C", 1), ("B", "C", 1), ("C", "D", 3)])
    graph.add_node("E")
    for node in graph:
        graph.nodes[node].update(id=node, label="Person", name=node, mode="member")
    weighted = {node.id: node for node in measures.measure(
        network.with_distances(graph), graph, weighted=True).nodes}
    unweighted = {node.id: node for node in measures.measure(graph, graph, False).nodes}
    assert weighted["A"].effective_size == pytest.approx(29 / 18)
    assert unweighted["C"].effective_size == pytest.approx(7 / 3)
    assert weighted["E"].effective_size is None, "an isolate's is undefined"
    assert nx.effective_size(graph, nodes=list(graph), weight="weight")["A"] == pytest.approx(
        29 / 18), "networkx node by node (without nodes=, and with scipy, it is not Burt's)"


def test_large_networks_sample_betweenness_as_networkx_does() -> None:
    graph = nx.relabel_nodes(nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1),
                             lambda n: ("Person", str(n)))
    for node in graph:
        graph.nodes[node].update(id=node[1], label="Person", name=node[1], mode="member")
    result = measures.measure(graph, graph, weighted=False, exact_work=100, sample=50)
    expected = nx.betweenness_centrality(graph, k=50, seed=measures.SEED)
    exact_closeness = nx.closeness_centrality(graph)
    assert result.graph.sampled_sources == 50
    for node in result.nodes:
        key = ("Person", node.id)
        assert node.betweenness == pytest.approx(expected[key])
        assert node.closeness == pytest.approx(exact_closeness[key], rel=0.15)
    again = measures.measure(graph, graph, weighted=False, exact_work=100, sample=50)
    assert again == result, "a fixed seed: the same figures every time"


def test_metrics_of_the_seed_agree_with_its_board_overlaps(seeded: Driver) -> None:
    """boardOverlaps, a separate query, gives the board-board network of the seed on a date;
    the measures of that network are networkx's."""
    as_of = "2011-01-01"
    answer = data(seeded, """query ($asOf: Date) { networkMetrics(projection: BOARD_BOARD,
        asOf: $asOf, first: 100) { totalCount graph { edges }
        nodes { id degree weightedDegree betweenness closeness } } }""",
                  asOf=as_of)["networkMetrics"]
    overlaps: list[dict] = []
    after = None
    while True:  # every page of boardOverlaps
        page = data(seeded, """query ($asOf: Date, $after: String) {
            boardOverlaps(asOf: $asOf, first: 100, after: $after) {
              pageInfo { hasNextPage endCursor }
              nodes { a { id } b { id } shared { ... on Node { id } } } } }""",
                    asOf=as_of, after=after)["boardOverlaps"]
        overlaps += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    expected = nx.Graph()
    expected.add_nodes_from(node["id"] for node in answer["nodes"])
    for pair in overlaps:
        expected.add_edge(pair["a"]["id"], pair["b"]["id"], weight=len(pair["shared"]))
    assert answer["totalCount"] == len(answer["nodes"]) == expected.number_of_nodes()
    assert answer["graph"]["edges"] == expected.number_of_edges() > 0
    betweenness = nx.betweenness_centrality(expected)
    closeness = nx.closeness_centrality(expected)
    for node in answer["nodes"]:
        assert node["degree"] == expected.degree(node["id"])
        assert node["weightedDegree"] == expected.degree(node["id"], weight="weight")
        assert node["betweenness"] == pytest.approx(betweenness[node["id"]])
        assert node["closeness"] == pytest.approx(closeness[node["id"]])


@pytest.mark.parametrize(("arguments", "message"), [
    ('area: "atlantis"', "area: no area 'atlantis'. Give an area id, such as the ids "
                         "`areas { nodes { id } }` lists."),
    ('dataset: "davis/nothing"', "dataset: no dataset 'davis/nothing' has been loaded. Give a "
                                 "dataset of `loads { dataset }`, such as "
                                 "seed/glos-prospectus-2008."),
    ("first: 500", "first: 500 is outside 1..100. Ask for at most 100 per page and follow "
                   "pageInfo.endCursor."),
])
def test_a_bad_argument_is_named(davis: Driver, arguments: str, message: str) -> None:
    answer = execute(davis, f"{{ networkMetrics({arguments}) {{ totalCount }} }}")
    assert [error.message for error in answer.errors] == [message]


def test_cli_prints_the_api_figures(davis: Driver, connection: Connection) -> None:
    def run(*args: str) -> Any:
        env = {"NEO4J_URI": connection.uri, "NEO4J_PASSWORD": connection.password,
               "COLUMNS": "200"}
        return CliRunner().invoke(app, ["metrics", *args], env=env)

    found = run("--projection", "person-person", "--weighted", "--format", "json",
                "--first", "0", "--sort", "name")
    assert found.exit_code == 0, found.output
    printed = json.loads(found.output)
    answer = data(davis, QUERY, projection="PERSON_PERSON", weighted=True)["networkMetrics"]
    assert [node["name"] for node in printed["nodes"]] == [n["name"] for n in answer["nodes"]]
    assert [node["betweenness"] for node in printed["nodes"]] == pytest.approx(
        [n["betweenness"] for n in answer["nodes"]])
    assert printed["graph"]["density"] == pytest.approx(answer["graph"]["density"])

    as_csv = run("--format", "csv", "--as-of", "2005-06-01")
    assert as_csv.exit_code == 0
    assert as_csv.output.splitlines()[0].startswith("id,label,name,mode,degree,")

    bad = run("--projection", "people")
    assert bad.exit_code == 2
    assert "'people' is not one of member-board, board-board, person-person." in bad.output


def test_dates_before_any_board_give_an_empty_network(davis: Driver) -> None:
    answer = data(davis, QUERY, projection="MEMBER_BOARD", weighted=False,
                  asOf=dt.date(1990, 1, 1).isoformat())["networkMetrics"]
    assert answer["totalCount"] == 0
    assert answer["graph"]["nodes"] == 0 and answer["graph"]["diameter"] is None
