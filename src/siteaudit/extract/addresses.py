"""US postal addresses in visible text.

An address is anchored on its locality: a state (``"IL"`` or ``"Illinois"``)
followed by a ZIP (``60601`` or ``60601-1234``), or ``"City, ST"`` with the ZIP
alone on the next line.  From the anchor we look back, on the same line and
then up to four short lines above, for the street: a house number followed by a
capitalised word (``"740 N. Sedgwick"``, ``"One Commerce Plaza"``) or a PO Box.
A locality with no street is not an address (corpus convention), except after a
named government building ("The Capitol"), which is reported with no number.

Only the few candidate strings are handed to ``usaddress`` for components, so
the cost on a page is a handful of regex scans plus one parse per address.
Statute citations, code sections and docket numbers never reach the parser:
they lack the state-then-ZIP anchor.

Addresses written without a ZIP ("1200 Example Street NE, Salem, OR", "PO Box
14020 / Salem, Oregon") are found by a second, stricter pass: a line must end
in "City, ST" or "City, State" (nothing but punctuation after the state), and
the street must be a PO Box or a house number plus a street name that ends in
a street-type word ("Street", "Ave.", "Pkwy", "Highway 99"), on the same line
or on one of the two lines above with only unit lines ("Suite 200") between.
Such addresses have ``zip=None``.  "Room 514, City Hall", "Suite 200, Salem,
OR", a bare "Salem, OR" and meeting places with no city stay out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from ..model import Finding, Segment
from ._scan import PageText
from ._usgeo import ABBREVIATIONS, AP_STYLE, NUMBER_WORDS, STATES, state_code

__all__ = ["extract_addresses"]

_NAMES = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(STATES, key=len, reverse=True))
_ABBRS = "|".join(sorted(ABBREVIATIONS))
# AP style needs its period ("Colo. 80549", "N.Y. 10007"): "Mo 64101" or "Wash 98101" alone is not a state.
_AP = "|".join(re.escape(a).replace(r"\.", r"\.[ \t]?") for a in sorted(AP_STYLE, key=len, reverse=True))
_STATE = rf"(?:(?i:{_NAMES})|(?:{_ABBRS})|D\.[ \t]?C|(?:{_AP})(?=\.))"
# "IL 60601", "Texas 78701", "NY 12224-0341", "MI, 48226" — the anchor of every address.
_LOCALITY = re.compile(
    rf"(?<![\w-])(?P<state>{_STATE})\.?,?[ \t]{{0,3}}(?P<zip>\d{{5}})"
    rf"(?:[ \t]?[-–][ \t]?(?P<plus4>\d{{4}}))?(?![\d-])"
)
# "Chicago, IL" ending a line whose next line is the ZIP alone.
_CITY_STATE_END = re.compile(rf"[A-Za-z.],?\s+(?P<state>{_STATE})\.?,?\s*$")
_ZIP_LINE = re.compile(r"\s*(?P<zip>\d{5})(?:\s?-\s?(?P<plus4>\d{4}))?\s*,?\s*")
_CHEAP_ZIP = re.compile(r"\d\d\d\d\d")
_ZIP_ONLY_LINE = re.compile(r"^[ \t]*\d{5}(?:[ \t]?-[ \t]?\d{4})?[ \t]*,?[ \t]*$", re.M)

_NUMWORDS = "|".join(w.capitalize() for w in NUMBER_WORDS)
# A house number ("1200", "12-B", "One") where it starts a street, and the space after it.
# "W2860 County Road H": rural grid numbers (Wisconsin, northern Illinois) lead with their direction;
# read so only before a road ("County Road", "Highway", "Oak Ln").
_GRID = (r"[NSEW](?=\d{3,6}[ \t]+(?:County|State|Highway|Hwy|[A-Z][a-z]+[ \t]+"
         r"(?:Rd|Road|Ln|Lane|Dr|Drive|St|Street|Ave|Avenue|Ct|Court|Way|Trail|Trl)\b))")
_HOUSE_NUMBER = (rf"(?<![\w#./\-–$§©])(?P<num>(?:{_GRID})?\d{{1,6}}(?:-?[A-Z](?![A-Za-z])|-\d{{1,3}}(?=[ \t]))?"
                 rf"|(?:{_NUMWORDS}))[ \t]+")
# "PO Box 14020", "P.O. Box #12", "Post Office Box 7".
_PO_BOX_RE = r"\b(?:P\.?[ \t]?O\.?|Post[ \t]+Office)[ \t]*(?:Box|Drawer)[ \t]*#?[ \t]*(?P<num>\d{1,7})"
_STREET_START = re.compile(
    _HOUSE_NUMBER +
    r"(?:(?:[NSEW]{1,2}\.?|North|South|East|West|Northeast|Northwest|Southeast|Southwest)[ \t]+)?"
    r"(?![AP]\.?M\b)(?:[A-Z][A-Za-z'’.\-]|\d{1,3}(?:st|nd|rd|th)\b"
    # a one-letter street name before its type: "401 I Street", "1100 K St NW"
    r"|[A-Z](?=[ \t]+(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Way|Pl|Place|Ct|Court|Dr|Drive|Ln|Lane)\b))"
)
_PO_BOX = re.compile(_PO_BOX_RE + r"\b", re.I)
# A number right after these words is a unit, box or district number, not a house number.
_NOT_HOUSE = re.compile(
    r"(?:\b(?:suite|ste|room|rm|floor|fl|unit|apt|no|nos|number|box|bldg|building|district|"
    r"dept|section|sec|rule|op|sjc|case|docket|order|chapter|ch|page|p|pp|title|vol|"
    r"ext|code|law|bill|route|rt|hwy|highway|station|item|ward|copyright)\.?|#|§|©|\(c\))\s*$",
    re.I,
)
_DATE_BEFORE = re.compile(r"[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s*$")
_UNIT = re.compile(
    r"^(?:suite|ste\.?|room|rm\.?|floor|fl\.?|unit|apt\.?|#|bldg\.?|building|lower level|"
    r"garden level|mezzanine|\d{1,3}(?:st|nd|rd|th)\s+floor)\b|\b(?:suite|room|floor)\s*#?\s*\w+",
    re.I,
)
_CITY_TRAIL = re.compile(r"\s+(?:in|at)$", re.I)  # "1234 N. Main St. in Springfield"
_CITY_LEAD = re.compile(r"^(?:in|at|of)\s+", re.I)  # "... St. in Springfield, IL"
_UNIT_TOKEN = re.compile(r"\b(?:suite|ste|room|rm|floor|fl|unit)\.?\s*#?\s*\d+\w*|\b\d{1,3}(?:st|nd|rd|th)\s+floor\b", re.I)
_UNIT_IN_STREET = re.compile(r"\s(?=(?:Suite|Ste\.?|Room|Rm\.?|Unit|Apt\.?|#)\s*#?\d)")
_BUILDING = re.compile(
    r"\b(?:the\s+capitol|state\s+capitol|capitol\s+building|state\s*house|city\s+hall|"
    r"county\s+(?:building|courthouse)|court\s*house|federal\s+building)\b",
    re.I,
)
_MAILING = re.compile(
    r"(?<![-\w])mail(?:ing)?\b|\bcorrespondence\b|\bsend\b|\bremit|\bpayments?\s+to\b|\bpostal\b", re.I
)
_PHYSICAL = re.compile(
    r"\bphysical\b|\bstreet\s+address\b|\bvisit|\blocations?\b|\blocated\b|\bwalk-?\s?ins?\b|"
    r"\bdirections?\b|\bmeet(?:s|ings?)?\b|\bheld\s+at\b|\bin\s+person\b|\bheadquarters\b|"
    r"\bdeliver|\bhearings?\b|\boffices?(?:\s+(?:location|address))?\s*:?\s*$|\boffice\s+(?:location|address)\b|"
    r"\b(?:where\s+to|please)\s+report\b|\breport(?:ing)?\s+(?:to|location)\b|"  # jurors: "Where to Report"
    r"\b(?:office|center|centre|clinic|branch|library|courthouse)\s+is\s+(?:now\s+)?(?:located\s+)?at\s*$",
    re.I,
)
# "Physical & mailing address", "Mailing and physical address": one address for both, a place to visit.
_BOTH = re.compile(r"\bphysical\s*(?:&|and|/)\s*mailing\b|\bmailing\s*(?:&|and|/)\s*physical\b", re.I)
# "How to reach us", "Find us", "Getting here": a visit location.
_VISIT_HEADING = re.compile(r"\bhow\s+to\s+(?:reach|find|get\s+to)\s+us\b|\bfind\s+us\b|\bgetting\s+here\b|"
                            r"\bwhere\s+(?:we\s+are|to\s+find\s+us)\b", re.I)
# A place someone can walk into, named by its head noun: "Eastside Branch", "Columbus Job Center".
_PLACE_NAME = re.compile(
    r"\b(?:office|branch|center|centre|library|courthouse|court\s?house|clinic|station|substation|headquarters|"
    r"building|city\s+hall|town\s+hall|campus|facility|annex|museum|shelter|service\s+center|"
    r"school|academy|park)\W{0,3}$", re.I)
# A section listing such places: "Regional offices", "Locations", "Our branches".
_PLACE_LIST = re.compile(r"\b(?:offices|branches|centers|centres|locations|libraries|clinics|courthouses|"
                         r"stations|facilities|schools|parks)\b", re.I)
_HEADING_LEVEL = re.compile(r"(?:^|>\s?)h([1-6])(?:[#:][^>]*)?$")
_CHROME = re.compile(r"(?:^|[\s>])(?:footer|header|nav)\b|#[\w-]*(?:footer|header|colophon)", re.I)
_MAP_LINK = re.compile(r"maps\.google|google\.[a-z.]+/maps|maps\.apple|bing\.com/maps|mapquest|"
                       r"openstreetmap", re.I)
_LABEL_LINE_MAX = 60
_MAX_LOOKBACK = 4


def extract_addresses(segments: Sequence[Segment]) -> list[Finding]:
    """Find US postal addresses in ``segments`` (document order).

    Returns one :class:`Finding` per occurrence with ``value`` "street[, unit],
    city, ST zip" and ``data`` holding number/street/unit/city/state/zip/plus4
    and kind (physical, mailing or unknown).  Occurrences of the same address
    share the most specific kind seen on the page (:func:`share_kinds`).
    """
    found = find_addresses(segments)
    share_kinds(found)
    return found


def find_addresses(segments: Sequence[Segment]) -> list[Finding]:
    """:func:`extract_addresses` without the kinds shared between occurrences: each one's own."""
    findings: list[tuple[int, Finding]] = []
    used: set[int] = set()  # segments consumed as the street/unit lines of an address
    n = len(segments)
    page = PageText(segments)
    with_zip = set(page.lines_matching(_CHEAP_ZIP))
    # A line holding only a ZIP has five digits in a row: test those lines, not the whole page again.
    before_zip_line = {k - 1 for k in with_zip if k > 0 and _ZIP_ONLY_LINE.match(page.text, page.starts[k])}
    for i in sorted(with_zip | before_zip_line):
        seg = segments[i]
        text = seg.text
        anchors: list[tuple[int, int, str, str, str | None, int]] = []
        if i in with_zip:
            # Look for "ST 12345" only just before each 5-digit run: long lines stay cheap.
            seen = -1
            for z in _CHEAP_ZIP.finditer(text):
                if not _letter_before(text, z.start()):
                    continue
                lo = max(0, z.start() - 40, seen)
                word = _word_before(text, z.start())
                if word >= lo and text[word:word + 2] in ABBREVIATIONS and not text[word + 2:word + 3].isalpha():
                    m = _LOCALITY.match(text, word, z.end() + 8)  # "IL 60601": one anchored try
                else:
                    m = _LOCALITY.search(text, lo, z.end() + 8)
                if m is None or m.start("zip") != z.start():
                    continue
                seen = m.end()
                code = state_code(m.group("state"))
                if code and _has_city_before(text, m.start()):
                    anchors.append((m.start(), m.end(), code, m.group("zip"), m.group("plus4"), i))
        elif i + 1 < n and len(segments[i + 1].text) <= 12 and text[-1:].isalpha():
            zm = _ZIP_LINE.fullmatch(segments[i + 1].text)
            cm = _CITY_STATE_END.search(text) if zm else None
            if cm and (code := state_code(cm.group("state"))):
                anchors.append((cm.start("state"), len(text), code, zm.group("zip"), zm.group("plus4"), i + 1))
        prev_end = 0
        for start, end, code, zip5, plus4, last in anchors:
            found = _build(segments, i, prev_end, start, end, code, zip5, plus4, last, used)
            prev_end = end
            if found:
                findings.append((i, found))
    for i in page.lines_matching(_CHEAP_STATE_END):
        if i in used or i in before_zip_line or len(segments[i].text) > _NOZIP_LINE_MAX:
            continue
        found = _build_nozip(segments, i, used)
        if found:
            findings.append((i, found))
    findings.sort(key=lambda t: t[0])  # stable: the ZIP pass's order within a line is kept
    return [f for _, f in findings]


# --- addresses with no ZIP ---------------------------------------------------------------
_NAME_CASES = sorted({v for n in STATES for v in (n, n.upper())}, key=len, reverse=True)
# Stricter than _STATE: "Oregon"/"OREGON" but not "oregon"; AP style still needs its period.
_STATE_STRICT = (rf"(?:{'|'.join(re.escape(n).replace(chr(92) + ' ', r'[ ]+') for n in _NAME_CASES)}"
                 rf"|(?:{_ABBRS})|D\.[ \t]?C|(?:{_AP})(?=\.))")
_END_PUNCT = r"[ \t.,;:!)\]\"'”’]*"
# Page-level pre-filter: a line ending ", <state>" (one pass, in C).
_CHEAP_STATE_END = re.compile(rf",[ \t]*(?=[A-Z])(?:{_STATE_STRICT})(?![A-Za-z]){_END_PUNCT}$", re.M)
_CITY_WORD = r"[A-Z][A-Za-z'’.\-]*"
# "Salem, OR", "St. Paul, Minn.", "Washington, D.C." ending a line; the city starts the line or follows a comma.
_CITY_STATE_TAIL = re.compile(
    rf"(?:^|,)[ \t]*(?P<city>{_CITY_WORD}(?:[ \t]+(?:{_CITY_WORD}|of|the|de|la|du|on|upon)){{0,3}}),[ \t]*"
    rf"(?P<state>{_STATE_STRICT})(?![A-Za-z])\.?{_END_PUNCT}$"
)
_STREET_TYPES = (
    "Street St Avenue Ave Av Road Rd Boulevard Blvd Way Drive Dr Lane Ln Court Ct Place Pl Plaza Square Sq "
    "Highway Hwy Parkway Pkwy Circle Cir Terrace Ter Trail Trl Turnpike Tpke Pike Expressway Expy Freeway Fwy "
    "Alley Loop Crossing Xing Broadway Mall Row Walk Commons"
).split()
_TYPE_ALT = "|".join(sorted({w for t in _STREET_TYPES for w in (t, t.upper())}, key=len, reverse=True))
_DIRECTION = r"(?:N\.?[EW]\.?|S\.?[EW]\.?|[NSEW]|North|South|East|West|Northeast|Northwest|Southeast|Southwest)\.?"
_NAME_WORD = r"(?:[A-Z][A-Za-z'’.\-]*|\d{1,3}(?:st|nd|rd|th))"
# A whole street piece: house number, 1-4 name words, a street-type word, an optional direction
# ("1200 Example Street NE", "150 West 85th Street"), or a numbered route ("31 Highway 99 E").
_TYPED_STREET = re.compile(
    _HOUSE_NUMBER +
    rf"(?:(?P<name>{_NAME_WORD}(?:[ \t]+(?:{_NAME_WORD}|of|the|de|la)){{0,3}})[ \t]+(?P<type>{_TYPE_ALT})\.?"
    rf"|(?:(?:U\.?S\.?|State|County|Interstate)[ \t]+)?(?:Highway|Hwy\.?|Route|Rte\.?|Road)[ \t]+\d{{1,4}}[A-Z]?)"
    rf"(?:[ \t]+{_DIRECTION})?[ \t]*$"
)
_PO_BOX_PIECE = re.compile(_PO_BOX_RE + r"[ \t]*$", re.I)
# A piece that is only a unit: "Suite 200", "Room 104", "Floor 3", "5th Floor", "#12".
_UNIT_PIECE = re.compile(
    r"(?:suite|ste\.?|room|rm\.?|floor|fl\.?|unit|apt\.?|bldg\.?|building|#)[ \t]*#?[ \t]*[\w\-]{1,6}"
    r"|\d{1,3}(?:st|nd|rd|th)[ \t]+floor",
    re.I,
)
# "Supreme Court", "Circuit Court": a court's name, not a street ending in "Court".
_COURT_NAMES = {"supreme", "circuit", "district", "appellate", "appeals", "superior", "county", "municipal",
                "family", "probate", "juvenile", "housing", "land", "tax", "claims", "bankruptcy", "federal",
                "state", "city", "trial", "traffic", "criminal", "civil", "magistrate", "justice"}
_NOZIP_LINE_MAX = 200
_NOZIP_LOOKBACK = 2


def _street_piece(piece: str) -> tuple[int, str, str, str] | None:
    """A street or PO Box ending ``piece``: (offset, number, kind, street) or None."""
    m = _PO_BOX_PIECE.search(piece)
    if m:
        return m.start(), m.group("num"), "pobox", m.group(0).strip()
    m = _TYPED_STREET.search(piece)
    if not m:
        return None
    before = piece[max(0, m.start() - 24):m.start()]
    if _NOT_HOUSE.search(before) or _DATE_BEFORE.search(before):
        return None
    if m.group("type") and m.group("type").lower() in ("court", "ct") \
            and m.group("name").split()[-1].lower() in _COURT_NAMES:
        return None
    num = m.group("num")
    if num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2099 and before.rstrip().endswith(","):
        return None  # "..., 2019 Harold Washington Way": a year
    return m.start(), _house_number(num), "street", piece[m.start():].strip()


def _house_number(num: str) -> str:
    """The digits of a house number as matched: "1200", "1200-B" -> "1200", "W2860" -> "2860", "One" -> "1"."""
    digits = re.match(r"[NSEW]?(\d+)", num)
    return digits.group(1) if digits else str(NUMBER_WORDS[num.lower()])


def _street_line(text: str) -> tuple[str, str, str, str, list[str]] | None:
    """A line (or the part before the city) that is [label] street[, unit...].

    Returns (label_prefix, number, kind, street, units), or None when the line
    does not end with a street followed only by unit pieces.
    """
    pieces = text.split(",")
    units: list[str] = []
    for p in range(len(pieces) - 1, -1, -1):
        piece = pieces[p].strip()
        if not piece:
            continue
        split = _UNIT_IN_STREET.search(" " + piece)  # "1200 Example Street NE Suite 200"
        tail_unit = ""
        if split and split.start() > 0:
            tail_unit, piece = piece[split.start():].strip(), piece[:split.start() - 1].strip()
            if not _UNIT_PIECE.fullmatch(tail_unit):
                return None
        hit = _street_piece(piece)
        if hit:
            off, number, skind, street = hit
            prefix = ",".join(pieces[:p] + [piece[:off]])
            return prefix, number, skind, street, ([tail_unit] if tail_unit else []) + units[::-1]
        if tail_unit or not _UNIT_PIECE.fullmatch(piece):
            return None
        units.append(piece)
    return None


def _build_nozip(segments, i: int, used: set[int]) -> Finding | None:
    """An address with no ZIP whose "City, ST" ends segment ``i``."""
    text = segments[i].text
    cm = _CITY_STATE_TAIL.search(text)
    if cm is None:
        return None
    code = state_code(cm.group("state"))
    city = cm.group("city").strip()
    if not code or not _clean_city(city) or _UNIT_PIECE.fullmatch(city) or city.split()[-1] in _TYPE_ALT.split("|"):
        return None
    before = text[:cm.start()]  # ends just before the comma (or is the empty line start)
    first, lines = i, []
    if before.strip(" \t,"):
        hit = _street_line(before)
        if hit is None:
            return None
        lines.append(before[len(hit[0]):].strip(" ,"))
    else:
        hit, units_between = None, []
        k = i - 1
        while k >= 0 and i - k <= _NOZIP_LOOKBACK + 1 and k not in used:
            t = segments[k].text.strip()
            if len(t) > 160 or _has_locality(t):
                break
            hit = _street_line(t)
            if hit:
                first = k
                break
            if len(t) > 40 or not _UNIT_PIECE.fullmatch(t.strip(" ,")):
                break
            units_between.append(t.strip(" ,"))
            k -= 1
        if hit is None:
            return None
        hit = (hit[0], hit[1], hit[2], hit[3], hit[4] + units_between[::-1])
        lines.append(segments[first].text.strip()[len(hit[0]):].strip(" ,"))
        lines.extend(units_between[::-1])
    label_prefix, number, skind, street, units = hit
    if len(street) > 80:
        return None
    parts = {"number": number, "street": street, "unit": ", ".join(units) or None, "city": city,
             "state": code, "zip": None, "plus4": None}
    used.update(range(first, i + 1))
    kind, label = _kind(segments, first, label_prefix, skind, i)
    value = ", ".join(b for b in (street, parts["unit"], city, code) if b)
    if first == i:
        shown = [text[len(label_prefix):].strip()]
    else:
        shown = [ln for ln in lines if ln] + [text.strip()]
    return Finding(
        kind="address", value=value, text=" / ".join(shown),
        label=label, source="text", path=segments[first].path, line=segments[first].line,
        section=segments[first].section, office=segments[first].heading, data={**parts, "kind": kind},
    )


def _word_before(text: str, pos: int) -> int:
    """Start of the word that ends just before ``pos`` (past spaces, commas, periods)."""
    k = pos - 1
    while k >= 0 and pos - k <= 5 and text[k] in " \t,.":
        k -= 1
    while k >= 0 and text[k].isalpha():
        k -= 1
    return k + 1


def _has_locality(text: str) -> bool:
    """A "ST 12345" anywhere in ``text`` (its ZIP is looked for first: the state pattern is long)."""
    return _CHEAP_ZIP.search(text) is not None and _LOCALITY.search(text) is not None


def _ends_in_city_state(text: str) -> bool:
    """``text`` ends in "City, ST" (every such ending has its comma)."""
    return "," in text and _CITY_STATE_TAIL.search(text) is not None


def _letter_before(text: str, pos: int) -> bool:
    """Is there a letter (the state) just before ``pos``, past at most a few spaces/commas?"""
    k = pos - 1
    if k < 0 or text[k] not in " \t,.":
        return False
    while k >= 0 and pos - k <= 5 and text[k] in " \t,.":
        k -= 1
    return k >= 0 and text[k].isalpha()


def _has_city_before(text: str, pos: int) -> bool:
    before = text[max(0, pos - 40):pos].rstrip(" ,\t")
    return bool(before) and (before[-1].isalpha() or before[-1] == ".")


def _street_in(text: str) -> tuple[int, str | None, str] | None:
    """The last street start in ``text``: (offset, number, kind) where kind is street/pobox."""
    best: tuple[int, str | None, str] | None = None
    for m in _PO_BOX.finditer(text):
        best = (m.start(), m.group("num"), "pobox")
    for m in _STREET_START.finditer(text):
        if best and m.start() < best[0]:
            continue
        before = text[max(0, m.start() - 24):m.start()]
        if _NOT_HOUSE.search(before) or _DATE_BEFORE.search(before):
            continue
        num = m.group("num")
        if num.isdigit() and len(num) == 4 and 1900 <= int(num) <= 2099 and before.rstrip().endswith(","):
            continue  # "..., 2019 Harold Washington College": a year
        best = (m.start(), _house_number(num), "street")
    return best


def _build(segments, i, prev_end, loc_start, loc_end, code, zip5, plus4, last, used) -> Finding | None:
    """Assemble one address ending at the locality ``text[loc_start:loc_end]`` of segment ``i``."""
    text = segments[i].text
    prev_end = max(prev_end, loc_start - 240)  # an address is short: look back a bounded window
    same = text[prev_end:loc_start]
    lines: list[str] = []  # the address as shown, one entry per line, up to the state
    first = i
    label_prefix = ""
    hit = _street_in(same)
    if hit and len(same) - hit[0] <= 140:
        number, skind = hit[1], hit[2]
        label_prefix = same[:hit[0]]
        lines = [same[hit[0]:]]
    else:
        number, skind = None, "none"
        k, skipped = i - 1, []
        while k >= 0 and i - k <= _MAX_LOOKBACK and k not in used:
            t = segments[k].text
            if len(t) > 160 or _has_locality(t) or _ends_in_city_state(t):
                break  # another address's locality ends here
            h = _street_in(t)
            if h and len(t) - h[0] <= 100:
                number, skind = h[1], h[2]
                label_prefix = t[:h[0]]
                lines = [t[h[0]:]] + skipped[::-1] + [same]
                first = k
                break
            if len(t) > _LABEL_LINE_MAX:
                break
            skipped.append(t)
            k -= 1
        if skind == "none":
            # "Office of the Attorney General / The Capitol / Albany NY 12224": no house number.
            bld = _BUILDING.search(same)
            if bld:
                label_prefix, lines = same[:bld.start()], [same[bld.start():]]
            elif i > 0 and i - 1 not in used and len(segments[i - 1].text) <= 40 \
                    and _BUILDING.search(segments[i - 1].text):
                lines, first = [segments[i - 1].text, same], i - 1
            else:
                return None
            skind = "building"
    # A unit written before the street ("City Hall Room 516 / 601 Lakeside Ave.").
    pre_units = [u for p in label_prefix.split(",") if (u := _unit_in(p))]
    if not pre_units and first > 0 and first - 1 not in used and len(segments[first - 1].text) <= 30 \
            and _UNIT_TOKEN.search(segments[first - 1].text):
        pre_units = [segments[first - 1].text.strip(" ,")]
    zip_text = f"{zip5}-{plus4}" if plus4 else zip5
    parts = _components([ln for ln in lines if ln.strip(" ,")], number, skind, code, zip_text, pre_units)
    if parts is None:
        return None
    parts.update(zip=zip5, plus4=plus4)
    used.update(range(first, last + 1))
    kind, label = _kind(segments, first, label_prefix, skind, last)
    value = ", ".join(b for b in (parts["street"], parts["unit"], parts["city"]) if b)
    value += f", {code} {zip_text}"
    shown = [ln.strip() for ln in lines[:-1] if ln.strip()] if first != i else []
    tail = (lines[-1] if first == i else same).lstrip() + text[loc_start:loc_end]
    if last != i:
        tail += " " + segments[last].text.strip()
    shown.append(tail.strip())
    return Finding(
        kind="address", value=value, text=" / ".join(shown),
        label=label, source="text", path=segments[first].path, line=segments[first].line,
        section=segments[first].section, office=segments[first].heading, data={**parts, "kind": kind},
    )


def _components(lines: list[str], number, skind, code, zip_text, pre_units) -> dict | None:
    """Split the lines before the state into street, unit and city.

    ``usaddress`` names the city (it knows "St. Paul" from "Street"); the street
    and unit come from the comma/line structure as written, so "Garden Level,
    Board Room" survives intact.
    """
    head = ", ".join(ln.strip(" ,") for ln in lines)
    if len(head) > 200:
        return None
    pieces = [p.strip() for p in head.split(",") if p.strip()]
    if not pieces:
        return None
    last_piece = pieces[-1]
    if len(pieces) > 1 and _clean_city(last_piece):
        # "..., Boston, MA" / "St. Paul, MN" on its own line: the comma says where the city is.
        city = _CITY_LEAD.sub("", last_piece)
        pieces = pieces[:-1]
    else:
        city = _usaddress_city(f"{head}, {code} {zip_text}")
        city = _CITY_LEAD.sub("", city)
        if city and last_piece.endswith(city) and (len(pieces) > 1 or len(city) < len(last_piece)):
            rest = last_piece[: -len(city)].strip(" ,")
            pieces = pieces[:-1] + ([rest] if rest else [])
        else:
            city = ""
    if not pieces:
        return None
    street, units = _CITY_TRAIL.sub("", pieces[0]), pieces[1:]
    if skind == "pobox":
        m = _PO_BOX.search(head)
        street = m.group(0) if m else street
    split = _UNIT_IN_STREET.search(street)
    if split and skind == "street":
        units.insert(0, street[split.start():].strip())
        street = street[:split.start()].strip()
    if len(street) > 80 or len(city) > 40:
        return None
    units = pre_units + units
    return {
        "number": number,
        "street": street,
        "unit": ", ".join(units) or None,
        "city": city or None,
        "state": code,
    }


def _unit_in(piece: str) -> str:
    """The unit in a short piece before the street: "City Hall Room 516" whole, "Submit to Room 110" -> "Room 110"."""
    piece = piece.strip(" ,")
    m = _UNIT_TOKEN.search(piece) if len(piece) <= 40 else None
    if not m:
        return ""
    lead = piece[:m.start()].split()
    return piece if all(w[:1].isupper() for w in lead) else piece[m.start():]


def _clean_city(piece: str) -> bool:
    return (len(piece) <= 40 and len(piece.split()) <= 4 and not any(c.isdigit() for c in piece)
            and not _UNIT.search(piece) and not _BUILDING.search(piece))


@lru_cache(maxsize=2048)
def _usaddress_city(address: str) -> str:
    """The PlaceName usaddress finds in ``address`` ("" when none or on a parse error).

    Cached: a site repeats its footer address on every page.
    """
    try:
        import usaddress

        tagged = usaddress.parse(address)
    except Exception:  # usaddress raises on odd tokens; the caller falls back to the comma split
        return ""
    return " ".join(tok.strip(",") for tok, tag in tagged if tag == "PlaceName")


def _kind(segments, first, label_prefix, skind, last) -> tuple[str, str]:
    """physical/mailing/unknown from the words and links around the address."""
    context: list[str] = []
    if label_prefix.strip():
        context.append(label_prefix.strip())
    k = first - 1
    while k >= 0 and first - k <= 3:
        t = segments[k].text
        if len(t) > 200 or _has_locality(t) or _ends_in_city_state(t):
            break  # the end of the address above: its words are not this one's label
        context.append(t)
        k -= 1
    heading = segments[first].heading
    label = ""
    if skind == "pobox":
        kind = "mailing"
    else:
        kind = "unknown"
    for c in context + [heading, segments[first].column_header]:
        if not c:
            continue
        tail = c[-160:]
        m = _MAILING.search(tail)
        if m and not _BOTH.search(tail):
            return "mailing", _short(c, m)
        m = _PHYSICAL.search(tail)
        if kind == "unknown" and m:
            kind, label = "physical", _short(c, m)
    if kind == "unknown":
        for k in range(first, min(len(segments), last + 3)):
            if any(_MAP_LINK.search(h) for h, _ in segments[k].links):
                return "physical", "map link"
    if kind == "unknown":
        place = _named_place(segments, first)
        if place:
            return "physical", place
    if kind == "mailing" and not label:
        label = "PO Box"
    return kind, label


def _named_place(segments, first: int) -> str:
    """The name of the place an address belongs to, when it is a place one visits, else "".

    Only headings count: a card headed "Eastside Branch" or "Columbus Job
    Center", a "How to reach us" heading, or a card under a section heading
    that lists places ("Regional offices" above "Region 1 – Kalispell").  A
    building name inside a contact block ("Oklahoma Judicial Center / 2100 N
    Lincoln Blvd.") is not a label (corpus convention), and site header and
    footer blocks are left alone: an unlabelled footer address stays unknown.
    """
    seg = segments[first]
    if _CHROME.search(seg.path) or _CHROME.search(seg.section):
        return ""
    heading = seg.heading
    if heading and len(heading) <= 80 and (_PLACE_NAME.search(heading) or _VISIT_HEADING.search(heading)):
        return heading
    # The section heading above the card's own heading.
    k = first - 1
    own_level = None
    while k >= 0 and first - k <= 60:
        t = segments[k]
        level = _HEADING_LEVEL.search(t.path)
        if level:
            n = int(level.group(1))
            if own_level is None:
                if t.text != heading:
                    return ""
                own_level = n
            elif n < own_level:
                return t.text if len(t.text) <= 60 and _PLACE_LIST.search(t.text) else ""
        k -= 1
    return ""


def _short(text: str, m: re.Match) -> str:
    """The label line itself when short ("Mailing Address"), else the matched words."""
    text = text.strip(" |:;,-–—\t")
    return text if len(text) <= 40 else m.group(0).strip(" |:;,-–—")


def share_kinds(findings: list[Finding]) -> None:
    """An address labelled physical (or mailing) once on a page is that kind everywhere on it."""
    best: dict[tuple, str] = {}
    for f in findings:
        key = _kind_key(f)
        k = f.data.get("kind")
        if k != "unknown":
            if best.get(key, k) != k:
                best[key] = "conflict"
            else:
                best[key] = k
    for f in findings:
        key = _kind_key(f)
        if f.data.get("kind") == "unknown" and best.get(key) in ("physical", "mailing"):
            f.data["kind"] = best[key]


def _kind_key(f: Finding) -> tuple:
    """(number, zip); an address with no ZIP is told apart by its city instead."""
    zip5 = f.data.get("zip")
    return (f.data.get("number"), zip5 or ("city", (f.data.get("city") or "").lower()))
