"""Identity check for speed work: dump everything ``analyse_page`` returns, compare two dumps.

Runs in the project venv with the crawler importable:

    PYTHONPATH=crawler .venv/bin/python bench/extract_identity.py --out /tmp/before.json [--site /tmp/xsite]
    PYTHONPATH=crawler .venv/bin/python bench/extract_identity.py --out /tmp/after.json --compare /tmp/before.json

Every HTML page it can find is analysed: the shared corpus, the extraction
holdouts, the test and rule scenario sites, the demo site, a generated site
(``bench/gen_site.py``; its pages under ``www/``) and a few synthetic pages
from the growth check.  For each page the dump holds the title, anchors, every
edge, finding, office and the page facts with all their fields, plus the
segments :func:`siteaudit.extract.segment` returns (public API too), in a
canonical JSON form (sorted keys, one page per line).  ``--compare`` reports
every difference, field by field, and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
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
    ("tests-sites", ROOT / "tests" / "sites", "http://127.0.0.1:8000/"),
    ("demo", ROOT / "src" / "siteaudit" / "demo" / "site", "http://127.0.0.1:8000/"),
    ("rules-sites", ROOT / "tests" / "rules" / "sites", "http://127.0.0.1:8000/"),
]


def pages(site: Path | None):
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
    a = p.parse_args(argv)
    site = a.site if (a.site / "www").exists() else None
    if site is None:
        print(f"no generated site at {a.site}: skipping it", file=sys.stderr)
    t0 = time.process_time()
    n = 0
    with a.out.open("w", encoding="utf-8") as fh:
        for label, url, text in pages(site):
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
