"""Drive the site spider without a crawl: for tests of its decisions (redirect guard, resume).

``offline_spider`` builds a ``SiteSpider`` without a running crawler and
gives it what ``from_crawler`` would (callbacks, limits, stats);
``drain`` collects a callback's output whether it is a generator or an
async generator.
"""

from __future__ import annotations

import asyncio
import inspect
from types import SimpleNamespace

from siteaudit_crawler.spiders.site import SiteSpider


def offline_spider(**kwargs) -> SiteSpider:
    spider = SiteSpider(**kwargs)
    for name, method in (("cb_response", "on_response"), ("cb_error", "on_error"), ("cb_sitemap", "parse_sitemap")):
        if not hasattr(spider, name):
            setattr(spider, name, getattr(spider, method))
    spider.max_size = getattr(spider, "max_size", 10 * 1024 * 1024)
    spider.extract_seconds = getattr(spider, "extract_seconds", 30.0)
    spider.crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    return spider


def drain(output) -> list:
    if inspect.isasyncgen(output):
        async def collect():
            return [item async for item in output]

        return asyncio.run(collect())
    if inspect.iscoroutine(output):
        return list(asyncio.run(output) or [])
    return list(output)
