"""The default rule sets: a correct site passes every rule; each rule catches a page that violates it."""

from __future__ import annotations

import copy

import pytest
from rulekit import SITE, address, appointment, email, hours, phone

from siteaudit.rules import evaluate_run, load_rules

NOTICE = ("Language access: free interpreters and translation in other languages. "
          "Alternate formats: you can get this page in large print, braille or a format you prefer.")
REVIEWED = "Page last reviewed: May 1, 2026"  # the run starts 2026-06-01


def office(key, name, tel, street, mail, mailbox):
    return [phone(tel, office_key=key, office=name), address(street, "physical", office_key=key),
            address(mailbox, "mailing", office_key=key, label="Mailing address"),
            hours("Mo-Fr 08:00-17:00; PH off", office_key=key), appointment(office_key=key),
            email(mail, office_key=key)]


SALEM = (0, "Salem Field Office", "+15035551001", "100 Main St NE, Salem, OR 97301", "salem@agency.example.gov",
         "PO Box 1001, Salem, OR 97308")
BEND = (1, "Bend Field Office", "+15415552002", "200 Wall St, Bend, OR 97701", "bend@agency.example.gov",
        "PO Box 2002, Bend, OR 97709")


def good_pages() -> dict[str, dict]:
    """A small correct site: every default rule passes on it."""
    return {
        "/": dict(title="Department of Widgets", depth=0,
                  text="Welcome\n" + NOTICE + "\nOffice closures and holiday schedule",
                  links=[("/contact-us", "Contact us"), ("/customer-service", "Customer service"),
                         ("/locations", "Find an office"), ("/closures", "Office closures")]),
        "/contact-us": dict(title="Contact Us", text="Contact us\n" + NOTICE + "\n" + REVIEWED,
                            last_updated="2026-05-01",
                            findings=[phone("+15035550100"), address("PO Box 100, Salem, OR 97308", "mailing",
                                                                     label="Mailing address"),
                                      hours("Mo-Fr 08:00-17:00"), email("info@agency.example.gov")],
                            links=[("/locations", "Find an office")]),
        "/customer-service": dict(
            title="Customer Service", last_updated="2026-05-01",
            text="\n".join(["Our customer service strategy", "Give us feedback: take our customer survey.",
                            "How to file a complaint: use the complaint form.",
                            "We investigate and respond to complaints within 30 business days.",
                            "Service levels: we acknowledge every call and email within one business day.",
                            NOTICE, REVIEWED]),
            links=[("/policies/customer-service-policy.pdf", "Customer service policy")]),
        "/locations": dict(title="Find an office", last_updated="2026-05-01", text="Find an office\n" + REVIEWED,
                           offices=[SALEM[:2], BEND[:2]], findings=office(*SALEM) + office(*BEND),
                           links=[("/offices/salem", "Salem"), ("/offices/bend", "Bend")]),
        "/offices/salem": dict(title="Salem Field Office", last_updated="2026-05-01", text="Salem\n" + REVIEWED,
                               offices=[(0, SALEM[1])], findings=office(0, *SALEM[1:])),
        "/offices/bend": dict(title="Bend Field Office", last_updated="2026-05-01", text="Bend\n" + REVIEWED,
                              offices=[(0, BEND[1])], findings=office(0, *BEND[1:])),
        "/closures": dict(title="Office closures", text="All offices closed July 3, 2026 for Independence Day."),
    }


def build_site(build, pages: dict[str, dict], broken: tuple[str, ...] = ()) -> int:
    targets = set()
    for url, kw in pages.items():
        build.page(url, **kw)
        targets |= {t if isinstance(t, str) else t[0] for t in kw.get("links", [])}
    for t in sorted(targets):
        build.check(t.split("#")[0], "broken" if t in broken else "ok", 404 if t in broken else 200)
    return build.run_id


def failures(db, run_id) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in evaluate_run(db, run_id):
        if r.outcome == "fail":
            out.setdefault(r.rule_id, []).append(r)
    return out


def test_a_correct_site_passes_every_default_rule(db, build):
    run_id = build_site(build, good_pages())
    assert failures(db, run_id) == {}


def test_every_enabled_default_rule_passes_somewhere_on_the_correct_site(db, build):
    run_id = build_site(build, good_pages())
    passed = {r.rule_id for r in evaluate_run(db, run_id) if r.outcome == "pass"}
    assert {r.id for r in load_rules().active} - passed == set()


def _drop(page: dict, kind: str, data_kind: str | None = None) -> None:
    page["findings"] = [f for f in page["findings"] if not (
        f["kind"] == kind and (data_kind is None or f.get("data", {}).get("kind") == data_kind))]


def _set_text(page: dict, old: str, new: str) -> None:
    assert old in page["text"], old
    page["text"] = page["text"].replace(old, new)


# rule id -> (mutation of the correct site, broken link targets, url of the failing page)
def m_home_contact(p): p["/"]["links"].remove(("/contact-us", "Contact us"))
def m_contact_fields(p): _drop(p["/contact-us"], "address", "mailing")
def m_contact_hours(p):
    _drop(p["/contact-us"], "hours")
    p["/contact-us"]["links"] = []
def m_contact_email(p): _drop(p["/contact-us"], "email")
def m_office_fields(p): _drop(p["/offices/salem"], "hours")
def m_office_appointments(p): _drop(p["/offices/bend"], "appointment")
def m_office_mailing(p): _drop(p["/offices/bend"], "address", "mailing")
def m_listed_office(p):
    p["/locations"]["findings"] = [f for f in p["/locations"]["findings"]
                                   if not (f["office_key"] == 1 and f["kind"] == "address")]
def m_locations_reachable(p):  # home -> customer service -> FAQ -> locations: 3 clicks
    p["/"]["links"].remove(("/locations", "Find an office"))
    p["/contact-us"]["links"] = []
    p["/customer-service"]["links"].append(("/faq", "Questions"))
    p["/faq"] = dict(title="Questions", links=[("/locations", "Where are your offices?")])
def m_hours_window(p):
    for f in p["/contact-us"]["findings"]:
        if f["kind"] == "hours":
            f["value"] = "Mo-Fr 06:00-17:00"
def m_hours_standard(p):
    for page in ("/offices/bend", "/locations"):
        for f in p[page]["findings"]:
            if f["kind"] == "hours" and f["office_key"] in (0, 1) and (page != "/locations" or f["office_key"] == 1):
                f["value"] = "Mo-Th 08:00-17:00"
def m_home_cs(p): p["/"]["links"].remove(("/customer-service", "Customer service"))
def m_cs_strategy(p): _set_text(p["/customer-service"], "Our customer service strategy", "Welcome")
def m_cs_policy(p): p["/customer-service"]["links"] = [("/faq", "Questions")]
def m_cs_feedback(p): _set_text(p["/customer-service"], "Give us feedback: take our customer survey.", "Hello.")
def m_cs_complaint(p):
    _set_text(p["/customer-service"], "We investigate and respond to complaints within 30 business days.",
              "We look into every complaint.")
def m_service_levels(p):
    _set_text(p["/customer-service"], "we acknowledge every call and email within one business day",
              "we value your call")
    _set_text(p["/customer-service"], "We investigate and respond to complaints within 30 business days.", "")
def m_broken(p): p["/offices/salem"]["links"] = [("/forms/old-form.pdf", "Application form")]
def m_reviewed(p): p["/offices/bend"]["last_updated"] = "2024-02-01"
def m_email_valid(p): p["/contact-us"]["findings"].append(email("info@@agency", flags=["invalid"]))
def m_phone_valid(p): p["/contact-us"]["findings"].append(phone("+15035550000", text="(503) 555-000", flags=["invalid"]))
def m_closures_posted(p):
    _set_text(p["/"], "\nOffice closures and holiday schedule", "")
    p["/"]["links"].remove(("/closures", "Office closures"))
def m_closure_current(p): p["/closures"]["text"] = "All offices closed Monday, May 25, 2026 for Memorial Day."
def m_office_consistent(p):
    for f in p["/offices/salem"]["findings"]:
        if f["kind"] == "phone":
            f["value"] = "+15035559876"
def m_contact_names(p): p["/contact-us"].update(offices=[(0, "Agency headquarters")],
                                                findings=p["/contact-us"]["findings"] + [
                                                    phone("+15035551001", office_key=0)])
def m_tel_link(p):
    p["/contact-us"]["findings"].append(phone("+15035550101", text="503-555-0101", flags=["tel-mismatch"],
                                              data={"tel": "tel:+15035550110"}))
def m_language(p): _set_text(p["/"], "Language access: free interpreters and translation in other languages. ", "")
def m_formats(p): _set_text(p["/contact-us"], "Alternate formats: you can get this page in large print, braille "
                                              "or a format you prefer.", "")


VIOLATIONS = {
    "home-links-to-contact": (m_home_contact, (), "/"),
    "contact-page-fields": (m_contact_fields, (), "/contact-us"),
    "contact-page-hours": (m_contact_hours, (), "/contact-us"),
    "contact-page-email": (m_contact_email, (), "/contact-us"),
    "office-page-fields": (m_office_fields, (), "/offices/salem"),
    "office-page-appointments": (m_office_appointments, (), "/offices/bend"),
    "office-page-mailing-address": (m_office_mailing, (), "/offices/bend"),
    "listed-office-fields": (m_listed_office, (), "/locations"),
    "locations-reachable": (m_locations_reachable, (), "/locations"),
    "office-hours-window": (m_hours_window, (), "/contact-us"),
    "office-hours-standard": (m_hours_standard, (), "/offices/bend"),
    "home-links-to-customer-service": (m_home_cs, (), "/"),
    "customer-service-strategy": (m_cs_strategy, (), "/customer-service"),
    "customer-service-policy-link": (m_cs_policy, (), "/customer-service"),
    "customer-service-feedback": (m_cs_feedback, (), "/customer-service"),
    "customer-service-complaints": (m_cs_complaint, (), "/customer-service"),
    "service-levels-posted": (m_service_levels, (), "/customer-service"),
    "no-broken-links": (m_broken, ("/forms/old-form.pdf",), "/offices/salem"),
    "contact-pages-reviewed-annually": (m_reviewed, (), "/offices/bend"),
    "email-addresses-valid": (m_email_valid, (), "/contact-us"),
    "phone-numbers-valid": (m_phone_valid, (), "/contact-us"),
    "closures-posted": (m_closures_posted, (), "/"),
    "closure-notices-current": (m_closure_current, (), "/closures"),
    "office-details-consistent": (m_office_consistent, (), "/locations"),
    "contact-names-consistent": (m_contact_names, (), "/contact-us"),
    "tel-link-matches-text": (m_tel_link, (), "/contact-us"),
    "language-access-notice": (m_language, (), "/"),
    "alternate-formats-notice": (m_formats, (), "/contact-us"),
}
# A violation may, by its nature, also break a related rule; say which.
ALSO = {
    "office-details-consistent": {"contact-names-consistent"},  # Salem's new number differs from the list's
    "office-hours-standard": {"office-details-consistent"},  # Bend's hours now differ between two pages
    "service-levels-posted": {"customer-service-complaints"},  # the complaint timeline is a service level too
}


def test_every_enabled_default_rule_has_a_violation_test():
    assert set(VIOLATIONS) == {r.id for r in load_rules().active}


@pytest.mark.parametrize("rule_id", sorted(VIOLATIONS))
def test_default_rule_catches_its_violation(db, build, rule_id):
    mutate, broken, url = VIOLATIONS[rule_id]
    pages = copy.deepcopy(good_pages())
    mutate(pages)
    failed = failures(db, build_site(build, pages, broken))
    assert set(failed) == {rule_id} | (ALSO.get(rule_id, set()) & set(failed)), failed
    results = failed[rule_id]
    assert any(r.url == SITE + url for r in results), [r.url for r in results]
    rule = load_rules().get(rule_id)
    for r in results:
        assert r.policy == rule.policy and r.message and r.evidence
