"""Email addresses: plain, obfuscated, mailto, Cloudflare, role vs personal, distractors."""

from __future__ import annotations

import time

import pytest

from siteaudit.extract.emails import extract_emails, is_role_mailbox
from siteaudit.extract.text import parse_html, segment


def emails(html: str):
    return extract_emails(segment(parse_html(html)))


def values(html: str) -> list[str]:
    return [f.value for f in emails(html)]


def cf_encode(address: str, key: int = 0x5A) -> str:
    return f"{key:02x}" + "".join(f"{ord(c) ^ key:02x}" for c in address)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Email: crio@detroitmi.gov", "crio@detroitmi.gov"),
        ("Write to Marc.Nolan@doj.ca.gov.", "marc.nolan@doj.ca.gov"),
        ("(SJCReporter@sjc.state.ma.us)", "sjcreporter@sjc.state.ma.us"),
        ("garrison.mcmurtrey@co.ramsey.mn.us;", "garrison.mcmurtrey@co.ramsey.mn.us"),
        ("jane [at] agency [dot] gov", "jane@agency.gov"),
        ("jane(at)agency(dot)ny(dot)gov", "jane@agency.ny.gov"),
        ("jane at agency dot gov", "jane@agency.gov"),
        ("JANE AT AGENCY DOT GOV", "jane@agency.gov"),
        ("jane [at] agency.gov", "jane@agency.gov"),
    ],
)
def test_visible_forms(text, expected):
    assert values(f"<p>{text}</p>") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Follow @MassReports at 8 a.m.",
        "meet at city hall dot com",  # spelled form needs a word-like local part and ' dot ' + known TLD
        "we meet at noon",
        "logo@2x.png",
        "www.lexisnexis.com/store/us/",
        "Email address",
        "user@localhost",
    ],
)
def test_distractors(text):
    assert values(f"<p>{text}</p>") == []


def test_mailto_only_is_a_link_finding():
    f, = emails('<p><a href="mailto:GcrtaBoard@gcrta.org?subject=Hi">e-mail</a></p>')
    assert (f.value, f.source, f.text) == ("gcrtaboard@gcrta.org", "link", "e-mail")
    assert f.flags == []


def test_mailto_around_shown_address_is_one_text_finding():
    found = emails('<p>Email <a href="mailto:crio@detroitmi.gov">crio@detroitmi.gov</a></p>')
    assert [(f.value, f.source, f.label) for f in found] == [("crio@detroitmi.gov", "text", "Email")]


def test_mailto_mismatch():
    f, = emails('<p><a href="mailto:old@agency.gov">new@agency.gov</a></p>')
    assert f.value == "new@agency.gov"
    assert "mailto-mismatch" in f.flags
    assert f.data["mailto"] == "mailto:old@agency.gov"


def test_mailto_with_several_recipients_and_encoding():
    found = values('<p><a href="mailto:a@x.gov,%20b@x.gov">write</a></p>')
    assert found == ["a@x.gov", "b@x.gov"]


def test_cloudflare_span_and_link_are_decoded():
    h = cf_encode("clerk@court.gov")
    html = (f'<p>Email: <a href="/cdn-cgi/l/email-protection#{h}">'
            f'<span class="__cf_email__" data-cfemail="{h}">[email&#160;protected]</span></a></p>')
    found = emails(html)
    assert [(f.value, f.source) for f in found] == [("clerk@court.gov", "text")]


def test_cloudflare_link_only():
    h = cf_encode("a.b@x.org")
    f, = emails(f'<p><a href="/cdn-cgi/l/email-protection#{h}">write to us</a></p>')
    assert (f.value, f.source) == ("a.b@x.org", "link")


def test_invalid_address_is_flagged():
    f, = emails("<p>bad..dots@agency.gov</p>") or [None]
    assert f is None or "invalid" in f.flags


@pytest.mark.parametrize(
    "address, context, role",
    [
        ("info@agency.gov", "", True),
        ("help@agency.gov", "", True),
        ("customerservice@agency.gov", "", True),
        ("webmaster@oscn.net", "", True),
        ("digital.studio@nyu.edu", "", True),
        ("kelly.johnson@nyu.edu", "", False),
        ("kr37@nyu.edu", "", False),
        ("mbosak@clevelandohio.gov", "Contact: Michael Bosak Phone: 216.664.3802", False),
        ("acalvin@elections.il.gov", "Email Amy Calvin", False),
        ("bbsa@city.cleveland.oh.us", "", True),
    ],
)
def test_role_mailboxes(address, context, role):
    assert is_role_mailbox(address, context) is role


def test_role_in_finding_data():
    f, = emails("<p>Contact: Michael Bosak Phone: 216.664.3802 Email: mbosak@clevelandohio.gov</p>")
    assert f.data["role"] is False
    f, = emails("<p>info@agency.gov</p>")
    assert f.data["role"] is True


def test_scripts_and_attributes_are_ignored():
    assert values('<p data-x="a@b.gov">x</p><script>"c@d.gov"</script><p title="e@f.gov">y</p>') == []


def test_pathological_input_is_fast():
    blob = "<p>" + ("a." * 200_000) + "@" + ("b-" * 200_000) + "</p><p>" + ("x at " * 50_000) + "</p>"
    segs = segment(parse_html(blob))
    start = time.perf_counter()
    extract_emails(segs)
    assert time.perf_counter() - start < 2.0


def test_spaced_at_sign_and_label_a_few_words_before():
    f, = emails("<p>E-mail us at jane @ agency.gov</p>")
    assert (f.value, f.label) == ("jane@agency.gov", "E-mail")


def test_addresses_inside_urls_are_not_emails():
    assert values("<p>https://site.gov/form?u=john@x.gov</p>") == []
    assert values("<p>mailto:abc@d.gov</p>") == ["abc@d.gov"]
