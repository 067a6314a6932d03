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

from ..extract.text import segment
from ..store import ensure_table, insert_rows

MAX_TEXT = 200_000

PAGE_TEXT_DDL = """
CREATE TABLE IF NOT EXISTS page_text (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL,
    headings TEXT,                     -- JSON list of heading texts, in order
    text TEXT,                         -- visible text, one line per segment, <= 200 KB
    last_updated TEXT,                 -- ISO date of a "last updated" note, or NULL
    PRIMARY KEY (run_id, url)
);
"""

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


def find_last_updated(text: str) -> str | None:
    """The ISO date of the first "last updated/modified", "page reviewed" note, or None."""
    for m in _UPDATED.finditer(text):
        found = parse_date(text[m.end():])
        if found:
            return found.isoformat()
    return None


def page_facts(root: etree._Element, url: str) -> dict:
    """Facts about one parsed HTML page for the rules.

    Returns ``{"headings": [str], "text": str, "last_updated": "YYYY-MM-DD" | None}``;
    ``text`` is the visible text (one line per segment) cut to about 200 KB.
    Never raises on odd markup.
    """
    segments = segment(root)
    headings: list[str] = []
    for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if text and text not in headings:
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


# Page types: (type, URL pattern, title/heading pattern).  The first heading and
# the title decide; the URL path is a fallback.  A page may have several types.
_TYPE_PATTERNS = [
    ("customer-service", r"customer[-_ ]?service|customer[-_ ]?care", r"\bcustomer (service|care)\b"),
    ("contact", r"contact", r"\bcontact(ing)? (us|the \w+|information)\b|^contact\b|\bget in touch\b"),
    ("locations", r"locations?\b|offices/?$|office[-_]?finder|find[-_]an?[-_]office|office[-_]?locator",
     r"\b(locations|find an? office|office (finder|locator|directory)|(field|local|our|regional) offices|"
     r"offices near you)\b"),
    # a name that *ends* in office ("Salem Field Office"), not "Office closures"
    ("office", r"/(offices?|locations?|branch(es)?)/[^/?#]+", r"\b(office|service cent(er|re)|branch)\s*(\||$)"),
    ("about", r"about", r"\babout\b"),
]


def detect_page_types(url: str, title: str = "", headings: list[str] | None = None) -> set[str]:
    """The page types of a page: contact, locations, office, customer-service, about.

    Looks at the title (its part before " | ") and the first heading, then
    the URL path.  An
    office page is a single office ("Salem Field Office", /offices/salem); a
    locations page lists them ("Find an office", /locations).
    """
    names = [title or ""] + list((headings or [])[:1])
    # the title's first part ("Salem Field Office | Agency") and the headings, one per line
    parts = [re.split(r"\s+[|\u2013\u2014-]\s+", names[0])[0]] + names[1:]
    label = " | ".join(n.strip() for n in parts if n and n.strip()).lower()
    path = urlsplit(url).path.lower().rstrip("/") + ("/" if urlsplit(url).path.endswith("/") else "")
    found: set[str] = set()
    for kind, url_rx, text_rx in _TYPE_PATTERNS:
        if re.search(text_rx, label) or re.search(url_rx, path):
            found.add(kind)
    if "office" in found and "locations" in found:
        # "Find an office" lists offices; /offices/salem is one office
        if re.search(r"/(offices?|locations?|branch(es)?)/[^/?#]+", path) and not re.search(
                r"(index|find|finder|locator)", path):
            found.discard("locations")
        else:
            found.discard("office")
    if "office" in found and re.search(r"\boffices\b", label) and not re.search(r"\boffice\b", label):
        found.discard("office")
    return found
