"""Preview in the editor window: Enter plays the selected video in the Player dock, Space
opens quick look on it, and the grid scrubs through the video under the mouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from tests.support.clips import make_clip
from tests.support.player_teardown import close_window

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, new_video
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.import_controller import ImportServices
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.player.player_pane import PlayerPane

pytestmark = pytest.mark.qt_log_ignore("Could not open media")


@pytest.fixture
def window(qtbot: QtBot, library: Library, tmp_path: Path) -> Iterator[MainWindow]:
    clip = make_clip(tmp_path / "welcome.mp4", seconds=2.0)
    library.apply(CreateCourse("Photography", course_id="c"))
    library.apply(AddChapter("c", "Basics", chapter_id="basics"))
    video = new_video(
        "c",
        "Welcome",
        str(clip),
        video_id="welcome",
        status=VideoStatus.READY,
        duration_s=2.0,
        width=320,
        height=240,
    )
    library.apply(AddVideos((video,), "basics"))
    session = EditSession(library)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    imports = ImportServices.create(library, session, cache_root=tmp_path / "thumbs")
    built = MainWindow(library, session, settings, imports=imports)
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    yield built
    close_window(qtbot, built)
    imports.shut_down()


def select_in_tree(window: MainWindow) -> None:
    tree = window.chapter_tree
    tree.setFocus()
    tree.select_videos(["welcome"])


def test_enter_on_a_video_in_the_tree_plays_it_in_the_player_dock(
    window: MainWindow, qtbot: QtBot
) -> None:
    player = window.window_player
    assert not player.dock.isVisible()
    select_in_tree(window)
    qtbot.keyClick(window.chapter_tree, Qt.Key.Key_Return)
    qtbot.waitUntil(player.dock.isVisible)
    pane = player.pane
    assert isinstance(pane, PlayerPane)
    assert pane.video_id == "welcome"


def test_space_opens_quick_look_on_the_selected_video_and_space_closes_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    quick_look = window.window_player.quick_look
    assert quick_look is not None
    select_in_tree(window)
    qtbot.keyClick(window.chapter_tree, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: quick_look.is_open)
    assert quick_look.video_id == "welcome"
    assert quick_look.window is not None
    qtbot.keyClick(quick_look.window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not quick_look.is_open)


def test_the_player_is_in_the_view_menu_with_a_shortcut(window: MainWindow) -> None:
    toggle = window.window_player.toggle
    assert toggle.shortcut().toString() == "Ctrl+Shift+P"
    view_menus = [a.menu() for a in window.menuBar().actions() if a.text() == "&View"]
    assert view_menus and toggle in view_menus[0].actions()
