"""Closing the last window while uploads run: finish them in the background, pause and quit
(they resume next time), or stay."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from coursedesk.ui.uploads.center import UploadCenter


class CloseChoice(Enum):
    FINISH_IN_BACKGROUND = "finish in background"
    PAUSE_AND_QUIT = "pause and quit"
    STAY = "stay"


def ask_about_running_uploads(parent: QWidget, running: int) -> CloseChoice:
    """The question, as a message box (tests replace this function)."""
    box = QMessageBox(parent)
    box.setObjectName("closeWithUploadsQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Uploads are running")
    box.setText(f"{running} upload{'' if running == 1 else 's'} still to finish.")
    box.setInformativeText(
        "CourseDesk can finish them without a window and quit when they are done, or pause "
        "them now: paused uploads continue where they stopped next time you open CourseDesk."
    )
    finish = box.addButton("&Finish in Background", QMessageBox.ButtonRole.AcceptRole)
    pause = box.addButton("&Pause and Quit", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(finish)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    if clicked is finish:
        return CloseChoice.FINISH_IN_BACKGROUND
    if clicked is pause:
        return CloseChoice.PAUSE_AND_QUIT
    return CloseChoice.STAY


class CloseGuard(QObject):
    """Watches a window's close: the last window asks before it stops running uploads."""

    def __init__(self, window: QMainWindow, center: UploadCenter) -> None:
        super().__init__(window)
        self._window = window
        self._center = center
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._window or event.type() != QEvent.Type.Close:
            return False
        if self._other_windows_open():
            return False
        running = self._center.uploads_running()
        if not running:
            return False
        choice = ask_about_running_uploads(self._window, running)
        if choice is CloseChoice.STAY:
            event.ignore()
            return True
        if choice is CloseChoice.FINISH_IN_BACKGROUND:
            self._center.finish_in_background()
        else:
            self._center.pause_and_quit()
        return False

    def _other_windows_open(self) -> bool:
        """Another window on the same uploads stays open: closing this one stops nothing."""
        return any(
            widget is not self._window
            and isinstance(widget, QMainWindow)
            and widget.isVisible()
            and getattr(widget, "uploads", None) is self._center
            for widget in QApplication.topLevelWidgets()
        )
