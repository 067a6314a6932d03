"""Where the page work runs: worker processes, or the crawler process when there are none.

The crawler process only fetches, schedules and stores; each HTML page goes to
a worker (workerpool.py) that runs :func:`siteaudit_crawler.pagework.work_on_page`
on it.  This module is light on purpose: the crawler process imports it (and
unpickles the workers' :class:`PageWork` results) without importing the
extractors, which only the workers need.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field

from .rows import PageRows
from .workerpool import WorkerDied, WorkerError, WorkerPool

logger = logging.getLogger(__name__)


@dataclass
class PageWork:
    """What the crawler process needs of an analysed page (what crosses the process boundary)."""

    title: str = ""
    anchors: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # the distinct link targets, in page order
    rows: PageRows | None = None  # None: the page's rows are not stored (a duplicate of another page)
    error: str = ""  # why contact extraction failed, if it did
    note: str = ""  # how the body was decoded, when not as declared


PAGE_FUNCTION = "siteaudit_crawler.pagework:work_on_page"


def default_workers() -> int:
    """One worker per core beyond the reactor's, at most 4."""
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def spawn_workers(workers: int) -> WorkerPool | None:
    """Start ``workers`` page worker processes now (None for 0): a crawl does this first
    thing, so the workers import the extractors while the crawler imports Scrapy."""
    return WorkerPool(PAGE_FUNCTION, workers).spawn() if workers > 0 else None


class PagePool:
    """Run :func:`work_on_page` in worker processes (``pool``, or ``workers`` spawned at the
    first page), or in this process when there are none (``workers=0``).  A worker that
    dies (killed, out of memory) costs nothing but speed: its pages, and every page once
    none is left, are analysed in the crawler process."""

    def __init__(self, workers: int, budget_seconds: float, pool: WorkerPool | None = None):
        self.workers = workers if pool is None else pool.size
        self.budget = budget_seconds
        self.pool = pool
        self.pages = 0

    async def analyse(self, page: bytes | str, url: str, run_id: int, header_only: bool = False,
                      text_response: bool = True, content_type: bytes = b"") -> PageWork:
        """:func:`~siteaudit_crawler.pagework.work_on_page` of ``page``, wherever it runs."""
        args = (page, url, run_id, self.budget, header_only, text_response, content_type)
        self.pages += 1
        if self.pool is None and self.workers > 0:
            self.pool = spawn_workers(self.workers)
            logger.info("page analysis in %d worker process(es)", self.workers)
        if self.pool is not None:
            try:
                return await self.pool.call(*args)
            except WorkerDied:
                if self.pool is not None and self.pool.live() == 0:
                    logger.warning("page worker processes died; analysing pages in the crawler process from now on")
                    self.close()
                    self.workers = 0
            except WorkerError:
                pass  # raise it here, with its traceback
        from .pagework import work_on_page  # only now: the extractors are the workers' imports

        return work_on_page(*args)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
