"""Importing without a window, for the command line (and benchmarks).

:class:`HeadlessEditor` is an :class:`~coursedesk.services.ingest.importer.Editor` without an
undo history: every edit goes straight to the library, which saves it at once. A refused edit
or a failed save is handed to ``on_refused`` as a sentence for the instructor, and the importer
is told the edit did not happen. :func:`run_drops` runs drops one after another in an event
loop of their own, so the importer's workers hand their results back to the calling thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from coursedesk.domain.errors import DomainError
from coursedesk.domain.operations import Operation
from coursedesk.domain.store import Applied, Store
from coursedesk.persistence.errors import SaveFailed
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.importer import (
    Importer,
    ImportProgress,
    ImportReport,
    ImportTarget,
)
from coursedesk.services.tasks import PoolRunner

log = logging.getLogger(__name__)

# How often the loop asks whether to cancel; it also lets Python run its signal handlers
# (Ctrl+C) while Qt waits for work to finish.
CANCEL_POLL_MS = 100
NO_PROGRESS = ImportProgress(0, 0, 0, 0, None)


@dataclass(frozen=True, slots=True)
class Drop:
    """Paths to import and where they go."""

    paths: tuple[Path, ...]
    target: ImportTarget


class HeadlessEditor:
    """Applies the importer's edits to ``library`` directly; nothing is undoable."""

    def __init__(self, library: Library, on_refused: Callable[[str], None]) -> None:
        self.library = library
        self._on_refused = on_refused

    @property
    def store(self) -> Store:
        return self.library.store

    def do(self, operation: Operation, text: str, course_id: str) -> Applied | None:
        """Apply and save ``operation`` (``text`` and ``course_id`` name an undo step, which
        there is none of here)."""
        return self.apply_untracked(operation)

    def apply_untracked(self, operation: Operation) -> Applied | None:
        try:
            return self.library.apply(operation)
        except (DomainError, SaveFailed) as exc:
            log.info("edit refused: %s", exc, exc_info=True)
            self._on_refused(str(exc))
            return None


def run_drops(
    importer: Importer,
    runner: PoolRunner,
    drops: Sequence[Drop],
    *,
    on_progress: Callable[[ImportProgress], None] = lambda _progress: None,
    should_cancel: Callable[[], bool] = lambda: False,
) -> list[ImportReport]:
    """Import ``drops`` in order with ``importer`` (whose runner is ``runner``) and return
    their reports; stops after a drop that was cancelled.

    ``on_progress`` sees the progress of all the drops together, counted from the first.
    ``should_cancel`` is asked every :data:`CANCEL_POLL_MS`; once it says yes the running drop
    is cancelled (finished videos stay) and no further drop starts. Returns only when no work
    of the runner is left running. Needs a ``QCoreApplication`` (one is made if there is none).
    """
    _app = QCoreApplication.instance() or QCoreApplication([])
    loop = QEventLoop()
    reports: list[ImportReport] = []
    earlier = current = NO_PROGRESS

    def progressed(progress: ImportProgress) -> None:
        nonlocal current
        current = progress
        on_progress(_plus(earlier, progress))

    def finished(report: ImportReport) -> None:
        reports.append(report)
        loop.quit()

    def poll() -> None:
        if importer.busy and should_cancel():
            importer.cancel()

    importer.progress.connect(progressed)
    importer.finished.connect(finished)
    timer = QTimer()
    timer.setInterval(CANCEL_POLL_MS)
    timer.timeout.connect(poll)
    timer.start()
    try:
        for drop in drops:
            if should_cancel():
                break
            count = len(reports)
            importer.start(drop.paths, drop.target)
            if len(reports) == count:
                loop.exec()
            if reports[-1].cancelled:
                break
            earlier, current = _plus(earlier, current), NO_PROGRESS
    finally:
        timer.stop()
        # Work not started yet is dropped; work under way notices the cancel and stops.
        runner.pool.clear()
        runner.wait()
        importer.progress.disconnect(progressed)
        importer.finished.disconnect(finished)
    return reports


def _plus(earlier: ImportProgress, progress: ImportProgress) -> ImportProgress:
    return ImportProgress(
        earlier.files_done + progress.files_done,
        earlier.files_total + progress.files_total,
        earlier.bytes_done + progress.bytes_done,
        earlier.bytes_total + progress.bytes_total,
        progress.eta_s,
    )
