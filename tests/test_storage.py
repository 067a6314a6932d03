"""Storage under load: reading while a crawl writes, locked and read-only databases, a full disk.

Every failure must be one clear message (exit code 2), leave the database
intact (``PRAGMA integrity_check`` is ``ok``) and keep what was committed
before, so the run can be resumed.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlite_utils
from click.testing import CliRunner

from crawl_helpers import ROOT
from server import serve_scenario
from siteaudit import store
from siteaudit.cli import main
from siteaudit.errors import StoreError
from sitegen import generate_site

OPTS = ["--concurrency", "4", "--timeout", "5", "--retries", "1", "-q", "--no-rules",
        "-s", "SITEAUDIT_FLUSH_SECONDS=0.1", "-s", "SITEAUDIT_FLUSH_ROWS=100"]


def _cmd(db, *args):
    return [sys.executable, "-m", "siteaudit", "crawl", *args, "--db", str(db), *OPTS]


def _run(db, *args, env=None, preexec_fn=None, timeout=120):
    return subprocess.run(_cmd(db, *args), capture_output=True, text=True, timeout=timeout, cwd=str(ROOT),
                          env={**os.environ, **(env or {})}, preexec_fn=preexec_fn)


def integrity(db) -> str:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = generate_site(tmp_path_factory.mktemp("gen") / "site", pages=300, seed=3)
    server = serve_scenario(folder)
    yield server
    server.stop()


def test_links_and_report_work_while_a_crawl_writes(site, tmp_path):
    db = tmp_path / "live.db"
    proc = subprocess.Popen(_cmd(db, site.origin + "/"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(ROOT))
    runner = CliRunner()
    reads_while_running, reports_while_running, sizes = 0, 0, []
    try:
        while proc.poll() is None:
            if db.exists():
                try:
                    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                    status = conn.execute("SELECT status FROM runs ORDER BY id DESC LIMIT 1").fetchone()
                    conn.close()
                except sqlite3.OperationalError:
                    status = None  # the schema is still being created
                if status and status[0] == "running":
                    result = runner.invoke(main, ["links", "--db", str(db), "--format", "json"])
                    assert result.exit_code == 0, result.output
                    sizes.append(len(result.output.splitlines()))
                    reads_while_running += 1
                    if reports_while_running == 0 and sizes[-1] > 50:
                        out = tmp_path / "report"
                        result = runner.invoke(main, ["report", "--db", str(db), "--out", str(out)])
                        assert result.exit_code == 0, result.output
                        assert (out / "index.html").exists()
                        reports_while_running += 1
            time.sleep(0.05)
    finally:
        out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert reads_while_running >= 3, "the crawl ended before the test could read during it"
    assert reports_while_running == 1
    assert sizes == sorted(sizes)  # each read saw a consistent, growing run
    assert integrity(db) == "ok"


def test_a_locked_database_is_a_clear_error_and_nothing_is_written(site, tmp_path):
    db = tmp_path / "locked.db"
    store.open_db(db).conn.close()
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        proc = _run(db, site.origin + "/", env={"SITEAUDIT_DB_TIMEOUT": "0.5"})
        assert time.monotonic() - started < 30
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 2, proc.stderr
    assert "database is locked by another process" in proc.stderr and str(db) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sqlite3.connect(str(db)).execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    assert integrity(db) == "ok"


def test_a_lock_taken_mid_crawl_stops_it_cleanly_and_it_resumes(site, tmp_path):
    db = tmp_path / "midlock.db"
    proc = subprocess.Popen(_cmd(db, site.origin + "/"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(ROOT), env={**os.environ, "SITEAUDIT_DB_TIMEOUT": "0.3"})
    holder = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                conn = sqlite3.connect(str(db), timeout=0.1)
                if conn.execute("SELECT count(*) FROM pages").fetchone()[0] >= 20:
                    holder = sqlite3.connect(str(db), isolation_level=None, timeout=5)
                    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
                    conn.close()
                    break
                conn.close()
            except sqlite3.OperationalError:
                pass
            time.sleep(0.02)
        out, err = proc.communicate(timeout=120)
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    assert holder is not None, "the crawl finished before the lock could be taken"
    assert proc.returncode == 2, err
    assert "database is locked by another process" in err and "Traceback" not in err
    assert integrity(db) == "ok"
    conn = sqlite3.connect(str(db))
    stored = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert stored >= 20  # what was committed before the lock is kept
    conn.close()
    resumed = _run(db, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    conn = sqlite3.connect(str(db))
    assert conn.execute("SELECT status, pages FROM runs").fetchall() == [("finished", 301)]


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG, not a kill, like a full disk's ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_is_a_clear_error_without_corruption(site, tmp_path):
    db = tmp_path / "full.db"
    # 1 MB: the empty schema takes ~0.3 MB (16 KB pages), so a few batches fit before the disk is full
    proc = _run(db, site.origin + "/", preexec_fn=_limit_file_size(1_000_000))
    assert proc.returncode == 2, proc.stderr
    assert "disk full?" in proc.stderr and "--resume" in proc.stderr and "Traceback" not in proc.stderr
    assert integrity(db) == "ok"
    conn = sqlite3.connect(str(db))
    assert 0 < conn.execute("SELECT count(*) FROM pages").fetchone()[0] < 301  # what fitted is kept
    conn.close()
    # Space freed: the same run continues and completes.
    resumed = _run(db, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    conn = sqlite3.connect(str(db))
    assert conn.execute("SELECT status, pages FROM runs").fetchall() == [("finished", 301)]
    assert integrity(db) == "ok"


def test_read_only_database_is_a_store_error(tmp_path):
    path = tmp_path / "ro.db"
    store.open_db(path).conn.close()
    ro = sqlite_utils.Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True))
    with pytest.raises(StoreError, match="read-only"):
        store.start_run(ro, ["https://www.example.gov/"], {})
    with pytest.raises(StoreError, match="read-only"):
        store.insert_rows(ro, "pages", [{"run_id": 1, "url": "https://www.example.gov/"}])
    with pytest.raises(StoreError, match="read-only"):
        store.check_writable(ro)
    assert integrity(path) == "ok"


def test_unwritable_database_path_is_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["links", "--db", str(tmp_path / "nope" / "x.db")])
    assert result.exit_code == 2 and "no such database" in result.output
    proc = _run("/proc/siteaudit-test.db", "https://www.example.gov/")
    assert proc.returncode == 2 and "/proc/siteaudit-test.db" in proc.stderr and "Traceback" not in proc.stderr


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    result = CliRunner().invoke(main, ["links", "--db", str(path)])
    assert result.exit_code == 2 and str(path) in result.output
    assert "not a siteaudit database" in result.output
    assert path.read_text().startswith("these are my notes")  # untouched


def test_store_transaction_rolls_back_on_error(tmp_path):
    db = store.open_db(tmp_path / "t.db")
    run = store.start_run(db, ["https://a.example.gov/"], {"note": json.dumps({})})
    with pytest.raises(StoreError):
        with store.transaction(db):
            store.write_rows(db, "pages", [{"run_id": run, "url": "https://a.example.gov/"}])
            store.write_rows(db, "no_such_table", [{"x": 1}])
    assert db.execute("SELECT count(*) FROM pages").fetchone()[0] == 0  # the batch is all or nothing


def test_a_new_database_gets_large_pages_and_an_old_one_keeps_its_own(tmp_path):
    new = store.open_db(tmp_path / "new.db")
    assert new.execute("PRAGMA page_size").fetchone()[0] == store.PAGE_SIZE
    assert new.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # A database made before (SQLite's 4 KB pages, already in WAL mode) is opened as it is.
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("PRAGMA page_size = 4096")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    old = store.open_db(tmp_path / "old.db")
    assert old.execute("PRAGMA page_size").fetchone()[0] == 4096
    run = store.start_run(old, ["https://a.example.gov/"], {})
    with store.transaction(old):
        store.write_rows(old, "pages", [{"run_id": run, "url": "https://a.example.gov/"}])
    assert old.execute("SELECT count(*) FROM pages").fetchone()[0] == 1


def test_the_console_command_leaves_the_database_whole_after_its_fast_exit(tmp_path):
    """`siteaudit` ends with os._exit (no interpreter teardown): every database it opened is
    closed first, so the write-ahead log is folded back and the .db file alone is complete."""
    import subprocess
    import sys

    from pathlib import Path

    import siteaudit.demo

    csv = Path(siteaudit.demo.__file__).parent / "directory.csv"
    db = tmp_path / "one.db"
    proc = subprocess.run([sys.executable, "-m", "siteaudit", "directory", "import", str(csv), "--db", str(db)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.db"]
    bad = subprocess.run([sys.executable, "-m", "siteaudit", "links", "--db", str(tmp_path / "none.db")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.startswith("Error: ")


def test_what_a_crawl_collected_is_committed_while_it_waits_on_a_slow_link(tmp_path):
    """A batch that gets old is written even when no item follows it: the crawl below waits
    ~4 s on its last link, and its pages are in the database long before that ends."""
    site = tmp_path / "site"
    site.mkdir()
    pages = [f"p{i}.html" for i in range(12)]
    (site / "index.html").write_text("<html><body><h1>Home</h1>" + "".join(
        f'<a href="/{p}">{p}</a>' for p in pages) + '<a href="/_/slow?s=4">slow</a></body></html>')
    for p in pages:
        (site / p).write_text(f"<html><body><p>{p}: call 503-555-0100.</p></body></html>")
    server = serve_scenario(site)
    db = tmp_path / "slow.db"
    # the default batch age (SITEAUDIT_FLUSH_SECONDS), not the fast one of OPTS
    args = [sys.executable, "-m", "siteaudit", "crawl", server.origin + "/", "--db", str(db), "--concurrency", "4",
            "--timeout", "10", "--retries", "0", "-q", "--no-rules"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT))
    try:
        committed, started = 0, time.monotonic()
        while proc.poll() is None and time.monotonic() - started < 3.5:
            if db.exists():
                try:
                    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
                    committed = conn.execute("SELECT count(*) FROM pages").fetchone()[0]
                    conn.close()
                except sqlite3.OperationalError:
                    pass  # the schema is still being created
            if committed == len(pages) + 1:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the crawl did not wait for its slow link"
        assert committed == len(pages) + 1, f"{committed} pages committed while the crawl waited"
        out, err = proc.communicate(timeout=30)
        assert proc.returncode in (0, 1), err
    finally:
        if proc.poll() is None:
            proc.kill()
        server.stop()
