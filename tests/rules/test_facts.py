"""page_facts (headings, visible text, last-updated date) and page-type detection."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siteaudit.extract.text import parse_html
from siteaudit.rules import facts
from siteaudit.rules.facts import MAX_TEXT, detect_page_types, find_last_updated, page_facts


def test_page_facts_headings_text_and_date():
    root = parse_html("""<html><head><title>Salem Field Office</title><script>var x = "hidden";</script></head>
      <body><h1>Salem Field Office</h1><p>Open <b>Monday</b> to Friday.</p>
      <template>secret</template><div hidden>accordion panel</div><h2>Directions</h2><h2>Directions</h2>
      <footer><p>Page last updated: March 3, 2026</p></footer></body></html>""")
    facts = page_facts(root, "https://agency.example.gov/offices/salem")
    assert facts["headings"] == ["Salem Field Office", "Directions"]
    assert "Open Monday to Friday." in facts["text"].splitlines()
    assert "secret" not in facts["text"] and "hidden" not in facts["text"]
    assert "accordion panel" in facts["text"].splitlines()  # hidden until a click, still on the page
    assert facts["last_updated"] == "2026-03-03"


def test_page_facts_puts_h1_first():
    root = parse_html("<html><body><h2>Site navigation</h2><h1>Salem Field Office</h1><h3>Hours</h3></body></html>")
    assert page_facts(root, "u")["headings"] == ["Salem Field Office", "Site navigation", "Hours"]


def test_page_facts_truncates_text():
    root = parse_html("<html><body>" + "<p>word word word</p>" * 30_000 + "</body></html>")
    assert len(page_facts(root, "u")["text"]) == MAX_TEXT


@pytest.mark.parametrize("text, expected", [
    ("Last updated: 3/14/2026", "2026-03-14"),
    ("Page last modified 2025-11-02", "2025-11-02"),
    ("Page reviewed: January 5, 2026", "2026-01-05"),
    ("Last reviewed on 5 Jan 2026", "2026-01-05"),
    ("Content last reviewed September 2025", "2025-09-01"),
    ("Updated on Sept. 30, 2025", "2025-09-30"),
    ("Date last updated: 12/01/25", "2025-12-01"),
    ("Last updated: soon", None),
    ("Published March 3, 2026", None),  # not an update note
    ("Last updated: 13/45/2026", None),  # impossible date
])
def test_find_last_updated(text, expected):
    assert find_last_updated("Some text\n" + text + "\nmore") == expected


@pytest.mark.parametrize("url, title, headings, expected", [
    ("https://a.gov/", "Department of Widgets", ["Welcome"], set()),
    ("https://a.gov/contact-us", "Contact Us | Widgets", [], {"contact"}),
    ("https://a.gov/page?id=7", "Widgets", ["Contact the Department"], {"contact"}),
    ("https://a.gov/offices/salem", "Salem Field Office", [], {"office"}),
    ("https://a.gov/offices/", "Our offices", ["Find an office"], {"locations"}),
    ("https://a.gov/locations", "Locations", [], {"locations"}),
    ("https://a.gov/find-an-office", "Widgets", [], {"locations"}),
    ("https://a.gov/customer-service", "Customer Service", [], {"customer-service"}),
    ("https://a.gov/about", "About Us", [], {"about"}),
    ("https://a.gov/x", "Widgets", ["Bend Service Center"], {"office"}),
    ("https://a.gov/libraries/locations/bobst-library/index.html", "Bobst Library | NYU", [], {"office"}),
    ("https://a.gov/offices/index.html", "Field offices | Agency", [], {"locations"}),
    ("https://a.gov/opinions", "Published Opinions: State of Maine Judicial Branch", ["Judicial Branch"], set()),
    ("https://a.gov/news/closures.html", "Office closures | Agency", [], set()),
    ("https://a.gov/x", "Agency :: Contact Us", [], set()),  # the first part names the agency, not the page
    ("https://a.gov/x", "Contact us: Agency", [], {"contact"}),
])
def test_detect_page_types(url, title, headings, expected):
    assert detect_page_types(url, title, headings) == expected


_PARTS = st.sampled_from(["office", "Offices", "locations", "branch", "about", "contact", "customer service",
                          "customer-care", "find-an-office", "office-finder", "index.html", "salem", "K", "İ", "Σ",
                          "\t", "\n", " ", "/", "|", " - ", ": ", "get in touch", "service center",
                          "Judicial Branch", "field offices", "Contact Us", "x"])
_TEXT = st.lists(_PARTS, max_size=8).map("".join)


@settings(max_examples=500)
@given(_TEXT, _TEXT, st.lists(_TEXT, max_size=2))
def test_page_types_skip_no_name_or_path_that_could_match(path, title, headings):
    # _TYPE_WORDS only lets detect_page_types skip searches that cannot match: with a gate
    # that passes everything, the types are the same
    url = "https://agency.example.gov/" + path
    gated = detect_page_types(url, title, headings)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(facts, "_TYPE_WORDS", re.compile(""))
        assert detect_page_types(url, title, headings) == gated
