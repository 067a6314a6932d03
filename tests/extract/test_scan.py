"""Page-level scanning shortcuts must find exactly what the plain scans find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from siteaudit.extract import appointments, hours
from siteaudit.extract._scan import PageText, lower_for_words, may_hold
from siteaudit.model import Segment

# (pattern, the starts every match begins with, words to build pages from)
SHORTCUTS = [
    (appointments._CHEAP, appointments._CHEAP_STARTS,
     ["appointment", "appointments", "walk", "walk-in", "walk ins", "consultation", "book", "book a ", "book your ",
      "booking", "Book an ", "b", "a", "in", " ", "\n", "-", "x"]),
    (hours._CHEAP_CLOSURE, hours._CLOSURE_STARTS,
     ["closed", "closure", "close", "clos", "will", "will not be open", "not", "be", "open", " ", "\n", "d", "ure"]),
]


def _page(lines: list[str], lower: bool = True) -> PageText:
    return PageText([Segment(text=t, path="") for t in lines], lower=lower)


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_lines_starting_finds_the_lines_lines_matching_finds(data):
    for pattern, starts, words in SHORTCUTS:
        lines = data.draw(st.lists(st.lists(st.sampled_from(words), max_size=12).map("".join), max_size=6))
        page = _page(lines)
        assert page.lines_starting(pattern, starts) == page.lines_matching(pattern)


TIME_PARTS = ["noon", "midnight", "9", "12", "24", "2", " ", "am", "p.m.", "m", "n", "id", "ight", ":30", "-", "–",
              "—", "to", "/", "7", "hours", "\n", "a", "0800", "x"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TIME_PARTS), max_size=14).map("".join), max_size=5))
def test_timed_lines_are_the_lines_cheap_matches(lines):
    page = _page(lines)
    assert hours._timed_lines(page) == page.lines_matching(hours._CHEAP)


def test_every_match_begins_with_a_declared_start():
    for pattern, starts, words in SHORTCUTS:
        for text in ["".join(words), " ".join(words), "\n".join(words)]:
            for m in pattern.finditer(text.lower()):
                assert text.lower().startswith(starts, m.start()), (pattern.pattern, m.group(0))


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("aAiIsSkK\u0130\u0131\u017f\u212a .:-dtupe")), max_size=30))
def test_lower_for_words_agrees_with_re_ignorecase(text):
    low = lower_for_words(text)
    if low is None:
        return
    for word in ("updated", "its", "kit", "desk", "ask"):
        assert [m.span() for m in re.finditer(word, low)] == [m.span() for m in re.finditer(word, text, re.I)]


# (re.I pattern, words every match holds, words to build texts from)
GUARDED = [
    (hours._HOLIDAYS, ("holiday",),
     ["closed", "Closed", "except", "on", "HOLIDAYS", "holiday", "Holidays", "Sat.", ", ", " ", ".", "and",
      "ho\u0131iday", "ho\u0130iday", "hol", "iday", "s"]),
    (hours._FULL_DATE, hours._MONTH_STARTS,
     ["Jan", "FEB", "mar", "May", "Sep", "Sept.", "ſep", "Dec", "uary", " ", "10", "1", "-", "23", ", ", "2023", "th",
      "x", "İ"]),
]


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_may_hold_never_rejects_a_text_the_pattern_matches(data):
    for pattern, words, parts in GUARDED:
        text = data.draw(st.lists(st.sampled_from(parts), max_size=10).map("".join))
        if pattern.search(text):
            assert may_hold(text, words), (pattern.pattern[:40], text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", "A", "b c", "Hours\nMon", "x" * 30, " ", "Ünïcode"]), max_size=8), st.data())
def test_a_part_of_a_page_text_is_the_page_text_of_those_lines(lines, data):
    start = data.draw(st.integers(0, len(lines)))
    end = data.draw(st.integers(start, len(lines)))
    for lower in (False, True):
        part = _page(lines, lower).sub(start, end)
        whole = _page(lines[start:end], lower)
        assert (part.text, part.starts) == (whole.text, whole.starts)
