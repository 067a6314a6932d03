"""The one-scan line finder used by the closure-notice check agrees with a line-by-line search."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from rulekit import run_rules

from siteaudit.rules.checks import _CLOSURE, _closure_lines, _lines_matching

WORDS = st.sampled_from(["Closed", "closure", "closing", "open", "May 1, 2026", "weekends", "", " ", "\n", "\n\n"])


@given(st.lists(WORDS, max_size=30))
def test_same_lines_as_searching_each_line(parts):
    text = " ".join(parts)
    assert _lines_matching(text, _CLOSURE) == [line for line in text.split("\n") if _CLOSURE.search(line)]


def test_a_line_with_two_matches_is_returned_once():
    assert _lines_matching("a\nClosed; closure on May 1\nb", _CLOSURE) == ["Closed; closure on May 1"]
    assert _lines_matching("no notice here", re.compile("closed")) == []


HINTED = st.sampled_from(["Closed", "CLOSURE", "cloſed", "Enclosed", "closing", "will close", "will be closed",
                          "May 1, 2026", "İstanbul", "ß", "open", "clos", "", " ", "\n", "\n\n"])


@given(st.lists(HINTED, max_size=30))
def test_closure_lines_searched_only_where_a_hint_is_give_the_same_lines(parts):
    # "İ" lower-cases to two characters: positions shift, and the whole text is searched instead
    text = " ".join(parts)
    assert _closure_lines(text) == _lines_matching(text, _CLOSURE)


def test_closure_lines_when_lower_case_is_longer():
    text = "İ" * 10 + " Closed\nfoo"  # in lower case "Closed" is 10 characters further on, past the newline
    assert _closure_lines(text) == _lines_matching(text, _CLOSURE) == ["İ" * 10 + " Closed"]


def test_pages_without_a_closure_word_are_not_read_and_long_s_is_one(db, build):
    build.page("/a", text="Office cloſed on May 1, 2026")  # IGNORECASE: s matches the long s
    build.page("/b", text="Open Monday to Friday")
    build.page("/c")  # no text stored
    results = run_rules(db, build.run_id, """
        rules:
          - {id: c, title: T, severity: warning, policy: P, select: {url: '*'}, expect: {closure_notices_current: true}}
    """, as_of=date(2026, 6, 1))
    got = {r.url.rsplit("/", 1)[-1]: (r.outcome, r.message) for r in results}
    assert got["a"][0] == "fail" and "cloſed" in got["a"][1]
    assert got["b"] == ("not-applicable", "")
    assert got["c"] == ("not-applicable", "no page text stored for this page (crawl did not record it)")
