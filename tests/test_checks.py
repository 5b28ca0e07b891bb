"""Rule checks: every rule file is well formed and runs; on the seed, the findings are what the
documents say (board sizes against the Horsham ranges, ...); loads list what they find."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from partnership_kb import config, loader, model, seed
from partnership_kb.checks import Severity, diff, load_rules, run_checks
from partnership_kb.checks import run as checks_run
from partnership_kb.checks.brokers import articulation_points
from partnership_kb.checks.rules import COMMON_PARAMS, parse_rule
from partnership_kb.cli import app
from partnership_kb.config import Connection
from partnership_kb.errors import ConfigError

from .district_data import BASE, with_cell
from .graphql_client import data
from .helpers import rows
from .workbooks import write_xlsx

RULES = load_rules()
RULE_FILES = sorted((config.project_home() / "queries" / "checks").glob("*.cypher"))
SEED_DOCUMENTS = {folder.name for folder in seed.folders()}


def subjects(driver: Driver, rule: str, **options: object) -> set[str]:
    return {f.subject.id for f in run_checks(driver, names=[rule], **options)}  # type: ignore[arg-type]


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_rule_has_severity_source_and_uses_its_parameters(path: Path) -> None:
    rule = parse_rule(path)
    assert rule.name == path.stem and rule.query.purpose
    document, _, section = rule.source.partition("#")
    assert document in SEED_DOCUMENTS and section, f"{rule.source} is no seed document#section"
    assert set(COMMON_PARAMS) <= set(rule.query.params)
    body = "\n".join(line for line in rule.query.text.splitlines() if not line.startswith("//"))
    assert set(re.findall(r"\$(\w+)", body)) == set(rule.query.params)


@pytest.mark.parametrize("name", sorted(RULES))
def test_rule_runs_with_and_without_a_date_area_and_dataset(seeded: Driver, name: str) -> None:
    everything = run_checks(seeded, names=[name])
    on_a_date = run_checks(seeded, names=[name], as_of=dt.date(2011, 1, 1))
    in_an_area = run_checks(seeded, names=[name], area="gloucestershire")
    nowhere = run_checks(seeded, names=[name], area="no-such-area", as_of=dt.date(2011, 1, 1))
    for found in (everything, on_a_date, in_an_area):
        for finding in found:
            assert finding.rule == name and finding.severity == RULES[name].severity
            assert finding.subject.id and finding.evidence and finding.sources
            assert all("#" in s for s in finding.sources), finding.sources
    assert nowhere == []
    assert {f.key for f in in_an_area} <= {f.key for f in everything}


def test_a_rule_without_severity_fails_naming_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cypher"
    bad.write_text("// name: bad\n// purpose: p\n// params: $asOf: Date = null - d\n"
                   "// returns: r\n// used by: u\nRETURN 1\n")
    with pytest.raises(ConfigError, match=r"bad.cypher: the header has no `// severity:` line"):
        parse_rule(bad)


def test_board_sizes_against_the_horsham_ranges(seeded: Driver) -> None:
    # Cheltenham's proposed SLG has 16 seats (board: 12-15); its two thematic partnerships
    # 17 and 18 (8-10); the prospectus's CSEB 18 (executive: 8-10).
    assert subjects(seeded, "board_too_large") == {
        "strategic-leadership-group", "positive-lives-partnership",
        "positive-participation-partnership", "community-strategy-executive-board"}
    # Horsham's own board has 8 seats, its executive 4; South Gloucestershire Partnership 7.
    assert {"horsham-district-community-partnership-board",
            "horsham-district-community-partnership-executive",
            "south-gloucestershire-partnership"} <= subjects(seeded, "board_too_small")
    # In Gloucestershire on 1 January 2011 only the CSEB was in force and too large.
    assert subjects(seeded, "board_too_large", as_of=dt.date(2011, 1, 1),
                    area="gloucestershire") == {"community-strategy-executive-board"}
    slg = next(f for f in run_checks(seeded, names=["board_too_large"])
               if f.subject.id == "strategic-leadership-group")
    assert "16 seats" in slg.evidence and "12-15" in slg.evidence
    assert "cheltenham-structures-2011#strategic-leadership-group" in slg.sources
    assert slg.rule_source == "horsham-talking-2009#summary-of-research/principle-3-table"


def test_meeting_frequency_against_the_guidance(seeded: Driver) -> None:
    # Gloucester's proposed executive meets quarterly; Horsham advises about every two months.
    # Its strategic level meets twice a year, which "two or three times a year" allows.
    assert subjects(seeded, "meets_less_often") == {"gloucester-partnership-executive-level"}


def test_the_same_chair_on_both_ends_of_an_accountability_line(seeded: Driver) -> None:
    # The South Gloucestershire Partnership's chair chaired the review group reporting to it.
    assert subjects(seeded, "chair_of_accountable_body") == {
        "chair-south-gloucestershire-partnership"}


def test_undelivered_outcomes_count_only_certain_deliveries(seeded: Driver) -> None:
    # Appendix One gives Age Concern and the older people's assembly for outcome 3.5 only
    # with a question mark: nothing certainly delivers it.
    assert subjects(seeded, "undelivered_outcome") == {"gloucester-scs-outcome-3-5"}
    said = rows(seeded, "MATCH (:Outcome {id: 'gloucester-scs-outcome-3-5'})-[:HAS_ACTION*0..1]->()"
                        "<-[d:DELIVERS]-() RETURN DISTINCT d.status AS status")
    assert said == [{"status": "uncertain"}]


def test_members_on_many_boards_and_unheld_leading_posts(seeded: Driver) -> None:
    # Cheltenham's VCS representative sits on all four proposed bodies.
    assert subjects(seeded, "member_on_many_boards") == {"vcs-representative-cheltenham"}
    assert "vcs-representative-cheltenham" not in subjects(
        seeded, "member_on_many_boards", as_of=dt.date(2011, 1, 1))
    assert "chair-low-carbon-partnership" in subjects(seeded, "unheld_post")
    holders = {r["post"] for r in rows(seeded, "MATCH (:Person)-[:HOLDS]->(p:Post) "
                                               "RETURN p.id AS post")}
    assert not holders & subjects(seeded, "unheld_post")


def test_stale_proposals_depend_on_the_date(seeded: Driver) -> None:
    assert "strategic-leadership-group" in subjects(seeded, "stale_proposal")
    assert subjects(seeded, "stale_proposal", as_of=dt.date(2012, 1, 1)) == {
        r["id"] for r in rows(seeded, "MATCH (p:Partnership {status: 'proposed'}) "
                                      "WHERE p.statedOn <= date('2010-01-01') RETURN p.id AS id")}


def test_brokers_are_the_members_whose_removal_splits_the_network(seeded: Driver) -> None:
    edges = rows(seeded, "MATCH (m)-[:MEMBER_OF]->(b:Partnership) "
                         "RETURN 'm:' + m.id AS m, 'b:' + b.id AS b")
    adjacency: dict[str, set[str]] = {}
    for edge in edges:
        adjacency.setdefault(edge["m"], set()).add(edge["b"])
        adjacency.setdefault(edge["b"], set()).add(edge["m"])
    # Brute force, node by node: does removing it leave more components?
    def components(without: str | None) -> int:
        seen, count = {without}, 0
        for start in adjacency:
            if start in seen:
                continue
            count, todo = count + 1, [start]
            seen.add(start)
            while todo:
                for nxt in adjacency[todo.pop()] - seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return count
    whole = components(None)
    brute = {n for n in adjacency if components(n) > whole - (len(adjacency[n]) == 0)}
    assert articulation_points(adjacency) == brute
    assert len(brute) > 5


def test_graphql_checks_filters_by_severity(seeded: Driver) -> None:
    query = """query ($s: FindingSeverity) { checks(asOf: "2011-01-01", area: "gloucestershire",
      severity: $s) { rule severity ruleSource { document section } subject { id name label }
      evidence sources { document section } } }"""
    every = data(seeded, query)["checks"]
    warnings = data(seeded, query, s="WARNING")["checks"]
    assert {f["severity"] for f in every} == {"INFO", "WARNING"}
    assert warnings == [f for f in every if f["severity"] == "WARNING"]
    cseb = next(f for f in warnings if f["rule"] == "board_too_large")
    assert cseb["subject"] == {"id": "community-strategy-executive-board", "label": "Partnership",
                               "name": "Community Strategy Executive Board"}
    assert {"document": "glos-prospectus-2008", "section": "3(c)"} in cseb["sources"]


def test_pkb_check_fails_on_a_severity_reached(seeded: Driver, connection: Connection) -> None:
    env = {"NEO4J_URI": connection.uri, "NEO4J_PASSWORD": connection.password,
           "COLUMNS": "200"}
    runner = CliRunner()
    args = ["check", "--as-of", "2011-01-01", "--area", "gloucestershire"]
    failed = runner.invoke(app, [*args, "--fail-on", "warning"], env=env)
    assert failed.exit_code == 1, failed.output
    assert "warning: board_too_large: Community Strategy Executive Board: 18 seats" in failed.output
    assert runner.invoke(app, [*args, "--fail-on", "error"], env=env).exit_code == 0
    as_json = runner.invoke(app, [*args, "--json", "--severity", "warning"], env=env)
    assert {f["severity"] for f in json.loads(as_json.output)} == {"warning"}
    bad = runner.invoke(app, [*args, "--fail-on", "severe"], env=env)
    assert bad.exit_code != 0 and "'severe' is not a severity" in str(bad.exception)


def test_a_load_lists_the_findings_it_makes_and_resolves(graph: Driver, tmp_path: Path) -> None:
    the_model = model.default()
    horsham = config.project_home() / "data" / "seed" / "horsham-talking-2009"
    loader.load(horsham, "seed", the_model, graph, dataset="seed/horsham-talking-2009")
    # Testford's leadership group is a board of 4 seats (Horsham: 12-15).
    first = loader.load(write_xlsx(tmp_path / "r.xlsx", BASE), "testford", the_model, graph,
                        dataset="testford/returns")
    made = {(f.rule, f.subject.id) for f in first.new_findings}
    assert ("board_too_small", "testford-leadership-group") in made
    # The same return with the VCS holding 10 seats: 12 seats, within the range.
    bigger = with_cell("memberships", 2, "seats", "10")
    second = loader.load(write_xlsx(tmp_path / "r2.xlsx", bigger), "testford", the_model, graph,
                         dataset="testford/returns")
    assert ("board_too_small", "testford-leadership-group") in {
        (f.rule, f.subject.id) for f in second.resolved_findings}
    assert not any(f.subject.id == "testford-leadership-group" for f in second.new_findings)
    recorded = rows(graph, "MATCH (l:Load {dataset: 'testford/returns'}) RETURN "
                           "l.newFindings AS new, l.resolvedFindings AS resolved "
                           "ORDER BY l.recordedAt")
    assert any("Testford Leadership Group: 4 seats" in line for line in recorded[0]["new"])
    assert any("Testford Leadership Group: 4 seats" in line for line in recorded[-1]["resolved"])
    answer = data(graph, '{ loads(dataset: "testford/returns") { newFindings resolvedFindings } }')
    assert any("4 seats" in line for load in answer["loads"] for line in load["resolvedFindings"])


# Another dataset stating Testford's leadership group and 10 seats on it.
TESTSHIRE = {
    "sources": [["id", "title", "date", "publisher"],
                ["testshire-return-2026", "Testshire return 2026", "01/05/2026",
                 "Testshire County Council"]],
    "organisations": [["id", "name", "kind", "sector", "sources"],
                      ["testshire-fire", "Testshire Fire and Rescue", "fire", "public",
                       "testshire-return-2026#1"]],
    "partnerships": [["id", "name", "kind", "tier", "status", "sources"],
                     ["testford-leadership-group", "Testford Leadership Group", "board",
                      "strategic", "proposed", "testshire-return-2026#2"]],
    "memberships": [["member", "body", "role", "seats", "sources"],
                    ["testshire-fire", "testford-leadership-group", "member", "10",
                     "testshire-return-2026#2"]],
}


@pytest.mark.parametrize("share", [float("inf"), 0.0], ids=["by-seeks", "as-written"])
def test_a_loads_findings_are_those_of_the_whole_graph_for_its_dataset(
        graph: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float) -> None:
    """A load's checks reach only what it names; what they report must be what the rules
    find over the whole graph for the dataset, before and after: also when another dataset's
    fact on a board the load touches makes the finding, and when a later return ends facts.
    Both ways a load may run a rule are tried: reaching its anchors by seeks, or (its scope
    being most of the graph) as written."""
    monkeypatch.setattr(checks_run, "SEEK_SHARE", share)
    the_model = model.default()
    horsham = config.project_home() / "data" / "seed" / "horsham-talking-2009"
    loader.load(horsham, "seed", the_model, graph, dataset="seed/horsham-talking-2009")

    def load_and_compare(sheets: dict[str, list[list[object]]], district: str, dataset: str,
                         name: str) -> tuple[set[str], set[str]]:
        before = run_checks(graph, dataset=dataset)
        report = loader.load(write_xlsx(tmp_path / name, sheets), district, the_model, graph,
                             dataset=dataset, allow_new=True)
        new, resolved = diff(before, run_checks(graph, dataset=dataset))
        assert [f.line() for f in report.new_findings] == [f.line() for f in new]
        assert [f.line() for f in report.resolved_findings] == [f.line() for f in resolved]
        return ({f"{f.rule} {f.subject.id}" for f in new},
                {f"{f.rule} {f.subject.id}" for f in resolved})

    new, _ = load_and_compare(BASE, "testford", "testford/returns", "a.xlsx")
    assert "board_too_small testford-leadership-group" in new
    load_and_compare(TESTSHIRE, "testshire", "testshire/returns", "b.xlsx")
    # Testford corrects its return: the VCS has 4 seats. With Testshire's 10, the group has
    # 16 seats (Horsham: 12-15), a finding Testford's load makes from another dataset's fact.
    new, _ = load_and_compare(with_cell("memberships", 2, "seats", "4"), "testford",
                              "testford/returns", "c.xlsx")
    assert "board_too_large testford-leadership-group" in new
    # A later return without the NHS: its membership is ended, the group back to 15 seats.
    later = with_cell("memberships", 2, "seats", "4")
    later["sources"][1][2] = "01/06/2026"
    del later["memberships"][3]
    _, resolved = load_and_compare(later, "testford", "testford/returns", "d.xlsx")
    assert "board_too_large testford-leadership-group" in resolved


def test_diff_matches_findings_by_rule_and_subject() -> None:
    from partnership_kb.checks.findings import Finding, Subject

    def finding(rule: str, subject: str, evidence: str) -> Finding:
        return Finding(rule, Severity.INFO, "doc#1", Subject(subject, subject, "Partnership"),
                       evidence)
    before = [finding("a", "x", "4 seats"), finding("b", "y", "")]
    after = [finding("a", "x", "5 seats"), finding("c", "z", "")]
    new, resolved = diff(before, after)
    assert [f.rule for f in new] == ["c"] and [f.rule for f in resolved] == ["b"]


@pytest.mark.parametrize("name", sorted(load_rules()))
def test_a_rule_reached_by_its_anchors_finds_the_same_words(seeded: Driver, name: str) -> None:
    """A load judges the anchors it names (Rule.scoped_text), the API the whole graph: the
    plans differ, so rows reach each aggregation in another order. Every finding must read
    the same both ways, or a reload would report a finding resolved and found again."""
    rule = load_rules()[name]
    _, kind, rel = rule.anchored
    anchors = [r["a"] for r in seeded.execute_query(
        f"MATCH ()-[x:`{kind}`]->() RETURN elementId(x) AS a" if rel
        else f"MATCH (x:`{kind}`) RETURN x.id AS a").records]
    params = checks_run.params_for(rule, None, None, None)

    def lines(text: str, **more: object) -> list[str]:
        records = seeded.execute_query(text, {**params, **more}).records
        return [f.line() for f in checks_run.from_rows(rule, checks_run.rows_of(records))]

    # A reload names a relationship twice (said by its last load, written again): judged once.
    twice = anchors + anchors
    assert lines(rule.scoped_text, ids=twice, rels=twice) == lines(rule.query.text)
