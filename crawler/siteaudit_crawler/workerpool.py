"""Worker processes for CPU-bound calls, driven from the asyncio loop over pipes.

The crawler's reactor thread hands each page to a worker and goes on fetching.
``concurrent.futures.ProcessPoolExecutor`` would do it with two helper threads
in the crawler process (one pickles and sends the tasks, one receives the
results), and those threads fight the reactor thread for the GIL: every
``submit`` woke a thread that took the GIL, and the reactor thread then waited
for it (13% of the crawler's samples were spent so, in a pipe write).  Here the
reactor thread itself writes each task to the worker's pipe and reads the
result when the loop says it is readable: no threads, no hand-offs.

A worker holds at most ``in_flight`` calls at a time (enough to never wait for
the next one); the others wait in the pool's queue, where the caller can still
take one back and run it itself (:meth:`WorkerPool.take`): the crawler process
does so when it would otherwise sit idle (pagepool.py).

A worker is ``python -m siteaudit_crawler.workerpool MODULE:FUNCTION TASK_FD
RESULT_FD PARENT_PID``: it reads ``(id, args)`` frames (a 4-byte length, then
a pickle), calls the function, and writes ``(id, ok, value)`` frames back; an
exception in the function comes back as its text.  It exits when the task pipe
closes, and is killed by the kernel when the crawler dies (Linux
``PR_SET_PDEATHSIG``; elsewhere it notices the closed pipe).
"""

from __future__ import annotations

import asyncio
import collections
import gc
import importlib
import logging
import os
import pickle
import signal
import struct
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

_HEADER = struct.Struct("!I")
_PIPE_SIZE = 1 << 20  # a whole page fits in the pipe: one write, one read


class WorkerDied(Exception):
    """A worker process ended (killed, out of memory) with calls outstanding."""


class WorkerError(Exception):
    """The function raised in the worker; the message is its type and text."""


def _frame(obj) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(data)) + data


def _grow_pipe(fd: int) -> None:
    try:
        import fcntl

        fcntl.fcntl(fd, 1031, _PIPE_SIZE)  # F_SETPIPE_SZ (Linux)
    except (ImportError, OSError):
        pass


@dataclass(eq=False)
class _Worker:
    proc: subprocess.Popen
    task_pipe: object  # our ends of its pipes, until attached to the loop
    result_pipe: object
    connected: asyncio.Future | None = None  # settles when the pipes are attached to the loop
    tasks: asyncio.WriteTransport | None = None
    pending: dict[int, asyncio.Future] = field(default_factory=dict)
    alive: bool = True
    pool: "WorkerPool | None" = None


class _Results(asyncio.Protocol):
    """Reads a worker's result frames and settles the waiting futures."""

    def __init__(self, worker: _Worker):
        self.worker = worker
        self.buffer = bytearray()

    def data_received(self, data: bytes) -> None:
        buf = self.buffer
        buf += data
        while len(buf) >= 4:
            (size,) = _HEADER.unpack_from(buf)
            if len(buf) < 4 + size:
                return
            task_id, ok, value = pickle.loads(memoryview(buf)[4:4 + size])
            del buf[:4 + size]
            future = self.worker.pending.pop(task_id, None)
            if future is not None and not future.done():
                future.set_result(value) if ok else future.set_exception(WorkerError(value))
        if self.worker.pool is not None:
            self.worker.pool._feed(self.worker)

    def connection_lost(self, exc) -> None:
        _lost(self.worker)


class WorkerPool:
    """``workers`` processes running ``function`` (``"module:name"``, importable and
    picklable arguments and result).  :meth:`spawn` starts them (they boot while the
    caller goes on); :meth:`call` sends one call to the least busy live worker, or
    queues it while every worker holds ``in_flight`` calls."""

    def __init__(self, function: str, workers: int, in_flight: int = 32):
        self.function = function
        self.size = workers
        self.in_flight = in_flight
        self.workers: list[_Worker] = []
        self.next_id = 0
        self.queue: collections.deque[tuple[tuple, asyncio.Future]] = collections.deque()

    @property
    def started(self) -> bool:
        return bool(self.workers)

    def live(self) -> int:
        return sum(w.alive for w in self.workers)

    def spawn(self) -> "WorkerPool":
        """Start the worker processes.  No event loop is needed yet: a crawl spawns them
        first thing, so they import the extractors while the crawler imports Scrapy."""
        if self.workers:
            return self
        env = dict(os.environ)
        # the child imports what this process imported, from the same places
        here = [os.path.dirname(os.path.dirname(m.__file__)) for m in (sys.modules["siteaudit_crawler"],
                                                                       sys.modules["siteaudit"])]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(here + [p for p in env.get("PYTHONPATH", "").split(
            os.pathsep) if p]))
        for _ in range(self.size):
            task_r, task_w = os.pipe()
            result_r, result_w = os.pipe()
            _grow_pipe(task_w)
            _grow_pipe(result_w)
            try:
                proc = subprocess.Popen(
                    [sys.executable, "-m", __name__, self.function, str(task_r), str(result_w), str(os.getpid())],
                    pass_fds=(task_r, result_w), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, env=env)
            finally:
                os.close(task_r)
                os.close(result_w)
            self.workers.append(_Worker(proc, os.fdopen(task_w, "wb", buffering=0),
                                        os.fdopen(result_r, "rb", buffering=0), pool=self))
        return self

    async def _connect(self, worker: _Worker) -> None:
        """Attach the worker's pipes to the running loop (once, at its first call)."""
        if worker.connected is None:
            loop = asyncio.get_running_loop()
            worker.connected = loop.create_future()
            try:
                worker.tasks, _ = await loop.connect_write_pipe(asyncio.Protocol, worker.task_pipe)
                await loop.connect_read_pipe(lambda: _Results(worker), worker.result_pipe)
            except Exception as exc:  # noqa: BLE001 - a worker that cannot be reached: the caller works inline
                worker.alive = False
                logger.warning("page worker process cannot be reached: %s", exc)
            worker.connected.set_result(None)
        await worker.connected

    async def call(self, *args):
        """Run the function on ``args`` in a worker (or wherever :meth:`take` runs it).
        Raises :class:`WorkerError` when it raised there, :class:`WorkerDied` when no
        worker is (or stays) alive."""
        live = [w for w in self.workers if w.alive]
        if not live:
            raise WorkerDied("no live worker process")
        worker = min(live, key=lambda w: len(w.pending))
        if worker.tasks is None:
            await self._connect(worker)
            if not worker.alive:
                raise WorkerDied("worker process cannot be reached")
        future = asyncio.get_running_loop().create_future()
        self.queue.append((args, future))  # in order: straight on to the worker when it has room
        self._feed(worker)
        return await future

    def _send(self, worker: _Worker, args: tuple, future: asyncio.Future) -> None:
        self.next_id += 1
        worker.pending[self.next_id] = future
        worker.tasks.write(_frame((self.next_id, args)))

    def _feed(self, worker: _Worker) -> None:
        """Hand queued calls to ``worker`` while it has room (a result just came back)."""
        while self.queue and worker.alive and worker.tasks is not None and len(worker.pending) < self.in_flight:
            args, future = self.queue.popleft()
            if not future.done():  # not cancelled meanwhile
                self._send(worker, args, future)

    def take(self) -> tuple[tuple, asyncio.Future] | None:
        """The oldest queued call, taken back from the pool: its arguments and the future
        to settle (its caller awaits it).  None when nothing waits."""
        while self.queue:
            args, future = self.queue.popleft()
            if not future.done():
                return args, future
        return None

    def close(self) -> None:
        """Stop the workers.  They hold nothing worth waiting for (a page in hand is
        not wanted any more), so they are killed rather than asked."""
        for worker in self.workers:
            worker.alive = False
            worker.proc.kill()
            if worker.tasks is not None:
                try:
                    worker.tasks.close()
                except RuntimeError:  # the loop is already closed: close the pipe itself
                    worker.tasks.get_extra_info("pipe").close()
            else:
                worker.task_pipe.close()
                worker.result_pipe.close()
            for future in worker.pending.values():
                if not future.done():
                    future.cancel()
            worker.pending.clear()
        for _, future in self.queue:
            if not future.done():
                future.cancel()
        self.queue.clear()
        for worker in self.workers:
            worker.proc.wait()
        self.workers = []


def _lost(worker: _Worker) -> None:
    if not worker.alive:
        return
    worker.alive = False
    if worker.pending:
        logger.warning("page worker process %d died with %d page(s) in hand", worker.proc.pid, len(worker.pending))
    for future in worker.pending.values():
        if not future.done():
            future.set_exception(WorkerDied("worker process died"))
    worker.pending.clear()
    pool = worker.pool
    if pool is not None:
        live = [w for w in pool.workers if w.alive and w.tasks is not None]
        for other in live:
            pool._feed(other)
        if not any(w.alive for w in pool.workers):  # nobody left to run the queued calls
            while pool.queue:
                _, future = pool.queue.popleft()
                if not future.done():
                    future.set_exception(WorkerDied("worker process died"))


# -- the worker side ---------------------------------------------------------------

def _die_with(parent: int) -> None:
    try:  # Linux: the kernel kills us when the crawler dies, even by SIGKILL
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


@contextmanager
def gc_paused():
    """No cycle collection during a burst of imports (the crawler's Scrapy, a worker's
    extractors): they build ~100,000 objects that live as long as the process, and the
    collector, run every 700 allocations, scanned them again and again for nothing (about
    a tenth of the crawler's start-up).  Call :func:`tune_gc` after it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def tune_gc() -> None:
    """Set the cycle collector up for a long run of short-lived objects (call once the
    imports are done).  Everything alive now (modules, classes: ~200,000 objects) is moved
    out of the collector's sight (``gc.freeze``), and the youngest generation is collected
    every 100,000 allocations instead of 700.  With Python's defaults a 2,000-page crawl
    spent about 0.4 s (a tenth of its time) re-scanning those objects.  The crawler keeps
    many young objects alive for a while (queued requests, rows waiting for their batch),
    and each collection scanned them: at 20,000 a 10,000-page crawl made 21 collections
    (0.35 s of the crawler's time), at 100,000 it makes 2 (0.06 s), with the same peak
    memory (153 MiB; 157 MiB with no collection at all: the cycles Twisted's Deferreds
    leave are few, and they are still collected, only less often).  A page worker's
    objects die young: it collects about once per 2,000 pages either way."""
    gc.freeze()
    gc.set_threshold(100_000, 10, 10)


def _read_exact(fh, size: int) -> bytes | None:
    data = fh.read(size)  # a buffered read: all of it, or less only at the end of the pipe
    return data if len(data) == size else None


def serve(function: str, task_fd: int, result_fd: int, parent: int) -> int:
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the crawler's to handle; it closes us
    module, _, name = function.partition(":")
    with gc_paused():
        func = getattr(importlib.import_module(module), name)
    tune_gc()
    tasks = os.fdopen(task_fd, "rb", buffering=1 << 16)
    results = os.fdopen(result_fd, "wb")
    while True:
        head = _read_exact(tasks, 4)
        if head is None:
            return 0  # the crawler closed the pool (or died)
        body = _read_exact(tasks, _HEADER.unpack(head)[0])
        if body is None:
            return 0
        task_id, args = pickle.loads(body)
        try:
            reply = (task_id, True, func(*args))
        except Exception as exc:  # noqa: BLE001 - reported to the caller, the worker goes on
            reply = (task_id, False, f"{type(exc).__name__}: {exc}"[:500])
        try:
            results.write(_frame(reply))
            results.flush()
        except BrokenPipeError:
            return 0


if __name__ == "__main__":
    raise SystemExit(serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
