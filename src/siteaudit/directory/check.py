"""Person check: every place on the site where one person appears (for on/offboarding).

Given an email, a phone or a name, find the directory entries it means, then
every finding of the run that shows that person's email, any of their phones
or their name (in the finding's text, label or office heading).  Works for
people who are not in the directory too: then only the value given is sought.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .diff import CONTEXT_FIELDS, PAGE_TEXT
from .importers import parse_phones
from .model import DirectoryEntry, Occurrence
from .names import NameIndex, name_key, names_match

__all__ = ["PersonCheck", "check_person", "classify_query"]


@dataclass
class PersonCheck:
    """The answer: what was asked, whom it matched, what was sought, where it was seen."""

    query: str
    query_kind: str  # email | phone | name
    entries: list[DirectoryEntry] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def pages(self) -> list[str]:
        return sorted({o.url for o in self.occurrences})


def classify_query(query: str) -> tuple[str, str]:
    """``(kind, normalized)``: email (lower-cased), phone (E.164) or name.

    Raises ValueError for text that is neither (no @, not a phone, no first+last name).
    """
    q = query.strip()
    if "@" in q:
        return "email", q.lower().removeprefix("mailto:")
    if sum(c.isdigit() for c in q) >= 7:
        phones = parse_phones(q)  # ValueError when not a full number
        return "phone", phones[0]
    if name_key(q) is None:
        raise ValueError(f"{query!r} is not an email, a phone number or a first and last name")
    return "name", q


def _base(phone: str) -> str:
    return phone.split(";ext=", 1)[0]


def check_person(query: str, entries: Iterable[DirectoryEntry], findings: Iterable[dict]) -> PersonCheck:
    """Find every finding that shows the person ``query`` names (see module docstring)."""
    kind, value = classify_query(query)
    entries = list(entries)
    if kind == "email":
        matched = [e for e in entries if e.email == value]
    elif kind == "phone":
        matched = [e for e in entries if value in e.phones]
    else:
        matched = [e for e in entries if e.is_person and any(names_match(value, n) for n in (e.name,) + e.aliases)]
    result = PersonCheck(query, kind, matched)
    result.emails = sorted({e.email for e in matched if e.email} | ({value} if kind == "email" else set()))
    # a phone another entry also holds (main line, desk phone handed on) would find other people
    holders: dict[str, int] = {}
    for e in entries:
        for p in e.phones:
            holders[p] = holders.get(p, 0) + 1
    own = {p for e in matched for p in e.phones if holders[p] == 1}
    result.phones = sorted(own | ({value} if kind == "phone" else set()))
    result.names = list(dict.fromkeys(n for e in matched if e.is_person for n in (e.name,) + e.aliases))
    if kind == "name" and not any(names_match(value, n) for n in result.names):
        result.names.append(value)
    index = NameIndex([(n, n) for n in result.names])
    # a phone given without an extension also finds it shown with one
    bare = {p for p in result.phones if ";ext=" not in p}
    seen: set[tuple] = set()
    found_pages: set[str] = set()
    for f in sorted(findings, key=lambda f: f.get("kind") == PAGE_TEXT):  # findings before page lines
        hits: list[tuple[str, str, str]] = []
        fval = f.get("value") or ""
        if f.get("kind") == "email" and fval.lower() in result.emails:
            hits.append(("email", fval.lower(), "text"))
        if f.get("kind") == "phone" and (fval in result.phones or _base(fval) in bare):
            hits.append(("phone", fval, "text"))
        for fld in CONTEXT_FIELDS:
            for name in index.find(f.get(fld) or ""):
                if f.get("kind") == PAGE_TEXT and f["url"] in found_pages:
                    continue  # the page already shows the person with their contact details
                hits.append(("name", name, fld))
        for match, val, fld in hits:
            if match == "name":  # one name shown once, whichever of its spellings matched
                key = (f["url"], match, fld, f.get(fld)) if fld != "text" else (
                    f["url"], f.get("path"), f.get("line"), match)
            else:
                key = (f["url"], f.get("path"), f.get("line"), match, val)
            if key in seen:
                continue
            seen.add(key)
            found_pages.add(f["url"])
            text = f.get(fld) if match == "name" and fld != "text" else f.get("text")
            result.occurrences.append(Occurrence(
                url=f["url"], match=match, value=val, text=text or "", path=f.get("path") or "",
                line=f.get("line"), office=f.get("office") or "", label=f.get("label") or "",
                finding_id=f.get("id")))
    result.occurrences.sort(key=lambda o: (o.url, o.line or 0, o.path, o.match))
    return result
