"""The report of the bundled demo agency: every seeded defect, in the right program, with the right counts."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from siteaudit.report import read_csv
from siteaudit.sanitize import csv_cell, restore_formula


def html(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def text(folder: Path, name: str) -> str:
    """The page's visible text, roughly (tags dropped, entities decoded)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html(folder, name), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def table_rows(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / "data" / f"{name}.json").read_text(encoding="utf-8"))["rows"]


def section(page: str, start: str, end: str) -> str:
    begin = page.index(start)
    return page[begin:page.index(end, begin)]


def test_files_written(demo_report):
    names = {p.name for p in demo_report.iterdir()}
    assert {"index.html", "program-licensing.html", "program-permits.html", "program-field-offices.html",
            "program-agency-wide-pages.html", "data"} <= names
    for page in demo_report.glob("*.html"):
        source = page.read_text(encoding="utf-8")
        assert source.count("<h1") == 1, page.name
        assert "http-equiv=\"Content-Security-Policy\"" in source
        assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?:", source), "no CDN"
        assert "@media print" in source and '<a class="skip" href="#main">' in source
        assert '<main id="main"' in source and "<nav " in source and "<header " in source and "<footer " in source


def test_overview_counts(demo, demo_report):
    summary = {r["metric"]: r["value"] for r in table_rows(demo_report, "summary") if r["program"] == "All programs"}
    assert summary["Pages crawled"] == 15
    assert summary["Links checked"] == 39
    assert summary["Broken links"] == 4  # 2 HTTP 404s, the bad tel: link, the missing #walk-in fragment
    assert summary["Links to recheck"] == 0
    assert summary["Directory problems"] == 3  # departed, unknown, missing
    overview = text(demo_report, "index.html")
    assert "15 Pages crawled" in overview and "39 Links checked" in overview and "4 Broken links" in overview


def test_every_broken_link_is_in_its_programs_page(demo, demo_report):
    agency = text(demo_report, "program-agency-wide-pages.html")
    broken = section(agency, "Broken links (3 rows)", "Links that could not be checked")
    assert "/docs/fee-schedule-2024.pdf" in broken and "Fee schedule (PDF)" in broken
    assert "/grants/small-business-2019.html" in broken and "Small business grant program (2019)" in broken
    assert "/offices/eugene.html#walk-in" in broken and "Missing #anchor" in broken
    assert "first seen in run 1" in broken
    assert "Eugene field office walk-in hours" in broken and "line 48" in broken
    offices = text(demo_report, "program-field-offices.html")
    broken = section(offices, "Broken links (1 row)", "Links that could not be checked")
    assert "tel:541-555-01" in broken and "(541) 555-0120" in broken
    licensing = text(demo_report, "program-licensing.html")
    assert "No broken links." in licensing


def test_contact_problems_with_rule_severity_policy_and_evidence(demo, demo_report):
    offices = text(demo_report, "program-field-offices.html")
    by_page = section(offices, "Missing or wrong contact information, by page", "By office")
    assert "office-page-fields" in by_page and "/offices/bend.html" in by_page
    assert "page does not show: hours" in by_page and "DAS 107-001-040" in by_page and "Error" in by_page
    assert "Shown walk-in address:" in by_page or "Shown phone:" in by_page  # evidence beyond the message
    assert "tel-link-matches-text" in by_page and "link dials tel:541-555-01" in by_page
    rows = table_rows(demo_report, "rule_problems")
    bend = [r for r in rows if r["rule_id"] == "office-page-fields"]
    assert len(bend) == 1 and bend[0]["programs"] == ["field-offices"] and bend[0]["severity"] == "error"


def test_directory_results_in_the_right_program(demo, demo_report):
    licensing = text(demo_report, "program-licensing.html")
    directory = section(licensing, "Staff directory compared with the site", "Contact inventory")
    assert "Departed but listed" in directory and "Marcus J. Whitfield" in directory  # the seeded departure
    assert "marcus.whitfield@demo-agency.example.gov" in directory
    # Every other difference the diff stored is on the page of the program owning its pages.
    from siteaudit.report.programs import load_config
    from siteaudit.store import open_db

    config = load_config(demo.config)
    db = open_db(demo.db_path)
    latest = db.execute("SELECT max(import_id) FROM directory_results WHERE run_id = ?", [demo.runs[0]]).fetchone()[0]
    rows = db.execute("SELECT person, value, pages FROM directory_results WHERE run_id = ? AND import_id = ? "
                      "AND category != 'ok'", [demo.runs[0], latest]).fetchall()
    assert len(rows) == 3
    for person, value, pages in rows:
        slugs = {config.program_for(u) for u in json.loads(pages)} or {"unassigned"}
        for slug in slugs:
            page = section(text(demo_report, f"program-{slug}.html"), "Staff directory compared", "Contact inventory")
            assert (person or value) in page, (slug, person, value)


def test_inventory_lists_every_finding_once(demo, demo_report):
    rows = table_rows(demo_report, "inventory")
    from siteaudit.store import open_db

    db = open_db(demo.db_path)
    assert len(rows) == db.execute("SELECT count(*) FROM findings WHERE run_id = ?", [demo.runs[0]]).fetchone()[0]
    salem = text(demo_report, "program-field-offices.html")
    inventory = section(salem, "Contact inventory: every contact detail found", "Pages to review")
    assert "Hours" in inventory and "Appointments" in inventory and "Address" in inventory


def test_sign_off_checklist_per_program(demo_report):
    for name in ("program-licensing.html", "program-field-offices.html"):
        page = html(demo_report, name)
        signoff = page[page.index('id="h-signoff"'):]
        assert signoff.count('type="checkbox"') == 7
        for policy in ("§10d", "§11", "DAS 107-001-040"):
            assert policy in signoff
        assert 'id="sig-name"' in signoff and 'id="sig-date"' in signoff and 'id="sig-notes"' in signoff
    assert 'value="Robert Nakamura"' in html(demo_report, "program-licensing.html")


def test_exports_round_trip(demo_report):
    data = demo_report / "data"
    names = {p.stem for p in data.glob("*.json")}
    assert {"summary", "links", "rule_problems", "directory", "inventory", "pages", "history"} <= names
    for name in names:
        payload = json.loads((data / f"{name}.json").read_text(encoding="utf-8"))
        expected = [{c: restore_formula(csv_cell(row[c])) for c in payload["columns"]} for row in payload["rows"]]
        assert read_csv(data / f"{name}.csv") == expected, name
    assert (data / "index.html").exists()
