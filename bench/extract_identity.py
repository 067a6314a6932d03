"""Identity check for speed work: dump everything ``analyse_page`` returns, compare two dumps.

Runs in the project venv with the crawler importable:

    PYTHONPATH=crawler .venv/bin/python bench/extract_identity.py --out /tmp/before.json [--site /tmp/xsite]
    PYTHONPATH=crawler .venv/bin/python bench/extract_identity.py --out /tmp/after.json --compare /tmp/before.json

Every HTML page it can find is analysed: the shared corpus, the extraction
holdouts, the test and rule scenario sites, the demo site, a generated site
(``bench/gen_site.py``; its pages under ``www/``), a few synthetic pages
from the growth check and reproducible random pages (``--random``).  For
each page the dump holds the title, anchors, every edge, finding, office and
the page facts with all their fields, plus the segments
:func:`siteaudit.extract.segment` returns (public API too), in a canonical
JSON form (sorted keys, one page per line).  ``--compare`` reports every
difference, field by field, and exits 1 when there is any.

To compare against another version of the code, run this script with that
version first on ``PYTHONPATH`` (``PYTHONPATH=/tmp/old/src:/tmp/old/crawler``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
import time
from pathlib import Path

from siteaudit.extract import segment
from siteaudit.extract.text import parse_html
from siteaudit_crawler.pagework import analyse_page

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SOURCES = [  # (label, directory, url prefix)
    ("corpus", ROOT.parent / "shared" / "corpus" / "pages", "http://example.gov/"),
    ("holdout", ROOT / "tests" / "extract" / "holdout", "https://www.agency.gov/"),
    ("holdout2", ROOT / "tests" / "extract" / "holdout2", "https://www.agency.gov/"),
    ("holdout3", ROOT / "tests" / "extract" / "holdout3", "https://www.agency.gov/"),
    ("holdout4", ROOT / "tests" / "extract" / "holdout4", "https://www.agency.gov/"),
    ("holdout5", ROOT / "tests" / "extract" / "holdout5", "https://www.agency.gov/"),
    ("holdout6", ROOT / "tests" / "extract" / "holdout6", "https://www.agency.gov/"),
    ("holdout7", ROOT / "tests" / "extract" / "holdout7", "https://www.agency.gov/"),
    ("holdout8", ROOT / "tests" / "extract" / "holdout8", "https://www.agency.gov/"),
    ("holdout9", ROOT / "tests" / "extract" / "holdout9", "https://www.agency.gov/"),
    ("tests-sites", ROOT / "tests" / "sites", "http://127.0.0.1:8000/"),
    ("demo", ROOT / "src" / "siteaudit" / "demo" / "site", "http://127.0.0.1:8000/"),
    ("rules-sites", ROOT / "tests" / "rules" / "sites", "http://127.0.0.1:8000/"),
]


def pages(site: Path | None, n_random: int = 0):
    """(label, url, text) of every page, in a fixed order."""
    dirs = list(SOURCES)
    if site is not None:
        dirs.append(("generated", site / "www", "http://127.0.0.1:8000/"))
    for label, directory, prefix in dirs:
        if not directory.exists():
            print(f"missing: {directory}", file=sys.stderr)
            continue
        for f in sorted(p for p in directory.rglob("*") if p.suffix.lower() in (".html", ".htm") and p.is_file()):
            rel = f.relative_to(directory).as_posix()
            yield label, prefix + rel, f.read_bytes().decode("utf-8", "replace")
    yield from synthetic(site)
    yield from random_pages(n_random)


def synthetic(site: Path | None):
    """The growth check's shapes, small: many links in one list, one long block, a page repeated."""
    sys.path.insert(0, str(BENCH))
    import extract_bench as eb  # noqa: PLC0415 - a sibling script, not a package

    yield "synthetic", "http://example.gov/links", eb.many_links(600).decode()
    yield "synthetic", "http://example.gov/words", eb.long_block(3000).decode()
    if site is not None:
        files = sorted((site / "www").rglob("*.html"))
        if files:
            seed = files[len(files) // 2].read_bytes()
            yield "synthetic", "http://127.0.0.1:8000/grown", eb.grown(seed, 3).decode()


# Random pages: markup and text that exercise every branch the real pages may not (hidden and
# Cloudflare-protected content, tables, cards, odd hrefs, obfuscated addresses, non-ASCII case).
_BLOCK_TAGS = ["div", "p", "li", "ul", "section", "article", "table", "tr", "td", "th", "h2", "h3", "address",
               "footer", "header", "nav", "main", "dl", "dd", "dt"]
_INLINE_TAGS = ["span", "b", "strong", "em", "a", "img", "br", "small", "font", "abbr"]
_SKIPPED_TAGS = ["script", "style", "noscript", "button", "select", "template"]
_WORDS = ["Call", "us", "at", "(312) 555-0100", "312-555-0199", "Fax:", "TTY", "711", "Phone", "Email", "info@city.gov",
          "john [at] city [dot] gov", "100 State Street", "Albany, NY 12207", "Springfield, IL 62701", "PO Box 14020",
          "Salem, OR", "Monday", "through", "Friday", "8:30 a.m.", "to", "4:30 p.m.", "Mon-Fri 9-5", "noon", "midnight",
          "closed", "holidays", "Closed November 10, 2023", "Office hours:", "by appointment", "walk-ins welcome",
          "schedule an appointment", "Last updated: March 5, 2024", "Main Office", "Hours", "Contact us", "911", "988",
          "*911", "Text HELP to 41411", "1-800-FLOWERS", "+44 20 7946 0958", "ext. 12", "\u00a0", "\u2013",
          "\u0130stanbul", "\u017f", "\u212a", "\u03a3", "  ", "\n", "&amp;", "2024", "12345"]
_ATTRS = [' class="card"', ' class="office-block col"', ' id="x1"', ' id="main"', ' hidden', ' data-cfemail="2a4344"',
          ' data-cfemail="0b62656d644b686a7d6e65256c647d"', ' alt="Photo"', ' name="anc"', ' itemscope',
          ' typeof="Organization"', ' style="display:none"', ' aria-hidden="true"', ' href="/about/x.html"']
_HREFS = ["/a/b.html", "/a/b.html#c", "#top", "#", "", "page.html", "../up/x.html", "https://www.example.gov/p/q?x=1",
          "HTTPS://WWW.EXAMPLE.GOV:443/Q", "http://other.gov", "mailto:info@city.gov", "tel:+1-312-555-0100",
          "javascript:void(0)", " /sp ace ", "/a/./b/../c", "/%7Euser/", "/\u00fc/\u00e9", "http://[::1]/x",
          "http://h.gov:99999/x", "/cdn-cgi/l/email-protection#0b62656d644b686a7d6e65256c647d", "//cdn.gov/x", "?q=1",
          "/a?b=c&amp;d=e", "/a\tb"]


def _random_element(rnd: random.Random, depth: int) -> str:
    r = rnd.random()
    if depth > 5 or r < 0.3:
        return rnd.choice(_WORDS)
    if r < 0.35:
        return f"<!-- {rnd.choice(_WORDS)} -->{rnd.choice(_WORDS)}"
    tag = rnd.choice(_BLOCK_TAGS if r < 0.7 else _INLINE_TAGS if r < 0.93 else _SKIPPED_TAGS)
    attrs = "".join(rnd.choice(_ATTRS) for _ in range(rnd.choice([0, 0, 1, 1, 2])))
    if tag == "a" and rnd.random() < 0.8:
        attrs += f' href="{rnd.choice(_HREFS)}"'
    if tag in ("br", "img"):
        return f"<{tag}{attrs}>" + (rnd.choice(_WORDS) if rnd.random() < 0.5 else "")
    kids = " ".join(_random_element(rnd, depth + 1) for _ in range(rnd.randint(0, 4)))
    return f"<{tag}{attrs}>{kids}</{tag}>" + (" " + rnd.choice(_WORDS) if rnd.random() < 0.3 else "")


def random_pages(n: int):
    """``n`` reproducible random pages (seeded by their number)."""
    for seed in range(n):
        rnd = random.Random(seed)
        body = " ".join(_random_element(rnd, 0) for _ in range(rnd.randint(1, 8)))
        yield "random", f"http://www.example.gov/r/{seed % 7}/p{seed}.html", \
            f"<html><head><title>R {seed}</title></head><body>{body}</body></html>"


def plain(value):
    """JSON-ready form of a dataclass / list / dict / tuple, keeping every field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, set):
        return sorted(plain(v) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def dump_page(label: str, url: str, text: str) -> dict:
    result = analyse_page(text, url, budget_seconds=0)  # no wall-clock budget: a busy machine must not change output
    segs = segment(parse_html(text, base_url=url))
    return {"set": label, "url": url, "analysis": plain(result), "segments": plain(segs)}


def diff(old, new, where: str, out: list[str], limit: int = 2000) -> None:
    if len(out) >= limit or old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for k in sorted(set(old) | set(new)):
            if k not in old:
                out.append(f"{where}.{k}: added {json.dumps(new[k])[:300]}")
            elif k not in new:
                out.append(f"{where}.{k}: removed {json.dumps(old[k])[:300]}")
            else:
                diff(old[k], new[k], f"{where}.{k}", out, limit)
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            out.append(f"{where}: length {len(old)} -> {len(new)}")
        for i, (a, b) in enumerate(zip(old, new)):
            diff(a, b, f"{where}[{i}]", out, limit)
    else:
        out.append(f"{where}: {json.dumps(old)[:300]} -> {json.dumps(new)[:300]}")


def load(path: Path) -> dict[str, dict]:
    rows = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            rows[f"{row['set']} {row['url']}"] = row
    return rows


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, required=True, help="where to write this run's dump (JSON lines)")
    p.add_argument("--site", type=Path, default=Path("/tmp/xsite"), help="a generated site (gen_site.py --out)")
    p.add_argument("--compare", type=Path, help="an earlier dump: report every difference")
    p.add_argument("--random", type=int, default=2000, help="random pages to add (reproducible)")
    a = p.parse_args(argv)
    site = a.site if (a.site / "www").exists() else None
    if site is None:
        print(f"no generated site at {a.site}: skipping it", file=sys.stderr)
    t0 = time.process_time()
    n = 0
    with a.out.open("w", encoding="utf-8") as fh:
        for label, url, text in pages(site, a.random):
            fh.write(json.dumps(dump_page(label, url, text), sort_keys=True, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} pages dumped to {a.out} in {time.process_time() - t0:.1f} s CPU")
    if a.compare is None:
        return 0
    old, new = load(a.compare), load(a.out)
    problems: list[str] = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            problems.append(f"{key}: page missing from the new dump")
        elif key not in old:
            problems.append(f"{key}: page not in the old dump")
        else:
            diff(old[key], new[key], key, problems)
    for line in problems:
        print(line)
    print(f"{len(problems)} difference(s) over {len(set(old) | set(new))} pages")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
