"""Stated or inferred, in the seed (issue 13, item 7): for each source document, facts it says in
words answer `basis: STATED`, and facts we read from it answer `basis: INFERRED` with the reason;
checked through the GraphQL API against the loaded seed, and over every row of every seed sheet."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from partnership_kb import config

from .graphql_client import data
from .helpers import rows

SEED = config.project_home() / "data" / "seed"
DOCUMENTS = sorted(p.name for p in SEED.iterdir() if p.is_dir())
# A reason must say something: "inferred" alone, or "see above", is not one.
SHORTEST_REASON = 15
FACT = "basis inference sources { document section }"


def node(driver: Driver, id_: str) -> dict[str, Any]:
    answer = data(driver, f'{{ node(id: "{id_}") {{ id {FACT} }} }}')["node"]
    assert answer, f"no node {id_}"
    return answer


def members(driver: Driver, body: str) -> dict[str, dict[str, Any]]:
    """A body's memberships by member id."""
    answer = data(driver, f"""{{ partnership(id: "{body}") {{
        members {{ {FACT} role seats member {{ ... on Node {{ id }} }} }} }} }}""")
    return {m["member"]["id"]: m for m in answer["partnership"]["members"]}


def lines(driver: Driver, body: str) -> dict[str, dict[str, Any]]:
    """A body's accountability lines by the id of what it is accountable to."""
    answer = data(driver, f"""{{ partnership(id: "{body}") {{
        accountableTo {{ {FACT} to {{ ... on Node {{ id }} }} }} }} }}""")
    return {a["to"]["id"]: a for a in answer["partnership"]["accountableTo"]}


def deliverers(driver: Driver, code: str) -> dict[str, dict[str, Any]]:
    """What delivers a Gloucester outcome (directly, or through one of its actions), by id."""
    answer = data(driver, f"""{{ outcome(code: "{code}",
        strategy: "gloucester-sustainable-community-strategy") {{
        deliveredBy {{ {FACT} via deliverer {{ ... on Node {{ id }} }} }} }} }}""")
    return {d["deliverer"]["id"]: d for d in answer["outcome"]["deliveredBy"]}


def inferred(fact: dict[str, Any], *words: str) -> bool:
    """The fact is an inference whose reason says all these words."""
    return (fact["basis"] == "INFERRED" and fact["inference"] is not None
            and all(w in fact["inference"] for w in words))


def stated(fact: dict[str, Any]) -> bool:
    return fact["basis"] == "STATED" and fact["inference"] is None


def cites(fact: dict[str, Any], document: str, section: str | None = None) -> bool:
    return any(s["document"] == document and (section is None or s["section"] == section)
               for s in fact["sources"])


# glos-prospectus-2008 -----------------------------------------------------------------------

def test_prospectus_infers_the_district_councils_it_does_not_name(seeded: Driver) -> None:
    stroud = node(seeded, "stroud-district-council")
    assert inferred(stroud, "each of the six district councils", "Stroud")
    abg = members(seeded, "accountable-bodies-group")
    assert inferred(abg["leading-executive-member-tewkesbury-borough-council"],
                    "six district councils")
    # §3(b) names these members in words.
    assert stated(abg["chair-voluntary-sector-assembly-board"])
    assert stated(abg["chair-accountable-bodies-group"])
    assert cites(abg["chair-accountable-bodies-group"], "glos-prospectus-2008", "3(b)")


def test_prospectus_reads_reporting_lines_from_roles(seeded: Driver) -> None:
    environment = lines(seeded, "gloucestershire-environment-partnership")
    assert inferred(environment["community-strategy-executive-board"],
                    "commissioning work", "performance-managing the LAA")
    cseb = lines(seeded, "community-strategy-executive-board")
    assert inferred(cseb["gloucestershire-strategic-partnership"], "advises the GSP")


def test_prospectus_states_the_gsp_membership_and_chair(seeded: Driver) -> None:
    gsp = members(seeded, "gloucestershire-strategic-partnership")
    assert stated(gsp["voluntary-sector-assembly-board"])
    assert stated(gsp["stroud-local-strategic-partnership"])
    assert stated(gsp["leading-member-gloucestershire-county-council"])
    assert stated(node(seeded, "gloucestershire-conference"))


def test_prospectus_example_reads_gloucestershire_lsp_as_gloucester(seeded: Driver) -> None:
    group = members(seeded, "appendix-1-example-employer-closure-task-group")
    assert inferred(group["gloucester-partnership"], "no Gloucestershire LSP")
    assert stated(group["forest-of-dean-local-strategic-partnership"])


# cheltenham-structures-2011 -----------------------------------------------------------------

def test_cheltenham_reads_a_slash_as_one_seat_held_by_either(seeded: Driver) -> None:
    ppp = members(seeded, "positive-participation-partnership")
    for post in ("cabinet-member-cheltenham-borough-council",
                 "strategic-director-cheltenham-borough-council"):
        assert inferred(ppp[post], "Cabinet Member / Strategic Director", "either")
    assert stated(ppp["transition-town-cheltenham"])
    assert stated(ppp["neighbourhood-coordination-chairs-group"])


def test_cheltenham_month_end_dates_and_tiers_are_inferred(seeded: Driver) -> None:
    assert inferred(node(seeded, "partnership-improvement-programme"),
                    "between March and May 2011", "ends of those months")
    assert inferred(node(seeded, "positive-lives-partnership"), "tier 'executive'")
    assert inferred(node(seeded, "gloucestershire-college"), "GlosCol")


def test_cheltenham_states_the_six_monthly_reports_to_the_slg(seeded: Driver) -> None:
    ppp = lines(seeded, "positive-participation-partnership")
    assert stated(ppp["strategic-leadership-group"])
    assert cites(ppp["strategic-leadership-group"], "cheltenham-structures-2011",
                 "positive-participation-partnership")
    assert stated(node(seeded, "strategic-leadership-group"))
    task_groups = lines(seeded, "cheltenham-task-and-finish-groups")
    assert inferred(task_groups["positive-development-group"], "one of the four parts")


# south-glos-review-2009 ---------------------------------------------------------------------

def test_south_glos_infers_partnership_seats_from_the_review_group(seeded: Driver) -> None:
    partnership = members(seeded, "south-gloucestershire-partnership")
    assert inferred(partnership["avon-fire-and-rescue-service"],
                    "Task and Finish Review Group", "does not list the Partnership's members")
    review_group = members(seeded, "south-gloucestershire-task-and-finish-review-group")
    assert stated(review_group["avon-fire-and-rescue-service"])
    assert stated(review_group["chair-south-gloucestershire-partnership"])


def test_south_glos_date_and_option_details_are_inferred(seeded: Driver) -> None:
    assert inferred(node(seeded, "south-glos-review-2009"), "undated", "5178/8/09")
    assert inferred(node(seeded, "south-glos-option-a-communities-of-interest-fora"),
                    "bi-annual", "every two years")
    option_e = lines(seeded, "south-glos-option-e-chief-officers-group")
    assert inferred(option_e["south-glos-option-e-partnership-board"], "diagram")
    assert stated(node(seeded, "south-glos-option-d-commissioning-board"))


# gloucester-recommendations-2010 -----------------------------------------------------------

def test_gloucester_outcome_3_4_deliverers_come_from_a_shared_block(seeded: Driver) -> None:
    found = deliverers(seeded, "3.4")
    assert inferred(found["gloucester-health-trainers"],
                    "one block shared by outcomes 3.3, 3.4 and 3.5")
    assert inferred(found["gloucester-chlamydia-screening-drive"], "3.3, 3.4 and 3.5",
                    "action 3.4.4")


def test_gloucester_states_what_one_outcome_alone_lists(seeded: Driver) -> None:
    found = deliverers(seeded, "4.2")
    assert stated(found["joint-core-strategy"])
    assert cites(found["joint-core-strategy"], "gloucester-recommendations-2010",
                 "appendix-1/outcome-4.2")
    # Beside outcome 1.1 alone, but no action named: the outcome is said, the action is ours.
    assert stated(deliverers(seeded, "1.1")["gloucester-free-trees"])
    assert inferred(deliverers(seeded, "1.1")["gloucester-park-and-ride"],
                    "without naming an action", "1.1.1")


def test_gloucester_level_dates_and_links_are_inferred(seeded: Driver) -> None:
    strategic = members(seeded, "gloucester-partnership-strategic-level")
    assert inferred(strategic["chief-executive-gloucester-city-council"], "June/July 2010")
    assert inferred(strategic["leader-gloucester-city-council"], "June/July 2010", "'e.g.'")
    operational = lines(seeded, "gloucester-partnership-operational-level")
    assert inferred(operational["gloucestershire-county-operational-groups"], "'link'")
    working_group = lines(seeded, "gloucester-partnership-executive-working-group")
    assert stated(working_group["gloucester-partnership-board"])


# horsham-talking-2009 ----------------------------------------------------------------------

def test_horsham_theme_groups_are_the_guidance_examples_not_its_four(seeded: Driver) -> None:
    safety = node(seeded, "horsham-district-community-partnership-safety-thematic-group")
    assert inferred(safety, "examples", "ten to four")
    board = members(seeded, "horsham-district-community-partnership-board")
    assert inferred(board["leader-horsham-district-council"], "general advice for any LSP")
    assert inferred(node(seeded, "horsham-district-council"), "never names")


def test_horsham_states_the_case_studies(seeded: Driver) -> None:
    lewes = members(seeded, "lewes-district-local-strategic-partnership")
    assert stated(lewes["chair-regen"])
    crawley = members(seeded, "crawley-together-executive")
    assert stated(crawley["member-crawley-together-executive"])
    assert crawley["member-crawley-together-executive"]["seats"] == 10
    trust = lines(seeded, "oxfordshire-childrens-trust")
    assert stated(trust["oxfordshire-public-service-board"])
    assert inferred(node(seeded, "newhaven-area-partnership"), "'Newhaven'", "composed")


# Every row of every sheet ------------------------------------------------------------------

def sheet_rows(document: str) -> list[tuple[str, int, dict[str, str]]]:
    """(sheet, row number as a spreadsheet shows it, row) for every row of a document."""
    found = []
    for path in sorted((SEED / document).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for number, row in enumerate(csv.DictReader(f), start=2):
                found.append((path.stem, number, row))
    return found


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_sheet_says_stated_or_inferred_with_a_reason(document: str) -> None:
    found = sheet_rows(document)
    missing = sorted({sheet for sheet, _, row in found if "inferred" not in row})
    assert not missing, f"{document}: sheets without an 'inferred' column: {missing}"
    thin = [f"{sheet} row {n}: {row['inferred']!r}" for sheet, n, row in found
            if row["inferred"] and len(row["inferred"].strip()) < SHORTEST_REASON]
    assert not thin, f"{document}: reasons too short to say why: {thin}"
    assert any(row["inferred"] for _, _, row in found), f"{document}: nothing inferred"
    assert any(not row["inferred"] for _, _, row in found), f"{document}: nothing stated"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_graph_answers_both_bases_for_each_document(seeded: Driver, document: str) -> None:
    reasons = {row["inferred"] for _, _, row in sheet_rows(document) if row["inferred"]}
    said = rows(seeded, """
        MATCH (n) WHERE any(s IN coalesce(n.sources, []) WHERE s STARTS WITH $doc + '#')
        RETURN n.inferred AS why
        UNION ALL
        MATCH ()-[r]->() WHERE any(s IN coalesce(r.sources, []) WHERE s STARTS WITH $doc + '#')
        RETURN r.inferred AS why""", doc=document)
    assert any(r["why"] is None for r in said), f"{document}: no stated fact in the graph"
    whys = {r["why"] for r in said if r["why"] is not None}
    # Nodes several documents share keep the last loaded reason; this document's own
    # inference-only facts carry its own reasons.
    assert whys & reasons, f"{document}: none of its reasons reached the graph"
    assert all(len(w) >= SHORTEST_REASON for w in whys)


def test_seed_documents_are_the_five() -> None:
    assert len(DOCUMENTS) == 5
    assert all(Path(SEED / d / "sources.csv").exists() for d in DOCUMENTS)
