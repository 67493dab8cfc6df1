"""Keeping an open library live: what other windows and programs save shows up by itself.

A timer on the GUI thread asks the library, a few times a second, whether the change feed has
moved on (one ``max(seq)`` query); when it has, the library reads just the changed rows and
applies them to the store as ordinary steps, so every view updates in place (no reset,
selection and scroll kept). Nothing of it enters the undo history.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from coursedesk.persistence.change_feed import ExternalChange
from coursedesk.persistence.errors import LibraryError
from coursedesk.persistence.library import Library

log = logging.getLogger(__name__)

# Other writers' changes show within a second: a look every quarter second, plus reading.
POLL_INTERVAL_MS = 250


class LiveUpdates(QObject):
    """Polls one library for other writers' changes. One per library, however many windows."""

    # Other writers' changes were taken over; carries the ``ExternalChange`` list.
    arrived = Signal(object)
    # The library could not be read (it keeps trying); the text is for the instructor.
    problem = Signal(str)

    def __init__(
        self,
        library: Library,
        parent: QObject | None = None,
        *,
        interval_ms: int = POLL_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self._failing = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def poll(self) -> list[ExternalChange]:
        """Take over whatever other writers saved since the last look (also callable directly)."""
        try:
            changes = self.library.refresh()
        except LibraryError as exc:
            if not self._failing:
                log.warning("reading other writers' changes failed", exc_info=True)
                self.problem.emit(str(exc))
            self._failing = True
            return []
        self._failing = False
        if changes:
            self.arrived.emit(changes)
        return changes
