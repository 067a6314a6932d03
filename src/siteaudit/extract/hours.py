"""Office and service hours in visible text, as OpenStreetMap ``opening_hours``.

Each line is scanned for day expressions ("Monday through Friday", "M-F",
"every third Wednesday") and clock ranges ("8:30 a.m. to 5 p.m.", "8:00–5:00");
days pair with the ranges that follow them, or with the ones just before
("8 a.m. to 5 p.m., Monday through Friday").  A line holding only days lends
them to the next line of times (tables: day in one cell, times in the next).
Consecutive hours lines under one heading form one schedule; "closed 12–1 for
lunch" is a break, "closed on holidays" adds ``PH off``.

A line holding sentences that each carry times is cut into pieces first, so
"The lobby is open 24/7. The Records window is open Mon-Fri 8-4:30." gives two
schedules (pieces with different subjects never join).  In a table with the
days across its header row, each cell takes its days from its column header.
24-hour times without a colon ("0730-1730 hrs") are read too.

Meeting, event and registration times are not hours: a line that talks about
meetings, hearings, registration or events (clubs, storytime, classes...), or
carries a calendar date, is skipped unless it also says "hours"/"open"/"office".
Times with no days need such a word on the line or in the label just above it.
"""

from __future__ import annotations

import re
from itertools import chain, islice
from typing import Sequence

from ..model import Finding, Segment
from ._scan import PageText, may_hold
from ._hourspec import (DAY_CODES, DAYS_RE, MIL_RANGE_RE, TIME_RANGE_RE, TWENTY_FOUR_SEVEN, Schedule, day_index,
                        months_of, parse_days, parse_military, parse_range, to_minutes)

__all__ = ["extract_hours"]

# Pre-filters, run once over the lower-cased page.  _CHEAP matches "9 am", "9:30", "9a-", "0800-1700",
# "noon", "midnight", "24/7", "24 hours" and "9-5".  It opens with a character class ([\dnm]) so the regex
# engine can skip ahead to those characters instead of trying every branch at every position (twice as
# fast on a page); each branch checks that first character again with a one-character lookbehind, so the
# matches are the ones the plain alternation "\d(...)|noon|midnight|24\s?/\s?7|24\s+hours|(?<![\d-])\d{1,2}..."
# gives, at the same places.
_CHEAP = re.compile(r"[\dnm](?:(?<=\d)(?:\s?[ap]\.?\s?m\b|:[0-5]\d|[ap]\s?[-–]|\d\d\d\s?(?:[-–—]|to)\s?\d\d\d\d"
                    r"|(?<=2)4\s?/\s?7|(?<=2)4\s+hours|(?<![\d-]\d)\d?\s?(?:[-–]|to)\s?\d{1,2}(?![\d-]))"
                    r"|(?<=n)oon|(?<=m)idnight)")
# On a whole page, _CHEAP runs as its two halves: the times, which open with a digit, and the two words,
# found with str.find ("n" and "m" are everywhere in prose, and each one would start a match attempt).
# No match of one half can start inside a match of the other (times hold no "n", and their only "m"
# ends a word), so the lines where either half matches are the lines where _CHEAP matches.
_CHEAP_TIMES = re.compile(r"\d(?:\s?[ap]\.?\s?m\b|:[0-5]\d|[ap]\s?[-–]|\d\d\d\s?(?:[-–—]|to)\s?\d\d\d\d"
                          r"|(?<=2)4\s?/\s?7|(?<=2)4\s+hours|(?<![\d-]\d)\d?\s?(?:[-–]|to)\s?\d{1,2}(?![\d-]))")
_CHEAP_WORDS = re.compile(r"noon|midnight")
_CHEAP_CLOSURE = re.compile(r"clos(?:ed|ure)\b|will\s+not\s+be\s+open")
_CLOSURE_STARTS = ("clos", "will")  # how every _CHEAP_CLOSURE match begins


def _timed_lines(page: PageText) -> list[int]:
    """The lines where _CHEAP matches (see _CHEAP_TIMES)."""
    times = page.lines_matching(_CHEAP_TIMES)
    words = page.lines_starting(_CHEAP_WORDS, ("noon", "midnight"))
    return sorted(set(times).union(words)) if words else times


def _words(*alternatives: str) -> re.Pattern[str]:
    """Words to find in lower-cased text with :func:`_find`.

    No leading ``\\b``: Python's matcher can then skip ahead on the first
    letter, about ten times faster on digit-heavy lines; :func:`_find` checks
    the left word boundary instead.
    """
    return re.compile("(?:" + "|".join(alternatives) + r")\b")


def _find(pattern: re.Pattern[str], low: str) -> re.Match | None:
    for m in pattern.finditer(low):
        if m.start() == 0 or not low[m.start() - 1].isalnum():
            return m
    return None


_HOURS_WORD = _words("hours", "open", "office", "lobby", "business", "services?", "walk-?ins?", "horarios?")
_STRONG_WORD = _words("hours", "office", "lobby", "business")
_NOT_HOURS = _words(
    "meet(?:s|ing|ings)?", "held", "hearings?", "sessions?", "regist(?:er|ration)", "events?", "webinars?",
    "workshops?", "class(?:es)?", "agenda", "conven\\w*", "begins?", "starts?", "deadline", "due",
    "submi(?:t|tted)", "performances?", "concerts?", "program", "services?\\s+at", "sermons?", "worship",
    "mass", "tour", "show",
    # recurring programs and events: "Tuesdays Family Storytime 10:30-11:00", "Genealogy Club 6:30-8 pm"
    "clubs?", "story\\s?times?", "programs", "camps?", "lectures?", "festivals?", "parties", "party",
    "celebrations?", "tournaments?", "screenings?", "sales?", "labs?", "crafts?", "bingo", "yoga",
    "book\\s+groups?", "discussion\\s+groups?", "support\\s+groups?", "game\\s+(?:night|day)", "gaming",
    "tutoring", "homework\\s+help", "chess", "knitting",
    # a school's bell times
    "bell\\s+(?:schedules?|times?)", "dismissal", "early[- ]release",
)
# A service frequency makes a timetable, whatever else the sentence says ("Sunday service operates
# 7:00 AM - 9:00 PM every 30 minutes").
_TIMETABLE = _words("every\\s+\\d{1,3}\\s+min(?:utes?|s)?")
# Delivery windows are not office hours: "Overnight carriers may deliver ... between 8:00 and 4:30".
_DELIVERY = _words("deliver(?:s|y|ed|ies)?", "carriers?", "couriers?", "drop[- ]?offs?", "dropped\\s+off",
                   "shipments?", "packages?")
_OPEN_WORD = _words("hours", "open(?:s|ed)?")
_MEETING_HEADING = _words("meet\\w*", "agenda\\w*", "events?", "calendar", "registration", "hearings?",
                          "upcoming", "activities", "happenings", "things\\s+to\\s+do",
                          "clubs?", "story\\s?times?", "yoga", "class(?:es)?", "workshops?", "lectures?",
                          "festivals?", "camps?", "concerts?", "tournaments?", "webinars?", "performances?",
                          "screenings?")
_DATE = _words(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?",
    r"\d{1,2}/\d{1,2}/\d{2,4}",
)
# Any sign of a day expression; DAYS_RE itself runs only on lines that have one.
_DAY_HINT = re.compile(r"mon|tue|wed|thu|fri|sat|sun|week|daily|every|each|seven|7\s+days|"
                       r"lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|"
                       r"(?:[mtwrf]|mo|tu|we|th|fr|sa|su)\.?\s{0,3}(?:[-–—]|to\b|thr)")
_FULL_DATE = re.compile(
    r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:\s?[-–]\s?(?P<last>\d{1,2})(?:st|nd|rd|th)?)?"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
    re.I,
)
_BREAK_BEFORE = re.compile(r"(?:closed|lunch|break)\b[^.;]{0,12}$", re.I)
_DAY_IN_GAP = re.compile(r"\b(?:mon|tue|wed|thu|fri|sat|sun)", re.I)
_BREAK_AFTER = re.compile(r"^[^.;]{0,6}\b(?:for\s+lunch|lunch)\b", re.I)
_CLOSED_AROUND = re.compile(r"closed\b[^.;\d]{0,8}$", re.I)
_CLOSED_AFTER = re.compile(r"^\s{0,3}[:\-–—]?\s{0,3}closed\b", re.I)
_HOLIDAYS = re.compile(
    r"(?:closed|except|excluding|not\s+including|other\s+than)\b"
    # a period inside a list of abbreviated days ("Closed Sat., Sun. and holidays") does not end the sentence
    r"(?:[^.;]|\.(?=,|\s{1,3}(?:and\b|or\b|&|(?-i:[a-z])|sat|sun|mon|tue|wed|thu|fri))){0,60}\bholidays?\b"
    r"|\bholidays?\b[^.;]{0,10}\bclosed\b",
    re.I,
)
_CLOSURE = re.compile(r"\b(?:closed|closure|will\s+not\s+be\s+open)\b", re.I)
_MONTH_STARTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _holidays(text: str) -> bool:
    """A "closed on holidays" note in ``text`` (every _HOLIDAYS match holds the word "holiday")."""
    return may_hold(text, ("holiday",)) and _HOLIDAYS.search(text) is not None


def _has_full_date(text: str) -> bool:
    """A _FULL_DATE ("November 10, 2023") in ``text``: each starts with a month's first three letters."""
    return may_hold(text, _MONTH_STARTS) and _FULL_DATE.search(text) is not None


_CLOSED_SUBJECT = re.compile(r"\b(?:office|offices|library|libraries|court|courthouse|building|facility|"
                             r"facilities|city hall|we|all locations|branch|branches|lobby|cent(?:er|re)s?|"
                             r"clinics?|museums?|department|agency|locations?|campus)\b", re.I)
# Right before a bare "8-5": a day name ("M-F 8-5", "Mon-Fri: 9-5") or a lunch closure ("closed 12-1").
_BARE_CONTEXT = re.compile(r"(?:\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?"
                           r"|\b(?:[mtwrf]|mo|tu|we|th|fr|sa|su)\.?|weekdays|daily|"
                           r"closed|lunch|break)\s{0,2}[:,]?\s{0,2}(?:from\s)?$", re.I)
_OTHER_DAYS = re.compile(r"\s{0,3}(?:on\s+|all\s+|every\s+)?(?:mon|tue|wed|thu|fri|sat|sun|weekends?|holidays?)", re.I)
_SENTENCE_END_DAY = re.compile(r"(?:day|days|weekdays|weekends|daily)\.$", re.I)
_CLOSED_ANY = re.compile(r"closed|lunch|break", re.I)
_CLAUSE_BREAK = re.compile(r"[;|•·]")
_RANGE_LIST_GAP = re.compile(r"\s{0,2}(?:,|&|and|/)\s{0,2}", re.I)
# One day letter (or two-letter code) right after a range or right before one, set off by a comma,
# semicolon or slash: the "F" of "7:30am-4pm M-Th, 7:30-11:30 F" or of "M-Th 8-5, F 8-noon".
# On their own such letters are too common to be days, so they are only read on a line that has
# other days as well.
_LONE_DAY = r"(?-i:Mo|Tu|We|Th|Fr|Sa|Su|M|T|W|R|F)\.?"
_LONE_DAY_AFTER = re.compile(rf"\s{{1,2}}(?P<day>{_LONE_DAY})(?=\s{{0,2}}(?:[,;/|]|$))")
_LONE_DAY_BEFORE = re.compile(rf"(?:^|[,;/|:]\s{{0,2}})(?P<day>{_LONE_DAY})\s{{1,2}}$")
_MIL_HINT = re.compile(r"\d{4}\s?(?:[-–—]|to)")
_MAX_LINE = 600  # characters: longer lines are prose
_MAX_RANGES = 8  # more clock ranges than this on one line is a timetable, not office hours
_MAX_LINES = 400  # lines fully parsed per page: bounds the cost of timetable pages
_MAX_GAP = 3


def line_budget() -> list[int]:
    """A page's budget of fully parsed lines (:data:`_MAX_LINES`), to share between the calls
    of :func:`extract_hours` on parts of one page."""
    return [_MAX_LINES]


def extract_hours(segments: Sequence[Segment], *, page: PageText | None = None,
                  budget: list[int] | None = None) -> list[Finding]:
    """Find office/service hours in ``segments`` (document order).

    Returns one :class:`Finding` per schedule: ``value`` in opening_hours syntax
    ("Mo-Fr 08:00-12:00,13:00-17:00; PH off"), ``data`` = {"rules": [{"days",
    "open", "close"}], "holidays_closed"}; ``label`` is the hours label or
    heading.  Dated closures ("Closed November 10, 2023") are their own finding
    ("2023 Nov 10 off").  Day-less times stay day-less ("08:00-16:30").
    ``page`` is ``PageText(segments, lower=True)`` when the caller has built it already;
    ``budget`` (:func:`line_budget`) when the segments are a part of a page and its other
    parts draw on the same budget.
    """
    findings: list[Finding | _Block] = []  # blocks become findings at the end (a later note can still change them)
    block: _Block | None = None
    consumed: set[int] = set()
    if page is None:
        page = PageText(segments, lower=True)
    timed = _timed_lines(page)
    closures: dict[int, Finding] = {}
    for i in page.lines_starting(_CHEAP_CLOSURE, _CLOSURE_STARTS):
        if len(segments[i].text) < 300 and (closure := _closure(segments, i)):
            findings.append(closure)
            closures[i] = closure
    if budget is None:
        budget = line_budget()
    skip: set[int] = set()
    for table_finding in _day_row_tables(segments, timed, skip):
        findings.append(table_finding)
    for i in timed:
        if budget[0] <= 0:
            break
        if i in skip:
            continue
        seg = segments[i]
        text = seg.text
        if block and i - 1 > block.last and i - 1 - block.last <= 2 and _holidays(segments[i - 1].text):
            _holidays_for_table(findings, block)
        if len(text) > _MAX_LINE:
            continue  # a long paragraph is prose, not a schedule
        pieces = _schedule_pieces(text)
        prev_subject = None
        for n, piece in enumerate(pieces):
            parsed = _parse_line(segments, i, consumed, budget, piece if len(pieces) > 1 else None)
            if parsed is None:
                if n and block is not None and block.last == i and _close_later(block, piece):
                    block.texts.append(piece)  # "Monday-Friday, 8 a.m.-5 p.m. Open until 7 p.m. on Wednesdays."
                continue
            rules, breaks, holidays, always, label, shown, annual = parsed
            dated = [(days, iv) for days, iv in rules if days and any(_is_date(d) for d in days)]
            if dated:
                # "will also be open Saturday, October 31, 2026 from 9 to 1": a dated opening, on its own
                extra = _Block(first=i, heading=seg.heading, label=label, segments=segments)
                for days, iv in dated:
                    extra.schedule.add([d for d in days if _is_date(d)], iv)
                extra.texts.append(shown)
                findings.append(extra.finding())
                rules = [r for r in rules if r not in dated]
                if not rules and not always and not breaks:
                    continue
            subject = _subject(piece) if len(pieces) > 1 else None
            days_now = {d for days, _ in rules for d in (days or [])} | (set(DAY_CODES) if always else set())
            joinable = (
                block is not None and i - block.last <= _MAX_GAP and seg.heading == block.heading
                and not (days_now & block.schedule.days())
                and (bool(days_now) == bool(block.schedule.days()) or not days_now and not rules)
                # "The lobby is open ... The Records window is open ...": two places, two schedules
                and not (n and subject and prev_subject and subject != prev_subject)
            )
            if subject:
                prev_subject = subject
            if not joinable:
                if block:
                    findings.append(block)
                block = _Block(first=i, heading=seg.heading, label=label, segments=segments)
            for days, interval in rules:
                block.schedule.add(days, interval)
            _close_later(block, piece)  # "Mon-Fri 8-5, open late until 8pm Tuesdays"
            block.schedule.breaks += breaks
            block.schedule.holidays_closed |= holidays
            block.schedule.always_open |= always
            for rule in annual:
                if rule not in block.schedule.closed_dates:
                    block.schedule.closed_dates.append(rule)
                if i in closures:  # the yearly closure is part of this schedule, not a finding of its own
                    _drop_closure(closures[i], rule)
            block.last = i
            block.texts.append(shown)
        if block and block.last == i and _holidays_after(segments, i):
            _holidays_for_table(findings, block)
    if block:
        findings.append(block)
    done = [f.finding() if isinstance(f, _Block) else f for f in findings]
    return [f for f in done if f.value]


def _day_row_tables(segments: Sequence[Segment], timed, skip: set[int]) -> list[Finding]:
    """A table with days as rows and places as columns ("Day | Central Library | Northgate Branch"):
    one schedule per column, labelled with the column header.  Its lines go into ``skip``."""
    out: list[Finding] = []
    seen: set[str] = set()
    for i in islice(timed, 2000):
        seg = segments[i]
        if not seg.column_header or " > tr" not in seg.section or _days_only(seg.column_header):
            continue
        table = _container(seg.section)
        if table in seen:
            continue
        seen.add(table)
        first = last = i
        while first > 0 and i - first < 400 and _container(segments[first - 1].section) == table:
            first -= 1
        while last + 1 < len(segments) and last - i < 400 and _container(segments[last + 1].section) == table:
            last += 1
        columns: dict[str, Schedule] = {}
        rows = 0
        k = first
        while k <= last:
            row = segments[k].section
            cells = [k]
            while k + 1 <= last and segments[k + 1].section == row:
                k += 1
                cells.append(k)
            k += 1
            day_cell = next((c for c in cells if len(segments[c].text) <= 40 and _days_only(segments[c].text)), None)
            if day_cell is None:
                continue
            days = _days_only(segments[day_cell].text)
            rows += 1
            for c in cells:
                header = segments[c].column_header
                if c == day_cell or not header or len(header) > 60 or _days_only(header):
                    continue
                schedule = columns.setdefault(header, Schedule())
                text = segments[c].text
                for m in islice(TIME_RANGE_RE.finditer(text), _MAX_RANGES):
                    r = parse_range(m, bare_ok=True)
                    if r:
                        schedule.add(days, r)
        columns = {h: sc for h, sc in columns.items() if sc.by_day}
        if rows < 2 or not columns:
            continue
        skip.update(range(first, last + 1))
        note = any(0 <= n < len(segments) and segments[n].heading == segments[first].heading
                   and len(segments[n].text) < 300 and _holidays(segments[n].text)
                   for n in (first - 1, first - 2, first - 3)) or _holidays_after(segments, last)
        start = segments[first]
        for header, schedule in columns.items():
            schedule.holidays_closed = bool(note)
            rules = schedule.rules()
            out.append(Finding(
                kind="hours", value=schedule.to_opening_hours(rules), text=f"{header} column", label=header,
                office=header, source="text", path=start.path, line=start.line, section=start.section,
                data=schedule.to_data(rules),
            ))
    return out


def _container(section: str) -> str:
    """The table holding a row's section ("... > table > tr:nth-of-type(2)" -> "... > table")."""
    cut = section.find(" > tr")
    table = section[:cut] if cut > 0 else section
    for part in (" > tbody", " > thead", " > tfoot"):
        if table.endswith(part):
            return table[:-len(part)]
    return table


def _holidays_for_table(findings: list, block: _Block) -> None:
    """A "closed on holidays" note after ``block``: it closes ``block`` on holidays, and every
    schedule just before it from the same table under the same heading (one row per season or
    service: "Fall quarters: Mon-Fri 8-5" / "Summer: Mon-Thu 7-5:30" / "Closed on university holidays")."""
    block.schedule.holidays_closed = True
    table = _container(block.segments[block.first].section)
    if not table.rsplit(" > ", 1)[-1].startswith("table"):
        return  # outside a table, the note is about the schedule right above it
    later = block
    for prev in reversed(findings):  # stops at the first finding that is not a row of this table
        if (not isinstance(prev, _Block) or prev.heading != block.heading or later.first - prev.last > _MAX_GAP
                or _container(prev.segments[prev.first].section) != table):
            break
        prev.schedule.holidays_closed = True
        later = prev


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_CLAUSE_SPLIT = re.compile(r"(;\s+|,?\s+(?:and|while|but|whereas)\s+(?=(?:the|our|its|their)\s))", re.I)
_SUBJECT = re.compile(
    r"^\W{0,3}(?:(?:the|our|all)\s+)?(?P<subject>[A-Za-z][\w'’&.\- ]{1,60}?)\s+"
    r"(?:is|are|will\s+be|remains?)\s+(?:also\s+)?(?:open|staffed|available|answered)\b", re.I)
_PRONOUN = re.compile(r"(?:it|we|they|this|that|these|those|you|staff)$", re.I)


def _schedule_pieces(text: str) -> list[str]:
    """A line cut where a second schedule starts.

    A sentence that holds times of its own, after a sentence that did, starts a
    piece: "The lobby is open 24/7. The Records window is open Mon-Fri 8-4:30."
    gives two.  Sentences without times ("Monday-Friday.", "Closed on holidays.")
    stay with the piece before them (or the first one), so "8 a.m.-5 p.m.
    Monday-Friday." is still one piece.  Inside a sentence, a clause after ";" or
    ", and the ..." starts a piece when the clause before it already has days
    and times ("Office: Mon-Fri 8-5; phone lines: Mon-Fri 7-6"), but not in
    "8-12; 1-5, Monday-Friday", where the days come last for both ranges.
    """
    if len(text) < 24:
        return [text]
    cheap = _CHEAP.finditer(text.lower())
    if next(cheap, None) is None or next(cheap, None) is None:
        return [text]  # one time (or none): nothing to split
    sentences = _SENTENCE_SPLIT.split(text) if any(p in text for p in (". ", "! ", "? ")) else [text]
    pieces: list[str] = []
    current = ""
    timed = False
    for sentence in sentences:
        parts = _CLAUSE_SPLIT.split(sentence)  # [clause, delimiter, clause, ...]
        for k in range(0, len(parts), 2):
            clause = parts[k]
            joint = " " if k == 0 else parts[k - 1]
            has_time = bool(_CHEAP.search(clause.lower()))
            if has_time and timed and (k == 0 or _has_days(current)):
                pieces.append(current)
                current, timed = clause, has_time
                continue
            current = f"{current}{joint}{clause}" if current else clause
            timed |= has_time
    pieces.append(current)
    return pieces if len(pieces) > 1 else [text]


def _has_days(text: str) -> bool:
    low = text.lower()
    return bool(_DAY_HINT.search(low)) and DAYS_RE.search(text) is not None


def _subject(piece: str) -> str | None:
    """"The Records Unit window is open ..." -> "records unit window" (None for "It is open", no subject)."""
    m = _SUBJECT.match(piece)
    if not m:
        return None
    subject = m.group("subject").strip().lower()
    return None if _PRONOUN.match(subject) else subject


def _drop_closure(closure: Finding, rule: str) -> None:
    dates = closure.data["closed_dates"]
    if rule in dates:
        dates.remove(rule)
        closure.value = "; ".join(dates)  # an empty value is dropped at the end


_FILLER_CELL = re.compile(r"closed|[-–—]|n/?a", re.I)  # a table cell for a day with no hours


def _holidays_after(segments: Sequence[Segment], i: int) -> bool:
    """A "closed on holidays" line right after line ``i``, past any "Closed" day cells and the
    days line of the schedule ("8:00 AM to 5:00 PM" / "Monday - Friday" / "(closed on holidays)")."""
    k = i + 1
    while k < len(segments) and k - i <= 4 and (_FILLER_CELL.fullmatch(segments[k].text.strip())
                                                 or (k == i + 1 and len(segments[k].text) <= 40
                                                     and _days_only(segments[k].text))):
        k += 1
    return k < len(segments) and len(segments[k].text) < 200 and _holidays(segments[k].text)


class _Block:
    def __init__(self, first: int, heading: str, label: str, segments: Sequence[Segment]) -> None:
        self.first = first
        self.last = first
        self.heading = heading
        self.label = label
        self.segments = segments
        self.schedule = Schedule()
        self.texts: list[str] = []

    def finding(self) -> Finding:
        seg = self.segments[self.first]
        self.schedule.months = months_of(self.label) or months_of(seg.heading)
        rules = self.schedule.rules()  # once, for the value and the data
        value = self.schedule.to_opening_hours(rules) if (self.schedule.by_day or self.schedule.always_open) else ""
        return Finding(
            kind="hours", value=value, text=" / ".join(self.texts), label=self.label or seg.heading,
            office=seg.heading, source="text", path=seg.path, line=seg.line, section=seg.section,
            data=self.schedule.to_data(rules),
        )


def _parse_line(segments: Sequence[Segment], i: int, consumed: set[int], budget: list[int],
                piece: str | None = None):
    """Rules on line ``i`` (or on ``piece``, a part of it): ([(days|None, (open, close))], breaks,
    holidays, 24/7, label, text shown) or None."""
    seg = segments[i]
    text = seg.text if piece is None else piece
    if len(text) > _MAX_LINE:
        return None
    low = text.lower()
    label = _label_above(segments, i)
    hours_word = _find(_HOURS_WORD, low) is not None
    has_word = hours_word or bool(label)
    # Meeting words and dates count in the sentences that hold times (and the one before each):
    # "... reservation center (daily, 7 a.m.-7 p.m.). ID numbers begin with NM" is still hours.
    scope = _timed_sentences(text).lower()
    if (not hours_word and _find(_NOT_HOURS, scope)) or ("min" in scope and _find(_TIMETABLE, scope)):
        return None
    if _find(_DELIVERY, scope) and not _find(_OPEN_WORD, scope):
        return None  # a delivery window, even "to the office location", unless it says hours/open
    if not has_word and _find(_MEETING_HEADING, seg.heading.lower()):
        return None
    if not _find(_STRONG_WORD, low) and _event_date(scope):
        return None  # "Tuesday, March 5, 2024 from 6 to 8 p.m. open house": an event
    first_days = DAYS_RE.search(text) if _DAY_HINT.search(low) else None
    if not has_word and first_days is None and not _CLOSED_ANY.search(text) and not _days_nearby(segments, i):
        return None  # bare times with no days and no "hours" anywhere near: not a schedule
    budget[0] -= 1  # the lines cheap checks cannot reject are the costly ones
    always = "24" in text and bool(TWENTY_FOUR_SEVEN.search(text))
    ranges = []
    header_days = _header_days(seg.column_header) if seg.column_header and len(seg.column_header) <= 40 else None
    bare_end = -1  # where the last range read without a clock clue ended
    for m in islice(TIME_RANGE_RE.finditer(text), _MAX_RANGES):
        r = parse_range(m)
        if r is None and (header_days or _BARE_CONTEXT.search(text[max(0, m.start() - 16):m.start()])
                          or (bare_end >= 0 and _RANGE_LIST_GAP.fullmatch(text, bare_end, m.start()))):
            # "M-F 8-5", "9-5" under a "Monday" column, and the ranges listed after such a
            # range ("Mon-Fri 8-12, 1-5")
            r = parse_range(m, bare_ok=True)
            bare_end = m.end() if r else -1
        if r:
            ranges.append((m, r))
    if _MIL_HINT.search(text):
        for m in islice(MIL_RANGE_RE.finditer(text), _MAX_RANGES):
            r = parse_military(m)
            if r:
                ranges.append((m, r))
    if not ranges and not always:
        return None
    tokens: list[tuple[int, int, str, object]] = []
    closed_word = bool(_CLOSED_ANY.search(text))
    if first_days is not None:
        # first_days is the first of these matches: no need to find it again
        for m in islice(chain((first_days,), DAYS_RE.finditer(text, first_days.end())), _MAX_RANGES):
            days = parse_days(m)
            if not days:
                continue
            # "Monday-Friday. Closed weekends": a full stop after a day name ends the sentence,
            # so the "Closed" after it is about other days.
            # "Mon.–Fri. Closed Sat., Sun.": a "Closed" that names other days is about those days.
            after = _CLOSED_AFTER.match(text[m.end():m.end() + 12]) if closed_word else None
            closed = closed_word and (_closed_before(text, m.start())
                                      or (after is not None and not _SENTENCE_END_DAY.search(m.group(0))
                                          and not _OTHER_DAYS.match(text, m.end() + after.end(),
                                                                    m.end() + after.end() + 16)))
            if closed and after is not None and not _closed_before(text, m.start()):
                # "Mon-Thu, Fri closed": only the last day of the list is closed
                cut = max(m.group(0).rfind(","), m.group(0).rfind("&"), m.group(0).lower().rfind(" and "))
                head = DAYS_RE.match(text, m.start(), m.start() + cut) if cut > 0 else None
                if head is not None and parse_days(head):
                    tokens.append((m.start(), m.start() + cut, "days", parse_days(head)))
                    tokens.append((m.start() + cut, m.end(), "closed-days", days))
                    continue
            tokens.append((m.start(), m.end(), "closed-days" if closed else "days", days))
    if tokens and ranges:
        tokens += _lone_day_letters(text, ranges, tokens)
    for start, end, date in (_dated_openings(text, ranges) if _has_full_date(text) else []):
        # the date, not the weekday name in front of it, says when
        tokens = [t for t in tokens if not start <= t[0] < end]
        tokens.append((start, end, "days", [date]))
    breaks: list[tuple[int, int]] = []
    for m, rng in ranges:
        before = _BREAK_BEFORE.search(text[max(0, m.start() - 30):m.start()]) if closed_word else None
        if before and _DAY_IN_GAP.search(before.group(0), 6):
            before = None  # "Sat closed, Sun 1-5 pm": the range belongs to Sunday
        if closed_word and (before or _BREAK_AFTER.search(text[m.end():m.end() + 20])):
            breaks.append(rng)
            continue
        tokens.append((m.start(), m.end(), "time", rng))
    tokens.sort(key=lambda t: t[0])
    rules = _pair(tokens, text)
    shown = text
    if not rules and not always and not breaks:
        return None
    if rules and all(days is None for days, _ in rules):
        # A table with the days across its header row: the cell's column header gives the days.
        borrowed = (header_days, seg.column_header) if header_days else _borrow_days(segments, i, consumed)
        if borrowed:
            rules = [(borrowed[0], iv) for _, iv in rules]
            shown = f"{borrowed[1]} {text}" if borrowed[1] is not text else text
        elif not has_word:
            return None
    # "Closed on city holidays. Book drops are open 24/7.": a holiday sentence before the times is
    # about something else; one with them or after them is about these hours
    holidays = _holidays(_from_first_timed(text))
    return rules, breaks, holidays, always, label, shown, _annual_closures(text)


_CLOCK = r"(?P<h>\d{1,2})(?::(?P<m>[0-5]\d))?\s{0,2}(?P<ap>[ap])\.?\s?m\b\.?"
# "Open until 7 p.m. on Wednesdays", "open late until 7:30 pm Thursdays", "Wednesdays until 7 p.m.":
# one day's later closing, after a schedule that gave that day its opening time.
_LATE_AFTER = re.compile(rf"\b(?:open|stays?\s+open)\s+(?:late\s+)?(?:until|till|til)\s+{_CLOCK}\s{{0,2}}"
                         rf"(?:on\s+)?(?=[A-Z])", re.I)
_LATE_BEFORE = re.compile(rf"\s{{1,3}}(?:open\s+)?(?:late\s+)?(?:until|till|til)\s+{_CLOCK}", re.I)


def _late_closings(text: str) -> list[tuple[list[str], int]]:
    """(days, closing minute) of each later closing ``text`` names ("Open until 7 p.m. on Wednesdays")."""
    found = []
    for m in islice(_LATE_AFTER.finditer(text), 3):
        days = DAYS_RE.match(text, m.end())
        if days is not None:
            found.append((parse_days(days), m))
    for days in islice(DAYS_RE.finditer(text), 8):
        m = _LATE_BEFORE.match(text, days.end())
        if m is not None:
            found.append((parse_days(days), m))
    out = []
    for days, clock in found:
        hour, minute = int(clock.group("h")), int(clock.group("m") or 0)
        if 1 <= hour <= 12 and days:
            out.append((days, to_minutes(hour, minute, "pm" if clock.group("ap").lower() == "p" else "am")))
    return out


def _close_later(block: _Block, piece: str) -> bool:
    """Apply the later closings ``piece`` names to ``block``'s schedule; True when one applied."""
    if "until" not in piece.lower():
        return False
    return any([block.schedule.close_later(days, close) for days, close in _late_closings(piece)])


def _lone_day_letters(text: str, ranges, tokens) -> list[tuple[int, int, str, list[str]]]:
    """``days`` tokens for single day letters next to a range (see ``_LONE_DAY_AFTER``)."""
    taken = [(start, end) for start, end, _, _ in tokens]
    found = []
    for m, _ in ranges:
        after = _LONE_DAY_AFTER.match(text, m.end())
        lead = text[max(0, m.start() - 8):m.start()]
        before = _LONE_DAY_BEFORE.search(lead)
        for hit, offset in ((after, 0), (before, m.start() - len(lead))):
            if hit is None:
                continue
            start, end = offset + hit.start("day"), offset + hit.end("day")
            if any(s < end and start < e for s, e in taken):
                continue  # part of a day range already read ("M-Th")
            day = day_index(hit.group("day"))
            if day is not None:
                taken.append((start, end))
                found.append((start, end, "days", [DAY_CODES[day]]))
    return found


def _from_first_timed(text: str) -> str:
    """``text`` from the sentence holding its first time on."""
    if ". " not in text:
        return text
    sentences = _SCOPE_SPLIT.split(text)
    for k, sentence in enumerate(sentences):
        if _CHEAP.search(sentence.lower()) or (k == len(sentences) - 1):
            return " ".join(sentences[k:])
    return text


# Sentence ends for scoping filters; "a.m."/"p.m." followed by a capital does not end one.
_SCOPE_SPLIT = re.compile(r"(?<=[.!?])(?<![ap]\.m\.)(?<![AP]\.M\.)\s+(?=[A-Z(])")
_CLOSURE_LEAD = re.compile(r"(?:closed|closure|will\s+not\s+be\s+open|except)\b[^.;!?]{0,80}$")


def _timed_sentences(text: str) -> str:
    """The sentences of ``text`` that hold a time, each with the sentence before it."""
    if ". " not in text and "! " not in text and "? " not in text:
        return text
    sentences = _SCOPE_SPLIT.split(text)
    if len(sentences) == 1:
        return text
    keep = [k for k, sentence in enumerate(sentences) if _CHEAP.search(sentence.lower())]
    wanted = sorted({j for k in keep for j in (k - 1, k) if j >= 0})
    return " ".join(sentences[j] for j in wanted)


def _event_date(low: str) -> bool:
    """A calendar date in lower-cased ``low`` that is not a closure ("closed ... December 25")."""
    for m in islice(_DATE.finditer(low), 12):
        if m.start() and low[m.start() - 1].isalnum():
            continue
        if not _CLOSURE_LEAD.search(low, max(0, m.start() - 100), m.start()):
            return True
    return False


def _annual_closures(text: str) -> list[str]:
    """Yearly fixed-date closures named with the hours: "Closed ... December 25" -> ["Dec 25 off"].

    Dates with a year ("closed November 10, 2023") are one-off closures, their own finding.
    """
    if not _CHEAP_CLOSURE.search(text.lower()):
        return []
    rules: list[str] = []
    for c in islice(_CLOSURE.finditer(text), 4):
        end = text.find(". ", c.end())
        sentence = text[c.end():end if end > 0 else len(text)]
        for m in islice(_FULL_DATE.finditer(sentence), 6):
            if m.group("year"):
                continue
            rule = _date_rule(m)
            if rule and rule not in rules:
                rules.append(rule)
    return rules


_MAX_LISTED = 12  # lines of dates read below "closed on the following dates:"


def _closure_dates(text: str) -> list[str]:
    """The "off" rules of the dates in ``text``, in order: a date without a year takes the year
    of the next date that has one, days in a row of one month become a range, and so do two
    dates joined by "through" ("October 1 through March 31" -> "Oct 1-Mar 31 off")."""
    dates: list[list] = []  # [year or "", month, first day, last day, (year or "", month, day) it runs to, or None]
    end = 0
    for m in islice(_FULL_DATE.finditer(text), 6):
        day, last = int(m.group("day")), int(m.group("last") or m.group("day"))
        if not 1 <= day <= last <= 31 or (m.group("last") and day == last):
            continue
        mon = _MONTHS[m.group("mon").lower()[:3]]
        if dates and dates[-1][4] is None and _DATE_RANGE_GAP.fullmatch(text, end, m.start()):
            dates[-1][4] = (m.group("year") or "", mon, last)
        else:
            dates.append([m.group("year") or "", mon, day, last, None])
        end = m.end()
    for k in range(len(dates) - 1, -1, -1):
        if not dates[k][0]:
            to = dates[k][4]
            if to and to[0]:  # "December 24 through January 1, 2026" starts the year before
                wraps = _MONTH_ORDER.index(to[1]) < _MONTH_ORDER.index(dates[k][1])
                dates[k][0] = str(int(to[0]) - 1) if wraps else to[0]
            elif k + 1 < len(dates):
                dates[k][0] = dates[k + 1][0]
    merged: list[list] = []
    for date in dates:
        prev = merged[-1] if merged else None
        if prev and prev[4] is None and date[4] is None and prev[:2] == date[:2] and date[2] == prev[3] + 1:
            prev[3] = date[3]
        elif date not in merged:
            merged.append(date)
    out = []
    for y, mon, first, last, to in merged:
        if to:  # "2025 Dec 24-2026 Jan 1": the end's year only when it differs
            span = "-" + (f"{to[0]} " if to[0] and to[0] != y else "") + f"{to[1]} {to[2]}"
        else:
            span = f"-{last}" if last != first else ""
        out.append((f"{y} " if y else "") + f"{mon} {first}{span} off")
    return out


_DATE_RANGE_GAP = re.compile(r"\s{0,3}(?:-|–|—|to|through|thru|until)\s{0,3}", re.I)


def _date_rule(m: re.Match) -> str | None:
    """"2023 Nov 10 off" / "Nov 23-24 off" for a _FULL_DATE match, or None for an impossible day."""
    date = _date_text(m)
    return f"{date} off" if date else None


def _date_text(m: re.Match) -> str | None:
    """"2023 Nov 10" / "Nov 23-24" for a _FULL_DATE match, or None for an impossible day."""
    mon = _MONTHS[m.group("mon").lower()[:3]]
    day, last = int(m.group("day")), m.group("last")
    if not 1 <= day <= 31 or (last and not day < int(last) <= 31):
        return None
    date = (f"{m.group('year')} " if m.group("year") else "") + f"{mon} {day}"
    return date + (f"-{int(last)}" if last else "")


_WEEKDAY_BEFORE = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\.?,?\s{0,3}$", re.I)
_VALIDITY_BEFORE = re.compile(r"\b(?:effective|starting|beginning|through|thru|until|till|from|after|before|by|"
                              r"as\s+of|since|between)\s{1,3}(?:on\s{1,3})?$", re.I)
_DATE_THEN_TIME = re.compile(r"[,:]?\s{0,3}(?:from\s{1,3}|between\s{1,3})?", re.I)
_TIME_THEN_DATE = re.compile(r"[,]?\s{0,3}(?:on\s{1,3})?", re.I)


def _dated_openings(text: str, ranges) -> list[tuple[int, int, str]]:
    """Calendar dates right next to a clock range: "open Saturday, October 31, 2026 from 9 a.m. to 1 p.m."
    -> [(start, end, "2026 Oct 31")] (start at the weekday name before the date).

    Dates after "closed" are closures; "effective September 8" and "through May 31" bound a
    schedule rather than name the day it is open.
    """
    if not ranges:
        return []
    found = []
    for m in islice(_FULL_DATE.finditer(text), 6):
        start = m.start()
        if _CLOSURE_LEAD.search(text.lower(), max(0, start - 100), start):
            continue
        wd = _WEEKDAY_BEFORE.search(text, max(0, start - 14), start)
        if wd:
            start = wd.start()
        if _VALIDITY_BEFORE.search(text, max(0, start - 16), start):
            continue
        near = any(
            (t.start() >= m.end() and _DATE_THEN_TIME.fullmatch(text, m.end(), t.start()))
            or (t.end() <= start and _TIME_THEN_DATE.fullmatch(text, t.end(), start))
            for t, _ in ranges)
        date = _date_text(m) if near else None
        if date:
            found.append((start, m.end(), date))
    return found


def _is_date(day: str) -> bool:
    return " " in day  # "2026 Oct 31", against "Mo" and "We[3]"


_DAY_BEFORE_CLOSED = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s{0,3}[:\-–—]?\s{0,3}$", re.I)


def _closed_before(text: str, start: int) -> bool:
    """"Closed" just before the days at ``start`` — unless it belongs to a day before it ("Sat closed, Sun 1-5")."""
    window = text[max(0, start - 20):start]
    c = _CLOSED_AROUND.search(window)
    return bool(c) and not _DAY_BEFORE_CLOSED.search(window[:c.start()])


def _pair(tokens, text: str = "") -> list[tuple[list[str] | None, tuple[int, int]]]:
    """Days apply to the times after them, or to the times just before them.

    A clause break (";", "|", "•") closes a days+times group, so in
    "Mon-Fri 8am-5pm; 9am-noon Sat" the second range waits for "Sat".
    """
    rules: list[tuple[list[str] | None, tuple[int, int]]] = []
    days: list[str] | None = None
    times: list[tuple[int, int]] = []
    prev_end = 0
    for start, end, kind, val in tokens:
        if times and isinstance(days, list) and _CLAUSE_BREAK.search(text, prev_end, start):
            rules += [(days, t) for t in times]
            times, days = [], None
        prev_end = end
        if kind == "closed-days":
            if times:
                rules += [(days, t) for t in times]
                times, days = [], None
            days = None
            continue
        if kind == "days":
            if times and days in (None, "used"):
                rules += [(list(val), t) for t in times]
                times = []
                days = "used"  # these days are spent on the times before them
            elif times:
                rules += [(days, t) for t in times]
                times, days = [], list(val)
            else:
                days = list(val) if days in (None, "used") else days + [d for d in val if d not in days]
        else:
            times.append(val)
    if times:
        rules += [(days if days != "used" else None, t) for t in times]
    return [(d if d != "used" else None, t) for d, t in rules]


def _days_nearby(segments: Sequence[Segment], i: int) -> bool:
    return any(0 <= k < len(segments) and len(segments[k].text) <= 40 and _days_only(segments[k].text)
               for k in (i - 1, i - 2, i + 1))


# A week grid's column header gives the day and that week's date: "Sunday Oct 12", "Mon 10/13".
_HEADER_DATE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}"
                          r"(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b", re.I)


def _header_days(text: str):
    """:func:`_days_only` of a column header, without the date a week grid puts under the day."""
    return _days_only(text) or (_days_only(_HEADER_DATE.sub(" ", text)) if any(c.isdigit() for c in text) else None)


def _days_only(text: str):
    m = DAYS_RE.search(text)
    if not m:
        return None
    rest = (text[:m.start()] + text[m.end():]).strip(" :;,.-–—|()")
    if len(rest) > 3 or _CLOSED_AFTER.search(text[m.end():]):
        return None
    return parse_days(m)


def _borrow_days(segments: Sequence[Segment], i: int, consumed: set[int]) -> tuple[list[str], str] | None:
    """Days from a line holding only days, just above (or just below) line ``i``."""
    for k in (i - 1, i - 2, i + 1):
        if 0 <= k < len(segments) and k not in consumed and len(segments[k].text) <= 40:
            days = _days_only(segments[k].text)
            if days:
                consumed.add(k)
                return days, segments[k].text
    return None


def _label_above(segments: Sequence[Segment], i: int) -> str:
    """An hours label on this line's heading or on one of the two short lines above."""
    for k in (i - 1, i - 2):
        if k >= 0 and len(segments[k].text) <= 100 and re.search(r"\bhours\b", segments[k].text, re.I):
            return segments[k].text.strip(" :")
    if re.search(r"\bhours\b", segments[i].heading, re.I):
        return segments[i].heading
    m = re.match(r"\s*((?:office|business|service|lobby|opening)?\s*hours)\b", segments[i].text, re.I)
    return m.group(1).strip() if m else ""


_MONTHS = {"jan": "Jan", "feb": "Feb", "mar": "Mar", "apr": "Apr", "may": "May", "jun": "Jun",
           "jul": "Jul", "aug": "Aug", "sep": "Sep", "oct": "Oct", "nov": "Nov", "dec": "Dec"}
_MONTH_ORDER = tuple(_MONTHS.values())


def _closure(segments: Sequence[Segment], i: int) -> Finding | None:
    """"The office will be closed Friday, November 10, 2023" -> "2023 Nov 10 off".

    Dates are read from the sentence holding "closed", after that word; a day
    range ("November 23-24, 2023") gives "2023 Nov 23-24 off", and so do two
    days in a row ("Thursday, November 27 and Friday, November 28, 2025": the
    year given once).  A line that announces a list ("... closed on the
    following dates:") takes the dates of the lines below it.
    """
    seg = segments[i]
    text = seg.text
    if not _CLOSED_SUBJECT.search(text):
        return None
    rules: list[str] = []
    for c in _CLOSURE.finditer(text):
        end = text.find(". ", c.end())
        sentence = text[max(0, c.start() - 40):end if end > 0 else len(text)]
        if not _find(_NOT_HOURS, sentence.lower()):  # "... closed Monday. Online services at ..." is fine
            rules += [r for r in _closure_dates(sentence) if r not in rules]
    if not rules and text.endswith(":") and not _find(_NOT_HOURS, text.lower()):
        listed = []
        for k in range(i + 1, min(len(segments), i + 1 + _MAX_LISTED)):
            line = segments[k].text
            if len(line) > 200 or not _has_full_date(line):
                break
            listed.append(line)
            rules += [r for r in _closure_dates(line) if r not in rules]
        text = " ".join([text, *listed])
    if not rules:
        return None
    return Finding(
        kind="hours", value="; ".join(rules), text=text, label="closure", office=seg.heading,
        source="text", path=seg.path, line=seg.line, section=seg.section,
        data={"rules": [], "holidays_closed": False, "closed_dates": rules},
    )
