"""Appointment instructions: how to book one, or that a service is by appointment / walk-in.

A sentence counts when it pairs an appointment word with scheduling language
("call 555-1234 to schedule an appointment", "by appointment only",
"appointments can be made online", "walk-ins welcome"), when a content link
is itself the call to action ("Request an Appointment"), or when a line under
an "Appointments" heading says how to book ("Call 555-1234 to book.").  Not
instructions:

- navigation labels: a line that is only a link inside ``nav``/menu markup, or
  in a link list of the site header/footer or under "Quick Links"
  ("Schedule a Consultation" in the site header);
- appointment in the office-holding sense ("appointed by the Governor",
  "appointments to boards", "court-appointed counsel", "Reappointment of ...").

Methods come from the sentence and its links, and from phone/email findings
on the same line: phone, online, email, in-person, walk-in, appointment-only.

``data["offered"]`` tells offers apart from their negation: "Walk-ins
welcome" or "no appointment is needed" is still reported (it says how to be
served, with method walk-in) but with ``offered`` False, and the evaluator
counts a page as offering appointments only when some finding has
``offered`` True.  Also navigation: a link list above the page's first
heading, outside ``main`` (a site top bar "My Account | Make an Appointment").
"""

from __future__ import annotations

import re
from typing import Sequence
from urllib.parse import urljoin

from ..model import Finding, Segment
from ._scan import PageText

__all__ = ["extract_appointments"]

_VISIT = r"(?:schedule|book|request|reserve)\s+(?:a|your)\s+(?:site\s+|research\s+)?visit"  # "Schedule a visit"
_CHEAP = re.compile(rf"appointment|walk-?\s?ins?\b|consultation|book\s+(?:a|an|your)\s|{_VISIT}\b")  # lower-cased
_CHEAP_STARTS = ("appointment", "walk", "consultation", "book", "schedule", "request", "reserve")  # each match's start
_CHEAP_I = re.compile(_CHEAP.pattern, re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_APPT = r"(?:appointments?|appt\.?s?|consultations?)"
# Between a booking verb and the noun: a determiner and up to three words ("book a plan review
# appointment", "schedule your road test appointment"), or one or two modifiers ("schedule online appointments").
_BETWEEN = (r"(?:(?:(?:an?|your|the|one|my|our|their)\s+)(?:[\w'’-]+\s+){0,3}"
            r"|(?:(?:online|in-person|virtual|free)\s+){1,2})?")
_BOOK = r"(?:make|schedule|book|request|set\s+up|arrange|reserve|reschedule|cancel|confirm)"
# Sentences that offer or require appointments.
_OFFER_ALTS = (
    rf"\b(?:by|with(?:\s+an?)?)\s+{_APPT}\b",
    rf"\b{_APPT}\s+(?:is\s+|are\s+)?(?:also\s+)?(?:(?:strongly|highly)\s+)?"
    rf"(?:only|required|necessary|needed|recommended|preferred|encouraged|available)\b",
    rf"\b{_BOOK}\s+{_BETWEEN}{_APPT}",
    rf"\b{_VISIT}\b",
    rf"\b{_APPT}\s+(?:can|may|must|should|will)\s+be\s+(?:made|scheduled|booked|requested|arranged)",
    rf"\b(?:for|to\s+get)\s+(?:an?\s+)?{_APPT}\b(?!\s+(?:to|of|as|by)\b)",
    rf"^\s*{_APPT}\s*(?::|-|–)\s*\S",
    rf"\b(?:to\s+schedule|scheduling)\b[^.]{{0,40}}\b{_APPT}",
    rf"\b{_APPT}\s+(?:scheduling|booking|request)\s+(?:is\s+)?(?:available|system|portal|form|line|tool|page)\b",
)
# "no appointment", and "no reservation or appointment": one other noun may come first.
_NO = r"\bno\s+(?:[a-z]+\s+(?:or|and|/)\s+)?"
# Sentences about being served without one: instructions too, but no appointment is offered.
_WALK_IN_ALTS = (
    rf"(?:\bwithout\s+an?\s+|{_NO}){_APPT}\b",
    r"\bwalk-?\s?ins?\s+(?:are\s+|is\s+)?(?:welcome|accepted|available|only|served|hours)\b",
    r"\b(?:accepts?|accepting|welcome|no)\s+walk-?\s?ins?\b",
)
_SCHEDULING = re.compile("|".join(_OFFER_ALTS + _WALK_IN_ALTS), re.I)
_OFFER = re.compile("|".join(_OFFER_ALTS), re.I)
# "no appointment is needed", "appointments are not required": masked before looking for an offer.
_NEGATED = re.compile(
    rf"{_NO}{_APPT}\s+(?:is\s+|are\s+)?(?:necessary|needed|required)?"
    rf"|\b{_APPT}\s+(?:is|are)(?:\s+not|n[’']t)\s+(?:(?:always|usually)\s+)?(?:required|necessary|needed)"
    rf"|\b(?:do|does|will)(?:\s+not|n[’']t)\s+need\s+(?:an?\s+)?{_APPT}"
    rf"|\bwithout\s+an?\s+{_APPT}",
    re.I,
)
_OFFICE_SENSE = re.compile(
    r"\b(?:re)?appoint(?:ed|ing|s|ee|ees)\b|\bcourt-appointed\b"
    r"|\bappointments?\s+(?:to|of)\s+(?:the\s+)?(?:[A-Z][\w.]*\s+){0,4}(?:board|commission|committee|council|"
    r"office|position|post|seat|bench|court|cabinet|authority|panel)"
    r"|\bapplicants?\s+for\s+appointment|\bappointments?\s+to\s+fill\b|\bcandidates?\s+for\s+appointment"
    r"|\b(?:staff|board|judicial|political|gubernatorial|mayoral|initial|interim|faculty)\s+appointments?\b"
    r"|\bappointment\s+of\s+[A-Z]|\b(?:by|upon)\s+appointment\s+of\b|[“\"]by\s+appointment[”\"]"
    r"|\b(?:filled|chosen|selected)\s+by\s+appointment\b",  # "vacancies are filled by appointment"
    re.I,
)
_HEADING_ACTION = re.compile(r"\b(?:call|phone|book|schedule|email|e-mail|request|register|sign\s+up|visit)\b"
                             r"[^.]{0,80}(?:\d{3}[-.)\s]+\d{3}[-.]\d{4}|@|\bonline\b|https?://|www\.|\bform\b|\bportal\b)"
                             r"|\b(?:walk-?\s?ins?|by\s+appointment)\b", re.I)
_HEADING_OFFER = re.compile(r"\b(?:call|phone|book|schedule|email|e-mail|request|register|sign\s+up|visit)\b"
                            r"|\bby\s+appointment\b", re.I)
_APPT_WORD = re.compile(rf"\b{_APPT}|\bbook(?:ing)?\b", re.I)
_NAV_PATH = re.compile(r"(?:^|[\s>])(?:nav|menu)\b|#[\w-]*(?:nav|menu)|navbar|breadcrumb", re.I)
_LIST_ITEM = re.compile(r"(?:^|>\s?)li\b")
_MAIN_PATH = re.compile(r"(?:^|[\s>])(?:main|article)\b|#main\b|#[\w-]*content\b", re.I)
_CHROME_PATH = re.compile(r"(?:^|[\s>])(?:header|footer)\b|#[\w-]*(?:header|footer)", re.I)
_LINKS_HEADING = re.compile(r"\b(?:quick\s+links|links|menu|navigation|resources|related|popular|i\s+want\s+to|"
                            r"services|how\s+do\s+i)\b", re.I)
_HEADING_PATH = re.compile(r"(?:^|[\s>])h[1-6](?:#[\w-]+)?(?::nth-of-type\(\d+\))?$")
_BOOK_VERB = re.compile(rf"\b(?:make|schedule|book|request|set\s+up|reserve)\s+{_BETWEEN}{_APPT}", re.I)
_CTA = re.compile(rf"^\s*(?:(?:request|schedule|book|make|set\s+up)\s+{_BETWEEN}{_APPT}|{_VISIT})\s*$", re.I)

_PHONE_WORD = re.compile(r"\b(?:call|phone|telephone|dial|text)\b|\(\d{3}\)|\b\d{3}[-.]\d{3}[-.]\d{4}\b", re.I)
_EMAIL_WORD = re.compile(r"\be-?mail\b|@[\w-]+\.", re.I)
_ONLINE_WORD = re.compile(r"\bonline\b|\bwebsite\b|\bweb\s+form\b|\bportal\b|\bclick\b|\bform\b|https?://|www\.", re.I)
_IN_PERSON = re.compile(r"\bin[-\s]person\b|\bin\s+our\s+office\b|\bat\s+the\s+(?:front\s+)?(?:desk|counter|office)\b|"
                        r"\bvisit(?:ing)?\s+(?:our|the)\s+office\b", re.I)
_WALK_IN = re.compile(r"\bwalk-?\s?ins?\b", re.I)
_NO_APPT = _NEGATED
_ONLY = re.compile(rf"\bby\s+{_APPT}\s+only\b|\bonly\s+by\s+{_APPT}\b|(?<!no\s)\b{_APPT}\s+(?:is\s+|are\s+)?(?:only|required|necessary|needed)\b"
                   rf"|\b{_APPT}s?\s+only\b|\bmust\s+(?:make|schedule|book)\s+an?\s+{_APPT}", re.I)
_MAX_LINES = 500  # candidate lines examined per page: bounds the cost of pathological pages
_METHOD_ORDER = ("phone", "online", "email", "in-person", "walk-in", "appointment-only")


def extract_appointments(segments: Sequence[Segment], findings: Sequence[Finding] = (), *,
                         base_url: str = "", page: PageText | None = None) -> list[Finding]:
    """Find appointment instructions in ``segments``.

    ``findings`` are the phones/emails/addresses/hours already found on the
    page; a phone or email on the same line as the instruction becomes one of
    its methods.  Returns one :class:`Finding` per instruction with ``value``
    the methods joined by "," ("phone,online"; "unspecified" when the
    sentence names none) and ``data`` = {"methods", "phones", "emails", "links", "offered"}.

    ``offered`` is True when the text offers or requires appointments ("by
    appointment", "call to schedule", a booking link) and False when it only
    says how to be served without one ("Walk-ins welcome", "no appointment is
    needed"): such lines are still instructions, but a page whose appointment
    findings all have ``offered`` False does not offer appointments.
    ``links`` are absolute when ``base_url`` (the page URL) is given.  ``page``
    is ``PageText(segments, lower=True)`` when the caller has built it already.
    """
    by_line: dict[tuple[str, int | None], list[Finding]] = {}
    for f in findings:
        if f.kind in ("phone", "email"):
            by_line.setdefault((f.path, f.line), []).append(f)
    out: list[Finding] = []
    if page is None:
        page = PageText(segments, lower=True)
    candidates = set(page.lines_starting(_CHEAP, _CHEAP_STARTS))
    headed: dict[str, bool] = {}
    for i, seg in enumerate(segments):  # lines under an "Appointments" heading
        h = seg.heading
        if not h:
            continue
        under = headed.get(h)
        if under is None:  # once per heading, not once per line under it
            under = headed[h] = bool(_CHEAP_I.search(h))
        if under:
            candidates.add(i)
    kept: list[tuple[Segment, Finding]] = []
    for i in sorted(candidates)[:_MAX_LINES]:
        seg = segments[i]
        if len(seg.text) > 2000:
            continue
        if _top_link_list(segments, i):
            continue  # a site-wide top bar ("My Account | Make an Appointment | Donate") is navigation
        found = _instruction(seg)
        if found is None:
            continue
        kept.append((seg, _finding(seg, *found, by_line.get((seg.path, seg.line), []), base_url)))
    # A heading ("Schedule an Appointment Online") only announces the instruction below it.
    instructed = {seg.heading for seg, _ in kept if not _HEADING_PATH.search(seg.path)}
    for seg, f in kept:
        if not (_HEADING_PATH.search(seg.path) and seg.text in instructed):
            out.append(f)
    return out


def _top_link_list(segments: Sequence[Segment], i: int) -> bool:
    """A link in a list of links above the first heading of the page, outside ``main``: site chrome."""
    seg = segments[i]
    if seg.heading or not seg.links or _MAIN_PATH.search(seg.path):
        return False
    if len(seg.links) >= 2 and _links_only(seg):
        return True  # "My Account | Make an Appointment | Donate" on one line
    if not _LIST_ITEM.search(seg.path) or not _link_only(seg):
        return False
    parent = seg.path.rsplit(" > ", 1)[0]
    siblings = sum(1 for k in range(max(0, i - 12), min(len(segments), i + 13))
                   if k != i and segments[k].path.rsplit(" > ", 1)[0] == parent and _link_only(segments[k]))
    return siblings >= 2


def _is_nav(seg: Segment) -> bool:
    """Navigation markup, or a link list in the site header/footer or under "Quick Links"."""
    if _NAV_PATH.search(seg.path) or _NAV_PATH.search(seg.section):
        return True
    in_list = bool(_LIST_ITEM.search(seg.path))
    return in_list and bool(_CHROME_PATH.search(seg.path) or _LINKS_HEADING.search(seg.heading))


_SEPARATORS = re.compile(r"[\s|•·/,;:–—-]*")


def _links_only(seg: Segment) -> bool:
    """A line made of its links and separators only ("A | B | C")."""
    rest = seg.text
    for _, anchor in seg.links:
        if anchor:
            rest = rest.replace(anchor, " ", 1)
    return bool(_SEPARATORS.fullmatch(rest))


def _link_only(seg: Segment) -> bool:
    if not seg.links:
        return False
    anchor = " ".join(t for _, t in seg.links).strip()
    return anchor == seg.text.strip() or len(seg.text) - len(anchor) <= 2


def _instruction(seg: Segment) -> tuple[str, str, bool] | None:
    """(instruction sentences, sentences read for methods, offered) of ``seg``, or None.

    The methods may sit in the sentence after the instruction ("Appointments
    are encouraged. Schedule yours online or call 555-1234.").
    """
    text = seg.text
    link_only = _link_only(seg)
    if _CTA.match(text):
        # A call-to-action link: content, not site navigation; a heading only announces the lines below.
        if _is_nav(seg) or (not seg.links and _HEADING_PATH.search(seg.path)):
            return None
        return text, text, True
    if link_only and (_is_nav(seg) or not _BOOK_VERB.search(text)):
        return None  # a bare link ("Appointments", "walk-in hours") says nothing about how to book
    sentences = [s.strip() for s in _SENTENCE_END.split(text)]
    # Under an "Appointments" heading, "Call 555-1234 to book." is the instruction.
    under_heading = bool(_CHEAP_I.search(seg.heading)) and not _OFFICE_SENSE.search(seg.heading) \
        and not _is_nav(seg)
    heading_offers = under_heading and bool(_APPT_WORD.search(seg.heading))
    quoted: list[str] = []
    context: list[str] = []
    offered = False
    for k, sentence in enumerate(sentences):
        if not sentence:
            continue
        scheduling = bool(_CHEAP_I.search(sentence) and _SCHEDULING.search(sentence))
        headed = under_heading and bool(_HEADING_ACTION.search(sentence))
        if not (scheduling or headed):
            continue
        if _OFFICE_SENSE.search(sentence) and not re.search(r"\b(?:call|schedule|book|make)\b", sentence, re.I):
            continue
        quoted.append(sentence)
        context += sentences[k:k + 2]
        masked = _NEGATED.sub(" ", sentence)
        offered = offered or bool(_OFFER.search(masked)) or (
            headed and heading_offers and bool(_HEADING_OFFER.search(masked)))
    if not quoted:
        return None
    return " ".join(quoted), " ".join(dict.fromkeys(context)), offered


def _finding(seg: Segment, quoted: str, sentence: str, offered: bool, nearby: list[Finding],
             base_url: str = "") -> Finding:
    methods: list[str] = []
    phones = [f.value for f in nearby if f.kind == "phone"]
    emails = [f.value for f in nearby if f.kind == "email"]
    links = [href for href, _ in seg.links if href and not href.startswith("#")]
    for href in links:
        if href.startswith("tel:"):
            phones.append(href[4:])
        elif href.startswith("mailto:"):
            emails.append(href[7:].split("?")[0].lower())
    web_links = [h for h in links if not h.lower().startswith(("tel:", "mailto:", "javascript:"))]
    if base_url:
        web_links = [_absolute(base_url, h) for h in web_links]
    if phones or _PHONE_WORD.search(sentence):
        methods.append("phone")
    if web_links or _ONLINE_WORD.search(sentence):
        methods.append("online")
    if emails or _EMAIL_WORD.search(sentence):
        methods.append("email")
    if _IN_PERSON.search(sentence):
        methods.append("in-person")
    if _WALK_IN.search(sentence) or _NO_APPT.search(sentence):
        methods.append("walk-in")
    if _ONLY.search(sentence) and not _NO_APPT.search(sentence):
        methods.append("appointment-only")
    methods = [m for m in _METHOD_ORDER if m in methods]
    return Finding(
        kind="appointment", value=",".join(methods) or "unspecified", text=quoted,
        label=seg.heading, office=seg.heading, source="text", path=seg.path, line=seg.line,
        section=seg.section,
        data={"methods": methods, "phones": _unique(phones), "emails": _unique(emails), "links": _unique(web_links),
              "offered": offered},
    )


def _absolute(base_url: str, href: str) -> str:
    try:
        return urljoin(base_url, href)
    except ValueError:  # a malformed href (bad IPv6 literal and the like): keep it as written
        return href


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
