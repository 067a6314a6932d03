"""The diff: each category exactly, on findings rows written to a temp database."""

from datetime import date

import pytest

from siteaudit.directory import store as dstore
from siteaudit.directory.diff import diff_directory, effective_status, is_personal_email
from siteaudit.directory.model import DirectoryEntry

D = "@demo-agency.example.gov"
AS_OF = date(2026, 11, 25)  # the day before Thanksgiving

ENTRIES = [
    DirectoryEntry(2, "Marcus J. Whitfield", "marcus.whitfield" + D, ("+15035550147",), status="terminated",
                   end_date=date(2026, 11, 18), public_contact=True),
    DirectoryEntry(3, "Dana Cho", "dana.cho" + D, ("+15035550148",), status="terminated", end_date=date(2026, 11, 23)),
    DirectoryEntry(4, "Ana Beltrán", "ana.beltran" + D, ("+15035550152",), public_contact=True),
    DirectoryEntry(5, "Priya Raman", "priya.raman" + D, ("+15035550163",), start_date=date(2026, 11, 2),
                   public_contact=True),
    DirectoryEntry(6, "Sam Newton", "sam.newton" + D, (), start_date=date(2026, 11, 23), public_contact=True),
    DirectoryEntry(7, "Tom Fischer", "tom.fischer" + D, ("+15035550171",)),
    DirectoryEntry(8, "Licensing mailbox", "licensing" + D, (), public_contact=True, entry_type="shared"),
    DirectoryEntry(9, "Main line", "", ("+15035550100",), public_contact=True, entry_type="main_line"),
    DirectoryEntry(10, "Robert Nakamura", "robert.nakamura" + D, ("+15035550131",), public_contact=True,
                   aliases=("Bobby Nakamura",)),
    # a desk phone handed on from a leaver to a newcomer: on its own it proves neither is listed
    DirectoryEntry(11, "Kai Lee", "kai.lee" + D, ("+15035550160",), status="terminated", end_date=date(2026, 10, 1)),
    DirectoryEntry(12, "Eve Adams", "eve.adams" + D, ("+15035550160",)),
    DirectoryEntry(13, "Grace Okafor", "grace.okafor" + D, ("+15035550175",), status="leave", public_contact=True),
]

U = "https://demo.example.gov/"
FINDINGS = [
    {"url": U + "staff.html", "kind": "email", "value": "marcus.whitfield" + D, "text": "marcus.whitfield" + D,
     "office": "Marcus Whitfield", "line": 10, "data": {"role": False}},
    {"url": U + "staff.html", "kind": "phone", "value": "+15035550147", "text": "(503) 555-0147",
     "office": "Marcus Whitfield", "line": 11},
    {"url": U + "licensing.html", "kind": "phone", "value": "+15035550100",
     "text": "Main line (503) 555-0100, or ask Marcus Whitfield", "office": "Licensing Division", "line": 5},
    {"url": U + "staff.html", "kind": "email", "value": "ana.beltran" + D, "text": "ana.beltran" + D,
     "office": "Ana Beltrán, Permits Program Manager", "line": 20, "data": {"role": False}},
    {"url": U + "staff.html", "kind": "phone", "value": "+15035550125", "text": "(503) 555-0125",
     "office": "Ana Beltrán, Permits Program Manager", "line": 21},
    {"url": U + "permits.html", "kind": "phone", "value": "+15035550125", "text": "Ana Beltran: (503) 555-0125",
     "office": "Permits", "line": 7},
    {"url": U + "contact.html", "kind": "email", "value": "licensing" + D, "text": "licensing" + D,
     "office": "Licensing Division", "data": {"role": True}},
    {"url": U + "about.html", "kind": "address", "value": "1 Main St, Salem, OR 97301", "text": "1 Main St",
     "office": "Dana Cho, Records Officer", "line": 3},
    {"url": U + "staff.html", "kind": "phone", "value": "+15035550131", "text": "(503) 555-0131",
     "office": "Bob Nakamura", "line": 30},
    {"url": U + "permits.html", "kind": "phone", "value": "+15035550160", "text": "(503) 555-0160",
     "office": "Permits counter", "line": 9},
    {"url": U + "records.html", "kind": "email", "value": "maria.lopez" + D, "text": "maria.lopez" + D,
     "office": "Records", "data": {"role": False}},
    {"url": U + "records.html", "kind": "phone", "value": "+15035550199",
     "text": "Contact Tim Jones at (503) 555-0199", "office": "Records", "line": 4},
    {"url": U + "contact.html", "kind": "email", "value": "webmaster" + D, "text": "webmaster" + D,
     "office": "Website", "data": {"role": True}},
    {"url": U + "licensing.html", "kind": "phone", "value": "+15035550177", "text": "(503) 555-0177",
     "office": "Licensing Division", "line": 8},
]


@pytest.fixture
def results(db, make_run):
    run_id = make_run(db, FINDINGS)
    return diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF, window=3)


def _table(results):
    return [(r.category.value, r.person, r.value, r.pages, r.business_days, r.window_passed) for r in results]


def test_every_category_exactly(results):
    assert _table(results) == [
        ("departed", "Dana Cho", "Dana Cho", [U + "about.html"], 2, False),
        ("departed", "Marcus J. Whitfield", "marcus.whitfield" + D + "; +15035550147; Marcus J. Whitfield",
         [U + "licensing.html", U + "staff.html"], 5, True),
        ("mismatch", "Ana Beltrán", "+15035550125", [U + "permits.html", U + "staff.html"], None, None),
        ("unknown", "", "maria.lopez" + D, [U + "records.html"], None, None),
        ("unknown", "Tim Jones", "+15035550199", [U + "records.html"], None, None),
        ("missing", "Priya Raman", "priya.raman" + D, [], 16, True),
        ("missing", "Sam Newton", "sam.newton" + D, [], 2, False),
        # her name is also on permits.html (next to the wrong number): she is listed there too
        ("ok", "Ana Beltrán", "ana.beltran" + D + "; Ana Beltrán", [U + "permits.html", U + "staff.html"],
         None, None),
        ("ok", "Licensing mailbox", "licensing" + D, [U + "contact.html"], None, None),
        ("ok", "Main line", "+15035550100", [U + "licensing.html"], None, None),
        ("ok", "Robert Nakamura", "+15035550131; Robert Nakamura", [U + "staff.html"], None, None),
    ]


def test_details_say_what_to_fix(results):
    by = {(r.category.value, r.person): r for r in results}
    assert by[("mismatch", "Ana Beltrán")].detail == (
        "site shows +15035550125 for Ana Beltrán, the directory has +15035550152")
    marcus = by[("departed", "Marcus J. Whitfield")]
    assert "left 2026-11-18, 5 business days ago" in marcus.detail
    assert "should have been updated by 2026-11-23" in marcus.detail
    assert {(o.url, o.match, o.line) for o in marcus.occurrences} == {
        (U + "staff.html", "email", 10), (U + "staff.html", "phone", 11), (U + "staff.html", "name", 10),
        (U + "licensing.html", "name", 5)}
    assert "within the 3-business-day onboarding window" in by[("missing", "Sam Newton")].detail
    assert by[("departed", "Dana Cho")].detail == "left 2026-11-23, 2 business days ago; update the site by 2026-11-27"


def test_window_is_configurable(db, make_run):
    run_id = make_run(db, FINDINGS)
    results = diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF, window=5)
    marcus = next(r for r in results if r.person == "Marcus J. Whitfield")
    assert (marcus.business_days, marcus.window_passed) == (5, False)


def test_as_of_decides_who_has_left_and_who_has_started(db, make_run):
    run_id = make_run(db, FINDINGS)
    findings = dstore.load_findings(db, run_id)
    before = diff_directory(ENTRIES, findings, as_of=date(2026, 11, 20), window=3)
    cats = {(r.category.value, r.person) for r in before}
    assert ("ok", "Dana Cho") in cats  # her end date is still ahead
    assert ("departed", "Dana Cho") not in cats
    assert not any(r.person == "Sam Newton" for r in before)  # not started yet


def test_entry_status_rules():
    e = DirectoryEntry(2, "Jane Doe", status="active", end_date=date(2026, 11, 20))
    assert effective_status(e, date(2026, 11, 25)) == "terminated"  # end date passed, status not updated
    e = DirectoryEntry(2, "Jane Doe", status="terminated", end_date=date(2026, 12, 31))
    assert effective_status(e, date(2026, 11, 25)) == "active"  # leaving at the end of the year
    assert effective_status(DirectoryEntry(2, "Jane Doe", status="terminated"), date(2026, 11, 25)) == "terminated"


def test_personal_email_heuristic_when_the_extractor_did_not_say():
    assert is_personal_email("jane.doe@x.gov")
    assert not is_personal_email("records.help@x.gov")
    assert not is_personal_email("licensing@x.gov")
    assert is_personal_email("licensing@x.gov", {"role": False})  # the extractor's call wins


def test_results_round_trip_through_the_store(db, results, make_run):
    run_id = make_run(db, [])
    imp = dstore.save_import(db, _import(ENTRIES))
    assert dstore.save_results(db, run_id, imp, results, as_of=AS_OF, window=3) == len(results)
    dstore.save_results(db, run_id, imp, results, as_of=AS_OF, window=3)  # replaces, not appends
    again = dstore.load_results(db, run_id, imp)
    assert [r.to_dict() for r in again] == [r.to_dict() for r in results]
    assert [e.to_dict() for e in dstore.load_entries(db, imp)] == [e.to_dict() for e in ENTRIES]


def _import(entries):
    from siteaudit.directory.model import ImportResult
    return ImportResult(source="test", source_kind="test", entries=list(entries), rows_read=len(entries))


def test_phone_in_the_same_element_as_a_persons_email_is_theirs(db, make_run):
    # <p>Ana Beltrán, Permits Program Manager<br>Email: ana.beltran@...<br>Phone: (503) 555-0159</p>
    same_p = {"url": U + "permits.html", "office": "Contact the permits program", "path": "main > p:nth-of-type(2)",
              "line": 28}
    run_id = make_run(db, [
        {**same_p, "kind": "email", "value": "ana.beltran" + D, "text": "ana.beltran" + D, "label": "Email"},
        {**same_p, "kind": "phone", "value": "+15035550159", "text": "(503) 555-0159", "label": "Phone"},
        {**same_p, "kind": "phone", "value": "+15035550100", "text": "(503) 555-0100", "label": "Main"},
    ])
    results = diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF)
    mismatches = [(r.person, r.value) for r in results if r.category.value == "mismatch"]
    assert mismatches == [("Ana Beltrán", "+15035550159")]  # the main line next to her is not a mismatch


def test_an_email_address_is_not_read_as_a_name(db, make_run):
    run_id = make_run(db, [{"url": U + "x.html", "kind": "email", "value": "dana.cho.old@example.org",
                            "text": "dana.cho@demo-agency.example.gov", "data": {"role": True}}])
    results = diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF)
    assert not any(r.person == "Dana Cho" for r in results)


def test_fax_and_second_lines_next_to_a_person_are_not_mismatches(db, make_run):
    card = {"url": U + "staff.html", "office": "Ana Beltrán"}
    run_id = make_run(db, [
        {**card, "kind": "phone", "value": "+15035550152", "text": "(503) 555-0152", "line": 1},
        {**card, "kind": "phone", "value": "+15035550198", "text": "(503) 555-0198", "label": "Cell", "line": 2},
        {**card, "kind": "phone", "value": "+15035550101", "text": "(503) 555-0101", "label": "Fax",
         "phone_type": "fax", "line": 3},
    ])
    results = diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF)
    assert [(r.category.value, r.person) for r in results if r.person == "Ana Beltrán"] == [("ok", "Ana Beltrán")]


def test_a_fax_alone_next_to_a_person_is_not_a_mismatch(db, make_run):
    card = {"url": U + "staff.html", "office": "Ana Beltrán"}
    run_id = make_run(db, [
        {**card, "kind": "phone", "value": "+15035550101", "text": "(503) 555-0101", "label": "Fax",
         "phone_type": "fax", "line": 3},
        {**card, "kind": "phone", "value": "+15035550198", "text": "(503) 555-0198", "line": 4,
         "path": "div:nth-of-type(9)", "office": "Ana Beltran"},
    ])
    results = diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF)
    assert [(r.category.value, r.value) for r in results if r.person == "Ana Beltrán"] == [
        ("mismatch", "+15035550198"), ("ok", "Ana Beltrán")]


def test_unknown_name_check_uses_nicknames(db, make_run):
    run_id = make_run(db, [{"url": U + "x.html", "kind": "phone", "value": "+15035550111",
                            "text": "Call Bobby Nakamura at (503) 555-0111", "line": 1},
                           {"url": U + "x.html", "kind": "phone", "value": "+15035550112",
                            "text": "Call Maria Lopez at (503) 555-0112", "line": 2}])
    results = diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF)
    assert [(r.category.value, r.person, r.value) for r in results if r.category.value in ("unknown", "mismatch")] == [
        ("mismatch", "Robert Nakamura", "+15035550111"), ("unknown", "Maria Lopez", "+15035550112")]
