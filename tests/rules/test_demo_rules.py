"""The default rule sets on a real crawl of the bundled demo agency site.

Every deliberate defect of the demo that a rule can see is found, with its
policy reference and evidence; the demo's correct pages are not flagged.
The crawl runs in a subprocess (Scrapy's reactor), the rules in-process with
the demo served for a fixed day, so its dates (review notes, closures) and
the rules' ``as_of`` agree whenever the test runs.
"""

from __future__ import annotations

from datetime import date
import pytest
from crawl_helpers import crawl

from siteaudit.demo import serve_demo
from siteaudit.rules import evaluate_run, load_rules
from siteaudit.store import open_db

AS_OF = date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo_results(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("demo") / "demo.db"
    with serve_demo(AS_OF) as (site, _partner):
        crawl(db_path, site.origin + "/", "--no-rules")
    db = open_db(db_path)
    run_id = db.execute("SELECT max(id) FROM runs").fetchone()[0]
    results = evaluate_run(db, run_id, as_of=AS_OF)
    for r in results:
        r.url = r.url.replace(site.origin, "")
    return results


def failed(results):
    return {(r.rule_id, r.url) for r in results if r.outcome == "fail"}


# The demo's deliberate defects that rules can see (the departed employee is the directory's job).
DEFECTS = {
    ("no-broken-links", "/"),  # fee schedule PDF gone; partner's 2019 grant page gone
    ("no-broken-links", "/contact.html"),  # links to eugene.html#walk-in, a missing fragment
    ("no-broken-links", "/offices/eugene.html"),  # tel:541-555-01
    ("tel-link-matches-text", "/offices/eugene.html"),  # the tel: link and the text disagree
    ("office-page-fields", "/offices/bend.html"),  # an office page without hours
}
# Flagged for review by design: Eugene's posted hours differ from the 8-5 standard.
REVIEW = {("office-hours-standard", "/offices/eugene.html")}


def test_every_demo_defect_is_found_with_policy_and_evidence(demo_results):
    assert DEFECTS <= failed(demo_results)
    for r in demo_results:
        if (r.rule_id, r.url) in DEFECTS:
            assert r.policy == load_rules().get(r.rule_id).policy
            assert r.message and r.evidence


def test_defect_evidence_points_at_the_spot(demo_results):
    by_key = {(r.rule_id, r.url): r for r in demo_results if r.outcome == "fail"}
    broken = by_key[("no-broken-links", "/")].evidence["no_broken_links"]["broken"]
    assert {b["target"].rsplit("/", 1)[-1] for b in broken} >= {"fee-schedule-2024.pdf", "small-business-2019.html"}
    assert all(b["path"] and b["text"] for b in broken)
    bend = by_key[("office-page-fields", "/offices/bend.html")]
    assert bend.evidence["fields"]["missing"] == ["hours"]
    tel = by_key[("tel-link-matches-text", "/offices/eugene.html")].evidence["no_flags"]["findings"][0]
    assert tel["text"] == "(541) 555-0120" and tel["path"]


def test_key_pages_are_detected_and_checked(demo_results):
    checked = {(r.rule_id, r.url) for r in demo_results if r.outcome == "pass"}
    assert ("home-links-to-contact", "/") in checked
    assert ("home-links-to-customer-service", "/") in checked
    assert ("customer-service-complaints", "/customer-service.html") in checked
    assert ("service-levels-posted", "/customer-service.html") in checked
    assert ("office-page-fields", "/offices/salem.html") in checked
    assert ("office-page-appointments", "/offices/eugene.html") in checked


# Until the demo carries the wording in rules/README.md ("What a page must say"),
# these correct pages are flagged; the demo lead is aligning the pages.
def test_nothing_else_is_flagged(demo_results):
    extra = failed(demo_results) - DEFECTS - REVIEW
    assert extra == set()
