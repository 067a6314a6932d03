"""The same office or contact shown differently on different pages, with every page involved."""

from __future__ import annotations

from rulekit import SITE, address, email, hours, phone, run_rules

from siteaudit.rules.consistency import office_key

SITE_RULE = """
rules:
  - id: c
    title: T
    severity: error
    policy: P
    select: {site: true}
    expect: {expect}
"""


def test_office_key_ignores_noise_words():
    assert office_key("Salem Field Office") == office_key("salem office") == "salem"
    assert office_key("Office") == ""


def test_same_office_with_different_phone_and_hours_on_two_pages(db, build):
    build.page("/offices/salem", title="Salem Field Office", offices=[(0, "Salem Field Office")],
               findings=[phone("+15035551234", office_key=0), hours("Mo-Fr 08:00-17:00", office_key=0),
                         address(office_key=0), email("salem@agency.example.gov", office_key=0)])
    build.page("/locations", title="Locations", offices=[(0, "Salem Office"), (1, "Bend Office")],
               findings=[phone("+15035550000", office_key=0), hours("Mo-Fr 08:00-16:00", office_key=0),
                         address(office_key=0),
                         phone("+15415551234", office_key=1)])
    build.page("/contact", title="Contact", offices=[(0, "Salem field office")],
               findings=[phone("+15035551234", office_key=0), phone("+15035559999", office_key=0, phone_type="fax",
                                                                   label="Fax")])
    results = run_rules(db, build.run_id, SITE_RULE.replace("{expect}", "{consistent_offices: [phone, address, hours]}"))
    assert [r.outcome for r in results] == ["fail", "fail"]
    hours_r, phone_r = sorted(results, key=lambda r: r.evidence["kind"])
    assert phone_r.evidence["kind"] == "phone"
    assert [p["url"] for p in phone_r.evidence["pages"]] == [SITE + "/contact", SITE + "/locations",
                                                             SITE + "/offices/salem"]
    assert phone_r.message == (
        f"office 'Salem field office' shows different phone on 3 pages: {SITE}/contact: +15035551234; "
        f"{SITE}/locations: +15035550000; {SITE}/offices/salem: +15035551234")
    assert [p["values"] for p in hours_r.evidence["pages"]] == [["Mo-Fr 08:00-16:00"], ["Mo-Fr 08:00-17:00"]]


def test_consistent_offices_pass_and_subsets_are_fine(db, build):
    build.page("/offices/salem", title="Salem Field Office", offices=[(0, "Salem Field Office")],
               findings=[phone("+15035551234", office_key=0), phone("+15035552222", office_key=0)])
    build.page("/locations", title="Locations", offices=[(0, "Salem Office")],
               findings=[phone("+15035551234", office_key=0)])
    [r] = run_rules(db, build.run_id, SITE_RULE.replace("{expect}", "{consistent_offices: [phone]}"))
    assert (r.outcome, r.message) == ("pass", "no inconsistency found")


def test_same_phone_or_email_attached_to_different_names(db, build):
    build.page("/offices/salem", title="Salem Field Office", offices=[(0, "Salem Field Office")],
               findings=[phone("+15035551234", office_key=0), email("help@agency.example.gov", office_key=0)])
    build.page("/offices/bend", title="Bend Field Office", offices=[(0, "Bend Field Office")],
               findings=[phone("+15035551234", office_key=0), email("bend@agency.example.gov", office_key=0)])
    build.page("/contact", title="Contact", offices=[(0, "Salem office")],
               findings=[email("help@agency.example.gov", office_key=0)])
    results = run_rules(db, build.run_id, SITE_RULE.replace("{expect}", "{unique_contacts: [phone, email]}"))
    assert len(results) == 1
    [r] = results
    assert r.outcome == "fail" and r.evidence["kind"] == "phone" and r.evidence["value"] == "+15035551234"
    assert r.message == (f"phone +15035551234 is attached to 2 different names: 'Bend Field Office' on "
                         f"{SITE}/offices/bend; 'Salem Field Office' on {SITE}/offices/salem")
    assert [p["url"] for p in r.evidence["pages"]] == [SITE + "/offices/bend", SITE + "/offices/salem"]


def test_tel_link_mismatch_default_rule_reports_text_and_link(db, build):
    build.page("/contact", title="Contact us",
               findings=[phone("+15035551111", text="503-555-1111", flags=["tel-mismatch"],
                               data={"tel": "tel:+15035550000"})])
    from siteaudit.rules import evaluate_run

    results = [r for r in evaluate_run(db, build.run_id) if r.rule_id == "tel-link-matches-text"]
    assert [r.outcome for r in results] == ["fail"]
    assert results[0].evidence["no_flags"]["findings"][0]["data"]["tel"] == "tel:+15035550000"


def test_generic_block_names_and_footer_contacts_are_not_offices(db, build):
    from siteaudit.rules.consistency import is_generic

    assert is_generic("Appointments") and is_generic("Call us") and is_generic("Email us") and is_generic("")
    assert not is_generic("Salem Field Office") and not is_generic("Licensing staff")
    # an office page: its main-content findings belong to the office it is about, whatever the block names
    build.page("/offices/eugene", title="Eugene field office | Agency", headings=["Eugene field office"],
               offices=[(0, "Eugene field office"), (1, "Appointments"), (2, "Agency")],
               findings=[phone("+15415550120", office_key=0), phone("+15415550120", office_key=1),
                         phone("+15035550100", office_key=2, path="html > body > footer > p")])
    build.page("/", title="Agency", depth=0, offices=[(0, "Agency")],
               findings=[phone("+15035550100", office_key=0, path="html > body > footer > p")])
    build.page("/contact", title="Contact us", offices=[(0, "Main line"), (1, "Agency")],
               findings=[phone("+15035550100", office_key=0), phone("+15035550100", office_key=1)])
    db.execute("UPDATE offices SET path = 'html > body > footer > p' WHERE name = 'Agency'")
    db.conn.commit()
    results = run_rules(db, build.run_id, SITE_RULE.replace("{expect}", "{unique_contacts: [phone]}"))
    assert [r.outcome for r in results] == ["pass"]
    results = run_rules(db, build.run_id, SITE_RULE.replace("{expect}", "{consistent_offices: [phone]}"))
    assert [r.outcome for r in results] == ["pass"]
