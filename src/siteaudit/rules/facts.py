"""Page facts the rules need beyond the ``pages`` row: headings, text, dates, type.

:func:`page_facts` is pure (a parsed tree in, a dict out); the crawler calls it
once per HTML page and stores the result with :func:`store_page_facts` in the
``page_text`` table.  :func:`detect_page_types` guesses what kind of page it
is from its URL, title and headings.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from lxml import etree

from ..model import Segment
from ..store import PAGE_TEXT_DDL, ensure_table, insert_rows

# The extractors (``..extract``) are imported where they are used, not here: this module is
# imported by the crawler process (for the page_text table) and by the rules, neither of
# which runs an extractor, and importing them all costs ~0.2 s of every start.

MAX_TEXT = 200_000

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH_RE = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
             r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE_RES = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b"),
    re.compile(_MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", re.I),
    re.compile(r"(?P<d>\d{1,2})\s+" + _MONTH_RE + r",?\s+(?P<y>\d{4})", re.I),
    re.compile(_MONTH_RE + r",?\s+(?P<y>\d{4})", re.I),  # "Page reviewed: March 2025" = 1st
]
_UPDATED = re.compile(
    r"\b(?:(?:last|page)\s+(?:updated|modified|reviewed|revised)|updated\s+on|reviewed\s+on|"
    r"date\s+(?:last\s+)?(?:updated|modified|reviewed)|content\s+last\s+reviewed)\b\s*(?:on|:)?\s*",
    re.I)


def parse_date(text: str) -> date | None:
    """The first date at the start of ``text`` (after a few characters at most)."""
    best = None
    for rx in _DATE_RES:
        m = rx.search(text[:40])
        if m and (best is None or m.start() < best[0]):
            try:
                best = (m.start(), _to_date(m))
            except ValueError:
                continue
    return best[1] if best else None


def _to_date(m: re.Match) -> date:
    g = m.groupdict()
    year = int(g["y"])
    if year < 100:
        year += 2000
    month = _MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["m"])
    return date(year, month, int(g.get("d") or 1))


# Every branch of _UPDATED holds one of these words.
_UPDATED_WORDS = ("updated", "modified", "reviewed", "revised")


def find_last_updated(text: str) -> str | None:
    """The ISO date of the first "last updated/modified", "page reviewed" note, or None."""
    from ..extract._scan import may_hold

    if not may_hold(text, _UPDATED_WORDS):
        return None  # most pages have no such note: str.find says so far faster than the re.I scan
    for m in _UPDATED.finditer(text):
        found = parse_date(text[m.end():])
        if found:
            return found.isoformat()
    return None


def page_facts(root: etree._Element, url: str, segments: list[Segment] | None = None) -> dict:
    """Facts about one parsed HTML page for the rules.

    Returns ``{"headings": [str], "text": str, "last_updated": "YYYY-MM-DD" | None}``;
    ``headings`` are the h1 texts, then the other headings in document order
    (no repeats); ``text`` is the visible text (one line per segment) cut to
    about 200 KB.
    Never raises on odd markup.  ``segments`` (from the extractors, which
    segment the same tree) saves segmenting the page a second time.
    """
    if segments is None:
        from ..extract.text import segment

        segments = segment(root)
    headings: list[str] = []
    seen: set[str] = set()  # a list lookup per heading would be quadratic on a page of many headings
    # the h1s first (the page's own name; a first <h2> is often "Site navigation"), then the rest in order
    for el in [*root.iter("h1"), *root.iter("h2", "h3", "h4", "h5", "h6")]:
        # a heading of plain text needs no XPath evaluation; " ".join(split()) is re.sub(r"\s+", " ", ...).strip()
        text = " ".join((el.text_content() if len(el) else (el.text or "")).split())
        if text and text not in seen:
            seen.add(text)
            headings.append(text)
    text = "\n".join(s.text for s in segments)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT]
    return {"headings": headings[:200], "text": text, "last_updated": find_last_updated(text)}


def store_page_facts(db, run_id: int, url: str, facts: dict) -> None:
    """Write one page's facts into ``page_text`` (creating the table if needed)."""
    ensure_table(db, PAGE_TEXT_DDL)
    insert_rows(db, "page_text", [{"run_id": run_id, "url": url, "headings": facts.get("headings") or [],
                                   "text": facts.get("text") or "", "last_updated": facts.get("last_updated")}],
                replace=True)


# Page types from the title/first heading (each name on its own) and the URL path.
_NAME_TYPES = [
    ("customer-service", re.compile(r"\bcustomer (service|care)\b")),
    ("contact", re.compile(r"\bcontact(ing)? (us|the \w+|information)\b|^contact\b|\bget in touch\b")),
    ("locations", re.compile(r"\b(locations|find an? office|office (finder|locator|directory)|"
                             r"(field|local|our|regional) offices|offices near you)\b")),
    # a name that *ends* in office ("Salem Field Office"), not "Office closures" or "Judicial Branch"
    ("office", re.compile(r"\b(office|service cent(er|re)|(?<!judicial )(?<!executive )(?<!legislative )branch)$")),
    ("about", re.compile(r"\babout\b")),
]
_PATH_TYPES = [
    ("customer-service", re.compile(r"customer[-_ ]?(service|care)")),
    ("contact", re.compile(r"contact")),
    ("about", re.compile(r"about")),
]
_ONE_PLACE = re.compile(r"/(offices?|locations?|branch(es)?)/(?!index\b|find|search)[^/?#]+")
_LIST_PATH = re.compile(r"/(offices?|locations?|branch(es)?)(/index\.\w+)?$|/locations?\b|office[-_]?finder|"
                        r"find[-_]an?[-_]office|office[-_]?locator")
_TITLE_SEP = re.compile(r"\s+[|\u2013\u2014-]\s+|:\s+|\s+::\s+")
# Every pattern above needs one of these words (names and paths are searched in lower case):
# most pages have none, and one search for them is cheaper than the dozen searches.
_TYPE_WORDS = re.compile(r"customer|contact|get in touch|location|office|service cent|branch|about")


def detect_page_types(url: str, title: str = "", headings: list[str] | None = None) -> set[str]:
    """The page types of a page: contact, locations, office, customer-service, about.

    Looks at the title's first part ("Salem Field Office | Agency" → "Salem
    Field Office"), the first heading (page_facts puts the h1 first) and the
    URL path.  An office page is about one office ("Salem Field Office",
    /offices/salem); a locations page lists them ("Find an office",
    /offices/, /locations).  A page may have several types.
    """
    names = [_TITLE_SEP.split(title or "")[0]] + list((headings or [])[:1])
    names = [n for n in (n.strip().lower() for n in names if n and n.strip()) if _TYPE_WORDS.search(n)]
    # The path is part of the URL: without those words in the URL, the path patterns see ""
    # (urlsplit drops tabs and newlines first: they could join a word).
    if _TYPE_WORDS.search(url.lower()) or any(c in url for c in "\t\r\n"):
        path = urlsplit(url).path.lower().rstrip("/")
    else:
        path = ""
    found = {kind for kind, rx in _NAME_TYPES if any(rx.search(n) for n in names)}
    found |= {kind for kind, rx in _PATH_TYPES if rx.search(path)}
    if _ONE_PLACE.search(path):
        found.add("office")
    elif _LIST_PATH.search(path):
        found.add("locations")
    if "office" in found and "locations" in found:
        found.discard("locations" if _ONE_PLACE.search(path) else "office")
    return found
