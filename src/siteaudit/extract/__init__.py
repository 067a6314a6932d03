"""Contact-information extractors: pure functions, HTML in, findings out.

``extract_page`` is the one entry point the crawler and the CLI use; it parses
once (or takes an already-parsed tree), segments the visible text once, and
runs every extractor over the same segments.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..model import Finding, Office, Segment
from ..paths import PathFinder
from ..regions import Regions
from ._scan import PageText
from .addresses import extract_addresses
from .appointments import extract_appointments
from .emails import extract_emails
from .hours import extract_hours
from .offices import group_offices
from .phones import extract_phones
from .structured import extract_structured
from .text import parse_html, segment

__all__ = ["PageExtraction", "extract_page", "extract_from_tree", "parse_html", "segment"]


@dataclass(slots=True)
class PageExtraction:
    findings: list[Finding] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)  # the visible lines, for callers that need text


def extract_from_tree(root: etree._Element, url: str = "", paths: PathFinder | None = None,
                      regions: Regions | None = None) -> PageExtraction:
    """Run every extractor over a parsed page (structured data is read from the tree too).

    ``paths`` shares one CSS-path memo with other readers of the same tree
    (link extraction), so no element's path is computed twice; ``regions``
    (made with ``paths``) lets segmentation reuse the lines of template regions.
    """
    segments = segment(root, paths, regions)
    findings: list[Finding] = []
    findings += extract_phones(segments)
    findings += extract_emails(segments)
    findings += extract_addresses(segments)
    lowered = PageText(segments, lower=True)  # the hours and appointment pre-filters both scan it
    findings += extract_hours(segments, page=lowered)
    findings += extract_appointments(segments, findings, base_url=url, page=lowered)
    findings += extract_structured(root, url)
    offices = group_offices(findings, segments)
    return PageExtraction(findings=findings, offices=offices, segments=segments)


def extract_page(source: str | bytes, url: str = "") -> PageExtraction:
    """Parse ``source`` (an HTML document) and extract its contact information."""
    return extract_from_tree(parse_html(source, base_url=url or None), url)
