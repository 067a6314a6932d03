"""The storage pipeline: items into SQLite in batches, one run per crawl.

Opens the database in ``open_spider`` (creating the run, or continuing one
with ``SITEAUDIT_RUN_ID`` for ``--resume``), buffers rows and writes them in
one transaction per batch, flushes in ``close_spider``, and on the
``spider_closed`` signal (the first moment the close reason is known: a
SIGTERM is ``shutdown``) resolves ``#fragment`` checks and marks the run
finished or interrupted.  A page's rows
(page, edges, findings, offices) always go in the same batch, so a kill
between batches never leaves half a page.  A batch is written a slice at a
time with the reactor running between the slices (one transaction all the
same): written in one go, a 20,000-row batch held up every response and page
for a tenth of a second or more, so fetching and the page workers stalled at
every flush.  A batch is due when it holds ``SITEAUDIT_FLUSH_ROWS`` rows or is
``SITEAUDIT_FLUSH_SECONDS`` old, and an old one is written even when no item
follows: while the crawl waits on its last slow links or retries, what it has
collected is committed meanwhile, not after them.

When the database refuses a write (locked past the busy timeout, read-only,
disk full) the batch is rolled back, the crawl stops, and the error is left in
the stats as ``siteaudit/store_error`` for the runner to report: what was
committed before stays intact and the run can be resumed.
"""

from __future__ import annotations

import asyncio
import logging
import time

from siteaudit import store
from siteaudit.errors import StoreError
from siteaudit.fragments import resolve_fragments

from .items import CheckItem, EdgesItem, PageItem
from .rows import CHECKS, FINDINGS, LINKS, OFFICE_COLUMNS, PAGE_TEXT_COLUMNS, PAGES
from .runlock import RunLock

logger = logging.getLogger(__name__)

# Rows written before the reactor gets a turn (about 5 ms of SQLite work).
WRITE_SLICE = 1000


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.db_path = s.get("SITEAUDIT_DB")
        self.resume_run = s.getint("SITEAUDIT_RUN_ID", 0) or None
        self.flush_rows = s.getint("SITEAUDIT_FLUSH_ROWS", 2000)
        self.flush_seconds = s.getfloat("SITEAUDIT_FLUSH_SECONDS", 2.0)
        self.buffers: dict[tuple, list[tuple]] = {}  # (table, columns, replace) -> rows
        self.writing: asyncio.Task | None = None  # the batch being written, a slice at a time
        self.due: asyncio.TimerHandle | None = None  # writes the batch when it gets old with no item after it
        self.pending = 0
        self.last_flush = time.monotonic()
        self.db = None
        self.run_id: int | None = None
        self.error: str | None = None
        self.lock: RunLock | None = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider=None):
        spider = spider or self.crawler.spider
        try:
            self._open(spider)
        except StoreError as exc:
            self._fail(exc)
            raise

    def _open(self, spider) -> None:
        self.db = store.open_db(self.db_path)
        # WAL + NORMAL: a commit no longer waits for fsync (the WAL is synced at checkpoints).
        # A crash of the crawler loses nothing committed; a power cut may lose the last
        # batches, which --resume fetches again.  The database cannot be corrupted either way.
        self.db.execute("PRAGMA synchronous = NORMAL")
        # 32 MB of page cache instead of 2: the link indexes' pages stay in memory between
        # batches instead of being read back (a 2,000-page crawl's writes: -14% CPU), and the
        # WAL checkpoints SQLite makes every 4 MB find their pages in memory too.  (Rarer
        # checkpoints cost as much in all, and left one big checkpoint for the end: 0.1 s
        # of waiting at the end of a 2,000-page crawl.)
        self.db.execute("PRAGMA cache_size = -32768")
        store.ensure_table(self.db, store.PAGE_TEXT_DDL)
        if self.resume_run:
            self.run_id = self.resume_run
            self.lock = RunLock(self.db_path, self.run_id).acquire()  # one process per run
            with store.transaction(self.db, "resume the run"):
                self.db.execute("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?", [self.run_id])
        else:
            self.run_id = store.start_run(self.db, list(getattr(spider, "start_urls", [])),
                                          getattr(spider, "run_settings", {}))
            self.lock = RunLock(self.db_path, self.run_id).acquire()
        spider.run_id = self.run_id
        self.crawler.stats.set_value("siteaudit/run_id", self.run_id)

    def process_item(self, item, spider=None):
        if self.error is not None:
            return item  # the crawl is stopping; nothing more can be stored
        run = self.run_id
        if isinstance(item, PageItem):
            self._add(PAGES.table, PAGES.columns, [(run, *PAGES.values(item.page))], replace=True)
            rows = item.rows
            if rows is not None:  # built by the page worker (rows.py)
                self._add(LINKS.table, LINKS.columns, rows.links)
                self._add("offices", OFFICE_COLUMNS, rows.offices, replace=True)
                self._add(FINDINGS.table, FINDINGS.columns, rows.findings)
                self._add("page_text", PAGE_TEXT_COLUMNS, rows.text, replace=True)
            self._add_checks(item.checks)
        elif isinstance(item, CheckItem):
            self._add_checks([item.check])
        elif isinstance(item, EdgesItem):
            self._add(LINKS.table, LINKS.columns, [(run, *LINKS.get(e)) for e in item.edges])
        if self.writing is None and (self.pending >= self.flush_rows
                                     or time.monotonic() - self.last_flush > self.flush_seconds):
            self._start_write()
        elif self.due is None and self.buffers:
            self.due = asyncio.get_running_loop().call_later(self.flush_seconds, self._write_due)
        return item

    def _start_write(self) -> None:
        self.writing = asyncio.get_running_loop().create_task(self._write_in_slices(self._take()))

    def _write_due(self) -> None:
        """The timer: write the batch in hand if it is old enough and nothing is being written."""
        self.due = None
        if self.error is not None or self.db is None or not self.buffers:
            return
        if self.writing is None and time.monotonic() - self.last_flush >= self.flush_seconds:
            self._start_write()
        else:  # too young (a batch was taken since) or another one is being written: look again later
            self.due = asyncio.get_running_loop().call_later(self.flush_seconds / 2, self._write_due)

    def _cancel_due(self) -> None:
        if self.due is not None:
            self.due.cancel()
            self.due = None

    def _fail(self, exc: StoreError) -> None:
        """Stop the crawl after a failed write; the runner turns this into exit code 2."""
        self.error = str(exc)
        self.buffers = {}
        self._cancel_due()
        logger.info("stopping the crawl: %s", exc)  # the CLI prints the error once
        self.crawler.stats.set_value("siteaudit/store_error", self.error)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def _add_checks(self, checks) -> None:
        stamp = store.now_iso()
        self._add(CHECKS.table, CHECKS.columns, [(self.run_id, *CHECKS.values(c), stamp) for c in checks],
                  replace=True)

    def _add(self, table: str, columns: tuple[str, ...], rows: list[tuple], replace: bool = False) -> None:
        if not rows:
            return
        self.buffers.setdefault((table, columns, replace), []).extend(rows)
        self.pending += len(rows)  # rows, not items: a page is one item with dozens of rows

    def _take(self) -> dict[tuple, list[tuple]]:
        buffers, self.buffers = self.buffers, {}
        self.pending = 0
        self.last_flush = time.monotonic()
        return buffers

    def flush(self) -> None:
        """Write every buffered row in one transaction, now."""
        if not self.buffers or self.db is None:
            return
        with store.transaction(self.db, "store crawled pages"):
            for (table, columns, replace), rows in self._take().items():
                store.write_tuples(self.db, table, columns, rows, replace=replace)

    async def _write_in_slices(self, buffers: dict[tuple, list[tuple]]) -> None:
        """One transaction, written WRITE_SLICE rows at a time, the reactor running in between."""
        try:
            for (table, columns, replace), rows in buffers.items():
                for start in range(0, len(rows), WRITE_SLICE):
                    if self.db is None:
                        return
                    store.write_tuples(self.db, table, columns, rows[start:start + WRITE_SLICE], replace=replace)
                    await asyncio.sleep(0)
            store.commit(self.db, "store crawled pages")
        except StoreError as exc:
            store.rollback(self.db)
            self._fail(exc)
        finally:
            self.writing = None

    async def close_spider(self, spider=None):
        self._cancel_due()
        if self.writing is not None:
            await self.writing  # the batch in hand first: its rows come before the last ones
        if self.db is None or self.error is not None:
            return
        try:
            self.flush()
        except StoreError as exc:
            self._fail(exc)

    def spider_closed(self, spider=None, reason="finished"):
        if self.db is None:
            return
        try:
            if self.error is None:
                resolve_fragments(self.db, self.run_id)
        except StoreError as exc:
            self._fail(exc)
        finally:
            status = "finished" if reason == "finished" and self.error is None else "interrupted"
            try:
                counts = store.finish_run(self.db, self.run_id, status)
                self.crawler.stats.set_value("siteaudit/counts", counts)
            except StoreError as exc:
                if self.error is None:
                    self._fail(exc)
            self.db.conn.close()
            self.db = None
            if self.lock is not None:
                self.lock.release()
