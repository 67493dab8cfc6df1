"""Settings ▸ Settings… (Ctrl+,): appearance, uploads and the library's folder in one dialog.

OK saves and closes, Apply saves and stays, Cancel puts everything back. The theme and the
thumbnail size show at once while they are picked (Cancel undoes the preview); the rest takes
effect when saved: connections and part size on the running uploads, the library folder at
the next start. Values are checked before anything is written, and the two files involved
(``storage.json`` and ``config.json``) are written all or nothing. The storage account's
buttons open their own dialogs and act at once, as account changes do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.model import VideoStatus
from coursedesk.paths import folder_problem
from coursedesk.preferences import (
    Preferences,
    PreferencesNotSaved,
    Theme,
    ThumbnailSize,
    load_preferences,
    save_preferences,
)
from coursedesk.services.upload.parts import DEFAULT_PART_SIZE_BYTES, MB
from coursedesk.services.upload.queue import DEFAULT_CONNECTIONS
from coursedesk.services.upload.settings_file import (
    CONNECTIONS_MAX,
    CONNECTIONS_MIN,
    PART_SIZE_MAX_BYTES,
    PART_SIZE_MIN_BYTES,
    connections_problem,
    part_size_problem,
)
from coursedesk.ui.icons import status_icon
from coursedesk.ui.resources import icon
from coursedesk.ui.settings_pages import AppearancePage, LibraryPage, UploadsPage
from coursedesk.ui.uploads.center import UploadCenter

log = logging.getLogger(__name__)

_MB_PER_S = 1_000_000  # the bandwidth limit counts decimal megabytes, as the panel does


@dataclass(frozen=True, slots=True)
class SettingsServices:
    """What the dialog works with (passed in, so tests hand in their own)."""

    preferences_file: Path
    data_folder: Path  # the library folder this session uses
    default_data_folder: Path
    set_theme: Callable[[Theme], None]
    set_thumbnail_size: Callable[[ThumbnailSize], None]
    system_is_dark: Callable[[], bool]
    uploads: UploadCenter | None = None
    # Opens the Storage dialog over the given parent; returns when it is closed.
    edit_account: Callable[[QWidget], None] | None = None


@dataclass(frozen=True, slots=True)
class _Transfers:
    connections: int
    part_size_bytes: int
    bandwidth_limit_bytes_per_s: int | None


@dataclass(frozen=True, slots=True)
class _Problem:
    message: str
    page: QWidget
    field: QWidget


class SettingsDialog(QDialog):
    """Appearance, Uploads and Library pages beside a list of them."""

    # Saved (OK or Apply); carries a line for the status bar.
    saved = Signal(str)

    def __init__(self, services: SettingsServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumSize(QSize(720, 500))
        self._services = services
        self._uploads = services.uploads
        self._saved = load_preferences(services.preferences_file)
        self._saved_transfers = self._current_transfers()

        self.appearance = AppearancePage()
        self.uploads_page = UploadsPage(
            connections_range=(CONNECTIONS_MIN, CONNECTIONS_MAX),
            connections_default=DEFAULT_CONNECTIONS,
            part_size_mb_range=(PART_SIZE_MIN_BYTES // MB, PART_SIZE_MAX_BYTES // MB),
            part_size_mb_default=DEFAULT_PART_SIZE_BYTES // MB,
        )
        self.library_page = LibraryPage(services.data_folder, services.default_data_folder)

        self.pages = QListWidget()
        self.pages.setObjectName("settingsPages")
        self.pages.setAccessibleName("Settings pages")
        self.pages.setIconSize(QSize(22, 22))
        self.pages.setSpacing(2)
        self.pages.setFixedWidth(168)
        self.stack = QStackedWidget()
        self._add_page("Appearance", "settings-appearance", self.appearance)
        self._add_page("Uploads", "panel-uploads", self.uploads_page)
        self._add_page("Library", "settings-library", self.library_page)
        self.pages.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.pages.setCurrentRow(0)

        self.problem_icon = QLabel()
        self.problem_icon.setFixedWidth(20)
        self.problem_icon.setPixmap(status_icon(VideoStatus.FAILED).pixmap(16, 16))
        self.problem = QLabel()
        self.problem.setObjectName("settingsProblem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.problem_icon, 0, Qt.AlignmentFlag.AlignTop)
        problem_row.addWidget(self.problem, 1)
        self._show_problem(None)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.defaults_button = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setToolTip("Put this page's settings back to their defaults")
        self.buttons.clicked.connect(self._button_clicked)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.pages)
        page_column = QVBoxLayout()
        page_column.addWidget(self.stack, 1)
        page_column.addLayout(problem_row)
        body.addLayout(page_column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

        self._show_saved()
        self.uploads_page.set_available(self._uploads is not None)
        self.library_page.show_next_start(self._next_start_folder())
        self.appearance.show_system_scheme(services.system_is_dark())
        self.appearance.theme_chosen.connect(self._preview_theme)
        self.appearance.thumbnail_size_chosen.connect(services.set_thumbnail_size)
        self.appearance.thumbnail_size_chosen.connect(self._changed)
        self.library_page.folder_edit.textChanged.connect(self._changed)
        self.library_page.choose_button.clicked.connect(self.choose_library_folder)
        up = self.uploads_page
        for spin in (up.connections, up.part_size):
            spin.textChanged.connect(self._changed)
        up.bandwidth.valueChanged.connect(self._changed)
        up.change_account_button.clicked.connect(self.change_account)
        up.remove_account_button.clicked.connect(self.remove_account)
        if self._uploads is not None:
            self._uploads.config_changed.connect(self._uploads_config_changed)
        self._changed()

    # ------------------------------------------------------------------ construction

    def _add_page(self, title: str, icon_name: str, page: QWidget) -> None:
        item = QListWidgetItem(icon(icon_name), title)
        item.setSizeHint(QSize(0, 36))
        self.pages.addItem(item)
        self.stack.addWidget(page)

    def show_page(self, page: QWidget) -> None:
        self.pages.setCurrentRow(self.stack.indexOf(page))

    # ------------------------------------------------------------------ values

    def _current_transfers(self) -> _Transfers:
        uploads = self._uploads
        if uploads is None:
            return _Transfers(DEFAULT_CONNECTIONS, DEFAULT_PART_SIZE_BYTES, None)
        return _Transfers(
            uploads.connections,
            uploads.part_size_bytes,
            uploads.config.bandwidth_limit_bytes_per_s,
        )

    def _show_saved(self) -> None:
        saved = self._saved
        self.appearance.show_values(saved.theme, saved.thumbnail_size)
        self.library_page.show_folder(saved.library_folder)
        self._show_transfers(self._saved_transfers)
        self.uploads_page.show_account(self._uploads.account if self._uploads else None)

    def _show_transfers(self, transfers: _Transfers) -> None:
        up = self.uploads_page
        up.connections.setValue(transfers.connections)
        up.part_size.setValue(max(1, round(transfers.part_size_bytes / MB)))
        self._show_bandwidth(transfers.bandwidth_limit_bytes_per_s)

    def _show_bandwidth(self, limit: int | None) -> None:
        self.uploads_page.bandwidth.setValue(limit / _MB_PER_S if limit else 0.0)

    def chosen_preferences(self) -> Preferences:
        return Preferences(
            theme=self.appearance.theme(),
            thumbnail_size=self.appearance.chosen_thumbnail_size(),
            library_folder=self.library_page.folder(),
        )

    def chosen_transfers(self) -> _Transfers:
        up = self.uploads_page
        mb_per_s = up.bandwidth.value()
        return _Transfers(
            up.connections.value(),
            up.part_size.value() * MB,
            round(mb_per_s * _MB_PER_S) if mb_per_s > 0 else None,
        )

    def is_modified(self) -> bool:
        return (
            self.chosen_preferences() != self._saved
            or self.chosen_transfers() != self._saved_transfers
        )

    # ------------------------------------------------------------------ checking

    def _typed_problem(self) -> _Problem | None:
        """What is wrong with the numbers as typed (checked as the instructor types)."""
        if self._uploads is None:
            return None
        up = self.uploads_page
        checks = (
            (up.connections, connections_problem, 1),
            (up.part_size, part_size_problem, MB),
        )
        for spin, problem_of, unit in checks:
            if spin.in_range():
                continue
            if not spin.hasAcceptableInput():
                message = f"Enter a whole number for “{spin.accessibleName().lower()}”."
            else:
                message = problem_of(spin.value() * unit) or ""
            return _Problem(message, up, spin)
        return None

    def _folder_problem(self) -> _Problem | None:
        folder = self.library_page.folder()
        if folder is None or folder == self._saved.library_folder:
            return None
        problem = folder_problem(folder)
        if problem is None:
            return None
        return _Problem(problem, self.library_page, self.library_page.folder_edit)

    def _show_problem(self, problem: _Problem | None) -> None:
        self.problem.setText(problem.message if problem is not None else "")
        self.problem.setVisible(problem is not None)
        self.problem_icon.setVisible(problem is not None)

    def _changed(self, *_args: object) -> None:
        problem = self._typed_problem()
        self._show_problem(problem)
        self.ok_button.setEnabled(problem is None)
        self.apply_button.setEnabled(problem is None and self.is_modified())

    # ------------------------------------------------------------------ previews

    def _preview_theme(self, theme: Theme) -> None:
        self._services.set_theme(theme)
        self._changed()

    def _restore_previews(self) -> None:
        """Put back the theme and thumbnail size last saved."""
        if self.appearance.theme() != self._saved.theme:
            self._services.set_theme(self._saved.theme)
        if self.appearance.chosen_thumbnail_size() != self._saved.thumbnail_size:
            self._services.set_thumbnail_size(self._saved.thumbnail_size)

    # ------------------------------------------------------------------ saving

    def apply(self) -> bool:
        """Check everything, then save everything or nothing. True when saved."""
        problem = self._typed_problem() or self._folder_problem()
        if problem is not None:
            self._show_problem(problem)
            self.show_page(problem.page)
            problem.field.setFocus()
            return False
        preferences = self.chosen_preferences()
        transfers = self.chosen_transfers()
        old_transfers = self._saved_transfers
        try:
            self._save_transfers(transfers)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._refuse(f"CourseDesk could not save the upload settings: {reason}")
            return False
        if preferences != self._saved:
            try:
                save_preferences(self._services.preferences_file, preferences)
            except PreferencesNotSaved as exc:
                # All or nothing: the upload settings go back to what they were.
                try:
                    self._save_transfers(old_transfers)
                except (OSError, ValueError):
                    log.warning("could not put the upload settings back", exc_info=True)
                self._refuse(exc.message)
                return False
        folder_changed = preferences.library_folder != self._saved.library_folder
        self._saved = preferences
        self._saved_transfers = transfers
        self._show_problem(None)
        self._changed()
        self.library_page.show_next_start(self._next_start_folder())
        self.saved.emit(
            "Settings saved. The new library folder is used from the next start."
            if folder_changed
            else "Settings saved."
        )
        return True

    def _save_transfers(self, transfers: _Transfers) -> None:
        uploads = self._uploads
        if uploads is None or transfers == self._current_transfers():
            return
        uploads.set_transfer_settings(
            transfers.connections, transfers.part_size_bytes, transfers.bandwidth_limit_bytes_per_s
        )

    def _next_start_folder(self) -> Path:
        folder = self._saved.library_folder or self._services.default_data_folder
        return folder.expanduser().resolve()

    def _refuse(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(True)
        self.problem_icon.setVisible(True)
        QMessageBox.warning(self, "Settings Not Saved", message)

    def _button_clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.buttonRole(button)
        if role == QDialogButtonBox.ButtonRole.AcceptRole:
            if self.apply():
                self.accept()
        elif role == QDialogButtonBox.ButtonRole.ApplyRole:
            self.apply()
        elif role == QDialogButtonBox.ButtonRole.ResetRole:
            self.restore_defaults()
        elif role == QDialogButtonBox.ButtonRole.RejectRole:
            self.reject()

    def restore_defaults(self) -> None:
        """This page's settings back to their defaults (saved only with OK or Apply)."""
        page = self.stack.currentWidget()
        defaults = Preferences()
        if page is self.appearance:
            self.appearance.theme_buttons[defaults.theme].setChecked(True)
            index = self.appearance.thumbnail_size.findData(defaults.thumbnail_size.value)
            self.appearance.thumbnail_size.setCurrentIndex(index)
        elif page is self.uploads_page:
            self._show_transfers(_Transfers(DEFAULT_CONNECTIONS, DEFAULT_PART_SIZE_BYTES, None))
        elif page is self.library_page:
            self.library_page.show_folder(None)
        self._changed()

    def reject(self) -> None:
        self._restore_previews()
        super().reject()

    def done(self, result: int) -> None:
        if self._uploads is not None:
            self._uploads.config_changed.disconnect(self._uploads_config_changed)
            self._uploads = None
        super().done(result)

    # ------------------------------------------------------------------ library folder

    def choose_library_folder(self) -> None:
        start = self.library_page.folder() or self._services.data_folder
        chosen = QFileDialog.getExistingDirectory(self, "Library Folder", str(start))
        if chosen:
            self.library_page.show_folder(Path(chosen))

    # ------------------------------------------------------------------ storage account

    def change_account(self) -> None:
        if self._services.edit_account is not None:
            self._services.edit_account(self)

    def remove_account(self) -> None:
        uploads = self._uploads
        if uploads is None or uploads.account is None:
            return
        answer = QMessageBox.question(
            self,
            "Remove Storage Account",
            f"Remove the storage account for the bucket “{uploads.account.bucket}”?\n\n"
            "CourseDesk forgets it and removes its application key from this computer's "
            "credential store. Videos already uploaded stay in the bucket; the rest wait "
            "until you set up an account again.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        uploads.forget_account()

    def _uploads_config_changed(self) -> None:
        uploads = self._uploads
        if uploads is None:
            return
        self.uploads_page.show_account(uploads.account)
        # The Uploads panel changed the limit: follow it, unless it is being edited here.
        limit = uploads.config.bandwidth_limit_bytes_per_s
        if self.chosen_transfers().bandwidth_limit_bytes_per_s == (
            self._saved_transfers.bandwidth_limit_bytes_per_s
        ):
            self._show_bandwidth(limit)
        self._saved_transfers = replace(self._saved_transfers, bandwidth_limit_bytes_per_s=limit)
        self._changed()
