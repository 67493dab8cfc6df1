"""Puts uploads into an editor window: the Uploads dock next to the Trash and the undo
history, Settings ▸ Storage…, the status bar's summary with Pause All, upload progress in the
chapter tree and the grid, and the question when the last window closes mid-upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMenu, QToolButton, QWidget

from coursedesk.services.upload.queue import QueueState, QueueTotals
from coursedesk.ui.resources import icon
from coursedesk.ui.settings_hookup import settings_menu
from coursedesk.ui.status_bar import COVERABLE
from coursedesk.ui.uploads.center import UploadCenter
from coursedesk.ui.uploads.closing import CloseGuard
from coursedesk.ui.uploads.panel import UploadsPanel
from coursedesk.ui.uploads.storage_dialog import StorageDialog

if TYPE_CHECKING:
    from coursedesk.ui.main_window import MainWindow


class WindowUploads(QObject):
    """What one window shows of the uploads; dies with the window."""

    def __init__(self, window: MainWindow, center: UploadCenter) -> None:
        super().__init__(window)
        self.window = window
        self.center = center
        self.panel = UploadsPanel(center)
        self.panel.status_message.connect(window.show_message)
        self.panel.storage_settings_requested.connect(self.open_storage_settings)
        self.dock = QDockWidget("Uploads", window)
        self.dock.setObjectName("uploadsDock")
        self.dock.setAccessibleName("Uploads")
        self.dock.setWidget(self.panel)
        self.dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        window.tabifyDockWidget(window.history_dock, self.dock)
        window.trash_dock.raise_()

        self.toggle = self.dock.toggleViewAction()
        self.toggle.setText("&Uploads")
        self.toggle.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.toggle.setToolTip("Show or hide the uploads (Ctrl+Shift+U)")
        self.toggle.setIcon(icon("panel-uploads"))
        self.storage_action = QAction("&Storage…", window)
        self.storage_action.setObjectName("storageSettingsAction")
        self.storage_action.setStatusTip("The Backblaze B2 account your videos are uploaded to")
        self.storage_action.triggered.connect(lambda: self.open_storage_settings())
        view_menu = _menu(window, "&View")
        if view_menu is not None:
            separator = _first_separator(view_menu)
            if separator is not None:
                view_menu.insertAction(separator, self.toggle)
            else:
                view_menu.addAction(self.toggle)
        settings_menu(window).addAction(self.storage_action)
        window.toolbar.addAction(self.toggle)

        self.summary = QLabel()
        self.summary.setObjectName("uploadsStatus")
        self.summary.setContentsMargins(8, 0, 4, 0)
        # Also said in the Uploads panel: a long status message may cover it for a while.
        self.summary.setProperty(COVERABLE, True)
        self.pause_all = QToolButton()
        self.pause_all.setObjectName("statusPauseAllButton")
        self.pause_all.setAutoRaise(True)
        self.pause_all.clicked.connect(self.panel.toggle_all)
        status = window.statusBar()
        status.addPermanentWidget(self.summary)
        status.addPermanentWidget(self.pause_all)
        center.summary_changed.connect(self._show_summary)
        center.queue.totals_changed.connect(self._show_pause_all)
        self._show_summary(center.summary())
        self._show_pause_all(center.totals)

        window.tree_model.progress_provider = center.fraction
        window.library_pane.model.progress_provider = center.fraction
        center.video_progress.connect(self._repaint_videos)
        self.guard = CloseGuard(window, center)

    def _show_summary(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setToolTip(self.center.state_message or text)

    def _show_pause_all(self, totals: QueueTotals) -> None:
        paused = totals.state is QueueState.PAUSED
        self.pause_all.setText("Resume All" if paused else "Pause All")
        self.pause_all.setVisible(
            paused or (totals.state is QueueState.RUNNING and totals.running + totals.queued > 0)
        )

    def _repaint_videos(self, video_ids: tuple[str, ...]) -> None:
        tree = self.window.tree_model
        grid = self.window.library_pane.model
        for video_id in video_ids:
            tree.refresh_video(video_id)
            grid.refresh_video(video_id)

    def open_storage_settings(self, parent: QWidget | None = None) -> StorageDialog:
        """The Storage dialog, over ``parent`` (the window unless given)."""
        dialog = StorageDialog(
            self.center.account,
            self.center.save_account,
            has_saved_key=self.center.has_saved_key(),
            parent=parent or self.window,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.window.show_message("Storage settings saved."))
        dialog.open()
        return dialog


def _menu(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text() == title and action.menu() is not None:
            menu = action.menu()
            return menu if isinstance(menu, QMenu) else None
    return None


def _first_separator(menu: QMenu) -> QAction | None:
    for action in menu.actions():
        if action.isSeparator():
            return action
    return None


def attach_uploads(window: MainWindow, center: UploadCenter) -> WindowUploads:
    return WindowUploads(window, center)
