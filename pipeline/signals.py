"""Holding Ctrl-C and SIGTERM over a short stretch that must not be cut in two.

``held()`` defers the two signals that stop a build and acts on them as
usual once the stretch is over. Used where an interruption would leave
something behind: espeak-ng calling back into Python (ctypes prints and drops
an exception raised in a callback, so the build would go on), and the few
instructions between creating a temporary file and the ``try`` that removes
it. Only the main thread receives signals; elsewhere this does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def held() -> Iterator[None]:
    """Defer SIGINT and SIGTERM until the block ends, then handle the first one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[signal.Signals] = []
    previous = {number: signal.getsignal(number) for number in _STOP_SIGNALS}
    for number in _STOP_SIGNALS:
        signal.signal(number, lambda got, frame: caught.append(signal.Signals(got)))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    for number in caught[:1]:
        handler = previous[number]
        if callable(handler):
            handler(number, None)
        elif handler == signal.SIG_DFL:
            signal.raise_signal(number)
