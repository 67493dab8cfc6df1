"""When something goes wrong that no code was written to handle: log it, tell the instructor,
keep going.

An exception nobody caught — in a slot (PySide6 hands those to ``sys.excepthook``), in the
event loop or on a worker thread — is logged with its traceback and shown in a dialog that says
where the log is. The data is safe either way: ``Library.save`` writes each edit in one
transaction and puts the store back when it fails, so the edit that was under way is either
saved whole or not at all.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from coursedesk.logs import redact

log = logging.getLogger(__name__)

TITLE = "CourseDesk ran into a problem"

ShowCrash = Callable[[str, str, Path | None], None]


def crash_message_box(
    summary: str, detail: str, log_file: Path | None, parent: QWidget | None = None
) -> QMessageBox:
    """The dialog: what happened in one line, the traceback behind "Show Details…", where the
    log is."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(TITLE)
    box.setText(
        "Something went wrong inside CourseDesk. Your work is safe: every finished edit is "
        "saved, and the one under way was either saved whole or not at all. You can keep "
        "working; if it happens again, restarting CourseDesk may help."
    )
    where = f"The details are in the log: {log_file}" if log_file else "No log file is written."
    box.setInformativeText(f"{summary}\n\n{where}")
    box.setDetailedText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    # The log's path can be copied from the dialog.
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


def show_crash_dialog(summary: str, detail: str, log_file: Path | None) -> None:
    parent = QApplication.activeWindow()
    crash_message_box(summary, detail, log_file, parent).exec()


def describe(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> tuple[str, str]:
    """A one-line summary and the full traceback, secrets masked in both."""
    summary = "".join(traceback.format_exception_only(exc_type, exc)).strip()
    detail = "".join(traceback.format_exception(exc_type, exc, tb))
    return redact(summary), redact(detail)


class CrashReporter(QObject):
    """Installs ``sys.excepthook`` and ``threading.excepthook``; reports each uncaught exception
    in the log and, on the GUI thread, in a dialog (one at a time: a failure repeating while the
    dialog is open is only logged)."""

    _caught = Signal(str, str)

    def __init__(
        self,
        log_file: Path | None,
        show: ShowCrash = show_crash_dialog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self._show = show
        self._showing = False
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        # Queued from worker threads, so the dialog always opens on the GUI thread.
        self._caught.connect(self._report, Qt.ConnectionType.AutoConnection)

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        if sys.excepthook == self._on_exception:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self._on_thread_exception:
            threading.excepthook = self._previous_thread_hook

    def _on_exception(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_hook(exc_type, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        self._tell(*describe(exc_type, exc, tb))

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a worker thread"
        log.critical(
            "uncaught exception in thread %s",
            name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        self._tell(*describe(args.exc_type, args.exc_value, args.exc_traceback))

    def _tell(self, summary: str, detail: str) -> None:
        app = QApplication.instance()
        if app is None:
            print(detail, file=sys.stderr)
            return
        if QThread.currentThread() == app.thread():
            self._report(summary, detail)
        else:
            self._caught.emit(summary, detail)

    @Slot(str, str)
    def _report(self, summary: str, detail: str) -> None:
        if self._showing:
            return
        self._showing = True
        try:
            self._show(summary, detail, self.log_file)
        finally:
            self._showing = False


@contextlib.contextmanager
def reporting_crashes(
    log_file: Path | None, show: ShowCrash = show_crash_dialog
) -> Iterator[CrashReporter]:
    """Report uncaught exceptions while the block runs (the application's event loop)."""
    reporter = CrashReporter(log_file, show)
    reporter.install()
    try:
        yield reporter
    finally:
        reporter.uninstall()
