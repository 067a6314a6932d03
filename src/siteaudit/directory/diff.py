"""Compare a staff directory with the contact details a crawl found (pure, no I/O).

Input: :class:`DirectoryEntry` values and the ``findings`` rows of one run
(dicts with url, kind, value, text, label, office, path, line, data).  Output:
:class:`DirectoryResult` values, one per (category, person, value):

- departed: a terminated person's email, own phone or name is on the site;
- mismatch: the site shows a person with a phone/email the directory does not
  give them;
- unknown: a personal-looking email, or a person's name shown with a phone,
  that matches nobody in the directory;
- missing: an active public contact (or shared mailbox/main line) shown
  nowhere on the site;
- ok: a directory value or name seen on the site, consistent.

How findings are tied to people: email and phone by exact value (emails
lower-case, phones E.164 with ``;ext=``); names by looking for directory names
in the finding's own ``text``, then its ``label``, then its ``office`` heading
(the nearest one that names somebody wins).  A phone number held by several
directory entries (a desk phone handed on, a team line) only counts for the
person named next to it, or for a shared entry that holds it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from .business_days import DEFAULT_CALENDAR, BusinessCalendar
from .model import Category, DirectoryEntry, DirectoryResult, Occurrence
from .names import NameIndex, guess_person_names, name_key

__all__ = ["diff_directory", "effective_status", "is_personal_email", "CONTEXT_FIELDS"]

CONTEXT_FIELDS = ("text", "label", "office")
# Rows of this kind are visible lines of a page (directory.store.load_page_lines), not findings:
# they only show names, and come after the findings.
PAGE_TEXT = "page_text"
_ORDER = {c: i for i, c in enumerate((Category.DEPARTED, Category.MISMATCH, Category.UNKNOWN, Category.MISSING, Category.OK))}
_ROLE_WORDS = frozenset(
    "info contact contacts help helpdesk support admin office webmaster web hr jobs careers records "
    "licensing license permits billing press media news general inquiries questions service services "
    "customerservice feedback noreply no-reply team staff reception frontdesk main public".split()
)
# numbers a directory does not list per person: a fax or TTY next to a name is no mismatch
_NOT_A_DESK_PHONE = frozenset({"fax", "tty", "sms", "tollfree"})
_PERSONAL_LOCAL = re.compile(r"^[a-z]+[._-][a-z]+\d*$")


def is_personal_email(email: str, data: dict | None = None) -> bool:
    """Whether an email looks like a person's rather than a role mailbox.

    The extractor's ``data["role"]`` decides when present; otherwise a
    "first.last"-shaped local part with no role word counts as personal.
    """
    if data and isinstance(data.get("role"), bool):
        return not data["role"]
    local = email.split("@", 1)[0].lower()
    return bool(_PERSONAL_LOCAL.match(local)) and not (set(re.split(r"[._-]", local)) & _ROLE_WORDS)


def effective_status(entry: DirectoryEntry, as_of: date) -> str:
    """active, leave, terminated or future, as of ``as_of``.

    An end date on or before ``as_of`` means gone whatever the status column
    says; a terminated person whose end date is still ahead is active until then;
    a start date after ``as_of`` means not started yet.
    """
    if entry.end_date and entry.end_date <= as_of:
        return "terminated"
    if entry.status == "terminated":
        return "active" if entry.end_date else "terminated"
    if entry.start_date and entry.start_date > as_of:
        return "future"
    return entry.status


@dataclass
class _Seen:
    """What the site shows, gathered per directory entry and for nobody."""

    by_entry: dict[int, list[Occurrence]] = field(default_factory=lambda: defaultdict(list))
    mismatches: dict[tuple[int, str], list[Occurrence]] = field(default_factory=lambda: defaultdict(list))
    mismatch_detail: dict[tuple[int, str], str] = field(default_factory=dict)
    unknown: dict[tuple[str, str], list[Occurrence]] = field(default_factory=lambda: defaultdict(list))
    unknown_detail: dict[tuple[str, str], str] = field(default_factory=dict)


def diff_directory(
    entries: Iterable[DirectoryEntry],
    findings: Iterable[dict],
    *,
    as_of: date,
    window: int = 3,
    calendar: BusinessCalendar = DEFAULT_CALENDAR,
) -> list[DirectoryResult]:
    """Compare ``entries`` with a run's ``findings``; results sorted by category, person.

    ``window`` is the policy's business-day window for updating the site after
    a departure or a start (3 for OBMI).  ``as_of`` is "today".
    """
    entries = list(entries)
    by_row = {e.row: e for e in entries}
    by_email = {e.email: e for e in entries if e.email}
    by_phone: dict[str, list[DirectoryEntry]] = defaultdict(list)
    for e in entries:
        for p in e.phones:
            by_phone[p].append(e)
    names = NameIndex(((e.name,) + e.aliases, e.row) for e in entries if e.is_person)
    all_names = _NameSet(n for e in entries if e.is_person for n in (e.name,) + e.aliases)
    seen = _Seen()
    name_seen: set[tuple[int, str, str]] = set()
    findings = sorted(findings, key=lambda f: f.get("kind") == PAGE_TEXT)  # stable: findings first
    in_element = _people_by_element(findings, by_email, names)

    for f in findings:
        data = _data(f)
        ctx_rows, _ = _context_people(f, names, in_element)
        # every directory name in the finding's context is an occurrence of that person
        for fld in CONTEXT_FIELDS:
            for row in names.find(f.get(fld) or ""):
                key = (row, f["url"], f.get(fld) or "")
                if f.get("kind") == PAGE_TEXT and any(o.url == f["url"] for o in seen.by_entry[row]):
                    continue  # already seen on this page with its contact details
                if key not in name_seen:
                    name_seen.add(key)
                    seen.by_entry[row].append(_occ(f, "name", by_row[row].name, fld))
        kind, value = f.get("kind"), (f.get("value") or "")
        if kind == "email" and value:
            _email_finding(f, value.lower(), data, by_email, by_row, ctx_rows, seen, all_names)
        elif kind == "phone" and value:
            _phone_finding(f, value, by_phone, by_row, ctx_rows, seen, all_names)

    results: list[DirectoryResult] = []
    for e in entries:
        results.extend(_entry_results(e, seen, as_of, window, calendar))
    for (row, value), occs in seen.mismatches.items():
        e = by_row[row]
        if effective_status(e, as_of) == "terminated":
            continue  # reported as departed
        occs = _without_own_phone_nearby(occs, seen.by_entry.get(row, []))
        if not occs:
            continue
        results.append(DirectoryResult(
            Category.MISMATCH, e.label, value, _kind_of(value), occs, entry_row=e.row,
            detail=seen.mismatch_detail[(row, value)]))
    for (person, value), occs in seen.unknown.items():
        results.append(DirectoryResult(
            Category.UNKNOWN, person, value, _kind_of(value), occs, detail=seen.unknown_detail[(person, value)]))
    results.sort(key=lambda r: (_ORDER[r.category], r.person.lower(), r.value))
    return results


def _data(f: dict) -> dict:
    d = f.get("data")
    if isinstance(d, str):
        try:
            d = json.loads(d)
        except ValueError:
            d = {}
    return d if isinstance(d, dict) else {}


def _people_by_element(findings: list[dict], by_email: dict, names: NameIndex) -> dict[tuple, list[int]]:
    """People shown in each HTML element (url, CSS path): by their own email or their name.

    "Ana Beltrán, Manager<br>ana.beltran@...<br>(503) 555-0159" is one element:
    the phone belongs to the person whose email sits next to it.
    """
    out: dict[tuple, list[int]] = defaultdict(list)
    for f in findings:
        if not f.get("path"):
            continue
        key = (f["url"], f["path"])
        rows = names.find(f.get("text") or "") + names.find(f.get("label") or "")
        owner = by_email.get((f.get("value") or "").lower()) if f.get("kind") == "email" else None
        if owner is not None and owner.is_person:
            rows.append(owner.row)
        for row in rows:
            if row not in out[key]:
                out[key].append(row)
    return out


def _context_people(f: dict, names: NameIndex, in_element: dict[tuple, list[int]]) -> tuple[list[int], str]:
    """Directory people shown with a finding, from the nearest context that names any:
    its own text, its label, the same HTML element, then its office/card heading."""
    for fld in ("text", "label"):
        rows = names.find(f.get(fld) or "")
        if rows:
            return rows, fld
    rows = in_element.get((f["url"], f.get("path") or ""), [])
    if rows and f.get("path"):
        return rows, "element"
    rows = names.find(f.get("office") or "")
    return (rows, "office") if rows else ([], "")


def _occ(f: dict, match: str, value: str, fld: str = "") -> Occurrence:
    text = f.get(fld) if fld in ("label", "office") else f.get("text")
    return Occurrence(
        url=f["url"], match=match, value=value, text=text or "", path=f.get("path") or "",
        line=f.get("line"), office=f.get("office") or "", label=f.get("label") or "", finding_id=f.get("id"),
    )


def _kind_of(value: str) -> str:
    return "email" if "@" in value else ("phone" if value.startswith("+") else "name")


class _NameSet:
    """Directory names as (last, canonical first) pairs, for a quick "is this anybody?"."""

    def __init__(self, names: Iterable[str]):
        self._keys = {(k.last, form) for k in map(name_key, names) if k for form in k.first_forms}

    def __contains__(self, name: str) -> bool:
        key = name_key(name)
        return key is not None and any((key.last, form) in self._keys for form in key.first_forms)


def _unknown_names(f: dict, all_names: _NameSet) -> list[str]:
    """Guessed person names near the finding that match no directory name."""
    for fld in CONTEXT_FIELDS:
        guessed = guess_person_names(f.get(fld) or "")
        if guessed:
            return [g for g in guessed if g not in all_names]
    return []


def _email_finding(f, value, data, by_email, by_row, ctx_rows, seen: _Seen, all_names) -> None:
    owner = by_email.get(value)
    if owner is not None:
        seen.by_entry[owner.row].append(_occ(f, "email", value))
    if ctx_rows:
        if owner is not None and (owner.row in ctx_rows or not owner.is_person):
            return  # the person's own address, or a shared mailbox shown with them
        if owner is None and not is_personal_email(value, data):
            return  # a team mailbox shown next to a person ("email inspections@ or call Dana")
        if len(ctx_rows) == 1:
            person = by_row[ctx_rows[0]]
            key = (person.row, value)
            seen.mismatches[key].append(_occ(f, "email", value))
            has = f"the directory has {person.email}" if person.email else "the directory has no email for them"
            other = f"; {value} belongs to {owner.label}" if owner is not None else ""
            seen.mismatch_detail[key] = f"site shows {value} for {person.label}, {has}{other}"
        return
    if owner is None and is_personal_email(value, data):
        unknown = _unknown_names(f, all_names)
        person = unknown[0] if unknown else ""
        key = (person, value)
        seen.unknown[key].append(_occ(f, "email", value))
        seen.unknown_detail[key] = "personal-looking email that is in no directory entry"


def _phone_finding(f, value, by_phone, by_row, ctx_rows, seen: _Seen, all_names) -> None:
    holders = by_phone.get(value, [])
    named = [e for e in holders if e.row in ctx_rows]
    shared = [e for e in holders if not e.is_person]
    if named:
        counted = named
    elif len(holders) == 1:
        counted = holders
    else:
        counted = shared  # several people hold it: it proves none of them is listed
    for e in counted:
        seen.by_entry[e.row].append(_occ(f, "phone", value))
    if ctx_rows:
        if named or shared or len(ctx_rows) != 1 or f.get("phone_type") in _NOT_A_DESK_PHONE:
            return
        person = by_row[ctx_rows[0]]
        key = (person.row, value)
        seen.mismatches[key].append(_occ(f, "phone", value))
        has = f"the directory has {', '.join(person.phones)}" if person.phones else "the directory has no phone for them"
        other = f"; {value} belongs to {', '.join(h.label for h in holders)}" if holders else ""
        seen.mismatch_detail[key] = f"site shows {value} for {person.label}, {has}{other}"
        return
    for person in _unknown_names(f, all_names):
        key = (person, value)
        seen.unknown[key].append(_occ(f, "phone", value))
        held = f"; the directory has this number for {', '.join(h.label for h in holders)}" if holders else ""
        seen.unknown_detail[key] = f"{person} is shown with this phone but is in no directory entry{held}"


def _without_own_phone_nearby(candidates: list[Occurrence], own: list[Occurrence]) -> list[Occurrence]:
    """Drop a phone mismatch shown in the same element or card as the person's own number:
    the card has their right number, the other one is another line (a cell, a front desk)."""
    near = [o for o in own if o.match == "phone"]
    return [c for c in candidates if c.match != "phone" or not any(
        o.url == c.url and (o.path == c.path or (o.office and o.office == c.office)) for o in near)]


def _summary(occs: list[Occurrence]) -> tuple[str, str]:
    """The values seen, emails then phones then names: ("a@x; +1503...; Jane Doe", "email,phone,name")."""
    order = {"email": 0, "phone": 1, "name": 2}
    pairs = sorted({(o.match, o.value) for o in occs}, key=lambda p: (order.get(p[0], 3), p[1]))
    kinds = list(dict.fromkeys(m for m, _ in pairs))
    return "; ".join(v for _, v in pairs), ",".join(kinds)


def _entry_results(e: DirectoryEntry, seen: _Seen, as_of: date, window: int, cal: BusinessCalendar) -> list[DirectoryResult]:
    """The departed, ok or missing result of one entry (one row per person)."""
    status = effective_status(e, as_of)
    occs = seen.by_entry.get(e.row, [])
    if status == "terminated":
        if not occs:
            return []
        days = cal.business_days_between(e.end_date, as_of) if e.end_date else None
        passed = days > window if days is not None else None
        if e.end_date:
            due = cal.add_business_days(e.end_date, window)
            due_text = "the site should have been updated by" if passed else "update the site by"
            detail = f"left {e.end_date.isoformat()}, {days} business days ago; {due_text} {due.isoformat()}"
        else:
            detail = "terminated, no end date in the directory"
        value, kinds = _summary(occs)
        return [DirectoryResult(Category.DEPARTED, e.label, value, kinds, occs, e.row, days, passed, detail)]
    if occs:
        value, kinds = _summary(occs)
        note = {"leave": "on leave", "future": f"starts {e.start_date}"}.get(status, "")
        return [DirectoryResult(Category.OK, e.label, value, kinds, occs, e.row, detail=note)]
    out: list[DirectoryResult] = []
    on_site = any(row == e.row for row, _ in seen.mismatches)
    if status == "active" and e.public_contact and not on_site:
        if e.start_date:
            days = cal.business_days_between(e.start_date, as_of)
            passed = days > window
            detail = (f"started {e.start_date.isoformat()}, {days} business days ago; "
                      + ("onboarding window passed" if passed else f"within the {window}-business-day onboarding window"))
        else:
            days, passed, detail = None, True, "public contact with no start date (treated as established)"
        value = e.email or (e.phones[0] if e.phones else e.name)
        kind = "email" if e.email else ("phone" if e.phones else "name")
        out.append(DirectoryResult(Category.MISSING, e.label, value, kind, [], e.row, days, passed, detail))
    return out
