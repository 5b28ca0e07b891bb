"""Real files load: xlsx, ods and CSV folders, with the quirks hand-typed files have."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from neo4j import Driver

from partnership_kb import loader, model
from partnership_kb.loader import read

from .district_data import BASE, with_cell
from .helpers import rows, snapshot, value
from .workbooks import write_csv_folder, write_ods, write_xlsx


def load(driver: Driver, path: Path, **options):
    return loader.load(path, "seed", model.default(), driver, dataset="test/return", **options)


def assert_district_graph(driver: Driver) -> None:
    """What BASE says, as the graph should hold it."""
    chair = rows(driver, "MATCH (p:Post)-[m:MEMBER_OF]->(b:Partnership {id: $body}) "
                         "RETURN p.id AS post, m.role AS role, m.seats AS seats ORDER BY post",
                 body="testford-leadership-group")
    assert chair == [
        {"post": "chief-executive-testford-borough-council", "role": "chair", "seats": 1},
        {"post": "vcs-representative-testford", "role": "member", "seats": 2},
    ]
    group = rows(driver, "MATCH (b:Partnership {id: $id}) RETURN b.meetingsPerYear AS perYear, "
                         "b.validFrom AS since, b.status AS status", id="testford-leadership-group")
    assert group[0]["perYear"] == 4.0
    assert group[0]["since"].to_native() == dt.date(2026, 4, 1)
    assert group[0]["status"] == "proposed"
    assert value(driver, "MATCH (:Organisation {id: 'testshire-health'})-[m:MEMBER_OF]->"
                         "(:Partnership) RETURN m.seats") == 1
    assert value(driver, "MATCH (:Partnership {id: 'testford-leadership-group'})"
                         "-[a:ACCOUNTABLE_TO]->(:Partnership {id: 'testford-partnership'}) "
                         "RETURN a.frequency") == "6-monthly"
    assert value(driver, "MATCH (:Person {id: 'jo-bloggs'})-[h:HOLDS]->(:Post) "
                         "RETURN h.validFrom").to_native() == dt.date(2025, 1, 1)


def test_xlsx_workbook_loads(graph: Driver, tmp_path: Path) -> None:
    load(graph, write_xlsx(tmp_path / "return.xlsx", BASE))
    assert_district_graph(graph)


def test_ods_workbook_loads_to_the_same_graph(graph: Driver, tmp_path: Path) -> None:
    load(graph, write_xlsx(tmp_path / "return.xlsx", BASE))
    from_xlsx = snapshot(graph)
    graph.execute_query("MATCH (n) DETACH DELETE n")
    load(graph, write_ods(tmp_path / "return.ods", BASE))
    assert snapshot(graph) == from_xlsx


@pytest.mark.parametrize("encoding, bom, delimiter", [
    ("utf-8", True, ","), ("cp1252", False, ","), ("utf-8", False, ";")])
def test_csv_folder_loads_whatever_excel_saved(graph: Driver, tmp_path: Path, encoding: str,
                                               bom: bool, delimiter: str) -> None:
    data = with_cell("people", 1, "name", "Jo Blöggs – Café")
    data["holdings"][1][0] = "jo-bloggs"
    load(graph, write_csv_folder(tmp_path / "return", data, encoding, bom, delimiter))
    assert_district_graph(graph)
    assert value(graph, "MATCH (p:Person {id: 'jo-bloggs'}) RETURN p.name") == "Jo Blöggs – Café"


def test_excel_serial_and_uk_text_dates(graph: Driver, tmp_path: Path) -> None:
    data = with_cell("partnerships", 2, "valid_from", 46113)  # 2026-04-01 as an Excel serial
    data["holdings"][1][2] = "15/06/2025"
    load(graph, write_xlsx(tmp_path / "return.xlsx", data))
    assert value(graph, "MATCH (b:Partnership {id: 'testford-leadership-group'}) "
                        "RETURN b.validFrom").to_native() == dt.date(2026, 4, 1)
    assert value(graph, "MATCH ()-[h:HOLDS]->() RETURN h.validFrom").to_native() == \
        dt.date(2025, 6, 15)


def test_a_year_alone_spans_the_whole_year(graph: Driver, tmp_path: Path) -> None:
    data = with_cell("partnerships", 1, "valid_from", "2009")
    data["partnerships"][0].append("valid_to")
    data["partnerships"][1].append("2010")
    data["partnerships"][2].append("")
    load(graph, write_xlsx(tmp_path / "return.xlsx", data))
    found = rows(graph, "MATCH (b:Partnership {id: 'testford-partnership'}) "
                        "RETURN b.validFrom AS start, b.validTo AS end")[0]
    assert found["start"].to_native() == dt.date(2009, 1, 1)
    assert found["end"].to_native() == dt.date(2010, 12, 31)


def test_trailing_spaces_numbers_as_text_and_blank_rows(graph: Driver, tmp_path: Path) -> None:
    data = with_cell("memberships", 1, "seats", " 1 ")
    data["organisations"][1][1] = "  Testford Borough Council  "
    data["memberships"][0][1] = " Body "
    data["memberships"] += [[None] * 5, ["", "", "", "", ""]]
    load(graph, write_xlsx(tmp_path / "return.xlsx", data))
    assert_district_graph(graph)
    assert value(graph, "MATCH (o:Organisation {id: 'testford-borough-council'}) "
                        "RETURN o.name") == "Testford Borough Council"


def test_hidden_sheets_are_ignored_with_a_warning(graph: Driver, tmp_path: Path) -> None:
    hidden = {"people": [["id", "name"], ["ghost", "Should Not Load"]]}
    base = {k: v for k, v in BASE.items() if k not in ("people", "holdings")}
    report = load(graph, write_xlsx(tmp_path / "return.xlsx", base, hidden=hidden))
    assert "return.xlsx › people: hidden sheet ignored." in report.warnings
    assert value(graph, "MATCH (p:Person) RETURN count(p)") == 0


def test_headers_match_ignoring_case_spacing_and_punctuation() -> None:
    mapping = loader.mapping.load("seed", model.default())
    known = ["meeting_frequency", "valid_from", "id"]
    for header in ("Meeting Frequency", "MEETING-FREQUENCY", " meeting_frequency "):
        assert mapping.column_for("partnerships", header, known) == "meeting_frequency"
    assert mapping.column_for("partnerships", " ID ", known) == "id"


def test_district_mapping_renames_sheets_and_columns_and_fills_defaults(
        graph: Driver, tmp_path: Path) -> None:
    data = dict(BASE)
    data["Bodies"] = [[h for h in row if h != "area"] for row in data.pop("partnerships")]
    members = data.pop("memberships")
    data["Members"] = [["Who", "Board", "Position", "Places", "sources"], *members[1:]]
    data["areas"] = [*BASE["areas"], ["cheltenham", "Cheltenham", "district"]]
    loader.load(write_xlsx(tmp_path / "cheltenham.xlsx", data), "cheltenham", model.default(),
                graph)
    assert value(graph, "MATCH (:Partnership {id: 'testford-leadership-group'})-[:COVERS]->"
                        "(a:Area) RETURN a.id") == "cheltenham"
    assert value(graph, "MATCH ()-[m:MEMBER_OF {role: 'chair'}]->() RETURN count(m)") == 1


def test_unknown_extension_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "return.pdf"
    path.write_text("not a spreadsheet")
    with pytest.raises(read.UnreadableFile, match=r"return.pdf: \.pdf is not a spreadsheet"):
        read.read(path)


def test_rows_citing_nothing_cite_the_workbook_sheet_and_row(graph: Driver,
                                                             tmp_path: Path) -> None:
    data = with_cell("people", 1, "sources", "")
    load(graph, write_xlsx(tmp_path / "return.xlsx", data))
    assert value(graph, "MATCH (p:Person {id: 'jo-bloggs'}) RETURN p.sources") == \
        ["test/return#people!2"]
    assert value(graph, "MATCH (s:Source {id: 'test/return'}) RETURN s.title") == "return.xlsx"
