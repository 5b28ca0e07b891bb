"""Datasets: loading twice changes nothing; a reload or unload touches only its own facts."""

from __future__ import annotations

import copy
from pathlib import Path

from neo4j import Driver

from partnership_kb import loader, model
from partnership_kb.loader.write import unload

from .district_data import BASE
from .helpers import rows, snapshot, value
from .workbooks import Sheets, write_xlsx

# A second district return that shares two facts with BASE: the council and its chief
# executive's post (the same ids, cited from a different document).
OTHER: Sheets = {
    "sources": [["id", "title"], ["other-return", "Another return"]],
    "organisations": [
        ["id", "name", "kind", "sources"],
        ["testford-borough-council", "Testford Borough Council", "council", "other-return#1"],
    ],
    "partnerships": [
        ["id", "name", "kind", "sources"],
        ["testford-safety-board", "Testford Safety Board", "board", "other-return#2"],
    ],
    "posts": [
        ["id", "title", "post_in", "sources"],
        ["chief-executive-testford-borough-council", "Chief Executive, Testford Borough Council",
         "testford-borough-council", "other-return#3"],
    ],
    "memberships": [
        ["member", "body", "role", "sources"],
        ["chief-executive-testford-borough-council", "testford-safety-board", "chair",
         "other-return#4"],
    ],
}


def load(driver: Driver, tmp_path: Path, data: Sheets, dataset: str):
    path = write_xlsx(tmp_path / f"{dataset.replace('/', '-')}.xlsx", data)
    return loader.load(path, "seed", model.default(), driver, dataset=dataset)


def test_loading_the_same_file_twice_changes_nothing(graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, BASE, "test/base")
    once = snapshot(graph)
    report = load(graph, tmp_path, BASE, "test/base")
    assert snapshot(graph) == once
    assert report.counts.nodes_created == report.counts.nodes_deleted == 0


def test_reload_replaces_only_that_datasets_facts(graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, OTHER, "test/other")
    load(graph, tmp_path, BASE, "test/base")
    changed = copy.deepcopy(BASE)
    changed["people"] = changed["people"][:1]  # Jo Bloggs no longer listed...
    changed["holdings"] = changed["holdings"][:1]
    changed["organisations"] = [r for r in changed["organisations"]
                                if r[0] != "testford-borough-council"]  # ...nor the council
    changed["posts"][1][2] = "testford-vcs"  # the chief executive's post no longer says where
    changed["partnerships"][2][5] = "monthly"  # the group now meets monthly
    load(graph, tmp_path, changed, "test/base")

    assert value(graph, "MATCH (p:Person) RETURN count(p)") == 0
    council = rows(graph, "MATCH (o:Organisation {id: 'testford-borough-council'}) "
                          "RETURN o.datasets AS datasets, o.sources AS sources")
    assert council == [{"datasets": ["test/other"], "sources": ["other-return#1"]}]
    assert value(graph, "MATCH (b:Partnership {id: 'testford-leadership-group'}) "
                        "RETURN b.meetingFrequency") == "monthly"
    assert value(graph, "MATCH (:Post {id: 'chief-executive-testford-borough-council'})"
                        "-[:MEMBER_OF]->(b) RETURN collect(b.id) AS bodies ORDER BY bodies") \
        == ["testford-leadership-group", "testford-safety-board"]


def test_unload_leaves_exactly_what_other_datasets_say(graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, OTHER, "test/other")
    only_other = snapshot(graph)
    load(graph, tmp_path, BASE, "test/base")
    assert snapshot(graph) != only_other
    unload(graph, "test/base", model.default())
    assert snapshot(graph) == only_other


def test_shared_facts_carry_both_datasets_citations(graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, OTHER, "test/other")
    load(graph, tmp_path, BASE, "test/base")
    post = rows(graph, "MATCH (p:Post {id: 'chief-executive-testford-borough-council'}) "
                       "RETURN p.datasets AS datasets, p.sources AS sources")[0]
    assert post == {"datasets": ["test/base", "test/other"],
                    "sources": ["other-return#3", "test-return-2026#3"]}


def test_dry_run_previews_and_writes_nothing(graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, OTHER, "test/other")
    before = snapshot(graph)
    path = write_xlsx(tmp_path / "base.xlsx", BASE)
    report = loader.load(path, "seed", model.default(), graph, dataset="test/base",
                         dry_run=True)
    assert snapshot(graph) == before
    assert report.preview["Organisation"] == {"create": 2, "update": 1, "remove": 0}
    assert report.preview["Person"] == {"create": 1, "update": 0, "remove": 0}


def test_dry_run_counts_what_a_return_drops_that_only_its_dataset_held(
        graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, OTHER, "test/other")
    load(graph, tmp_path, BASE, "test/base")  # the council and its post are also BASE's
    without_board = copy.deepcopy(OTHER)
    del without_board["partnerships"][1]
    del without_board["memberships"][1]
    path = write_xlsx(tmp_path / "other.xlsx", without_board)
    report = loader.load(path, "seed", model.default(), graph, dataset="test/other",
                         dry_run=True)
    assert report.preview["Partnership"] == {"create": 0, "update": 0, "remove": 1}
    assert report.preview["Organisation"] == {"create": 0, "update": 1, "remove": 0}


def test_aliases_are_the_union_of_what_each_dataset_says(graph: Driver, tmp_path: Path) -> None:
    other = copy.deepcopy(OTHER)
    other["organisations"][0].insert(2, "aliases")
    other["organisations"][1].insert(2, "Testford BC; TBC")
    load(graph, tmp_path, other, "test/other")
    load(graph, tmp_path, BASE, "test/base")
    aliases = "MATCH (o:Organisation {id: 'testford-borough-council'}) RETURN o.aliases"
    assert value(graph, aliases) == ["TBC", "Testford BC"]
    unload(graph, "test/other", model.default())
    assert value(graph, aliases) == ["TBC"]
