"""Page analysis gives the same result inline and in a worker process, and workers die with the crawler."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time

from crawl_helpers import ROOT
from sitegen import generate_site
from test_resume import assert_same, snapshot

from siteaudit.demo.server import serve_folder
from siteaudit_crawler.pagepool import PagePool
from siteaudit_crawler.pagework import analyse_page, work_on_page

PAGE = """<!doctype html><html><head><title> Eugene  office </title></head><body>
<h1 id="top">Eugene field office</h1><p>Location: 455 Sample Avenue, Suite 210<br>Eugene, OR 97401</p>
<p>Phone: <a href="tel:+15415550120">(541) 555-0120</a> · <a href="mailto:eugene@example.gov">Email us</a></p>
<p>Hours: Monday through Friday, 8:00 a.m. to 5:00 p.m.</p><a href="/contact#appointments">Appointments</a>
</body></html>"""


def _plain(analysis):
    return dataclasses.asdict(analysis)


def test_worker_process_gives_the_inline_result():
    url = "https://www.example.gov/offices/eugene.html"
    inline = analyse_page(PAGE, url)
    assert inline.title == "Eugene office" and inline.anchors == ["top"]
    assert {f.kind for f in inline.findings} >= {"phone", "email", "address", "hours"}
    assert inline.facts["headings"] == ["Eugene field office"] and not inline.error
    pool = PagePool(workers=1, budget_seconds=30)
    try:
        pooled = asyncio.run(pool.analyse(PAGE, url, 7))
        assert pool.pool is not None and pool.pool.live() == 1  # it really ran in a worker
    finally:
        pool.close()
    assert _plain(pooled) == _plain(work_on_page(PAGE, url, 7))


def test_pages_go_to_every_worker_and_a_dead_worker_costs_only_speed():
    url = "https://www.example.gov/offices/eugene.html"
    expected = _plain(work_on_page(PAGE, url, 3))
    pool = PagePool(workers=2, budget_seconds=30)

    async def scenario():
        first = await asyncio.gather(*(pool.analyse(PAGE, url, 3) for _ in range(6)))
        assert all(len(w.pending) == 0 for w in pool.pool.workers) and pool.pool.live() == 2
        for worker in pool.pool.workers:
            worker.proc.kill()
        after = await asyncio.gather(*(pool.analyse(PAGE, url, 3) for _ in range(3)))
        return first + after

    try:
        results = asyncio.run(scenario())
    finally:
        pool.close()
    assert all(_plain(r) == expected for r in results)
    assert pool.workers == 0  # every worker gone: the crawl goes on inline


def test_the_worker_hands_over_the_pages_rows():
    url = "https://www.example.gov/offices/eugene.html"
    analysis, work = analyse_page(PAGE, url), work_on_page(PAGE, url, 7)
    assert (work.title, work.anchors, work.error) == (analysis.title, analysis.anchors, "")
    assert work.targets == list(dict.fromkeys(e.target for e in analysis.edges))
    rows = work.rows
    assert [r[:3] for r in rows.links] == [(7, url, e.target) for e in analysis.edges]
    assert [(r[0], r[1], r[3], r[4]) for r in rows.findings] == [(7, url, f.kind, f.value) for f in analysis.findings]
    office_keys = {r[2] for r in rows.findings if r[2] is not None}
    assert office_keys == {r[2] for r in rows.offices} == set(range(len(analysis.offices)))
    assert rows.text == [(7, url, '["Eugene field office"]', analysis.facts["text"], None)]


def test_no_workers_means_inline():
    pool = PagePool(workers=0, budget_seconds=30)
    work = asyncio.run(pool.analyse(PAGE, "https://www.example.gov/", 1))
    assert pool.pool is None and work.title == "Eugene office" and work.rows.findings


def test_a_duplicate_page_gives_only_its_title_and_anchors():
    pool = PagePool(workers=1, budget_seconds=30)
    try:
        work = asyncio.run(pool.analyse(PAGE, "https://www.example.gov/", 1, header_only=True))
    finally:
        pool.close()
    assert (work.title, work.anchors, work.targets, work.rows) == ("Eugene office", ["top"], [], None)


def test_a_page_that_breaks_extraction_keeps_its_links(monkeypatch):
    import siteaudit_crawler.pagework as pagework

    def boom(root, url, **kwargs):
        raise RecursionError("deep")

    monkeypatch.setattr(pagework, "extract_from_tree", boom)
    result = analyse_page(PAGE, "https://www.example.gov/")
    assert result.error == "contact extraction failed: RecursionError: deep"
    assert len(result.edges) == 3 and result.findings == [] and result.facts is None


def _crawl(db, origin, *settings):
    cmd = [sys.executable, "-m", "siteaudit", "crawl", origin + "/", "--db", str(db), "--concurrency", "8", "-q",
           "--no-rules", *[x for s in settings for x in ("-s", s)]]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr


def test_crawl_with_workers_stores_what_an_inline_crawl_stores(tmp_path):
    server = serve_folder(generate_site(tmp_path / "site", pages=150))
    try:
        _crawl(tmp_path / "inline.db", server.origin, "SITEAUDIT_WORKERS=0")
        _crawl(tmp_path / "pool.db", server.origin, "SITEAUDIT_WORKERS=1")
    finally:
        server.stop()
    assert_same(snapshot(tmp_path / "pool.db"), snapshot(tmp_path / "inline.db"))


def _workers_of(pid: int) -> list[int]:
    """Page worker processes whose parent is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read()
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        if ppid == pid and b"siteaudit_crawler.workerpool" in cmdline:
            found.append(int(entry))
    return found


def test_workers_die_with_a_killed_crawler(tmp_path):
    server = serve_folder(generate_site(tmp_path / "site", pages=400))
    cmd = [sys.executable, "-m", "siteaudit", "crawl", server.origin + "/", "--db", str(tmp_path / "k.db"),
           "--concurrency", "2", "-q", "--no-rules", "-s", "SITEAUDIT_WORKERS=1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT))
    try:
        deadline = time.monotonic() + 60
        while not (workers := _workers_of(proc.pid)) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if not workers:
            out, err = proc.communicate(timeout=30)
            raise AssertionError(f"no worker process was seen (crawler exit {proc.returncode}): {err[-2000:]!r}")
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)  # returns only when no worker holds the pipes open
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        server.stop()
        if proc.poll() is None:
            proc.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (reaped later by init) counts as gone
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_workers_spawned_before_the_loop_serve_it():
    from siteaudit_crawler.pagepool import spawn_workers

    workers = spawn_workers(1)  # as the runner does, before Scrapy and its loop exist
    pool = PagePool(workers=1, budget_seconds=30, pool=workers)

    async def scenario():
        return await asyncio.gather(*(pool.analyse(PAGE, "https://www.example.gov/", 1) for _ in range(3)))

    try:
        results = asyncio.run(scenario())
    finally:
        pool.close()
    assert [r.title for r in results] == ["Eugene office"] * 3 and pool.pages == 3


def test_a_worker_decodes_a_body_as_the_crawler_would():
    """decoding.decode_page repeats Scrapy's encoding detection without Scrapy: it must agree."""
    from scrapy.http import HtmlResponse, Response, TextResponse

    from siteaudit_crawler.decoding import decode_body, decode_page, scrapy_encoding

    url = "https://www.example.gov/"
    cases = [("Café – hours".encode("cp1252"), b"text/html; charset=utf-8"),  # declared UTF-8, is not
             ('<meta charset="iso-8859-1"><p>Señor</p>'.encode("latin-1"), b"text/html"),  # only in the body
             ("Olá".encode("utf-8"), b""), (b"<p>x</p>", b"text/html; charset=x-no-such-charset"),
             ("\ufeff<p>bom</p>".encode("utf-16-le"), b"text/html"),  # a byte-order mark decides
             ("Ünïcödé only, no declaration".encode("cp1252") * 20, b"text/html"),  # detected
             (b"plain ascii", b"text/html")]
    for body, ctype in cases:
        for cls in (HtmlResponse, TextResponse):
            response = cls(url=url, body=body, headers={b"Content-Type": ctype} if ctype else None)
            assert scrapy_encoding(body, ctype) == response.encoding, (body, ctype)
            here = decode_body(body, response.encoding, lambda: response.text)
            assert decode_page(body, True, ctype) == here
            assert work_on_page(body, url, 1, content_type=ctype).note == here[1]
    plain = Response(url=url, body=b"\xffbinary-ish")
    assert decode_page(plain.body, False, b"") == decode_body(plain.body, None, lambda: plain.body.decode(
        "utf-8", "replace"))


def test_the_collector_is_paused_for_imports_and_restored_as_it_was():
    import gc

    from siteaudit_crawler.workerpool import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with gc_paused():
            raise ValueError("an import failed")
    except ValueError:
        pass
    assert gc.isenabled()  # a failed import does not leave the collector off
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


def test_a_worker_holds_a_few_calls_and_the_rest_wait_in_order_in_the_pool():
    from siteaudit_crawler.workerpool import WorkerPool

    pool = WorkerPool("time:sleep", 1, in_flight=2).spawn()
    seen = {}

    async def scenario():
        await pool.call(0)  # the worker's pipes attached to the loop
        calls = [asyncio.ensure_future(pool.call(0.05)) for _ in range(6)]
        await asyncio.sleep(0)  # every call made: two with the worker, four queued
        seen["pending"], seen["queued"] = len(pool.workers[0].pending), len(pool.queue)
        taken = pool.take()  # the oldest queued one, settled here instead
        taken[1].set_result("here")
        return await asyncio.gather(*calls)

    try:
        results = asyncio.run(scenario())
    finally:
        pool.close()
    assert (seen["pending"], seen["queued"]) == (2, 4)
    assert results == [None, None, "here", None, None, None]


def test_the_crawler_process_analyses_queued_pages_when_the_worker_falls_behind():
    """The worker is stopped (SIGSTOP): the crawler process, idle, takes the queued pages back
    and analyses them itself, with the results the worker would give; the worker's own call
    completes once it runs again."""
    from siteaudit_crawler.pagepool import PAGE_FUNCTION
    from siteaudit_crawler.workerpool import WorkerPool

    urls = [f"https://www.example.gov/offices/o{i}.html" for i in range(5)]
    workers = WorkerPool(PAGE_FUNCTION, 1, in_flight=1).spawn()
    pool = PagePool(workers=1, budget_seconds=30, pool=workers)

    async def scenario():
        first = asyncio.ensure_future(pool.analyse(PAGE, urls[0], 1))
        while not workers.workers[0].pending:  # the first page is with the worker
            await asyncio.sleep(0.01)
        os.kill(workers.workers[0].proc.pid, signal.SIGSTOP)
        rest = await asyncio.wait_for(asyncio.gather(*(pool.analyse(PAGE, u, 1) for u in urls[1:])), 30)
        lent = pool.lent
        os.kill(workers.workers[0].proc.pid, signal.SIGCONT)
        return [await asyncio.wait_for(first, 30)] + rest, lent

    try:
        results, lent = asyncio.run(scenario())
    finally:
        os.kill(workers.workers[0].proc.pid, signal.SIGCONT)
        pool.close()
    assert lent == 4
    assert [_plain(r) for r in results] == [_plain(work_on_page(PAGE, u, 1)) for u in urls]
