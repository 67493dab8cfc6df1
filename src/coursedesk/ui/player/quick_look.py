"""Quick look: Space on a selected video opens a preview window that plays it at once; Space
again or Esc closes it; the arrow keys keep moving the selection in the view it came from,
and the preview follows.

``QuickLook.attach(view)`` is all a view needs: any item view whose rows carry
``VideoIdRole`` (the chapter tree, the library grid). The window never takes the keyboard
from the view, so the view's own arrow-key handling moves the selection.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QVBoxLayout, QWidget

from coursedesk.editing.session import EditSession
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import TaskRunner
from coursedesk.ui.chapter_tree_model import VideoIdRole
from coursedesk.ui.player.player_pane import PlayerPane
from coursedesk.ui.player.sources import RemoteSource

_NAVIGATION = frozenset(
    {
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
    }
)


class QuickLookWindow(QWidget):
    """The preview window: a compact player; Space/Esc close it, arrows go to the view."""

    def __init__(self, quick_look: QuickLook, pane: PlayerPane) -> None:
        super().__init__(None, Qt.WindowType.Tool)
        self.setObjectName("quickLook")
        self.setWindowTitle("Quick Look")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self._quick_look = quick_look
        self.pane = pane
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(pane)
        self.resize(720, 450)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Escape):
            self._quick_look.close()
            return
        view = self._quick_look.view
        if event.key() in _NAVIGATION and view is not None:
            forwarded = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
            QApplication.sendEvent(view, forwarded)
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.pane.stop()
        self._quick_look.closed_by_window()
        super().closeEvent(event)


class QuickLook(QObject):
    """Space-to-preview for item views. Public: ``attach(view)``, ``open(view)``, ``close()``,
    ``set_remote_source(source)``, ``is_open``, ``video_id``, ``view`` (the one it opened
    from) and ``window``."""

    def __init__(
        self,
        session: EditSession,
        runner: TaskRunner,
        cache: ThumbnailCache | None = None,
        *,
        remote_source: RemoteSource | None = None,
        link_runner: TaskRunner | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._runner = runner
        self._cache = cache
        self._remote_source = remote_source
        self._link_runner = link_runner
        self._views: list[QAbstractItemView] = []
        self.view: QAbstractItemView | None = None
        self.window: QuickLookWindow | None = None
        self._followed: QItemSelectionModel | None = None

    @property
    def is_open(self) -> bool:
        return self.window is not None and self.window.isVisible()

    @property
    def video_id(self) -> str | None:
        return self.window.pane.video_id if self.window is not None else None

    def set_remote_source(self, remote_source: RemoteSource | None) -> None:
        """Where uploaded videos whose file is missing play from (None: nowhere), from the
        next video on."""
        self._remote_source = remote_source
        if self.window is not None:
            self.window.pane.remote_source = remote_source

    def attach(self, view: QAbstractItemView) -> None:
        """Let Space on ``view`` open quick look."""
        view.installEventFilter(self)
        self._views.append(view)
        view.destroyed.connect(lambda: self._forget(view))

    def _forget(self, view: QAbstractItemView) -> None:
        if view in self._views:
            self._views.remove(view)
        if self.view is view:
            self.view = None
            self.close()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or watched not in self._views:
            return False
        assert isinstance(event, QKeyEvent) and isinstance(watched, QAbstractItemView)
        if watched.state() == QAbstractItemView.State.EditingState:
            return False
        key = event.key()
        if key == Qt.Key.Key_Space and not event.modifiers():
            if self.is_open and self.view is watched:
                self.close()
                return True
            return self.open(watched)
        if key == Qt.Key.Key_Escape and self.is_open and self.view is watched:
            self.close()
            return True
        return False

    def open(self, view: QAbstractItemView) -> bool:
        """Preview the current video of ``view``; False when no video is current."""
        video_id = _video_at(view.currentIndex())
        if video_id is None:
            selected = getattr(view, "selected_video_ids", None)
            ids = selected() if callable(selected) else []
            video_id = ids[0] if ids else None
        if video_id is None:
            return False
        self._follow(None)
        self.view = view
        self._follow(view)
        window = self._window()
        window.pane.show_video(video_id, play=True)
        window.setWindowTitle(f"Quick Look — {window.pane.info.title.text()}")
        window.show()
        return True

    def close(self) -> None:
        window = self.window
        if window is not None and window.isVisible():
            window.close()  # closeEvent stops playback and calls closed_by_window
        else:
            self.closed_by_window()

    def closed_by_window(self) -> None:
        self._follow(None)
        self.view = None

    def _window(self) -> QuickLookWindow:
        if self.window is None:
            pane = PlayerPane(
                self._session,
                self._runner,
                self._cache,
                remote_source=self._remote_source,
                link_runner=self._link_runner,
                compact=True,
            )
            self.window = QuickLookWindow(self, pane)
        return self.window

    def _follow(self, view: QAbstractItemView | None) -> None:
        """Follow the current index of ``view`` (None: stop following)."""
        followed, self._followed = self._followed, None
        if followed is not None:
            with contextlib.suppress(RuntimeError):  # the view dropped its selection model
                followed.currentChanged.disconnect(self._current_moved)
        if view is not None and view.selectionModel() is not None:
            self._followed = view.selectionModel()
            self._followed.currentChanged.connect(self._current_moved)

    def _current_moved(self, current: QModelIndex, _previous: QModelIndex) -> None:
        video_id = _video_at(current)
        if video_id is None or self.window is None or not self.is_open:
            return
        if video_id != self.window.pane.video_id:
            self.window.pane.show_video(video_id, play=True)
            self.window.setWindowTitle(f"Quick Look — {self.window.pane.info.title.text()}")

    def shut_down(self) -> None:
        """Close the window for good (application exit, tests)."""
        self.close()
        if self.window is not None:
            self.window.pane.retire()
            self.window.deleteLater()
            self.window = None


def _video_at(index: QModelIndex) -> str | None:
    if not index.isValid():
        return None
    value = index.data(VideoIdRole)
    return value if isinstance(value, str) and value else None
