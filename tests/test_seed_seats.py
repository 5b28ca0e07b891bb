"""Seat counts across the whole seed: chairing is a role held in a seat, not another seat
(issue 13, item 1), so a body's seat count (the sum of its memberships' seats) matches the
document. Per-document counts are in the test_seed_<document>.py files."""

from __future__ import annotations

from neo4j import Driver

from .helpers import rows


def test_no_member_who_also_chairs_a_body_is_given_a_second_seat_for_chairing(seeded: Driver):
    # A member listed on a body and named (or offered) as its chair holds one seat: its chair
    # row, if it has one besides the member row, carries none. Covers
    # horsham-talking-2009#summary-of-research/principle-3-table ('appropriate voluntary group'
    # for Well-being) and every other document's memberships.
    doubled = rows(seeded,
                   "MATCH (m)-[c:MEMBER_OF {role: $chair}]->(b:Partnership)"
                   "<-[:MEMBER_OF {role: $member}]-(m) "
                   "WHERE coalesce(c.seats, 1) > 0 "
                   "RETURN m.id AS member, b.id AS body",
                   chair="chair", member="member")
    assert doubled == []


def test_a_seat_that_holds_no_extra_place_says_why(seeded: Driver):
    # Rows with seats 0 are chairs holding a listed seat, alternatives sharing one line of a
    # membership list ("Cabinet Member / Strategic Director", "Sup't / C/Insp", "police or
    # fire & rescue"), or sectors among Crawley's ten: each note says where the seat is counted.
    silent = rows(seeded,
                  "MATCH (m)-[r:MEMBER_OF {seats: 0}]->(b) "
                  "WHERE r.note IS NULL OR NOT (r.note CONTAINS 'seat' OR r.note CONTAINS 'ten') "
                  "RETURN m.id AS member, b.id AS body")
    assert silent == []
