"""Person check: every finding that shows a person, by email, phone or name."""

from siteaudit.directory.check import check_person, classify_query
from siteaudit.directory.model import DirectoryEntry

import pytest

D = "@demo-agency.example.gov"
U = "https://demo.example.gov/"
ENTRIES = [
    DirectoryEntry(2, "Robert Nakamura", "robert.nakamura" + D, ("+15035550131;ext=4", "+15035550100"),
                   aliases=("Bob Nakamura",)),
    DirectoryEntry(3, "Main line", "", ("+15035550100",), entry_type="main_line"),
]
FINDINGS = [
    {"id": 1, "url": U + "a.html", "kind": "email", "value": "robert.nakamura" + D, "text": "robert.nakamura" + D,
     "path": "td:nth-of-type(3)", "line": 4, "office": "Bob Nakamura", "label": ""},
    {"id": 2, "url": U + "a.html", "kind": "phone", "value": "+15035550131;ext=4", "text": "(503) 555-0131 x4",
     "path": "td:nth-of-type(4)", "line": 4, "office": "Bob Nakamura", "label": ""},
    {"id": 3, "url": U + "b.html", "kind": "address", "value": "x", "text": "1 Main St",
     "path": "address", "line": 9, "office": "Nakamura, Robert - Licensing", "label": ""},
    {"id": 4, "url": U + "c.html", "kind": "phone", "value": "+15035550100", "text": "(503) 555-0100",
     "path": "footer p", "line": 50, "office": "Agency", "label": "Main"},
    {"id": 5, "url": U + "d.html", "kind": "phone", "value": "+15035550131;ext=4", "text": "555-0131 ext. 4",
     "path": "p", "line": 2, "office": "Licensing", "label": ""},
]


@pytest.mark.parametrize("query", ["Robert.Nakamura" + D, "bob nakamura", "Nakamura, Robert", "503-555-0131 x4"])
def test_every_page_showing_the_person(query):
    found = check_person(query, ENTRIES, FINDINGS)
    assert [e.row for e in found.entries] == [2]
    assert found.pages == [U + "a.html", U + "b.html", U + "d.html"]  # not the main line page
    assert {(o.url, o.match) for o in found.occurrences} == {
        (U + "a.html", "email"), (U + "a.html", "phone"), (U + "a.html", "name"),
        (U + "b.html", "name"), (U + "d.html", "phone")}
    assert len(found.occurrences) == 5  # a name shown once is listed once, whichever spelling was asked
    b = next(o for o in found.occurrences if o.url == U + "b.html")
    assert (b.text, b.path, b.line) == ("Nakamura, Robert - Licensing", "address", 9)


def test_a_phone_without_extension_finds_it_with_one():
    found = check_person("(503) 555-0131", ENTRIES, FINDINGS)
    assert found.entries == []  # nobody holds the bare number
    assert found.pages == [U + "a.html", U + "d.html"]


def test_someone_not_in_the_directory_is_still_searched():
    found = check_person("Jane Doe", [], [{"id": 1, "url": U, "kind": "phone", "value": "+15035550199",
                                           "text": "x", "office": "Jane Doe", "label": "", "path": "p", "line": 1}])
    assert found.pages == [U]


@pytest.mark.parametrize("query, kind", [("A@B.gov", "email"), ("+1 503 555 0100", "phone"), ("Jane Doe", "name")])
def test_classify_query(query, kind):
    assert classify_query(query)[0] == kind


@pytest.mark.parametrize("query", ["Madonna", "555-0100", ""])
def test_unusable_queries(query):
    with pytest.raises(ValueError):
        classify_query(query)
