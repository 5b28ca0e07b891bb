"""The seed is dated (issue 10, item 3): the dates the five documents give, and what is in force
on a day, asked through the GraphQL API as an analyst would.

"In force on D" (the loader's time model, loader/history.py): status current or former (never
proposed, option, example or uncertain), and from validFrom, else the date of the document that
says it (its sources sheet's `date`), until validTo; a membership only while its member and its
body are in force too. Each test names the document and section whose words make the answer
what it is.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from .graphql_client import data
from .helpers import rows

PROSPECTUS = "glos-prospectus-2008"
CHELTENHAM = "cheltenham-structures-2011"
SOUTH_GLOS = "south-glos-review-2009"
GLOUCESTER = "gloucester-recommendations-2010"
HORSHAM = "horsham-talking-2009"

PIP = "partnership-improvement-programme"
SLG = "strategic-leadership-group"
PPP = "positive-participation-partnership"
STRATEGIC_LEVEL = "gloucester-partnership-strategic-level"
WORKING_GROUP = "gloucester-partnership-executive-working-group"
SGP = "south-gloucestershire-partnership"
REVIEW_GROUP = "south-gloucestershire-task-and-finish-review-group"
GSP = "gloucestershire-strategic-partnership"
ABG = "accountable-bodies-group"
CSEB = "community-strategy-executive-board"
CDRP = "gloucester-crime-and-disorder-reduction-partnership"
CBC_CHIEF_EXECUTIVE = "chief-executive-cheltenham-borough-council"

# south-glos-review-2009#1.5: "The Task and Finish Review Group is made up of the following
# partners: Avon Fire and Rescue Service, CVS South Gloucestershire, Centre for Sustainable
# Energy, Government Office for the South West, NHS South Gloucestershire and is chaired by
# Chair of the South Gloucestershire Partnership" - all of them partners of the Partnership.
REVIEW_GROUP_PARTNERS = {"avon-fire-and-rescue-service", "cvs-south-gloucestershire",
                         "centre-for-sustainable-energy", "government-office-for-the-south-west",
                         "nhs-south-gloucestershire", "chair-south-gloucestershire-partnership"}
# The dates the issue names: before and after the documents of 2009-2011.
BEFORE = "2009-06-01"
AFTER = "2011-12-01"
IN_FORCE = {"current", "former"}


def ids(items: list[dict[str, Any]], key: str = "member") -> set[str]:
    """The ids of the nodes under `key` (a membership's member)."""
    return {item[key]["id"] for item in items}


def node_ids(items: list[dict[str, Any]]) -> set[str]:
    return {item["id"] for item in items}


def interlocks(driver: Driver, as_of: str | None, level: str = "MEMBER") -> dict[str, set[str]]:
    date = f', asOf: "{as_of}"' if as_of else ""
    found = data(driver, f"{{ interlocks(minBoards: 2{date}, level: {level}, first: 100) "
                         "{ nodes { member { ... on Node { id } } boards { id } } } }"
                 )["interlocks"]["nodes"]
    return {i["member"]["id"]: node_ids(i["boards"]) for i in found}


def members(driver: Driver, body: str, as_of: str | None = None) -> list[dict[str, Any]]:
    date = f'(asOf: "{as_of}")' if as_of else ""
    found = data(driver, f'{{ partnership(id: "{body}") {{ members{date} {{ status validFrom '
                         "validTo member { ... on Node { id } } } } }")
    return found["partnership"]["members"]


def member_ids(driver: Driver, body: str, as_of: str | None = None) -> set[str]:
    return ids(members(driver, body, as_of))


# --- The dates recorded (plain Cypher: what the seed holds) ---------------------------------

def test_each_document_is_dated_as_its_sources_sheet_says(seeded: Driver):
    dates = {r["id"]: r["date"].iso_format() for r in rows(
        seeded, "MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id, s.date AS date",
        ids=[PROSPECTUS, CHELTENHAM, SOUTH_GLOS, GLOUCESTER, HORSHAM])}
    assert dates == {
        PROSPECTUS: "2008-10-01",  # #6: "1 October 2008"
        CHELTENHAM: "2011-01-01",  # "In 2011 ...": a year alone means its first day
        SOUTH_GLOS: "2009-08-01",  # the print reference "5178/8/09"
        GLOUCESTER: "2010-03-12",  # #final: "Final: Lorna Robinson, LSP Officer 12/3/10"
        HORSHAM: "2009-10-01",     # #author: "october 2009"
    }


def test_every_fact_is_stated_on_the_date_of_its_earliest_document(seeded: Driver):
    # The Gloucester Partnership is listed by the prospectus (2008) and is the subject of the
    # 2010 recommendations: stated since 2008-10-01. The PIP is only in the 2011 document.
    stated = {r["id"]: r["statedOn"].iso_format() for r in rows(
        seeded, "MATCH (p:Partnership) WHERE p.id IN $ids RETURN p.id AS id, p.statedOn AS "
                "statedOn", ids=["gloucester-partnership", PIP, SGP, "crawley-together"])}
    assert stated == {"gloucester-partnership": "2008-10-01", PIP: "2011-01-01",
                      SGP: "2009-08-01", "crawley-together": "2009-10-01"}


def test_the_former_facts_are_those_the_documents_say_have_ended(seeded: Driver):
    former = {r["id"] for r in rows(seeded, "MATCH (p:Partnership {status: 'former'}) "
                                            "RETURN p.id AS id")}
    # cheltenham-structures-2011#pip: the PIP "met three times between March and May 2011";
    # horsham-talking-2009#crawley: "an Executive has replaced the former LSP Board";
    # horsham-talking-2009#oxfordshire-county-wide: the Partnership "for a number of years ran
    # an annual conference" and will move to briefing sessions; the Oxfordshire Stronger
    # Communities Partnership "develops the existing role of the Oxfordshire Voluntary Sector
    # Development Partnership". Only the PIP's dates are given.
    assert former == {PIP, "crawley-together-board", "oxfordshire-partnership-annual-conference",
                      "oxfordshire-voluntary-sector-development-partnership"}
    former_seats = {(r["member"], r["body"]) for r in rows(
        seeded, "MATCH (m)-[r:MEMBER_OF {status: 'former'}]->(b) "
                "RETURN m.id AS member, b.id AS body")}
    assert former_seats == {("cheltenham-public-sector", PIP),
                            ("cheltenham-voluntary-and-community-sector", PIP)}


def test_nothing_proposed_an_option_an_example_or_uncertain_is_stamped_in_force(seeded: Driver):
    stamped = rows(seeded, "MATCH (x) WHERE x.status IN ['proposed', 'option', 'example', "
                           "'uncertain'] AND x.inForceFrom IS NOT NULL RETURN x.id AS id "
                           "UNION MATCH ()-[x]->() WHERE x.status IN ['proposed', 'option', "
                           "'example', 'uncertain'] AND x.inForceFrom IS NOT NULL "
                           "RETURN type(x) AS id")
    assert stamped == []


# --- What is in force on a day (GraphQL asOf) -----------------------------------------------

def test_a_proposed_cheltenham_seat_is_never_in_force(seeded: Driver):
    # cheltenham-structures-2011#strategic-leadership-group: who "will sit" on the SLG are
    # "suggestions from the task and finish group"; the final proposals were still to go to
    # the CSP on 29 September and CBC's Cabinet on 18 October 2011
    # (#a-partnership-structure-for-cheltenham).
    listed = members(seeded, SLG)
    assert len(listed) == 16 and {m["status"] for m in listed} == {"proposed"}
    for day in ["2011-01-01", "2011-10-18", AFTER, "2015-01-01"]:
        assert members(seeded, SLG, day) == [], day


def test_cheltenhams_chief_executive_sits_on_the_cseb_only_and_not_before_the_prospectus(
        seeded: Driver):
    # The example: "sits on 3 boards as of 2005-01-01". glos-prospectus-2008#3(c)
    # seats the Chief Executive on the CSEB (from the prospectus's date, 1 October 2008); the
    # Strategic Leadership Group and Positive Development Group seats are only proposed
    # (cheltenham-structures-2011#strategic-leadership-group, #positive-development-group).
    found = data(seeded, f'{{ node(id: "{CBC_CHIEF_EXECUTIVE}") {{ ... on Post {{ '
                         "all: boards { id } early: boards(asOf: \"2005-01-01\") { id } "
                         "eve: boards(asOf: \"2008-09-30\") { id } "
                         f'later: boards(asOf: "{AFTER}") {{ id }} }} }} }}')["node"]
    assert node_ids(found["all"]) == {CSEB, SLG, "positive-development-group"}
    assert found["early"] == [] and found["eve"] == []
    assert [b["id"] for b in found["later"]] == [CSEB]


def test_gloucesters_strategic_level_is_recommended_from_june_2010_but_never_in_force(
        seeded: Driver):
    # The example: the strategic level "lists 15 members as of 2009-01-01".
    # gloucester-recommendations-2010#2: the working group "is proposing a new structure";
    # the recommendation is "To discuss and accept the new structure as a pilot"; #7 plans
    # "June/July 2010 Implement new action plans and structures". No document says the Board
    # adopted it, so its seats stay proposed: none in force before June 2010 nor after.
    listed = members(seeded, STRATEGIC_LEVEL)
    assert len(listed) == 15
    assert {m["validFrom"] for m in listed} == {"2010-06-01"}
    assert member_ids(seeded, STRATEGIC_LEVEL, "2009-01-01") == set()
    assert member_ids(seeded, STRATEGIC_LEVEL, "2010-07-01") == set()


def test_options_examples_and_uncertain_seats_are_never_in_force(seeded: Driver):
    cases = {
        # south-glos-review-2009#6/option-b: one of PMS Ltd's four options, not chosen.
        "south-glos-option-b-strategic-board": "2009-09-01",
        # south-glos-review-2009#6.6: Option E is the Review Group's preferred proposal.
        "south-glos-option-e-chief-officers-group": AFTER,
        # glos-prospectus-2008#appendix-1: "How the new structure might work in practice".
        "appendix-1-example-employer-closure-task-group": "2009-01-01",
        # horsham-talking-2009#summary-of-research/principle-3-table: "e.g. police or fire &
        # rescue for 'Safety'".
        "horsham-district-community-partnership-safety-thematic-group": AFTER,
    }
    for body, day in cases.items():
        assert members(seeded, body), body
        assert member_ids(seeded, body, day) == set(), body
    # gloucester-recommendations-2010#2: "County councillor?" - uncertain, never counted.
    uncertain = data(seeded, '{ node(id: "county-councillor-gloucestershire-county-council") '
                             f'{{ ... on Post {{ boards(asOf: "{AFTER}") {{ id }} }} }} }}')
    assert uncertain["node"]["boards"] == []


def test_the_pip_sits_only_between_march_and_may_2011(seeded: Driver):
    # cheltenham-structures-2011#pip: "met three times between March and May 2011".
    both = {"cheltenham-public-sector", "cheltenham-voluntary-and-community-sector"}
    assert member_ids(seeded, PIP, "2011-02-28") == set()
    assert member_ids(seeded, PIP, "2011-03-01") == both
    assert member_ids(seeded, PIP, "2011-05-31") == both
    assert member_ids(seeded, PIP, "2011-06-01") == set()
    sector = data(seeded, '{ organisation(id: "cheltenham-public-sector") { '
                          'during: memberships(asOf: "2011-04-15") { body { id } } '
                          f'after: memberships(asOf: "{AFTER}") {{ body {{ id }} }} }} }}')
    assert [m["body"]["id"] for m in sector["organisation"]["during"]] == [PIP]
    assert sector["organisation"]["after"] == []


def test_interlocks_as_of_2009_and_2011_by_member(seeded: Driver):
    # As of 2009-06-01 only the prospectus (1 October 2008) is in force, and it seats each
    # post on one county body (glos-prospectus-2008#3(a)-(c)): nobody sits on two boards.
    assert interlocks(seeded, BEFORE) == {}
    # By 2011-12-01 the South Gloucestershire summary (August 2009) is in force: the six
    # partners of its Task and Finish Review Group are partners of the Partnership too
    # (south-glos-review-2009#1.5). Nobody is added by the Cheltenham 2011 structure or
    # Gloucester's tiers: those seats are proposed. Nobody loses a board: no document ends
    # a county body or a seat on one.
    assert interlocks(seeded, AFTER) == {member: {SGP, REVIEW_GROUP}
                                         for member in REVIEW_GROUP_PARTNERS}
    # Without a date, proposed and example seats count (the VCS representative "sits" on all
    # four proposed Cheltenham bodies).
    assert len(interlocks(seeded, None)["vcs-representative-cheltenham"]) == 4


def test_interlocks_as_of_2009_and_2011_by_organisation(seeded: Driver):
    district_councils = ["cheltenham-borough-council", "cotswold-district-council",
                         "forest-of-dean-district-council", "gloucester-city-council",
                         "stroud-district-council", "tewkesbury-borough-council"]
    # glos-prospectus-2008#3(a)-(c): the County Council chairs the GSP, has a leading executive
    # member on the ABG and its Chief Executive chairs the CSEB; each district council has a
    # leading executive member on the ABG and its Chief Executive on the CSEB; so have the
    # PCT (NHS Gloucestershire), the Learning and Skills Council and the RDA.
    in_2009 = {"gloucestershire-county-council": {GSP, ABG, CSEB},
               **{council: {ABG, CSEB} for council in district_councils},
               "nhs-gloucestershire": {ABG, CSEB}, "learning-and-skills-council": {ABG, CSEB},
               "south-west-regional-development-agency": {ABG, CSEB}}
    assert interlocks(seeded, BEFORE, "ORGANISATION") == in_2009
    in_2011 = interlocks(seeded, AFTER, "ORGANISATION")
    # Nobody loses a board between the two dates.
    assert all(boards <= in_2011[who] for who, boards in in_2009.items())
    gained = {who: boards - in_2009.get(who, set()) for who, boards in in_2011.items()
              if boards != in_2009.get(who)}
    assert gained == {
        # gloucester-recommendations-2010#appendix-1/outcome-2.3: the "CDRP with the City
        # Council, Police and other partners" (12 March 2010).
        "gloucester-city-council": {CDRP},
        "gloucestershire-constabulary": {CSEB, CDRP},  # and the Chief Constable, #3(c)
        # The Government Office's area lead sits on the CSEB (glos-prospectus-2008#3(c)); the
        # Office is on the South Gloucestershire review group (south-glos-review-2009#1.5).
        "government-office-for-the-south-west": {CSEB, SGP, REVIEW_GROUP},
        # The other five (the Partnership's Chair is a post in the Partnership itself, so it
        # counts as itself).
        **{partner: {SGP, REVIEW_GROUP} for partner in REVIEW_GROUP_PARTNERS
           if partner != "government-office-for-the-south-west"},
    }
    # Cheltenham Borough Council's 2011 seats (SLG, PPP, PLP, PDG) are proposed: still two.
    assert in_2011["cheltenham-borough-council"] == {ABG, CSEB}


def test_every_board_counted_on_a_date_is_current_or_former(seeded: Driver):
    for day in ["2005-01-01", "2008-10-01", BEFORE, "2010-07-01", "2011-04-15", AFTER]:
        found = data(seeded, f'{{ interlocks(minBoards: 1, asOf: "{day}", first: 100) {{ '
                             "nodes { member { __typename ... on Node { id } } "
                             "boards { id status } } } }")
        statuses = {b["status"] for i in found["interlocks"]["nodes"] for b in i["boards"]}
        assert statuses <= IN_FORCE, day
    # Before the earliest document (1 October 2008) nothing is in force at all.
    early = data(seeded, '{ interlocks(minBoards: 1, asOf: "2008-09-30") { totalCount '
                         'nodes { count } } }')
    assert early["interlocks"] == {"totalCount": 0, "nodes": []}


def test_board_overlaps_as_of_2009_and_2011(seeded: Driver):
    def overlaps(as_of: str) -> dict[frozenset[str], set[str]]:
        found = data(seeded, f'{{ boardOverlaps(asOf: "{as_of}", first: 100) {{ nodes {{ '
                             "a { id } b { id } shared { ... on Node { id } } } } }"
                     )["boardOverlaps"]["nodes"]
        return {frozenset({p["a"]["id"], p["b"]["id"]}): node_ids(p["shared"]) for p in found}
    assert overlaps(BEFORE) == {}
    # south-glos-review-2009#1.5: the review group's six are all partners of the Partnership.
    assert overlaps(AFTER) == {frozenset({SGP, REVIEW_GROUP}): REVIEW_GROUP_PARTNERS}


def test_proposed_accountability_lines_are_never_in_force(seeded: Driver):
    # cheltenham-structures-2011#positive-participation-partnership: the PPP "will report ...
    # to the Strategic Leadership Group on a 6-monthly basis" - in the proposed structure.
    found = data(seeded, f'{{ all: accountabilityChain(id: "{PPP}") {{ step }} '
                         f'later: accountabilityChain(id: "{PPP}", asOf: "{AFTER}") '
                         "{ step } }")
    assert found["all"] and found["later"] == []


def test_gloucesters_working_group_reports_to_the_board_once_it_is_set_up(seeded: Driver):
    # gloucester-recommendations-2010#introduction: tasked in January 2010 "to report back in
    # March"; the report is dated 12 March 2010.
    found = data(seeded, f'{{ partnership(id: "{WORKING_GROUP}") {{ '
                         'before: accountableTo(asOf: "2009-12-01") { to { ... on Node { id } } } '
                         'then: accountableTo(asOf: "2010-03-12") { to { ... on Node { id } } } '
                         "} }")["partnership"]
    assert found["before"] == []
    assert [a["to"]["id"] for a in found["then"]] == ["gloucester-partnership-board"]


def test_the_neighbourhood_of_the_pip_is_drawn_only_while_it_met(seeded: Driver):
    def drawn(as_of: str) -> set[str]:
        found = data(seeded, f'{{ neighbourhood(id: "{PIP}", asOf: "{as_of}") '
                             "{ nodes { id } } }")
        return node_ids(found["neighbourhood"]["nodes"])
    assert {"cheltenham-public-sector", "cheltenham-voluntary-and-community-sector"} <= \
        drawn("2011-04-15")
    assert drawn(AFTER) == set()


def test_crawleys_former_lsp_board_is_not_in_force_after_the_document_says_it_was_replaced(
        seeded: Driver):
    # horsham-talking-2009#crawley: "Under the new structure an Executive has replaced the
    # former LSP Board." The document (October 2009) gives no date, but says it is over.
    found = data(seeded, '{ neighbourhood(id: "crawley-together", asOf: "2011-12-01") '
                         "{ nodes { id } } }")
    drawn = {n["id"] for n in found["neighbourhood"]["nodes"]}
    assert "crawley-together-executive" in drawn
    assert "crawley-together-board" not in drawn


def test_a_path_through_a_proposed_seat_is_not_a_path_on_a_date(seeded: Driver):
    # The Chief Executive's seat on the SLG is proposed
    # (cheltenham-structures-2011#strategic-leadership-group), and the SLG is not in force.
    found = data(seeded, f'{{ all: path(from: "{CBC_CHIEF_EXECUTIVE}", to: "{SLG}") '
                         "{ nodes { id } } "
                         f'later: path(from: "{CBC_CHIEF_EXECUTIVE}", to: "{SLG}", '
                         f'asOf: "{AFTER}") {{ nodes {{ id }} }} }}')
    assert [n["id"] for n in found["all"]["nodes"]] == [CBC_CHIEF_EXECUTIVE, SLG]
    assert found["later"]["nodes"] == []
    # While the PIP met, the public sector sat on it (cheltenham-structures-2011#pip).
    during = data(seeded, '{ path(from: "cheltenham-public-sector", to: "'
                          f'{PIP}", asOf: "2011-04-15") {{ nodes {{ id }} }} }}')
    assert [n["id"] for n in during["path"]["nodes"]] == ["cheltenham-public-sector", PIP]


def test_a_holder_holds_from_the_document_that_names_them(seeded: Driver):
    # gloucester-recommendations-2010#final: "Final: Lorna Robinson, LSP Officer 12/3/10".
    # No document gives a holding's start or end, so each holds from its document's date.
    found = data(seeded, '{ node(id: "lsp-officer-gloucester-partnership") { ... on Post { '
                         'before: holders(asOf: "2010-03-11") { id } '
                         'then: holders(asOf: "2010-03-12") { id } } } }')["node"]
    assert found["before"] == []
    assert [p["id"] for p in found["then"]] == ["lorna-robinson"]
