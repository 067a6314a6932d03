"""Site-wide consistency: the same office or contact shown differently on different pages.

* :func:`office_inconsistencies` — an office (by normalized name) shown with
  different phones, addresses, hours or emails on different pages.  Two pages
  disagree on a kind when both show values of that kind (and, for phones,
  the same phone type; for addresses the same address kind) and neither
  page's set contains the other's.
* :func:`shared_contacts` — the same phone or email attached to differently
  named offices or people (outside the site-wide header/footer).  Often
  legitimate (a central line), so rules report it for review.

Which office a finding belongs to: on an office page, the office the page is
about (its first heading); elsewhere, its block, unless the block's name is a
generic heading ("Appointments", "Call us", "Email us").

Each inconsistency names every page involved with what it shows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from .data import RunData, decode_data, decode_flags, field_matches, is_chrome

_NAME_NOISE = re.compile(r"\b(the|office|offices|field|branch|location|dhs|odhs|oha)\b|[^a-z0-9 ]")
# Block headings that describe a kind of contact, not who it belongs to.
_GENERIC = re.compile(
    r"^\s*(appointments?|schedul\w*|hours|contact\w*|call|email|e-mail|write|visit|phone|fax|tty|toll-?free|"
    r"main line|mailing|address(es)?|locations?|directions|give|feedback|file|complaints?|language|"
    r"accessibility|questions|help|more|general|request|our|get|how|where|when|find|need|for)\b", re.I)


@lru_cache(maxsize=4096)  # block names repeat on every page (the footer's agency block)
def office_key(name: str) -> str:
    """A name for matching the same office across pages ("Salem Field Office" ~ "Salem office")."""
    key = _NAME_NOISE.sub(" ", (name or "").lower())
    return re.sub(r"\s+", " ", key).strip()


@lru_cache(maxsize=4096)
def is_generic(name: str) -> bool:
    """Is a block name a generic heading ("Appointments", "Call us") rather than an office or person?"""
    return not office_key(name) or bool(_GENERIC.match(name or ""))


def _subkind(f: dict) -> str:
    if f["kind"] == "phone":
        return "fax" if field_matches("fax", f) else "tty" if field_matches("tty", f) else "voice"
    if f["kind"] == "address":
        return ((f.get("data") or {}).get("kind") or "unknown").lower()
    return ""


@lru_cache(maxsize=4096)
def _phone_subkind(phone_type, label) -> str:
    return _subkind({"kind": "phone", "phone_type": phone_type, "label": label, "flags": []})


@lru_cache(maxsize=4096)
def _address_subkind(data) -> str:
    return _subkind({"kind": "address", "data": decode_data(data)})


def _page_name(page) -> str:
    return (page.headings[:1] or [re.split(r"\s+[|\u2013\u2014-]\s+", page.title or "")[0]])[0]


def attributed(run: RunData) -> list[tuple[str, str, str, str, str, bool]]:
    """``(url, office name, kind, value, subkind, in_chrome)`` for findings of a named office or person.

    On an office page every finding outside the header/nav/footer belongs to
    the office the page is about (its first heading); elsewhere a finding
    belongs to its block, unless the block's name is generic.  It reads every
    finding of the run (one query, streamed), so it is computed once per run and
    shared by both site-wide checks (compact tuples: a few MB at 20,000 pages).
    """
    cached = run.derived.get("attributed")
    if cached is not None:
        return cached
    out = []
    url_now, page, page_office = None, None, ""
    for url, kind, value, flags, path, phone_type, label, data, in_block, block_name, block_path \
            in run.findings_with_blocks():
        if url != url_now:
            url_now, page = url, run.pages.get(url)
            page_office = _page_name(page) if page is not None and "office" in page.types else ""
        if page is None or not value or (flags is not None and "invalid" in decode_flags(flags)):
            continue
        in_chrome = is_chrome((block_path or "") if in_block else path)
        if page_office and not in_chrome:
            name = page_office
        elif in_block and not is_generic(block_name or ""):
            name = block_name or ""
        else:
            continue
        subkind = _phone_subkind(phone_type, label) if kind == "phone" else \
            _address_subkind(data) if kind == "address" else ""
        out.append((url, name, kind, value, subkind, in_chrome))  # False on an office page's own findings
    run.derived["attributed"] = out
    return out


def _office_values(run: RunData) -> dict[str, dict[str, dict]]:
    """office key -> page url -> {"name", "values": {(kind, subkind): set}}."""
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for url, name, kind, value, subkind, _ in attributed(run):
        entry = out[office_key(name)].setdefault(url, {"name": name, "values": defaultdict(set)})
        entry["values"][(kind, subkind)].add(value)
    return out


MAX_LISTED = 10  # pages named in a message; the evidence lists them all


def _conflicting(value_sets: list) -> bool:
    """True unless every two sets are comparable (one holds the other): a page may
    show fewer of an office's numbers, not different ones.  The sets are comparable
    pairwise exactly when the distinct ones, by size, each hold the one before; so
    the check is linear in the pages, not quadratic (an office in every footer)."""
    distinct = sorted({frozenset(v) for v in value_sets}, key=len)
    return any(not a <= b for a, b in zip(distinct, distinct[1:]))


def office_inconsistencies(run: RunData, kinds: list[str]) -> list[dict]:
    """Offices shown with conflicting ``kinds`` values on different pages.

    Returns ``[{"office", "kind", "pages": [{"url", "name", "values"}], "message"}]``.
    """
    results = []
    for key, pages in sorted(_office_values(run).items()):
        if len(pages) < 2:
            continue
        slots = sorted({slot for entry in pages.values() for slot in entry["values"] if slot[0] in kinds})
        for slot in slots:
            shown = [(url, e["name"], e["values"][slot]) for url, e in sorted(pages.items()) if e["values"].get(slot)]
            if not _conflicting([v for _, _, v in shown]):
                continue
            kind = slot[0] + (f" ({slot[1]})" if slot[1] and slot[1] not in ("voice", "unknown") else "")
            listing = "; ".join(f"{url}: {', '.join(sorted(v))}" for url, _, v in shown[:MAX_LISTED])
            if len(shown) > MAX_LISTED:
                listing += f"; and {len(shown) - MAX_LISTED} more pages"
            results.append({
                "office": shown[0][1], "kind": kind, "url": shown[0][0],
                "pages": [{"url": u, "name": n, "values": sorted(v)} for u, n, v in shown],
                "message": f"office {shown[0][1]!r} shows different {kind} on {len(shown)} pages: {listing}",
            })
    return results


def shared_contacts(run: RunData, kinds: list[str]) -> list[dict]:
    """The same phone/email value attached to offices with different names."""
    seen: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for url, name, kind, value, subkind, in_chrome in attributed(run):
        # the site-wide footer contact is shared by design; faxes are often shared too
        if in_chrome or kind not in kinds or (kind == "phone" and subkind == "fax"):
            continue
        seen[(kind, value)][name].add(url)
    results = []
    for (kind, value), names in sorted(seen.items()):
        if len({office_key(n) for n in names}) < 2:
            continue
        pages = sorted({u for urls in names.values() for u in urls})
        listing = "; ".join(f"{n!r} on {', '.join(sorted(u))}" for n, u in sorted(names.items()))
        results.append({
            "office": "", "kind": kind, "value": value, "url": pages[0],
            "pages": [{"url": u, "names": sorted(n for n, us in names.items() if u in us)} for u in pages],
            "message": f"{kind} {value} is attached to {len({office_key(n) for n in names})} different names: "
                       f"{listing}",
        })
    return results
