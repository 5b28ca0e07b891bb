"""`pkb template` writes a workbook districts can fill in and load back."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver
from openpyxl import load_workbook

from partnership_kb import loader, model
from partnership_kb.loader import template

from .helpers import rows


def test_template_has_a_sheet_per_kind_with_notes_and_drop_downs(tmp_path: Path) -> None:
    path = template.write(model.default(), tmp_path / "blank.xlsx")
    book = load_workbook(path)
    assert set(model.default().sheets()) <= set(book.sheetnames)
    memberships = book["memberships"]
    headers = [cell.value for cell in memberships[1]]
    assert headers[:3] == ["member", "body", "role"] and headers[-1] == "sources"
    assert "One of: member, chair" in memberships["C1"].comment.text
    formulas = [v.formula1 for v in memberships.data_validations.dataValidation]
    assert any(f.startswith("='Lists'!$") for f in formulas)


def fill(sheet, *rows_to_add: list[object]) -> None:
    for row in rows_to_add:
        sheet.append(row)


def by_header(sheet, values: dict[str, object]) -> list[object]:
    headers = [cell.value for cell in sheet[1]]
    return [values.get(h) for h in headers]


def test_filled_in_template_loads_back(graph: Driver, tmp_path: Path) -> None:
    path = template.write(model.default(), tmp_path / "return.xlsx")
    book = load_workbook(path)
    fill(book["organisations"], by_header(book["organisations"], {
        "id": "newtown-council", "name": "Newtown Council", "kind": "council"}))
    fill(book["partnerships"], by_header(book["partnerships"], {
        "id": "newtown-board", "name": "Newtown Board", "kind": "board", "tier": "strategic",
        "meeting_frequency": "quarterly", "meetings_per_year": 4}))
    fill(book["posts"], by_header(book["posts"], {
        "id": "leader-newtown-council", "title": "Leader, Newtown Council",
        "post_in": "Newtown Council"}))
    fill(book["memberships"], by_header(book["memberships"], {
        "member": "leader-newtown-council", "body": "Newtown Board", "role": "chair"}))
    book.save(path)

    report = loader.load(path, "seed", model.default(), graph)
    assert report.warnings == []
    assert rows(graph, "MATCH (p:Post)-[m:MEMBER_OF]->(b:Partnership) "
                       "RETURN p.id AS post, m.role AS role, b.meetingsPerYear AS perYear") == \
        [{"post": "leader-newtown-council", "role": "chair", "perYear": 4.0}]
