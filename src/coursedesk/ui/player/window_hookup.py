"""Puts preview into an editor window: the Player dock (double-click or Enter on a video in
the grid, Enter in the chapter tree), quick look (Space in either view), and hover scrubbing
in the grid. Where QtMultimedia can't load, the dock says why and quick look stays off.

With a storage account saved, an uploaded video whose file is missing plays from the bucket;
the player follows the account as it is saved or forgotten (in any window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from coursedesk.domain.model import Video
from coursedesk.services.tasks import PoolRunner
from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.playback import PlaybackLink, PlaybackLinks
from coursedesk.ui.chapter_tree_model import VideoIdRole
from coursedesk.ui.player.factory import create_player_pane, create_quick_look
from coursedesk.ui.player.scrub import HoverScrubber
from coursedesk.ui.player.sources import RemoteSource

if TYPE_CHECKING:
    from coursedesk.ui.main_window import MainWindow


class BucketSource:
    """The player's ``RemoteSource`` for one storage account: a download link per video."""

    def __init__(self, links: PlaybackLinks, account: StorageSettings) -> None:
        self.links = links
        self.account = account

    def __call__(self, video: Video) -> PlaybackLink:
        return self.links.link(self.account, video)


# The Player dock's width when it first opens beside the editor (pixels).
PLAYER_DOCK_WIDTH = 560


class WindowPlayer(QObject):
    """What one window shows of preview; dies with the window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        services = window.importing.services
        self.links = PlaybackLinks()
        self.link_runner = PoolRunner(max_threads=1)
        self.pane = create_player_pane(
            window.session,
            services.runner,
            services.pictures,
            remote_source=self.remote_source(),
            link_runner=self.link_runner,
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
            window.session,
            services.runner,
            services.pictures,
            remote_source=self.remote_source(),
            link_runner=self.link_runner,
            parent=self,
        )
        if self.quick_look is not None:
            self.quick_look.attach(window.chapter_tree)
            self.quick_look.attach(window.library_view)
        self.scrubber = HoverScrubber(
            window.library_view, window.store, services.pictures, services.runner
        )
        self.scrubber.install()
        if window.uploads is not None:
            window.uploads.config_changed.connect(self._account_changed)

    def remote_source(self) -> RemoteSource | None:
        """Where missing uploaded videos play from now: the saved account's bucket, or
        nowhere without one."""
        uploads = self.window.uploads
        account = uploads.account if uploads is not None else None
        return BucketSource(self.links, account) if account is not None else None

    def _account_changed(self) -> None:
        source = self.remote_source()
        if self.quick_look is not None:
            self.quick_look.set_remote_source(source)
        pane = self.pane
        if not hasattr(pane, "remote_source"):
            return  # preview is unavailable here
        pane.remote_source = source
        showing = getattr(pane, "video_id", None)
        loaded = getattr(pane, "source", None)
        show_video = getattr(pane, "show_video", None)
        if showing is not None and loaded is not None and loaded.isEmpty() and show_video:
            # The video waits for a file or an account: look again with the new account.
            show_video(showing, play=False)

    def play(self, video_id: str) -> None:
        """Show the player and play ``video_id`` in it."""
        if self.dock.isHidden() and not self.dock.isFloating():
            # Opened beside the editor at a size that leaves the tree and grid their room.
            width = min(PLAYER_DOCK_WIDTH, self.window.width() * 2 // 5)
            self.dock.show()
            self.window.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
            # Once more after the dock's first layout, which asks for the picture's full size.
            QTimer.singleShot(
                0,
                self.dock,
                lambda: self.window.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal),
            )
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
        retire = getattr(self.pane, "retire", None)
        if retire is not None:
            retire()
        # A link still being fetched is dropped; its answer finds no video to play.
        self.link_runner.pool.clear()
        self.links.close()


def attach_player(window: MainWindow) -> WindowPlayer:
    return WindowPlayer(window)


def _menu(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and action.text() == title:
            return menu
    return None
