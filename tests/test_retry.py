"""The retry middleware on its own: backoff, and no retries for a host already found down."""

from __future__ import annotations

import asyncio

from scrapy import Request, Spider
from scrapy.exceptions import DownloadConnectionRefusedError, DownloadTimeoutError
from scrapy.utils.test import get_crawler

from siteaudit_crawler.middlewares import BackoffRetryMiddleware


def middleware(retries: int = 2) -> BackoffRetryMiddleware:
    # No backoff wait: the test checks decisions, not sleeping.
    crawler = get_crawler(Spider, {"RETRY_TIMES": retries, "SITEAUDIT_RETRY_BACKOFF": 0})
    crawler.spider = crawler._create_spider("retry-test")
    return BackoffRetryMiddleware.from_crawler(crawler)


def fail(mw, url: str, exc: Exception, retry_times: int = 0):
    request = Request(url, meta={"retry_times": retry_times} if retry_times else {})
    return asyncio.run(mw.process_exception(request, exc))


def test_a_refused_connection_is_retried_until_the_retries_run_out():
    mw = middleware(retries=2)
    again = fail(mw, "http://127.0.0.1:9/a", DownloadConnectionRefusedError("refused"))
    assert isinstance(again, Request) and again.meta["retry_times"] == 1
    assert fail(mw, "http://127.0.0.1:9/a", DownloadConnectionRefusedError("refused"), retry_times=2) is None


def test_other_links_to_a_host_found_down_fail_at_once():
    mw = middleware(retries=2)
    assert fail(mw, "http://127.0.0.1:9/a", DownloadConnectionRefusedError("refused"), retry_times=2) is None
    # The next link to the same host:port is not retried: the error goes straight to the spider.
    assert fail(mw, "http://127.0.0.1:9/b", DownloadConnectionRefusedError("refused")) is None
    # Another port of the same address is another server: retried as usual.
    assert isinstance(fail(mw, "http://127.0.0.1:10/b", DownloadConnectionRefusedError("refused")), Request)


def test_a_timeout_does_not_mark_the_host_down():
    mw = middleware(retries=1)
    assert fail(mw, "http://127.0.0.1:9/slow", DownloadTimeoutError("timed out"), retry_times=1) is None
    # A slow page says nothing about the host's other pages.
    assert isinstance(fail(mw, "http://127.0.0.1:9/other", DownloadTimeoutError("timed out")), Request)


def test_the_lean_stats_collector_counts_as_scrapys_does():
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.test import get_crawler

    from siteaudit_crawler.stats import LeanStats

    crawler = get_crawler(Spider)
    lean, scrapy_stats = LeanStats(crawler), MemoryStatsCollector(crawler)
    for stats in (lean, scrapy_stats):
        stats.inc_value("a")
        stats.inc_value("a", 2)
        stats.set_value("b", "x")
        stats.max_value("m", 3)
        stats.max_value("m", 1)
        stats.min_value("n", 5)
    assert lean.get_stats() == scrapy_stats.get_stats() == {"a": 3, "b": "x", "m": 3, "n": 5}
    assert lean.get_value("missing", 7) == 7
