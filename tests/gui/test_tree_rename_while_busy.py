"""Renaming in the chapter tree while the background works on the same rows: what the
instructor has typed stays in the editor until Enter, however often the row repaints."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMainWindow
from pytestqt.qtbot import QtBot
from tests.support.tree_course import COURSE, build_course, chapter_id, video_id

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import RenameVideo, UpdateVideo
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.chapter_tree_model import ChapterTreeModel
from coursedesk.ui.chapter_tree_view import ChapterTreeView


@pytest.fixture
def tree(library: Library, qtbot: QtBot) -> Iterator[ChapterTreeView]:
    build_course(library, chapters=2, videos=3)
    library.open_course(COURSE)
    session = EditSession(library)
    session.activate(COURSE)
    model = ChapterTreeModel(library.store, COURSE, session=session)
    window = QMainWindow()
    view = ChapterTreeView(session, model)
    window.setCentralWidget(view)
    window.resize(640, 480)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    view.setFocus()
    yield view
    window.close()
    model.detach()


def start_typing(qtbot: QtBot, view: ChapterTreeView, text: str) -> QLineEdit:
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QLineEdit, "titleEditor")
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    return editor


def finish(qtbot: QtBot, view: ChapterTreeView, editor: QLineEdit) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


@pytest.mark.parametrize("status", [VideoStatus.QUEUED, VideoStatus.UPLOADED])
def test_a_video_renamed_while_its_upload_status_changes_gets_the_typed_title(
    tree: ChapterTreeView, library: Library, qtbot: QtBot, status: VideoStatus
) -> None:
    tree.select_videos([video_id(1, 2)])
    editor = start_typing(qtbot, tree, "Choosing a camera")

    library.apply(UpdateVideo(video_id(1, 2), {"status": status}))

    assert editor.text() == "Choosing a camera"
    finish(qtbot, tree, editor)
    assert library.store.video(video_id(1, 2)).title == "Choosing a camera"
    assert library.store.video(video_id(1, 2)).status is status


def test_a_chapter_renamed_while_one_of_its_videos_changes_gets_the_typed_title(
    tree: ChapterTreeView, library: Library, qtbot: QtBot
) -> None:
    tree.select_chapter(chapter_id(2))
    editor = start_typing(qtbot, tree, "Seeing light")

    library.apply(UpdateVideo(video_id(2, 1), {"status": VideoStatus.UPLOADED}))

    finish(qtbot, tree, editor)
    assert library.store.chapter(chapter_id(2)).title == "Seeing light"


def test_an_editor_not_yet_typed_in_follows_a_rename_made_elsewhere(
    tree: ChapterTreeView, library: Library, qtbot: QtBot
) -> None:
    tree.select_videos([video_id(1, 1)])
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = tree.findChild(QLineEdit, "titleEditor")
    assert editor is not None

    library.apply(RenameVideo(video_id(1, 1), "Hello and welcome"))  # from another window

    assert editor.text() == "Hello and welcome"
