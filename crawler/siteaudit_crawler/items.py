"""Items the spider yields; the store pipeline writes them."""

from __future__ import annotations

from dataclasses import dataclass, field

from siteaudit.model import LinkCheck, LinkEdge, Page

from .rows import PageRows


@dataclass
class PageItem:
    """A parsed HTML page with everything found on it.

    ``rows`` are the page's links, findings, offices and page text as the
    store's rows (built by the page worker, see rows.py); None for a page
    whose content was already stored under another URL."""

    page: Page
    rows: PageRows | None = None
    checks: list[LinkCheck] = field(default_factory=list)  # the page URL's own check(s)


@dataclass
class CheckItem:
    """The outcome of checking one target (or one target#fragment)."""

    check: LinkCheck


@dataclass
class EdgesItem:
    """Link edges that do not come from an HTML page (e.g. sitemap <loc> entries)."""

    edges: list[LinkEdge] = field(default_factory=list)
