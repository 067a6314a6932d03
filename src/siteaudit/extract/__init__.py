"""Contact-information extractors: pure functions, HTML in, findings out.

``extract_page`` is the one entry point the crawler and the CLI use; it parses
once (or takes an already-parsed tree), segments the visible text once, and
runs every extractor over the same segments.

The site's header, menus and footer (the page landmarks of text.py) are read on
their own: phones, emails, addresses and hours are found in each landmark's
lines and in each stretch of lines between landmarks separately, so a number
in the footer never takes its label from the last line of the article above
it, nor an address its kind.  What depends only on a landmark's lines is then
kept under its region key (:data:`REGION_FINDINGS`) and reused, line numbers
moved, on the next page of the site that has the same landmark — the same
findings, without finding them again.  What reads the whole page stays per
page: address kinds shared between occurrences, appointments, structured data
and offices.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from ..model import Finding, Office, Segment
from ..paths import PathFinder
from ..regions import RegionCache, Regions
from ._scan import PageText
from .addresses import find_addresses, share_kinds
from .appointments import extract_appointments
from .emails import extract_emails
from .hours import extract_hours, line_budget
from .offices import group_offices
from .phones import extract_phones
from .structured import extract_structured
from .text import RegionSpan, parse_html, segment, segment_spans

__all__ = ["REGION_FINDINGS", "PageExtraction", "extract_page", "extract_from_tree", "parse_html", "segment"]


@dataclass(slots=True)
class PageExtraction:
    findings: list[Finding] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)  # the visible lines, for callers that need text


# What the line extractors found in the page landmarks of recent pages, by region key.
REGION_FINDINGS = RegionCache()


def extract_from_tree(root: etree._Element, url: str = "", paths: PathFinder | None = None,
                      regions: Regions | None = None) -> PageExtraction:
    """Run every extractor over a parsed page (structured data is read from the tree too).

    ``paths`` shares one CSS-path memo with other readers of the same tree
    (link extraction), so no element's path is computed twice; ``regions``
    (made with ``paths``) lets segmentation and the extractors reuse what they
    made of a template region on an earlier page (the same results either way).
    """
    segments, spans = segment_spans(root, paths, regions)
    lowered = PageText(segments, lower=True)  # the hours and appointment pre-filters both scan it
    phones: list[Finding] = []
    emails: list[Finding] = []
    addresses: list[Finding] = []
    hours: list[Finding] = []
    budget = line_budget()  # the stretches between landmarks share the page's; each landmark has its own
    for start, end, span in _stretches(len(segments), spans):
        key = span.key if span is not None else None  # None: nothing to keep or reuse
        found = _reused(span) if key is not None else None
        if found is None:
            part = segments[start:end]
            found = (extract_phones(part), extract_emails(part), find_addresses(part),
                     extract_hours(part, page=lowered.sub(start, end), budget=budget if span is None else None))
            if key is not None:
                REGION_FINDINGS.put(key, (span.first_line, tuple([_copy(f, 0) for f in kind] for kind in found)))
        phones += found[0]
        emails += found[1]
        addresses += found[2]
        hours += found[3]
    share_kinds(addresses)  # across the page: an address labelled once is that kind everywhere on it
    findings = phones + emails + addresses + hours
    findings += extract_appointments(segments, findings, base_url=url, page=lowered)
    findings += extract_structured(root, url)
    offices = group_offices(findings, segments, spans)
    return PageExtraction(findings=findings, offices=offices, segments=segments)


def _stretches(n: int, spans: list[RegionSpan]):
    """``(start, end, span)`` covering ``range(n)`` in order: each landmark's lines (its span) and
    the lines between them (None)."""
    at = 0
    for span in spans:
        if span.start > at:
            yield at, span.start, None
        yield span.start, span.end, span
        at = span.end
    if at < n:
        yield at, n, None


def _reused(span: RegionSpan) -> tuple[list[Finding], ...] | None:
    cached = REGION_FINDINGS.get(span.key)
    if cached is None:
        return None
    first_line, found = cached
    shift = span.first_line - first_line if span.first_line is not None and first_line is not None else 0
    return tuple([_copy(f, shift) for f in kind] for kind in found)


def _copy(f: Finding, shift: int) -> Finding:
    """A finding of its own (the page's passes change findings: offices, shared kinds), ``shift`` lines on."""
    return replace(f, line=f.line + shift if f.line is not None else None, flags=list(f.flags), data=_fresh(f.data))


def _fresh(value):
    """A copy of a finding's data: its dicts and lists new, the rest (str, int, None...) shared."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def extract_page(source: str | bytes, url: str = "") -> PageExtraction:
    """Parse ``source`` (an HTML document) and extract its contact information."""
    return extract_from_tree(parse_html(source, base_url=url or None), url)
