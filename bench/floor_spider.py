"""The Scrapy floor: a minimal spider that only follows and checks links (no extraction, no storage).

    .venv/bin/python bench/floor_spider.py URL CONCURRENCY OUT.json

Same requests as a link checker: GET every in-site HTML page, HEAD every
other target once, GET again when HEAD fails; redirects are Scrapy's own
middleware (so a loop is dropped by its dupefilter, not reported).  Writes the targets that answered >= 400 or failed to OUT.json.
It shows how fast Scrapy itself can do the fetching on this machine, so the
distance between siteaudit and the framework is visible.
"""

from __future__ import annotations

import json
import re
import sys
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess

DOC = re.compile(r"\.(pdf|jpe?g|png|gif|css|js|ico)$", re.I)


class FloorSpider(scrapy.Spider):
    name = "floor"
    custom_settings = {"HTTPERROR_ALLOW_ALL": True, "LOG_LEVEL": "WARNING", "ROBOTSTXT_OBEY": False,
                       "RETRY_ENABLED": False, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
                       "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"}

    def __init__(self, url: str, out: str, **kw):
        super().__init__(**kw)
        self.start_urls = [url]
        self.host = urlsplit(url).netloc
        self.out = out
        self.broken: set[str] = set()
        self.seen: set[str] = {url}

    def parse(self, response):
        if response.status >= 400 and response.request.method == "HEAD":
            yield response.request.replace(method="GET", dont_filter=True)  # servers that refuse HEAD
            return
        if response.status >= 400:
            self.broken.add(response.meta.get("target", response.url))
            return
        if not isinstance(response, scrapy.http.HtmlResponse):
            return
        for raw in response.xpath("//a/@href | //img/@src | //link/@href | //script/@src").getall() + [
                part.split()[0] for s in response.xpath("//img/@srcset").getall() for part in s.split(",") if part.strip()]:
            url = urljoin(response.url, raw.strip()).split("#", 1)[0]
            if not url.startswith("http") or url in self.seen:
                continue
            self.seen.add(url)
            internal = urlsplit(url).netloc == self.host and not DOC.search(url)
            yield scrapy.Request(url, method="GET" if internal else "HEAD", callback=self.parse,
                                 errback=self.failed, meta={"target": url})

    def failed(self, failure):
        self.broken.add(failure.request.meta.get("target", failure.request.url))

    def closed(self, reason):
        with open(self.out, "w") as fh:
            json.dump(sorted(self.broken), fh)


def main(argv: list[str]) -> int:
    url, concurrency, out = argv[0], int(argv[1]), argv[2]
    # CONCURRENT_ITEMS=1: Scrapy's default (100) creates 100 asyncio tasks per response; the
    # floor is the framework at its best, so it gets the knob siteaudit uses too.
    process = CrawlerProcess({"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                              "CONCURRENT_ITEMS": 1})
    process.crawl(FloorSpider, url=url, out=out)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
