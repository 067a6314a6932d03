"""Office grouping: headings, table rows, cards, footers; nav links never make offices."""

from __future__ import annotations

from siteaudit.extract import extract_page
from siteaudit.extract.emails import extract_emails
from siteaudit.extract.offices import group_offices
from siteaudit.extract.phones import extract_phones
from siteaudit.extract.structured import extract_structured
from siteaudit.extract.text import parse_html, segment
from siteaudit.model import Finding


def offices(html: str, extra: list[Finding] | None = None):
    root = parse_html(html)
    segs = segment(root)
    findings = extract_phones(segs) + extract_emails(segs) + (extra or []) + extract_structured(root, "")
    return group_offices(findings, segs), findings


def summary(found):
    return [(o.name, sorted(f.value for f in o.findings)) for o in found]


def test_each_heading_is_an_office_and_findings_get_its_name():
    html = """<main>
      <h2>Chicago Office</h2><ul><li>P: 312.814.2206</li><li>F: 312.814.2241</li></ul>
      <h2>Springfield Office</h2><ul><li>P: 217.782.2136</li><li>F: 217.524.1911</li></ul></main>"""
    found, findings = offices(html)
    assert summary(found) == [
        ("Chicago Office", ["+13128142206", "+13128142241"]),
        ("Springfield Office", ["+12175241911", "+12177822136"]),
    ]
    assert [f.office for f in findings] == ["Chicago Office"] * 2 + ["Springfield Office"] * 2


def test_table_rows_are_separate_offices_named_by_first_cell():
    html = """<h2>Board members</h2><table>
      <tr><th>Name</th><th>Email</th></tr>
      <tr><td>Kelly Miller</td><td>kelly.miller@co.ramsey.mn.us</td></tr>
      <tr><td>Rena Moran</td><td>rena.moran@co.ramsey.mn.us</td></tr></table>"""
    found, _ = offices(html)
    assert summary(found) == [("Kelly Miller", ["kelly.miller@co.ramsey.mn.us"]),
                              ("Rena Moran", ["rena.moran@co.ramsey.mn.us"])]


def test_cards_with_their_own_name_lines_split_a_heading():
    html = """<h2>Staff</h2>
      <div class="card"><p>Kelly Johnson</p><p>kelly.johnson@nyu.edu</p><p>(212) 992-7304</p></div>
      <div class="card"><p>Scott Collard</p><p>scott.collard@nyu.edu</p></div>"""
    found, _ = offices(html)
    assert summary(found) == [("Kelly Johnson", ["+12129927304", "kelly.johnson@nyu.edu"]),
                              ("Scott Collard", ["scott.collard@nyu.edu"])]


def test_nav_links_without_contact_data_make_no_office():
    html = """<nav><ul><li><a href="/a">Hours &amp; Locations</a></li><li><a href="/b">Contact</a></li></ul></nav>
      <h2>News</h2><p>Nothing to see.</p>"""
    found, _ = offices(html)
    assert found == []


def test_appointment_alone_makes_no_office():
    appt = Finding(kind="appointment", value="online", text="Request an Appointment", path="html > body > p",
                   line=1)
    found, _ = offices("<p>Request an Appointment</p>", [appt])
    assert found == []


def test_footer_is_named_by_its_first_line_not_the_last_main_heading():
    html = """<main><h2>Opinions</h2><p>Opinion text.</p></main>
      <footer><p>Supreme Court of Texas</p><p>Main: (512) 463-1312</p><p>Fax: (512) 463-1365</p></footer>"""
    found, _ = offices(html)
    assert summary(found) == [("Supreme Court of Texas", ["+15124631312", "+15124631365"])]


def test_structured_items_are_their_own_office():
    html = """<script type="application/ld+json">{"@type": "GovernmentOffice", "name": "Recorder",
      "telephone": "216-555-0150"}</script><h2>Elsewhere</h2><p>Call 216-555-0151</p>"""
    found, _ = offices(html)
    assert sorted(summary(found)) == [("Elsewhere", ["+12165550151"]), ("Recorder", ["+12165550150"])]


def test_office_location_is_its_first_line():
    found, _ = offices('<div id="c"><h2>Clerk</h2><p>Phone: (312) 555-0100</p></div>')
    office, = found
    assert office.path == "div#c > p"
    assert office.line == 1
    assert office.kinds == {"phone"}


def test_part_headings_inside_a_card_belong_to_the_card():
    html = """<main><div class="card office"><h2>Salem headquarters</h2>
      <p>Visit us:<br>1200 Example Street NE<br>Salem, OR 97301</p><p>Phone: (503) 555-0100</p>
      <h3>Hours</h3><p>Monday through Friday, 8:00 a.m. to 5:00 p.m.</p>
      <h3>Appointments</h3><p>To schedule an appointment, call (503) 555-0100.</p></div>
      <div class="card office"><h2>Bend field office</h2><p>Phone: (541) 555-0188</p>
      <h3>Hours</h3><p>Mon-Fri 9am-4pm</p></div></main>"""
    offices = extract_page(html, "https://www.example.gov/offices/").offices
    assert [(o.name, sorted(o.kinds)) for o in offices] == [
        ("Salem headquarters", ["address", "appointment", "hours", "phone"]),
        ("Bend field office", ["hours", "phone"]),
    ]


def test_a_part_heading_outside_any_card_keeps_its_own_block():
    html = "<h1>Contact us</h1><h2>Call us</h2><p>(503) 555-0100</p><h2>Email us</h2><p>info@example.gov</p>"
    assert [o.name for o in extract_page(html, "https://www.example.gov/contact").offices] == ["Call us", "Email us"]
