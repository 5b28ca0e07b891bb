"""Facts from Improving partnership structures for Cheltenham (cheltenham-structures-2011),
checked through Cypher against the loaded seed."""

from __future__ import annotations

from neo4j import Driver

from .graphql_client import data
from .helpers import rows, value

DOC = "cheltenham-structures-2011"
SLG = "strategic-leadership-group"
PPP = "positive-participation-partnership"
PLP = "positive-lives-partnership"
PDG = "positive-development-group"
CBC = "cheltenham-borough-council"
VCS_FORUM = "cheltenham-voluntary-and-community-sector-forum"
VCS_REP = "vcs-representative-cheltenham"
CBC_CHIEF_EXECUTIVE = "chief-executive-cheltenham-borough-council"


def cites(sources: list[str], section: str) -> bool:
    return f"{DOC}#{section}" in sources


def body(driver: Driver, id_: str) -> dict:
    return value(driver,
                 "MATCH (p:Partnership {id: $id}) "
                 "RETURN p {.name, .aliases, .status, .tier, .meetingFrequency, .meetingsPerYear, "
                 ".sources}",
                 id=id_)


def reporting_line(driver: Driver, source: str, target: str) -> dict:
    return value(driver,
                 "MATCH (:Partnership {id: $source})-[r:ACCOUNTABLE_TO]->({id: $target}) "
                 "RETURN r {.frequency, .how, .status, .sources}",
                 source=source, target=target)


def members(driver: Driver, id_: str) -> set[str]:
    return {r["id"] for r in rows(driver,
                                  "MATCH (m)-[:MEMBER_OF]->(:Partnership {id: $id}) "
                                  "RETURN m.id AS id", id=id_)}


def seats(driver: Driver, id_: str) -> int:
    """Seats on a body: the sum of its memberships' seats (a membership without seats is one)."""
    return value(driver,
                 "MATCH (:Partnership {id: $id})<-[m:MEMBER_OF]-() "
                 "RETURN sum(coalesce(m.seats, 1))", id=id_)


def test_the_four_bodies_are_proposed_for_cheltenham(seeded: Driver):
    found = rows(seeded,
                 "MATCH (p:Partnership)-[:COVERS]->(:Area {id: $area}) "
                 "WHERE p.id IN $ids RETURN p.name AS name, p.status AS status",
                 area="cheltenham", ids=[SLG, PPP, PLP, PDG])
    assert {r["name"] for r in found} == {"Strategic Leadership Group",
                                          "Positive Participation Partnership",
                                          "Positive Lives Partnership",
                                          "Positive Development Group"}
    assert {r["status"] for r in found} == {"proposed"}


def test_positive_participation_partnership_reports_to_the_slg_six_monthly(seeded: Driver):
    line = reporting_line(seeded, PPP, SLG)
    assert line["frequency"] == "6-monthly"
    assert "needs analysis" in line["how"]
    assert line["status"] == "proposed"
    assert cites(line["sources"], "positive-participation-partnership")


def test_positive_lives_partnership_reports_to_the_slg_six_monthly(seeded: Driver):
    line = reporting_line(seeded, PLP, SLG)
    assert line["frequency"] == "6-monthly"
    assert cites(line["sources"], "positive-lives-partnership")


def test_participation_and_lives_partnerships_report_to_county_structures_as_appropriate(
        seeded: Driver):
    for partnership in (PPP, PLP):
        line = reporting_line(seeded, partnership, "gloucestershire-county-partnership-structures")
        assert line["frequency"] == "as appropriate"


def test_slg_answers_only_through_the_democratic_processes_of_cbc_and_the_vcs_forum(
        seeded: Driver):
    found = rows(seeded,
                 "MATCH (:Partnership {id: $slg})-[r:ACCOUNTABLE_TO]->(t) "
                 "RETURN t.id AS target, r.how AS how",
                 slg=SLG)
    assert {r["target"] for r in found} == {CBC, VCS_FORUM}
    assert all(r["how"].startswith("democratic processes") for r in found)


def test_each_of_the_four_bodies_is_held_to_account_through_cheltenham_borough_council(
        seeded: Driver):
    found = rows(seeded,
                 "MATCH (p:Partnership)-[r:ACCOUNTABLE_TO]->(:Organisation {id: $cbc}) "
                 "WHERE r.how STARTS WITH $how RETURN p.id AS id",
                 cbc=CBC, how="democratic processes")
    assert {r["id"] for r in found} == {SLG, PPP, PLP, PDG}


def test_development_group_programme_areas_report_annually_to_the_slg(seeded: Driver):
    # "The three key programme areas will report annually to the SLG": two partnerships and
    # the Joint Core Strategy, a programme.
    found = rows(seeded,
                 "MATCH (p)-[r:ACCOUNTABLE_TO {frequency: $frequency}]->"
                 "(:Partnership {id: $slg}) RETURN p.id AS id, r.sources AS sources",
                 frequency="annually", slg=SLG)
    assert {r["id"] for r in found} == {"low-carbon-partnership",
                                        "cheltenham-development-task-force",
                                        "joint-core-strategy"}
    assert all(cites(r["sources"], "positive-development-group") for r in found)


def test_the_joint_core_strategys_annual_report_is_asked_through_the_api(seeded: Driver):
    answer = data(seeded, """{
      jcs: node(id: "joint-core-strategy") { ... on Programme {
        accountableTo { frequency to { ... on Node { id } } } } }
      slg: partnership(id: "strategic-leadership-group") {
        accountableFrom { frequency from { __typename id name } } }
      chain: accountabilityChain(id: "joint-core-strategy") { step to { ... on Node { id } } }
    }""")
    assert answer["jcs"]["accountableTo"] == [
        {"frequency": "annually", "to": {"id": SLG}}]
    reporting = {f["from"]["id"]: f["from"]["__typename"]
                 for f in answer["slg"]["accountableFrom"] if f["frequency"] == "annually"}
    assert reporting["joint-core-strategy"] == "Programme"
    assert answer["chain"][0] == {"step": 1, "to": {"id": SLG}}


def test_slg_meets_every_four_months_in_its_first_year_then_six_monthly(seeded: Driver):
    slg = body(seeded, SLG)
    assert slg["meetingFrequency"] == \
        "every 4 months for the first year but then 6 monthly thereafter"
    assert slg["meetingsPerYear"] == 3
    assert slg["tier"] == "strategic"


def test_participation_and_lives_partnerships_meet_every_two_months(seeded: Driver):
    for partnership in (PPP, PLP):
        found = body(seeded, partnership)
        assert found["meetingFrequency"] == "every 2 months"
        assert found["meetingsPerYear"] == 6


def test_positive_development_group_might_not_meet_but_be_a_virtual_group(seeded: Driver):
    pdg = body(seeded, PDG)
    assert pdg["meetingFrequency"] == "might not meet and instead be a virtual group"
    assert pdg["meetingsPerYear"] is None


def test_two_vcs_representatives_are_one_membership_with_two_seats(seeded: Driver):
    for partnership in (PPP, PLP):
        found = rows(seeded,
                     "MATCH (:Post {id: $rep})-[m:MEMBER_OF]->(:Partnership {id: $body}) "
                     "RETURN m.seats AS seats, m.note AS note",
                     rep=VCS_REP, body=partnership)
        assert len(found) == 1
        assert found[0]["seats"] == 2
        assert "2 x VCS representation" in found[0]["note"]


def test_slg_has_a_single_vcs_seat(seeded: Driver):
    assert value(seeded,
                 "MATCH (:Post {id: $rep})-[m:MEMBER_OF]->(:Partnership {id: $slg}) "
                 "RETURN m.seats", rep=VCS_REP, slg=SLG) == 1


def test_regeneration_partnerships_have_three_seats_on_the_participation_partnership(
        seeded: Driver):
    assert value(seeded,
                 "MATCH (:Partnership {id: $member})-[m:MEMBER_OF]->(:Partnership {id: $ppp}) "
                 "RETURN m.seats",
                 member="cheltenham-regeneration-partnerships", ppp=PPP) == 3


def test_cbc_chief_executive_sits_on_several_partnerships_across_documents(seeded: Driver):
    found = rows(seeded,
                 "MATCH (:Post {id: $post})-[m:MEMBER_OF]->(p:Partnership) "
                 "RETURN DISTINCT p.id AS id, m.sources AS sources",
                 post=CBC_CHIEF_EXECUTIVE)
    bodies = {r["id"] for r in found}
    assert len(bodies) >= 2
    assert {SLG, PDG, "community-strategy-executive-board"} <= bodies
    documents = {s.split("#")[0] for r in found for s in r["sources"]}
    assert {DOC, "glos-prospectus-2008"} <= documents


def test_slg_includes_the_chairs_of_the_participation_and_lives_partnerships(seeded: Driver):
    chairs = rows(seeded,
                  "MATCH (post:Post)-[:MEMBER_OF]->(:Partnership {id: $slg}) "
                  "MATCH (post)-[:MEMBER_OF {role: $chair}]->(p:Partnership) "
                  "RETURN p.id AS chaired",
                  slg=SLG, chair="chair")
    assert {r["chaired"] for r in chairs} >= {PPP, PLP}


def test_slg_seats_fire_probation_police_authority_and_the_cheltenham_mps(seeded: Driver):
    assert {"gloucestershire-fire-and-rescue-service", "gloucestershire-probation",
            "gloucestershire-police-authority", "mp-cheltenham",
            "leader-cheltenham-borough-council",
            "local-police-area-superintendent-gloucestershire-constabulary"} \
        <= members(seeded, SLG)
    assert len(members(seeded, SLG)) == 16


def test_development_group_brings_together_jcs_task_force_and_low_carbon_leads(seeded: Driver):
    assert members(seeded, PDG) == {
        "leader-cheltenham-borough-council", CBC_CHIEF_EXECUTIVE,
        "chair-cheltenham-development-task-force",
        "chief-executive-cheltenham-development-task-force", "chair-low-carbon-partnership",
        "chair-cheltenham-business-and-economic-partnership", VCS_REP,
    }


def test_lives_partnership_police_seat_is_a_superintendent_or_chief_inspector(seeded: Driver):
    police = rows(seeded,
                  "MATCH (post:Post)-[m:MEMBER_OF]->(:Partnership {id: $plp}) "
                  "MATCH (post)-[:POST_IN]->(:Organisation {id: $police}) "
                  "RETURN post.id AS id, m.note AS note",
                  plp=PLP, police="gloucestershire-constabulary")
    assert {r["id"] for r in police} == {
        "local-police-area-superintendent-gloucestershire-constabulary",
        "local-police-chief-inspector-gloucestershire-constabulary"}
    assert all("Sup't / C/Insp" in r["note"] for r in police)
    # One line of the list, so one seat between the two posts.
    assert value(seeded,
                 "MATCH (post:Post)-[m:MEMBER_OF]->(:Partnership {id: $plp}) "
                 "WHERE post.id IN $ids RETURN sum(coalesce(m.seats, 1))",
                 plp=PLP, ids=[r["id"] for r in police]) == 1


# Issue 13, item 1: a chair was added as an extra member row, so the Positive Participation
# Partnership had 20 seats and the Positive Lives Partnership 19. Chairing is a role held in a
# seat: the chair rows now carry no seat of their own.

def test_participation_partnership_has_the_documents_eighteen_seats(seeded: Driver):
    # cheltenham-structures-2011#positive-participation-partnership, "Who will sit on the
    # Positive Participation Partnership?": area-based 1 + 3 + 1 + 1 + 1, communities of
    # interest 4, organisations 2 x VCS + 5 lines ("Cabinet Member / Strategic Director" is
    # one line) = 18.
    assert seats(seeded, PPP) == 18
    shared = rows(seeded,
                  "MATCH (post:Post)-[m:MEMBER_OF]->(:Partnership {id: $ppp}) "
                  "WHERE post.id IN $ids RETURN m.seats AS seats, m.note AS note",
                  ppp=PPP, ids=["cabinet-member-cheltenham-borough-council",
                                "strategic-director-cheltenham-borough-council"])
    assert sorted(r["seats"] for r in shared) == [0, 1]
    assert all("Cabinet Member / Strategic Director" in r["note"] for r in shared)


def test_lives_partnership_has_seventeen_seats(seeded: Driver):
    # cheltenham-structures-2011#positive-lives-partnership, "Who will sit on the Positive
    # Lives Partnership?": Care Services 1, GCC 3, CBH 1, CBC cabinet member, strategic
    # director plus commissioning director 3, police Sup't / C/Insp 1, NHS Glos 2, schools
    # primary and secondary 2, Children's Centres 1, 2 x VCS 2, Jobcentre Plus 1 = 17.
    assert seats(seeded, PLP) == 17


def test_the_unnamed_chairs_of_participation_and_lives_hold_no_extra_seat(seeded: Driver):
    # cheltenham-structures-2011#strategic-leadership-group names "Chairs of Positive
    # Participation and Positive Lives Partnerships"; the chair sits in one of the seats listed.
    for partnership in (PPP, PLP):
        chair = value(seeded,
                      "MATCH (:Post {id: $post})-[m:MEMBER_OF {role: $chair}]->"
                      "(:Partnership {id: $body}) RETURN m {.seats, .note, .sources}",
                      post=f"chair-{partnership}", chair="chair", body=partnership)
        assert chair["seats"] == 0
        assert "not an extra seat" in chair["note"]
        assert cites(chair["sources"], "strategic-leadership-group")


def test_richard_gibson_is_cbc_policy_and_partnerships_manager(seeded: Driver):
    found = rows(seeded,
                 "MATCH (person:Person {name: $name})-[h:HOLDS]->(post:Post)"
                 "-[:POST_IN]->(o:Organisation) "
                 "RETURN post.title AS title, o.id AS org, h.sources AS sources",
                 name="Richard Gibson")
    assert [(r["title"], r["org"]) for r in found] == [
        ("Policy and Partnerships Manager, Cheltenham Borough Council", CBC)]
    assert cites(found[0]["sources"], "contact")


def test_the_vision_has_three_objectives(seeded: Driver):
    titles = rows(seeded,
                  "MATCH (:Strategy {id: $vision})-[:HAS_AIM]->(a:Aim) "
                  "RETURN a.code AS code, a.title AS title ORDER BY code",
                  vision="cheltenham-partnership-structure-vision")
    assert [r["code"] for r in titles] == ["1", "2", "3"]
    assert titles[2]["title"] == "To build better, relevant engagement, not just more engagement"


def test_slg_owns_the_needs_analysis(seeded: Driver):
    assert value(seeded,
                 "MATCH (o)-[:OWNS]->(:Strategy {id: $analysis}) RETURN o.id",
                 analysis="cheltenham-community-needs-analysis") == SLG


def test_the_pip_met_between_march_and_may_2011_with_both_sectors(seeded: Driver):
    # cheltenham-structures-2011#pip: "In 2011 senior officers and practitioners within the
    # public sector and the voluntary and community sector, participated in the Partnership
    # Improvement Programme (PIP) which met three times between March and May 2011." Over by
    # the time the document was written: former, from 1 March to the end of May 2011.
    pip = value(seeded, "MATCH (p:Partnership {id: $id}) RETURN p {.status, .validFrom, "
                        ".validTo, .sources}", id="partnership-improvement-programme")
    assert (pip["status"], pip["validFrom"].iso_format(), pip["validTo"].iso_format()) == \
        ("former", "2011-03-01", "2011-05-31")
    assert cites(pip["sources"], "pip")
    seats = rows(seeded, "MATCH (m)-[r:MEMBER_OF]->(:Partnership {id: $id}) "
                         "RETURN m.id AS id, m.sector AS sector, r.status AS status, "
                         "r.validFrom AS start, r.validTo AS end, r.sources AS sources",
                 id="partnership-improvement-programme")
    assert {(s["id"], s["sector"]) for s in seats} == {
        ("cheltenham-public-sector", "public"),
        ("cheltenham-voluntary-and-community-sector", "voluntary")}
    for seat in seats:
        assert (seat["status"], seat["start"].iso_format(), seat["end"].iso_format()) == \
            ("former", "2011-03-01", "2011-05-31")
        assert cites(seat["sources"], "pip")


def test_the_proposed_structure_has_no_start_date(seeded: Driver):
    # cheltenham-structures-2011#a-partnership-structure-for-cheltenham: the final proposals
    # "will be considered by the CSP on 29 September and CBC's Cabinet on 18 October"; the
    # document gives no date from which the new bodies or their seats would run.
    dated = rows(seeded, "MATCH (p:Partnership) WHERE p.id IN $ids AND (p.validFrom IS NOT NULL "
                         "OR EXISTS { ()-[r:MEMBER_OF]->(p) WHERE r.validFrom IS NOT NULL }) "
                         "RETURN p.id AS id", ids=[SLG, PPP, PLP, PDG])
    assert dated == []
