"""The Uploads panel names each upload by its video's title and where it belongs (course, and
chapter when it has one), for courses opened or not, and follows renames and moves at once.
No storage account: the jobs wait in the queue, which is all these tests look at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot
from tests.support.upload_harness import MadeVideo, make_videos
from tests.support.window_driving import answering, drop, row_point

from coursedesk.domain.operations import AddChapter, MoveVideos
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.main_window import KEY_LAST_COURSE, MainWindow
from coursedesk.ui.mime import VIDEO_IDS_MIME, encode_ids
from coursedesk.ui.uploads.center import UploadCenter
from coursedesk.ui.uploads.jobs_model import Column, PlaceRole, UploadJobsModel
from coursedesk.ui.uploads.panel import UploadsPanel

WAIT_MS = 20_000


@dataclass
class Course:
    course_id: str
    chapter_ids: list[str]
    videos: list[MadeVideo]


@dataclass
class Desk:
    library: Library
    window: MainWindow
    center: UploadCenter
    photography: Course
    cooking: Course

    @property
    def panel(self) -> UploadsPanel:
        hookup = self.window.window_uploads
        assert hookup is not None
        return hookup.panel

    @property
    def model(self) -> UploadJobsModel:
        return self.panel.model

    def row(self, video: MadeVideo) -> int:
        row = self.model.row_of(video.video_id)
        assert row is not None
        return row

    def covers(self, video: MadeVideo) -> Callable[[QModelIndex, QModelIndex], bool]:
        """Whether a dataChanged range takes in the video's title cell (a repaint of it)."""
        row = self.row(video)

        def check(first: QModelIndex, last: QModelIndex, *_roles: object) -> bool:
            return (
                first.row() <= row <= last.row() and first.column() <= Column.VIDEO <= last.column()
            )

        return check

    def shown(self, video: MadeVideo) -> tuple[str, str]:
        """The panel's two lines for the video: its title and where it belongs."""
        index = self.model.index(self.row(video), Column.VIDEO)
        return index.data(), index.data(PlaceRole)


def make_course(
    library: Library, folder: Path, title: str, chapters: list[str], seed: int
) -> Course:
    """A course with one video in each chapter and one more left unassigned; every course's
    files are named alike ('lesson 00.mp4', …)."""
    course_id, videos = make_videos(
        library, folder / title, [1_000] * (len(chapters) + 1), seed=seed, title=title
    )
    chapter_ids = []
    for title_of_chapter, video in zip(chapters, videos, strict=False):
        add = AddChapter(course_id, title_of_chapter)
        library.apply(add)
        library.apply(MoveVideos((video.video_id,), add.chapter_id))
        chapter_ids.append(add.chapter_id)
    return Course(course_id, chapter_ids, videos)


@pytest.fixture
def desk(qtbot: QtBot, library: Library, library_path: Path, tmp_path: Path) -> Iterator[Desk]:
    photography = make_course(
        library, tmp_path, "Photography", ["Getting started", "Exposure"], seed=1
    )
    cooking = make_course(library, tmp_path, "Cooking", ["Knives"], seed=2)
    # Started as the app starts: the library read afresh, one course opened.
    opened = Library.open(library_path)
    session = EditSession(opened)
    center = UploadCenter.open(session, opened.database.engine, tmp_path / "data")
    center.start()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(KEY_LAST_COURSE, photography.course_id)
    window = MainWindow(opened, session, settings, uploads=center)
    window.show()
    made = Desk(opened, window, center, photography, cooking)
    every = [v.video_id for v in (*photography.videos, *cooking.videos)]
    qtbot.waitUntil(lambda: sorted(made.model.video_ids()) == sorted(every), timeout=WAIT_MS)
    yield made
    center.shutdown()
    window.close()
    opened.close()


def test_each_upload_shows_its_title_course_and_chapter_whether_its_course_is_open_or_not(
    qtbot: QtBot, desk: Desk
) -> None:
    started, exposure, unassigned = desk.photography.videos
    knives, cooking_unassigned = desk.cooking.videos
    assert not desk.library.store.is_loaded(desk.cooking.course_id)

    assert desk.shown(started) == ("Lesson 0", "Photography ▸ Getting started")
    assert desk.shown(exposure) == ("Lesson 1", "Photography ▸ Exposure")
    assert desk.shown(unassigned) == ("Lesson 2", "Photography · unassigned")
    # The course not opened is read from the library in the background (the file name and
    # the course stand in meanwhile).
    assert desk.shown(knives) in {
        (knives.path.name, "Cooking"),
        ("Lesson 0", "Cooking ▸ Knives"),
    }
    qtbot.waitUntil(lambda: desk.shown(knives) == ("Lesson 0", "Cooking ▸ Knives"), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: desk.shown(cooking_unassigned) == ("Lesson 1", "Cooking · unassigned"),
        timeout=WAIT_MS,
    )
    # Same file name, told apart; the file is still named in the tip.
    assert started.path.name == knives.path.name
    tip = desk.model.index(desk.row(knives), Column.STATE).data(Qt.ItemDataRole.ToolTipRole)
    assert "Cooking ▸ Knives" in tip and knives.path.name in tip
    assert not desk.library.store.is_loaded(desk.cooking.course_id)
    # Both lines fit in a row.
    hookup = desk.window.window_uploads
    assert hookup is not None
    hookup.dock.raise_()
    view = desk.panel.view
    index = desk.model.index(desk.row(knives), Column.VIDEO)
    view.scrollTo(index)
    assert view.visualRect(index).height() >= 2 * view.fontMetrics().height()


def test_the_panel_follows_renames_and_moves_made_in_the_window(qtbot: QtBot, desk: Desk) -> None:
    started, exposure, _unassigned = desk.photography.videos
    getting_started, exposure_chapter = desk.photography.chapter_ids
    tree = desk.window.chapter_tree
    tree.setFocus()

    # F2 on the video in the tree.
    tree.select_videos([started.video_id])
    with qtbot.waitSignal(desk.model.dataChanged, check_params_cb=desk.covers(started)):
        rename(qtbot, tree, "Welcome to the course")
    assert desk.shown(started) == ("Welcome to the course", "Photography ▸ Getting started")

    # F2 on its chapter.
    tree.select_chapter(getting_started)
    with qtbot.waitSignal(desk.model.dataChanged, check_params_cb=desk.covers(started)):
        rename(qtbot, tree, "First steps")
    assert desk.shown(started)[1] == "Photography ▸ First steps"

    # Dragged onto the other chapter.
    target = desk.window.tree_model.chapter_index(exposure_chapter)
    data = encode_ids(VIDEO_IDS_MIME, [started.video_id])
    with qtbot.waitSignal(desk.model.dataChanged, check_params_cb=desk.covers(started)):
        assert drop(tree.viewport(), data, row_point(tree, target, "on"))
    assert desk.shown(started)[1] == "Photography ▸ Exposure"
    assert desk.shown(exposure)[1] == "Photography ▸ Exposure"

    # Course ▸ Rename Course…
    def type_title(dialog: QInputDialog) -> None:
        dialog.setTextValue("Photography basics")
        dialog.accept()

    with answering(qtbot, QInputDialog, type_title):
        desk.window.rename_course_action.trigger()
    qtbot.waitUntil(
        lambda: desk.shown(started)[1] == "Photography basics ▸ Exposure", timeout=WAIT_MS
    )

    # Ctrl+Z in the window undoes the rename, and the panel follows.
    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.shown(started)[1] == "Photography ▸ Exposure", timeout=WAIT_MS)


def rename(qtbot: QtBot, tree: QAbstractItemView, title: str) -> None:
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = tree.findChild(QLineEdit, "titleEditor")
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, title)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tree.state() != QAbstractItemView.State.EditingState)
