"""Settings ▸ Settings… (Ctrl+,) in the real window: theme and thumbnail size shown at once,
connections and part size used by the running uploads, the storage account removed, the
library folder kept for the next start; OK, Apply and Cancel; bad values refused."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator
from tests.support.upload_harness import make_videos

from coursedesk.editing.session import EditSession
from coursedesk.paths import config_file
from coursedesk.persistence.library import Library
from coursedesk.preferences import Theme, ThumbnailSize, load_preferences
from coursedesk.services.upload.account import KEYRING_SERVICE, StorageSettings
from coursedesk.services.upload.parts import MB
from coursedesk.services.upload.queue import DEFAULT_CONNECTIONS, UploadSettings
from coursedesk.services.upload.settings_file import (
    load_upload_config,
    save_account,
    storage_file,
)
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.settings_dialog import SettingsDialog
from coursedesk.ui.settings_hookup import CARD_WIDTHS
from coursedesk.ui.theme import is_dark, theme_keeper
from coursedesk.ui.uploads.center import UploadCenter

WAIT_MS = 60_000
QUICK = UploadSettings(retry_first_delay_s=0.01, retry_cap_s=0.05, offline_probe_interval_s=0.05)


@pytest.fixture(autouse=True)
def _light_afterwards(qapp: QApplication) -> Iterator[None]:
    """Whatever theme a test picks, the next test starts with the application as it was."""
    palette = qapp.palette()
    yield
    keeper = theme_keeper(qapp)
    if keeper is not None:
        keeper.setParent(None)
        keeper.deleteLater()
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)


@dataclass
class Desk:
    library: Library
    window: MainWindow
    center: UploadCenter
    folder: Path

    def open_settings(self, qtbot: QtBot) -> SettingsDialog:
        """Ctrl+, in the window, as the instructor presses it."""
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)
        qtbot.keyClick(self.window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
        shown = [d for d in self.window.findChildren(SettingsDialog) if d.isVisible()]
        assert len(shown) == 1, "Ctrl+, opened no Settings dialog"
        qtbot.waitExposed(shown[0])
        return shown[0]


@pytest.fixture
def desk_maker(qtbot: QtBot, library: Library, tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    made: list[Desk] = []

    def make(*, account: StorageSettings | None = None, app_key: str = "") -> Desk:
        folder = tmp_path / "data"
        if account is not None:
            save_account(folder, account, app_key)
        session = EditSession(library)
        center = UploadCenter.open(session, library.database.engine, folder, QUICK)
        center.start()
        settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(library, session, settings, uploads=center)
        window.show()
        qtbot.waitExposed(window)
        desk = Desk(library, window, center, folder)
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.center.shutdown()
        desk.window.close()


def emulator_account(emulator: B2Emulator) -> StorageSettings:
    return StorageSettings(emulator.key_id, emulator.bucket_name, "", emulator.realm_url)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Select what the field holds and type ``text`` over it."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def ink_lightness(picture: QIcon) -> float:
    """How light the strokes of an icon are (its most opaque pixels)."""
    image = picture.pixmap(32, 32).toImage()
    seen = [
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 150
    ]
    return sum(seen) / len(seen) if seen else 0.0


def pick_theme(qtbot: QtBot, dialog: SettingsDialog, theme: Theme) -> None:
    """Click the theme's radio button on its round indicator."""
    button = dialog.appearance.theme_buttons[theme]
    qtbot.mouseClick(
        button,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(8, button.height() // 2),
    )
    assert button.isChecked()


def answer_next_message_box(button: QMessageBox.StandardButton) -> list[str]:
    """The next QMessageBox to open is answered with ``button``; returns its texts."""
    texts: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, look)
            return
        texts.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, look)
    return texts


def saved_json(path: Path) -> dict[str, object]:
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# ---------------------------------------------------------------------- opening


def test_ctrl_comma_opens_settings_and_the_menu_lists_it_above_storage(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    menu = desk.window.menuBar().findChild(QWidget, "settingsMenu")
    assert menu is not None
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names == ["settingsAction", "storageSettingsAction"]
    dialog = desk.open_settings(qtbot)
    assert dialog.windowTitle() == "Settings"
    pages = [dialog.pages.item(n).text() for n in range(dialog.pages.count())]
    assert pages == ["Appearance", "Uploads", "Library"]
    assert dialog.uploads_page.connections.value() == DEFAULT_CONNECTIONS
    assert dialog.uploads_page.part_size.value() == 32
    assert not dialog.apply_button.isEnabled()  # nothing changed yet


def test_a_window_without_uploads_has_settings_too_and_its_uploads_page_says_so(
    qtbot: QtBot, library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, EditSession(library), settings)  # no upload center
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    menu = window.menuBar().findChild(QWidget, "settingsMenu")
    assert menu is not None
    assert [a.objectName() for a in menu.actions() if not a.isSeparator()] == ["settingsAction"]

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)

    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    pages = [dialog.pages.item(n).text() for n in range(dialog.pages.count())]
    assert pages == ["Appearance", "Uploads", "Library"]
    dialog.show_page(dialog.uploads_page)
    page = dialog.uploads_page
    assert page.unavailable.isVisible() and "aren't available" in page.unavailable.text()
    for control in (page.change_account_button, page.connections, page.bandwidth):
        assert not control.isEnabled()
    # The rest works as ever: a thumbnail size picked and saved with OK.
    dialog.show_page(dialog.appearance)
    combo = dialog.appearance.thumbnail_size
    combo.setCurrentIndex(combo.findData(ThumbnailSize.SMALL.value))
    assert window.library_pane.view.card_width == CARD_WIDTHS[ThumbnailSize.SMALL]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert load_preferences(config_file()).thumbnail_size is ThumbnailSize.SMALL
    assert not storage_file(folder).exists()


# ---------------------------------------------------------------------- appearance


def test_choosing_dark_darkens_every_window_at_once_and_ok_keeps_it(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    dialog = desk.open_settings(qtbot)
    assert not is_dark(desk.window.palette())
    pick_theme(qtbot, dialog, Theme.DARK)
    assert is_dark(QApplication.palette())
    # Widgets hear of the new palette through the event loop, right after.
    qtbot.waitUntil(lambda: is_dark(desk.window.library_pane.view.palette()))
    # The hand-drawn sort sign is drawn again in the dark palette's light ink.
    sort_sign = desk.window.library_pane.sort_order
    qtbot.waitUntil(lambda: ink_lightness(sort_sign.icon()) > 160)
    assert not config_file().exists(), "a preview is not a save"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert load_preferences(config_file()).theme is Theme.DARK
    assert is_dark(QApplication.palette())
    assert "Settings saved." in desk.window.statusBar().currentMessage()


def test_cancel_puts_back_the_theme_and_the_thumbnail_size_and_saves_nothing(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    grid = desk.window.library_pane.view
    width_before = grid.gridSize().width()
    dialog = desk.open_settings(qtbot)
    pick_theme(qtbot, dialog, Theme.DARK)
    combo = dialog.appearance.thumbnail_size
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # Large
    assert combo.currentData() == ThumbnailSize.LARGE.value
    assert grid.gridSize().width() > width_before
    type_into(qtbot, dialog.uploads_page.connections, "12")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not is_dark(QApplication.palette())
    assert grid.gridSize().width() == width_before
    assert not config_file().exists()
    assert not storage_file(desk.folder).exists()
    assert desk.center.connections == DEFAULT_CONNECTIONS


def test_thumbnail_sizes_make_the_grid_cards_smaller_or_bigger_at_once(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    grid = desk.window.library_pane.view
    dialog = desk.open_settings(qtbot)
    combo = dialog.appearance.thumbnail_size
    widths = {}
    for size in (ThumbnailSize.SMALL, ThumbnailSize.LARGE, ThumbnailSize.MEDIUM):
        combo.setCurrentIndex(combo.findData(size.value))
        widths[size] = grid.gridSize().width()
        assert grid.card_width == CARD_WIDTHS[size]
    assert widths[ThumbnailSize.SMALL] < widths[ThumbnailSize.MEDIUM] < widths[ThumbnailSize.LARGE]
    combo.setCurrentIndex(combo.findData(ThumbnailSize.LARGE.value))
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert load_preferences(config_file()).thumbnail_size is ThumbnailSize.LARGE
    # A window opened later starts with the saved size.
    second = desk.window.open_new_window()
    try:
        assert second.library_pane.view.card_width == CARD_WIDTHS[ThumbnailSize.LARGE]
    finally:
        second.close()


def test_follow_system_follows_the_desktop_as_it_turns_dark_and_light(
    qtbot: QtBot, qapp: QApplication, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    dialog = desk.open_settings(qtbot)
    pick_theme(qtbot, dialog, Theme.LIGHT)
    pick_theme(qtbot, dialog, Theme.SYSTEM)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    hints = qapp.styleHints()
    # What the platform sends when the desktop's colour scheme changes.
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert is_dark(QApplication.palette())
    qtbot.waitUntil(lambda: is_dark(desk.window.palette()))
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not is_dark(QApplication.palette())


def test_an_explicit_theme_stays_whatever_the_desktop_does(
    qtbot: QtBot, qapp: QApplication, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    dialog = desk.open_settings(qtbot)
    pick_theme(qtbot, dialog, Theme.LIGHT)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not is_dark(QApplication.palette())


# ---------------------------------------------------------------------- uploads


def test_connections_and_part_size_are_saved_and_used_by_the_next_upload_without_a_restart(
    qtbot: QtBot, desk_maker: Callable[..., Desk], b2_emulator: B2Emulator, tmp_path: Path
) -> None:
    desk = desk_maker(account=emulator_account(b2_emulator), app_key=b2_emulator.app_key)
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.uploads_page)
    type_into(qtbot, dialog.uploads_page.connections, "3")
    type_into(qtbot, dialog.uploads_page.part_size, "5")
    assert dialog.apply_button.isEnabled()
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "Apply keeps the dialog open"
    assert not dialog.apply_button.isEnabled()
    saved = saved_json(storage_file(desk.folder))
    assert saved["upload_connections"] == 3
    assert saved["part_size_bytes"] == 5 * MB
    assert saved["account"] is not None, "the account is kept"
    assert desk.center.connections == 3
    assert desk.center.part_size_bytes == 5 * MB
    # A 16 MB video, more than three 5 MB parts: it goes up as a large file in four parts,
    # where the default 32 MB part size would have sent it in one piece.
    b2_emulator.reset_stats()
    _course, (video,) = make_videos(desk.library, tmp_path / "videos", [16 * MB + 1])
    qtbot.waitUntil(
        lambda: (
            desk.center.queue.jobs().get(video.video_id) is not None
            and desk.center.queue.jobs()[video.video_id].remote_file_id is not None
        ),
        timeout=WAIT_MS,
    )
    assert b2_emulator.stats().requests("b2_upload_part") == 4
    assert b2_emulator.stats().requests("b2_upload_file") == 0


def test_bandwidth_limit_follows_the_uploads_panel_both_ways(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    panel = desk.window.window_uploads.panel  # type: ignore[union-attr]
    dialog = desk.open_settings(qtbot)
    panel.limit.setValue(2.5)
    assert dialog.uploads_page.bandwidth.value() == 2.5
    assert not dialog.apply_button.isEnabled(), "the panel already saved it"
    type_into(qtbot, dialog.uploads_page.bandwidth, "4")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert desk.center.config.bandwidth_limit_bytes_per_s == 4_000_000
    assert load_upload_config(desk.folder).bandwidth_limit_bytes_per_s == 4_000_000
    assert panel.limit.value() == 4.0


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("part_size", "3", "between 5 MB (B2's minimum) and 1024 MB (you entered 3 MB)"),
        ("part_size", "4096", "between 5 MB (B2's minimum) and 1024 MB (you entered 4096 MB)"),
        ("connections", "40", "between 1 and 16 (you entered 40)"),
        ("connections", "0", "between 1 and 16 (you entered 0)"),
    ],
)
def test_values_out_of_range_are_refused_with_a_clear_message_and_nothing_is_saved(
    qtbot: QtBot, desk_maker: Callable[..., Desk], field: str, typed: str, says: str
) -> None:
    desk = desk_maker()
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.uploads_page)
    pick_theme(qtbot, dialog, Theme.DARK)
    type_into(qtbot, getattr(dialog.uploads_page, field), typed)
    assert says in dialog.problem.text()
    assert dialog.problem.isVisible()
    assert not dialog.ok_button.isEnabled()
    assert not dialog.apply_button.isEnabled()
    # Enter presses OK, which refuses: the dialog stays, the typed value too.
    qtbot.keyClick(getattr(dialog.uploads_page, field), Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert typed in getattr(dialog.uploads_page, field).text()
    assert not storage_file(desk.folder).exists()
    assert not config_file().exists(), "not even the valid theme is half-saved"
    assert desk.center.connections == DEFAULT_CONNECTIONS
    # Corrected, it saves.
    type_into(qtbot, getattr(dialog.uploads_page, field), "6")
    assert not dialog.problem.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert load_preferences(config_file()).theme is Theme.DARK


def test_remove_account_asks_then_forgets_the_key_and_the_account(
    qtbot: QtBot, desk_maker: Callable[..., Desk], b2_emulator: B2Emulator
) -> None:
    account = emulator_account(b2_emulator)
    desk = desk_maker(account=account, app_key=b2_emulator.app_key)
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.uploads_page)
    page = dialog.uploads_page
    assert b2_emulator.bucket_name in page.account_summary.text()
    assert b2_emulator.app_key not in page.account_summary.text()
    # Cancel in the question changes nothing.
    asked = answer_next_message_box(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(page.remove_account_button, Qt.MouseButton.LeftButton)
    assert asked and b2_emulator.bucket_name in asked[0]
    assert keyring.get_password(KEYRING_SERVICE, account.key_id) == b2_emulator.app_key
    assert load_upload_config(desk.folder).account == account

    answer_next_message_box(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.remove_account_button, Qt.MouseButton.LeftButton)
    assert keyring.get_password(KEYRING_SERVICE, account.key_id) is None
    assert load_upload_config(desk.folder).account is None
    assert "No storage account" in page.account_summary.text()
    assert not page.remove_account_button.isEnabled()
    assert page.change_account_button.text() == "&Set Up…"


def test_change_opens_the_storage_dialog_over_settings(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.uploads_page)
    qtbot.mouseClick(dialog.uploads_page.change_account_button, Qt.MouseButton.LeftButton)
    storage = dialog.findChild(QWidget, "storageDialog")
    assert storage is not None and storage.isVisible()
    storage.close()


# ---------------------------------------------------------------------- library folder


def test_a_new_library_folder_is_kept_for_the_next_start_and_said_so(
    qtbot: QtBot,
    desk_maker: Callable[..., Desk],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = desk_maker()
    elsewhere = tmp_path / "courses elsewhere"
    elsewhere.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", lambda *_args, **_kwargs: str(elsewhere)
    )
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.library_page)
    qtbot.mouseClick(dialog.library_page.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.library_page.folder_edit.text() == str(elsewhere)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert load_preferences(config_file()).library_folder == elsewhere
    assert str(elsewhere) in dialog.library_page.next_start.text()
    assert "next start" in desk.window.statusBar().currentMessage()
    # This session goes on with the folder it started with.
    assert desk.center.folder == desk.folder
    assert not (elsewhere / "library.sqlite3").exists()


@pytest.mark.parametrize("kind", ["file", "unwritable", "relative"])
def test_a_folder_that_cannot_hold_a_library_is_refused_clearly(
    qtbot: QtBot, desk_maker: Callable[..., Desk], tmp_path: Path, kind: str
) -> None:
    desk = desk_maker()
    if kind == "file":
        target = tmp_path / "notes.txt"
        target.write_text("not a folder")
        typed, says = str(target), "is a file, not a folder"
    elif kind == "unwritable":
        typed, says = str(unwritable_folder(tmp_path)), "can't write to"
    else:
        typed, says = "courses/mine", "complete folder path"
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.appearance)
    dialog.show_page(dialog.library_page)
    type_into(qtbot, dialog.library_page.folder_edit, typed)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert says in dialog.problem.text()
    assert dialog.stack.currentWidget() is dialog.library_page
    assert dialog.focusWidget() is dialog.library_page.folder_edit
    assert not config_file().exists()


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder nobody may create: inside a read-only folder, or (for root, whom permissions
    don't stop) inside /proc."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        (locked / "probe").write_text("x")
    except OSError:
        return locked / "library"
    (locked / "probe").unlink()
    return Path("/proc/coursedesk-library")


# ---------------------------------------------------------------------- buttons


def test_restore_defaults_resets_the_page_shown_and_escape_cancels(
    qtbot: QtBot, desk_maker: Callable[..., Desk]
) -> None:
    desk = desk_maker()
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.uploads_page)
    type_into(qtbot, dialog.uploads_page.connections, "12")
    type_into(qtbot, dialog.uploads_page.part_size, "100")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert desk.center.connections == 12
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.uploads_page.connections.value() == DEFAULT_CONNECTIONS
    assert dialog.uploads_page.part_size.value() == 32
    assert desk.center.connections == 12, "defaults are only shown until saved"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert desk.center.connections == 12
    assert desk.center.part_size_bytes == 100 * MB
    # The defaults, saved, are not written down: a later version's better ones apply.
    dialog = desk.open_settings(qtbot)
    dialog.show_page(dialog.uploads_page)
    qtbot.mouseClick(dialog.defaults_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert desk.center.connections == DEFAULT_CONNECTIONS
    saved = saved_json(storage_file(desk.folder))
    assert saved["upload_connections"] is None
    assert saved["part_size_bytes"] is None


def test_when_the_preferences_cannot_be_written_nothing_is_saved_at_all(
    qtbot: QtBot,
    desk_maker: Callable[..., Desk],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = desk_maker()
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x")
    monkeypatch.setenv("COURSEDESK_CONFIG_DIR", str(blocker / "config"))
    dialog = desk.open_settings(qtbot)
    pick_theme(qtbot, dialog, Theme.DARK)
    dialog.show_page(dialog.uploads_page)
    type_into(qtbot, dialog.uploads_page.connections, "12")
    warned = answer_next_message_box(QMessageBox.StandardButton.Ok)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert warned and "could not save your settings" in warned[0]
    assert dialog.isVisible()
    assert "Nothing was changed" in dialog.problem.text()
    # The upload settings, written first, were put back.
    assert desk.center.connections == DEFAULT_CONNECTIONS
    assert load_upload_config(desk.folder).connections is None
