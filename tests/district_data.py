"""A small district return, as a district would type it, used by the loader tests."""

from __future__ import annotations

import copy
from typing import Any

from .workbooks import Sheets

BASE: Sheets = {
    "sources": [
        ["id", "title", "date", "publisher"],
        ["test-return-2026", "Test district partnership return 2026", "01/04/2026",
         "Test District Council"],
    ],
    "areas": [
        ["id", "name", "kind", "sources"],
        ["testshire", "Testshire", "county", "test-return-2026#1"],
        ["testford", "Testford", "district", "test-return-2026#1"],
    ],
    "organisations": [
        ["ID", "Name", "Aliases", "Kind", "Sector", "Area", "Sources"],
        ["testford-borough-council", "Testford Borough Council", "TBC", "council", "public",
         "Testford", "test-return-2026#1"],
        ["testshire-health", "NHS Testshire", "NHS Tests; PCT", "nhs", "public", "testshire",
         "test-return-2026#1"],
        ["testford-vcs", "Testford voluntary and community sector", "", "sector", "voluntary",
         "testford", "test-return-2026#1"],
    ],
    "partnerships": [
        ["id", "name", "kind", "tier", "status", "Meeting Frequency", "meetings per year",
         "valid_from", "part_of", "sources"],
        ["testford-partnership", "Testford Partnership", "lsp", "strategic", "current",
         "twice a year", "2", "2026", "", "test-return-2026#2"],
        ["testford-leadership-group", "Testford Leadership Group", "board", "strategic",
         "proposed", "quarterly", 4, "01/04/2026", "Testford Partnership", "test-return-2026#2"],
    ],
    "posts": [
        ["id", "title", "post_in", "sources"],
        ["chief-executive-testford-borough-council", "Chief Executive, Testford Borough Council",
         "TBC", "test-return-2026#3"],
        ["vcs-representative-testford", "VCS representative, Testford", "testford-vcs",
         "test-return-2026#3"],
    ],
    "people": [
        ["id", "name", "sources"],
        ["jo-bloggs", "Jo Bloggs", "test-return-2026#3"],
    ],
    "holdings": [
        ["person", "post", "valid_from", "sources"],
        ["Jo Bloggs", "chief-executive-testford-borough-council", "2025", "test-return-2026#3"],
    ],
    "memberships": [
        ["member", "body", "role", "seats", "sources"],
        ["Chief Executive, Testford Borough Council", "Testford Leadership Group", "chair", 1,
         "test-return-2026#4"],
        ["vcs-representative-testford", "testford-leadership-group", "member", "2",
         "test-return-2026#4"],
        ["NHS Tests", "Testford Leadership Group", "Member", None, "test-return-2026#4"],
    ],
    "accountability": [
        ["from", "to", "frequency", "how", "sources"],
        ["Testford Leadership Group", "Testford Partnership", "6-monthly", "reports",
         "test-return-2026#5"],
    ],
}


def sheets(**changes: list[list[Any]]) -> Sheets:
    """A copy of BASE with some sheets replaced."""
    result = copy.deepcopy(BASE)
    result.update(changes)
    return result


def with_row(sheet: str, row: list[Any]) -> Sheets:
    """A copy of BASE with one more row on one sheet."""
    result = copy.deepcopy(BASE)
    result[sheet].append(row)
    return result


def with_cell(sheet: str, row: int, column: str, value: Any) -> Sheets:
    """A copy of BASE with one cell changed (row 1 = the first data row)."""
    result = copy.deepcopy(BASE)
    index = [h.lower() for h in result[sheet][0]].index(column.lower())
    result[sheet][row][index] = value
    return result
