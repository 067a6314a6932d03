"""The one-scan line finder used by the closure-notice check agrees with a line-by-line search."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from siteaudit.rules.checks import _CLOSURE, _lines_matching

WORDS = st.sampled_from(["Closed", "closure", "closing", "open", "May 1, 2026", "weekends", "", " ", "\n", "\n\n"])


@given(st.lists(WORDS, max_size=30))
def test_same_lines_as_searching_each_line(parts):
    text = " ".join(parts)
    assert _lines_matching(text, _CLOSURE) == [line for line in text.split("\n") if _CLOSURE.search(line)]


def test_a_line_with_two_matches_is_returned_once():
    assert _lines_matching("a\nClosed; closure on May 1\nb", _CLOSURE) == ["Closed; closure on May 1"]
    assert _lines_matching("no notice here", re.compile("closed")) == []
