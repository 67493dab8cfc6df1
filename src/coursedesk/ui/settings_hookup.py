"""Puts Settings ▸ Settings… (Ctrl+,) into every editor window, and applies the saved
thumbnail size to its library grid. A window without uploads still has it; its Uploads page
says uploads aren't available there."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QWidget

from coursedesk.paths import config_file, default_data_dir
from coursedesk.preferences import Theme, ThumbnailSize, load_preferences
from coursedesk.ui.library_delegate import CELL_WIDTH
from coursedesk.ui.library_pane import LibraryPane
from coursedesk.ui.resources import icon
from coursedesk.ui.settings_dialog import SettingsDialog, SettingsServices
from coursedesk.ui.theme import apply_theme, theme_keeper
from coursedesk.ui.uploads.center import UploadCenter

if TYPE_CHECKING:
    from coursedesk.ui.main_window import MainWindow

# The narrowest a library card may be, per thumbnail size (the grid widens cards to fill rows).
CARD_WIDTHS = {
    ThumbnailSize.SMALL: 136,
    ThumbnailSize.MEDIUM: CELL_WIDTH,
    ThumbnailSize.LARGE: 240,
}
SETTINGS_MENU_NAME = "settingsMenu"


def settings_menu(window: QMainWindow) -> QMenu:
    """The window's Settings menu, made on first use."""
    found = window.menuBar().findChild(QMenu, SETTINGS_MENU_NAME)
    if found is not None:
        return found
    menu = window.menuBar().addMenu("&Settings")
    menu.setObjectName(SETTINGS_MENU_NAME)
    return menu


def set_thumbnail_size_everywhere(size: ThumbnailSize) -> None:
    """Every open window's library grid shows cards of ``size``."""
    for widget in QApplication.topLevelWidgets():
        for pane in widget.findChildren(LibraryPane):
            pane.view.set_card_width(CARD_WIDTHS[size])


def _set_theme(theme: Theme) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, theme)


def _system_is_dark() -> bool:
    app = QApplication.instance()
    keeper = theme_keeper(app) if isinstance(app, QApplication) else None
    return keeper is not None and keeper.system_dark


class WindowSettings(QObject):
    """What one window has of the settings; dies with the window."""

    def __init__(self, window: MainWindow, uploads: UploadCenter | None) -> None:
        super().__init__(window)
        self.window = window
        self.uploads = uploads
        self.action = QAction(icon("settings"), "Se&ttings…", window)
        self.action.setObjectName("settingsAction")
        self.action.setShortcut(QKeySequence("Ctrl+,"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.setStatusTip("Theme, thumbnail size, uploads and the library's folder")
        self.action.triggered.connect(lambda: self.open_settings())
        menu = settings_menu(window)
        existing = menu.actions()
        if existing:
            menu.insertAction(existing[0], self.action)
            menu.insertSeparator(existing[0])
        else:
            menu.addAction(self.action)
        preferences = load_preferences(config_file())
        window.library_pane.view.set_card_width(CARD_WIDTHS[preferences.thumbnail_size])

    def data_folder(self) -> Path:
        """The folder of the library this window shows (its settings.ini lives there)."""
        if self.uploads is not None:
            return self.uploads.folder
        return Path(self.window.settings.fileName()).parent

    def open_settings(self) -> SettingsDialog:
        window_uploads = self.window.window_uploads

        def edit_account(parent: QWidget) -> None:
            if window_uploads is not None:
                window_uploads.open_storage_settings(parent)

        services = SettingsServices(
            preferences_file=config_file(),
            data_folder=self.data_folder(),
            default_data_folder=default_data_dir(),
            set_theme=_set_theme,
            set_thumbnail_size=set_thumbnail_size_everywhere,
            system_is_dark=_system_is_dark,
            uploads=self.uploads,
            edit_account=edit_account if window_uploads is not None else None,
        )
        dialog = SettingsDialog(services, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.window.show_message)
        dialog.open()
        return dialog
