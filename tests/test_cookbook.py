"""The analyst cookbook (graphql/examples/) runs through a real GraphQL client over HTTP
against a running uvicorn, and each example's answer is checked against the seed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport
from neo4j import Driver

from partnership_kb import config

from .conftest import ensure_seeded
from .live_server import serving

EXAMPLES = sorted((config.project_home() / "graphql" / "examples").glob("*.graphql"))


def names(items: list[dict[str, Any]], key: str = "name") -> set[str]:
    return {item[key] for item in items}


def check_01(d: dict) -> None:
    outcome = d["outcome"]
    assert len(outcome["actions"]) == 4
    assert "Health Trainers" in {x["deliverer"]["name"] for x in outcome["deliveredBy"]}
    assert all(x["sources"] for x in outcome["deliveredBy"])


def check_02(d: dict) -> None:
    page = d["interlocks"]
    ids = {i["member"]["id"] for i in page["nodes"]}
    assert "chief-executive-cheltenham-borough-council" in ids
    assert all(i["count"] == len(i["boards"]) >= 2 for i in page["nodes"])
    assert page["totalCount"] >= len(page["nodes"])


def check_03(d: dict) -> None:
    pairs = d["boardOverlaps"]["nodes"]
    assert pairs and all(p["count"] == len(p["shared"]) >= 2 for p in pairs)
    assert [p["count"] for p in pairs] == sorted((p["count"] for p in pairs), reverse=True)


def check_04(d: dict) -> None:
    chairs = {p["id"]: [m["member"]["name"] for m in p["members"]]
              for p in d["partnerships"]["nodes"]}
    assert chairs["community-strategy-executive-board"] == \
        ["Chief Executive, Gloucestershire County Council"]


def check_05(d: dict) -> None:
    gaps = {g["partnership"]["id"]: g for g in d["guidanceGaps"]}
    cseb = gaps["community-strategy-executive-board"]
    assert cseb["tooLarge"] and cseb["seats"] > cseb["guidance"]["maxMembers"] == 10


def check_06(d: dict) -> None:
    ids = {p["id"] for p in d["partnerships"]["nodes"]}
    assert "accountable-bodies-group" in ids
    assert "positive-participation-partnership" not in ids


def check_07(d: dict) -> None:
    assert d["outcomes"] == []  # the mapping exercise found something delivering every outcome


def check_08(d: dict) -> None:
    steps = {(x["from"]["id"], x["to"]["id"]) for x in d["accountabilityChain"]}
    assert ("positive-participation-partnership", "strategic-leadership-group") in steps
    assert d["accountabilityChain"][0]["step"] == 1


def check_09(d: dict) -> None:
    assert {"strategic-leadership-group", "positive-lives-partnership"} <= \
        names(d["partnerships"]["nodes"], "id")
    assert "richard-gibson" in names(d["people"]["nodes"], "id")


def check_10(d: dict) -> None:
    top = d["interlocks"]["nodes"][0]
    assert top["member"]["__typename"] == "Organisation"
    assert top["count"] >= 5


def check_11(d: dict) -> None:
    assert d["search"][0]["node"]["id"] == "gloucester-health-trainers"


def check_12(d: dict) -> None:
    assert {"strategic-leadership-group", "community-strategy-executive-board",
            "positive-development-group"} <= names(d["node"]["boards"], "id")


def check_13(d: dict) -> None:
    lines = {(a["to"]["id"], a["frequency"]) for a in d["partnership"]["accountableTo"]}
    assert ("strategic-leadership-group", "6-monthly") in lines


def check_14(d: dict) -> None:
    parts = {p["id"]: p for p in d["partnership"]["parts"]}
    assert set(parts) == {"gloucestershire-strategic-partnership", "accountable-bodies-group",
                          "community-strategy-executive-board"}
    assert parts["community-strategy-executive-board"]["chairs"][0]["member"]["name"] == \
        "Chief Executive, Gloucestershire County Council"


def check_15(d: dict) -> None:
    aims = d["node"]["aims"]
    assert [a["code"] for a in aims] == ["1", "2", "3", "4"]
    outcomes = [o for a in aims for o in a["outcomes"]]
    assert len(outcomes) == 16
    assert sum(len(o["actions"]) for o in outcomes) == 34


def check_16(d: dict) -> None:
    findings = d["checks"]
    assert {f["severity"] for f in findings} == {"WARNING"}
    too_large = {f["subject"]["id"]: f for f in findings if f["rule"] == "board_too_large"}
    cseb = too_large["community-strategy-executive-board"]
    assert "18 seats" in cseb["evidence"] and cseb["subject"]["label"] == "Partnership"
    assert cseb["ruleSource"]["document"] == "horsham-talking-2009"
    # Its seats say the prospectus; the guidance it is set beside, the Horsham research.
    assert {s["document"] for s in cseb["sources"]} == {"glos-prospectus-2008",
                                                        "horsham-talking-2009"}
    # The Cheltenham structures of 2011 were only proposed then: nothing of theirs is judged.
    assert "strategic-leadership-group" not in too_large


CHECKS: dict[str, Callable[[dict], None]] = {
    name.removeprefix("check_"): check for name, check in globals().items()
    if name.startswith("check_")}


@pytest.fixture(scope="module")
def client(driver: Driver, database) -> Iterator[Client]:
    ensure_seeded(driver, database)
    with serving(driver, database) as url:
        transport = HTTPXTransport(url=f"{url}/graphql", timeout=30)
        with Client(transport=transport, fetch_schema_from_transport=False) as session:
            yield session


def test_cookbook_has_at_least_twelve_examples_each_saying_what_it_answers() -> None:
    assert len(EXAMPLES) >= 12
    for path in EXAMPLES:
        assert path.read_text().startswith("# "), f"{path.name} opens without a comment"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_answers_from_the_seed(client, path: Path) -> None:
    check = CHECKS.get(path.name[:2])
    assert check is not None, f"{path.name} has no answer check in {__file__}"
    check(client.execute(gql(path.read_text())))
