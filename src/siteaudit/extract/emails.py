"""Email addresses from visible text and ``mailto:`` links.

Input is the page's :class:`~siteaudit.model.Segment` lines; output is one
:class:`~siteaudit.model.Finding` (``kind="email"``) per occurrence with the
lower-cased address as ``value``.

Recognised forms: plain ``name@agency.gov``; obfuscated ``name [at] agency
[dot] gov``, ``name (at) agency (dot) gov`` and ``name at agency dot gov``
(the spelled-out form needs a known top-level domain); ``mailto:`` links, whose
address is reported as ``source="link"`` when the link text shows no address.
Cloudflare-protected addresses are decoded by :mod:`.text` (as the browser's
script would) and arrive here as ordinary text and ``mailto:`` links.

Flags: ``mailto-mismatch`` (the link around an address mails another one),
``invalid`` (fails :func:`validators.email`).  ``data["role"]`` tells a role
mailbox (info@, help@, customerservice@, a department) from a person's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable
from urllib.parse import unquote

import validators

from ..model import Finding, Segment
from ._scan import lower_for_words
from .text import decode_cfemail

__all__ = ["extract_emails", "is_role_mailbox", "decode_cfemail"]

# The local-part characters people actually use; RFC 5322 allows more (/, =, ?)
# but in page text those come from URLs ("...?u=john@x.gov"), not addresses.
_LOCAL = r"[A-Za-z0-9_%+'-]{1,64}(?:\.[A-Za-z0-9_%+'-]{1,64}){0,8}"
_EMAIL_RE = re.compile(
    rf"(?<![\w.@/=?&%+'-])(?P<local>{_LOCAL})@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]{{0,62}})(?:\.[A-Za-z0-9-]{{1,63}}){{1,8}})"
    r"(?![\w@-])"
)
_AT = r"(?: ?[\[({<] ?at ?[\])}>] ?| (?:at|AT) | @ )"
_DOT = r"(?: ?[\[({<] ?dot ?[\])}>] ?| (?:dot|DOT) )"
_OBFUSCATED_RE = re.compile(
    rf"(?<![\w.@-])(?P<local>[A-Za-z0-9._+-]{{1,64}}){_AT}(?P<domain>[A-Za-z0-9-]{{1,63}}(?:(?:{_DOT}|\.)[A-Za-z0-9-]{{1,63}}){{1,6}})(?![\w@])",
    re.I,
)
_DOT_SPLIT_RE = re.compile(rf"{_DOT}|\.", re.I)
# What every _OBFUSCATED_RE match holds, in lower-cased text: an "at" (or " @ "), a word, then a dot
# (".", " dot ", "[dot"...).  Prose is full of " at "; this cheap test keeps the costly scan for the
# few lines where an address could follow it.
_OBFUSCATED_HINT_RE = re.compile(r"(?:at ?[\])}>] ?|at |@ )[a-z0-9-]+(?: ?[\[({<] ?dot| dot |\.[a-z0-9-])")
_SPELLED_TLDS = frozenset({"gov", "us", "org", "com", "net", "edu", "mil", "info", "ca", "uk", "int"})
_FILE_TLDS = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "css", "js", "pdf", "ico"})

_ROLE_WORDS = frozenset(
    """info information help helpdesk support contact contactus customerservice customercare service services
    webmaster admin administrator office clerk reception frontdesk general inquiries inquiry enquiries questions
    feedback media press communications comms news hr jobs careers employment recruiting records publicrecords
    foia opra ada accessibility noreply donotreply postmaster abuse sales billing payments accounting finance
    permits licensing library reference ask askus team staff mail email board council mayor director department
    dept registrar admissions enrollment mailroom web website it tech security safety privacy compliance legal
    appointments scheduling events outreach volunteer volunteers requests request complaints auditor treasurer
    assessor recorder court courts reporter clerks ombudsman hotline tips fraud studio lab labs center centre
    desk unit division program programs project projects office offices bureau agency commission committee
    services group admin data digital research collections archives gis planning zoning permits parks
    elections voter vote taxes tax health benefits retirement pension""".split()
)
_ROLE_PREFIX_RE = re.compile(r"^(?:" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + r")", re.I)
# Overlapping pairs of capitalized words ("Email Amy Calvin" → Email Amy, Amy Calvin).
_NAME_RE = re.compile(r"(?=\b([A-Z][a-z'’-]+) (?:[A-Z]\. )?([A-Z][a-z'’-]+)\b)")


def is_role_mailbox(address: str, context: str = "") -> bool:
    """True for a role or department mailbox, False for a person's.

    A local part built from a name shown in ``context`` ("Michael Bosak" →
    mbosak, michael.bosak) is personal; one made of role words (info,
    customerservice, help.desk) is a role; ``first.last`` and short
    letters+digits ids (kr37) are personal; anything else (an acronym, a
    department) is taken as a role mailbox.
    """
    local = address.split("@", 1)[0].lower()
    tokens = [t for t in re.split(r"[._+-]|\d+", local) if t]
    for first, last in _NAME_RE.findall(context):
        first, last = first.lower(), last.lower()
        if last in local and (first in local or local.startswith(first[0])):
            return False
    if any(t in _ROLE_WORDS for t in tokens) or _ROLE_PREFIX_RE.match(local):
        return True
    if re.fullmatch(r"[a-z]{2,3}\d{1,5}", local):  # campus ids such as kr37
        return False
    if len(tokens) >= 2 and all(t.isalpha() for t in tokens) and re.search(r"[._-]", local):
        return False
    return True


@lru_cache(maxsize=4096)  # a pure test, and a site shows the same few addresses on every page
def _valid(address: str) -> bool:
    return validators.email(address) is True


def _mailto_addresses(href: str) -> list[str]:
    target = unquote(href.split(":", 1)[1] if ":" in href else "").split("?", 1)[0]
    out = []
    for part in re.split(r"[,;]", target):
        part = part.strip().strip("<>").lower()
        if part.startswith("mailto:"):
            part = part[7:]
        if "@" in part:
            out.append(part)
    return out


def _text_emails(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, shown text, address)`` for each address shown in ``text``."""
    found = []
    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            domain = m.group("domain")
            tld = domain.rsplit(".", 1)[-1].lower()
            if not tld.isalpha() or len(tld) < 2 or tld in _FILE_TLDS:
                continue
            found.append((m.start(), m.end(), m.group(0), m.group(0).lower()))
    lowered = text.lower()
    if (" at " in lowered or "at]" in lowered or "at)" in lowered or "at}" in lowered or " @ " in text) \
            and (_OBFUSCATED_HINT_RE.search(lowered) or lower_for_words(text) is None):
        for m in _OBFUSCATED_RE.finditer(text):
            if any(s <= m.start() < e for s, e, _, _ in found):
                continue
            parts = [p for p in _DOT_SPLIT_RE.split(m.group("domain")) if p]
            shown = m.group(0)
            spelled = not re.search(r"[\[({<@]", shown)
            if len(parts) < 2 or (spelled and parts[-1].lower() not in _SPELLED_TLDS):
                continue
            if spelled and not re.search(r" dot ", shown, re.I):
                continue  # "meet at city.hall" is prose, not an address
            address = f"{m.group('local')}@{'.'.join(parts)}".lower()
            found.append((m.start(), m.end(), shown, address))
    found.sort()
    return found


def extract_emails(segments: Iterable[Segment]) -> list[Finding]:
    """Find email addresses in ``segments`` (visible text and mailto: links).

    Returns findings in document order, one per occurrence; an address found
    only in a mailto: link whose text shows no address has ``source="link"``.
    """
    findings: list[Finding] = []
    for seg in segments:
        mailtos = [(href, anchor, _mailto_addresses(href)) for href, anchor in seg.links
                   if href[:7].lower() == "mailto:"] if seg.links else []
        if not mailtos and "@" not in seg.text:
            lowered = seg.text.lower()
            if " at " not in lowered and "at]" not in lowered and "at)" not in lowered:
                continue
        shown_here = set()
        for start, end, shown, address in _text_emails(seg.text):
            flags = [] if _valid(address) else ["invalid"]
            data = {"role": is_role_mailbox(address, seg.text)}
            around = [(href, addrs) for href, anchor, addrs in mailtos if shown in anchor]
            if around and all(address not in addrs for _, addrs in around):
                flags.append("mailto-mismatch")
                data["mailto"] = around[0][0]
            shown_here.add(address)
            findings.append(_finding(seg, address, shown, "text", flags, data))
        for href, anchor, addrs in mailtos:
            for address in addrs:
                if address in shown_here:
                    continue
                if _text_emails(anchor):
                    continue  # the link shows another address: flagged above
                shown_here.add(address)
                flags = [] if _valid(address) else ["invalid"]
                findings.append(_finding(seg, address, anchor or href, "link", flags,
                                         {"role": is_role_mailbox(address, seg.text), "mailto": href}))
    return findings


def _finding(seg: Segment, value: str, text: str, source: str, flags: list[str], data: dict) -> Finding:
    label = ""
    before = seg.text.split(text, 1)[0][-25:] if text in seg.text else ""
    m = re.search(r"\b(e-?mail|contact|write)(?:\W+\w+){0,2}\W*$", before, re.I)
    if m:
        label = m.group(1)
    return Finding(kind="email", value=value, text=text, label=label, source=source, path=seg.path,
                   line=seg.line, flags=flags, data=data, section=seg.section)
