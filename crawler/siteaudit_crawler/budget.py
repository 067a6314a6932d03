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


_armed: list[float] = []  # the budget of the work now under way (the handler's message)


def _expire(signum, frame):
    if _armed:  # a stray alarm outside any budget is ignored
        raise BudgetExceeded(f"stopped after {_armed[-1]:g} s")


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    usable = (seconds and seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread())
    if not usable:
        yield
        return
    # The handler is installed once and left in place (a page worker runs this for every page:
    # two of its four system calls were installing and restoring the handler).
    if signal.getsignal(signal.SIGALRM) is not _expire:
        signal.signal(signal.SIGALRM, _expire)
    _armed.append(seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _armed.pop()
