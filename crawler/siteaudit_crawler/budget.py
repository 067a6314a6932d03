"""A wall-clock budget for the CPU-bound work done on one page.

Extraction runs in the reactor's thread: a page that makes an extractor slow
(a pathological input, a future regression) would stall the whole crawl, not
just itself.  :func:`time_budget` interrupts the work after ``seconds`` with
:class:`BudgetExceeded`, using ``SIGALRM`` (Unix, main thread); elsewhere it
does nothing.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class BudgetExceeded(Exception):
    """The work on one page took longer than its budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise BudgetExceeded(f"stopped after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
