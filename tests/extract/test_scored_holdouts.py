"""Held-out sets written after the extractors were tuned, each scored once before any fix.

The first score of a set is the honest estimate of accuracy on unseen pages; once its
misses are fixed (generally: each fix with its own unit test and a look-alike that must
not match) the set guards against regressions only.  ``FLOORS`` sit at today's scores;
the known misses are printed when a floor fails.

- ``holdout2`` (10 pages): phones, emails, addresses, appointment and short codes 1.000,
  hours 0.647 (days-as-rows x branches-as-columns tables, ordinal weekday lists, dated extra
  openings, holiday notes under tables), phone type 0.973, address kind 0.870.  The hours
  causes were then fixed (hours 1.000 since).
- ``holdout3`` (12 pages, written by someone who had not read the extractors; its
  ``FIRST_SCORE.txt``): everything 1.000 but hours 0.878 (a second bare range after a
  lunch gap, "Mon-Fri 8-12, 1-5"; single day letters next to times, "7:30am-4pm M-Th,
  7:30-11:30 F"; a phone line's "24/7 automated" read as opening hours).  The first two
  were fixed (hours 0.976); the third is a labelling call earlier sets made the other way
  (holdout: "The 311 phone line is open 24/7" is hours), so it stays a miss here.
- ``holdout4`` (12 pages, written the same way, stressing hours, phone labels, address kinds
  and appointment wording; its ``FIRST_SCORE.txt``, with one short code the writer then
  added to the labels): phones 0.982, emails 1.000, addresses 0.977, hours 0.735,
  appointment 0.833, short codes 0.909, phone type 0.981, appointment accuracy 0.833.
  Fixed since: a label with a note in parentheses ("TDD (hearing impaired)"), "no
  reservation or appointment is needed", "filled by appointment", one-letter street names
  ("401 I Street"), timetables ("every 15 minutes", bell times), dated closures in alert
  banners and holiday lists, seasons in a heading ("Summer hours (June-August)"), a later
  closing after a schedule ("Open until 7 p.m. on Wednesdays"), a bus schedule that says
  "service operates", a bare 711 in a column headed "TTY", times of day in words ("from 7:30
  in the morning until 4 in the afternoon").  Still missed: "option 3" of a phone menu as an
  extension; scheduling an interview as an appointment.
- ``holdout5`` (12 pages: a staff directory, office cards, a bilingual page, service windows,
  an old <br> page, call buttons, obfuscated emails; its ``FIRST_SCORE.txt``): all 1.000 but
  hours 0.941 (Spanish day names; a ballot drop box "available 24/7"; polling-center hours
  in a dated table row) and short codes 0.941 ("Relay Colorado: 711").  The Spanish hours
  and the relay code were fixed; the other two are left (the drop box is a labelling call
  earlier sets made differently, the table row's date is in another cell).  Five of its
  pages were committed early, with 8244bf4, while the set was being written; the fixes in
  that commit were not made on them.
- ``holdout6`` (12 pages in the corpus's own mix: courts, attorneys general, law and
  university libraries, meeting calendars, a state agency, transit; its
  ``FIRST_SCORE.txt``): all 1.000 but short codes 0.923 (a 4-digit SMS code, "text messages
  to 7726") and address kind 0.958 ("Where to Report" over a courthouse address); both fixed.
- ``holdout7`` (12 pages of deliberately messy markup: split spans, icons, page-builder div
  soup, <wbr> and zero-width spaces in emails, Cloudflare protection, hidden accordions,
  JSON-LD differing from the text; its ``FIRST_SCORE.txt``): phones 0.963, emails 0.960,
  addresses 0.970, hours 0.706, appointment 0.909, short codes 0.900, address kind 0.857,
  appointment accuracy 0.917.  Most of it was one cause, fixed: elements with the hidden
  attribute (a U.S. Web Design System accordion) were skipped.  Also fixed: a holidays note
  after the days line, a library program's times.  Still missed (hours 0.857, address kind
  0.867): two schedules of different services on adjacent lines merged, a season after the
  times ("Saturdays 8 AM - Noon, April through November"), "Pay by Phone (24/7)" and "Book
  drop is open 24 hours" read as hours (labelling calls earlier sets made the other way).  The
  kind of addresses in a table of "Full-service offices" is read since (address kind 1.000).
- ``holdout8`` (12 pages of edge cases: phone shapes, hCard spans, PO Drawer, Puerto Rico,
  combined labels, holiday tables, seasons by holiday; its ``FIRST_SCORE.txt``): phones
  0.988, addresses 0.974, hours 0.811, appointment 0.857, phone type 0.976, address kind
  0.579.  Fixed: "P.O. Drawer", "Physical & mailing address", "our office is at", "Schedule a
  visit", a closure of campsites read as the office's, "October 1 through March 31" as one
  range, the voice number after "dial 711 and ask for" (address kind 0.750, hours 0.833;
  addresses, appointment and phone type 1.000).  Still missed: ten digits with no separators
  in a sentence, dated rows of a holiday table, "Summer (Memorial Day-Labor Day)", address
  kind from a bare "Address" label or a park's name (a table of "Field office locations" is
  read since: address kind 0.900).
- ``holdout9`` (12 pages reproducing the contact widgets of CivicPlus, govAccess, SharePoint,
  USWDS Drupal, Divi, Revize, Tyler, ASP.NET WebForms, Finalsite, LibCal, Cascade; its
  ``FIRST_SCORE.txt``): all 1.000 but addresses 0.885, hours 0.816, address kind 0.700.  Fixed:
  a LibCal week grid (dates under the day names), lunch and holidays in one closure clause
  (hours 0.980), "W2860 County Road H" house numbers (addresses 0.903).  Still missed: Utah grid
  addresses ("1150 W. 200 N."), a SharePoint list view splitting street, city and ZIP into cells
  with no state,
  "available Wednesdays from 1:00 to 4:00 p.m." inside a sentence.  School names over their
  addresses are read as places to visit since (address kind 1.000).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siteaudit.evaluate import evaluate_corpus, format_report

HERE = Path(__file__).resolve().parent

PERFECT = {"phones": 1.0, "emails": 1.0, "addresses": 1.0, "hours": 1.0, "appointment": 1.0,
           "short_codes": 1.0, "phone_type": 1.0, "address_kind": 1.0, "appointment_accuracy": 1.0}
FLOORS = {
    "holdout2": {**PERFECT, "phone_type": 0.97, "address_kind": 0.86},
    "holdout3": {**PERFECT, "hours": 0.97},
    "holdout4": {**PERFECT, "phones": 0.98, "appointment": 0.9,
                 "appointment_accuracy": 0.9},
    "holdout5": {**PERFECT, "hours": 0.95},
    "holdout6": PERFECT,
    "holdout7": {**PERFECT, "hours": 0.85},
    "holdout8": {**PERFECT, "phones": 0.98, "hours": 0.83, "address_kind": 0.9},
    "holdout9": {**PERFECT, "addresses": 0.9, "hours": 0.97},
}
_reports: dict[str, dict] = {}


def report(name: str) -> dict:
    if name not in _reports:
        _reports[name] = evaluate_corpus(HERE / name)
    return _reports[name]


@pytest.mark.parametrize("holdout, name, minimum",
                         [(h, n, m) for h, floors in FLOORS.items() for n, m in sorted(floors.items())])
def test_floor(holdout, name, minimum):
    scores = report(holdout)
    value = scores["kinds"][name]["f1"] if name in scores["kinds"] else scores[name]
    misses = scores["errors"].get(name.replace("_accuracy", ""), [])
    assert value >= minimum, (f"{name} = {value:.3f} < {minimum} on {holdout}\n{format_report(scores)}\n"
                              f"misses: {json.dumps(misses[:30], default=str, ensure_ascii=False)}")


@pytest.mark.parametrize("holdout", sorted(FLOORS))
def test_every_page_labelled(holdout):
    labels = json.loads((HERE / holdout / "labels.json").read_text(encoding="utf-8"))
    assert {p["page"] for p in labels} == {p.name for p in (HERE / holdout / "pages").glob("*.html")}
