"""siteaudit with the profile's proposed fixes applied as monkeypatches, to measure them.

    .venv/bin/python bench/patched_siteaudit.py [--patches callbacks,segments,urls,asdict] crawl URL ...
    bench/run --variant "patched=..."   (see bench/README.md: the ``patched`` tool)

Nothing here is meant to ship: each patch is a stand-in for a small change in
crawler/ or src/ (named in bench/README.md) so its gain can be measured in the
same run as the unpatched crawl before anyone edits the code.

- ``callbacks``: one bound method per spider for callback/errback.  Scrapy's
  ``warn_on_generator_with_return_value`` caches its ``ast.parse`` of the
  callback's source in a weak-keyed cache; a fresh bound method per request
  dies with the request, so the source is re-parsed for most responses.
- ``segments``: ``page_facts`` reuses the segmentation ``extract_from_tree``
  made of the same tree instead of segmenting the page a second time.
- ``urls``: memoise URL resolution/normalisation (nav, footer and asset links
  repeat on every page: most of the ~37 links a page resolve to a URL seen before);
  root-relative and absolute hrefs are keyed by the page's origin, not its URL.
- ``pool`` (not in the default set): parse, links, extraction and page facts
  of each page run in a process pool (``SITEAUDIT_BENCH_POOL`` workers, default
  1) from an ``async def`` callback, so the reactor thread only fetches,
  schedules and stores.
- ``lazyrules`` (not in the default set): the rules' ``RunData`` reads a page's
  links and findings from SQLite when a rule asks for them (``.get(url)``)
  instead of loading every link occurrence and finding of the run as dicts.
- ``asdict``: the pipeline turns flat dataclasses into rows with a shallow copy
  instead of ``dataclasses.asdict``'s recursive deep copy.
"""

from __future__ import annotations

import dataclasses
import functools
import sys

ALL = ("callbacks", "segments", "urls", "asdict", "pool", "lazyrules")
DEFAULT = ("callbacks", "segments", "urls", "asdict")


def _analyse(body: bytes, text: str, url: str) -> tuple:
    """In a worker process: everything parse_page computes from the page (one tree)."""
    from siteaudit import links as linklib
    from siteaudit.extract import extract_from_tree
    from siteaudit.extract.text import parse_html
    from siteaudit.rules.facts import page_facts

    root = parse_html(text, base_url=url)
    title = " ".join((root.findtext(".//title") or "").split())[:500]
    extraction = extract_from_tree(root, url)
    return (title, linklib.anchors_of(root), linklib.extract_links(root, url), extraction.findings,
            extraction.offices, page_facts(root, url))


class _Pending:
    """What the patched parse_page yields instead of parsing: the work to send to the pool."""

    def __init__(self, response, url, depth, checks):
        self.response, self.url, self.depth, self.checks = response, url, depth, checks


def _apply_pool() -> None:
    import asyncio
    import hashlib
    import os
    from concurrent.futures import ProcessPoolExecutor

    from siteaudit.model import Page
    from siteaudit.store import now_iso
    from siteaudit_crawler.items import PageItem
    from siteaudit_crawler.spiders import site

    workers = int(os.environ.get("SITEAUDIT_BENCH_POOL", "1"))
    pool = ProcessPoolExecutor(max_workers=workers)
    pool.submit(int).result()  # fork every worker now, before the reactor starts threads
    original_init = site.SiteSpider.__init__
    sync_on_response = site.SiteSpider.on_response

    def parse_page(self, response, url, depth, checks):
        yield _Pending(response, url, depth, checks)

    async def on_response(self, response):
        for out in sync_on_response(self, response):
            if not isinstance(out, _Pending):
                yield out
                continue
            r = out.response
            text = r.text if hasattr(r, "text") else r.body.decode("utf-8", "replace")
            digest = hashlib.sha256(r.body).hexdigest()[:32]
            original = self.content_seen.setdefault(digest, out.url)
            page = Page(url=out.url, final_url=r.url, status=r.status,
                        content_type=(r.headers.get(b"Content-Type") or b"").decode("latin-1"),
                        content_hash=digest, depth=out.depth, fetched_at=now_iso(), size=len(r.body))
            if original != out.url:
                from siteaudit.extract.text import parse_html
                from siteaudit import links as linklib

                root = parse_html(text, base_url=out.url)
                page.title = " ".join((root.findtext(".//title") or "").split())[:500]
                page.anchors = linklib.anchors_of(root)
                page.duplicate_of = original
                yield PageItem(page=page, checks=out.checks)
                self.crawler.stats.inc_value("siteaudit/pages")
                continue
            title, anchors, edges, findings, offices, facts = await asyncio.wrap_future(
                pool.submit(_analyse, b"", text, out.url))
            page.title, page.anchors = title, anchors
            yield PageItem(page=page, edges=edges, findings=findings, offices=offices, facts=facts,
                           checks=out.checks)
            self.crawler.stats.inc_value("siteaudit/pages")
            for edge in edges:
                if edge.target not in self.seen:
                    self.seen.add(edge.target)
                    for req in self._schedule(edge.target, out.depth + 1):
                        yield req

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.on_response = on_response.__get__(self)

    site.SiteSpider.parse_page = parse_page
    site.SiteSpider.__init__ = __init__


class _BySource:
    """A read-only ``{url: [row]}`` that queries one page's rows when asked (``.get`` only)."""

    def __init__(self, db, sql: str, run_id: int, convert=None):
        self.db, self.sql, self.run_id, self.convert = db, sql, run_id, convert

    def get(self, url, default=None):
        from siteaudit.store import query

        rows = query(self.db, self.sql, [self.run_id, url])
        if self.convert:
            rows = [self.convert(r) for r in rows]
        return rows or default


def _apply_lazyrules() -> None:
    from siteaudit.rules import data

    original_query, original_init = data.query, data.RunData.__init__
    big = ("SELECT * FROM findings WHERE run_id = ? ORDER BY url, id",
           "SELECT source, target, fragment, element, text, path, line FROM links WHERE run_id = ? ORDER BY id")

    def query(db, sql, params=()):
        if sql.strip() in big:
            return []  # loaded per page instead, below
        return original_query(db, sql, params)

    def finding(f):
        flags, extra = data._json(f.get("flags"), []), data._json(f.get("data"), {})
        f["flags"] = [str(x) for x in flags] if isinstance(flags, list) else []
        f["data"] = extra if isinstance(extra, dict) else {}
        return f

    def __init__(self, db, run_id, as_of=None):
        original_init(self, db, run_id, as_of)
        self.findings = _BySource(db, "SELECT * FROM findings WHERE run_id = ? AND url = ? ORDER BY id", run_id,
                                  finding)
        self.edges = _BySource(db, "SELECT source, target, fragment, element, text, path, line FROM links "
                                   "WHERE run_id = ? AND source = ? ORDER BY id", run_id)

    data.query = query
    data.RunData.__init__ = __init__


def already_done(patch: str) -> str:
    """Why a patch is not needed (the code does it now), or '' when it still applies."""
    import inspect

    from siteaudit_crawler.spiders import site

    if patch == "pool" and inspect.isasyncgenfunction(site.SiteSpider.on_response):
        return "on_response is already async (the crawler has its own page pool)"
    if patch == "callbacks" and "cb_response" in inspect.getsource(site.SiteSpider):
        return "the spider already binds its callbacks once"
    if patch == "segments":
        from siteaudit.rules import facts

        if "segments" in inspect.signature(facts.page_facts).parameters:
            return "page_facts already takes the extractors' segments"
    if patch == "urls":
        from siteaudit import links

        if any(hasattr(getattr(links, name, None), "cache_info") for name in dir(links)):
            return "links already memoises target resolution"
    if patch == "asdict":
        from siteaudit_crawler import pipelines

        if not hasattr(pipelines, "asdict"):
            return "the pipeline no longer uses dataclasses.asdict"
    return ""


def apply(patches: set[str]) -> None:
    for patch in sorted(patches):
        reason = already_done(patch)
        if reason:
            print(f"patched_siteaudit: {patch} skipped: {reason}", file=sys.stderr)
            patches = patches - {patch}
    if "lazyrules" in patches:
        _apply_lazyrules()
    if "pool" in patches:  # before "callbacks", whose __init__ then wraps this one
        _apply_pool()
    if "callbacks" in patches:
        from siteaudit_crawler.spiders import site

        original_init = site.SiteSpider.__init__

        def __init__(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
            if "pool" not in patches:
                self.on_response = site.SiteSpider.on_response.__get__(self)  # one object, a stable cache key
            self.on_error = site.SiteSpider.on_error.__get__(self)
            self.parse_sitemap = site.SiteSpider.parse_sitemap.__get__(self)

        site.SiteSpider.__init__ = __init__
    if "segments" in patches:
        from siteaudit import extract
        from siteaudit.extract import text
        from siteaudit.rules import facts

        last: list = [None, None]

        def segment_once(root):
            if last[0] is root:
                return last[1]
            segments = text.segment(root)
            last[0], last[1] = root, segments
            return segments

        extract.segment = segment_once
        facts.segment = segment_once
    if "urls" in patches:
        from siteaudit import links
        from siteaudit_crawler.spiders import site

        from urllib.parse import urlsplit

        resolve_uncached = links.resolve
        resolve_cached = functools.lru_cache(maxsize=65536)(resolve_uncached)

        @functools.lru_cache(maxsize=4096)
        def origin(base: str) -> str:
            parts = urlsplit(base)
            return f"{parts.scheme}://{parts.netloc}/"

        def resolve(base: str, raw: str) -> str:
            # Root-relative and absolute hrefs do not depend on the page's path: key them by origin,
            # so "/services/" on 2,000 pages is resolved once, not once per page.
            if raw.startswith(("http://", "https://")) or (raw.startswith("/") and not raw.startswith("//")):
                return resolve_cached(origin(base), raw)
            return resolve_uncached(base, raw)

        links.resolve = resolve
        links.normalize_url = functools.lru_cache(maxsize=65536)(links.normalize_url)
        site.normalize_url = links.normalize_url
    if "asdict" in patches:
        from siteaudit_crawler import pipelines

        def shallow(obj):
            return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

        pipelines.asdict = shallow


def main(argv: list[str]) -> int:
    patches = set(DEFAULT)
    if argv and argv[0].startswith("--patches"):
        value = argv[0].split("=", 1)[1] if "=" in argv[0] else argv[1]
        argv = argv[1:] if "=" in argv[0] else argv[2:]
        patches = {p for p in value.split(",") if p}
    unknown = patches - set(ALL)
    if unknown:
        print(f"unknown patches: {', '.join(sorted(unknown))} (choose from {', '.join(ALL)})", file=sys.stderr)
        return 2
    apply(patches)
    from siteaudit.cli import main as cli

    return cli.main(args=argv, prog_name="siteaudit")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
