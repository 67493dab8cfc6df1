"""The upload journal's one writer: a single thread with its own database connection.

Why a writer thread rather than sending every write to the GUI thread: a part B2 has
confirmed should be on disk as soon as possible, whether or not the GUI thread is busy (a
busy GUI thread would otherwise hold back the record that lets a crash resume); and the
headless ``coursedesk upload`` needs the same path. SQLite allows one writer at a time; the
library's own writer (the GUI thread, ``Library.apply``) and this one both take the write
lock up front (``BEGIN IMMEDIATE`` via the engine's ``coursedesk_writer`` option) and wait
for each other under ``busy_timeout``, so they never interleave or deadlock. Journal tables
are this module's alone; the videos table is only ever written by ``Library.apply``.

Writes run in submission order, each in its own transaction. ``write()`` waits for the
result (a worker that needs the record on disk before going on); ``submit()`` does not.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

T = TypeVar("T")

_STOP = object()


class JournalWriter:
    """Runs journal writes one at a time on a thread of its own."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._connection = engine.connect().execution_options(coursedesk_writer=True)
        self._thread = threading.Thread(target=self._run, name="upload-journal", daemon=True)
        self._closed = False
        self._thread.start()

    def submit(self, work: Callable[[Connection], T]) -> Future[T]:
        future: Future[T] = Future()
        if self._closed:
            future.set_exception(RuntimeError("the upload journal is closed"))
            return future
        self._queue.put((work, future))
        return future

    def write(self, work: Callable[[Connection], T]) -> T:
        return self.submit(work).result()

    def read(self, work: Callable[[Connection], T]) -> T:
        """Read on a connection of the caller's (WAL: readers never wait for the writer)."""
        with self._engine.connect() as connection:
            return work(connection)

    def close(self) -> None:
        """Finish the writes already submitted, then stop."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join()
        self._connection.close()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            work, future = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                with self._connection.begin():
                    result = work(self._connection)
            except Exception as exc:  # handed to whoever waits; logged for whoever doesn't
                log.warning("an upload journal write failed: %s", exc)
                future.set_exception(exc)
            else:
                future.set_result(result)
