"""Reading days and clock times as people write them, and writing opening_hours.

Shared by :mod:`siteaudit.extract.hours`.  Every pattern here is linear: no
nested quantifiers, bounded repeats, so a megabyte of digits and dashes scans
in milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

_DAY_WORD = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nes(?:day)?)?|thu(?:r(?:s(?:day)?)?)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?"
    # Spanish, as bilingual US pages write it: "lunes a viernes", "martes y jueves", "los sábados"
    r"|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)s?\.?"
)
_DAY_SHORT = r"(?-i:Mo|Tu|We|Th|Fr|Sa|Su|M|T|W|R|F)"  # only inside a range: "Mo-Fr", "M-F"
_RANGE_SEP = r"(?:\s{0,3}(?:-|–|—|to|through|thru)\s{0,3}|\s{1,3}a\s{1,3})"  # "a": "lunes a viernes"
_LIST_SEP = r"(?:\s{0,3}(?:,|&|and|/|\+)\s{0,3}|\s{1,3}y\s{1,3})"  # "y": "martes y jueves"
_NTH = r"(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)"

DAYS_RE = re.compile(
    rf"(?<![\w-])(?:"
    rf"(?P<nth>(?:every|each|the|on)\s+{_NTH}(?:\s{{0,3}}(?:&|and|,)\s{{0,3}}{_NTH}){{0,3}}\s+{_DAY_WORD}"
    # "1st and 3rd Thursday of each month": a list of ordinals, or one ordinal before "of the month"
    rf"|{_NTH}(?:\s{{0,3}}(?:&|and|,)\s{{0,3}}{_NTH}){{1,3}}\s+{_DAY_WORD}"
    rf"|{_NTH}\s+{_DAY_WORD}(?=\s{{1,3}}of\s+(?:each|every|the)\s+month))"
    rf"|(?P<short>{_DAY_SHORT}\.?{_RANGE_SEP}{_DAY_SHORT}\.?)(?![\w-])"
    rf"|(?P<words>{_DAY_WORD}(?:(?:{_RANGE_SEP}|{_LIST_SEP}){_DAY_WORD}){{0,6}})"
    rf"|(?P<weekdays>weekdays|week\s?days|monday-friday)"
    rf"|(?P<daily>daily|every\s+day|7\s+days\s+a\s+week|seven\s+days\s+a\s+week)"
    rf"|(?P<weekends>weekends)"
    rf")(?![\w])",
    re.I,
)
_ONE_DAY = re.compile(rf"{_DAY_WORD}|(?-i:Mo|Tu|We|Th|Fr|Sa|Su|M|T|W|R|F)\b", re.I)
_NTH_WORD = re.compile(_NTH, re.I)
_NTH_NUM = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
            "4th": 4, "fifth": 5, "5th": 5, "last": -1}

_TIME = (
    r"(?:(?P<{p}h>\d{{1,2}})(?::(?P<{p}m>[0-5]\d))?\s{{0,2}}"
    r"(?P<{p}ap>[ap]\.?\s?m\b\.?|[ap]\b|in\s+the\s+(?:morning|afternoon|evening)\b)?"
    r"|(?:12\s{{0,2}})?(?P<{p}word>noon|midnight))"
)
TIME_RANGE_RE = re.compile(
    r"(?<![\w:/.$-])" + _TIME.format(p="a")
    + r"(?:\s{0,3}(?P<sep>-|–|—|to|until|till|til|thru|through|and)\s{0,3}|\s{1,3}(?P<sep_es>a)\s{1,3})"
    + _TIME.format(p="b")
    + r"(?![\w:/-])",
    re.I,
)
# 24-hour clock without a colon: "0730-1730 hrs", "0800–1700".  Needs "hrs"/"hours" after it or a
# leading zero, so "2019-2020" (years) and "1030-1045" (codes) are not read as times.
MIL_RANGE_RE = re.compile(
    r"(?<![\w:/.$#-])(?P<ah>[01]\d|2[0-3])(?P<am>[0-5]\d)\s{0,3}(?:-|–|—|to|until)\s{0,3}"
    r"(?P<bh>[01]\d|2[0-4])(?P<bm>[0-5]\d)(?:\s{0,2}(?P<suffix>hrs\b\.?|hours\b|h\b))?(?![\w:/-])",
    re.I,
)
TWENTY_FOUR_SEVEN = re.compile(r"\b24\s?/\s?7\b|\b24\s+hours\s+a\s+day\b|\bopen\s+24\s+hours\b", re.I)


def parse_days(m: re.Match) -> list[str]:
    """Day codes for one DAYS_RE match ("Monday through Friday" -> Mo..Fr)."""
    if m.group("weekdays"):
        return list(DAY_CODES[:5])
    if m.group("daily"):
        return list(DAY_CODES)
    if m.group("weekends"):
        return ["Sa", "Su"]
    if m.group("nth"):
        text = m.group("nth")
        day = day_index(_ONE_DAY.findall(text)[-1])
        nums = [_NTH_NUM[w.lower()] for w in _NTH_WORD.findall(text)]
        return [f"{DAY_CODES[day]}[{','.join(str(n) for n in nums)}]"]
    text = m.group("short") or m.group("words")
    result: list[int] = []
    pos = 0
    prev: int | None = None
    pending_range = False
    for dm in _ONE_DAY.finditer(text):
        sep = text[pos:dm.start()]
        pos = dm.end()
        idx = day_index(dm.group(0))
        if idx is None:
            continue
        if prev is not None and (re.search(r"-|–|—|to|thr", sep, re.I) or sep.strip() == "a"):
            pending_range = True
        if pending_range and prev is not None:
            i = prev
            while i != idx:
                i = (i + 1) % 7
                if i not in result:
                    result.append(i)
            pending_range = False
        elif idx not in result:
            result.append(idx)
        prev = idx
    return [DAY_CODES[i] for i in result]


_SPANISH_DAYS = {"lu": 0, "ma": 1, "mi": 2, "ju": 3, "vi": 4, "sá": 5, "do": 6}


def day_index(word: str) -> int | None:
    w = word.rstrip(".").lower()
    if len(w) > 4 and w[:2] in _SPANISH_DAYS:
        return _SPANISH_DAYS[w[:2]]  # lunes .. domingo (no English day name starts so; "sabado" is "sa" below)
    if w in ("r",):
        return 3
    if w in ("t",):
        return 1
    for i, code in enumerate(("mo", "tu", "we", "th", "fr", "sa", "su")):
        if w.startswith(code):
            return i
    if w == "m":
        return 0
    if w == "w":
        return 2
    if w == "f":
        return 4
    return None


def _meridiem(ap: str | None) -> str | None:
    if not ap:
        return None
    ap = ap.strip().lower()
    if ap.startswith("in"):  # "7:30 in the morning", "4 in the afternoon"
        return "am" if ap.endswith("morning") else "pm"
    return "pm" if ap.startswith("p") else "am"


def parse_range(m: re.Match, bare_ok: bool = False) -> tuple[int, int] | None:
    """(open, close) in minutes after midnight for a TIME_RANGE_RE match, or None.

    A range needs a clue that it is a clock time (a colon, am/pm, noon or
    midnight) unless ``bare_ok`` (the caller saw days or "closed ... lunch"
    right before it: "M-F 8-5", "closed 12-1"); "8:00-5:00" is read as
    08:00-17:00 (close before open means pm).
    """
    if (m.group("sep") or "").lower() == "and" and not _after_between(m):
        return None  # "9 a.m. and 2 p.m." lists two times; "between 9 a.m. and 2 p.m." is a range
    ends = []
    for p in ("a", "b"):
        word = m.group(f"{p}word")
        if word:
            ends.append((12, 0, "pm", word.lower()))
            continue
        h = int(m.group(f"{p}h"))
        mi = int(m.group(f"{p}m") or 0)
        if h > 24 or (h > 12 and m.group(f"{p}ap")):
            return None
        ends.append((h, mi, _meridiem(m.group(f"{p}ap")), None))
    (h1, m1, ap1, w1), (h2, m2, ap2, w2) = ends
    if not (ap1 or ap2 or w1 or w2 or m.group("am") or m.group("bm") or bare_ok):
        return None
    # A bare single letter "a"/"p" is only a meridiem when glued to the digits ("8a-5p").
    close = to_minutes(h2, m2, ap2)
    if w2 == "midnight":
        close = 24 * 60
    if ap1 or w1:
        opening = to_minutes(h1, m1, ap1) if not w1 else (12 * 60 if w1 == "noon" else 0)
    elif ap2 or w2:
        pm_guess = to_minutes(h1, m1, "pm")
        am_guess = to_minutes(h1, m1, "am")
        opening = pm_guess if ap2 == "pm" and h1 != 12 and pm_guess < close else am_guess
        if h1 == 12:
            opening = 12 * 60 + m1
    else:
        opening = h1 * 60 + m1
        if h1 < 6:
            opening += 12 * 60
    if not (ap2 or w2):
        if h2 * 60 + m2 <= opening and h2 < 12:
            close = (h2 + 12) * 60 + m2
        else:
            close = h2 * 60 + m2
    if close == 0:
        close = 24 * 60
    if close <= opening or close > 24 * 60:
        return None
    return opening, close


def _after_between(m: re.Match) -> bool:
    return m.string[max(0, m.start() - 9):m.start()].lower().rstrip().endswith("between")


def parse_military(m: re.Match) -> tuple[int, int] | None:
    """(open, close) in minutes for a MIL_RANGE_RE match ("0730-1730 hrs"), or None."""
    if not (m.group("suffix") or m.group("ah").startswith("0")):
        return None
    opening = int(m.group("ah")) * 60 + int(m.group("am"))
    close = int(m.group("bh")) * 60 + int(m.group("bm"))
    if close <= opening or close > 24 * 60:
        return None
    return opening, close


def to_minutes(h: int, mi: int, ap: str | None) -> int:
    if ap == "pm" and h < 12:
        h += 12
    elif ap == "am" and h == 12:
        h = 0
    return h * 60 + mi


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class Schedule:
    """Opening intervals per day code (``None`` = no days given), breaks and holiday rule."""

    by_day: dict[str | None, list[tuple[int, int]]] = field(default_factory=dict)
    order: list[str | None] = field(default_factory=list)
    breaks: list[tuple[int, int]] = field(default_factory=list)
    holidays_closed: bool = False
    always_open: bool = False
    closed_dates: list[str] = field(default_factory=list)  # yearly closures: "Dec 25 off"
    months: str = ""  # the season the schedule is for: "Jun-Aug"

    def add(self, days: list[str] | None, interval: tuple[int, int]) -> None:
        for d in days or [None]:
            if d not in self.by_day:
                self.by_day[d] = []
                self.order.append(d)
            if interval not in self.by_day[d]:
                self.by_day[d].append(interval)

    def close_later(self, days: list[str], close: int) -> bool:
        """Days of the schedule that close at ``close`` instead ("open until 7 p.m. on Wednesdays");
        False when the schedule has none of those days open before then."""
        changed = False
        for d in days:
            intervals = self.by_day.get(d)
            if intervals and close > intervals[-1][0]:
                intervals[-1] = (intervals[-1][0], close)
                changed = True
        return changed

    def days(self) -> set[str]:
        return {d for d in self.by_day if d}

    def intervals(self, day: str | None) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for o, c in sorted(self.by_day[day]):
            pieces = [(o, c)]
            for bo, bc in self.breaks:
                nxt = []
                for po, pc in pieces:
                    if bo > po and bc < pc:
                        nxt += [(po, bo), (bc, pc)]
                    else:
                        nxt.append((po, pc))
                pieces = nxt
            out += pieces
        return out

    def rules(self) -> list[tuple[list[str] | None, list[tuple[int, int]]]]:
        """Consecutive days with equal intervals grouped: [(days, intervals)]."""
        groups: list[tuple[list[str] | None, list[tuple[int, int]]]] = []
        plain = [d for d in DAY_CODES if d in self.by_day]
        for d in plain:
            iv = self.intervals(d)
            prev = groups[-1] if groups else None
            if prev and prev[0] and prev[1] == iv and DAY_CODES.index(prev[0][-1]) == DAY_CODES.index(d) - 1:
                prev[0].append(d)
            else:
                groups.append(([d], iv))
        # equal hours on non-adjacent days share one rule ("Mo,We,Fr")
        merged: list[tuple[list[str] | None, list[tuple[int, int]]]] = []
        for days, iv in groups:
            same = next((g for g in merged if g[1] == iv), None)
            if same:
                same[0].extend(days)
            else:
                merged.append((days, iv))
        extra = [d for d in self.order if d and d not in DAY_CODES]  # "We[3]"
        merged += [([d], self.intervals(d)) for d in extra]
        if None in self.by_day:
            merged.append((None, self.intervals(None)))
        return merged

    def to_opening_hours(self, rules: list | None = None) -> str:
        """The schedule in opening_hours syntax; ``rules`` is :meth:`rules`, when the caller has it already."""
        if self.always_open:
            text = "24/7"
        else:
            parts = []
            for days, iv in self.rules() if rules is None else rules:
                times = ",".join(f"{hhmm(o)}-{hhmm(c)}" for o, c in iv)
                parts.append(f"{format_days(days)} {times}" if days else times)
            text = "; ".join(f"{self.months} {part}" for part in parts) if self.months else "; ".join(parts)
        if self.holidays_closed:
            text += "; PH off"
        for rule in self.closed_dates:
            text += f"; {rule}"
        return text

    def to_data(self, rules: list | None = None) -> dict:
        """The schedule as plain data; ``rules`` is :meth:`rules`, when the caller has it already."""
        out = []
        if self.always_open:
            out.append({"days": list(DAY_CODES), "open": "00:00", "close": "24:00"})
        for days, iv in self.rules() if rules is None else rules:
            for o, c in iv:
                out.append({"days": days or [], "open": hhmm(o), "close": hhmm(c)})
        data = {"rules": out, "holidays_closed": self.holidays_closed}
        if self.closed_dates:
            data["closed_dates"] = list(self.closed_dates)
        if self.months:
            data["months"] = self.months
        return data


_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# A season named by its months, without days: "Summer hours (June–August)", "Winter Hours (Nov.-March)".
MONTH_RANGE_RE = re.compile(rf"(?<![\w-])(?P<a>{_MONTH})\.?\s{{0,2}}(?:-|–|—|to|through|thru)\s{{0,2}}"
                            rf"(?P<b>{_MONTH})\b\.?(?!\s{{0,2}}\d)", re.I)


def months_of(text: str) -> str:
    """ "Jun-Aug" for the one month range in ``text`` ("Summer hours (June–August)"), else ""."""
    found = MONTH_RANGE_RE.findall(text) if text else []
    if len(found) != 1:
        return ""
    return "-".join(m[:3].title() for m in found[0])


def format_days(days: list[str]) -> str:
    """["Mo","Tu","We","Th","Fr"] -> "Mo-Fr"; ["Mo","Tu","Th"] -> "Mo-Tu,Th"; ["Mo","We","Fr"] -> "Mo,We,Fr".

    Two or more consecutive days are a range, as opening_hours ``normalize()`` writes them.
    """
    plain = sorted((DAY_CODES.index(d) for d in days if d in DAY_CODES))
    special = [d for d in days if d not in DAY_CODES]
    parts: list[str] = []
    i = 0
    while i < len(plain):
        j = i
        while j + 1 < len(plain) and plain[j + 1] == plain[j] + 1:
            j += 1
        if j > i:
            parts.append(f"{DAY_CODES[plain[i]]}-{DAY_CODES[plain[j]]}")
        else:
            parts += [DAY_CODES[k] for k in plain[i:j + 1]]
        i = j + 1
    return ",".join(parts + special)
