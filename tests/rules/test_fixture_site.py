"""The default rule sets on a crawl of a fixture agency site (tests/rules/sites/agency).

Each seeded violation is reported on its page with the rule's policy reference
and evidence, and nothing else is flagged: the correct pages pass.  The site
is real HTML, so this also proves the extractors, page_facts and page-type
detection give the rules what they need.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from crawl_helpers import crawl

from siteaudit.demo.server import serve_folder
from siteaudit.rules import evaluate_run, load_rules
from siteaudit.store import open_db

SITE = Path(__file__).parent / "sites" / "agency"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    server = serve_folder(SITE)
    db_path = tmp_path_factory.mktemp("agency") / "agency.db"
    try:
        crawl(db_path, server.origin + "/", "--no-rules")
    finally:
        server.stop()
    db = open_db(db_path)
    run_id = db.execute("SELECT max(id) FROM runs").fetchone()[0]
    out = evaluate_run(db, run_id, as_of=date(2026, 11, 20))
    for r in out:
        r.url = r.url.replace(server.origin, "")
    return out


SEEDED = {
    ("office-page-fields", "/offices/bend.html", ""): "page does not show: hours",
    ("office-page-appointments", "/offices/medford.html", ""): "page does not show: appointment",
    ("office-details-consistent", "/offices/", "Medford Field Office"):
        "office 'Medford Field Office' shows different phone on 2 pages",
    ("no-broken-links", "/offices/medford.html", ""): "1 broken link(s):",
    ("contact-pages-reviewed-annually", "/offices/medford.html", ""): "last updated 2024-03-01, 994 days before",
    ("tel-link-matches-text", "/offices/astoria.html", ""): "flagged: phone '(503) 555-0444' (tel-mismatch; link tel:+15035550445)",
    ("office-hours-window", "/offices/astoria.html", ""): "hours outside 07:00-18:00: Mo-Fr 06:00-15:00",
    ("office-hours-standard", "/offices/astoria.html", ""): "hours differ from the standard",
    ("listed-office-fields", "/offices/", "Astoria Field Office"):
        "office 'Astoria Field Office' does not show: walk_in_address, hours",
    ("customer-service-feedback", "/programs/licensing-customer-service.html", ""): "none of:",
    ("customer-service-complaints", "/programs/licensing-customer-service.html", ""): "text does not match:",
    ("closure-notices-current", "/news/closures.html", ""): "closure notice for a date already past on 2026-11-20",
    ("email-addresses-valid", "/programs/licensing.html", ""): "flagged: email 'permits desk' = permits@widgets (invalid)",
    ("phone-numbers-valid", "/programs/licensing.html", ""): "flagged: phone '(999) 555-0199' (invalid)",
    ("no-broken-links", "/programs/licensing.html", ""): "1 broken link(s): mailto:permits@widgets",
}


def test_every_seeded_violation_and_nothing_else(results):
    failed = {(r.rule_id, r.url, r.office): r for r in results if r.outcome == "fail"}
    assert set(failed) == set(SEEDED)
    for key, start in SEEDED.items():
        r = failed[key]
        assert r.message.startswith(start), (key, r.message)
        assert r.policy == load_rules().get(r.rule_id).policy and r.evidence


def test_the_correct_pages_were_checked_not_skipped(results):
    passed = {(r.rule_id, r.url) for r in results if r.outcome == "pass"}
    for key in [("home-links-to-contact", "/"), ("home-links-to-customer-service", "/"), ("closures-posted", "/"),
                ("language-access-notice", "/"), ("alternate-formats-notice", "/contact.html"),
                ("contact-page-fields", "/contact.html"), ("contact-page-hours", "/contact.html"),
                ("contact-page-email", "/contact.html"), ("customer-service-strategy", "/customer-service.html"),
                ("customer-service-policy-link", "/customer-service.html"),
                ("customer-service-feedback", "/customer-service.html"),
                ("customer-service-complaints", "/customer-service.html"),
                ("service-levels-posted", "/customer-service.html"), ("office-page-fields", "/offices/salem.html"),
                ("office-page-appointments", "/offices/salem.html"),
                ("office-page-mailing-address", "/offices/salem.html"), ("locations-reachable", "/offices/"),
                ("contact-pages-reviewed-annually", "/offices/salem.html"),
                ("no-broken-links", "/")]:
        assert key in passed, key
    salem = [r for r in results if r.rule_id == "listed-office-fields" and r.office == "Salem Field Office"]
    assert [r.outcome for r in salem] == ["pass"]
