"""Bad input: every problem reported at once, located to its cell, and nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver

from partnership_kb import loader, model
from partnership_kb.config import Connection
from partnership_kb.errors import InvalidInput

from .district_data import BASE, sheets, with_cell, with_row
from .helpers import snapshot
from .workbooks import Sheets, write_xlsx


@pytest.fixture
def loaded(graph: Driver, tmp_path: Path) -> Driver:
    """The graph holding BASE as dataset test/base."""
    loader.load(write_xlsx(tmp_path / "base.xlsx", BASE), "seed", model.default(), graph,
                dataset="test/base")
    return graph


def problems_of(driver: Driver, tmp_path: Path, data: Sheets, **options) -> list[str]:
    """Load a bad workbook; return its problems, asserting the graph did not change."""
    before = snapshot(driver)
    with pytest.raises(InvalidInput) as invalid:
        loader.load(write_xlsx(tmp_path / "bad.xlsx", data), "seed", model.default(), driver,
                    dataset="test/bad", **options)
    assert snapshot(driver) == before
    return [str(p) for p in invalid.value.problems]


def test_missing_required_column(loaded: Driver, tmp_path: Path) -> None:
    data = sheets(areas=[["id", "name", "sources"],
                         ["testshire", "Testshire", "test-return-2026#1"],
                         ["testford", "Testford", "test-return-2026#1"]])
    assert "bad.xlsx › areas › column kind: required column missing (Add a column headed " \
        "'kind'.)" in problems_of(loaded, tmp_path, data)


def test_missing_required_value(loaded: Driver, tmp_path: Path) -> None:
    data = with_row("partnerships", ["new-board", "New Board", "", "", "", "", "", "", "",
                                     "test-return-2026#2"])
    assert ("bad.xlsx › partnerships › row 4 › column kind: a value is required "
            "(Fill in the kind of this row.)") in problems_of(loaded, tmp_path, data)


def test_wrong_type(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("memberships", 2, "seats", "two")
    assert ("bad.xlsx › memberships › row 3 › column seats: 'two' is not a number (Write "
            "digits only: 2, 4.5; put any remark in a note column.)"
            in problems_of(loaded, tmp_path, data))


def test_bad_date(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("partnerships", 2, "valid_from", "31/02/2026")
    assert ("bad.xlsx › partnerships › row 3 › column valid_from: '31/02/2026' is not a date "
            "(write 31/03/2009, 2009-03-31 or 2009)") in problems_of(loaded, tmp_path, data)


def test_value_not_allowed(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("memberships", 1, "role", "boss")
    found = problems_of(loaded, tmp_path, data)
    assert found[0].startswith("bad.xlsx › memberships › row 2 › column role: 'boss' is not "
                               "allowed (use one of: member, chair, vice-chair")


def test_duplicate_id(loaded: Driver, tmp_path: Path) -> None:
    data = with_row("people", ["jo-bloggs", "Jo Bloggs Again", "test-return-2026#3"])
    assert ("bad.xlsx › people › row 3 › column id: duplicate id 'jo-bloggs' (also row 2) "
            "(Give each row its own id, or merge the two rows.)"
            in problems_of(loaded, tmp_path, data))


def test_reference_that_resolves_nowhere(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("memberships", 1, "body", "Testford Youth Board")
    assert ("bad.xlsx › memberships › row 2 › column body: no partnership with id, name or "
            "alias 'Testford Youth Board' (Add a row for it to the partnerships sheet, or correct "
            "the spelling.)") in problems_of(loaded, tmp_path, data)


def test_near_miss_suggests_the_existing_name(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("memberships", 1, "body", "Testford Leadership Grop")
    assert ("bad.xlsx › memberships › row 2 › column body: no partnership with id, name or alias "
            "'Testford Leadership Grop' (Did you mean \"Testford Leadership Group\" "
            "(testford-leadership-group)? Or add an alias to it.)"
            in problems_of(loaded, tmp_path, data))


def test_new_name_that_nearly_matches_an_existing_node_needs_allow_new(
        loaded: Driver, tmp_path: Path) -> None:
    data = with_row("organisations", ["tbc-2", "Testford Borough Counci", "", "council",
                                      "public", "", "test-return-2026#1"])
    assert ("bad.xlsx › organisations › row 5 › column name: new organisation "
            "'Testford Borough Counci' is nearly 'Testford Borough Council' "
            "(testford-borough-council) (Did you mean testford-borough-council? Use that id, or "
            "load with --allow-new if it is new.)") in problems_of(loaded, tmp_path, data)
    loader.load(write_xlsx(tmp_path / "ok.xlsx", data), "seed", model.default(), loaded,
                dataset="test/bad", allow_new=True)


def test_ambiguous_reference(loaded: Driver, tmp_path: Path) -> None:
    data = with_row("partnerships", ["tbc-forum", "TBC Forum", "forum", "", "", "", "", "", "",
                                     "test-return-2026#2"])
    data["partnerships"][-1][1] = "Testford Forum"
    data["partnerships"][0].append("aliases")
    for row in data["partnerships"][1:]:
        row.append("")
    data["partnerships"][-1][-1] = "TBC"
    data = {**data, "memberships": [*data["memberships"], ["TBC", "testford-partnership",
                                                           "member", 1, "test-return-2026#4"]]}
    found = problems_of(loaded, tmp_path, data)
    assert any(p.startswith("bad.xlsx › memberships › row 5 › column member: 'TBC' is "
                            "ambiguous: it could be") for p in found), found


def test_contradictions_are_refused(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("partnerships", 1, "valid_from", "2027")
    data["partnerships"][0].append("valid_to")
    data["partnerships"][1].append("2026")
    data["partnerships"][2].append("")
    data["accountability"].append(["Testford Leadership Group", "Testford Partnership",
                                   "annually", "reports", "test-return-2026#5"])
    found = problems_of(loaded, tmp_path, data)
    assert ("bad.xlsx › partnerships › row 2 › column valid_to: ends (2026-12-31) before it "
            "starts (2027-01-01) (Swap valid_from and valid_to, or correct one.)") in found
    assert ("bad.xlsx › accountability › row 3: says ACCOUNTABLE_TO testford-leadership-group → "
            "testford-partnership differently from accountability row 2 (Make the two rows "
            "agree, or remove one.)") in found


def test_unknown_source_document(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("people", 1, "sources", "minutes-2099#4")
    assert ("bad.xlsx › people › row 2 › column sources: 'minutes-2099#4' cites no known "
            "document ('minutes-2099') (Cite it as <source id>#<section>, adding the document "
            "to the sources sheet.)") in problems_of(loaded, tmp_path, data)


def test_every_problem_is_reported_at_once(loaded: Driver, tmp_path: Path) -> None:
    data = with_cell("memberships", 1, "role", "boss")
    data["memberships"][2][3] = "two"
    data["people"].append(["jo-bloggs", "Duplicate", "test-return-2026#3"])
    assert len(problems_of(loaded, tmp_path, data)) == 3


def test_cli_exits_2_and_reports_as_json(loaded: Driver, connection: Connection,
                                         tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", with_cell("memberships", 1, "role", "boss"))
    result = subprocess.run(
        [sys.executable, "-m", "partnership_kb", "load", str(path), "--district", "seed",
         "--format", "json"], capture_output=True, text=True, timeout=120,
        env={"NEO4J_URI": connection.uri, "NEO4J_PASSWORD": connection.password,
             "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2, result.stderr
    problems = json.loads(result.stdout)["problems"]
    assert problems[0]["sheet"] == "memberships"
    assert (problems[0]["row"], problems[0]["column"]) == (2, "role")


def test_cli_text_report_names_cell_then_says_what_to_do(loaded: Driver, connection: Connection,
                                                         tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", with_cell("memberships", 1, "role", "boss"))
    result = subprocess.run(
        [sys.executable, "-m", "partnership_kb", "load", str(path), "--district", "seed"],
        capture_output=True, text=True, timeout=120,
        env={"NEO4J_URI": connection.uri, "NEO4J_PASSWORD": connection.password,
             "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("bad.xlsx › memberships › row 2 › column role: 'boss'")
    assert lines[1:] == ["Error: 1 problem found; nothing was written.", "",
                         "Fix the cells named above and load again."]
