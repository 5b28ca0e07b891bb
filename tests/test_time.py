"""Time: a district's returns year after year. A later return ends what it no longer says
(kept, dated), `asOf` answers for any day, `changes` lists what each return changed, and
unloading the latest return restores the one before exactly."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from neo4j import Driver

from partnership_kb import loader, model
from partnership_kb.loader.write import unload

from .graphql_client import data
from .helpers import snapshot
from .workbooks import Sheets, write_xlsx

DATASET = "testford/returns"
CITED = "testford-returns#memberships"
RETURN_2024: Sheets = {
    "sources": [["id", "title"], ["testford-returns", "Testford partnership returns"]],
    "partnerships": [
        ["id", "name", "kind", "sources"],
        ["testford-board", "Testford Board", "board", CITED],
        ["testford-safety", "Testford Safety Partnership", "board", CITED],
    ],
    "posts": [
        ["id", "title", "sources"],
        ["post-a", "Leader, Testford Council", CITED],
        ["post-b", "Chief Executive, Testford Council", CITED],
        ["post-c", "Chief Inspector, Testford Police", CITED],
    ],
    "memberships": [
        ["member", "body", "role", "seats", "sources"],
        ["post-a", "testford-board", "chair", 1, CITED],
        ["post-b", "testford-board", "member", 3, CITED],
        ["post-b", "testford-safety", "member", 1, CITED],
        ["post-c", "testford-safety", "member", 1, CITED],
    ],
}


def return_2025() -> Sheets:
    """One member added (C joins the board), one ended (B leaves safety), one seat count
    changed (B's seats on the board, 3 to 2)."""
    sheets = copy.deepcopy(RETURN_2024)
    sheets["memberships"] = [
        ["member", "body", "role", "seats", "sources"],
        ["post-a", "testford-board", "chair", 1, CITED],
        ["post-b", "testford-board", "member", 2, CITED],
        ["post-c", "testford-safety", "member", 1, CITED],
        ["post-c", "testford-board", "member", 1, CITED],
    ]
    return sheets


def load(driver: Driver, tmp_path: Path, sheets: Sheets, stated_on: dt.date,
         dry_run: bool = False) -> loader.LoadReport:
    path = write_xlsx(tmp_path / f"testford-{stated_on.year}.xlsx", sheets)
    return loader.load(path, "seed", model.default(), driver, dataset=DATASET,
                       stated_on=stated_on, dry_run=dry_run)


def members(driver: Driver, body: str, as_of: str) -> dict[str, int]:
    found = data(driver, f'{{ partnership(id: "{body}") {{ members(asOf: "{as_of}") '
                         "{ seats member { ... on Node { id } } } } }")
    return {m["member"]["id"]: m["seats"] for m in found["partnership"]["members"]}


def interlocked(driver: Driver, as_of: str) -> set[str]:
    found = data(driver, f'{{ interlocks(minBoards: 2, asOf: "{as_of}", first: 100) '
                         "{ nodes { member { ... on Node { id } } } } }")
    return {i["member"]["id"] for i in found["interlocks"]["nodes"]}


def shared(driver: Driver, as_of: str) -> list[Any]:
    found = data(driver, f'{{ boardOverlaps(asOf: "{as_of}", first: 100) {{ nodes {{ '
                         "a { id } b { id } shared { ... on Node { id } } } } }")
    return [(o["a"]["id"], o["b"]["id"], sorted(s["id"] for s in o["shared"]))
            for o in found["boardOverlaps"]["nodes"]]


def test_two_returns_answer_for_each_year_and_unload_restores_the_first(
        graph: Driver, tmp_path: Path) -> None:
    load(graph, tmp_path, RETURN_2024, dt.date(2024, 4, 1))
    after_2024 = snapshot(graph)
    preview = load(graph, tmp_path, return_2025(), dt.date(2025, 4, 1), dry_run=True)
    assert snapshot(graph) == after_2024  # a dry run writes nothing...
    said = sorted(c.summary for c in preview.changes)  # ...but says what would change
    assert said == [
        "adds: Chief Inspector, Testford Police as member of Testford Board",
        "changes: Chief Executive, Testford Council as member of Testford Board: seats 3 → 2",
        "ends: Chief Executive, Testford Council as member of Testford Safety Partnership, "
        "held since 2024-04-01",
    ]
    load(graph, tmp_path, return_2025(), dt.date(2025, 4, 1))

    assert members(graph, "testford-board", "2024-07-01") == {"post-a": 1, "post-b": 2}
    assert members(graph, "testford-board", "2025-07-01") == {"post-a": 1, "post-b": 2,
                                                              "post-c": 1}
    assert members(graph, "testford-safety", "2024-07-01") == {"post-b": 1, "post-c": 1}
    assert members(graph, "testford-safety", "2025-07-01") == {"post-c": 1}
    assert members(graph, "testford-board", "2024-01-01") == {}  # before it was stated
    assert interlocked(graph, "2024-07-01") == {"post-b"}
    assert interlocked(graph, "2025-07-01") == {"post-c"}
    assert shared(graph, "2024-07-01") == [("testford-board", "testford-safety", ["post-b"])]
    assert shared(graph, "2025-07-01") == [("testford-board", "testford-safety", ["post-c"])]

    changes = data(graph, '{ changes(since: "2025-01-01") { totalCount nodes { kind subject '
                          "before after load { statedOn dataset } } } }")["changes"]
    assert changes["totalCount"] == 3
    assert sorted((c["kind"], c["subject"]) for c in changes["nodes"]) == [
        ("added", "MEMBER_OF:post-c->testford-board:member"),
        ("changed", "MEMBER_OF:post-b->testford-board:member"),
        ("ended", "MEMBER_OF:post-b->testford-safety:member"),
    ]
    assert {c["load"]["statedOn"] for c in changes["nodes"]} == {"2025-04-01"}
    ended = data(graph, '{ partnership(id: "testford-safety") { members { endedOn '
                        "inForceUntil member { ... on Node { id } } } } }")
    assert {m["member"]["id"]: m["endedOn"] for m in ended["partnership"]["members"]} == \
        {"post-b": "2025-04-01", "post-c": None}

    unload(graph, DATASET, model.default())
    assert snapshot(graph) == after_2024
    assert interlocked(graph, "2025-07-01") == {"post-b"}


def test_proposed_facts_are_never_in_force(graph: Driver, tmp_path: Path) -> None:
    sheets = copy.deepcopy(RETURN_2024)
    sheets["memberships"][1] = ["post-a", "testford-board", "chair", 1, CITED]
    sheets["memberships"].append(["post-c", "testford-board", "member", 1, CITED])
    sheets["memberships"][0] = [*sheets["memberships"][0][:4], "status", "sources"]
    for row in sheets["memberships"][1:]:
        row.insert(4, "proposed" if row[0] == "post-c" and row[1] == "testford-board"
                   else "current")
    load(graph, tmp_path, sheets, dt.date(2024, 4, 1))
    assert "post-c" not in members(graph, "testford-board", "2030-01-01")
    everything = data(graph, '{ partnership(id: "testford-board") { members { status '
                             "inForceFrom member { ... on Node { id } } } } }")
    proposed = [m for m in everything["partnership"]["members"] if m["status"] == "proposed"]
    assert [(m["member"]["id"], m["inForceFrom"]) for m in proposed] == [("post-c", None)]


def test_valid_dates_bound_what_is_in_force(graph: Driver, tmp_path: Path) -> None:
    sheets = copy.deepcopy(RETURN_2024)
    sheets["memberships"] = [
        ["member", "body", "role", "valid_from", "valid_to", "sources"],
        ["post-a", "testford-board", "member", "", "31/12/2009", CITED],
        ["post-b", "testford-board", "chair", "2010", "", CITED],
    ]
    load(graph, tmp_path, sheets, dt.date(2008, 1, 1))
    assert members(graph, "testford-board", "2009-06-01") == {"post-a": 1}
    assert members(graph, "testford-board", "2011-01-01") == {"post-b": 1}
    assert members(graph, "testford-board", "2007-06-01") == {}  # before it was stated
