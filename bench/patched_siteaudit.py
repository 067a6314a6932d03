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
  repeat on every page: most of the ~37 links a page resolve to a URL seen before).
- ``asdict``: the pipeline turns flat dataclasses into rows with a shallow copy
  instead of ``dataclasses.asdict``'s recursive deep copy.
"""

from __future__ import annotations

import dataclasses
import functools
import sys

ALL = ("callbacks", "segments", "urls", "asdict")


def apply(patches: set[str]) -> None:
    if "callbacks" in patches:
        from siteaudit_crawler.spiders import site

        original_init = site.SiteSpider.__init__

        def __init__(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
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

        links.resolve = functools.lru_cache(maxsize=65536)(links.resolve)
        links.normalize_url = functools.lru_cache(maxsize=65536)(links.normalize_url)
        site.normalize_url = links.normalize_url
    if "asdict" in patches:
        from siteaudit_crawler import pipelines

        def shallow(obj):
            return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}

        pipelines.asdict = shallow


def main(argv: list[str]) -> int:
    patches = set(ALL)
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
