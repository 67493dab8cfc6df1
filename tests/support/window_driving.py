"""Driving the real window as a person would: drops delivered as drag enter, move and drop
events on a view's viewport, clicks on rows, and answers to modal dialogs that block the
call that opened them."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal, TypeVar

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

D = TypeVar("D", bound=QDialog)
Where = Literal["above", "on", "below"]

_LOOK_EVERY_MS = 10
_LOOK_FOR_MS = 5_000


def file_urls(paths: Sequence[Path]) -> QMimeData:
    """What a file manager puts on a drag: ``text/uri-list``."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return data


def drop(
    viewport: QWidget,
    data: QMimeData,
    point: QPoint,
    action: Qt.DropAction = Qt.DropAction.MoveAction,
) -> bool:
    """Drag enter, move and drop at ``point``; True if the widget took the drop."""
    buttons = Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():
        # Qt 6.12 deprecates the QPoint constructors of drag events; PySide6 offers no other.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point, action, data, buttons, mods)
        move = QDragMoveEvent(point, action, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    if not enter.isAccepted():
        return False
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    dropped = QDropEvent(point.toPointF(), action, data, buttons, mods)
    QApplication.sendEvent(viewport, dropped)
    return dropped.isAccepted()


def row_point(view: QAbstractItemView, index: QModelIndex, where: Where = "on") -> QPoint:
    """A point on ``index``'s row: just inside its top or bottom edge, or its middle."""
    rect = view.visualRect(index)
    assert rect.isValid(), "the row is not shown"
    y = {"above": rect.top() + 1, "below": rect.bottom() - 1, "on": rect.center().y()}[where]
    return QPoint(rect.center().x(), y)


def below_the_rows(view: QAbstractItemView) -> QPoint:
    """The empty space at the bottom of a view."""
    viewport = view.viewport()
    return QPoint(viewport.width() // 2, viewport.height() - 4)


def click_row(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    """A plain left click on a row, which selects it alone and makes it current."""
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        view.visualRect(index).center(),
    )
    assert view.currentIndex().siblingAtColumn(0) == index.siblingAtColumn(0)


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Bring ``window`` to the front, as clicking into it does."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


@contextmanager
def answering(qtbot: QtBot, kind: type[D], answer: Callable[[D], None]) -> Iterator[list[str]]:
    """While the block runs, the next modal ``kind`` dialog to open is handed to ``answer``
    (which clicks or types its way out); yields the titles of the dialogs answered.

    A dialog the answer leaves open is rejected, so a failing test never hangs on it.
    Afterwards the window that was in front is in front again (the offscreen platform has
    no window manager to do that)."""
    in_front = QApplication.activeWindow()
    answered: list[str] = []
    failures: list[BaseException] = []
    looking = [True]

    def look(tries_left: int) -> None:
        if not looking[0]:
            return
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            if tries_left:
                QTimer.singleShot(_LOOK_EVERY_MS, lambda: look(tries_left - 1))
            return
        looking[0] = False
        answered.append(dialog.windowTitle())
        try:
            answer(dialog)
        except BaseException as exc:  # re-raised in the test, not in Qt's event loop
            failures.append(exc)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, lambda: look(_LOOK_FOR_MS // _LOOK_EVERY_MS))
    try:
        yield answered
    finally:
        looking[0] = False
    if failures:
        raise failures[0]
    if in_front is not None and in_front.isVisible():
        activate(qtbot, in_front)
