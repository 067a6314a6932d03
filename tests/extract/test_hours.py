"""Office-hours extraction into opening_hours syntax, from small HTML snippets."""

from __future__ import annotations

import time

import pytest

from siteaudit.extract.hours import extract_hours
from siteaudit.extract.text import parse_html, segment
from siteaudit.model import Segment


def hours(html: str):
    return extract_hours(segment(parse_html(f"<html><body>{html}</body></html>")))


def values(html: str) -> list[str]:
    return [f.value for f in hours(html)]


@pytest.mark.parametrize("html, expected", [
    ("<p>M-F 8am-5pm</p>", "Mo-Fr 08:00-17:00"),
    ("<p>Mon-Fri, 8:30am–5:00pm</p>", "Mo-Fr 08:30-17:00"),
    ("<p>Hours Mon - Fri 8am - 4pm</p>", "Mo-Fr 08:00-16:00"),
    ("<p>Office hours: 8 a.m. to 5 p.m., Monday through Friday</p>", "Mo-Fr 08:00-17:00"),
    ("<p>The office is open from 7:00am - 4:00pm Monday through Friday.</p>", "Mo-Fr 07:00-16:00"),
    ("<p>Mon–Fri 8:00–5:00</p>", "Mo-Fr 08:00-17:00"),  # 5:00 after 8:00 is 17:00
    ("<p>M-F 8-5</p>", "Mo-Fr 08:00-17:00"),
    ("<p>Open Monday, Wednesday and Friday 9-5</p>", "Mo,We,Fr 09:00-17:00"),
    ("<p>Hours: Tues &amp; Thurs 1-5pm</p>", "Tu,Th 13:00-17:00"),
    ("<p>Saturday 9 a.m. to noon</p>", "Sa 09:00-12:00"),
    ("<p>Open daily 6 a.m. to midnight</p>", "Mo-Su 06:00-24:00"),
    ("<p>Lobby open weekdays 8:30 AM - 4:30 PM</p>", "Mo-Fr 08:30-16:30"),
    ("<p>Hours: 12 noon - 4:30 PM Monday-Friday</p>", "Mo-Fr 12:00-16:30"),
    ("<p>Hours: 8:30 a.m. to 5 p.m.</p>", "08:30-17:00"),
    ("<p>The help desk is open 24/7.</p>", "24/7"),
])
def test_single_line(html, expected):
    assert values(html) == [expected]


def test_lunch_break():
    f = hours("<p>Monday - Friday 8:00 a.m. - 5:00 p.m. (closed 12-1 for lunch)</p>")[0]
    assert f.value == "Mo-Fr 08:00-12:00,13:00-17:00"
    assert f.data["rules"] == [
        {"days": ["Mo", "Tu", "We", "Th", "Fr"], "open": "08:00", "close": "12:00"},
        {"days": ["Mo", "Tu", "We", "Th", "Fr"], "open": "13:00", "close": "17:00"},
    ]


def test_lunch_break_on_its_own_line():
    assert values("<p>Hours: Mon-Fri 8:00 am - 5:00 pm</p><p>Closed for lunch from noon to 1 p.m.</p>") == [
        "Mo-Fr 08:00-12:00,13:00-17:00"]


@pytest.mark.parametrize("html", [
    "<p>Monday–Friday, 8 a.m.–4:30 p.m., closed on state holidays</p>",
    "<p>Office hours: Monday–Friday, 8 a.m.–4:30 p.m. except holidays</p>",
    "<p>Hours: Monday–Friday, 8 a.m.–4:30 p.m.</p><p>Closed on all legal holidays.</p>",
])
def test_holidays_closed(html):
    f = hours(html)[0]
    assert f.value == "Mo-Fr 08:00-16:30; PH off"
    assert f.data["holidays_closed"] is True


def test_per_day_variations_on_one_line():
    assert values("<p>Hours: Mon-Thu 8am-5pm, Fri 8am-noon</p>") == ["Mo-Th 08:00-17:00; Fr 08:00-12:00"]


def test_table_of_days():
    html = ("<h2>Clerk's Office Hours</h2><table>"
            + "".join(f"<tr><td>{d}</td><td>8:00 AM - 5:00 PM</td></tr>"
                      for d in ("Monday", "Tuesday", "Wednesday", "Thursday"))
            + "<tr><td>Friday</td><td>8:00 AM - 12:00 PM</td></tr>"
            + "<tr><td>Saturday</td><td>Closed</td></tr><tr><td>Sunday</td><td>Closed</td></tr></table>")
    found = hours(html)
    assert [f.value for f in found] == ["Mo-Th 08:00-17:00; Fr 08:00-12:00"]
    assert found[0].label == "Clerk's Office Hours"
    assert found[0].data["rules"][1] == {"days": ["Fr"], "open": "08:00", "close": "12:00"}


def test_days_and_times_on_separate_lines():
    found = hours("<p>Office Hours</p><p>Monday through Friday</p><p>8:00 am - 4:00 pm</p>")
    assert [f.value for f in found] == ["Mo-Fr 08:00-16:00"]
    assert found[0].label == "Office Hours"
    assert "Monday through Friday" in found[0].text


def test_two_offices_two_findings_with_their_headings():
    found = hours("<h3>Chicago Office</h3><p>Mon-Fri, 8:30am–5:00pm</p>"
                  "<h3>Springfield Office</h3><p>Mon-Fri, 8:00am–4:30pm</p>")
    assert [(f.value, f.office) for f in found] == [
        ("Mo-Fr 08:30-17:00", "Chicago Office"), ("Mo-Fr 08:00-16:30", "Springfield Office")]


def test_nth_weekday():
    assert values("<p>Extended hours: every third Wednesday, 6 p.m. to 7 p.m.</p>") == ["We[3] 18:00-19:00"]


def test_dated_closure():
    f = hours("<p>The office will be closed Friday, November 10, 2023 for Veterans Day.</p>")[0]
    assert f.value == "2023 Nov 10 off"
    assert f.data["closed_dates"] == ["2023 Nov 10 off"]


@pytest.mark.parametrize("html, expected", [
    # another sentence about something else does not undo the closure
    ("<p>All offices will be closed <strong>Monday, January 19, 2026</strong>, in observance of Martin Luther "
     "King Jr. Day. Online services at DVS2U remain available.</p>", "2026 Jan 19 off"),
    ("<p>The Nature Center will be closed Monday, May 25, 2026 for Memorial Day.</p>", "2026 May 25 off"),
    # two days in a row, the year given once
    ("<p>Offices closed Thursday, November 27 and Friday, November 28, 2025.</p>", "2025 Nov 27-28 off"),
    # two dates joined by "through": one range, the end's year only when it differs
    ("<p>The visitor center is closed October 1 through March 31.</p>", "Oct 1-Mar 31 off"),
    ("<p>The office will be closed December 24, 2025 through January 1, 2026.</p>", "2025 Dec 24-2026 Jan 1 off"),
    ("<p>The office will be closed December 24 through January 1, 2026.</p>", "2025 Dec 24-2026 Jan 1 off"),
    # a list announced by the line above it
    ("<p>City Hall will be closed on the following dates:</p><ul>"
     "<li>Thanksgiving: Thursday, November 27 and Friday, November 28, 2025</li>"
     "<li>New Year's Day: Thursday, January 1, 2026</li></ul><p>Trash pickup is delayed.</p>",
     "2025 Nov 27-28 off; 2026 Jan 1 off"),
])
def test_dated_closures(html, expected):
    assert values(html) == [expected]


@pytest.mark.parametrize("html, expected", [
    ("<h3>Summer hours (June&ndash;August)</h3><p>Monday &ndash; Thursday, 7:00 a.m. &ndash; 4:00 p.m.</p>",
     "Jun-Aug Mo-Th 07:00-16:00"),
    ("<h3>Winter Hours (Nov.-March)</h3><p>Saturday and Sunday only, 10 a.m.-3 p.m.</p>", "Nov-Mar Sa-Su 10:00-15:00"),
    # dates, not a season: the schedule stays as it is
    ("<h3>Tax season hours (Feb. 1 - April 15)</h3><p>Mon-Fri 8am-7pm</p>", "Mo-Fr 08:00-19:00"),
    ("<h3>Hours, updated June 2026</h3><p>Mon-Fri 8am-5pm</p>", "Mo-Fr 08:00-17:00"),
])
def test_season_from_the_heading(html, expected):
    assert values(html) == [expected]


@pytest.mark.parametrize("html, expected", [
    ("<p>Hours: Monday–Friday, 8 a.m.–5 p.m. Open until 7 p.m. on Wednesdays.</p>",
     "Mo-Tu,Th-Fr 08:00-17:00; We 08:00-19:00"),
    ("<p>Hours: Mon-Fri 8am-5pm; Thursdays until 7:30 p.m.</p>", "Mo-We,Fr 08:00-17:00; Th 08:00-19:30"),
    ("<p>Hours: Mon-Fri 8am-5pm, open late until 8pm Tuesdays</p>", "Mo,We-Fr 08:00-17:00; Tu 08:00-20:00"),
    # a day the schedule does not open, or something else that ends: unchanged
    ("<p>Hours: Mon-Fri 8am-5pm. Open until 6 p.m. Saturday.</p>", "Mo-Fr 08:00-17:00"),
    ("<p>Hours: Mon-Fri 8am-5pm. Payments accepted until 4 p.m. on Fridays.</p>", "Mo-Fr 08:00-17:00"),
])
def test_one_day_closes_later(html, expected):
    assert values(html) == [expected]


@pytest.mark.parametrize("html, expected", [
    # Spanish, as bilingual US pages write it
    ("<p>Horario: lunes a viernes, 8:00 a.m. a 5:00 p.m.</p>", "Mo-Fr 08:00-17:00"),
    ("<p>Llame al (575) 526-3325, martes y jueves, de 9:00 a.m. a 12:00 p.m.</p>", "Tu,Th 09:00-12:00"),
    ("<p>Los sábados de 9:00 a.m. a 1:00 p.m.</p>", "Sa 09:00-13:00"),
])
def test_spanish_schedules(html, expected):
    assert values(html) == [expected]


def test_week_grid_with_the_date_under_each_day():
    # LibCal's weekly widget: "Sunday<br>Oct 12" over each column, one row per location
    head = "".join(f"<th>{d}<br>Oct {n}</th>" for n, d in enumerate(("Sunday", "Monday", "Tuesday"), 12))
    html = (f"<h2>Hours this week</h2><table><tr><th>Location</th>{head}</tr>"
            "<tr><td>Main Library</td><td>1pm - 5pm</td><td>9am - 8pm</td><td>9am - 8pm</td></tr></table>")
    assert values(html) == ["Mo-Tu 09:00-20:00; Su 13:00-17:00"]


def test_lunch_and_holidays_in_one_closure_clause():
    html = ("<p>Monday - Friday 8:00 a.m. - 4:30 p.m.<br>"
            "(Closed 12:00 - 1:00 for lunch and on all legal holidays)</p>")
    assert values(html) == ["Mo-Fr 08:00-12:00,13:00-16:30; PH off"]


def test_holidays_note_after_the_days_line():
    html = "<h3>Court Hours</h3><p>8:00 AM to 5:00 PM<br>Monday - Friday<br>(closed on City holidays)</p>"
    assert values(html) == ["Mo-Fr 08:00-17:00; PH off"]


def test_times_of_day_in_words():
    assert values("<p>The Circuit Clerk's office is open weekdays from 7:30 in the morning until 4 in the "
                  "afternoon, except legal holidays.</p>") == ["Mo-Fr 07:30-16:00; PH off"]


def test_a_timetable_sentence_after_the_hours_leaves_them():
    html = "<p>Customer service: Mon-Fri 7am-7pm. Trains every 10 minutes.</p>"
    assert values(html) == ["Mo-Fr 07:00-19:00"]


@pytest.mark.parametrize("html", [
    "<p>Main Street will be closed Monday, May 25, 2026 for the parade.</p>",  # not a place that serves
    "<p>City Hall will be closed on the following dates:</p><p>See the calendar.</p>",
    "<p>Registration for the center closed March 3, 2026.</p>",
    "<p>The campground has 84 standard sites. Campsites 1–22 are closed October 1 through March 31.</p>",
])
def test_dated_closure_look_alikes(html):
    assert values(html) == []


def test_finding_location():
    f = hours("<div><p>Intro</p><p>Hours: M-F 8am-5pm</p></div>")[0]
    assert f.kind == "hours" and f.source == "text"
    assert f.text == "Hours: M-F 8am-5pm"
    assert f.path.endswith("p:nth-of-type(2)")
    assert f.line == 1


@pytest.mark.parametrize("html", [
    "<h2>Board Meeting Schedule 2021</h2><p>Tuesday, January 26, 9 a.m.</p>",
    "<p>The Board meets Monday 9:30am-11am in Room 514.</p>",
    "<p>Registration Time: Opens at 10:15 AM and will remain open for the duration of the Board Meeting</p>",
    "<p>Agenda September 15, 2020, 9:00 a.m. - 11:00 a.m.</p>",
    "<p>Rain Barrel Workshop Saturday 10am-2pm</p>",
    "<p>All meetings will be held at 3:00 PM and typically last about 2 hours.</p>",
    "<p>August 26, 2024 | 6:30 pm - 8:00 pm</p>",
    "<p>registration will be available beginning Monday, November 18th at 10:30 a.m. and close "
    "Tuesday, November 19th at 5:00 p.m.</p>",
    "<h2>Weekly Hours</h2><p>See all hours</p>",
    "<p>Opinions will be available on this page after 10 a.m.</p>",
    "<p>Comments are accepted up to 24 hours in advance of the meeting.</p>",
    "<p>School years 2018-2019; docket 23-0384; pages 12-14</p>",
    "<p>9:00 - 10:00</p>",
    "<p>The Committee meets at 9am, every 1st &amp; 3rd Friday of the month.</p>",
    "<p>Many City services have adjusted hours or locations. Please call ahead.</p>",
    "<p>Holiday Schedule</p><p>Hours and Locations</p>",
    "<p>Route 11 runs every 15 minutes, 6:15 a.m. to 9:45 p.m. weekdays.</p>",  # a timetable
    "<p>Sunday service operates 7:00 AM – 9:00 PM every 30 minutes.</p>",
    "<ul><li>Teen Gaming – Thursdays, 3:30–5 p.m.</li></ul>",  # a library program
    "<p>Elementary bell times 8:10 a.m. – 2:55 p.m. Monday-Friday</p>",
])
def test_not_office_hours(html):
    assert hours(html) == []


def test_empty_input():
    assert extract_hours([]) == []


def test_large_adversarial_input_is_bounded():
    noise = "".join("0123456789-:/ .,apm"[(i * 7919) % 19] for i in range(1_000_000))
    timetable = " ".join("8:00-5:00 Mon-Fri" for _ in range(60_000))
    start = time.perf_counter()
    for text in (noise, timetable):
        extract_hours([Segment(text=text, path="p")])
        extract_hours([Segment(text=text[i:i + 200], path="p") for i in range(0, len(text), 200)])
    assert time.perf_counter() - start < 5  # generous: guards against backtracking, not a benchmark


def test_times_before_days_for_each_rule():
    assert values("<p>Lobby Hours: 7:30 AM to 6:00 PM Mon-Thu; 7:30 AM to 5:00 PM Fri</p>") == [
        "Mo-Th 07:30-18:00; Fr 07:30-17:00"]


def test_between_and_is_a_range_but_a_list_of_times_is_not():
    assert values("<p>Call us between 8 a.m. and 5 p.m., Monday through Friday.</p>") == ["Mo-Fr 08:00-17:00"]
    assert values("<p>Service at 9 a.m. and 2 p.m. on Tuesdays.</p>") == []


def test_bare_from_to_after_days():
    assert values("<p>We are open Monday through Friday from 8 to 5.</p>") == ["Mo-Fr 08:00-17:00"]


@pytest.mark.parametrize("html, expected", [
    # a second bare range listed after one read from its days: the afternoon after a lunch gap
    ("<p>Hours: Mon–Fri 8–12, 1–5</p>", "Mo-Fr 08:00-12:00,13:00-17:00"),
    ("<p>Monday-Friday 8-12 and 1-4:30</p>", "Mo-Fr 08:00-12:00,13:00-16:30"),
    # two-letter day codes (opening_hours style) as days, and as the days a bare range follows
    ("<p>Hours: Mo-Fr 8-5</p>", "Mo-Fr 08:00-17:00"),
    ("<p>Tu–Th 9:00–17:00</p>", "Tu-Th 09:00-17:00"),
    # a single day letter set off next to a range, on a line with other days
    ("<p>Hours: 7:30am-4pm M-Th, 7:30-11:30 F</p>", "Mo-Th 07:30-16:00; Fr 07:30-11:30"),
    ("<p>Hours: M-Th 8-5, F 8-noon</p>", "Mo-Th 08:00-17:00; Fr 08:00-12:00"),
])
def test_compact_schedules(html, expected):
    assert values(html) == [expected]


@pytest.mark.parametrize("html", [
    "<p>Tickets 2-4, 5-9 Sa</p>",  # no days read on the line: a lone letter is not a day
    "<p>Room 4 F: 9-5</p>",
    "<p>Seasons 2019-2020, 2021-2022 Mon-Fri</p>",  # years listed after days are not times
    "<p>Open 9 a 5</p>",  # bare numbers around the Spanish "a" are no clock range
])
def test_compact_schedule_look_alikes(html):
    assert values(html) == []


def test_dated_event_with_open_house_is_not_hours():
    assert values("<p>Tuesday, March 5, 2024 from 6:00 p.m. to 8:00 p.m. community open house</p>") == []


def test_closure_ranges_and_several_dates():
    assert values("<p>The courthouse will be closed on Monday, January 15, 2024 and Monday, "
                  "February 19, 2024.</p>") == ["2024 Jan 15 off; 2024 Feb 19 off"]
    assert sorted(values("<p>Hours: Monday-Friday 8:00 AM - 4:30 PM. Office closed November 23-24, 2023 "
                         "for Thanksgiving.</p>")) == ["2023 Nov 23-24 off", "Mo-Fr 08:00-16:30"]


def test_weekdays_with_bare_range():
    assert values("<p>Weekdays 8-5</p>") == ["Mo-Fr 08:00-17:00"]


def test_every_value_is_valid_opening_hours_syntax():
    opening_hours = pytest.importorskip("opening_hours")  # optional test dependency: opening-hours-py
    html = ("<p>Hours: Mon-Thu 8am-5pm, Fri 8am-noon, closed 12-1 for lunch, except holidays</p>"
            "<p>Extended hours: every third Wednesday, 6 p.m. to 7 p.m.</p>"
            "<p>Open daily 6 a.m. to midnight</p><p>Hours: 8:30 a.m. to 5 p.m.</p><p>Open 24/7</p>"
            "<p>The office will be closed on November 23-24, 2023 and December 25, 2023.</p>")
    found = values(html)
    assert len(found) == 5  # the third-Wednesday line extends the first schedule
    for value in found:
        opening_hours.OpeningHours(value)  # raises on invalid syntax


def test_24_7_line_does_not_swallow_the_schedule_above():
    assert values("<p>Hours: 8:30 a.m. to 5 p.m.</p><p>Crisis line open 24/7</p>") == ["08:30-17:00", "24/7"]


def test_clause_break_separates_day_groups():
    assert values("<p>Hours: Mon-Fri 8am-5pm; 9am-noon Sat</p>") == ["Mo-Fr 08:00-17:00; Sa 09:00-12:00"]


@pytest.mark.parametrize("html, expected", [
    ("<p>Hours: Mon, Tue &amp; Thu 8am-4pm</p>", "Mo-Tu,Th 08:00-16:00"),  # the canonical form
    ("<p>Hours: Sat &amp; Sun 9am-1pm</p>", "Sa-Su 09:00-13:00"),
    ("<p>Hours: Mon, Wed &amp; Fri 8am-4pm</p>", "Mo,We,Fr 08:00-16:00"),  # no two in a row: a list
])
def test_consecutive_days_are_written_as_ranges(html, expected):
    assert values(html) == [expected]


def test_second_schedule_in_the_same_paragraph():
    html = ("<h2>Lobby and Records</h2><p>The Justice Center lobby is open 24/7. The Records Unit window is open "
            "Monday–Friday 8:00 a.m.–4:30 p.m. (closed 12:00–1:00 p.m.).</p>")
    assert values(html) == ["24/7", "Mo-Fr 08:00-12:00,13:00-16:30"]


def test_two_places_on_one_line_are_two_schedules():
    html = "<p>The lobby is open Monday-Friday 8am-5pm. The drive-up window is open Saturday 9am-noon.</p>"
    assert values(html) == ["Mo-Fr 08:00-17:00", "Sa 09:00-12:00"]


@pytest.mark.parametrize("html, expected", [
    ("<p>Open Monday–Friday 8 a.m.–5 p.m. Saturday 9 a.m.–noon.</p>", ["Mo-Fr 08:00-17:00; Sa 09:00-12:00"]),
    ("<p>Office hours are 8 a.m. to 5 p.m. Monday through Friday.</p>", ["Mo-Fr 08:00-17:00"]),
    ("<p>The office is open Monday-Friday 8am-5pm. It is also open Saturday 9am-noon.</p>",
     ["Mo-Fr 08:00-17:00; Sa 09:00-12:00"]),
])
def test_sentences_of_one_schedule_stay_together(html, expected):
    assert values(html) == expected


@pytest.mark.parametrize("html, expected", [
    ("<p>Civil Process accepts papers for service Monday–Thursday, 0730–1730 hrs.</p>", ["Mo-Th 07:30-17:30"]),
    ("<p>Office hours: Mon-Fri 0800-1630</p>", ["Mo-Fr 08:00-16:30"]),
    ("<p>Office hours: Monday, budget years 2019-2020</p>", []),  # years, not times
    ("<p>Office hours: see Monday bulletin 1030-1045</p>", []),  # no "hrs", no leading zero
])
def test_twenty_four_hour_times_without_colon(html, expected):
    assert values(html) == expected


def test_days_after_the_times_survive_a_closure_sentence():
    html = "<p>Office hours: 8:00am-4:30pm Monday-Friday. Closed weekends and legal holidays.</p>"
    assert values(html) == ["Mo-Fr 08:00-16:30; PH off"]


def test_closed_right_after_a_day_still_closes_it():
    assert values("<p>Hours: Mon-Thu 8am-5pm, Fri closed</p>") == ["Mo-Th 08:00-17:00"]


_DAY_HEADER_TABLE = """<h2>Courthouse Hours</h2><table><thead><tr>{head}</tr></thead><tbody><tr>
<td>8 a.m. – 5 p.m.</td><td>8 a.m. – 5 p.m.</td><td>8 a.m. – 5 p.m.</td><td>8 a.m. – 5 p.m.</td>
<td>8 a.m. – noon</td><td>Closed</td><td>Closed</td></tr></tbody></table><p>Closed on state holidays.</p>"""


def test_days_as_column_headers():
    head = "".join(f"<th>{d}</th>" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
    assert values(_DAY_HEADER_TABLE.format(head=head)) == ["Mo-Th 08:00-17:00; Fr 08:00-12:00; PH off"]


def test_column_headers_that_are_not_days_give_no_days():
    head = "".join(f"<th>Desk {n}</th>" for n in range(1, 8))
    assert all(not v.startswith(("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"))
               for v in values(_DAY_HEADER_TABLE.format(head=head)))


@pytest.mark.parametrize("html", [
    "<h2>Upcoming at the library</h2><ul><li>Tuesdays Family Storytime 10:30 am – 11:00 am Central Library</li>"
    "<li>Every second Monday Genealogy Club 6:30 pm – 8:00 pm Central Library, Room 201</li></ul>",
    "<p>Tuesdays Family Storytime 10:30 am – 11:00 am, Children's Room</p>",
    "<p>Every second Monday Genealogy Club 6:30 pm – 8:00 pm</p>",
    "<p>Saturdays Teen Tech Lab 3:30 pm – 5:00 pm</p>",
])
def test_recurring_events_are_not_hours(html):
    assert values(html) == []


@pytest.mark.parametrize("html, expected", [
    ("<p>Children's Room hours: Tuesdays 10:30 am – 8:00 pm</p>", ["Tu 10:30-20:00"]),
    ("<h2>Hours</h2><p>Tuesdays 10:30 am – 8:00 pm</p>", ["Tu 10:30-20:00"]),
])
def test_hours_twins_of_the_event_lines(html, expected):
    assert values(html) == expected


@pytest.mark.parametrize("html, expected", [
    ("<p>Hours: 7:30 a.m.–4 p.m. Mon.–Fri. Closed Sat., Sun. and holidays.</p>", ["Mo-Fr 07:30-16:00; PH off"]),
    ("<p>Hours: Mon-Fri 8-5, Sat closed, Sun 1-5 pm</p>", ["Mo-Fr 08:00-17:00; Su 13:00-17:00"]),
    ("<p>Hours: Mon-Fri 8-5, Sat. closed, Sun. 1-5 pm</p>", ["Mo-Fr 08:00-17:00; Su 13:00-17:00"]),
    ("<p>Hours: Mon-Fri 8-5, Sat: Closed</p>", ["Mo-Fr 08:00-17:00"]),
    ("<p>Hours: 9am-5pm Mon-Thu, Fri closed</p>", ["Mo-Th 09:00-17:00"]),
    ("<p>Hours: Mon-Fri 8-5, Sat &amp; Sun closed</p>", ["Mo-Fr 08:00-17:00"]),
    ("<p>Mon-Fri 8-5, closed 12-1</p>", ["Mo-Fr 08:00-12:00,13:00-17:00"]),  # still a lunch break
])
def test_closed_belongs_to_the_days_it_names(html, expected):
    assert values(html) == expected


def test_bare_ranges_under_day_column_headers():
    head = "<th></th>" + "".join(f"<th>{d}</th>" for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                                              "Saturday", "Sunday"))
    row = "<th>Hours</th>" + "<td>9-5</td>" * 5 + "<td>10 am-2 pm</td><td>Closed</td>"
    html = f"<h2>Hours</h2><table><tr>{head}</tr><tr>{row}</tr></table>"
    assert values(html) == ["Mo-Fr 09:00-17:00; Sa 10:00-14:00"]


@pytest.mark.parametrize("html, expected", [
    ("<h3>Yoga in the Park</h3><p>Saturdays 8:00-9:00 am</p>", []),
    ("<h3>Genealogy Club</h3><p>Every second Monday 6:30 pm – 8:00 pm</p>", []),
    ("<h3>WIC Program</h3><p>Monday-Friday 8:00-5:00</p>", ["Mo-Fr 08:00-17:00"]),  # a service, not an event
    ("<h3>Yoga studio</h3><p>Office hours: Saturdays 8:00-9:00 am</p>", ["Sa 08:00-09:00"]),
])
def test_event_headings(html, expected):
    assert values(html) == expected


@pytest.mark.parametrize("html, expected", [
    ("<p>Office: Mon-Fri 8am-5pm; Phone lines: Mon-Fri 7am-6pm</p>", ["Mo-Fr 08:00-17:00", "Mo-Fr 07:00-18:00"]),
    ("<p>Lobby hours are 7 a.m. to 7 p.m. daily, and the records counter is open 8 a.m. to 4 p.m. weekdays.</p>",
     ["Mo-Su 07:00-19:00", "Mo-Fr 08:00-16:00"]),
])
def test_second_schedule_in_a_clause(html, expected):
    assert values(html) == expected


@pytest.mark.parametrize("html, expected", [
    ("<p>Hours: 8:00 a.m. – 12:00 p.m.; 1:00 p.m. – 5:00 p.m., Monday–Friday</p>", ["Mo-Fr 08:00-12:00,13:00-17:00"]),
    ("<p>Hours: Mon-Fri 8am-5pm; 9am-noon Sat</p>", ["Mo-Fr 08:00-17:00; Sa 09:00-12:00"]),
    ("<p>Phone hours: Weekdays 7 a.m.–7 p.m.; Saturdays 8 a.m.–5 p.m.; closed Sundays and holidays.</p>",
     ["Mo-Fr 07:00-19:00; Sa 08:00-17:00; PH off"]),
    ("<p>Mon-Fri 8-5; closed 12-1 for lunch</p>", ["Mo-Fr 08:00-12:00,13:00-17:00"]),
])
def test_clauses_of_one_schedule_stay_together(html, expected):
    assert values(html) == expected


def _valid(found: list[str]) -> list[str]:
    opening_hours = pytest.importorskip("opening_hours")
    for value in found:
        opening_hours.OpeningHours(value)  # raises on invalid syntax
    return found


@pytest.mark.parametrize("html, expected", [
    ("<p>Hours: 1st and 3rd Thursday of each month, 9 am – 3 pm</p>", ["Th[1,3] 09:00-15:00"]),
    ("<p>Clinic open second &amp; fourth Monday, 1-4 p.m.</p>", ["Mo[2,4] 13:00-16:00"]),
    ("<p>Hours: first Tuesday of the month, 10 a.m. to noon</p>", ["Tu[1] 10:00-12:00"]),
    # negative twins: an ordinal that is not a day's ordinal, and a meeting on ordinal days
    ("<p>Hours: 2nd floor, Thursday 9 am – 3 pm</p>", ["Th 09:00-15:00"]),
    ("<p>The club meets 1st and 3rd Thursday of each month, 6 pm – 8 pm</p>", []),
])
def test_ordinal_weekday_lists(html, expected):
    assert _valid(values(html)) == expected


@pytest.mark.parametrize("html, expected", [
    # a yearly fixed-date closure next to the hours joins the schedule; a movable holiday is left out
    ("<p>Visitor Center: Wednesday–Sunday, 9:00 a.m.–4:00 p.m. Closed Monday and Tuesday, Thanksgiving Day "
     "and December 25.</p>", ["We-Su 09:00-16:00; Dec 25 off"]),
    ("<p>The library is open Mon-Fri 9am-5pm. Closed January 1 and July 4.</p>",
     ["Mo-Fr 09:00-17:00; Jan 1 off; Jul 4 off"]),
    # a word about IDs in another sentence does not make the times an event
    ("<p>Call the reservation center at 1-877-555-0163 (daily, 7 a.m.–7 p.m. Mountain Time). Reservation ID "
     "numbers begin with \"NM\" followed by nine digits.</p>", ["Mo-Su 07:00-19:00"]),
    # negative twins: a date that is not a closure is an event; event words in the timed sentence
    # or the one before it still reject the line
    ("<p>Visitor Center: Saturday, December 5, 9:00 a.m.–4:00 p.m.</p>", []),
    ("<p>Guided tours begin daily, 10 a.m.–2 p.m. Reservation ID numbers start with NM.</p>", []),
    ("<p>The board meets twice a month. Tuesday 9:00-11:00 a.m. in Room 5.</p>", []),
])
def test_closures_and_event_words_by_sentence(html, expected):
    assert _valid(values(html)) == expected


def test_one_off_closure_on_the_hours_line_stays_its_own_finding():
    assert sorted(values("<p>Office hours: Wednesday–Sunday, 9 a.m.–4 p.m. Closed December 25, 2026.</p>")) == [
        "2026 Dec 25 off", "We-Su 09:00-16:00"]
    assert values("<p>The office will be closed December 25.</p>") == ["Dec 25 off"]


def test_dated_extra_opening_is_its_own_rule():
    found = hours("<h2>Visit the Elections Office</h2>"
                  "<p>Office hours are 8:30 a.m. to 4:30 p.m., Monday–Friday, except holidays.</p>"
                  "<p>Extended hours before the election: The Elections Office will also be open Saturday, "
                  "October 31, 2026 from 9 a.m. to 1 p.m. for in-person mail ballot requests.</p>")
    assert sorted(_valid([f.value for f in found])) == ["2026 Oct 31 09:00-13:00", "Mo-Fr 08:30-16:30; PH off"]
    dated = next(f for f in found if f.value.startswith("2026"))
    assert dated.data["rules"] == [{"days": ["2026 Oct 31"], "open": "09:00", "close": "13:00"}]
    assert _valid(values("<p>Office hours: 9 a.m.–1 p.m. on Saturday, October 31, 2026.</p>")) == [
        "2026 Oct 31 09:00-13:00"]


@pytest.mark.parametrize("html, expected", [
    # negative twins: a date that bounds the schedule, a plain weekday, a dated closure
    ("<p>Office hours effective September 8, 2026: Mon–Thu 9 a.m.–8 p.m.</p>", ["Mo-Th 09:00-20:00"]),
    ("<p>The office is open Saturday from 9 a.m. to 1 p.m.</p>", ["Sa 09:00-13:00"]),
    ("<p>Office hours: Mon-Fri 8 a.m.-5 p.m. The office will be closed Friday, November 10, 2023.</p>",
     ["2023 Nov 10 off", "Mo-Fr 08:00-17:00"]),
])
def test_dates_that_are_not_openings(html, expected):
    assert sorted(_valid(values(html))) == expected


@pytest.mark.parametrize("body", ["{rows}", "<tbody>{rows}</tbody>"])
def test_holiday_note_after_a_table_closes_every_row(body):
    rows = ("<tr><th>Fall, Winter &amp; Spring quarters</th><td>Monday–Friday, 8:00–5:00</td></tr>"
            "<tr><th>Summer session</th><td>Monday–Thursday, 7:00–5:30 (closed Fridays)</td></tr>")
    html = (f"<h2>Office hours</h2><table>{body.format(rows=rows)}</table>"
            "<p>Walk-ins are welcome. The office is closed on university holidays.</p>")
    found = hours(html)
    assert _valid([f.value for f in found]) == ["Mo-Fr 08:00-17:00; PH off", "Mo-Th 07:00-17:30; PH off"]
    assert all(f.data["holidays_closed"] for f in found)


@pytest.mark.parametrize("html, expected", [
    # negative twins: the note closes only the table right above it, and outside a table only the
    # schedule right above it
    ("<h2>Office hours</h2><table><tr><th>Office</th><td>Monday–Friday, 8:00–5:00</td></tr></table>"
     "<h2>Phone line</h2><table><tr><th>Phones</th><td>Saturday, 9:00–1:00</td></tr></table>"
     "<p>Closed on state holidays.</p>", ["Mo-Fr 08:00-17:00", "Sa 09:00-13:00; PH off"]),
    ("<h2>Office hours</h2><p>Office: Monday–Friday, 8:00–5:00</p><p>Help line: daily 7 a.m.–9 p.m.</p>"
     "<p>The help line is closed on holidays.</p>", ["Mo-Fr 08:00-17:00", "Mo-Su 07:00-21:00; PH off"]),
])
def test_holiday_note_stays_with_its_table(html, expected):
    assert _valid(values(html)) == expected


@pytest.mark.parametrize("html, expected", [
    ("<p>Do not send payments to the office location. Overnight carriers may deliver to the office location "
     "between 8:00 and 4:30.</p>", []),
    ("<p>Courier drop-off: Monday–Friday 8 a.m.–3 p.m.</p>", []),
    # negative twins: a delivery line that says hours/open is hours; so is an office line without deliveries
    ("<p>Delivery hours: Monday–Friday 8 a.m.–3 p.m.</p>", ["Mo-Fr 08:00-15:00"]),
    ("<p>The mail room is open for package drop-off weekdays 9 a.m.–4 p.m.</p>", ["Mo-Fr 09:00-16:00"]),
    ("<p>Visitors may come to the office location between 8:00 and 4:30.</p>", ["08:00-16:30"]),
])
def test_delivery_windows_are_not_hours(html, expected):
    assert _valid(values(html)) == expected


_BRANCH_TABLE = (
    "<table><thead><tr><th>Day</th><th>Central Library</th><th>Northgate Branch</th></tr></thead><tbody>"
    + "".join(f"<tr><th>{d}</th><td>9 AM – 8 PM</td><td>{n}</td></tr>"
              for d, n in (("Monday", "Closed"), ("Tuesday", "10 AM – 7 PM"), ("Wednesday", "10 AM – 7 PM")))
    + "<tr><th>Sunday</th><td>1 PM – 5 PM</td><td>Closed</td></tr></tbody></table>")


def test_days_as_rows_branches_as_columns():
    found = hours("<h2>Hours &amp; Locations</h2><p>All locations are closed on city holidays. "
                  "Book drops at every branch are open 24/7.</p>" + _BRANCH_TABLE)
    assert sorted(_valid([f.value for f in found])) == [
        "24/7", "Mo-We 09:00-20:00; Su 13:00-17:00; PH off", "Tu-We 10:00-19:00; PH off"]
    assert {f.label for f in found if f.value != "24/7"} == {"Central Library", "Northgate Branch"}


def test_days_as_rows_negative_twins():
    # without a holiday note the columns stay without PH off; a holiday sentence after the times
    # still applies to them
    assert sorted(values("<h2>Hours</h2>" + _BRANCH_TABLE)) == [
        "Mo-We 09:00-20:00; Su 13:00-17:00", "Tu-We 10:00-19:00"]
    assert values("<p>Book drops are open 24/7. Closed on city holidays.</p>") == ["24/7; PH off"]
