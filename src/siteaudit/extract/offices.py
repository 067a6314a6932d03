"""Group a page's findings into office/contact blocks.

A block is what a reader sees as one contact entry: a heading and what
follows it, a table row, a card in a list of cards, or the page footer.  Each
block that holds at least one phone, email, address or hours finding becomes
an :class:`~siteaudit.model.Office` named after its heading (the first cell
of a row, the first line of a card); appointments and short codes join the
block they sit in but do not make one.  A block never reaches across the edge
of a page landmark (the site's header, menus, footer: extract/text.py), nor
does the search for its name.  Every grouped finding gets its
block's name in ``Finding.office``.  Structured-data findings are grouped by
the schema.org item they came from.  Navigation links alone never make an
office, because a block needs contact data.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from ..model import Finding, Office, Segment
from .text import RegionSpan

__all__ = ["group_offices", "CONTACT_KINDS"]

CONTACT_KINDS = frozenset({"phone", "email", "address", "hours"})
_NAME_MAX = 80
_NOT_A_NAME = re.compile(
    r"\d{3}|\d:\d\d|@|https?:|www\.|:$|^(?:phone|fax|email|e-mail|tel|address|hours|contact|skip to.*|sign in"
    r"|menu|search|home)\b\W*$", re.I)


# Sub-headings that label a part of an office ("Hours", "Appointments") rather than name one.
_PART_HEADING = re.compile(
    r"^(?:office\s+|business\s+|our\s+|public\s+)?(?:hours(?:\s+of\s+operation)?|schedule|appointments?|"
    r"(?:how\s+to\s+)?(?:schedule|make|book|request)\s+an?\s+appointment|phone(?:\s+numbers?)?|telephone|fax|"
    r"e-?mail|contact(?:\s+(?:us|information|info|details))?|(?:mailing\s+|street\s+|physical\s+)?address(?:es)?|"
    r"locations?|directions|map|parking|visit(?:\s+us)?|call\s+us|e-?mail\s+us|write\s+to\s+us|"
    r"services|walk-?ins?)\W*$", re.I)


def _office_headings(segments: list[Segment]) -> list[str]:
    """Each line's heading, except that a part heading ("Hours") inside a card takes
    the card's own heading: the card is one office, its sub-headings are parts of it."""
    out: list[str] = []
    named: dict[str, str] = {}  # card (section path) -> its last naming heading
    part_heading: dict[str, bool] = {}  # the lines under one heading share it: test each heading once
    for seg in segments:
        heading = seg.heading
        if seg.section:
            is_part = part_heading.get(heading)
            if is_part is None:
                is_part = part_heading[heading] = _PART_HEADING.match(heading.strip()) is not None
            if is_part:
                heading = named.get(seg.section, heading)
            elif heading:
                named[seg.section] = heading
        out.append(heading)
    return out


def _is_row(section: str) -> bool:
    return section.rsplit(" > ", 1)[-1].split(":", 1)[0].split("#", 1)[0] == "tr"


def _is_footer(seg: Segment) -> bool:
    return "footer" in seg.path.lower() or "footer" in seg.section.lower()


def _name_like(text: str) -> bool:
    text = text.strip()
    return 1 < len(text) <= _NAME_MAX and not _NOT_A_NAME.search(text)


def _locate(findings: list[Finding], segments: list[Segment]) -> list[int | None]:
    """The index of the segment each finding was read from (None for structured data)."""
    wanted = {(f.path, f.line) for f in findings if f.source != "structured"}
    by_place: dict[tuple[str, int | None], list[int]] = {}  # only the places findings come from
    for i, seg in enumerate(segments):
        place = (seg.path, seg.line)
        if place in wanted:
            by_place.setdefault(place, []).append(i)
    out: list[int | None] = []
    for f in findings:
        if f.source == "structured":
            out.append(None)
            continue
        candidates = by_place.get((f.path, f.line), [])
        pick = next((i for i in candidates if f.text and (f.text in segments[i].text
                                                         or any(f.text == a for _, a in segments[i].links))), None)
        out.append(pick if pick is not None else (candidates[0] if candidates else None))
    return out


def _zones(n: int, landmarks: Sequence[RegionSpan]) -> list[int | None]:
    """Each line's page landmark (its number), or None outside them."""
    zone: list[int | None] = [None] * n
    for k, span in enumerate(landmarks):
        zone[span.start:span.end] = [k] * (span.end - span.start)
    return zone


def group_offices(findings: list[Finding], segments: Iterable[Segment],
                  landmarks: Sequence[RegionSpan] = ()) -> list[Office]:
    """Group ``findings`` (from the extractors) by the page block they sit in.

    Returns offices in page order; sets ``Finding.office`` on every grouped
    finding (structured findings keep the name of their schema.org item).
    Findings that cannot be placed stay ungrouped.  ``landmarks``: where the
    page landmarks' lines are (:func:`~siteaudit.extract.text.segment_spans`).
    """
    segments = list(segments)
    where = _locate(findings, segments)
    headings = _office_headings(segments)
    zone = _zones(len(segments), landmarks)
    blocks: dict[tuple, list[int]] = {}
    for n, (f, idx) in enumerate(zip(findings, where)):
        if idx is None:
            if f.source == "structured":
                blocks.setdefault(("structured", f.office or f.path), []).append(n)
            continue
        seg = segments[idx]
        if _is_row(seg.section):
            key = ("row", seg.section)
        elif _is_footer(seg):
            key = ("footer", seg.heading, zone[idx])
        else:
            key = ("heading", headings[idx], zone[idx])
        blocks.setdefault(key, []).append(n)

    first_of_section: dict[str, int] = {}
    for i, seg in enumerate(segments):
        first_of_section.setdefault(seg.section, i)
    lines_with_findings = {i for i in where if i is not None}

    offices: list[tuple[int, Office]] = []
    for key, members in blocks.items():
        if key[0] == "heading":
            parts = _split_cards(members, findings, where, segments, first_of_section, lines_with_findings)
        else:
            parts = [(None, members)]
        for name, part in parts:
            if not any(findings[n].kind in CONTACT_KINDS for n in part):
                continue
            if name is None:
                name = _block_name(key, part, findings, where, segments, first_of_section, lines_with_findings, zone)
                if key[0] == "heading" and key[1] != segments[where[part[0]]].heading and _name_like(key[1]):
                    name = key[1]  # a card's part heading: the block is named after the card
            first = next((where[n] for n in part if where[n] is not None), None)
            office = Office(name=name,
                            path=segments[first].path if first is not None else findings[part[0]].path,
                            line=segments[first].line if first is not None else findings[part[0]].line,
                            findings=[findings[n] for n in part])
            for n in part:
                if findings[n].source != "structured" or not findings[n].office:
                    findings[n].office = name
            offices.append((first if first is not None else len(segments), office))
    offices.sort(key=lambda x: x[0])
    return [o for _, o in offices]


def _split_cards(members, findings, where, segments, first_of_section, lines_with_findings):
    """Split a heading block into cards when every card has its own name line.

    A list of staff cards under one heading ("Our staff") is several
    contacts; "P: ..." / "F: ..." list items under "Chicago Office" are one.
    """
    by_section: dict[str, list[int]] = {}
    for n in members:
        by_section.setdefault(segments[where[n]].section, []).append(n)
    if len(by_section) < 2:
        return [(None, members)]
    named = []
    for section, part in by_section.items():
        first = first_of_section.get(section)
        if not section or first is None or first in lines_with_findings:
            return [(None, members)]
        text = segments[first].text
        if not _name_like(text) or text == segments[first].heading:
            return [(None, members)]
        named.append((text, part))
    return named


def _block_name(key, part, findings, where, segments, first_of_section, lines_with_findings, zone) -> str:
    if key[0] == "structured":
        return findings[part[0]].office or "structured data"
    first = next(where[n] for n in part if where[n] is not None)
    seg = segments[first]
    if key[0] == "row":
        start = first_of_section.get(seg.section, first)
        text = segments[start].text
        if _name_like(text):
            return text
    if key[0] == "footer" or not _name_like(seg.heading) or seg.heading.endswith(":"):
        # The nearest name-like line above the block's first finding (footers
        # carry the last heading of the main content, which is not theirs).
        for i in range(first - 1, max(-1, first - 6), -1):
            text = segments[i].text
            if (i not in lines_with_findings and _name_like(text) and _is_footer(segments[i]) == _is_footer(seg)
                    and zone[i] == zone[first]):
                return text
    heading = seg.heading.strip().rstrip(":").strip()
    return heading if heading and len(heading) <= _NAME_MAX else "Contact"
