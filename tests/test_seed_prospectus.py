"""Facts from the Prospectus for Partnership Working in Gloucestershire (glos-prospectus-2008),
checked through Cypher against the loaded seed."""

from __future__ import annotations

import datetime

from neo4j import Driver

from .helpers import rows, value

DOC = "glos-prospectus-2008"
CONFERENCE = "gloucestershire-conference"
GSP = "gloucestershire-strategic-partnership"
ABG = "accountable-bodies-group"
CSEB = "community-strategy-executive-board"
GCC = "gloucestershire-county-council"

DISTRICT_COUNCILS = {
    "cheltenham-borough-council", "cotswold-district-council", "forest-of-dean-district-council",
    "gloucester-city-council", "stroud-district-council", "tewkesbury-borough-council",
}
THEMATIC_PARTNERSHIPS = {
    "Gloucestershire Children and Young People's Strategic Partnership",
    "Gloucestershire Safer and Stronger Communities Partnership",
    "Gloucestershire First",
    "Gloucestershire Health and Community Well-being Partnership",
    "Gloucestershire Environment Partnership",
}
DISTRICT_LSPS = {
    "Cheltenham Strategic Partnership", "Cotswold Local Strategic Partnership",
    "Forest of Dean Local Strategic Partnership", "Gloucester Partnership",
    "Stroud Local Strategic Partnership", "Tewkesbury Local Strategic Partnership",
}


def cites(sources: list[str], section: str) -> bool:
    return f"{DOC}#{section}" in sources


def chair_of(driver: Driver, body: str) -> list[dict]:
    return rows(driver,
                "MATCH (post:Post)-[m:MEMBER_OF {role: $chair}]->(:Partnership {id: $body}) "
                "OPTIONAL MATCH (post)-[:POST_IN]->(org) "
                "RETURN post.id AS post, post.title AS title, post.description AS description, "
                "org.id AS org, m.note AS note, m.sources AS sources",
                chair="chair", body=body)


def test_the_three_county_bodies_are_part_of_the_gloucestershire_conference(seeded: Driver):
    found = rows(seeded,
                 "MATCH (p:Partnership)-[r:PART_OF]->(:Partnership {id: $conference}) "
                 "RETURN p.id AS id, p.aliases AS aliases, r.sources AS sources",
                 conference=CONFERENCE)
    assert {r["id"] for r in found} == {GSP, ABG, CSEB}
    assert {a for r in found for a in r["aliases"]} >= {"GSP", "ABG", "CSEB"}
    assert all(cites(r["sources"], "cover") for r in found)


def test_the_conference_covers_gloucestershire(seeded: Driver):
    assert value(seeded,
                 "MATCH (:Partnership {id: $conference})-[:COVERS]->(a:Area) RETURN a.name",
                 conference=CONFERENCE) == "Gloucestershire"


def test_gsp_is_chaired_by_a_leading_member_of_the_county_council(seeded: Driver):
    [chair] = chair_of(seeded, GSP)
    assert chair["org"] == GCC
    assert chair["title"].startswith("Leading Member")
    assert cites(chair["sources"], "3(a)")


def test_abg_is_chaired_by_an_independent_person(seeded: Driver):
    [chair] = chair_of(seeded, ABG)
    assert "independent person" in chair["description"]
    assert "non-elected" in chair["note"]
    assert chair["org"] == ABG  # a post of the group itself, not of any council
    assert cites(chair["sources"], "3(b)")


def test_cseb_is_chaired_by_the_county_chief_executive(seeded: Driver):
    [chair] = chair_of(seeded, CSEB)
    assert chair["post"] == "chief-executive-gloucestershire-county-council"
    assert chair["org"] == GCC
    assert cites(chair["sources"], "3(c)")


def test_the_five_thematic_partnerships_are_each_a_member_of_the_gsp(seeded: Driver):
    names = rows(seeded,
                 "MATCH (p:Partnership {kind: $kind})-[m:MEMBER_OF]->(:Partnership {id: $gsp}) "
                 "WHERE $citation IN m.sources RETURN p.name AS name, m.role AS role",
                 kind="thematic partnership", gsp=GSP, citation=f"{DOC}#3(a)")
    assert {r["name"] for r in names} == THEMATIC_PARTNERSHIPS
    assert {r["role"] for r in names} == {"member"}


def test_the_six_district_lsps_are_each_a_member_of_the_gsp(seeded: Driver):
    names = rows(seeded,
                 "MATCH (p:Partnership {kind: $kind})-[m:MEMBER_OF]->(:Partnership {id: $gsp}) "
                 "RETURN p.name AS name, m.sources AS sources",
                 kind="lsp", gsp=GSP)
    assert {r["name"] for r in names} == DISTRICT_LSPS
    assert all(cites(r["sources"], "3(e)") for r in names)


def test_the_voluntary_sector_assembly_board_has_a_seat_on_the_gsp(seeded: Driver):
    seats = value(seeded,
                  "MATCH (:Partnership {id: $board})-[m:MEMBER_OF]->(:Partnership {id: $gsp}) "
                  "RETURN m.seats",
                  board="voluntary-sector-assembly-board", gsp=GSP)
    assert seats == 1


def test_cseb_includes_the_chief_executives_of_all_six_district_councils(seeded: Driver):
    found = rows(seeded,
                 "MATCH (post:Post)-[m:MEMBER_OF]->(:Partnership {id: $cseb}) "
                 "MATCH (post)-[:POST_IN]->(o:Organisation {kind: $council}) "
                 "WHERE post.title STARTS WITH $title "
                 "RETURN o.id AS org, m.role AS role",
                 cseb=CSEB, council="council", title="Chief Executive")
    assert {r["org"] for r in found} == DISTRICT_COUNCILS | {GCC}
    assert {r["org"] for r in found if r["role"] == "member"} == DISTRICT_COUNCILS


def test_cseb_has_a_lead_officer_from_each_thematic_partnership(seeded: Driver):
    found = rows(seeded,
                 "MATCH (post:Post)-[m:MEMBER_OF]->(:Partnership {id: $cseb}) "
                 "MATCH (post)-[:POST_IN]->(t:Partnership {kind: $kind}) "
                 "WHERE post.title STARTS WITH $title "
                 "RETURN t.name AS name, t.id = m.onBehalfOf AS speaks_for_it",
                 cseb=CSEB, kind="thematic partnership", title="Lead Officer")
    assert {r["name"] for r in found} == THEMATIC_PARTNERSHIPS
    assert all(r["speaks_for_it"] for r in found)


def test_cseb_seats_the_chief_constable_and_the_pct_chief_executive(seeded: Driver):
    members = {r["post"] for r in rows(
        seeded, "MATCH (post:Post)-[:MEMBER_OF]->(:Partnership {id: $cseb}) "
                "RETURN post.id AS post", cseb=CSEB)}
    assert {"chief-constable-gloucestershire-constabulary",
            "chief-executive-nhs-gloucestershire",
            "area-lead-government-office-for-the-south-west"} <= members
    assert len(members) == 18


def test_abg_has_a_leading_executive_member_from_the_county_and_each_district(seeded: Driver):
    orgs = rows(seeded,
                "MATCH (post:Post)-[:MEMBER_OF]->(:Partnership {id: $abg}) "
                "MATCH (post)-[:POST_IN]->(o:Organisation) "
                "WHERE post.title STARTS WITH $title RETURN o.id AS org",
                abg=ABG, title="Leading Executive Member")
    assert sorted(r["org"] for r in orgs) == sorted(DISTRICT_COUNCILS | {GCC})


def test_abg_seats_the_chairs_of_the_police_authority_pct_and_assembly_board(seeded: Driver):
    found = rows(seeded,
                 "MATCH (post:Post)-[:MEMBER_OF {role: $member}]->(:Partnership {id: $abg}) "
                 "MATCH (post)-[:POST_IN]->(body) WHERE post.title STARTS WITH $title "
                 "RETURN body.id AS body",
                 member="member", abg=ABG, title="Chair")
    assert {r["body"] for r in found} == {"gloucestershire-police-authority",
                                          "nhs-gloucestershire",
                                          "voluntary-sector-assembly-board"}


def test_gsp_abg_and_cseb_are_supported_by_the_county_council(seeded: Driver):
    found = rows(seeded,
                 "MATCH (p:Partnership)-[s:SUPPORTED_BY]->(:Organisation {id: $gcc}) "
                 "RETURN p.id AS id, s.sources AS sources",
                 gcc=GCC)
    assert {r["id"] for r in found} == {GSP, ABG, CSEB}
    assert all(cites(r["sources"], "5") for r in found)


def test_each_district_lsp_is_supported_by_its_district_council(seeded: Driver):
    pairs = rows(seeded,
                 "MATCH (p:Partnership {kind: $lsp})-[:MEMBER_OF]->(:Partnership {id: $gsp}) "
                 "MATCH (p)-[:SUPPORTED_BY]->(o:Organisation {kind: $council}) "
                 "MATCH (p)-[:COVERS]->(a:Area)<-[:COVERS]-(o) "
                 "RETURN p.id AS lsp, o.id AS council",
                 lsp="lsp", gsp=GSP, council="council")
    assert len(pairs) == 6
    assert {r["council"] for r in pairs} == DISTRICT_COUNCILS


def test_cseb_advises_the_gsp_and_the_abg(seeded: Driver):
    found = rows(seeded,
                 "MATCH (:Partnership {id: $cseb})-[r:ACCOUNTABLE_TO]->(p:Partnership) "
                 "RETURN p.id AS id, r.how AS how",
                 cseb=CSEB)
    assert {r["id"] for r in found} == {GSP, ABG}
    assert all(r["how"].startswith("advises") for r in found)


def test_cheltenham_chief_executive_is_the_culture_champion_on_the_cseb(seeded: Driver):
    found = value(seeded,
                  "MATCH (:Post {id: $post})-[m:MEMBER_OF]->(:Partnership {id: $cseb}) "
                  "RETURN {note: m.note, sources: m.sources}",
                  post="chief-executive-cheltenham-borough-council", cseb=CSEB)
    assert 'culture "champion"' in found["note"]
    assert cites(found["sources"], "4(b)")


def test_olympics_preparations_are_led_jointly_by_active_gloucestershire_and_glos_first(
        seeded: Driver):
    leads = rows(seeded,
                 "MATCH (lead)-[:RUNS]->(:Programme {id: $project}) RETURN lead.name AS name",
                 project="london-olympics-2012-preparations")
    assert {r["name"] for r in leads} == {"Active Gloucestershire", "Gloucestershire First"}


def test_gsp_owns_the_county_sustainable_community_strategy(seeded: Driver):
    owner = value(seeded,
                  "MATCH (o)-[:OWNS]->(:Strategy {id: $scs}) RETURN o.id",
                  scs="sustainable-community-strategy-for-gloucestershire")
    assert owner == GSP


def test_the_prospectus_is_dated_1_october_2008(seeded: Driver):
    source = value(seeded, "MATCH (s:Source {id: $doc}) RETURN s {.title, .date}", doc=DOC)
    assert source["date"].to_native() == datetime.date(2008, 10, 1)
    assert source["title"].startswith("Prospectus for Partnership Working in Gloucestershire")


def test_cseb_counts_its_chair_once_among_eighteen_seats(seeded: Driver):
    # glos-prospectus-2008#3(c): the CSEB is "Chaired by the Chief Executive of the County
    # Council", who is also one of the "Chief Executives of the County Council and the six
    # districts councils": 7 + PCT 1 + Chief Constable 1 + VSA manager 1 + LSC 1 + five lead
    # officers 5 + RDA 1 + GOSW 1 = 18 seats, the chair's among them (issue 13, item 1).
    assert value(seeded,
                 "MATCH (:Partnership {id: $cseb})<-[m:MEMBER_OF]-() "
                 "RETURN sum(coalesce(m.seats, 1))", cseb=CSEB) == 18
    assert value(seeded,
                 "MATCH (:Post {id: $post})-[m:MEMBER_OF]->(:Partnership {id: $cseb}) "
                 "RETURN collect(m.role)",
                 post="chief-executive-gloucestershire-county-council", cseb=CSEB) == ["chair"]


# Issue 13, item 6: the worked examples of Appendix 1 ("How the new structure might work in
# practice"; section 3 points to them), each with status `example`.
APPENDIX_1 = {
    "appendix-1-example-strategy-development-environment":
        ("strategy-development", {GSP, CSEB, ABG}),
    "appendix-1-example-strategic-response-employer-closes":
        ("strategic-response", {"forest-of-dean-local-strategic-partnership",
                                "gloucester-partnership", "gloucestershire-first", ABG, GSP}),
    "appendix-1-example-strategic-review-community-cohesion":
        ("strategic-review", {CSEB, GSP, ABG}),
    "appendix-1-example-emergent-strategy-school-absences":
        ("emergent-strategy", {"gloucestershire-children-and-young-peoples-strategic-partnership",
                               "gloucestershire-safer-and-stronger-communities-partnership",
                               GSP, ABG, CSEB}),
}


def test_appendix_1_has_four_worked_examples_naming_the_bodies_that_act(seeded: Driver):
    found = {r["id"]: r for r in rows(
        seeded, "MATCH (e:Programme) WHERE e.id IN $ids "
                "OPTIONAL MATCH (b)-[:RUNS]->(e) "
                "RETURN e.id AS id, e.name AS name, e.status AS status, e.sources AS sources, "
                "collect(b.id) AS bodies",
        ids=list(APPENDIX_1))}
    assert set(found) == set(APPENDIX_1)
    for id_, (section, bodies) in APPENDIX_1.items():
        assert found[id_]["status"] == "example"
        assert found[id_]["name"].startswith("Example of ")
        assert set(found[id_]["bodies"]) == bodies
        assert cites(found[id_]["sources"], f"appendix-1/{section}")
        assert cites(found[id_]["sources"], "3")


def test_a_task_group_led_by_gloucestershire_first_oversees_the_closure_action_plan(
        seeded: Driver):
    # glos-prospectus-2008#appendix-1/strategic-response: "a task group led by Gloucestershire
    # First, but involving the Gloucestershire and Forest of Dean LSPs is set up to oversee it".
    group = "appendix-1-example-employer-closure-task-group"
    found = rows(seeded,
                 "MATCH (m)-[r:MEMBER_OF]->(g:Partnership {id: $group}) "
                 "RETURN m.id AS id, r.status AS status, r.note AS note, g.status AS group, "
                 "r.sources AS sources",
                 group=group)
    assert {r["id"] for r in found} == {"gloucestershire-first",
                                        "forest-of-dean-local-strategic-partnership",
                                        "gloucester-partnership"}
    assert {r["status"] for r in found} == {r["group"] for r in found} == {"example"}
    assert all(cites(r["sources"], "appendix-1/strategic-response") for r in found)
    # the text's "Gloucestershire ... LSPs" is read as the Gloucester LSP, and says so
    [gloucester] = [r for r in found if r["id"] == "gloucester-partnership"]
    assert "Gloucestershire and Forest of Dean LSPs" in gloucester["note"]


def test_an_ad_hoc_working_group_on_school_absences_reports_back_to_the_gsp(seeded: Driver):
    # glos-prospectus-2008#appendix-1/emergent-strategy: "an ad hoc working group formed by the
    # CYPSP and Safer and Stronger Communities partnerships together with the three LSPs, a
    # report back is made and discussed by the GSP as a whole".
    group = "appendix-1-example-school-absences-working-group"
    assert {r["id"] for r in rows(seeded,
                                  "MATCH (m)-[:MEMBER_OF {status: $example}]->"
                                  "(:Partnership {id: $group, status: $example}) "
                                  "RETURN m.id AS id", example="example", group=group)} == {
        "gloucestershire-children-and-young-peoples-strategic-partnership",
        "gloucestershire-safer-and-stronger-communities-partnership"}
    line = value(seeded,
                 "MATCH (:Partnership {id: $group})-[r:ACCOUNTABLE_TO]->(:Partnership {id: $gsp}) "
                 "RETURN r {.how, .status, .sources}", group=group, gsp=GSP)
    assert line["status"] == "example"
    assert "discussed by the GSP" in line["how"]
    assert cites(line["sources"], "appendix-1/emergent-strategy")


def test_the_county_bodies_are_in_force_from_the_prospectus_date(seeded: Driver):
    # glos-prospectus-2008#1 and #6: the prospectus was "first published in February 2007" with
    # "initial proposals"; the arrangements "were reviewed between April-July 2008 and
    # re-affirmed". No section says when the bodies were set up, so none carries a valid_from
    # and each is in force from the updated prospectus's date, 1 October 2008.
    found = {r["id"]: r for r in rows(
        seeded, "MATCH (p:Partnership) WHERE p.id IN $ids RETURN p.id AS id, "
                "p.validFrom AS validFrom, p.validTo AS validTo, p.inForceFrom AS inForceFrom",
        ids=[CONFERENCE, GSP, ABG, CSEB])}
    assert set(found) == {CONFERENCE, GSP, ABG, CSEB}
    for body in found.values():
        assert body["validFrom"] is None and body["validTo"] is None
        assert body["inForceFrom"].to_native() == datetime.date(2008, 10, 1)
