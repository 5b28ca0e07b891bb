"""Stated or inferred (issue 13): any row of any sheet may say why its fact is an inference;
the API answers `basis` and `inference` beside "says who" for nodes, memberships and lines."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from neo4j import Driver

from partnership_kb import loader, model

from .district_data import BASE
from .graphql_client import data
from .helpers import rows
from .workbooks import write_xlsx


def inferring_first_rows() -> dict[str, list[list[Any]]]:
    """BASE with an `inferred` column on every sheet: the first row of each says why."""
    sheets = copy.deepcopy(BASE)
    for name, table in sheets.items():
        table[0].append("inferred")
        for i, row in enumerate(table[1:]):
            row.append(f"read from the {name} sheet's layout" if i == 0 else "")
    return sheets


def test_every_sheet_takes_an_inference(graph: Driver, tmp_path: Path) -> None:
    assert all("inferred" in spec.columns for spec in model.default().nodes.values())
    assert all("inferred" in spec.columns for spec in model.default().relationships.values())
    loader.load(write_xlsx(tmp_path / "r.xlsx", inferring_first_rows()), "seed", model.default(),
                graph, dataset="test/basis")
    said = rows(graph, "MATCH (n) WHERE n.inferred IS NOT NULL RETURN n.inferred AS why "
                       "UNION ALL MATCH ()-[r]->() WHERE r.inferred IS NOT NULL "
                       "RETURN r.inferred AS why")
    sheets = {name for name, table in BASE.items() if len(table) > 1}
    assert {row["why"] for row in said} == {f"read from the {s} sheet's layout" for s in sheets}


def test_the_api_answers_basis_beside_sources(graph: Driver, tmp_path: Path) -> None:
    loader.load(write_xlsx(tmp_path / "r.xlsx", inferring_first_rows()), "seed", model.default(),
                graph, dataset="test/basis")
    fact = "basis inference sources { document section }"
    answer = data(graph, f"""{{
      board: partnership(id: "testford-leadership-group") {{ {fact}
        members {{ {fact} member {{ ... on Node {{ id }} }} }}
        accountableTo {{ {fact} }} }}
      first: partnership(id: "testford-partnership") {{ {fact} }}
      org: organisation(id: "testford-borough-council") {{ {fact} }}
    }}""")
    assert answer["first"]["basis"] == "INFERRED"
    assert answer["first"]["inference"] == "read from the partnerships sheet's layout"
    assert (answer["board"]["basis"], answer["board"]["inference"]) == ("STATED", None)
    assert answer["org"]["basis"] == "INFERRED"
    members = {m["member"]["id"]: m for m in answer["board"]["members"]}
    assert members["chief-executive-testford-borough-council"]["basis"] == "INFERRED"
    assert members["vcs-representative-testford"]["basis"] == "STATED"
    line = answer["board"]["accountableTo"][0]
    assert line["inference"] == "read from the accountability sheet's layout"
    assert all(f["sources"] for f in [answer["first"], line, *members.values()])
