"""One function per ``expect`` key: a target (page or office block) in, a Check out.

A :class:`Check` is ``ok`` True (pass), False (fail) or None (nothing to check
here: not applicable).  Combination rules live in :func:`combine`:

* keys of one ``expect`` mapping and the items of ``all`` must all hold: any
  failure fails; all not-applicable is not-applicable; otherwise pass;
* ``any`` holds when one alternative passes; when none passes but one fails it
  fails (with every alternative's message); all not-applicable is
  not-applicable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from functools import lru_cache
from urllib.parse import urlsplit

from .data import OfficeData, PageData, RunData, field_matches
from .facts import _DATE_RES, _to_date

TOLL_FREE = ("800", "833", "844", "855", "866", "877", "888")
_RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")
_CLOSURE = re.compile(r"\b(closed|closure|closures|closing|will close|will be closed)\b", re.I)
# Every closure word holds "clos"; under IGNORECASE c, l and o match only themselves in either
# case, and s also matches "ſ" (the long s).  A text without them cannot hold a notice.
_CLOSURE_HINTS = ("clos", "cloſ")
_CLOSURE_LIKE = tuple(f"%{hint}%" for hint in _CLOSURE_HINTS)  # SQL LIKE: ASCII letters in either case


@dataclass
class Check:
    ok: bool | None
    message: str = ""
    evidence: dict = field(default_factory=dict)


@dataclass
class Target:
    """What a rule is checked against: a page, or one office block on a page."""

    page: PageData
    office: OfficeData | None = None

    def findings(self, run: RunData) -> list[dict]:
        found = run.findings.get(self.page.url, [])
        if self.office is None:
            return found
        return [f for f in found if f.get("office_key") == self.office.key]


def _where(target: Target) -> str:
    return f"office {target.office.name!r}" if target.office else "page"


def url_matches_glob(url: str, pattern: str) -> bool:
    """A glob against the full URL or its path (+query); case-insensitive; ``*`` crosses '/'."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    pat = pattern.lower()
    return fnmatchcase(url.lower(), pat) or fnmatchcase(path.lower(), pat)


# -- field checks ------------------------------------------------------------
def check_fields(run: RunData, t: Target, fields: list[str]) -> Check:
    found = t.findings(run)
    present = {name: sorted({f["value"] or f["text"] or "" for f in found if field_matches(name, f)})
               for name in fields}
    missing = [name for name in fields if not present[name]]
    if missing:
        return Check(False, f"{_where(t)} does not show: {', '.join(missing)}",
                     {"missing": missing, "present": {k: v for k, v in present.items() if v}})
    return Check(True, "", {"present": present})


def check_at_least(run: RunData, t: Target, counts: dict[str, int]) -> Check:
    found = t.findings(run)
    short = []
    seen: dict[str, int] = {}
    for name, want in counts.items():
        if name == "office":
            n = 1 if t.office else len(run.offices.get(t.page.url, []))
        else:
            n = len({f["value"] or f["text"] or "" for f in found if field_matches(name, f)})
        seen[name] = n
        if n < want:
            short.append(f"{n} {name} found, at least {want} expected")
    if short:
        return Check(False, f"{_where(t)}: " + "; ".join(short), {"counts": seen, "expected": counts})
    return Check(True, "", {"counts": seen})


def check_email_domains(run: RunData, t: Target, domains: list[str]) -> Check:
    emails = sorted({f["value"] for f in t.findings(run) if f["kind"] == "email" and f["value"]})
    if not emails:
        return Check(None)
    bad = [e for e in emails if not any(e.lower().rsplit("@", 1)[-1] == d or
                                        e.lower().rsplit("@", 1)[-1].endswith("." + d) for d in domains)]
    if bad:
        return Check(False, f"email outside {', '.join(domains)}: {', '.join(bad)}", {"emails": bad})
    return Check(True)


def area_code(value: str) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits[:3] if len(digits) == 10 else None


def check_phone_area_codes(run: RunData, t: Target, codes: list[str]) -> Check:
    phones = sorted({f["value"] for f in t.findings(run) if f["kind"] == "phone" and f["value"]})
    if not phones:
        return Check(None)
    bad = [p for p in phones if (area_code(p) or "") not in set(codes) | set(TOLL_FREE)]
    if bad:
        return Check(False, f"phone outside area codes {', '.join(codes)}: {', '.join(bad)}", {"phones": bad})
    return Check(True)


def _minutes(h: str, m: str) -> int:
    return int(h) * 60 + int(m)


def check_hours_within(run: RunData, t: Target, window: tuple[int, int]) -> Check:
    # a 24/7 line (a crisis or safety line, ODHS/OHA 010-033 §9b) is not office hours: not checked
    hours = [f for f in t.findings(run) if f["kind"] == "hours" and f["value"] and "24/7" not in f["value"]]
    if not hours:
        return Check(None)
    lo, hi = window
    win = f"{lo // 60:02d}:{lo % 60:02d}-{hi // 60:02d}:{hi % 60:02d}"
    outside = []
    for f in hours:
        value = f["value"]
        for m in _RANGE.finditer(value):
            start, end = _minutes(*m.group(1, 2)), _minutes(*m.group(3, 4))
            if start < lo or end > hi or end < start:
                outside.append(value)
                break
    if outside:
        return Check(False, f"hours outside {win}: {'; '.join(sorted(set(outside)))}", {"hours": sorted(set(outside))})
    return Check(True)


@lru_cache(maxsize=4096)  # the same hours repeat on many pages
def _norm_hours(value: str) -> str:
    """Hours for comparison: spacing and case ignored, and "PH off" (closed on holidays) dropped."""
    value = re.sub(r"[;,]?\s*PH\s+off\b", "", value or "", flags=re.I)
    return re.sub(r"\s+", " ", re.sub(r"\s*([;,-])\s*", r"\1", value)).strip().lower()


def check_hours_standard(run: RunData, t: Target, standards: list[str]) -> Check:
    hours = sorted({f["value"] for f in t.findings(run) if f["kind"] == "hours" and f["value"]})
    if not hours:
        return Check(None)
    known = {_norm_hours(s) for s in standards}
    other = [h for h in hours if _norm_hours(h) not in known]
    if other:
        return Check(False, f"hours differ from the standard {' / '.join(standards)} (review): {'; '.join(other)}",
                     {"hours": other, "standard": standards, "review": True})
    return Check(True)


# -- page checks ---------------------------------------------------------------
def _link_ok(run: RunData, edge: dict, matcher: dict) -> bool:
    target = edge["target"]
    if "url" in matcher and not any(url_matches_glob(target, g) for g in matcher["url"]):
        return False
    if "url_regex" in matcher and not any(rx.search(target) for rx in matcher["url_regex"]):
        return False
    if "text" in matcher and not any(rx.search(edge.get("text") or "") for rx in matcher["text"]):
        return False
    if "page_type" in matcher:
        page = run.page_for(target)
        if page is None or not page.types & set(matcher["page_type"]):
            return False
    return True


def describe_matcher(matcher: dict) -> str:
    parts = []
    for key, values in matcher.items():
        shown = [v.pattern if hasattr(v, "pattern") else v for v in values]
        parts.append(f"{key} {' or '.join(shown)}")
    return ", ".join(parts)


def check_links_to(run: RunData, t: Target, matchers: list[dict]) -> Check:
    edges = run.edges.get(t.page.url, [])
    missing, found = [], {}
    for m in matchers:
        hit = next((e for e in edges if _link_ok(run, e, m)), None)
        if hit is None:
            missing.append(describe_matcher(m))
        else:
            found[describe_matcher(m)] = {"target": hit["target"], "text": hit["text"]}
    if missing:
        return Check(False, f"no link to a page matching {'; '.join(missing)}", {"missing": missing, "found": found})
    return Check(True, "", {"found": found})


def check_reachable_within(run: RunData, t: Target, clicks: int) -> Check:
    dist = run.distances().get(t.page.url)
    if dist is None:
        return Check(False, "not reachable from the home page by links", {"clicks": None, "max": clicks})
    if dist > clicks:
        return Check(False, f"{dist} clicks from the home page (at most {clicks} expected)",
                     {"clicks": dist, "max": clicks})
    return Check(True, "", {"clicks": dist})


def _no_text(t: Target) -> Check:
    return Check(None, "no page text stored for this page (crawl did not record it)")


def check_text_matches(run: RunData, t: Target, patterns: list[re.Pattern]) -> Check:
    text = run.text(t.page.url)
    if text is None:
        return _no_text(t)
    missing = [rx.pattern for rx in patterns if not rx.search(text)]
    if missing:
        return Check(False, f"text does not match: {' ; '.join(missing)}", {"missing": missing})
    return Check(True)


def check_text_not_matches(run: RunData, t: Target, patterns: list[re.Pattern]) -> Check:
    text = run.text(t.page.url)
    if text is None:
        return _no_text(t)
    hits = {}
    for rx in patterns:
        m = rx.search(text)
        if m:
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            hits[rx.pattern] = text[start: end if end != -1 else len(text)][:300]
    if hits:
        return Check(False, "text matches: " + " ; ".join(f"{p!s} in {v!r}" for p, v in hits.items()),
                     {"matches": hits})
    return Check(True)


def check_updated_within_days(run: RunData, t: Target, days: int) -> Check:
    if not t.page.has_text:
        return _no_text(t)
    if not t.page.last_updated:
        return Check(False, "no 'last updated' or 'page reviewed' date on the page", {"last_updated": None})
    try:
        when = date.fromisoformat(t.page.last_updated)
    except ValueError:
        return Check(False, f"unreadable 'last updated' date {t.page.last_updated!r}", {})
    age = (run.as_of - when).days
    if age > days:
        return Check(False, f"last updated {when.isoformat()}, {age} days before {run.as_of.isoformat()} "
                            f"(at most {days})", {"last_updated": when.isoformat(), "age_days": age})
    return Check(True, "", {"last_updated": when.isoformat(), "age_days": age})


def check_no_broken_links(run: RunData, t: Target, wanted: bool) -> Check:
    if not wanted:
        return Check(None)
    broken = run.broken_links(t.page.url)
    if broken:
        shown = ", ".join(b["target"] for b in broken[:5]) + (" …" if len(broken) > 5 else "")
        return Check(False, f"{len(broken)} broken link(s): {shown}", {"broken": broken})
    return Check(True)


def check_no_flags(run: RunData, t: Target, spec: dict) -> Check:
    if t.page.url not in run.flagged_urls():
        return Check(True)  # no finding on the page has any flag: its findings need not be read
    flags, kinds = set(spec["flags"]), spec["kinds"]
    bad = [f for f in t.findings(run) if flags & set(f.get("flags") or [])
           and (kinds is None or any(field_matches(k, {**f, "flags": []}) for k in kinds))]
    if bad:
        items = [{"kind": f["kind"], "value": f["value"], "text": f["text"], "flags": f["flags"],
                  "path": f.get("path"), "line": f.get("line"), "data": f.get("data")} for f in bad]
        shown = "; ".join(_flagged(f, flags) for f in bad[:5]) + (" …" if len(bad) > 5 else "")
        return Check(False, f"flagged: {shown}", {"findings": items})
    return Check(True)


def _flagged(f: dict, flags: set[str]) -> str:
    """``phone '(503) 555-0444' (tel-mismatch; link tel:+15035550445)`` for a message."""
    text, value = f.get("text") or "", f.get("value") or ""
    # an email shown as "permits desk" is named by its address; a phone's E.164 value adds nothing
    named = value and f["kind"] != "phone" and value.lower() not in text.lower()
    shown = f"{f['kind']} {text!r}" + (f" = {value}" if named else "")
    notes = sorted(flags & set(f.get("flags") or []))
    link = (f.get("data") or {}).get("tel") or (f.get("data") or {}).get("mailto")
    if link and ("tel-mismatch" in notes or "mailto-mismatch" in notes):
        notes.append(f"link {link}")
    return f"{shown} ({'; '.join(notes)})"


def closure_dates(line: str) -> list[date]:
    out = []
    for rx in _DATE_RES[:4]:  # dates with a day (a bare "March 2025" is too vague)
        for m in rx.finditer(line):
            try:
                out.append(_to_date(m))
            except ValueError:
                continue
    return out


def _lines_matching(text: str, rx: re.Pattern) -> list[str]:
    """The lines of ``text`` that ``rx`` matches, in order, each once: one scan of the
    whole text (a page's lines are not searched one by one)."""
    lines, end = [], -1
    for m in rx.finditer(text):
        if m.start() < end:
            continue  # another match on a line already taken
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        lines.append(text[start:end])
    return lines


def _closure_lines(text: str) -> list[str]:
    """``_lines_matching(text, _CLOSURE)``, searching only the lines that hold a hint (a match
    never spans lines: the closure words are letters and spaces)."""
    low = text.lower()
    if len(low) != len(text):  # a letter whose lower case is longer: positions differ, search it all
        return _lines_matching(text, _CLOSURE)
    starts = set()
    for hint in _CLOSURE_HINTS:
        at = low.find(hint)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            starts.add(start)
            end = text.find("\n", at)
            at = low.find(hint, end) if end >= 0 else -1
    lines = []
    for start in sorted(starts):
        end = text.find("\n", start)
        line = text[start:end] if end >= 0 else text[start:]
        if _CLOSURE.search(line):
            lines.append(line)
    return lines


@lru_cache(maxsize=4096)
def _closure_dates(line: str) -> tuple[date, ...]:
    return tuple(closure_dates(line))  # a footer's notice is on every page: its dates are read once


def check_closure_notices_current(run: RunData, t: Target, wanted: bool) -> Check:
    if not wanted:
        return Check(None)
    if t.page.url not in run.texts_like(*_CLOSURE_LIKE):  # no closure word: its text need not be read
        return Check(None) if t.page.has_text else _no_text(t)
    text = run.text(t.page.url)
    if text is None:
        return _no_text(t)
    stale, current = [], []
    for line in _closure_lines(text):
        dates = _closure_dates(line)
        if not dates:
            continue
        (stale if max(dates) < run.as_of else current).append(line.strip()[:300])
    if stale:
        return Check(False, f"closure notice for a date already past on {run.as_of.isoformat()}: {stale[0]!r}",
                     {"stale": stale})
    return Check(True, "", {"notices": current}) if current else Check(None)


CHECKS = {
    "fields": check_fields,
    "at_least": check_at_least,
    "email_domains": check_email_domains,
    "phone_area_codes": check_phone_area_codes,
    "hours_within": check_hours_within,
    "hours_standard": check_hours_standard,
    "links_to": check_links_to,
    "reachable_within": check_reachable_within,
    "text_matches": check_text_matches,
    "text_not_matches": check_text_not_matches,
    "updated_within_days": check_updated_within_days,
    "no_broken_links": check_no_broken_links,
    "no_flags": check_no_flags,
    "closure_notices_current": check_closure_notices_current,
}


def evaluate_expect(run: RunData, t: Target, expect: dict) -> Check:
    """Evaluate an ``expect`` mapping (keys ANDed) against one target."""
    parts: list[tuple[str, Check]] = []
    for key, spec in expect.items():
        if key == "all":
            parts.append((key, combine_all([evaluate_expect(run, t, sub) for sub in spec])))
        elif key == "any":
            parts.append((key, combine_any([evaluate_expect(run, t, sub) for sub in spec])))
        else:
            parts.append((key, CHECKS[key](run, t, spec)))
    return combine_all([c for _, c in parts], keys=[k for k, _ in parts])


def combine_all(checks: list[Check], keys: list[str] | None = None) -> Check:
    if len(checks) == 1:  # most expectations are one check: the same result as below, without its lists
        c, key = checks[0], keys[0] if keys else "1"
        if c.ok is False:
            return Check(False, c.message, {key: c.evidence})
        if c.ok is None:
            return Check(None, c.message or "")
        return Check(True, "", {key: c.evidence} if c.evidence else {})
    keys = keys or [str(i + 1) for i in range(len(checks))]
    failed = [(k, c) for k, c in zip(keys, checks) if c.ok is False]
    if failed:
        return Check(False, "; ".join(c.message for _, c in failed), {k: c.evidence for k, c in failed})
    if all(c.ok is None for c in checks):
        return Check(None, "; ".join(c.message for c in checks if c.message))
    return Check(True, "", {k: c.evidence for k, c in zip(keys, checks) if c.ok and c.evidence})


def combine_any(checks: list[Check]) -> Check:
    passed = [c for c in checks if c.ok]
    if passed:
        return Check(True, "", passed[0].evidence)
    failed = [c for c in checks if c.ok is False]
    if failed:
        return Check(False, "none of: " + " | ".join(c.message for c in failed),
                     {"alternatives": [c.evidence for c in failed]})
    return Check(None, "; ".join(c.message for c in checks if c.message))
