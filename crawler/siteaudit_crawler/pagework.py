"""The CPU-bound work on one HTML page, and where it runs.

:func:`analyse_page` parses a page once and runs link extraction, contact
extraction and page facts on that one tree.  :func:`work_on_page` adds what
the crawler process needs of it: the page's title and anchors, the targets to
schedule, and the page's rows for the store (rows.py), ready to write.  It is a
plain function of (text, url, run id) so it can run in a worker process:
:class:`PagePool` runs the first pages of a crawl inline (a small site never
pays for a worker's start) and then hands pages to a process pool, so the
reactor thread only fetches, schedules and stores while another core does the
parsing.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from siteaudit.extract import extract_from_tree
from siteaudit.extract.text import parse_html
from siteaudit.links import anchors_of, extract_links
from siteaudit.model import Finding, LinkEdge, Office
from siteaudit.paths import PathFinder
from siteaudit.rules.facts import page_facts

from .budget import BudgetExceeded, time_budget
from .rows import PageRows, page_rows
from .workerpool import WorkerDied, WorkerError, WorkerPool

logger = logging.getLogger(__name__)


@dataclass
class PageAnalysis:
    title: str = ""
    anchors: list[str] = field(default_factory=list)
    edges: list[LinkEdge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    facts: dict | None = None
    error: str = ""


@dataclass
class PageWork:
    """What the crawler process needs of an analysed page (what crosses the process boundary)."""

    title: str = ""
    anchors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # the distinct link targets, in page order
    rows: PageRows | None = None  # None: the page's rows are not stored (a duplicate of another page)
    error: str = ""


def page_header(text: str, url: str) -> PageWork:
    """Only the title and anchors (for a page whose bytes were already analysed)."""
    root = parse_html(text, base_url=url)
    return PageWork(title=_title(root), anchors=anchors_of(root))


def work_on_page(text: str, url: str, run_id: int, budget_seconds: float = 30.0) -> PageWork:
    """:func:`analyse_page`, as the crawler process uses it."""
    a = analyse_page(text, url, budget_seconds)
    return PageWork(title=a.title, anchors=a.anchors, targets=list(dict.fromkeys(e.target for e in a.edges)),
                    rows=page_rows(run_id, url, a.edges, a.findings, a.offices, a.facts), error=a.error)


def analyse_page(text: str, url: str, budget_seconds: float = 30.0) -> PageAnalysis:
    """Everything siteaudit reads from one page, from a single parse.

    Links are always returned; contact extraction runs under a time budget, and
    a page that exceeds it or makes an extractor fail keeps its links, with the
    reason in ``error`` (one odd page must not cost the page or the crawl).
    """
    root = parse_html(text, base_url=url)
    paths = PathFinder()  # one per page, shared: an element's path is computed once
    result = PageAnalysis(title=_title(root), anchors=anchors_of(root), edges=extract_links(root, url, paths))
    try:
        with time_budget(budget_seconds):
            extraction = extract_from_tree(root, url, paths=paths)
            result.facts = page_facts(root, url, extraction.segments)
        result.findings, result.offices = extraction.findings, extraction.offices
    except BudgetExceeded as exc:
        result.error = f"contact extraction {exc} (time budget per page; page and links kept)"
    except Exception as exc:  # noqa: BLE001 - e.g. 10,000 nested tags: keep the page and its links
        result.error = f"contact extraction failed: {type(exc).__name__}: {str(exc)[:200]}"
    return result


def _title(root) -> str:
    return " ".join((root.findtext(".//title") or "").split())[:500]


# Page number at which the workers are started, while pages are still analysed inline.
WARM_AT = 10


def default_workers() -> int:
    """One worker per core beyond the reactor's, at most 4."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


class PagePool:
    """Run :func:`work_on_page` inline for the first ``inline_pages`` pages, then in
    ``workers`` worker processes (``workers=0``: always inline).  A worker that dies
    (killed, out of memory) costs nothing but speed: its pages, and every page once
    none is left, are analysed in the crawler process."""

    def __init__(self, workers: int, inline_pages: int, budget_seconds: float):
        self.workers = workers
        self.inline_pages = inline_pages
        self.budget = budget_seconds
        self.pages = 0
        self.pool: WorkerPool | None = None

    async def analyse(self, text: str, url: str, run_id: int) -> PageWork:
        self.pages += 1
        if self.workers > 0 and self.pages == WARM_AT < self.inline_pages:
            self._start()  # a worker takes ~0.5 s to boot: let it, while the next pages run inline
        if self.workers <= 0 or self.pages <= self.inline_pages:
            return work_on_page(text, url, run_id, self.budget)
        self._start()
        try:
            return await self.pool.call(text, url, run_id, self.budget)
        except WorkerDied:
            if self.pool is not None and self.pool.live() == 0:
                logger.warning("page worker processes died; analysing pages in the crawler process from now on")
                self.close()
                self.workers = 0
        except WorkerError:
            pass  # raise it here, with its traceback
        return work_on_page(text, url, run_id, self.budget)

    def _start(self) -> None:
        if self.pool is None:
            self.pool = WorkerPool(f"{__name__}:work_on_page", self.workers)
            self.pool.start()
            logger.info("page analysis moves to %d worker process(es)", self.workers)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
