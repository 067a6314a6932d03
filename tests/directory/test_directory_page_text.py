"""Names shown with no contact details next to them ("Director: Jordan Avery") are found in the page text."""

from __future__ import annotations

from datetime import date

from siteaudit.directory import store as dstore
from siteaudit.directory.check import check_person
from siteaudit.directory.diff import diff_directory
from siteaudit.directory.model import DirectoryEntry
from siteaudit.rules import PAGE_TEXT_DDL
from siteaudit.store import ensure_table, insert_rows

D = "@demo-agency.example.gov"
U = "https://demo.example.gov/"
AS_OF = date(2026, 11, 25)
ENTRIES = [
    DirectoryEntry(2, "Jordan Avery", "jordan.avery" + D, (), status="terminated", end_date=date(2026, 11, 2),
                   public_contact=True),
    DirectoryEntry(3, "Ana Beltrán", "ana.beltran" + D, ("+15035550152",), public_contact=True),
    DirectoryEntry(4, "Priya Raman", "priya.raman" + D, ("+15035550163",), public_contact=True),
]


def _run(db, make_run, texts: dict[str, str], findings=()):
    run_id = make_run(db, list(findings))
    ensure_table(db, PAGE_TEXT_DDL)
    insert_rows(db, "page_text", [{"run_id": run_id, "url": U + page, "headings": [], "text": text}
                                  for page, text in texts.items()])
    return run_id


def test_departed_person_named_only_in_page_text_is_still_listed(db, make_run):
    run_id = _run(db, make_run, {"about.html": "About the agency\nDirector: Jordan Avery\nFounded 1971"})
    rows = dstore.load_findings(db, run_id) + dstore.load_page_lines(db, run_id)
    departed = [r for r in diff_directory(ENTRIES, rows, as_of=AS_OF) if r.category.value == "departed"]
    assert [(r.person, [o.url for o in r.occurrences]) for r in departed] == [("Jordan Avery", [U + "about.html"])]
    assert departed[0].occurrences[0].text == "Director: Jordan Avery"
    # without the page text the name is not seen at all
    assert not [r for r in diff_directory(ENTRIES, dstore.load_findings(db, run_id), as_of=AS_OF)
                if r.category.value == "departed"]


def test_a_person_named_in_page_text_is_not_missing(db, make_run):
    run_id = _run(db, make_run, {"team.html": "Our team\nPriya Raman, Records Coordinator"})
    rows = dstore.load_findings(db, run_id) + dstore.load_page_lines(db, run_id)
    missing = {r.person for r in diff_directory(ENTRIES, rows, as_of=AS_OF) if r.category.value == "missing"}
    assert "Priya Raman" not in missing and "Ana Beltrán" in missing


def test_page_text_adds_no_second_occurrence_where_a_finding_shows_the_person(db, make_run):
    finding = {"url": U + "permits.html", "kind": "email", "value": "ana.beltran" + D, "text": "ana.beltran" + D,
               "office": "Ana Beltrán", "data": {"role": False}}
    run_id = _run(db, make_run, {"permits.html": "Ana Beltrán\nana.beltran" + D, "news.html": "Welcome Ana Beltrán"},
                  [finding])
    rows = dstore.load_findings(db, run_id) + dstore.load_page_lines(db, run_id)
    found = check_person("ana.beltran" + D, ENTRIES, rows)
    assert found.pages == [U + "news.html", U + "permits.html"]
    assert not [o for o in found.occurrences if o.url == U + "permits.html" and o.label == "visible text"]
    news = [o for o in found.occurrences if o.url == U + "news.html"]
    assert [(o.match, o.text, o.label) for o in news] == [("name", "Welcome Ana Beltrán", "visible text")]


def test_no_page_text_table_is_fine(db, make_run):
    run_id = make_run(db, [])
    assert dstore.load_page_lines(db, run_id) == []
