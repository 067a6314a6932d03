"""Phone numbers and short codes from visible text and ``tel:`` links.

Input is the page's :class:`~siteaudit.model.Segment` lines; output is one
:class:`~siteaudit.model.Finding` per occurrence:

* ``kind="phone"``: ``value`` is E.164 (US default region) with ``;ext=N`` when
  an extension is shown; ``phone_type`` is voice, fax, tty, sms or tollfree,
  taken from the nearest label word (before the number, after it, a lone label
  line above it, or the table column header) and, failing a fax/tty/sms label,
  from the number itself (8XX is toll-free).
* ``kind="short_code"``: 311, 711, ``*911``, 988 ("dial 988 and press 1"),
  "TTY number 7771", SMS codes ("Text HELP to 41411", phone_type sms) and the
  like, kept apart from E.164 numbers.

Flags: ``tel-mismatch`` (the ``tel:`` link around the number dials another
number), ``invalid`` (a labelled number that is not a valid North American
number), ``no-tel-link`` (the number is shown without a ``tel:`` link).

Dates, ZIP+4 codes, docket numbers, statute citations, prices and meeting IDs
do not match: a number must have the 3-3-4 shape with separators (or an area
code in parentheses), must not be glued to other digits, letters, ``$`` or
``#``, and is skipped after words such as "Meeting ID" or "Docket".  Every
pattern is linear (no nested quantifiers), so long digit runs stay fast.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Iterable

import phonenumbers

from ..model import Finding, Segment

__all__ = ["extract_phones", "normalize_phone", "phone_type_from_label", "LABEL_RE"]

_DASH = "\\-\u2010\u2011\u2012\u2013\u2014"
_SEP = f"[ \u00a0.{_DASH}]"

# A North American number: optional +1/1, area code, exchange, line.
# A number may follow a letter only through "(": inline markup often glues
# "Request Info(773) 265-5343" together.
_START = rf"(?:(?<![\w+*$#@/.{_DASH}])|(?<=[A-Za-z])(?=\())"
_PHONE_RE = re.compile(
    _START +
    rf"(?:\+?1 ?{_SEP}? ?)?"
    rf"(?:\( ?(?P<a1>\d{{3}}) ?\) ?{_SEP}? ?|(?P<a2>\d{{3}}) ?(?:{_SEP}|/) ?)"
    rf"(?P<ex>\d{{3}}) ?{_SEP} ?(?P<ln>\d{{4}})"
    rf"(?![\w{_DASH}/]|[.,]\d)"
)
# What every _PHONE_RE match holds: exchange, separator, line ("555-0100").  The full pattern opens
# with lookbehinds, so the engine tries it at every position of a line; this test skips the lines
# (most of those with digits) where it cannot match, at character-class speed.
_EXCHANGE_LINE_RE = re.compile(rf"\d\d\d ?{_SEP} ?\d\d\d\d")
_MAX_AREA_PART = 15  # the longest start of a _PHONE_RE match before its exchange: "+1 - ( 312 ) - "
# Ten digits with no separators, only accepted after "+1" ("+13125551212").
_PLUS_RE = re.compile(r"(?<![\w+])\+1 ?(?P<a1>\d{3})(?P<ex>\d{3})(?P<ln>\d{4})(?!\d)")
# Vanity numbers: 1-800-FLOWERS, 773-COLLEGE, 216-575-EYES (3937).
_VANITY_RE = re.compile(
    _START +
    rf"(?:\+?1 ?{_SEP}? ?)?"
    rf"(?:\( ?(?P<a1>\d{{3}}) ?\) ?{_SEP}? ?|(?P<a2>\d{{3}}) ?{_SEP} ?)"
    rf"(?P<local>(?:[A-Za-z0-9]{{3}}{_SEP}[A-Za-z0-9]{{4}}|[A-Za-z0-9](?:[-.]?[A-Za-z0-9]){{6}})[A-Za-z]{{0,4}})"
    r"(?![\w-])"
    rf"(?P<digits> ?\(\d{{3}}[{_DASH}]?\d{{4}}\)| ?\(\d{{4}}\))?"
)
# Cheap test for "area code, then letters soon after" before the vanity scan.
_VANITY_HINT_RE = re.compile(rf"\d[) .{_DASH}]{{1,3}}[A-Za-z0-9]{{0,3}}[A-Za-z]")
# International numbers written with a + and a country code other than 1.
_INTL_RE = re.compile(r"(?<![\w+])\+(?!1)[2-9]\d{0,2}(?:[ .\-]?\(?\d{1,4}\)?){2,5}(?![\w])")
_EXT_RE = re.compile(
    r" ?[,;]? ?\(? ?(?:ext\.?|extension|ex\.|x\.?) ?:? ?(?:#|no\.?)? ?(?P<ext>\d{1,6})\)?(?!\d)", re.I
)

# Label words, most specific first; single letters need a colon ("P:", "F:")
# or a capital letter right before a number ("F 312.555.0101").  Every word
# starts at a word boundary so "Atty." is not TTY and "Fairfax" is not a fax.
_LABELS: list[tuple[str, str]] = [
    ("tty", r"\b(?:tty(?:/tdd)?|tdd(?:/tty)?|teletype|text ?telephone|relay(?: service)?|hearing[- ]impaired"
            r"|deaf|videophone|vp)\b"),
    ("fax", r"\b(?:fax(?:ed)?|facsimile|telefax)\b|\bf(?= ?:)|\b(?-i:F)\.?(?= \(?\d{3})"),
    ("tollfree", r"\b(?:toll[- ]?free|free ?phone|free ?call)\b"),
    ("sms", r"\b(?:text(?:ing)?(?: message)?|sms|txt)\b"),
    ("voice", r"\b(?:telephone|phone|tel|ph|call(?:ing)?|main|voice|cell|mobile|hotline|helpline"
              r"|switchboard|office|direct)\b|\b[pto](?= ?:)|\b(?-i:[PTO])\.?(?= \(?\d{3})"),
]
LABEL_RE = re.compile("|".join(f"(?P<{kind}>{pat})" for kind, pat in _LABELS), re.I)
_LABEL_ONLY_RE = re.compile(r"^[\w /&().-]{1,30}:$")
# Words that make the digits that follow something else than a phone number.
_NOT_PHONE_RE = re.compile(
    r"(?:meeting|webinar|conference|participant|access|event)\s*(?:id|number|code|#)|passcode|password|pin\b"
    r"|\b(?:case|docket|account|invoice|permit|order|ticket|file|cause|claim|parcel|isbn|license)\s*(?:no\.?|number|#)?\s*:?\s*$",
    re.I,
)
_SHORT_RE = re.compile(
    rf"(?P<star>(?<![\w*])\*\d{{2,4}})(?!\w)|(?<![\w.$#/{_DASH}])(?P<code>[2-9]11|[2-9]-1-1|988|9-8-8|\d{{4,6}})"
    rf"(?![\w{_DASH}/]|[.,]\d)"
)
_SHORT_BEFORE_RE = re.compile(
    r"\b(?:dial(?:ing)?|call(?:ing)?|tty|tdd|relay(?:\s+(?-i:[A-Z][a-z]+)){0,2}|text(?:ing)?|sms|phone|emergency|"
    r"hotline|short ?code|number|or)\W{0,3}$", re.I  # "relay" may name its state: "Relay Colorado: 711"
)
_SHORT_AFTER_RE = re.compile(r"^\W{0,3}(?:relay|for (?:the )?(?:tele|relay|emergenc|non-emergenc|city|service))",
                             re.I)
# Lines worth a full scan: three digits in a row, "1-800", a star code or a "+" before a digit
# (\d{3}|\*\d\d|\d-[18]-[18]|\+\d).  Opening with a character class lets the regex engine skip
# to digits, "*" and "+" instead of trying every branch at every position; the lookbehinds
# re-check which one it stopped at.
_CANDIDATE_RE = re.compile(r"[\d*+](?:(?<=\d)(?:\d\d|-[18]-[18])|(?<=\*)\d\d|(?<=\+)\d)")
_ANY_DIGIT_RE = re.compile(r"\d")
_TOLLFREE_AREAS = frozenset({"800", "833", "844", "855", "866", "877", "888"})


@lru_cache(maxsize=4096)  # phonenumbers.parse costs ~50 us; a site repeats its tel: links on every page
def normalize_phone(raw: str, region: str = "US") -> tuple[str, bool] | None:
    """Parse ``raw`` (digits, letters, a ``tel:`` href) into ``(E.164[;ext=N], valid)``.

    Returns None when ``raw`` cannot be a phone number at all.
    """
    raw = raw.strip()
    if raw.lower().startswith("tel:"):
        raw = raw[4:].lstrip("/ ")
    raw = raw.replace("%20", " ").split("?")[0]
    ext = ""
    if ";" in raw:  # RFC 3966 parameters: keep ;ext=, drop ;phone-context= and the like
        raw, *params = raw.split(";")
        ext = next((p.split("=", 1)[1] for p in params if p.lower().startswith("ext=")), "")
    raw = phonenumbers.convert_alpha_characters_in_number(raw) + (f" ext. {ext}" if ext.isdigit() else "")
    try:
        num = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(num):
        return None
    value = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    if num.extension:
        value += f";ext={num.extension}"
    return value, phonenumbers.is_valid_number(num)


@lru_cache(maxsize=4096)
def phone_type_from_label(label: str) -> str | None:
    """The phone type a label word stands for ("Fax:" → fax), or None."""
    m = LABEL_RE.search(label or "")
    return m.lastgroup if m else None


def _caption(text: str) -> bool:
    """A line that is essentially a label word ("Phone", "Fax Number", "TDD (hearing impaired)"),
    not a name ("Office of Security"); a note in parentheses after the label does not count."""
    m = LABEL_RE.search(text)
    if not m:
        return False
    if text.endswith((")", "):")):
        text = _TRAILING_NOTE.sub("", text)
    return len(text) <= len(m.group(0)) + 8


_TRAILING_NOTE = re.compile(r"\s*\([^()\d]{1,40}\)\s*:?$")


def _caption_context(line: str) -> tuple[str | None, str] | None:
    """``(type, line)`` when a short line is a caption ("Phone", "Fax Number") for the numbers below it."""
    if _ANY_DIGIT_RE.search(line) or not _caption(line):
        return None
    return phone_type_from_label(line), line


def _final_type(label_type: str | None, value: str) -> str:
    if label_type in ("fax", "tty", "sms", "tollfree"):
        return label_type
    return "tollfree" if value[2:5] in _TOLLFREE_AREAS and value.startswith("+1") else "voice"


class _Match:
    __slots__ = ("start", "end", "text", "value", "valid", "ext", "vanity")

    def __init__(self, start, end, text, value, valid, ext, vanity=False):
        self.start, self.end, self.text = start, end, text
        self.value, self.valid, self.ext, self.vanity = value, valid, ext, vanity


_DIGIT_SPACE_BEFORE = re.compile(r"\d[ \u00a0]$")
_SPACE_DIGIT_AFTER = re.compile(r"[ \u00a0]\d")


def _spaces_only(shown: str) -> bool:
    return not re.search(rf"[().{_DASH}/]", shown)


@lru_cache(maxsize=4096)
def _valid_e164(value: str) -> bool:
    return phonenumbers.is_valid_number(phonenumbers.parse(value))


def _nanp(area: str, exchange: str) -> bool:
    return area[0] not in "01" and exchange[0] not in "01" and area[1:] != "11"


class _Spans:
    """Non-overlapping (start, end) spans kept sorted: overlap checks in O(log n), not O(n)."""

    __slots__ = ("starts", "ends")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, s: int, e: int) -> bool:
        k = bisect_right(self.starts, s)
        if k and self.ends[k - 1] > s:
            return False  # the span starting at or before s reaches past it
        return not (k < len(self.starts) and self.starts[k] < e)

    def add(self, s: int, e: int) -> None:
        k = bisect_right(self.starts, s)
        self.starts.insert(k, s)
        self.ends.insert(k, e)


def _without(text: str, matches: list[_Match], blank: bool = False) -> str:
    """``text`` with the (sorted, non-overlapping) matches cut out, or blanked with spaces."""
    if not matches:
        return text
    parts: list[str] = []
    pos = 0
    for m in matches:
        parts.append(text[pos:m.start])
        if blank:
            parts.append(" " * (m.end - m.start))
        pos = m.end
    parts.append(text[pos:])
    return "".join(parts)


def _find_numbers(text: str, tel_values: set[str]) -> list[_Match]:
    found: list[_Match] = []
    taken = _Spans()
    free = taken.free

    scans = []  # (pattern, where its first match can start)
    exchange_line = _EXCHANGE_LINE_RE.search(text)
    if exchange_line:
        # A number starts at most 15 characters ("+1 - (312) - ") before its exchange.
        scans.append((_PHONE_RE, max(0, exchange_line.start() - _MAX_AREA_PART)))
    if "+1" in text:
        scans.append((_PLUS_RE, 0))
    for rx, start in scans:
        for m in rx.finditer(text, start):
            area = m.group("a1") or m.groupdict().get("a2")
            if not _nanp(area, m.group("ex")) and f"+1{area}{m.group('ex')}{m.group('ln')}" not in tel_values:
                continue
            if _spaces_only(m.group(0)) and (_DIGIT_SPACE_BEFORE.search(text, 0, m.start())
                                             or _SPACE_DIGIT_AFTER.match(text, m.end())):
                continue  # "1000 250 300 4000": a row of figures, not a number
            end, ext = m.end(), None
            em = _EXT_RE.match(text, end)
            if em:
                end, ext = em.end(), em.group("ext")
            if not free(m.start(), end):
                continue
            value = f"+1{area}{m.group('ex')}{m.group('ln')}"
            valid = _valid_e164(value)
            if ext:
                value += f";ext={ext}"
            found.append(_Match(m.start(), end, text[m.start():end].strip(), value, valid, ext))
            taken.add(m.start(), end)
    if _VANITY_HINT_RE.search(text):
        for m in _VANITY_RE.finditer(text):
            local = m.group("local")
            letters = sum(c.isalpha() for c in local)
            if letters < 2 or not free(m.start(), m.end()):
                continue
            area = m.group("a1") or m.group("a2")
            digits = phonenumbers.convert_alpha_characters_in_number(local)
            digits = re.sub(r"\D", "", digits)[:7]
            value = f"+1{area}{digits}"
            # Mixed-case words ("(773) College") only count when a tel: link confirms them.
            if not (local.upper() == local or value in tel_values):
                continue
            if not _nanp(area, digits[:3]) or not _valid_e164(value):
                continue
            found.append(_Match(m.start(), m.end(), m.group(0).strip(), value, True, None, vanity=True))
            taken.add(m.start(), m.end())
    if "+" in text:
        for m in _INTL_RE.finditer(text):
            if not free(m.start(), m.end()):
                continue
            parsed = normalize_phone(m.group(0))
            if parsed and parsed[1]:
                found.append(_Match(m.start(), m.end(), m.group(0).strip(), parsed[0], True, None))
                taken.add(m.start(), m.end())
    found.sort(key=lambda x: x.start)
    return found


_CLAUSE_END_RE = re.compile(r"[.;|•·!?]\s")


def _label_before(gap: str, lookahead: str = "") -> re.Match | None:
    """The label word that qualifies the number after ``gap``.

    The nearest label wins, except that a TTY/text/toll-free word earlier in
    the same clause beats a generic "call"/"phone" ("TTY users call ...").
    ``lookahead`` (the start of the number) lets "P 312..." be read as a label.
    """
    window = gap[-40:]
    limit = len(window)
    found = [m for m in LABEL_RE.finditer(window + lookahead[:3]) if m.end() <= limit]
    if not found:
        return None
    last = found[-1]
    if last.lastgroup == "voice":
        for m in reversed(found[:-1]):
            if m.lastgroup in ("tty", "sms", "tollfree") and not _CLAUSE_END_RE.search(window, m.end()):
                return m
    return last


_AFTER_RE = re.compile(rf"^ ?(?:[{_DASH}] )?(?:{LABEL_RE.pattern})", re.I)


_BRACKET_RE = re.compile(rf"^ ?(?:[{_DASH}] )?[(\[]([^()\[\]]{{1,40}})[)\]]")


def _label_after(gap: str, has_next: bool) -> tuple[str, str | None, int]:
    """``(label, type, characters used)`` of a label right after a number, or ``("", None, 0)``.

    "(fax)", "(voice/TTY)" (the specific word wins), " - Fax", " phone".
    """
    b = _BRACKET_RE.match(gap)
    if b:
        found = list(LABEL_RE.finditer(b.group(1)))
        if found:
            pick = next((m for m in found if m.lastgroup != "voice"), found[0])
            return b.group(1).strip(), pick.lastgroup, b.end()
    m = _AFTER_RE.match(gap)
    if not m:
        return "", None, 0
    rest = gap[m.end():]
    # "555-1212 Fax: 555-1313": a label that leads into the next number is not ours.
    if rest.lstrip().startswith(":") or (has_next and not rest.strip(" ,;|•·-–")):
        return "", None, 0
    label = m.group(0).strip(f" ()[]{_DASH}")
    return label, phone_type_from_label(label), m.end()


def _tel_links(seg: Segment) -> list[tuple[str, str, str | None]]:
    """The ``(value, anchor text, href)`` of each tel: link of a segment."""
    out = []
    for href, anchor in seg.links:
        if href[:4].lower() != "tel:":
            continue
        parsed = normalize_phone(href)
        out.append((parsed[0] if parsed else "", anchor, href))
    return out


def extract_phones(segments: Iterable[Segment]) -> list[Finding]:
    """Find phone numbers and short codes in ``segments`` (visible text + tel: links).

    Returns findings in document order.  A number shown several times gives
    one finding per occurrence; a tel: link that shows no number gives a
    ``source="link"`` finding.
    """
    findings: list[Finding] = []
    pending: list[tuple[str | None, str]] = []  # lone "Label:" lines waiting for their numbers
    context: tuple[str | None, str] | str | None = None  # a caption's (type, text), or a line not yet tested
    last_text = ""
    for seg in segments:
        text = seg.text
        previous, last_text = last_text, text
        tels = _tel_links(seg) if seg.links else []
        if not tels and not _CANDIDATE_RE.search(text):
            stripped = text.strip()
            if len(stripped) > 30:
                pending, context = [], None
            elif stripped.endswith(":") and _LABEL_ONLY_RE.match(stripped):
                pending.append((phone_type_from_label(stripped), stripped.rstrip(":").strip()))
            elif len(stripped) < 25 and not pending:
                # Maybe a caption such as "Phone" for the numbers below (else it clears the context):
                # kept as the bare line, and only tested if a number below needs a label.
                context = stripped
            elif len(stripped) < 25 and (caption := _caption_context(stripped)):
                context = caption
            else:
                pending, context = [], None
            continue
        tel_values = {v for v, _, _ in tels if v}
        matches = _find_numbers(text, tel_values)
        shown_values = set()
        consumed = 0
        for i, m in enumerate(matches):
            gap = text[consumed:m.start]
            if _NOT_PHONE_RE.search(gap[-30:]):
                consumed = m.end
                continue
            before = _label_before(gap, m.text)
            next_start = matches[i + 1].start if i + 1 < len(matches) else len(text)
            after_label, after_type, used = _label_after(text[m.end:next_start], i + 1 < len(matches))
            consumed = m.end + used
            label, ltype = "", None
            if before is not None:
                label, ltype = before.group(0), before.lastgroup
            elif after_type is not None:
                label, ltype = after_label, after_type
            elif pending:
                ltype, label = pending.pop(0)
            else:
                if isinstance(context, str):
                    context = _caption_context(context)
                if context:
                    ltype, label = context
                elif seg.column_header and phone_type_from_label(seg.column_header):
                    label, ltype = seg.column_header, phone_type_from_label(seg.column_header)
            if ltype == "tty" and _RELAYED.search(gap[-40:]):
                label, ltype = "", None  # "dial 711 and ask for 775-328-3100": the voice line, reached by relay
            if not m.valid and not (label or m.value.split(";")[0] in tel_values):
                continue
            flags = [] if m.valid else ["invalid"]
            data: dict = {"ext": m.ext} if m.ext else {}
            base = m.value.split(";")[0]
            around = [t for t in tels if t[1] and m.text in t[1]]
            if around and any(v.split(";")[0] != base for v, _, _ in around):
                flags.append("tel-mismatch")
                data["tel"] = around[0][2]
            elif not any(v.split(";")[0] == base for v, _, _ in tels):
                flags.append("no-tel-link")
            if m.vanity:
                data["vanity"] = True
            shown_values.add(base)
            findings.append(_finding(seg, "phone", m.value, m.text, label, "text",
                                     _final_type(ltype, m.value), flags, data))
        # A line holding nothing but numbers leaves the remaining lone labels
        # for the next lines ("Telephone:" / "Fax:" then two number lines).
        rest = _without(text, matches)
        if rest.strip(" ,;|•·-–/()"):
            pending, context = [], None
        codes = _short_codes(seg, text, matches, previous)
        findings += codes
        for value, anchor, href in tels:
            if not value:
                if not any(href[4:].lstrip("/ ").strip() == c.value for c in codes):
                    findings += _short_code_link(seg, href, anchor)
                continue
            if value.split(";")[0] in shown_values:
                continue
            if any(c.isdigit() for c in anchor) and anchor in text and _find_numbers(anchor, {value}):
                continue  # shown (and flagged) above
            ltype = phone_type_from_label(anchor)
            findings.append(_finding(seg, "phone", value, anchor or href, anchor if ltype else "", "link",
                                     _final_type(ltype, value), [], {"tel": href}))
            shown_values.add(value.split(";")[0])
    return findings


def _finding(seg: Segment, kind, value, text, label, source, ptype, flags, data) -> Finding:
    return Finding(kind=kind, value=value, text=text, label=label, source=source, path=seg.path,
                   line=seg.line, phone_type=ptype, flags=flags, data=data, section=seg.section)


def _short_codes(seg: Segment, text: str, matches: list[_Match], previous: str = "") -> list[Finding]:
    if not matches and _CODE_ALONE_RE.fullmatch(text.strip()):
        # A code alone on its line, under a caption ("Relay" / "711") or in a table column headed so.
        header = seg.column_header
        caption = previous if _CAPTION_RE.search(previous[-40:]) else (
            header if header and _CAPTION_RE.search(header[-40:]) else None)
        if caption is not None:
            code = text.strip()
            lab = _label_before(caption)
            ptype = "tty" if code == "711" or (lab and lab.lastgroup == "tty") else "voice"
            return [_finding(seg, "short_code", code, code, caption.strip()[-40:], "text", ptype, [], {})]
    masked = _without(text, matches, blank=True)
    out = []
    first = _CANDIDATE_RE.search(masked)
    if first is None:
        return out  # every _SHORT_RE match starts where three digits, "9-1-1" or a star code do
    for m in _SHORT_RE.finditer(masked, first.start()):
        code = m.group("star") or m.group("code").replace("-", "")
        sms = False
        before = masked[max(0, m.start() - 30):m.start()]
        after = masked[m.end():m.end() + 30]
        if m.group("star"):
            pass  # *911, *77: always a dialling code
        elif len(code) == 3 and "-" in m.group(0):
            pass  # "3-1-1" is only ever written for a dialling code
        elif len(code) == 3:  # N11 and 988 need a dialling word before or "Relay"/"for ..." after
            if not (_SHORT_BEFORE_RE.search(before) or _SHORT_AFTER_RE.match(after)
                    or (code == "988" and _LIFELINE_AFTER_RE.match(after))):
                continue
        elif _NOT_SMS_AFTER_RE.match(after):  # 4-6 digits before "residents" or "Main Street"
            continue
        elif _SHORT_LABEL_RE.search(before):  # 4-6 digits: only after TTY/text/dial ...
            pass
        elif ((len(code) >= 5 or not _YEAR_RE.fullmatch(code))
              and _TEXT_TO_RE.search(masked[max(0, m.start() - 60):m.start()])):
            sms = True  # ... or an SMS code: "Text your Stop ID to 41411", "forward scam texts to 7726"
        else:
            continue
        lab = _label_before(before)
        ltype = lab.lastgroup if lab else None
        if sms:
            ltype = "sms"
        if code == "711" or (_SHORT_AFTER_RE.match(after) and "relay" in after.lower()):
            ltype = "tty"
        ptype = ltype if ltype in ("tty", "sms", "fax") else "voice"
        out.append(_finding(seg, "short_code", code, text[m.start():m.end()], lab.group(0) if lab else "",
                            "text", ptype, [], {}))
    return out


_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_RELAYED = re.compile(r"\b(?:ask|asking)\s+(?:them\s+|the\s+operator\s+)?"
                      r"(?:for|to\s+(?:call|dial|connect\s+(?:you\s+)?to))\s*$", re.I)
_CODE_ALONE_RE = re.compile(r"\*?[2-9]11|\*\d{2,4}")
_CAPTION_RE = re.compile(r"(?:emergenc\w*|police|fire|non-emergency|city services|information|relay|tty|tdd"
                         r"|dial|call|crisis|hotline)\W*$", re.I)
# "Text HELP to 41411", "text your Stop ID to 41411": a text verb, a few words, then "to".
_TEXT_TO_RE = re.compile(r"\b(?:text|txt|sms)\b[^.;:!?\d]{0,40}\bto\W{0,3}$", re.I)
# "... sent to 12000 residents", "text us to 20500 Main St.": a count or a house number, not a code.
_NOT_SMS_AFTER_RE = re.compile(
    r"^\s{1,3}(?:[a-z]+s\b|(?:[NSEW]\.?\s+)?[A-Z][a-z]+\s+(?i:st|street|ave|avenue|rd|road|blvd|dr|drive|ln|lane|"
    r"way|ct|court|pl|place|pkwy|parkway|hwy|highway)\b)")
# "988 Suicide & Crisis Lifeline", "988 (press 1)".
_LIFELINE_AFTER_RE = re.compile(r"^\W{0,3}(?:suicide|crisis|lifeline|veterans\s+crisis|and\s+press|press\s+1)", re.I)
_SHORT_LABEL_RE = re.compile(r"\b(?:tty|tdd|text(?:ing)?|sms|relay|short ?code|dial)\W+(?:\w+\W+)?$", re.I)


def _short_code_link(seg: Segment, href: str, anchor: str) -> list[Finding]:
    code = href[4:].lstrip("/ ").strip()
    if not re.fullmatch(r"\*?\d{2,6}", code):
        return []
    ptype = "tty" if code == "711" or phone_type_from_label(anchor) == "tty" else "voice"
    return [_finding(seg, "short_code", code, anchor or href, "", "link", ptype, [], {"tel": href})]
