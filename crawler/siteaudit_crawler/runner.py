"""Run the site spider in-process with siteaudit's options (used by the CLI).

Scrapy's reactor cannot be restarted, so ``run_crawl`` can be called once per
process; tests run the CLI in a subprocess.  Scrapy is imported only inside
:func:`run_crawl`, after the page workers are spawned: they import the
extractors (~0.4 s) while this process imports Scrapy.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

from siteaudit import store
from siteaudit.crawlstate import load_resume_state
from siteaudit.errors import InputError, StoreError

from . import settings as project_settings
from .pagepool import default_workers, spawn_workers
from .runlock import RunLock
from .workerpool import gc_paused, tune_gc


@dataclass
class CrawlResult:
    run_id: int | None
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    finish_reason: str = ""


def build_settings(opts: dict[str, Any], db_path: str, log_level: str = "WARNING",
                   extra: dict[str, str] | None = None):
    from scrapy.settings import Settings

    s = Settings()
    s.setmodule(project_settings, priority="project")
    over: dict[str, Any] = {"SITEAUDIT_DB": db_path, "LOG_LEVEL": log_level,
                            "DOWNLOAD_TIMEOUT": opts["timeout"], "RETRY_TIMES": opts["retries"],
                            "SITEAUDIT_RETRY_AFTER_MAX": opts["retry_after_max"],
                            "DOWNLOAD_MAXSIZE": opts["max_size"], "ROBOTSTXT_OBEY": not opts["ignore_robots"]}
    level = logging.getLevelName(log_level) if isinstance(log_level, str) else log_level
    if isinstance(level, int) and level > logging.INFO:
        # Scrapy builds its "Versions:" INFO line at every start, running `uname -p` in a
        # subprocess for the platform name, even when the level drops the line.
        over["LOG_VERSIONS"] = []
    if opts.get("concurrency"):
        n = int(opts["concurrency"])
        over.update(CONCURRENT_REQUESTS_PER_DOMAIN=n, CONCURRENT_REQUESTS=max(32, n * 4), DOWNLOAD_DELAY=0,
                    AUTOTHROTTLE_START_DELAY=0, AUTOTHROTTLE_TARGET_CONCURRENCY=float(n))
    if opts.get("contact_url"):
        over["USER_AGENT"] = f"siteaudit/0.1 (+{opts['contact_url']}; contact-information and link review)"
    if opts.get("user_agent"):
        over["USER_AGENT"] = opts["user_agent"]
    s.setdict(over, priority="cmdline")
    for key, value in (extra or {}).items():
        s.set(key, value, priority="cmdline")
    return s


def validate_start_urls(urls: list[str]) -> None:
    """Raise :class:`InputError` naming the first start URL that cannot be crawled."""
    for url in urls:
        problem = _url_problem(url)
        if problem:
            raise InputError(f"{url!r} is not a usable start URL: {problem} (give e.g. https://www.example.gov/)")


_HOST = re.compile(r"^(\[[0-9a-f:.]+\]|[^\s/?#@:\[\]<>\\\"'`{}|^]+)$", re.I)


def _url_problem(url: str) -> str | None:
    if not re.match(r"https?://", url, re.I):
        return "not an http(s) URL"
    if re.search(r"[\s\x00-\x1f\x7f]", url):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"malformed ({exc})"
    host = parts.hostname or ""
    netloc_host = parts.netloc.rpartition("@")[2]
    netloc_host = netloc_host if netloc_host.startswith("[") else netloc_host.split(":")[0]
    if not host or not _HOST.match(netloc_host):
        return "no valid host name"
    if host.startswith(".") or ".." in host or host.startswith("-"):
        return "no valid host name"
    return None


def spawn_page_workers(extra_settings: dict[str, str] | None = None):
    """Start the page workers that ``SITEAUDIT_WORKERS`` (in ``extra_settings``, or the
    default) asks for; None for none.  Call it first: they boot while the rest starts."""
    workers = (extra_settings or {}).get("SITEAUDIT_WORKERS", project_settings.SITEAUDIT_WORKERS)
    return spawn_workers(default_workers() if workers in (None, "") else int(workers))


def run_crawl(start_urls: list[str], opts: dict[str, Any], db_path: str, *, resume_run: int | None = None,
              log_level: str = "WARNING", extra_settings: dict[str, str] | None = None,
              progress: Callable[[dict], None] | None = None, auth: str | None = None,
              page_workers=None) -> CrawlResult:
    """Crawl ``start_urls`` (and ``opts['sitemaps']``) into the database at ``db_path``.

    ``opts`` is the layered configuration (siteaudit.config).  With
    ``resume_run`` the stored run continues: stored targets are not fetched
    again.  ``progress`` is called about once a second with the live stats.
    ``auth`` (``user:password``) is sent as HTTP basic auth to the site's own
    hosts; it is handed to the spider only, never to settings, logs or the
    database.  ``page_workers``: a pool from :func:`spawn_page_workers`
    (spawned here when not given; closed either way).  Raises
    :class:`StoreError` when the database refuses a write (what was committed
    before stays intact).
    """
    if page_workers is None:
        page_workers = spawn_page_workers(extra_settings)
    try:
        return _prepare_and_crawl(start_urls, opts, db_path, resume_run, log_level, extra_settings, progress,
                                  auth, page_workers)
    finally:
        if page_workers is not None:
            page_workers.close()  # normally already closed with the spider


def _prepare_and_crawl(start_urls, opts, db_path, resume_run, log_level, extra_settings, progress, auth,
                       page_workers) -> CrawlResult:
    validate_start_urls(list(start_urls) + list(opts.get("sitemaps") or []))
    db = store.open_db(db_path)  # fail early and clearly on a bad path
    store.check_writable(db)  # ... and on a locked or read-only database
    resume_state = None
    if resume_run:
        info = store.run_info(db, store.resolve_run(db, resume_run))
        resume_run = info["id"]
        RunLock(db_path, resume_run).check()  # not while another process crawls it
        start_urls = start_urls or info["start_urls"]
        resume_state = load_resume_state(db, resume_run)
    db.conn.close()
    return _crawl(start_urls, opts, db_path, resume_run, resume_state, log_level, extra_settings, progress, auth,
                  page_workers)


def _crawl(start_urls, opts, db_path, resume_run, resume_state, log_level, extra_settings, progress, auth,
           page_workers) -> CrawlResult:
    with gc_paused():  # Scrapy, Twisted and aiohttp load here (~0.4 s of imports)
        process, crawler = _crawler(start_urls, opts, db_path, resume_run, resume_state, log_level, extra_settings,
                                    progress, auth, page_workers)
    tune_gc()  # Scrapy and the spider are loaded: what is alive now lives for the whole run
    process.start()
    stats = crawler.stats.get_stats()
    if progress is not None:
        progress(_live(crawler))
    run_id = stats.get("siteaudit/run_id")
    if stats.get("siteaudit/store_error"):
        raise StoreError(stats["siteaudit/store_error"])
    reason = stats.get("finish_reason", "")
    return CrawlResult(run_id=run_id, status="finished" if reason == "finished" else "interrupted",
                       counts=stats.get("siteaudit/counts", {}), finish_reason=reason)


def _crawler(start_urls, opts, db_path, resume_run, resume_state, log_level, extra_settings, progress, auth,
             page_workers):
    """The Scrapy process and the site spider's crawler, set up to run."""
    from scrapy.crawler import CrawlerProcess

    from .spiders.site import SiteSpider

    settings = build_settings(opts, db_path, log_level, extra_settings)
    if resume_run:
        settings.set("SITEAUDIT_RUN_ID", resume_run, priority="cmdline")
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # the CLI's handler prints
    process = CrawlerProcess(settings)
    # Scrapy's logging defaults put its own loggers at DEBUG, so every response and item built a
    # "Crawled (200)" record that our handler then dropped: filter at the logger instead.
    logging.getLogger("scrapy").setLevel(log_level)
    crawler = process.create_crawler(SiteSpider)
    kwargs = dict(start_urls=start_urls, sitemap_urls=opts.get("sitemaps") or [],
                  allow_hosts=opts.get("allow_hosts") or [], allow_paths=opts.get("allow_paths") or [],
                  exclude=opts.get("exclude") or [], max_pages=opts.get("max_pages"),
                  max_depth=opts.get("max_depth"), allow_private=opts.get("allow_private"),
                  max_pattern_pages=opts.get("max_pattern_pages"), auth=auth, page_workers=page_workers,
                  resume_state=resume_state, run_settings={k: v for k, v in opts.items() if k != "user_agent"})
    process.crawl(crawler, **kwargs)
    if progress is not None:
        from twisted.internet import task

        loop = task.LoopingCall(lambda: progress(_live(crawler)))
        loop.start(1.0, now=False)
    return process, crawler


def _live(crawler) -> dict:
    st = crawler.stats
    return {"pages": st.get_value("siteaudit/pages", 0), "checked": st.get_value("siteaudit/checked", 0),
            "broken": st.get_value("siteaudit/broken", 0)}
