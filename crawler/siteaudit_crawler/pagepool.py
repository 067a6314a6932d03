"""Where the page work runs: worker processes, or the crawler process when there are none.

The crawler process only fetches, schedules and stores; each HTML page goes to
a worker (workerpool.py) that runs :func:`siteaudit_crawler.pagework.work_on_page`
on it.  This module is light on purpose: the crawler process imports it (and
unpickles the workers' :class:`PageWork` results) without importing the
extractors, which only the workers need.

When the workers fall behind and the crawler process has time to spare (its
last pages are fetched and the workers still have hundreds to analyse; or, on
pages that cost the extractors more than fetching costs, Scrapy holds back new
requests while the responses waiting for a worker exceed its 5 MB), the
crawler process takes queued pages back and analyses them itself
(:meth:`PagePool._lend_a_hand`): every 20 ms it looks at how much of that time
its own work (fetching, storing, scheduling) left free, and fills most of it.
Pages over 128 KB stay with the workers, so that no response waits long.  The
crawler process then imports the extractors (~0.1 s, once); the results are
the same wherever a page is analysed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
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

# Every LOOK seconds the crawler process analyses queued pages for as long as its own work left
# that time free, less RESERVE of it.  Pages larger than LEND_MAX_BYTES stay with the workers.
# (On a generated site with pages padded to 23 KB: 255 of 2,003 pages lent, 8.9 -> 7.8 s.)
LOOK = 0.02
RESERVE = 0.05
LEND_MAX_BYTES = 131_072


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
        self.lent = 0  # pages taken back from the workers' queue and analysed here
        self.lent_seconds = 0.0  # CPU seconds spent on them
        self._look: asyncio.TimerHandle | None = None
        self._mark = (0.0, 0.0, 0.0)  # wall clock, process CPU and lent CPU at the last look

    async def analyse(self, page: bytes | str, url: str, run_id: int, header_only: bool = False,
                      text_response: bool = True, content_type: bytes = b"") -> PageWork:
        """:func:`~siteaudit_crawler.pagework.work_on_page` of ``page``, wherever it runs."""
        args = (page, url, run_id, self.budget, header_only, text_response, content_type)
        self.pages += 1
        if self.pool is None and self.workers > 0:
            self.pool = spawn_workers(self.workers)
            logger.info("page analysis in %d worker process(es)", self.workers)
        if self.pool is not None:
            if self._look is None:
                self._watch()
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

    def _watch(self) -> None:
        self._mark = (time.monotonic(), time.process_time(), self.lent_seconds)
        self._look = asyncio.get_running_loop().call_later(LOOK, self._lend_a_hand)

    def _lend_a_hand(self) -> None:
        """Analyse queued pages here while this process has time to spare (module docstring)."""
        self._look = None
        pool = self.pool
        if pool is None or not pool.queue:
            return  # nothing waits: the next page starts the watch again
        wall, cpu, lent = self._mark
        span = time.monotonic() - wall
        own = (time.process_time() - cpu) - (self.lent_seconds - lent)  # fetching, storing, scheduling
        spare = span - own - RESERVE * span
        started = time.process_time()
        while time.process_time() - started < spare and (taken := pool.take()) is not None:
            args, future = taken
            if len(args[0]) > LEND_MAX_BYTES:
                pool.queue.appendleft(taken)  # the workers' (taken back in order)
                break
            from .pagework import work_on_page  # the extractors: imported here on the first page lent

            try:
                future.set_result(work_on_page(*args))
            except Exception as exc:  # noqa: BLE001 - its caller handles it as an inline call's error
                future.set_exception(exc)
            self.lent += 1
        self.lent_seconds += time.process_time() - started
        self._watch()

    def close(self) -> None:
        if self._look is not None:
            self._look.cancel()
            self._look = None
        if self.lent:
            logger.info("%d of %d pages analysed in the crawler process while it had time to spare (%.1f s)",
                        self.lent, self.pages, self.lent_seconds)
        if self.pool is not None:
            self.pool.close()
            self.pool = None
