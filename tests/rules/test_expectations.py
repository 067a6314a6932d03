"""Each select and expect key, on a passing and a failing page."""

from __future__ import annotations

from datetime import date

from rulekit import SITE, address, appointment, email, full_office, hours, outcomes, phone, run_rules

HEAD = """
rules:
  - id: r
    title: T
    severity: error
    policy: P
"""


def rule(select: str, expect: str) -> str:
    return HEAD + f"    select: {select}\n    expect: {expect}\n"


# -- select ------------------------------------------------------------------
def test_select_by_glob_regex_type_title_home_and_combinations(db, build):
    build.page("/", title="Agency home", depth=0)
    build.page("/contact-us", title="Contact us")
    build.page("/offices/salem", title="Salem Field Office")
    build.page("/about", title="About the agency")
    build.page("/report.pdf", content_type="application/pdf")  # never a rule target
    run = build.run_id
    pick = lambda select: sorted(outcomes(run_rules(db, run, rule(select, "{no_broken_links: true}"))))  # noqa: E731
    assert pick("{url: '*/offices/*'}") == ["/offices/salem"]
    assert pick("{url: '/contact*'}") == ["/contact-us"]
    assert pick("{url_regex: 'about|contact'}") == ["/about", "/contact-us"]
    assert pick("{page_type: office}") == ["/offices/salem"]
    assert pick("{page_type: [contact, about]}") == ["/about", "/contact-us"]
    assert pick("{title: 'field office'}") == ["/offices/salem"]
    assert pick("{home: true}") == ["/"]
    assert pick("{all: [{url: '*'}, {not: {home: true}}], url_regex: 'o'}") == [
        "/about", "/contact-us", "/offices/salem"]
    assert sorted(pick("{any: [{home: true}, {page_type: about}]}")) == ["/", "/about"]
    assert pick("{not: {url: '*'}}") == [""]  # nothing selected: one not-applicable result


def test_nothing_selected_gives_one_not_applicable_result(db, build):
    build.page("/", depth=0)
    [result] = run_rules(db, build.run_id, rule("{page_type: customer-service}", "{fields: [phone]}"))
    assert (result.outcome, result.message) == ("not-applicable", "no page matched the selection")


def test_office_scope_checks_each_block_and_filters_by_name(db, build):
    build.page("/locations", title="Find an office", offices=[(0, "Salem Field Office"), (1, "Bend Office")],
               findings=full_office(0) + [phone("+15415551234", office_key=1)])
    results = run_rules(db, build.run_id, rule("{page_type: locations, offices: true}",
                                               "{fields: [phone, walk_in_address, hours]}"))
    assert outcomes(results) == {"Salem Field Office": "pass", "Bend Office": "fail"}
    bend = [r for r in results if r.office == "Bend Office"][0]
    assert bend.message == "office 'Bend Office' does not show: walk_in_address, hours"
    assert bend.evidence["fields"]["missing"] == ["walk_in_address", "hours"]
    assert bend.office_key == 1
    only = run_rules(db, build.run_id, rule("{office_name: bend}", "{fields: [phone]}"))
    assert outcomes(only) == {"Bend Office": "pass"}


# -- expect: fields and counts ------------------------------------------------------
def test_fields_pass_and_fail(db, build):
    good = build.page("/offices/salem", title="Salem Field Office", findings=full_office())
    bad = build.page("/offices/bend", title="Bend Field Office",
                     findings=[phone(), address(kind="mailing", label="Mailing address"),
                               phone("+15035559999", phone_type="fax", label="Fax")])
    results = run_rules(db, build.run_id, rule("{page_type: office}",
                                               "{fields: [phone, walk_in_address, mailing_address, hours, "
                                               "appointment, email, fax]}"))
    assert outcomes(results) == {"/offices/salem": "fail", "/offices/bend": "fail"}
    by_url = {r.url: r for r in results}
    assert by_url[good].evidence["fields"]["missing"] == ["fax"]
    assert by_url[bad].evidence["fields"]["missing"] == ["walk_in_address", "hours", "appointment", "email"]
    results = run_rules(db, build.run_id, rule("{page_type: office}", "{fields: [phone, hours]}"))
    assert outcomes(results) == {"/offices/salem": "pass", "/offices/bend": "fail"}


def test_invalid_findings_do_not_count_and_tty_short_code_counts(db, build):
    build.page("/contact", title="Contact us",
               findings=[phone(flags=["invalid"]), {"kind": "short_code", "value": "711", "text": "711",
                                                    "phone_type": "tty", "label": "TTY"}])
    [r] = run_rules(db, build.run_id, rule("{page_type: contact}", "{fields: [phone, tty]}"))
    assert r.evidence["fields"]["missing"] == ["phone"]


def test_at_least_counts(db, build):
    build.page("/contact", title="Contact us", findings=[phone(), phone("+15035550000")],
               offices=[(0, "A"), (1, "B")])
    ok = run_rules(db, build.run_id, rule("{page_type: contact}", "{at_least: {phone: 2, office: 2}}"))
    short = run_rules(db, build.run_id, rule("{page_type: contact}", "{at_least: {phone: 3, email: 1}}"))
    assert ok[0].outcome == "pass"
    assert short[0].outcome == "fail"
    assert short[0].message == "page: 2 phone found, at least 3 expected; 0 email found, at least 1 expected"


# -- expect: value constraints ---------------------------------------------------
def test_email_domains(db, build):
    build.page("/a", title="A", findings=[email("help@agency.example.gov"), email("x@mail.agency.example.gov")])
    build.page("/b", title="B", findings=[email("someone@gmail.com")])
    build.page("/c", title="C")
    results = run_rules(db, build.run_id, rule("{url: '*'}", "{email_domains: [agency.example.gov]}"))
    assert outcomes(results) == {"/a": "pass", "/b": "fail", "/c": "not-applicable"}
    assert [r.message for r in results if r.outcome == "fail"] == [
        "email outside agency.example.gov: someone@gmail.com"]


def test_phone_area_codes_allow_toll_free(db, build):
    build.page("/a", title="A", findings=[phone("+15035551234"), phone("+18005551234", phone_type="tollfree")])
    build.page("/b", title="B", findings=[phone("+12125551234")])
    results = run_rules(db, build.run_id, rule("{url: '*'}", "{phone_area_codes: ['503', '971']}"))
    assert outcomes(results) == {"/a": "pass", "/b": "fail"}


def test_hours_within_window(db, build):
    build.page("/a", title="A", findings=[hours("Mo-Fr 07:00-18:00; PH off")])
    build.page("/b", title="B", findings=[hours("Mo-Fr 06:30-17:00")])
    build.page("/c", title="C", findings=[hours("24/7")])  # a 24/7 line is not office hours
    build.page("/d", title="D", findings=[hours("Mo-Th 08:00-12:00,13:00-19:00")])
    results = run_rules(db, build.run_id, rule("{url: '*'}", "{hours_within: '07:00-18:00'}"))
    assert outcomes(results) == {"/a": "pass", "/b": "fail", "/c": "not-applicable", "/d": "fail"}
    assert [r.message for r in results if r.url.endswith("/b")] == ["hours outside 07:00-18:00: Mo-Fr 06:30-17:00"]


def test_hours_differing_from_standard_are_flagged_for_review(db, build):
    build.page("/a", title="A", findings=[hours("Mo-Fr 08:00-17:00; PH off")])
    build.page("/b", title="B", findings=[hours("Mo-Fr 09:00-16:00")])
    results = run_rules(db, build.run_id, rule("{url: '*'}", "{hours_standard: 'Mo-Fr 08:00-17:00'}"))
    assert outcomes(results) == {"/a": "pass", "/b": "fail"}
    b = [r for r in results if r.outcome == "fail"][0]
    assert b.message == "hours differ from the standard Mo-Fr 08:00-17:00 (review): Mo-Fr 09:00-16:00"
    assert b.evidence["hours_standard"]["review"] is True


# -- expect: links and reachability -------------------------------------------------
def test_links_to_by_type_url_and_text(db, build):
    build.page("/", title="Home", depth=0, links=[("/customer-service", "Customer service"), "/about"])
    build.page("/customer-service", title="Customer Service",
               links=[("/policies/cs-policy.pdf", "Customer service policy")])
    build.page("/about", title="About us")
    run = build.run_id
    has = lambda expect: outcomes(run_rules(db, run, rule("{home: true}", expect)))["/"]  # noqa: E731
    assert has("{links_to: {page_type: customer-service}}") == "pass"
    assert has("{links_to: {page_type: contact}}") == "fail"
    assert has("{links_to: {url: '*/about'}}") == "pass"
    assert has("{links_to: {text: 'customer', url_regex: 'service$'}}") == "pass"
    assert has("{links_to: {text: 'customer', url: '*/about'}}") == "fail"  # both on the same link
    [r] = run_rules(db, run, rule("{home: true}", "{links_to: [{url: '*/about'}, {page_type: contact}]}"))
    assert r.message == "no link to a page matching page_type contact"
    cs = run_rules(db, run, rule("{page_type: customer-service}", "{links_to: {url_regex: 'polic'}}"))
    assert cs[0].outcome == "pass"


def test_reachable_within_clicks_from_home(db, build):
    build.page("/", title="Home", depth=0, links=["/a"])
    build.page("/a", title="A", links=["/b#top"])
    build.page("/b", title="B")
    build.page("/orphan", title="Orphan")
    results = run_rules(db, build.run_id, rule("{not: {home: true}}", "{reachable_within: 1}"))
    assert outcomes(results) == {"/a": "pass", "/b": "fail", "/orphan": "fail"}
    msgs = {r.url.replace(SITE, ""): r.message for r in results}
    assert msgs["/b"] == "2 clicks from the home page (at most 1 expected)"
    assert msgs["/orphan"] == "not reachable from the home page by links"


# -- expect: text, dates, broken links, flags, closures -----------------------------
def test_text_must_and_must_not_match(db, build):
    build.page("/a", title="A", text="Call us to schedule an appointment.\nLorem ipsum dolor")
    build.page("/b", title="B", text="Nothing here")
    build.page("/c", title="C")  # no stored text: not applicable
    must = run_rules(db, build.run_id, rule("{url: '*'}", "{text_matches: 'schedule an appointment'}"))
    assert outcomes(must) == {"/a": "pass", "/b": "fail", "/c": "not-applicable"}
    must_not = run_rules(db, build.run_id, rule("{url: '*'}", "{text_not_matches: 'lorem ipsum'}"))
    assert outcomes(must_not) == {"/a": "fail", "/b": "pass", "/c": "not-applicable"}
    assert [r.message for r in must_not if r.outcome == "fail"] == ["text matches: lorem ipsum in 'Lorem ipsum dolor'"]


def test_updated_within_days_uses_the_run_date(db, build):  # the run started 2026-06-01
    build.page("/fresh", title="A", text="x", last_updated="2026-01-15")
    build.page("/stale", title="B", text="x", last_updated="2025-01-15")
    build.page("/undated", title="C", text="x")
    results = run_rules(db, build.run_id, rule("{url: '*'}", "{updated_within_days: 365}"))
    assert outcomes(results) == {"/fresh": "pass", "/stale": "fail", "/undated": "fail"}
    msgs = {r.url.replace(SITE, ""): r.message for r in results}
    assert msgs["/stale"] == "last updated 2025-01-15, 502 days before 2026-06-01 (at most 365)"
    assert msgs["/undated"] == "no 'last updated' or 'page reviewed' date on the page"
    later = run_rules(db, build.run_id, rule("{url: '*/fresh'}", "{updated_within_days: 365}"),
                      as_of=date(2027, 3, 1))
    assert later[0].outcome == "fail"


def test_no_broken_links_with_evidence(db, build):
    build.page("/a", title="A", links=[("/gone", "Old form"), "/ok", "/b#missing"])
    build.page("/b", title="B", links=["/ok"])
    build.check("/gone", "broken", 404)
    build.check("/ok", "ok")
    build.check("/b", "ok")
    build.check("/b", "broken-fragment", 200, fragment="missing")
    results = run_rules(db, build.run_id, rule("{url: '*'}", "{no_broken_links: true}"))
    assert outcomes(results) == {"/a": "fail", "/b": "pass"}
    a = [r for r in results if r.outcome == "fail"][0]
    assert a.message == f"2 broken link(s): {SITE}/gone, {SITE}/b#missing"
    assert a.evidence["no_broken_links"]["broken"][0]["text"] == "Old form"
    assert a.evidence["no_broken_links"]["broken"][0]["status"] == 404


def test_no_flags_by_kind(db, build):
    build.page("/a", title="A", findings=[phone("+15035551111", text="503-555-1111", flags=["tel-mismatch"],
                                                data={"tel": "tel:+15035550000"}), email(flags=["invalid"])])
    mism = run_rules(db, build.run_id, rule("{url: '*'}", "{no_flags: {flags: [tel-mismatch], kinds: [phone]}}"))
    assert mism[0].outcome == "fail"
    assert mism[0].message == "flagged: phone '503-555-1111' (tel-mismatch; link tel:+15035550000)"
    assert mism[0].evidence["no_flags"]["findings"][0]["data"] == {"tel": "tel:+15035550000"}
    inv = run_rules(db, build.run_id, rule("{url: '*'}", "{no_flags: {flags: [invalid], kinds: [phone]}}"))
    assert inv[0].outcome == "pass"
    any_kind = run_rules(db, build.run_id, rule("{url: '*'}", "{no_flags: [invalid]}"))
    assert any_kind[0].outcome == "fail"


def test_closure_notices_current(db, build):  # the run started 2026-06-01
    build.page("/past", title="A", text="Our offices will be closed on Monday, May 25, 2026 for Memorial Day.")
    build.page("/future", title="B", text="All offices closed July 3, 2026 (Independence Day observed).")
    build.page("/none", title="C", text="Closed on state holidays.")
    results = run_rules(db, build.run_id, rule("{url: '*'}", "{closure_notices_current: true}"))
    assert outcomes(results) == {"/past": "fail", "/future": "pass", "/none": "not-applicable"}


# -- combination --------------------------------------------------------------
def test_expect_keys_and_all_must_hold_any_needs_one(db, build):
    build.page("/a", title="A", text="Email us", findings=[phone()])
    run = build.run_id
    one = lambda expect: run_rules(db, run, rule("{url: '*'}", expect))[0]  # noqa: E731
    assert one("{fields: [phone], text_matches: 'email'}").outcome == "pass"
    assert one("{fields: [phone], text_matches: 'fax'}").outcome == "fail"
    assert one("{all: [{fields: [phone]}, {fields: [hours]}]}").outcome == "fail"
    assert one("{any: [{fields: [hours]}, {text_matches: 'email'}]}").outcome == "pass"
    r = one("{any: [{fields: [hours]}, {text_matches: 'fax'}]}")
    assert r.outcome == "fail"
    assert r.message == "none of: page does not show: hours | text does not match: fax"
    # a not-applicable part does not make the whole fail, nor pass on its own
    assert one("{fields: [phone], email_domains: [x.gov]}").outcome == "pass"
    assert one("{email_domains: [x.gov]}").outcome == "not-applicable"


def test_expect_on_an_office_block_uses_its_findings_and_its_page(db, build):
    build.page("/locations", title="Locations", text="Walk in or call to schedule an appointment",
               offices=[(0, "Salem"), (1, "Bend")],
               findings=[phone(office_key=0), hours(office_key=0), appointment(office_key=1)])
    results = run_rules(db, build.run_id, rule("{offices: true}", "{fields: [hours], text_matches: 'walk in'}"))
    assert outcomes(results) == {"Salem": "pass", "Bend": "fail"}


def test_office_blocks_in_header_nav_footer_are_skipped_unless_offices_all(db, build):
    build.page("/locations", title="Locations", offices=[(0, "Salem Field Office"), (1, "The Agency")],
               findings=full_office(0) + [phone("+15035550000", office_key=1)])
    db.execute("UPDATE offices SET path = 'html > body > footer > p' WHERE office_key = 1")
    db.conn.commit()
    main_only = run_rules(db, build.run_id, rule("{offices: true}", "{fields: [hours]}"))
    assert outcomes(main_only) == {"Salem Field Office": "pass"}
    every = run_rules(db, build.run_id, rule("{offices: all}", "{fields: [hours]}"))
    assert outcomes(every) == {"Salem Field Office": "pass", "The Agency": "fail"}
