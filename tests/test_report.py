"""The structure review: a self-contained page (no request leaves it), rendered in Chromium
with its sections; `pkb report` writes it, as HTML or PDF; GET /report serves it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from partnership_kb import config, loader, model, review
from partnership_kb.cli import app
from partnership_kb.config import Connection

from .chromium import ARTIFACTS, launched
from .district_data import with_cell
from .graphql_client import http_client
from .workbooks import write_xlsx

SECTIONS = ["network", "bodies", "interlocks", "overlaps", "findings", "metrics", "sources"]
pytestmark = pytest.mark.e2e


def cli(connection: Connection, *args: str):  # type: ignore[no-untyped-def]
    env = {"NEO4J_URI": connection.uri, "NEO4J_PASSWORD": connection.password}
    return CliRunner().invoke(app, ["report", *args], env=env)


def test_the_review_renders_in_chromium_with_every_section(seeded: Driver) -> None:
    page_html = review.render(review.build(seeded, area="gloucestershire",
                                           as_of=dt.date(2011, 1, 1)))
    requested: list[str] = []
    with launched() as browser:
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.on("request", lambda r: requested.append(r.url))
        page.set_content(page_html, wait_until="load")
        assert page.title() == "Structure review: Gloucestershire, 2011-01-01"
        for key in SECTIONS:
            assert page.locator(f"section#{key} h2").is_visible(), key
        counts = {key: int(page.locator(f"section#{key}").get_attribute("data-count") or 0)
                  for key in SECTIONS}
        drawn = page.locator("#network svg rect.board").count()
        members = page.locator("#network svg circle.member").count()
        cseb = page.locator("#bodies tr", has_text="Community Strategy Executive Board")
        cseb_cells = cseb.locator("td").all_inner_texts()
        finding = page.locator("#findings tr", has_text="board_too_large").inner_text()
        box = page.locator("#network svg").bounding_box()
        page.screenshot(path=str(ARTIFACTS / "review.png"), full_page=True)
        page.close()
    assert requested == [], f"the page asked for {requested}"
    assert drawn > 3 and members > 10 and box and box["width"] > 500
    assert counts["findings"] > 0 and counts["bodies"] > 3 and counts["sources"] >= 5
    assert cseb_cells[3:6] == ["18", "8–10", "larger than advised"]
    assert "glos-prospectus-2008 § 3(c)" in cseb_cells[-1]
    assert "18 seats" in finding and "horsham-talking-2009 § summary-of-research" in finding


def test_user_text_is_escaped(graph: Driver, tmp_path: Path) -> None:
    sheets = with_cell("posts", 2, "title", '<img src=x onerror=alert(1)> & "Group"')
    loader.load(write_xlsx(tmp_path / "r.xlsx", sheets), "testford", model.default(), graph)
    page = review.render(review.build(graph))
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Group&quot;" in page


def test_pkb_report_writes_html_and_a_pdf(seeded: Driver, connection: Connection,
                                          tmp_path: Path) -> None:
    html_file, pdf_file = tmp_path / "review.html", tmp_path / "review.pdf"
    done = cli(connection, "--area", "gloucestershire", "--as-of", "2011-01-01",
               "--out", str(html_file))
    assert done.exit_code == 0, done.output
    text = html_file.read_text()
    assert text.startswith("<!doctype html>") and all(f'id="{s}"' in text for s in SECTIONS)
    assert not re.search(r'(src|href)="(https?:)?//', text), "the page links elsewhere"
    done = cli(connection, "--area", "gloucestershire", "--as-of", "2011-01-01", "--pdf",
               "--out", str(pdf_file))
    assert done.exit_code == 0, done.output
    pdf = pdf_file.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) > 0
    bad = cli(connection, "--as-of", "2011-13-01", "--out", str(html_file))
    assert bad.exit_code != 0 and "is not a date" in str(bad.exception)


def test_get_report_serves_the_page_and_refuses_bad_parameters(seeded: Driver) -> None:
    with http_client(seeded) as client:
        answer = client.get("/report", params={"area": "gloucestershire",
                                               "asOf": "2011-01-01"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        assert "Community Strategy Executive Board" in answer.text
        bad_date = client.get("/report", params={"asOf": "soon"})
        assert bad_date.status_code == 400
        assert bad_date.json()["error"]["message"] == "asOf: 'soon' is not a date."
        bad_area = client.get("/report", params={"area": "<x>"})
        assert bad_area.status_code == 400 and "not an area id" in bad_area.text


def test_the_project_home_has_no_remote_assets() -> None:
    # The review's CSS is inline: a stylesheet or font from elsewhere would break printing
    # offline, and leak who reads it.
    source = (config.project_home() / "src" / "partnership_kb" / "review" / "html.py").read_text()
    assert "http://" not in source.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in source


def test_the_review_metrics_are_the_apis_network_metrics(seeded: Driver) -> None:
    from .graphql_client import data

    built = review.build(seeded, area="gloucestershire", as_of=dt.date(2011, 1, 1))
    html = review.render(built)
    api = data(seeded, """{ networkMetrics(projection: MEMBER_BOARD, asOf: "2011-01-01",
        area: "gloucestershire", first: 100) { nodes { id betweenness community } } }""")
    by_id = {n["id"]: n for n in api["networkMetrics"]["nodes"]}
    assert built.measures and {k.split(":", 1)[1] for k in built.measures} == set(by_id)
    for key, node in built.measures.items():
        assert node.betweenness == pytest.approx(by_id[node.id]["betweenness"]), key
        assert node.community == by_id[node.id]["community"], key
    rows = re.findall(r'<section id="metrics".*?</section>', html, flags=re.S)[0]
    assert "Betweenness" in rows and "Community" in rows
