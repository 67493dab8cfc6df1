"""One way to run work off the GUI thread: ``runner.run(fn, on_done, on_error)``.

The work is a plain function; its result (or exception) comes back to the thread that owns
the runner, through a queued Qt signal. ``ImmediateRunner`` runs the function at once on the
calling thread: tests use it, and so does the command line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)

T = TypeVar("T")


class TaskRunner(Protocol):
    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run ``work`` somewhere; call ``on_done(result)`` or ``on_error(exc)`` on the owner's
        thread when it ends."""


class ImmediateRunner:
    """Runs work at once, on the calling thread."""

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        try:
            result = work()
        except Exception as exc:  # handed over: on_error decides what it means
            on_error(exc)
            return
        on_done(result)


class _Relay(QObject):
    """Lives on the owner's thread; its signal carries results back there."""

    delivered = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._deliver)

    @staticmethod
    def _deliver(callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


class _Job(QRunnable):
    def __init__(
        self,
        relay: _Relay,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__()
        self._relay = relay
        self._work = work
        self._on_done = on_done
        self._on_error = on_error

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # handed to on_error on the owner's thread
            self._relay.delivered.emit(self._on_error, exc)
            return
        self._relay.delivered.emit(self._on_done, result)


class PoolRunner:
    """Runs work on a QThreadPool of its own (``max_threads`` at once)."""

    def __init__(self, max_threads: int = 2) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(max_threads)
        self._relay = _Relay()

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self.pool.start(_Job(self._relay, work, on_done, on_error))

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until all work has finished (for shutdown and tests)."""
        return self.pool.waitForDone(timeout_ms)
