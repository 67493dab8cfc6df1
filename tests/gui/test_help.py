"""Help ▸ Keyboard Shortcuts and Help ▸ About CourseDesk, in the real window.

The shortcuts list is made from the window's actions, so these tests compare it with the
window's actions (and add one of their own) rather than with a list written here.
"""

from __future__ import annotations

import platform
import sqlite3
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import av
import PySide6
import pytest
from PySide6.QtCore import QSettings, Qt, qVersion
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMenu, QPushButton
from pytestqt.qtbot import QtBot

import coursedesk
from coursedesk.domain.operations import CreateCourse
from coursedesk.editing.session import EditSession
from coursedesk.paths import CACHE_DIR_ENV, LOG_DIR_ENV
from coursedesk.persistence.library import Library
from coursedesk.ui.help_dialogs import AboutDialog, Shortcut, ShortcutsDialog, plain_text
from coursedesk.ui.main_window import MainWindow

NATIVE = QKeySequence.SequenceFormat.NativeText


@pytest.fixture
def window(
    qtbot: QtBot, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path / "logs"))
    library.apply(CreateCourse("Photography", course_id="c1"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    built = MainWindow(library, EditSession(library), settings)
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    built.activateWindow()
    qtbot.waitUntil(built.isActiveWindow)
    yield built
    built.close()


def open_shortcuts(qtbot: QtBot, window: MainWindow, key: str = "F1") -> ShortcutsDialog:
    sequence = QKeySequence(key)
    combo = sequence[0]
    qtbot.keyClick(window.chapter_tree, combo.key(), combo.keyboardModifiers())
    dialog = window.findChild(QDialog, "shortcutsDialog")
    assert isinstance(dialog, ShortcutsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def lines_of(dialog: ShortcutsDialog) -> set[tuple[str, str]]:
    """(action, keys) pairs the list shows, keys joined as a person would read them."""
    return {(line.action, ", ".join(line.keys)) for line in dialog.visible_lines()}


# ---------------------------------------------------------------------- the menu


def test_help_is_the_last_menu_with_shortcuts_and_about(window: MainWindow) -> None:
    menus = [a for a in window.menuBar().actions() if a.menu() is not None]
    assert menus[-1].text() == "&Help"
    mnemonics = [a.text()[a.text().index("&") + 1].lower() for a in menus]
    assert len(mnemonics) == len(set(mnemonics)), mnemonics  # Alt+letter opens one menu
    help_menu = menus[-1].menu()
    assert isinstance(help_menu, QMenu)
    items = [plain_text(a.text()) for a in help_menu.actions() if not a.isSeparator()]
    assert items == ["Keyboard Shortcuts", "About CourseDesk"]
    keys = [s.toString(NATIVE) for s in window.shortcuts_action.shortcuts()]
    assert keys == ["F1", "Ctrl+/"]


@pytest.mark.parametrize("key", ["F1", "Ctrl+/"])
def test_the_shortcut_keys_open_the_list_and_escape_closes_it(
    window: MainWindow, qtbot: QtBot, key: str
) -> None:
    dialog = open_shortcuts(qtbot, window, key)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "Keyboard Shortcuts"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(QDialog, "shortcutsDialog") is None)


# ---------------------------------------------------------------------- the list


def test_the_list_has_undo_quick_look_and_the_player_keys(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_shortcuts(qtbot, window)
    lines = lines_of(dialog)
    assert ("Undo", "Ctrl+Z") in lines
    assert ("Redo", "Ctrl+Shift+Z, Ctrl+Y") in lines
    assert ("Quick look at the current video", "Space") in lines
    assert ("Rename", "F2") in lines
    assert ("Move Up", "Alt+Up") in lines
    assert ("Move Down", "Alt+Down") in lines
    assert ("Delete", "Del") in lines
    assert ("Pause", "K") in lines and ("Play; again to play faster", "L") in lines
    assert ("Keyboard Shortcuts", "F1, Ctrl+/") in lines
    sections = [line.section for line in dialog.visible_lines()]
    assert sections.index("File") < sections.index("Edit") < sections.index("Help")


def test_the_list_has_every_action_with_a_shortcut_in_the_window(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_shortcuts(qtbot, window)
    lines = lines_of(dialog)
    named = {plain_text(line.action) for line in dialog.visible_lines()}
    checked = 0
    for action in window.findChildren(QAction):
        keys = [s.toString(NATIVE) for s in action.shortcuts()]
        if not keys or not action.text() or not action.associatedObjects():
            continue
        label = action.property("shortcutLabel") or plain_text(action.text())
        assert (label, ", ".join(keys)) in lines, (label, keys)
        assert label in named
        checked += 1
    assert checked >= 25


def test_an_action_added_to_the_window_shows_up_in_the_list(
    window: MainWindow, qtbot: QtBot
) -> None:
    fresh = QAction("Tidy Up Everything", window)
    fresh.setShortcut(QKeySequence("Ctrl+Alt+J"))
    window.addAction(fresh)
    in_menu = QAction("&Export Outline…", window)
    in_menu.setShortcut(QKeySequence("Ctrl+E"))
    window.menuBar().actions()[0].menu().addAction(in_menu)  # File
    dialog = open_shortcuts(qtbot, window)
    lines = dialog.visible_lines()
    assert Shortcut("Window", "Tidy Up Everything", ("Ctrl+Alt+J",)) in lines
    assert Shortcut("File", "Export Outline", ("Ctrl+E",)) in lines


def test_searching_narrows_the_list_by_name_or_key(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_shortcuts(qtbot, window)
    search = dialog.findChild(QLineEdit, "shortcutsSearch")
    assert search is not None
    qtbot.waitUntil(search.hasFocus)  # typing goes straight into the search
    everything = len(dialog.visible_lines())

    qtbot.keyClicks(search, "undo")
    found = dialog.visible_lines()
    assert ("Undo", ("Ctrl+Z",)) in [(line.action, line.keys) for line in found]
    assert 0 < len(found) < everything
    assert all("undo" in f"{line.section} {line.action}".lower() for line in found)

    search.clear()
    qtbot.keyClicks(search, "ctrl+shift+n")
    assert [line.action for line in dialog.visible_lines()] == ["Add Chapter"]

    search.clear()
    qtbot.keyClicks(search, "player")  # a section's name finds all of its lines
    player = dialog.visible_lines()
    in_section = [line for line in player if line.section == "Player"]
    assert len(in_section) >= 8 and ("Pause", ("K",)) in [(x.action, x.keys) for x in in_section]
    assert all("player" in f"{line.section} {line.action}".lower() for line in player)

    search.clear()
    qtbot.keyClicks(search, "xylophone")
    assert dialog.visible_lines() == []
    assert dialog.nothing.isVisible()
    assert "xylophone" in dialog.nothing.text()
    assert not dialog.view.isVisible()

    search.clear()
    assert len(dialog.visible_lines()) == everything
    assert dialog.view.isVisible()


# ---------------------------------------------------------------------- about


def open_about(window: MainWindow, qtbot: QtBot) -> AboutDialog:
    window.about_action.trigger()
    dialog = window.findChild(QDialog, "aboutDialog")
    assert isinstance(dialog, AboutDialog)
    qtbot.waitExposed(dialog)
    return dialog


def shown(dialog: AboutDialog, name: str) -> str:
    label = dialog.value_labels[name]
    assert isinstance(label, QLabel) and label.isVisible()
    return label.text()


def test_about_shows_the_real_versions_and_folders(
    window: MainWindow, qtbot: QtBot, library_path: Path, tmp_path: Path
) -> None:
    dialog = open_about(window, qtbot)
    assert dialog.windowTitle() == "About CourseDesk"
    assert shown(dialog, "CourseDesk") == coursedesk.__version__
    assert shown(dialog, "Qt") == qVersion()
    assert shown(dialog, "PySide6") == PySide6.__version__
    assert shown(dialog, "PyAV") == av.__version__
    assert shown(dialog, "FFmpeg") == str(av.ffmpeg_version_info)
    assert shown(dialog, "b2sdk") == metadata.version("b2sdk")
    assert shown(dialog, "SQLite") == sqlite3.sqlite_version
    assert shown(dialog, "Python") == platform.python_version()
    assert str(library_path.parent) in shown(dialog, "Data folder")
    assert str(tmp_path / "logs") in shown(dialog, "Log folder")


def test_copy_puts_the_versions_and_folders_on_the_clipboard(
    window: MainWindow, qtbot: QtBot, library_path: Path
) -> None:
    dialog = open_about(window, qtbot)
    copy = dialog.findChild(QPushButton, "aboutCopyButton")
    assert copy is not None
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    lines = text.splitlines()
    assert f"CourseDesk: {coursedesk.__version__}" in [" ".join(line.split()) for line in lines]
    for version in (qVersion(), av.__version__, metadata.version("b2sdk"), sqlite3.sqlite_version):
        assert version in text
    assert str(library_path.parent) in text
    assert copy.text() == "Copied"
