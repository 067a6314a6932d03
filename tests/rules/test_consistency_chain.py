"""Office consistency compares value sets by inclusion, in linear time."""

from __future__ import annotations

import itertools
import random

from siteaudit.rules.consistency import _conflicting


def _brute(sets):
    return any(not (a <= b or b <= a) for a, b in itertools.combinations(sets, 2))


def test_same_as_pairwise_comparison():
    rnd = random.Random(7)
    for _ in range(5000):
        sets = [set(rnd.sample(range(5), rnd.randint(1, 3))) for _ in range(rnd.randint(1, 6))]
        assert _conflicting(sets) == _brute(sets)


def test_a_page_may_show_fewer_numbers_not_other_ones():
    assert not _conflicting([{"+15035550100"}, {"+15035550100", "+15035550101"}] * 10_000)
    assert _conflicting([{"+15035550100"}] * 10_000 + [{"+15035550199"}])
