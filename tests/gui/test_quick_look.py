"""Quick look from the library grid and the chapter tree: Space opens a preview that plays at
once, arrow keys move the selection and the preview follows, Space or Esc closes it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from tests.support.player_clips import CHAPTER, COURSE, MULTIMEDIA_NOISE, add_clip, start_course
from tests.support.player_teardown import shut_quick_look

from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import ImmediateRunner
from coursedesk.ui.chapter_tree_model import ChapterTreeModel, VideoIdRole
from coursedesk.ui.chapter_tree_view import ChapterTreeView
from coursedesk.ui.library_pane import LibraryPane
from coursedesk.ui.player.quick_look import QuickLook

pytestmark = pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE)

TITLES = ("Aperture", "Exposure", "Shutter")


@pytest.fixture
def session(library: Library, tmp_path: Path) -> EditSession:
    start_course(library)
    cache = ThumbnailCache(tmp_path / "pictures")
    for n, title in enumerate(TITLES, start=1):
        suffix = (".mp4", ".webm", ".mkv")[n - 1]
        add_clip(library, cache, tmp_path / f"{title}{suffix}", f"lib{n}", seconds=2)
        add_clip(
            library, cache, tmp_path / f"{title} (ch){suffix}", f"ch{n}", chapter=True, seconds=2
        )
    session = EditSession(library)
    session.activate(COURSE)
    return session


@pytest.fixture
def quick_look(session: EditSession, qtbot: QtBot) -> Iterator[QuickLook]:
    look = QuickLook(session, ImmediateRunner())
    yield look
    shut_quick_look(qtbot, look)


@pytest.fixture
def grid(session: EditSession, qtbot: QtBot) -> QAbstractItemView:
    pane = LibraryPane(session)
    qtbot.addWidget(pane)
    pane.set_course(COURSE)
    pane.resize(800, 500)
    pane.show()
    qtbot.waitExposed(pane)
    return pane.view


@pytest.fixture
def tree(session: EditSession, qtbot: QtBot) -> ChapterTreeView:
    model = ChapterTreeModel(session.store, COURSE, session=session)
    view = ChapterTreeView(session, model)
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def make_current(view: QAbstractItemView, row: int) -> None:
    model = view.model()
    # In the tree, videos sit under the (only) chapter; in the grid, at the top level.
    parent = model.index(0, 0) if isinstance(view, ChapterTreeView) else view.rootIndex()
    index = model.index(row, 0, parent)
    view.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    view.setFocus()


def wait_for_frames(qtbot: QtBot, look: QuickLook) -> None:
    assert look.window is not None
    picture = look.window.pane.picture
    qtbot.waitUntil(lambda: picture.frame_count > 0, timeout=10_000)
    assert picture.message == ""


def test_space_in_the_grid_opens_a_preview_playing_the_selected_video(
    quick_look: QuickLook, grid: QAbstractItemView, qtbot: QtBot
) -> None:
    quick_look.attach(grid)
    make_current(grid, 1)
    expected = grid.currentIndex().data(VideoIdRole)
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert quick_look.is_open
    assert quick_look.video_id == expected
    wait_for_frames(qtbot, quick_look)
    assert quick_look.window is not None
    assert quick_look.window.pane.compact
    assert quick_look.window.pane.info.isHidden()
    assert quick_look.window.pane.picture.badge.isHidden()  # a local file: nothing to say
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    assert not quick_look.is_open


def test_arrow_keys_move_the_selection_and_the_preview_follows(
    quick_look: QuickLook, grid: QAbstractItemView, qtbot: QtBot
) -> None:
    quick_look.attach(grid)
    make_current(grid, 0)
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    first = quick_look.video_id
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    second = grid.currentIndex().data(VideoIdRole)
    assert second != first
    assert quick_look.video_id == second
    wait_for_frames(qtbot, quick_look)
    # Keys pressed in the preview window itself go to the view too.
    assert quick_look.window is not None
    qtbot.keyClick(quick_look.window, Qt.Key.Key_Left)
    assert grid.currentIndex().data(VideoIdRole) == first
    assert quick_look.video_id == first
    qtbot.keyClick(quick_look.window, Qt.Key.Key_Escape)
    assert not quick_look.is_open


def test_escape_closes_the_preview_and_stops_playing(
    quick_look: QuickLook, grid: QAbstractItemView, qtbot: QtBot
) -> None:
    quick_look.attach(grid)
    make_current(grid, 2)
    qtbot.keyClick(grid, Qt.Key.Key_Space)
    wait_for_frames(qtbot, quick_look)
    qtbot.keyClick(grid, Qt.Key.Key_Escape)
    assert not quick_look.is_open
    assert quick_look.window is not None
    player = quick_look.window.pane.player
    qtbot.waitUntil(lambda: not player.isPlaying())
    # Once closed, the arrows are the view's alone.
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert not quick_look.is_open


def test_space_on_a_video_in_the_chapter_tree_opens_the_preview(
    quick_look: QuickLook, tree: ChapterTreeView, qtbot: QtBot
) -> None:
    quick_look.attach(tree)
    make_current(tree, 0)
    assert tree.currentIndex().data(VideoIdRole) == "ch1"
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert quick_look.video_id == "ch1"
    wait_for_frames(qtbot, quick_look)
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert quick_look.video_id == "ch2"
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert not quick_look.is_open


def test_space_on_a_chapter_row_opens_nothing(
    quick_look: QuickLook, tree: ChapterTreeView, qtbot: QtBot
) -> None:
    quick_look.attach(tree)
    tree.select_chapter(CHAPTER)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert not quick_look.is_open
