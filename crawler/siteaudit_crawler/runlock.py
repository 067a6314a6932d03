"""One process per run: a lock file next to the database, held while a run is crawled.

Scheduled crawls overlap (an hourly ``siteaudit crawl --resume`` while the
last one still runs).  Two processes continuing the same run would fetch and
store the same pages twice, so the second one stops with a clear error.
The lock is an ``flock`` on ``<db>.run-<id>.lock``: the operating system
releases it when the process dies, so a killed crawl never leaves a stale
lock behind.  Where ``fcntl`` is missing (Windows) there is no lock.
"""

from __future__ import annotations

import os
from pathlib import Path

from siteaudit.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


class RunLock:
    def __init__(self, db_path: str | Path, run_id: int):
        self.path = Path(f"{db_path}.run-{run_id}.lock")
        self.run_id = run_id
        self.db_path = db_path
        self._fh = None

    def acquire(self) -> "RunLock":
        """Take the lock or raise :class:`StoreError` naming the process that holds it."""
        if fcntl is None or self._fh is not None:
            return self
        try:
            fh = open(self.path, "a+", encoding="ascii")
        except OSError:
            return self  # a folder we cannot write to fails later, with the database's own error
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise StoreError(f"{self.db_path}: run {self.run_id} is being crawled by another process "
                             f"(pid {holder}); wait for it to finish before resuming it") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            self.path.unlink()
        except OSError:
            pass
        fcntl.flock(self._fh, fcntl.LOCK_UN)
        self._fh.close()
        self._fh = None

    def check(self) -> None:
        """Fail now if another process holds the lock (take it and give it back)."""
        self.acquire()
        self.release()
