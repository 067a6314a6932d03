"""The CPU-bound work on one HTML page (it runs in the page worker processes).

:func:`analyse_page` parses a page once and runs link extraction, contact
extraction and page facts on that one tree.  :func:`work_on_page` adds what
the crawler process needs of it: the page's title and anchors, the targets to
schedule, and the page's rows for the store (rows.py), ready to write.  It is a
plain function of (text, url, run id) so it can run in a worker process; where
it runs is pagepool.py's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from siteaudit.extract import extract_from_tree
from siteaudit.extract.text import parse_html
from siteaudit.links import anchors_of, extract_links
from siteaudit.model import Finding, LinkEdge, Office
from siteaudit.paths import PathFinder
from siteaudit.regions import Regions
from siteaudit.rules.facts import page_facts

from .budget import BudgetExceeded, time_budget
from .decoding import decode_page
from .pagepool import PageWork
from .rows import page_rows


@dataclass
class PageAnalysis:
    title: str = ""
    anchors: list[str] = field(default_factory=list)
    edges: list[LinkEdge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    facts: dict | None = None
    error: str = ""


def work_on_page(page: bytes | str, url: str, run_id: int, budget_seconds: float = 30.0,
                 header_only: bool = False, text_response: bool = True, content_type: bytes = b"") -> PageWork:
    """:func:`analyse_page`, as the crawler process uses it.

    ``page`` is the body as fetched (decoded here as the crawler would, from
    ``text_response`` and ``content_type``: see decoding.decode_page) or
    already text.  ``header_only``: just the title and anchors (a page whose
    bytes were already analysed under another URL)."""
    note = ""
    if isinstance(page, bytes):
        page, note = decode_page(page, text_response, content_type)
    if header_only:
        root = parse_html(page, base_url=url)
        return PageWork(title=_title(root), anchors=anchors_of(root), note=note)
    a = analyse_page(page, url, budget_seconds)
    return PageWork(title=a.title, anchors=a.anchors, targets=list(dict.fromkeys(e.target for e in a.edges)),
                    rows=page_rows(run_id, url, a.edges, a.findings, a.offices, a.facts), error=a.error, note=note)


def analyse_page(text: str, url: str, budget_seconds: float = 30.0) -> PageAnalysis:
    """Everything siteaudit reads from one page, from a single parse.

    Links are always returned; contact extraction runs under a time budget, and
    a page that exceeds it or makes an extractor fail keeps its links, with the
    reason in ``error`` (one odd page must not cost the page or the crawl).
    """
    root = parse_html(text, base_url=url)
    paths = PathFinder()  # one per page, shared: an element's path is computed once
    regions = Regions(root, paths)  # the header, menus and footer: read once per site, not per page
    result = PageAnalysis(title=_title(root), anchors=anchors_of(root), edges=extract_links(root, url, paths, regions))
    try:
        with time_budget(budget_seconds):
            extraction = extract_from_tree(root, url, paths=paths, regions=regions)
            result.facts = page_facts(root, url, extraction.segments)
        result.findings, result.offices = extraction.findings, extraction.offices
    except BudgetExceeded as exc:
        result.error = f"contact extraction {exc} (time budget per page; page and links kept)"
    except Exception as exc:  # noqa: BLE001 - e.g. 10,000 nested tags: keep the page and its links
        result.error = f"contact extraction failed: {type(exc).__name__}: {str(exc)[:200]}"
    return result


def _title(root) -> str:
    return " ".join((root.findtext(".//title") or "").split())[:500]
