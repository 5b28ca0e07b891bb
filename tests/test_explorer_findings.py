"""The explorer's Findings panel: the rule checks' findings for the date shown; clicking one
focuses its subject."""

from __future__ import annotations

from playwright.sync_api import expect

from .test_explorer import Explorer, browser, explorer, site  # noqa: F401 (fixtures)

SLG = "strategic-leadership-group"
CSEB = "community-strategy-executive-board"


def test_findings_follow_the_date_and_a_click_focuses_the_subject(explorer: Explorer) -> None:  # noqa: F811
    page = explorer.open().page
    findings = page.locator("#findings")
    expect(findings.locator(f'button[data-id="{SLG}"]').first).to_be_visible()
    first = findings.locator("li.finding").first
    expect(first).to_have_class("finding warning")  # most severe first
    findings.locator(f'button[data-id="{SLG}"]').first.click()
    expect(page.locator("#details-title")).to_have_text("Strategic Leadership Group")
    assert explorer.js(f"window.__pkb.cy.getElementById('{SLG}').hasClass('focus')")
    # On 1 January 2011 the Cheltenham proposals are not in force; the CSEB is, and too large.
    page.locator("#as-of").fill("2011-01-01")
    page.locator("#as-of").dispatch_event("change")
    expect(findings.locator(f'button[data-id="{SLG}"]')).to_have_count(0)
    cseb = findings.locator("li.finding", has=page.locator(f'button[data-id="{CSEB}"]')).first
    expect(cseb).to_contain_text("18 seats")
    explorer.settle()
    assert explorer.axe("findings") == []
    assert explorer.errors == []
