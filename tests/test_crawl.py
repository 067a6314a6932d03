"""End-to-end crawls of the `basic` scenario: outcomes, referrers, scope, robots, sitemaps."""

from __future__ import annotations

import pytest

from crawl_helpers import Run, crawl


@pytest.fixture(scope="module")
def basic_run(basic_site, tmp_path_factory):
    db = tmp_path_factory.mktemp("crawl") / "basic.db"
    proc = crawl(db, basic_site.origin + "/")
    return Run(db), basic_site.origin, proc


EXPECTED = {
    "/": "ok",
    "/about.html": "ok",
    "/contact.html": "ok",
    "/style.css": "ok",
    "/logo.png": "ok",
    "/logo-2x.png": "broken",            # srcset candidate that does not exist
    "/docs/report.pdf": "ok",
    "/docs/missing.pdf": "broken",
    "/gone": "broken",
    "/_/status/410": "broken",
    "/_/always500": "broken",            # 5xx that persists after retries
    "/_/flaky503": "ok",                 # 503 then 200: retried, not broken
    "/_/redirect/3?to=/about.html": "redirect",
    "/_/moved?to=/contact.html": "redirect",
    "/_/loop/a": "broken",
    "/_/slow?s=4": "indeterminate",      # timed out
    "/_/retry-after": "ok",              # 429 + Retry-After, then 200
    "/_/always429": "indeterminate",     # still limited after retries
    "/private/secret.html": "excluded",  # robots.txt
    "/about.html#team": "ok",
    "/contact.html#nowhere": "broken-fragment",
    "mailto:info@fixture.example.gov": "ok",
    "mailto:broken@@fixture": "broken",
    "tel:+1-503-555-0100": "ok",
    "tel:555-01": "broken",
    "javascript:void(0)": "unsupported",
    "data:text/plain,hello": "unsupported",
    "http://127.0.0.1:1/": "broken",     # connection refused
}


def test_every_outcome_is_exact(basic_run):
    run, origin, proc = basic_run
    got = run.outcomes(origin)
    internal = {k: v for k, v in got.items() if "localhost" not in k}
    assert internal == EXPECTED
    assert proc.returncode == 0


def test_external_outcomes(basic_run, external_site):
    run, origin, _ = basic_run
    ext = f"http://localhost:{external_site.port}"
    got = {k.replace(ext, "EXT"): v for k, v in run.outcomes().items() if k.startswith(ext)}
    assert got == {
        "EXT/ok.html": "ok",
        "EXT/missing.html": "broken",
        "EXT/_/head405": "ok",        # HEAD 405, GET fallback 200
        "EXT/_/cf403": "indeterminate",  # bot wall, not broken
    }
    assert run.check(f"{ext}/_/head405")["method"] == "GET"
    assert run.check(f"{ext}/ok.html")["method"] == "HEAD"


def test_external_pages_are_not_crawled(basic_run, external_site):
    run, origin, _ = basic_run
    assert all(p.startswith(origin) for p in run.pages())
    assert not run.rows("SELECT * FROM links WHERE source LIKE 'http://localhost%'")
    assert not [k for k in run.outcomes() if "never-crawled" in k]


def test_every_referrer_is_recorded(basic_run):
    run, origin, _ = basic_run
    assert run.sources(origin + "/gone") == sorted([origin + "/", origin + "/about.html", origin + "/contact.html"])
    edge = run.rows("SELECT * FROM links WHERE target = ? AND source = ?", origin + "/gone", origin + "/about.html")[0]
    assert edge["text"] == "old page" and edge["element"] == "a" and edge["attribute"] == "href"
    assert edge["line"] == 5 and edge["path"].endswith("p > a:nth-of-type(1)")


def test_redirect_chain_is_evidence(basic_run):
    run, origin, _ = basic_run
    check = run.check(origin + "/_/redirect/3?to=/about.html")
    assert [h["status"] for h in check["chain"]] == [302, 302, 302, 200]
    assert check["reason"] == "temporary redirect"
    assert run.check(origin + "/_/moved?to=/contact.html")["reason"] == "permanent redirect"
    loop = run.check(origin + "/_/loop/a")
    assert loop["reason"] == "redirect loop" and len(loop["chain"]) == 3


def test_robots_disallowed_page_is_not_fetched(basic_run):
    run, origin, _ = basic_run
    assert run.check(origin + "/private/secret.html")["reason"] == "disallowed by robots.txt"
    assert origin + "/private/secret.html" not in run.pages()
    assert not run.rows("SELECT * FROM links WHERE target LIKE '%never-linked-elsewhere%'")


def test_documents_are_checked_not_parsed(basic_run):
    run, origin, _ = basic_run
    assert origin + "/docs/report.pdf" not in run.pages()
    # Every in-scope HTML answer is parsed once (redirects land on pages already crawled).
    assert run.pages() == sorted(origin + p for p in ["/", "/about.html", "/contact.html", "/_/flaky503",
                                                      "/_/retry-after"])


def test_run_is_finished_with_counts(basic_run):
    run, origin, proc = basic_run
    info = run.run()
    assert info["status"] == "finished" and info["finished_at"]
    assert info["pages"] == 5
    broken = sum(1 for v in EXPECTED.values() if v in ("broken", "broken-fragment")) + 1  # + EXT/missing
    assert info["broken"] == broken
    assert f"{broken} broken" in proc.stdout


def test_fail_on_broken_exit_code(basic_site, tmp_path):
    proc = crawl(tmp_path / "f.db", basic_site.origin + "/contact.html", "--max-depth", "0", "--fail-on", "broken",
                 check=False)
    assert proc.returncode == 1, proc.stderr  # /gone is linked from contact.html


def test_sitemap_adds_pages_and_reports_its_broken_entries(basic_site, tmp_path):
    db = tmp_path / "s.db"
    crawl(db, "--sitemap", basic_site.origin + "/sitemap.xml", "--max-depth", "0")
    run = Run(db)
    origin = basic_site.origin
    assert origin + "/orphan.html" in run.pages()
    assert run.outcomes(origin)["/sitemap-missing.html"] == "broken"
    assert run.sources(origin + "/sitemap-missing.html") == [origin + "/sitemap.xml"]


def test_max_pages_and_depth_bound_the_crawl(basic_site, tmp_path):
    db = tmp_path / "d.db"
    crawl(db, basic_site.origin + "/", "--max-depth", "0")
    run = Run(db)
    assert run.pages() == [basic_site.origin + "/"]
    # Links of the page are still checked, just not parsed.
    assert run.outcomes(basic_site.origin)["/about.html"] == "ok"
    db2 = tmp_path / "p.db"
    crawl(db2, basic_site.origin + "/", "--max-pages", "2")
    assert len(Run(db2).pages()) == 2


def test_exclude_pattern_is_an_outcome(basic_site, tmp_path):
    db = tmp_path / "x.db"
    crawl(db, basic_site.origin + "/", "--max-depth", "0", "--exclude", r"\.pdf$")
    got = Run(db).outcomes(basic_site.origin)
    assert got["/docs/report.pdf"] == "excluded" and got["/docs/missing.pdf"] == "excluded"
