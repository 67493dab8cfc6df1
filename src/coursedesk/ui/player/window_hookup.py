"""Puts preview into an editor window: the Player dock (double-click or Enter on a video in
the grid, Enter in the chapter tree), quick look (Space in either view), and hover scrubbing
in the grid. Where QtMultimedia can't load, the dock says why and quick look stays off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from coursedesk.ui.chapter_tree_model import VideoIdRole
from coursedesk.ui.player.factory import create_player_pane, create_quick_look
from coursedesk.ui.player.scrub import HoverScrubber

if TYPE_CHECKING:
    from coursedesk.ui.main_window import MainWindow


class WindowPlayer(QObject):
    """What one window shows of preview; dies with the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        services = window.importing.services
        self.pane = create_player_pane(
            window.session,
            services.runner,
            services.pictures,
            replace_file=services.importer.replace_file,
        )
        status = getattr(self.pane, "status_message", None)
        if status is not None:
            status.connect(window.show_message)
        self.dock = QDockWidget("Player", window)
        self.dock.setObjectName("playerDock")
        self.dock.setAccessibleName("Player")
        self.dock.setWidget(self.pane)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.toggle = self.dock.toggleViewAction()
        self.toggle.setText("&Player")
        self.toggle.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.toggle.setToolTip("Show or hide the player (Ctrl+Shift+P)")
        view_menu = _menu(window, "&View")
        if view_menu is not None:
            view_menu.addAction(self.toggle)

        window.library_pane.activated_video.connect(self.play)
        window.chapter_tree.activated.connect(self._tree_activated)
        self.quick_look = create_quick_look(
            window.session, services.runner, services.pictures, parent=self
        )
        if self.quick_look is not None:
            self.quick_look.attach(window.chapter_tree)
            self.quick_look.attach(window.library_view)
        self.scrubber = HoverScrubber(
            window.library_view, window.store, services.pictures, services.runner
        )
        self.scrubber.install()

    def play(self, video_id: str) -> None:
        """Show the player and play ``video_id`` in it."""
        self.dock.show()
        self.dock.raise_()
        show_video = getattr(self.pane, "show_video", None)
        if show_video is not None:
            show_video(video_id)

    def _tree_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        video_id = index.data(VideoIdRole)
        if isinstance(video_id, str):
            self.play(video_id)

    def shut_down(self) -> None:
        if self.quick_look is not None:
            self.quick_look.shut_down()
        show_video = getattr(self.pane, "show_video", None)
        if show_video is not None:
            show_video(None)


def attach_player(window: MainWindow) -> WindowPlayer:
    return WindowPlayer(window)


def _menu(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text() == title:
            return menu
    return None
