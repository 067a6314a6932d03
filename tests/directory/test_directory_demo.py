"""The bundled demo: its directory CSV, and the diff/check against the demo site's pages.

The pages go through the real extractors (no crawl, no server): what a crawl
of the demo would store in ``findings``.
"""

from datetime import date
from pathlib import Path

import pytest

import siteaudit.demo
from siteaudit.directory.check import check_person
from siteaudit.directory.diff import diff_directory
from siteaudit.directory.importers import CsvDirectorySource

DEMO = Path(siteaudit.demo.__file__).parent
SITE = DEMO / "site"
BASE = "https://demo.example.gov/"
AS_OF = date(2026, 11, 25)


@pytest.fixture(scope="module")
def entries():
    result = CsvDirectorySource(DEMO / "directory.csv").read()
    assert result.errors == []
    return result.entries


@pytest.fixture(scope="module")
def demo_findings():
    pages = sorted(SITE.rglob("*.html"))
    if not pages:
        pytest.skip("the demo site is not there")
    from siteaudit.extract import extract_page

    findings = []
    for n, page in enumerate(pages):
        url = BASE + page.relative_to(SITE).as_posix()
        for i, f in enumerate(extract_page(page.read_text(encoding="utf-8"), url).findings):
            findings.append({**f.to_dict(), "url": url, "id": n * 1000 + i})
    return findings


def test_demo_directory_has_the_seeded_people(entries):
    by_name = {e.name: e for e in entries}
    assert by_name["Marcus J. Whitfield"].status == "terminated"
    assert by_name["Priya Raman"].public_contact and by_name["Priya Raman"].start_date == date(2026, 11, 2)
    assert by_name["Ana Beltrán"].phones == ("+15035550152",)
    assert by_name["Licensing Division mailbox"].entry_type == "shared"
    assert all(p.startswith("+1503555") and 100 <= int(p[-4:]) <= 199 for e in entries for p in e.phones)
    assert all(e.email.endswith("@demo-agency.example.gov") for e in entries if e.email)


def test_demo_diff_reports_exactly_the_seeded_cases(entries, demo_findings):
    results = diff_directory(entries, demo_findings, as_of=AS_OF)
    problems = [(r.category.value, r.person) for r in results if r.category.value != "ok"]
    assert problems == [
        ("departed", "Marcus J. Whitfield"),
        ("mismatch", "Ana Beltrán"),
        ("missing", "Priya Raman"),
    ]
    by = {(r.category.value, r.person): r for r in results}
    marcus = by[("departed", "Marcus J. Whitfield")]
    assert marcus.window_passed and marcus.business_days == 17
    assert {"email", "phone"} <= set(marcus.value_kind.split(","))
    assert by[("mismatch", "Ana Beltrán")].value != "+15035550152"
    assert ("ok", "Licensing Division mailbox") in by  # the shared mailbox is matched, not unknown


def test_demo_check_finds_every_page_that_shows_a_person(entries, demo_findings):
    for e in entries:
        if not e.email:
            continue
        # oracle: every page whose HTML holds the address
        expected = {BASE + p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html")
                    if e.email in p.read_text(encoding="utf-8").lower()}
        found = check_person(e.email, entries, demo_findings)
        assert expected <= set(found.pages), e.email
