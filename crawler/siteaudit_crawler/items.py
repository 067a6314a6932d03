"""Items the spider yields; the store pipeline writes them."""

from __future__ import annotations

from dataclasses import dataclass, field

from siteaudit.model import Finding, LinkCheck, LinkEdge, Office, Page


@dataclass
class PageItem:
    """A parsed HTML page with everything found on it."""

    page: Page
    edges: list[LinkEdge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    facts: dict | None = None  # page facts for rules (headings, text, last updated)
    checks: list[LinkCheck] = field(default_factory=list)  # the page URL's own check(s)


@dataclass
class CheckItem:
    """The outcome of checking one target (or one target#fragment)."""

    check: LinkCheck


@dataclass
class EdgesItem:
    """Link edges that do not come from an HTML page (e.g. sitemap <loc> entries)."""

    edges: list[LinkEdge] = field(default_factory=list)
