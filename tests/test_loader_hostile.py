"""Hostile and careless input (issue 11): each bad file is refused before anything is written,
located to file › sheet › row › column with a fix, with exit status 2 (3 when Neo4j is
unavailable), never a traceback, and the whole graph exactly as it was."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from neo4j import Driver

from partnership_kb import cli, loader, model
from partnership_kb.config import Connection
from partnership_kb.errors import InvalidInput
from partnership_kb.loader import read

from .district_data import BASE, with_cell, with_row
from .helpers import rows, snapshot, value
from .tcp_proxy import CuttableProxy
from .workbooks import Sheets, write_csv_folder, write_ods, write_xlsx


@pytest.fixture
def loaded(graph: Driver, tmp_path: Path) -> Driver:
    """The graph holding BASE as dataset test/base."""
    loader.load(write_xlsx(tmp_path / "base.xlsx", BASE), "seed", model.default(), graph,
                dataset="test/base")
    return graph


def pkb(connection: Connection, *args: str, uri: str = "") -> subprocess.CompletedProcess[str]:
    return pkb_measured(connection, *args, uri=uri)[0]


def pkb_measured(connection: Connection, *args: str,
                 uri: str = "") -> tuple[subprocess.CompletedProcess[str], int]:
    """Run the CLI; its result and its own peak memory in KB. Measured with wait4 on this one
    child, because RUSAGE_CHILDREN also holds every earlier child of the test session (on a
    fresh machine, the Maven run that fetched Neo4j)."""
    env = {**os.environ, "NEO4J_URI": uri or connection.uri,
           "NEO4J_PASSWORD": connection.password}
    command = [sys.executable, "-m", "partnership_kb", *args]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (subprocess.CompletedProcess(command, child.returncode, out.read(), err.read()),
                usage.ru_maxrss)


def refused(driver: Driver, connection: Connection, path: Path, *options: str,
            district: str = "seed") -> list[dict[str, Any]]:
    """Load a bad file through the CLI with --format json: exit 2, no traceback, the graph
    unchanged; the problems reported."""
    return refused_measured(driver, connection, path, *options, district=district)[0]


def refused_measured(driver: Driver, connection: Connection, path: Path, *options: str,
                     district: str = "seed") -> tuple[list[dict[str, Any]], int]:
    """As refused, with the CLI's peak memory in KB."""
    before = snapshot(driver)
    result, peak_kb = pkb_measured(connection, "load", str(path), "--district", district,
                                   "--format", "json", *options)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(driver) == before
    found: list[dict[str, Any]] = json.loads(result.stdout)["problems"]
    assert found and all(p["message"] for p in found)
    return found, peak_kb


def problems_of(driver: Driver, path: Path, district: str = "seed",
                **options: Any) -> list[str]:
    """Load a bad file in-process: refused, the graph unchanged; the problems as lines."""
    before = snapshot(driver)
    with pytest.raises(InvalidInput) as invalid:
        loader.load(path, district, model.default(), driver, dataset="test/bad", **options)
    assert snapshot(driver) == before
    return [str(p) for p in invalid.value.problems]


def where(problem: dict[str, Any]) -> tuple[Any, ...]:
    return problem["file"], problem["sheet"], problem["row"], problem["column"]


# --- numbers -------------------------------------------------------------------------------

@pytest.mark.parametrize("seats, message, hint", [
    (-3, "-3 is out of range", "Write a number from 0 to 500."),
    ("1e20", "1e20 is out of range", "Write a number from 0 to 500."),
    ("2 (plus officer)", "'2 (plus officer)' is not a number",
     "Write digits only: 2, 4.5; put any remark in a note column."),
])
def test_seats_out_of_range_or_not_a_number(loaded: Driver, connection: Connection,
                                            tmp_path: Path, seats: Any, message: str,
                                            hint: str) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", with_cell("memberships", 1, "seats", seats))
    found = refused(loaded, connection, path)
    assert found == [{"file": "bad.xlsx", "sheet": "memberships", "row": 2, "column": "seats",
                      "message": message, "hint": hint}]


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e400", "400"])
def test_meetings_per_year_must_be_finite_and_within_a_year(loaded: Driver, tmp_path: Path,
                                                            cell: str) -> None:
    data = with_cell("partnerships", 1, "meetings per year", cell)
    found = problems_of(loaded, write_csv_folder(tmp_path / "bad", data))
    assert len(found) == 1
    assert found[0].startswith("bad/partnerships.csv › partnerships › row 2 › column "
                               "meetings_per_year: "), found


# --- dates ---------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, message", [
    (5, "'5' is a number, not a date"),
    (99_999_999, "'99999999' is a number, not a date"),
    ("1850-01-01", "1850-01-01 is not between 1900 and 2100"),
    ("2500", "'2500' is not a date between 1900 and 2100"),
])
def test_dates_within_1900_to_2100_and_no_bare_small_numbers(
        loaded: Driver, connection: Connection, tmp_path: Path, cell: Any, message: str) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", with_cell("partnerships", 1, "valid_from", cell))
    found = refused(loaded, connection, path, "--dry-run")
    assert [(where(p), p["message"]) for p in found] == [
        (("bad.xlsx", "partnerships", 2, "valid_from"), message)]


# --- text ----------------------------------------------------------------------------------

def test_control_characters_are_refused(loaded: Driver, tmp_path: Path) -> None:
    data = with_row("people", ["ann-other", "Ann\x00 Other", "test-return-2026#3"])
    data["people"].append(["bidi", "Ann \u202eOther", "test-return-2026#3"])
    found = problems_of(loaded, write_csv_folder(tmp_path / "bad", data))
    assert found[0].startswith("bad/people.csv › people › row 3 › column name: holds the "
                               "control character U+0000 at character 4 (Retype the cell")
    assert "holds the control character U+202E" in found[1]


def test_text_is_stored_nfc_normalised(graph: Driver, tmp_path: Path) -> None:
    data = with_cell("people", 1, "name", "Jo Blo\u0308ggs")  # o + combining diaeresis
    data["holdings"][1][0] = "jo-bloggs"
    loader.load(write_xlsx(tmp_path / "ok.xlsx", data), "seed", model.default(), graph)
    assert value(graph, "MATCH (p:Person {id: 'jo-bloggs'}) RETURN p.name") == "Jo Bl\u00f6ggs"


def test_long_ids_and_names_are_refused_before_the_write(loaded: Driver, connection: Connection,
                                                         tmp_path: Path) -> None:
    data = with_row("people", ["x" * 10_000, "Ann Other", "test-return-2026#3"])
    data["people"].append(["ann-long", "A" * 600, "test-return-2026#3"])
    path = write_xlsx(tmp_path / "bad.xlsx", data)
    for dry in ((), ("--dry-run",)):  # the same check, with or without writing
        found = refused(loaded, connection, path, *dry)
        assert [(where(p), p["message"]) for p in found] == [
            (("bad.xlsx", "people", 3, "id"),
             "the id is 10,000 bytes long, over the limit of 200"),
            (("bad.xlsx", "people", 4, "name"), "is 600 characters long, over the limit of 500")]


def test_formula_like_cells_are_text_and_escaped_in_csv_output(graph: Driver, tmp_path: Path,
                                                               connection: Connection) -> None:
    data = with_cell("people", 1, "name", "=HYPERLINK(\"http://x\",\"Jo\")")
    data["holdings"][1][0] = "jo-bloggs"
    loader.load(write_csv_folder(tmp_path / "ok", data), "seed", model.default(), graph)
    assert value(graph, "MATCH (p:Person {id: 'jo-bloggs'}) RETURN p.name") == \
        "=HYPERLINK(\"http://x\",\"Jo\")"
    result = pkb(connection, "query", "node_by_id", "--param", "id=jo-bloggs", "--csv")
    assert result.returncode == 0, result.stderr
    assert "'=HYPERLINK" in result.stdout
    assert [cli.csv_safe(v) for v in ("+44 1", "-x", "@SUM(A1)", "ok", -3, 2.5)] == \
        ["'+44 1", "'-x", "'@SUM(A1)", "ok", "-3", "2.5"]


# --- files ---------------------------------------------------------------------------------

def test_csv_mixing_utf8_and_windows_1252_is_refused_at_the_bad_line(
        loaded: Driver, connection: Connection, tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "bad", with_cell("people", 1, "name", "Café Owner"))
    people = folder / "people.csv"
    people.write_bytes(people.read_bytes() + "ann,Ann Caf\u00e9,\r\n".encode("cp1252"))
    found = refused(loaded, connection, folder)
    assert [(where(p), p["message"]) for p in found] == [
        (("bad/people.csv", "people", 3, None),
         "byte 0xe9 on line 3 is not UTF-8: the file mixes encodings")]


def test_utf16_csv_with_a_bom_is_read(graph: Driver, tmp_path: Path) -> None:
    data = with_cell("people", 1, "name", "Jo Blöggs")
    data["holdings"][1][0] = "jo-bloggs"
    folder = write_csv_folder(tmp_path / "ok", data)
    for path in folder.iterdir():
        path.write_bytes(codecs.BOM_UTF16_LE + path.read_text("utf-8").encode("utf-16-le"))
    loader.load(folder, "seed", model.default(), graph, dataset="test/utf16")
    assert value(graph, "MATCH (p:Person {id: 'jo-bloggs'}) RETURN p.name") == "Jo Blöggs"


def test_utf16_without_a_bom_is_refused(loaded: Driver, tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "bad", BASE)
    (folder / "people.csv").write_bytes((folder / "people.csv").read_text().encode("utf-16-le"))
    assert problems_of(loaded, folder) == [
        "bad/people.csv › people: it looks like UTF-16 without a byte order mark (Save it as "
        "'CSV UTF-8' (Excel) or 'Text CSV' with UTF-8 (LibreOffice).)"]


def test_a_17_billion_cell_workbook_is_refused_before_reading(
        loaded: Driver, connection: Connection, tmp_path: Path) -> None:
    small = write_xlsx(tmp_path / "small.xlsx", {"people": BASE["people"]})
    huge = tmp_path / "huge.xlsx"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" '
                                    b't="inlineStr"><is><t>x</t></is></c></row></sheetData>')
            out.writestr(name, data)
    assert huge.stat().st_size < 10_000
    found = refused(loaded, connection, huge)
    assert [(where(p), p["message"]) for p in found] == [
        (("huge.xlsx", "people", None, None), "the sheet has a cell at row 1,048,576, "
         "column 16,384, over the loader's budget (500,000 rows, 500 columns, 5,000,000 cells)")]


def test_an_ods_repeating_a_cell_a_billion_times_is_refused_before_reading(
        loaded: Driver, tmp_path: Path) -> None:
    small = write_ods(tmp_path / "small.ods", {"people": BASE["people"]})
    bomb = tmp_path / "bomb.ods"
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "content.xml":
                data = data.replace(b"<table:table-row>", b'<table:table-row '
                                    b'table:number-rows-repeated="6000">', 1).replace(
                    b"<table:table-cell ", b'<table:table-cell '
                    b'table:number-columns-repeated="16384" ', 1)
            out.writestr(name, data)
    assert problems_of(loaded, bomb)[0].startswith(
        "bomb.ods › people: the sheet has a cell at row 6,001, column 16,386, over the "
        "loader's budget")


def test_a_csv_over_the_row_budget_is_refused(loaded: Driver, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_ROWS", 3)
    found = problems_of(loaded, write_csv_folder(tmp_path / "bad", BASE))
    assert found[0].startswith("bad/memberships.csv › memberships: the sheet goes past row 3")


def test_unreadable_file_is_located_json_with_exit_2(loaded: Driver, connection: Connection,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "return.pdf"
    path.write_text("not a spreadsheet")
    found = refused(loaded, connection, path)
    assert (where(found[0]), found[0]["message"]) == (
        ("return.pdf", "", None, None), ".pdf is not a spreadsheet")


def test_a_binary_xls_is_refused_before_reading(loaded: Driver, tmp_path: Path) -> None:
    path = tmp_path / "return.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)  # an OLE2 header
    assert problems_of(loaded, path) == [
        "return.xls: Excel 97-2003 .xls files are not read (their size cannot be checked "
        "before reading them) (Save it again from Excel or LibreOffice as .xlsx or .ods.)"]


# --- ids and names -------------------------------------------------------------------------

@pytest.mark.parametrize("option", [("--district", "../../x"), ("--dataset", "../../etc"),
                                    ("--dataset", "x/[/i]"), ("--district", "Cheltenham")])
def test_district_and_dataset_ids_are_never_paths(loaded: Driver, connection: Connection,
                                                  tmp_path: Path, option: tuple[str, str]) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", BASE)
    district = option[1] if option[0] == "--district" else "seed"
    extra = option if option[0] == "--dataset" else ()
    found = refused(loaded, connection, path, *extra, district=district)
    assert [(p["file"], p["message"]) for p in found] == [
        (option[0], f"{option[1]!r} is not a {option[0][2:]} id")]


def test_the_same_new_name_twice_is_refused(loaded: Driver, connection: Connection,
                                            tmp_path: Path) -> None:
    data = with_row("partnerships", ["new-board", "Youth Board", "board", "", "", "", "", "",
                                     "", "test-return-2026#2"])
    data["partnerships"].append(["new-board-2", "YOUTH  board", "board", "", "", "", "", "", "",
                                 "test-return-2026#2"])
    found = refused(loaded, connection, write_xlsx(tmp_path / "bad.xlsx", data))
    assert [(where(p), p["message"]) for p in found] == [
        (("bad.xlsx", "partnerships", 5, "name"),
         "'YOUTH  board' is also the name of row 4 (new-board)")]


def test_names_without_latin_letters_are_told_apart(graph: Driver, tmp_path: Path) -> None:
    data = with_row("people", ["ivan", "Иван Петров", "test-return-2026#3"])
    data["people"].append(["olga", "Ольга Смирнова", "test-return-2026#3"])
    data["memberships"].append(["Иван Петров", "Testford Partnership", "member", 1,
                                "test-return-2026#4"])
    data["memberships"].append(["ОЛЬГА СМИРНОВА", "Testford Partnership", "member", 1,
                                "test-return-2026#4"])
    loader.load(write_xlsx(tmp_path / "ok.xlsx", data), "seed", model.default(), graph)
    assert rows(graph, "MATCH (p:Person)-[:MEMBER_OF]->(:Partnership {id: "
                       "'testford-partnership'}) RETURN p.id AS id ORDER BY id") == [
        {"id": "ivan"}, {"id": "olga"}]


def test_a_lookalike_in_another_script_is_a_near_miss(loaded: Driver, tmp_path: Path) -> None:
    lookalike = "T\u0435stford Leadership Group"  # a Cyrillic е
    found = problems_of(loaded, write_xlsx(tmp_path / "bad.xlsx", with_cell(
        "memberships", 1, "body", lookalike)))
    assert found == [
        f"bad.xlsx › memberships › row 2 › column body: no partnership with id, name or alias "
        f"{lookalike!r} (Did you mean \"Testford Leadership Group\" (testford-leadership-group)?"
        f" Or add an alias to it.)"]
    new = with_row("organisations", ["tbc-2", "T\u0435stford Borough Council", "", "council",
                                     "public", "", "test-return-2026#1"])
    assert "is nearly 'Testford Borough Council'" in problems_of(
        loaded, write_xlsx(tmp_path / "bad2.xlsx", new))[0]


# --- root cause first ----------------------------------------------------------------------

def test_a_missing_required_column_hides_the_errors_it_causes(loaded: Driver,
                                                              tmp_path: Path) -> None:
    people = [["id", "sources"], *([f"person-{i}", "test-return-2026#3"] for i in range(5))]
    memberships = [["member", "body", "role", "sources"],
                   *([f"person-{i}", "Testford Partnership", "member", "test-return-2026#4"]
                     for i in range(5))]
    memberships[1][2] = "boss"
    data = {**BASE, "people": people, "memberships": memberships}
    del data["holdings"]
    found = problems_of(loaded, write_xlsx(tmp_path / "bad.xlsx", data))
    assert found[0] == ("bad.xlsx › people › column name: required column missing (Add a "
                        "column headed 'name'.)")
    assert len(found) == 2 and found[1].startswith("bad.xlsx › memberships › row 2 › column "
                                                   "role: 'boss' is not allowed")


def test_an_unknown_name_is_reported_once_with_the_rows_using_it(loaded: Driver,
                                                                  tmp_path: Path) -> None:
    data = {**BASE, "Memberships": [["member", "body", "sources"],
                                *(["Evelyn Jefferson", "Testford Partnership", ""]
                                  for _ in range(14))]}
    del data["memberships"]
    assert problems_of(loaded, write_xlsx(tmp_path / "bad.xlsx", data)) == [
        "bad.xlsx › Memberships › row 2 › column member: no person or post or organisation or "
        "partnership with id, name or alias 'Evelyn Jefferson', used 14 times: Memberships rows "
        "2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 4 more (Add a row for it to the people or posts "
        "or organisations or partnerships sheet, or correct the spelling.)"]


def test_twenty_thousand_problems_are_reported_in_little_memory(
        loaded: Driver, connection: Connection, tmp_path: Path) -> None:
    data = {**BASE, "memberships": [["member", "body", "role", "seats"],
                                    *([f"Nobody {i}", "Testford Partnership", "boss", "x"]
                                      for i in range(20_000))]}
    found, peak_kb = refused_measured(loaded, connection,
                                      write_xlsx(tmp_path / "flood.xlsx", data), "--dry-run")
    assert len(found) == 60_000
    assert peak_kb < 500_000


# --- failures that are not the file's ------------------------------------------------------

def test_database_unavailable_is_exit_3_located(connection: Connection, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ok.xlsx", BASE)
    result = pkb(connection, "load", str(path), "-d", "seed", "--format", "json",
                 uri="bolt://127.0.0.1:1")
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    report = json.loads(result.stdout)
    assert report["problems"][0]["file"] == "ok.xlsx"
    assert report["problems"][0]["message"].startswith("Cannot reach Neo4j at bolt://127.0.0.1:1")


def test_a_connection_lost_mid_load_is_exit_3_and_writes_nothing(
        graph: Driver, connection: Connection, tmp_path: Path) -> None:
    posts = [["id", "title"]] + [[f"post-{i}", f"Post {i}"] for i in range(20_000)]
    members = [["member", "body", "role"]] + [[f"post-{i}", "big-board", "member"]
                                              for i in range(20_000)]
    big = write_csv_folder(tmp_path / "big", {
        "partnerships": [["id", "name", "kind"], ["big-board", "Big Board", "board"]],
        "posts": posts, "memberships": members})
    before = snapshot(graph)
    target = urlparse(connection.uri)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 7687,
                          cut_after=400_000)
    try:
        result = pkb(connection, "load", str(big), "-d", "seed",
                     uri=f"bolt://127.0.0.1:{proxy.port}")
    finally:
        proxy.close()
    assert proxy.cut.is_set()
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("big: lost Neo4j"), result.stderr
    assert snapshot(graph) == before


def test_an_unexpected_fault_is_one_line_not_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_load_with_progress", broken)
    monkeypatch.setattr(cli, "driver_for", lambda **_: _NoDriver())
    monkeypatch.setattr(sys, "argv", ["pkb", "load", str(tmp_path / "x.xlsx"), "-d", "seed",
                                      "--format", "json"])
    monkeypatch.setitem(cli.CONTEXT, "format", "text")
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["problems"][0]["file"] == "x.xlsx"
    assert report["error"]["message"].endswith("RuntimeError: boom")
    assert "Traceback" in Path(report["error"]["hint"].rsplit(" ", 1)[-1].rstrip(".")).read_text()


class _NoDriver:
    def __enter__(self) -> tuple[None, None]:
        return None, None

    def __exit__(self, *exc: Any) -> None:
        return None


def test_names_with_markup_are_printed_as_they_are(graph: Driver, connection: Connection,
                                                   tmp_path: Path) -> None:
    data: Sheets = {**BASE, "[/i] notes [bold]": [["a"], ["b"]]}
    path = write_ods(tmp_path / "[i]return.ods", data)
    result = pkb(connection, "load", str(path), "-d", "seed", "--dataset", "test/markup")
    assert result.returncode == 0, result.stderr
    assert "[/i] notes [bold]: not a sheet of the model" in result.stderr
    assert "Loaded" in result.stdout


# --- a new district ------------------------------------------------------------------------

def attendance(people: list[str], seats: dict[str, int] | None = None) -> Sheets:
    """A plain return of a new district: names only, no ids, no sources, no mapping."""
    seats = seats or {}
    return {
        "Partnerships": [["Name", "Kind", "Meetings per year"],
                         ["Newtown Partnership Board", "board", 4]],
        "People": [["Name"], *([name] for name in people)],
        "Memberships": [["Member", "Body", "Seats"],
                        *([name, "Newtown Partnership Board", seats.get(name, 1)]
                          for name in people)],
    }


def test_a_new_district_loads_names_only_then_a_corrected_return(
        graph: Driver, connection: Connection, tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "newtown-2025.xlsx",
                       attendance(["Evelyn Jefferson", "Laura Mandeville", "Иван Петров"]))
    result = pkb(connection, "load", str(first), "-d", "newtown", "--dataset",
                 "newtown/returns", "--stated-on", "2025-04-01")
    assert result.returncode == 0, result.stderr
    assert rows(graph, "MATCH (p:Person)-[m:MEMBER_OF]->(b:Partnership) RETURN p.id AS person, "
                       "b.id AS body ORDER BY person") == [
        {"person": "newtown-evelyn-jefferson", "body": "newtown-newtown-partnership-board"},
        {"person": "newtown-laura-mandeville", "body": "newtown-newtown-partnership-board"},
        {"person": "newtown-иван-петров", "body": "newtown-newtown-partnership-board"}]

    # The next year's return: one left, one joined, a typo of a name already held is asked
    # about, and once corrected the same names are the same nodes.
    people = ["Evelyn Jeferson", "Иван Петров", "Brenda Rogers"]
    typo = write_xlsx(tmp_path / "newtown-2026.xlsx", attendance(people, {"Иван Петров": 2}))
    found = refused(graph, connection, typo, "--dataset", "newtown/returns", "--stated-on",
                    "2026-04-01", district="newtown")
    assert [(where(p), p["hint"]) for p in found] == [
        (("newtown-2026.xlsx", "People", 2, "name"), "Did you mean newtown-evelyn-jefferson? "
         "Write that name, or load with --allow-new if it is new.")]
    people[0] = "Evelyn Jefferson"
    fixed = write_xlsx(tmp_path / "newtown-2026.xlsx", attendance(people, {"Иван Петров": 2}))
    result = pkb(connection, "load", str(fixed), "-d", "newtown", "--dataset",
                 "newtown/returns", "--stated-on", "2026-04-01")
    assert result.returncode == 0, result.stderr
    held = rows(graph, "MATCH (p:Person)-[m:MEMBER_OF]->(:Partnership) RETURN p.id AS person, "
                       "m.seats AS seats, m.endedOn AS ended ORDER BY person")
    assert [(r["person"], r["seats"], r["ended"] and r["ended"].to_native()) for r in held] == [
        ("newtown-brenda-rogers", 1, None),
        ("newtown-evelyn-jefferson", 1, None),
        ("newtown-laura-mandeville", 1, dt.date(2026, 4, 1)),
        ("newtown-иван-петров", 2, None)]


def test_a_row_without_an_id_is_the_node_of_its_name_or_alias(loaded: Driver,
                                                               tmp_path: Path) -> None:
    data: Sheets = {"organisations": [["name", "kind"], ["TBC", "council"],
                                      ["TESTFORD voluntary & community sector", "sector"]]}
    count = value(loaded, "MATCH (o:Organisation) RETURN count(o)")
    loader.load(write_xlsx(tmp_path / "newtown.xlsx", data), "newtown", model.default(), loaded)
    assert value(loaded, "MATCH (o:Organisation) RETURN count(o)") == count
    assert rows(loaded, "MATCH (o:Organisation {id: 'testford-borough-council'}) "
                        "RETURN o.name AS name, o.aliases AS aliases") == [
        {"name": "Testford Borough Council", "aliases": ["TBC"]}]


@pytest.mark.parametrize("text, where", [
    ("sheets: [unclosed\n", "not valid YAML"),
    ("- just\n- a list\n", "a mapping file is a YAML mapping"),
    ("columns:\n  people: 5\n", "columns: not a mapping"),
    ("confirmed_new: one-id\n", "confirmed_new: not a list"),
    ("sheets:\n  Folk: personnel\n", "no sheet 'personnel'"),
])
def test_a_broken_district_mapping_is_bad_input(loaded: Driver, connection: Connection,
                                                tmp_path: Path, text: str, where: str) -> None:
    home = tmp_path / "home"
    (home / "loaders").mkdir(parents=True)
    for part in ("schema", "queries"):
        (home / part).symlink_to(Path(__file__).parents[1] / part)
    (home / "loaders" / "broken.yaml").write_text(text)
    before = snapshot(loaded)
    result = subprocess.run(
        [sys.executable, "-m", "partnership_kb", "load",
         str(write_xlsx(tmp_path / "r.xlsx", BASE)), "--district", "broken", "--format", "json"],
        capture_output=True, text=True, timeout=180,
        env={**os.environ, "PKB_HOME": str(home), "NEO4J_URI": connection.uri,
             "NEO4J_PASSWORD": connection.password})
    assert result.returncode == 2, result
    error = json.loads(result.stdout)["error"]
    assert "broken.yaml" in error["message"] and where in error["message"], error
    assert error["hint"] and "Traceback" not in result.stderr
    assert snapshot(loaded) == before


def test_a_usage_mistake_is_json_when_json_is_asked(connection: Connection) -> None:
    result = pkb(connection, "load", "--format", "json", "--no-such-option", "x")
    assert result.returncode == 2
    assert "no-such-option" in json.loads(result.stdout)["error"]["message"]
