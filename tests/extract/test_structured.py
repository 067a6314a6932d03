"""schema.org contact data: JSON-LD, microdata, RDFa; hours in opening_hours syntax."""

from __future__ import annotations

import json

import pytest

from siteaudit.extract.structured import extract_structured, normalize_opening_hours, opening_hours_from_spec
from siteaudit.extract.text import parse_html


def structured(html: str):
    return extract_structured(parse_html(html), "https://agency.example.gov/")


def jsonld(obj) -> str:
    return f'<html><head><script type="application/ld+json">{json.dumps(obj)}</script></head><body></body></html>'


OFFICE = {
    "@context": "https://schema.org",
    "@type": "GovernmentOffice",
    "name": "Clerk's Office",
    "telephone": "(312) 555-0100",
    "faxNumber": "+1-312-555-0101",
    "email": "mailto:Clerk@Agency.gov",
    "address": {"@type": "PostalAddress", "streetAddress": "121 N. LaSalle St., Room 107",
                "addressLocality": "Chicago", "addressRegion": "IL", "postalCode": "60602-1234"},
    "openingHoursSpecification": [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday",
                                                             "Friday"], "opens": "08:30", "closes": "16:30"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Saturday",
         "opens": "09:00:00", "closes": "12:00:00"},
    ],
}


def by_kind(findings):
    out = {}
    for f in findings:
        out.setdefault(f.kind, []).append(f)
    return out


def test_jsonld_government_office():
    found = by_kind(structured(jsonld(OFFICE)))
    phones = {(f.value, f.phone_type) for f in found["phone"]}
    assert phones == {("+13125550100", "voice"), ("+13125550101", "fax")}
    assert [f.value for f in found["email"]] == ["clerk@agency.gov"]
    addr, = found["address"]
    assert addr.data["number"] == "121"
    assert addr.data["zip"] == "60602" and addr.data["plus4"] == "1234"
    assert addr.data["city"] == "Chicago" and addr.data["state"] == "IL"
    assert addr.data["kind"] == "physical"
    hours, = found["hours"]
    assert hours.value == "Mo-Fr 08:30-16:30; Sa 09:00-12:00"
    for f in structured(jsonld(OFFICE)):
        assert f.source == "structured"
        assert f.office == "Clerk's Office"
        assert f.line == 1


def test_jsonld_graph_and_contact_point():
    doc = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Home"},
        {"@type": "Organization", "name": "Transit Authority",
         "contactPoint": [{"@type": "ContactPoint", "telephone": "+1-800-555-0199", "contactType": "TTY"}]},
    ]}
    f, = structured(jsonld(doc))
    assert (f.kind, f.value, f.phone_type, f.office) == ("phone", "+18005550199", "tty", "Transit Authority")


def test_po_box_is_mailing_and_string_address():
    doc = {"@type": "Organization", "name": "AG",
           "address": {"@type": "PostalAddress", "postOfficeBoxNumber": "12248", "addressLocality": "Austin",
                       "addressRegion": "TX", "postalCode": "78711"}}
    f, = structured(jsonld(doc))
    assert f.data["number"] == "12248" and f.data["kind"] == "mailing"
    doc = {"@type": "Place", "name": "Library", "address": "400 S. State Street, Chicago, IL 60605"}
    f, = structured(jsonld(doc))
    assert f.data["number"] == "400" and f.data["zip"] == "60605"


def test_opening_hours_string_is_tidied():
    doc = {"@type": "LocalBusiness", "name": "X", "openingHours": ["Mo-Fr 9:00-17:00", "Sa 10:00-14:00"]}
    f, = structured(jsonld(doc))
    assert f.value == "Mo-Fr 09:00-17:00; Sa 10:00-14:00"
    assert normalize_opening_hours("mo-fr 8:00-16:00") == "Mo-Fr 08:00-16:00"


def test_spec_merging_and_closed_days():
    specs = [{"dayOfWeek": d, "opens": "08:00", "closes": "17:00"} for d in ("Monday", "Tuesday", "Thursday")]
    specs.append({"dayOfWeek": "Sunday", "opens": "00:00", "closes": "00:00"})
    specs.append({"dayOfWeek": "Monday", "opens": "10:00", "closes": "12:00", "validFrom": "2024-12-24"})
    assert opening_hours_from_spec(specs) == "Mo,Tu,Th 08:00-17:00; Su off"


def test_microdata():
    html = """<div itemscope itemtype="https://schema.org/GovernmentOffice">
      <h2 itemprop="name">Recorder of Deeds</h2>
      <span itemprop="telephone">(216) 555-0150</span>
      <a itemprop="email" href="mailto:deeds@county.gov">Email us</a>
      <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
        <span itemprop="streetAddress">One Pemberton Square</span>,
        <span itemprop="addressLocality">Boston</span>, <span itemprop="addressRegion">MA</span>
        <span itemprop="postalCode">02108</span></div>
      <meta itemprop="openingHours" content="Mo-Fr 08:00-16:30">
    </div>"""
    found = by_kind(structured(html))
    assert found["phone"][0].value == "+12165550150"
    assert found["email"][0].value == "deeds@county.gov"
    assert found["address"][0].data["number"] == "1"
    assert found["address"][0].data["zip"] == "02108"
    assert found["hours"][0].value == "Mo-Fr 08:00-16:30"
    assert {f.office for fs in found.values() for f in fs} == {"Recorder of Deeds"}


def test_rdfa():
    html = """<div vocab="https://schema.org/" typeof="Library">
      <span property="name">Branch Library</span>
      <span property="telephone">312-555-0177</span></div>"""
    f, = structured(html)
    assert (f.value, f.office) == ("+13125550177", "Branch Library")


@pytest.mark.parametrize("payload", ["{not json", "[]", "null", '{"@type": "BreadcrumbList", "itemListElement": []}'])
def test_malformed_or_irrelevant_jsonld_gives_nothing(payload):
    html = f'<script type="application/ld+json">{payload}</script>'
    assert structured(html) == []


def test_items_without_contact_properties_are_ignored():
    assert structured(jsonld({"@type": "Organization", "name": "X", "url": "https://x.gov"})) == []


def test_graph_references_by_id_are_resolved():
    doc = {"@context": "https://schema.org", "@graph": [
        {"@type": "GovernmentOrganization", "@id": "#org", "name": "City Clerk", "address": {"@id": "#addr"}},
        {"@type": "PostalAddress", "@id": "#addr", "streetAddress": "121 N. LaSalle St.",
         "addressLocality": "Chicago", "addressRegion": "IL", "postalCode": "60602"},
    ]}
    found = structured(jsonld(doc))
    addr, = [f for f in found if f.kind == "address"]
    assert (addr.data["number"], addr.data["zip"], addr.office) == ("121", "60602", "City Clerk")
