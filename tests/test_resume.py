"""Interruption and resume: a crash at hour three must not cost the first three hours.

A generated 500-page site is crawled once without interruption (the
baseline).  Then the same crawl is killed with SIGKILL at seeded random
moments and continued with ``--resume`` until it finishes; the final database
must equal the baseline (same pages, edges, outcomes, findings; no duplicate
rows) once run ids, timestamps and timings are set aside.  SIGINT and SIGTERM
must stop a crawl cleanly: run marked interrupted, everything fetched so far
stored, exit code 3 and a hint to resume.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter

import pytest

from crawl_helpers import ROOT
from siteaudit.demo.server import StaticHandler, serve_folder
from sitegen import generate_site

# Small batches, so kills land between many commits; fast retries; no rules (not under test here).
OPTS = ["--concurrency", "8", "--timeout", "5", "--retries", "1", "-q", "--no-rules",
        "-s", "SITEAUDIT_FLUSH_SECONDS=0.2", "-s", "SITEAUDIT_FLUSH_ROWS=200"]


class CountingHandler(StaticHandler):
    """Serves the generated site and remembers every request path."""

    requests: list[str] = []

    def handle_request(self, head: bool) -> None:
        self.requests.append(self.path)
        super().handle_request(head)


def _cmd(db, *args):
    return [sys.executable, "-m", "siteaudit", "crawl", *args, "--db", str(db), *OPTS]


def _env():
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def crawl_to_end(db, origin, timeout=120):
    proc = subprocess.run(_cmd(db, origin + "/"), capture_output=True, text=True, timeout=timeout, env=_env(),
                          cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    return proc


def snapshot(db) -> dict:
    """Everything a run stored, minus ids, timestamps and timings."""
    conn = sqlite3.connect(str(db))
    run_id = conn.execute("SELECT max(id) FROM runs").fetchone()[0]

    def rows(sql):
        return [tuple(r) for r in conn.execute(sql, [run_id])]

    snap = {
        "runs": conn.execute("SELECT count(*) FROM runs").fetchone()[0],
        "run": rows("SELECT status, pages, links, targets, broken, findings FROM runs WHERE id = ?"),
        "pages": Counter(rows("SELECT url, final_url, status, content_type, title, content_hash, size, anchors, "
                              "error, duplicate_of FROM pages WHERE run_id = ?")),
        "links": Counter(rows("SELECT source, target, fragment, element, attribute, text, path, line FROM links "
                              "WHERE run_id = ?")),
        "checks": Counter(rows("SELECT target, fragment, outcome, status, final_url, chain, error, method, reason "
                               "FROM link_checks WHERE run_id = ?")),
        "findings": Counter(rows("SELECT url, kind, value, text, label, office, office_key, source, path, line, "
                                 "flags, data FROM findings WHERE run_id = ?")),
        "offices": Counter(rows("SELECT url, office_key, name, path, line, kinds FROM offices WHERE run_id = ?")),
    }
    conn.close()
    return snap


def assert_same(got: dict, want: dict) -> None:
    for key in want:
        if got[key] != want[key]:
            extra = got[key] - want[key] if isinstance(got[key], Counter) else got[key]
            missing = want[key] - got[key] if isinstance(want[key], Counter) else want[key]
            raise AssertionError(f"{key} differ:\n extra/duplicated: {list(extra)[:5]}\n missing: {list(missing)[:5]}")


def _pages_stored(db) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM pages").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = generate_site(tmp_path_factory.mktemp("gen") / "site", pages=500)
    server = serve_folder(folder, handler=type("Handler", (CountingHandler,), {"requests": []}))
    db = tmp_path_factory.mktemp("baseline") / "baseline.db"
    started = time.monotonic()
    crawl_to_end(db, server.origin)
    baseline = snapshot(db)
    yield server, baseline, time.monotonic() - started
    server.stop()


def test_baseline_is_a_full_crawl(generated):
    _, baseline, _ = generated
    assert baseline["run"][0][0] == "finished"
    assert len(baseline["pages"]) == 501
    assert max(baseline["links"].values()) >= 1 and sum(baseline["links"].values()) > 2000


def test_sigkill_at_random_points_then_resume_equals_an_uninterrupted_run(generated, tmp_path):
    server, baseline, full_seconds = generated
    rng = random.Random(20261125)
    db = tmp_path / "killed.db"
    kills = 0
    for attempt in range(12):
        have_run = db.exists() and sqlite3.connect(str(db)).execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'runs'").fetchone()[0] and sqlite3.connect(
            str(db)).execute("SELECT count(*) FROM runs").fetchone()[0]
        args = ["--resume"] if have_run else [server.origin + "/"]
        proc = subprocess.Popen(_cmd(db, *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=_env(), cwd=str(ROOT))
        if kills < 4:
            # A random moment in the crawl (start-up included); the last attempts run to the end.
            time.sleep(rng.uniform(0.3, max(1.0, full_seconds * 0.8)))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
        out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            break
        assert proc.returncode == -signal.SIGKILL, err
    else:
        raise AssertionError("the crawl never finished")
    assert kills >= 2, "the crawl finished before it could be killed twice; raise the site size"
    got = snapshot(db)
    assert got["runs"] == 1  # resumed, never restarted as a new run
    assert_same(got, baseline)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_and_sigint_stop_cleanly_and_resume_finishes(generated, tmp_path, signum):
    server, baseline, _ = generated
    db = tmp_path / "stopped.db"
    proc = subprocess.Popen(_cmd(db, server.origin + "/"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=_env(), cwd=str(ROOT))
    deadline = time.monotonic() + 60
    while _pages_stored(db) < 30 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the crawl finished before the signal could be sent"
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err
    assert "interrupted" in out and "--resume" in err
    conn = sqlite3.connect(str(db))
    status, finished_at, pages = conn.execute("SELECT status, finished_at, pages FROM runs").fetchone()
    stored = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    conn.close()
    assert status == "interrupted" and finished_at
    assert 30 <= stored < 501 and pages == stored  # everything fetched so far is kept and counted
    assert sqlite3.connect(str(db)).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    proc = subprocess.run(_cmd(db, "--resume", "1"), capture_output=True, text=True, timeout=120, env=_env(),
                          cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    assert_same(snapshot(db), baseline)


def test_resume_of_a_finished_run_fetches_nothing_again(generated, tmp_path):
    server, baseline, _ = generated
    db = tmp_path / "twice.db"
    crawl_to_end(db, server.origin)
    requests = server.httpd.RequestHandlerClass.requests
    before = len(requests)
    proc = subprocess.run(_cmd(db, "--resume"), capture_output=True, text=True, timeout=120, env=_env(),
                          cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    assert requests[before:] == []  # nothing refetched, not even robots.txt
    assert_same(snapshot(db), baseline)


def test_stored_settings_hold_no_credentials(generated, tmp_path):
    server, _, _ = generated
    db = tmp_path / "auth.db"
    proc = subprocess.run(_cmd(db, server.origin + "/p/000.html", "--max-depth", "0"), capture_output=True,
                          text=True, timeout=120, cwd=str(ROOT), env={**_env(), "SITEAUDIT_AUTH": "u:pw-x9"})
    assert proc.returncode == 0, proc.stderr
    settings = json.loads(sqlite3.connect(str(db)).execute("SELECT settings FROM runs").fetchone()[0])
    assert "pw-x9" not in json.dumps(settings) and "auth" not in settings


def test_resume_keeps_the_options_the_run_started_with(generated, tmp_path):
    server, _, _ = generated
    db = tmp_path / "limited.db"
    proc = subprocess.Popen(_cmd(db, server.origin + "/", "--max-pages", "60"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(), cwd=str(ROOT))
    deadline = time.monotonic() + 60
    while _pages_stored(db) < 15 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    resumed = subprocess.run(_cmd(db, "--resume"), capture_output=True, text=True, timeout=120, env=_env(),
                             cwd=str(ROOT))
    assert resumed.returncode == 0, resumed.stderr
    conn = sqlite3.connect(str(db))
    # --max-pages 60 still holds (it counts scheduled pages; a few are 404s, so slightly fewer are stored).
    assert 50 <= conn.execute("SELECT count(*) FROM pages").fetchone()[0] <= 60
    assert json.loads(conn.execute("SELECT settings FROM runs").fetchone()[0])["max_pages"] == 60


def test_resuming_a_run_another_process_is_crawling_is_refused(generated, tmp_path):
    # Overlapping cron jobs: a second process must not continue the same run (it would store pages twice).
    server, baseline, _ = generated
    db = tmp_path / "overlap.db"
    first = subprocess.Popen(_cmd(db, server.origin + "/"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=_env(), cwd=str(ROOT))
    deadline = time.monotonic() + 60
    while _pages_stored(db) < 10 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    second = subprocess.run(_cmd(db, "--resume"), capture_output=True, text=True, timeout=120, env=_env(),
                            cwd=str(ROOT))
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert second.returncode == 2, second.stderr
    assert "being crawled by another process" in second.stderr and f"pid {first.pid}" in second.stderr
    assert_same(snapshot(db), baseline)
    assert not list(tmp_path.glob("*.lock"))  # released at the end


def test_resume_leaves_sitemap_entries_to_the_sitemaps():
    """A child sitemap listed in a sitemap index but not yet fetched when the crawl died must be read
    as a sitemap again, not checked as a page (no network: the spider's start requests)."""
    from siteaudit.crawlstate import ResumeState
    from spider_offline import offline_spider

    index = "https://www.example.gov/sitemap_index.xml"
    child = "https://www.example.gov/sitemap-2.xml"
    state = ResumeState(checked={index, "https://www.example.gov/"},
                        frontier=[(child, 0), ("https://www.example.gov/linked-from-a-page", 1)],
                        pages_done=1, page_urls=["https://www.example.gov/"], edge_sources={index},
                        sitemap_only={child})
    spider = offline_spider(start_urls="https://www.example.gov/", sitemap_urls=index, resume_state=state)
    requests = list(spider.start_requests_list())
    urls = [r.url for r in requests]
    assert index in urls  # read again, its entries rediscovered (its edges are not stored twice)
    assert child not in urls and child not in spider.seen
    assert "https://www.example.gov/linked-from-a-page" in urls
