"""A course on screen that another program moves to the Trash can no longer be edited from
the window: the edit is refused with the reason, nothing is saved, and the window moves on
to a course that is still live."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from tests.support.sync_helpers import saved_snapshot

from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    RestoreCourse,
    TrashCourse,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
REASON = "This course is in the Trash; restore it to edit it."


@pytest.fixture
def course(library: Library) -> str:
    library.apply(CreateCourse("Photography", course_id="c1"))
    library.apply(AddChapter("c1", "Basics", chapter_id="basics"))
    library.apply(
        AddVideos(
            tuple(new_video("c1", f"Lesson {n}", f"/clips/{n}.mp4") for n in (1, 2)), "basics"
        )
    )
    library.apply(CreateCourse("Astronomy", course_id="c2"))
    return "c1"


@pytest.fixture
def window(qtbot: QtBot, library: Library, course: str, tmp_path: Path) -> Iterator[MainWindow]:
    session = EditSession(library)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    built = MainWindow(library, session, settings)
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    built.open_course(course)
    yield built
    built.close()


def trash_elsewhere(library: Library, course_id: str) -> None:
    """Another program (a second window, the command line) moves the course to the Trash."""
    assert library.path is not None
    other = Library.open(library.path)
    try:
        other.open_course(course_id)
        other.apply(TrashCourse(course_id))
    finally:
        other.close()


def test_an_edit_of_a_course_another_program_trashed_is_refused_with_the_reason(
    window: MainWindow, library: Library, qtbot: QtBot
) -> None:
    trash_elsewhere(library, "c1")
    assert library.path is not None
    saved = saved_snapshot(library.path)

    # The window still shows the course: the instructor adds a chapter.
    assert window.course_id == "c1"
    window.chapter_tree.setFocus()
    qtbot.keyClick(window.chapter_tree, Qt.Key.Key_N, CTRL | SHIFT)

    assert REASON in window.statusBar().currentMessage()
    assert window.chapter_tree.state() is not QAbstractItemView.State.EditingState
    assert saved_snapshot(library.path) == saved
    assert list(library.store.chapter_ids("c1")) == ["basics"]
    assert library.store.course("c1").deleted_at is not None
    # Having learnt the course went to the Trash, the window shows a live one instead.
    qtbot.waitUntil(lambda: window.course_id == "c2")
    assert window.tree_model.rowCount() == 0


def test_undo_of_an_edit_whose_course_is_now_in_the_trash_is_refused(
    window: MainWindow, library: Library, qtbot: QtBot
) -> None:
    window.session.do(AddChapter("c1", "Week 2", chapter_id="week2"), "Add chapter", "c1")
    library.apply(TrashCourse("c1"))
    stack = window.session.stack("c1")
    assert stack.canUndo()
    stack.undo()
    assert REASON in window.statusBar().currentMessage()
    # The refused step stays on the stack, ready for when the course is back.
    qtbot.waitUntil(lambda: stack.index() == 1)
    assert stack.undoText() == "Add chapter"
    assert "week2" in library.store.chapter_ids("c1")
    # Restored, the course is editable again and the same undo goes through.
    library.apply(RestoreCourse("c1"))
    window.open_course("c1")
    window.chapter_tree.setFocus()
    qtbot.keyClick(window.chapter_tree, Qt.Key.Key_Z, CTRL)
    assert "week2" not in library.store.chapter_ids("c1")
