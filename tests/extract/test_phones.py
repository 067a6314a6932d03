"""Phone numbers and short codes: shapes, labels, links, flags and distractors."""

from __future__ import annotations

import time

import pytest

from siteaudit.extract.phones import extract_phones, normalize_phone
from siteaudit.extract.text import parse_html, segment


def phones(html: str, kind: str = "phone"):
    return [f for f in extract_phones(segment(parse_html(html))) if f.kind == kind]


def values(html: str) -> list[str]:
    return [f.value for f in phones(html)]


def one(html: str):
    found = phones(html)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Call (313) 224-3362 today", "+13132243362"),
        ("Phone: 312.744.4190", "+13127444190"),
        ("(217)782-4141", "+12177824141"),
        ("216/524-6580", "+12165246580"),
        ("1-800-771-7755", "+18007717755"),
        ("1 (646) 555-0142", "+16465550142"),
        ("+1 312 747 4300", "+13127474300"),
        ("+13127474300", "+13127474300"),
        ("312\u2013553\u20132575", "+13125532575"),
        ("Request Info(773) 265-5343", "+17732655343"),
    ],
)
def test_number_shapes(text, expected):
    assert values(f"<p>{text}</p>") == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("216/524-6580, ext. 1000", "+12165246580;ext=1000"),
        ("(212) 580-0210 x232", "+12125800210;ext=232"),
        ("(212) 580-0210 ext 5", "+12125800210;ext=5"),
        ("(212) 580-0210 extension 77", "+12125800210;ext=77"),
    ],
)
def test_extensions(text, expected):
    f = one(f"<p>{text}</p>")
    assert f.value == expected
    assert f.text == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Call 1-800-FLOWERS now", "+18003569377"),
        ("773-COLLEGE", "+17732655343"),
        ("text to 216-575-EYES (3937)", "+12165753937"),
    ],
)
def test_vanity_numbers(text, expected):
    f = one(f"<p>{text}</p>")
    assert f.value == expected
    assert f.data.get("vanity") is True


def test_mixed_case_vanity_needs_a_tel_link():
    assert values('<p><a href="tel:+17732655343">(773) College</a></p>') == ["+17732655343"]
    assert values("<p>(773) College</p>") == []


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>Fax: (512) 463-1365</p>", "fax"),
        ("<p>F: 312.814.2241</p>", "fax"),
        ("<p>216-664-2631 (fax)</p>", "fax"),
        ("<p>(773) 553-1600 phone</p>", "voice"),
        ("<p>TTY: (651) 297-7206</p>", "tty"),
        ("<p>TTY: (800) 366-4812</p>", "tty"),
        ("<p>(800) 657-3787</p>", "tollfree"),
        ("<p>Phone: (800) 339-8344</p>", "tollfree"),
        ("<p>Toll Free (800) 339-8344</p>", "tollfree"),
        ("<p>text/photo/video to 216-575-EYES (3937)</p>", "sms"),
        ("<p>Main: (512) 463-1312</p>", "voice"),
        ("<p>P: 312.814.2206</p>", "voice"),
        ("<p>Direct any concerns to 216-356-3120</p>", "voice"),
    ],
)
def test_phone_type_from_nearby_words(html, expected):
    assert one(html).phone_type == expected


def test_label_before_wins_over_label_of_next_number():
    found = phones("<p>Phone: 312-555-0100 Fax: 312-555-0101</p>")
    assert [(f.value, f.phone_type, f.label) for f in found] == [
        ("+13125550100", "voice", "Phone"), ("+13125550101", "fax", "Fax")]


def test_label_after_number_in_parentheses():
    found = phones("<p>216-664-2418 \u2022 216-664-2631 (fax)</p>")
    assert [f.phone_type for f in found] == ["voice", "fax"]


def test_labels_on_their_own_lines_apply_in_order():
    html = "<td>Telephone:<br>Fax:<br>Address:</td><td>216-664-2580<br>216-664-2631<br>601 Lakeside</td>"
    found = phones(f"<table><tr>{html}</tr></table>")
    assert [f.phone_type for f in found] == ["voice", "fax"]


def test_caption_line_then_labelled_lines():
    found = phones("<div>Phone</div><div>Main:</div><div>(512) 463-1312</div><div>Fax:</div><div>(512) 463-1365</div>")
    assert [f.phone_type for f in found] == ["voice", "fax"]


def test_row_label_with_a_note_in_parentheses_beats_the_column_header():
    html = ("<table><tr><th>Service</th><th>Phone</th></tr>"
            "<tr><td>TDD (hearing impaired)</td><td>(417) 345-2290</td></tr></table>")
    f = one(html)
    assert (f.phone_type, f.label) == ("tty", "TDD (hearing impaired)")
    # a name with a note is not a label
    assert one("<p>Office of Security (main building)</p><p>(417) 345-2290</p>").label == ""


def test_type_from_table_column_header():
    html = ("<table><tr><th>Office</th><th>Fax</th></tr>"
            "<tr><td>Clerk</td><td>(312) 555-0199</td></tr></table>")
    f = one(html)
    assert f.phone_type == "fax"
    assert f.label == "Fax"


def test_finding_carries_location_and_text():
    f = one('<div id="c"><p class="x">Phone: (313) 224-3362</p></div>')
    assert f.kind == "phone" and f.source == "text"
    assert f.text == "(313) 224-3362"
    assert f.path == "div#c > p"
    assert f.line == 1
    assert f.label == "Phone"


def test_tel_link_flags():
    ok = one('<p><a href="tel:+13132243362">(313) 224-3362</a></p>')
    assert ok.flags == []
    mismatch = one('<p><a href="tel:+13132240000">(313) 224-3362</a></p>')
    assert "tel-mismatch" in mismatch.flags
    assert mismatch.value == "+13132243362"
    bare = one("<p>(313) 224-3362</p>")
    assert bare.flags == ["no-tel-link"]


def test_tel_link_without_number_text_is_a_link_finding():
    f = one('<p><a href="tel:2165665100">Call us</a></p>')
    assert (f.value, f.source, f.text) == ("+12165665100", "link", "Call us")


def test_tel_href_forms():
    assert normalize_phone("tel://216-575-3937")[0] == "+12165753937"
    assert normalize_phone("tel: 216-566-5163")[0] == "+12165665163"
    assert normalize_phone("tel:+1-312-555-0100;ext=12")[0] == "+13125550100;ext=12"


def test_labelled_invalid_number_is_flagged_unlabelled_dropped():
    f = one("<p>Phone: (999) 555-1212</p>")
    assert "invalid" in f.flags
    assert values("<p>Reference 999-555-1212</p>") == []


@pytest.mark.parametrize(
    "text",
    [
        "Decided 12/12/2023 and 04-13-23",
        "Boston, MA 02108-1750",
        "Portland, ME 04112-0792",
        "Docket No. 01-20-00055-CV and 23-10072",
        "Minn. Stat. \u00a7\u00a7 471.59, 473.399 473.3997",
        "405 ILCS 22/ and ORC 1333.61",
        "Fee $312-555-1212 or $65.00",
        "Meeting ID: 812 345 6789",
        "Zoom meeting ID 853-123-4567",
        "Case No. 312-555-1212",
        "ISBN 978-0-306-40615-7",
        "2024 OK 52, 120246",
        "Epson Expression 11000XL & 10000XL at 2,400 ppi",
        "123-456-7890",
        "SKU 3125551212",
        "order #312-555-1212",
    ],
)
def test_distractors_are_not_phones(text):
    assert values(f"<p>{text}</p>") == []


@pytest.mark.parametrize(
    "text, code, ptype",
    [
        ("TTY: 711 Relay", "711", "tty"),
        ("Dial 711 for the Telecommunications Relay Service", "711", "tty"),
        ("Office of Security 312-553-2575 or *911", "*911", "voice"),
        ("Emergency 911", "911", "voice"),
        ("Call 311 for city services", "311", "voice"),
        ("through the TTY number 7771", "7771", "tty"),
        ("Forward unwanted scam text messages to 7726 (SPAM).", "7726", "sms"),
    ],
)
def test_short_codes(text, code, ptype):
    found = phones(f"<p>{text}</p>", kind="short_code")
    assert [(f.value, f.phone_type) for f in found] == [(code, ptype)]
    assert all(f.value.startswith("+") for f in phones(f"<p>{text}</p>"))


@pytest.mark.parametrize("text", ["311 W. Superior Street", "Suite 911", "Room 7771", "in 2024 there were 4000",
                                  "We sent text messages to 2025 residents."])
def test_numbers_that_are_not_short_codes(text):
    assert phones(f"<p>{text}</p>", kind="short_code") == []


def test_script_and_attributes_are_not_visible():
    html = ('<p data-phone="312-555-0100">x</p><script>var p="312-555-0101"</script>'
            '<p title="312-555-0102">y</p>')
    assert values(html) == []


def test_long_digit_and_dash_page_is_fast():
    blob = "<p>" + ("1-2-3-4-5-6-7-8-9-0-" * 50_000) + "</p><p>" + ("9" * 500_000) + "</p>"
    segs = segment(parse_html(blob))
    start = time.perf_counter()
    assert extract_phones(segs) == []
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("TTY users call 312-555-0100", "tty"),
        ("For TTY, dial 312-555-0100", "tty"),
        ("Toll-free, call 800-555-0100", "tollfree"),
        ("Fax your form. Questions? Call 312-555-0100", "voice"),
    ],
)
def test_specific_label_earlier_in_the_clause(text, expected):
    assert one(f"<p>{text}</p>").phone_type == expected


def test_short_code_in_a_cell_after_its_caption():
    html = "<table><tr><td>Emergency</td><td>911</td></tr><tr><td>Room</td><td>311</td></tr></table>"
    found = phones(html, kind="short_code")
    assert [(f.value, f.phone_type) for f in found] == [("911", "voice")]


def test_the_number_asked_for_through_relay_is_a_voice_line():
    found = phones("<p>Nevada Relay users: dial 711 and ask for 775-328-3100.</p><p>TTY: 775-328-3101</p>")
    assert [(f.value, f.phone_type) for f in found] == [("+17753283100", "voice"), ("+17753283101", "tty")]


def test_relay_service_named_before_its_code():
    found = phones("<p>Relay Colorado: 711</p><p>Relay race on May 5: 311 runners</p>", kind="short_code")
    assert [(f.value, f.phone_type) for f in found] == [("711", "tty")]


def test_short_code_in_a_column_headed_by_its_caption():
    html = ("<table><tr><th>Line</th><th>Phone</th><th>TTY</th><th>Seats</th></tr>"
            "<tr><td>Customer service</td><td>(916) 321-2877</td><td>711</td><td>311</td></tr></table>")
    found = phones(html, kind="short_code")
    assert [(f.value, f.phone_type, f.label) for f in found] == [("711", "tty", "TTY")]


def test_single_capital_letter_labels_without_colon():
    found = phones("<p>P 312.555.0100 F 312.555.0101</p>")
    assert [f.phone_type for f in found] == ["voice", "fax"]


def test_rows_of_figures_are_not_numbers():
    assert values("<p>Totals 1000 250 300 4000 and 250 300 4000 5000</p>") == []
    assert values("<p>Phone 250 300 4000</p>") == ["+12503004000"]


def test_several_labelled_numbers_on_one_line():
    found = phones("<p>Phone: 312-744-5000 | TTY: 312-744-1111 | Fax: 312-744-2222</p>")
    assert [f.phone_type for f in found] == ["voice", "tty", "fax"]


def test_hours_line_is_not_a_caption():
    found = phones("<ul><li>M-F 8am-5pm</li></ul><ul><li>(651) 296-3353</li><li>(800) 657-3787</li></ul>")
    assert [f.phone_type for f in found] == ["voice", "tollfree"]


def test_tel_link_short_code_is_reported_once():
    found = phones('<p>TTY: <a href="tel:711">711</a></p>', kind="short_code")
    assert [(f.value, f.phone_type) for f in found] == [("711", "tty")]
    found = phones('<p><a href="tel:311">City services</a></p>', kind="short_code")
    assert [(f.value, f.source) for f in found] == [("311", "link")]


def test_citation_numbers_are_not_short_codes():
    assert phones("<p>Op. Atty. Gen. 1035 (Cr. Ref. 170c) and Gen. 911</p>", kind="short_code") == []


@pytest.mark.parametrize("text", ["Office of the Atty. General 512-555-0100", "Fairfax County 703-555-0100"])
def test_label_words_need_word_boundaries(text):
    assert one(f"<p>{text}</p>").phone_type == "voice"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("hotline 1-800-FRAUD-99", "+18003728399"),
        ("1-866-4-USA-DOL", "+18664872365"),
    ],
)
def test_vanity_with_inner_dashes(text, expected):
    assert values(f"<p>{text}</p>") == [expected]


def test_extension_with_colon():
    assert values("<p>Phone: 312-744-5000 Ext: 12</p>") == ["+13127445000;ext=12"]


@pytest.mark.parametrize("text, code", [("Call 3-1-1", "311"), ("Dial 9-1-1 in an emergency", "911")])
def test_dashed_short_codes(text, code):
    assert [f.value for f in phones(f"<p>{text}</p>", kind="short_code")] == [code]


def test_caption_must_be_a_label_word_not_an_office_name():
    f = one("<table><tr><td>Office of Security</td><td>312-553-2575</td></tr></table>")
    assert (f.label, f.phone_type) == ("", "voice")
    f = one("<table><tr><td>Fax Number</td><td>312-553-2576</td></tr></table>")
    assert (f.label, f.phone_type) == ("Fax Number", "fax")


@pytest.mark.parametrize("text, expected", [("312-744-5000 - Fax", "fax"), ("312-744-5000 \u2013 TTY", "tty"),
                                            ("312-744-5000 (voice/TTY)", "tty")])
def test_label_after_a_dash(text, expected):
    assert one(f"<p>{text}</p>").phone_type == expected


@pytest.mark.parametrize("text, expected", [("Phone: +44 20 7946 0958", "+442079460958"),
                                            ("Call +33 1 42 68 53 00 now", "+33142685300")])
def test_international_numbers(text, expected):
    assert values(f"<p>{text}</p>") == [expected]


@pytest.mark.parametrize("text, code, ptype", [
    ("If you are a veteran in crisis, dial 988 and press 1, or chat online.", "988", "voice"),
    ("Call 988 any time.", "988", "voice"),
    ("Dial 9-8-8 for the crisis line.", "988", "voice"),
    ("The 988 Suicide &amp; Crisis Lifeline is free.", "988", "voice"),
    ("Text your Stop ID to 41411 for real-time arrivals", "41411", "sms"),
    ("Text HELP to 898211.", "898211", "sms"),
])
def test_crisis_line_and_sms_short_codes(text, code, ptype):
    found = phones(f"<p>{text}</p>", kind="short_code")
    assert [(f.value, f.phone_type) for f in found] == [(code, ptype)]


@pytest.mark.parametrize("text", [
    "Room 988, City Hall",
    "The fee is $988 per year.",
    "We answered 988 calls last month.",
    "Springfield, IL 62701",
    "Text alerts went out from 2019 to 2024.",
    "Text messages were sent to 12000 residents.",
    "Send a text to 20500 Main Street staff.",
    "Mail your form to 41411 Oak Ave.",
])
def test_crisis_line_and_sms_distractors(text):
    assert phones(f"<p>{text}</p>", kind="short_code") == []


def test_many_numbers_on_one_line_is_linear():
    from siteaudit.model import Segment

    line = "503-555-0100 TTY 7771 " * 40_000  # ~1 MB on one line
    start = time.perf_counter()
    found = extract_phones([Segment(text=line, path="p")])
    assert time.perf_counter() - start < 10  # generous: was minutes when overlap checks were quadratic
    assert sum(f.kind == "phone" for f in found) == 40_000
