"""Page-level pre-filtering: one regex pass over all lines instead of one per line.

Extractors look closely only at the few lines a cheap pattern hits.  Joining
the lines once and running ``finditer`` over the whole page keeps the loop in
C; offsets map back to line indices with ``bisect``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Sequence

from ..model import Segment


def lower_for_words(text: str) -> str | None:
    """``text.lower()`` when finding lower-case ASCII words in it is the same as ``re.I`` on ``text``; else None.

    ``re.I`` and ``str.lower`` agree on every character but three: "İ" (its
    lower case is two characters, which would shift every offset after it),
    and the dotless "ı" and long "ſ", which ``re.I`` matches as "i" and "s"
    while ``lower`` keeps them.  (Checked over all of Unicode; ``lower`` also
    keeps every character's word/space/digit class, so ``\\b``, ``\\w``, ``\\s``
    and ``\\d`` mean the same in both.)  A page that has none of them can be
    searched for case-free words with ``str.find``, at memory speed.
    """
    low = text.lower()
    if len(low) != len(text) or "\u0131" in text or "\u017f" in text:
        return None
    return low


def may_hold(text: str, words: Sequence[str]) -> bool:
    """False when none of ``words`` (lower-case ASCII) is in ``text``, ignoring case as ``re.I`` does.

    A cheap guard before a costly ``re.I`` search whose every match holds one of ``words``.
    """
    low = lower_for_words(text)
    return low is None or any(word in low for word in words)


class PageText:
    """All segment texts joined by newlines, with each line's start offset.

    ``lower=True`` lower-cases the text so patterns can skip ``re.I``, which
    makes Python's matcher several times slower on long pages.
    """

    __slots__ = ("text", "starts")

    def __init__(self, segments: Sequence[Segment], lower: bool = False) -> None:
        texts = [s.text.replace("\n", " ") for s in segments]
        if lower:
            texts = [t.lower() for t in texts]
        self.text = "\n".join(texts)
        self.starts: list[int] = []
        pos = 0
        for t in texts:
            self.starts.append(pos)
            pos += len(t) + 1

    def sub(self, start: int, end: int) -> "PageText":
        """The same for ``segments[start:end]`` alone, without joining and lowering their texts again."""
        part = PageText.__new__(PageText)
        if start >= end:
            part.text, part.starts = "", []
            return part
        base = self.starts[start]
        stop = self.starts[end] - 1 if end < len(self.starts) else len(self.text)
        part.text = self.text[base:stop]
        part.starts = [pos - base for pos in self.starts[start:end]]
        return part

    def lines_matching(self, pattern: re.Pattern[str]) -> list[int]:
        """Indices of the lines where ``pattern`` matches (patterns must not span lines)."""
        hits: list[int] = []
        last = -1
        starts = self.starts
        for m in pattern.finditer(self.text):
            idx = bisect_right(starts, m.start()) - 1
            if idx != last:
                hits.append(idx)
                last = idx
        return hits

    def lines_starting(self, pattern: re.Pattern[str], starts: Sequence[str]) -> list[int]:
        """:meth:`lines_matching` for a pattern whose every match begins with one of ``starts``.

        The regex engine tries a pattern at every character of the page; ``str.find``
        jumps between the places where a match can begin at memory speed, and the
        pattern is tried only there, in order, resuming after each match as
        ``finditer`` does, so the lines found are the same.  The pattern must not
        match the empty string.
        """
        text = self.text
        found = [text.find(s) for s in starts]  # next place each start occurs (-1: no more)
        hits: list[int] = []
        pos = 0
        while True:
            for k, at in enumerate(found):
                if 0 <= at < pos:
                    found[k] = text.find(starts[k], pos)
            cand = min((at for at in found if at >= 0), default=-1)
            if cand < 0:
                return hits
            m = pattern.match(text, cand)
            if m is None:
                pos = cand + 1
                continue
            idx = bisect_right(self.starts, cand) - 1
            if not hits or hits[-1] != idx:
                hits.append(idx)
            pos = max(m.end(), cand + 1)
