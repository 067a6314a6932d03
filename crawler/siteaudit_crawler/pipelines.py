"""The storage pipeline: items into SQLite in batches, one run per crawl.

Opens the database in ``open_spider`` (creating the run, or continuing one
with ``SITEAUDIT_RUN_ID`` for ``--resume``), buffers rows and writes them in
one transaction per batch, flushes in ``close_spider``, and on the
``spider_closed`` signal (the first moment the close reason is known: a
SIGTERM is ``shutdown``) resolves ``#fragment`` checks and marks the run
finished or interrupted.  A page's rows
(page, edges, findings, offices) always go in the same batch, so a kill
between batches never leaves half a page.

When the database refuses a write (locked past the busy timeout, read-only,
disk full) the batch is rolled back, the crawl stops, and the error is left in
the stats as ``siteaudit/store_error`` for the runner to report: what was
committed before stays intact and the run can be resumed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import fields
from functools import cache

from siteaudit import store
from siteaudit.errors import StoreError
from siteaudit.fragments import resolve_fragments
from siteaudit.rules.facts import PAGE_TEXT_DDL

from .items import CheckItem, EdgesItem, PageItem
from .runlock import RunLock

logger = logging.getLogger(__name__)

@cache
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _row(obj) -> dict:
    """A dataclass as a row: a shallow copy (``dataclasses.asdict`` deep-copies every
    list and dict, and the store JSON-encodes them anyway)."""
    return {name: getattr(obj, name) for name in _field_names(type(obj))}


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        s = crawler.settings
        self.db_path = s.get("SITEAUDIT_DB")
        self.resume_run = s.getint("SITEAUDIT_RUN_ID", 0) or None
        self.flush_rows = s.getint("SITEAUDIT_FLUSH_ROWS", 2000)
        self.flush_seconds = s.getfloat("SITEAUDIT_FLUSH_SECONDS", 2.0)
        self.buffers: dict[str, list[dict]] = {}
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
        store.ensure_table(self.db, PAGE_TEXT_DDL)
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
            page = _row(item.page)
            self._add("pages", {"run_id": run, **page}, replace=True)
            for e in item.edges:
                self._add("links", {"run_id": run, **_row(e)})
            keys = {id(f): i for i, office in enumerate(item.offices) for f in office.findings}
            for i, office in enumerate(item.offices):
                self._add("offices", {"run_id": run, "url": page["url"], "office_key": i, "name": office.name,
                                      "path": office.path, "line": office.line, "kinds": sorted(office.kinds)},
                          replace=True)
            for f in item.findings:
                row = _row(f)
                row.pop("section", None)
                self._add("findings", {"run_id": run, "url": page["url"], "office_key": keys.get(id(f)), **row})
            for check in item.checks:
                self._add_check(check)
            if item.facts is not None:
                self._add("page_text", {"run_id": run, "url": page["url"], **item.facts}, replace=True)
        elif isinstance(item, CheckItem):
            self._add_check(item.check)
        elif isinstance(item, EdgesItem):
            for e in item.edges:
                self._add("links", {"run_id": run, **_row(e)})
        if self.pending >= self.flush_rows or time.monotonic() - self.last_flush > self.flush_seconds:
            try:
                self.flush()
            except StoreError as exc:
                self._fail(exc)
        return item

    def _fail(self, exc: StoreError) -> None:
        """Stop the crawl after a failed write; the runner turns this into exit code 2."""
        self.error = str(exc)
        self.buffers = {}
        logger.info("stopping the crawl: %s", exc)  # the CLI prints the error once
        self.crawler.stats.set_value("siteaudit/store_error", self.error)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason="store_error"))

    def _add_check(self, check) -> None:
        row = _row(check)
        row["outcome"] = str(check.outcome)
        self._add("link_checks", {"run_id": self.run_id, **row, "checked_at": store.now_iso()}, replace=True)

    def _add(self, table: str, row: dict, replace: bool = False) -> None:
        key = f"{table}|{'r' if replace else 'i'}"
        self.buffers.setdefault(key, []).append(row)
        self.pending += 1  # rows, not items: a page is one item with dozens of rows

    def flush(self) -> None:
        """Write every buffered row in one transaction."""
        if not self.buffers or self.db is None:
            return
        buffers, self.buffers = self.buffers, {}
        with store.transaction(self.db, "store crawled pages"):
            for key, rows in buffers.items():
                table, mode = key.split("|")
                store.write_rows(self.db, table, rows, replace=(mode == "r"))
        self.pending = 0
        self.last_flush = time.monotonic()

    def close_spider(self, spider=None):
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
