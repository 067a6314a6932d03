"""Appointment instructions from small HTML snippets."""

from __future__ import annotations

import time

import pytest

from siteaudit.extract.appointments import extract_appointments
from siteaudit.extract.text import parse_html, segment
from siteaudit.model import Finding, Segment


def segs(html: str) -> list[Segment]:
    return segment(parse_html(f"<html><body>{html}</body></html>"))


def appointments(html: str, findings=()):
    return extract_appointments(segs(html), list(findings))


def only(html: str, findings=()):
    found = appointments(html, findings)
    assert len(found) == 1, [f.text for f in found]
    return found[0]


def test_call_to_schedule_points_at_the_phone_found_on_the_line():
    s = segs("<p>Intro</p><p>Call (312) 555-1234 to schedule an appointment.</p>")
    phone = Finding(kind="phone", value="+13125551234", text="(312) 555-1234", path=s[1].path, line=s[1].line)
    other = Finding(kind="phone", value="+13125559999", text="(312) 555-9999", path=s[0].path, line=s[0].line)
    f = extract_appointments(s, [phone, other])[0]
    assert f.kind == "appointment" and f.source == "text"
    assert f.value == "phone"
    assert f.data == {"methods": ["phone"], "phones": ["+13125551234"], "emails": [], "links": [], "offered": True}
    assert f.text == "Call (312) 555-1234 to schedule an appointment."
    assert (f.path, f.line) == (s[1].path, s[1].line)


def test_online_booking_link():
    f = only('<p>Appointments can be made online at <a href="https://example.gov/book">our scheduler</a>.</p>')
    assert f.value == "online"
    assert f.data["links"] == ["https://example.gov/book"]


def test_email_to_request():
    f = only('<p>Email <a href="mailto:Help@Example.gov">help@example.gov</a> to request an appointment.</p>')
    assert f.value == "email"
    assert f.data["emails"] == ["help@example.gov"]


def test_by_appointment_only():
    f = only("<p>Notary services are available by appointment only.</p>")
    assert f.data["methods"] == ["appointment-only"]


def test_several_methods():
    f = only('<p>To make an appointment, call 612-555-0100 or book online at '
             '<a href="https://example.gov/appt">example.gov/appt</a>.</p>')
    assert f.value == "phone,online"


def test_walk_ins():
    assert only("<p>Walk-ins welcome Monday through Friday.</p>").value == "walk-in"
    assert only("<p>No appointment necessary; walk-ins are accepted.</p>").value == "walk-in"


def test_in_person():
    assert "in-person" in only("<p>You may schedule an appointment in person at the front desk.</p>").data["methods"]


def test_or_by_appointment_without_a_method():
    f = only("<p>Open Tuesdays 10-2 or by appointment.</p>")
    assert f.value == "unspecified"
    assert f.data["methods"] == []


def test_call_to_action_link_in_page_content():
    f = only('<main><header><p><a href="https://forms.example.org/scan">Request an Appointment</a></p>'
             '</header></main>')
    assert f.value == "online"
    assert f.text == "Request an Appointment"


def test_only_the_instruction_sentence_is_quoted():
    f = only("<p>The lab has six scanners. Appointments are required for the large-format scanner. "
             "Staff can help.</p>")
    assert f.text == "Appointments are required for the large-format scanner."
    assert f.data["methods"] == ["appointment-only"]


@pytest.mark.parametrize("html", [
    # navigation labels
    '<nav><ul><li><a href="#todo">Schedule a Consultation</a></li></ul></nav>',
    '<div class="navbar-collapse"><ul><li><a href="/appointments">Appointments</a></li></ul></div>',
    '<ul id="main-menu"><li><a href="/book">Book an appointment</a></li></ul>',
    '<p><a href="/appointments">Appointments</a></p>',
    # appointment to an office
    "<p>Members are appointed by the Board President.</p>",
    "<p>Personal information submitted by applicants for appointment to fill vacancies is private.</p>",
    "<p>Members are persons holding a position “by appointment” and are employees of the state.</p>",
    "<p>The court-appointed counsel moved to withdraw.</p>",
    "<p>Item IV(B) Approved Medical Staff Appointments/Reappointments/Changes</p>",
    "<p>Reappointment of Thomas Lanctot to CORE Foundation</p>",
    "<p>The Governor announced the appointment of Jane Doe to the Commission.</p>",
    "<p>Appointments to the Board of Health are made by the Mayor.</p>",
    "<table><tr><th>Name</th><th>Appointed By</th></tr><tr><td>A. Smith</td><td>Council</td></tr></table>",
    # scheduling words without appointments
    "<p>Email crio@detroitmi.gov to schedule these services.</p>",
    "<p>Standard Visitation Schedule</p>",
    "<p>Data Services provides consultation and instructional support for researchers.</p>",
])
def test_not_instructions(html):
    assert appointments(html) == []


def test_empty_input():
    assert extract_appointments([], []) == []


def test_large_input_is_linear():
    text = "appointment walk-in " * 50_000
    start = time.perf_counter()
    extract_appointments([Segment(text=text, path="p")], [])
    extract_appointments([Segment(text=text[i:i + 200], path="p") for i in range(0, len(text), 200)], [])
    assert time.perf_counter() - start < 5  # generous: guards against backtracking, not a benchmark


def test_label_style_and_for_appointments():
    assert only("<p>Appointments: (312) 555-1234</p>").value == "phone"
    assert only("<p>For appointments call 312-555-1234.</p>").value == "phone"


def test_methods_in_the_sentence_after_the_instruction():
    f = only('<p>Appointments are strongly encouraged. Schedule yours at '
             '<a href="https://cal.example.gov">cal.example.gov</a> or call 555-123-4567.</p>')
    assert f.text == "Appointments are strongly encouraged."
    assert f.value == "phone,online"


def test_several_instruction_sentences_on_one_line():
    f = only("<p>Passport services by appointment. Walk-ins accepted Wednesdays.</p>")
    assert f.text == "Passport services by appointment. Walk-ins accepted Wednesdays."
    assert f.value == "walk-in"


def test_instruction_under_an_appointments_heading():
    f = only("<h2>Appointments</h2><p>Please call 555-123-4567 and our staff will find a time.</p>")
    assert f.value == "phone"
    assert f.label == "Appointments"
    assert appointments("<h2>Board Appointments</h2><p>Call 555-123-4567 for information on vacancies.</p>") == []
    assert appointments("<h2>Appointments</h2><p>The Mayor makes appointments to 40 boards.</p>") == []
    assert appointments("<h2>Appointments</h2><p>Our office is on the second floor.</p>") == []


@pytest.mark.parametrize("html", [
    '<footer><ul><li><a href="/appt">Make an Appointment</a></li><li><a href="/jobs">Jobs</a></li></ul></footer>',
    '<header><ul><li><a href="/appt">Request an Appointment</a></li></ul></header>',
    '<main><h3>Quick Links</h3><ul><li><a href="/appt">Schedule an Appointment</a></li></ul></main>',
])
def test_site_wide_link_lists_are_navigation(html):
    assert appointments(html) == []


def test_heading_announces_and_the_paragraph_instructs():
    found = appointments('<h2 id="appointments">Schedule an appointment</h2>'
                         '<p>To schedule an appointment, call (503) 555-0100 or book online at '
                         '<a href="https://x/appointments">our appointment page</a>.</p>')
    assert [f.value for f in found] == ["phone,online"]


def test_schedule_a_visit():
    f = only('<main><h1>Visit the Archives</h1><p><a class="button" href="/visit/schedule">Schedule a visit</a></p></main>')
    assert f.data["offered"] and f.value == "online"
    assert appointments("<main><p>Plan your visit to the park.</p></main>") == []


def test_link_lists_in_content_without_a_booking_verb():
    assert appointments('<ul><li><a href="/eugene#walk-in">Eugene field office walk-in hours</a></li></ul>') == []
    assert appointments("<p>A fictitious appointment booking service.</p>") == []


@pytest.mark.parametrize("html", [
    "<p>Interviews can be completed by phone; no appointment is needed.</p>",
    "<p>Free notary service on Wednesdays. No appointment necessary.</p>",
    "<p>Appointments are not required for renewals.</p>",
    "<p>You do not need an appointment to pick up a permit.</p>",
    "<p>Walk-ins welcome Monday through Friday.</p>",
    "<p>Service is first come, first served, without an appointment.</p>",
    "<p>Admission is free and no reservation or appointment is needed to visit the park.</p>",
    "<p>Board vacancies are filled by appointment until the next election.</p>",  # the office-holding sense
])
def test_no_appointment_offered(html):
    assert not any(f.data["offered"] for f in appointments(html))


@pytest.mark.parametrize("html", [
    "<p>Walk-ins welcome Mondays; appointments are also available at other times – call 541-555-0147.</p>",
    "<p>No appointment is needed for renewals, but new applications are by appointment only.</p>",
    "<p>Walk-ins are welcome, but customers with appointments are served first.</p>",
])
def test_appointment_offered_next_to_a_walk_in_or_negation(html):
    assert any(f.data["offered"] for f in appointments(html))


def test_walk_in_only_page_is_not_an_appointment_page_for_the_evaluator(tmp_path):
    import json

    from siteaudit.evaluate import evaluate_corpus
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<html><body><p>Walk-ins welcome. No appointment is needed.</p>"
                                               "</body></html>")
    (tmp_path / "pages" / "b.html").write_text("<html><body><p>Walk-ins welcome, or call 503-555-0100 to "
                                               "schedule an appointment.</p></body></html>")
    labels = [{"page": "a.html", "appointment": {"value": False}}, {"page": "b.html", "appointment": {"value": True}}]
    (tmp_path / "labels.json").write_text(json.dumps(labels))
    report = evaluate_corpus(tmp_path)
    assert report["appointment_accuracy"] == 1.0


def test_site_wide_top_bar_link_is_navigation():
    top = ('<div class="top-bar"><ul><li><a href="/account">My Account</a></li><li><a href="/card">Get a Card</a>'
           '</li><li><a href="https://appt.example.gov/">Make an Appointment</a></li><li><a href="/donate">Donate</a>'
           '</li></ul></div>')
    assert appointments(top + "<h1>Locations</h1><p>Our branches are open daily.</p>") == []


def test_call_to_action_list_in_content_is_not_navigation():
    html = ('<h1>Passports</h1><ul><li><a href="/fees">Fees</a></li><li><a href="/forms">Forms</a></li>'
            '<li><a href="https://appt.example.gov/">Make an Appointment</a></li></ul>')
    assert only(html).data["offered"]


@pytest.mark.parametrize("html", [
    '<p>For commercial projects, <a href="/appointments">book a plan review appointment</a> with a plans examiner.</p>',
    "<p>Schedule your road test appointment online.</p>",
    "<p>You can make an in-person appointment at any field office.</p>",
    '<p><a href="/book">Book a passport appointment</a></p>',
])
def test_words_between_verb_and_noun(html):
    assert only(html).data["offered"]


@pytest.mark.parametrize("html", [
    "<p>The Mayor will make several board appointments to the Planning Commission.</p>",
    "<p>The council will confirm the appointment of the new city manager.</p>",
    "<p>Book a meeting room for your club.</p>",
])
def test_words_between_verb_and_noun_negatives(html):
    assert appointments(html) == []


def test_heading_is_dropped_when_the_section_has_an_instruction():
    found = appointments('<h2><a id="sched"></a>How to schedule an appointment</h2>'
                         '<p>To schedule an appointment, call (503) 555-0100.</p>')
    assert [f.text for f in found] == ["To schedule an appointment, call (503) 555-0100."]


def test_heading_alone_is_kept():
    found = appointments("<h2>How to schedule an appointment</h2><p>Our office is on the second floor.</p>")
    assert [f.text for f in found] == ["How to schedule an appointment"]


def test_links_are_made_absolute_with_the_page_url():
    html = '<p>Appointments can be made online at <a href="/book?x=1">our scheduler</a>.</p>'
    f = extract_appointments(segs(html), [], base_url="https://city.example.gov/clerk/passports.html")[0]
    assert f.data["links"] == ["https://city.example.gov/book?x=1"]
    assert only(html).data["links"] == ["/book?x=1"]  # without a page URL, as written


def test_top_bar_of_links_on_one_line_is_navigation():
    top = ('<div class="utility"><a href="/a">My Account</a> | <a href="/appt">Make an Appointment</a> | '
           '<a href="/d">Donate</a></div>')
    assert appointments(top + "<h1>Hours</h1><p>Open daily.</p>") == []
    # the same line under a content heading is a call to action
    assert only("<h1>Passports</h1>" + top.replace("My Account", "Fees")).data["offered"]
