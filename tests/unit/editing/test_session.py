"""The edit session: every edit is saved, undoable, and refusals are reported, not raised."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    MoveVideos,
    RenameVideo,
    ShiftVideos,
    new_video,
)
from coursedesk.editing.commands import MERGE_SHIFT_VIDEOS
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library


@pytest.fixture
def session(library: Library, qtbot: QtBot) -> Iterator[EditSession]:
    yield EditSession(library)


@pytest.fixture
def course(session: EditSession) -> str:
    session.apply_untracked(CreateCourse("Photography", course_id="course"))
    session.apply_untracked(AddChapter("course", "Basics", chapter_id="basics"))
    videos = tuple(
        new_video("course", f"Clip {i}", f"/clips/{i}.mp4", video_id=f"v{i}") for i in range(4)
    )
    session.apply_untracked(AddVideos(videos, "basics"))
    return "course"


def reloaded(library: Library, course_id: str) -> dict[str, object]:
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        fresh.open_course(course_id)
        return fresh.store.snapshot()
    finally:
        fresh.close()


def test_an_edit_is_saved_and_undo_puts_back_the_old_title_on_disk(
    session: EditSession, library: Library, course: str
) -> None:
    before = library.store.snapshot()
    session.do(RenameVideo("v1", "Welcome"), "Rename video", course)
    assert library.store.video("v1").title == "Welcome"
    assert reloaded(library, course) == library.store.snapshot()

    session.stack(course).undo()
    assert library.store.video("v1").title == "Clip 1"
    assert library.store.snapshot() == before
    assert reloaded(library, course) == before

    session.stack(course).redo()
    assert library.store.video("v1").title == "Welcome"
    assert reloaded(library, course) == library.store.snapshot()


def test_undo_action_text_names_the_edit(session: EditSession, course: str) -> None:
    session.activate(course)
    session.do(MoveVideos(("v0", "v2", "v3"), "basics", 0), "Move 3 videos", course)
    action = session.group.createUndoAction(session.group)
    assert action.text() == "Undo Move 3 videos"


def test_a_refused_edit_is_reported_and_not_put_on_the_stack(
    session: EditSession, library: Library, course: str, qtbot: QtBot
) -> None:
    before = library.store.snapshot()
    with qtbot.waitSignal(session.refused) as blocker:
        result = session.do(RenameVideo("v1", "   "), "Rename video", course)
    assert result is None
    assert "can't be empty" in blocker.args[0]
    assert session.stack(course).count() == 0
    assert library.store.snapshot() == before


def test_an_edit_that_changes_nothing_is_not_an_undo_step(
    session: EditSession, course: str
) -> None:
    session.do(RenameVideo("v1", "Clip 1"), "Rename video", course)
    assert session.stack(course).count() == 0


def test_repeated_keyboard_moves_of_one_selection_are_one_undo_step(
    session: EditSession, library: Library, course: str
) -> None:
    before = library.store.snapshot()
    for _ in range(3):
        session.do(
            ShiftVideos(("v0",), +1),
            "Move video down",
            course,
            merge_id=MERGE_SHIFT_VIDEOS,
            merge_target=("v0",),
        )
    assert list(library.store.video_ids("basics")) == ["v1", "v2", "v3", "v0"]
    assert session.stack(course).count() == 1
    session.stack(course).undo()
    assert library.store.snapshot() == before
    session.stack(course).redo()
    assert list(library.store.video_ids("basics")) == ["v1", "v2", "v3", "v0"]


def test_undo_that_cannot_be_saved_leaves_store_and_stack_as_they_were(
    session: EditSession, library: Library, library_path: Path, course: str, qtbot: QtBot
) -> None:
    import sqlite3

    session.do(RenameVideo("v1", "Welcome"), "Rename video", course)
    stack = session.stack(course)
    after_edit = library.store.snapshot()

    # Another program holds the library locked while the instructor presses Undo.
    library.close()
    locked = Library.open(library_path, busy_timeout_ms=50)
    locked.open_course(course)
    session.library = locked
    blocker_connection = sqlite3.connect(library_path, timeout=0.05)
    blocker_connection.execute("BEGIN EXCLUSIVE")
    try:
        restored_store = locked.store.snapshot()
        with qtbot.waitSignal(session.refused) as refused:
            stack.undo()
        assert "locked" in refused.args[0]
        assert locked.store.snapshot() == restored_store
        qtbot.waitUntil(lambda: stack.index() == 1)
        assert stack.canUndo()
    finally:
        blocker_connection.rollback()
        blocker_connection.close()
    assert restored_store == after_edit
    stack.undo()
    assert locked.store.video("v1").title == "Clip 1"
    locked.close()


def test_a_session_with_undo_history_can_be_collected_with_its_library_still_open(
    library: Library, qtbot: QtBot
) -> None:
    import gc

    session = EditSession(library)
    session.apply_untracked(CreateCourse("Photography", course_id="c"))
    session.apply_untracked(AddChapter("c", "Basics", chapter_id="b"))
    for i in range(3):
        session.do(AddChapter("c", f"Extra {i}"), "Add chapter", "c")
    session.stack("c").undo()
    del session
    # Tearing down the session's Qt objects deletes the commands; it must not crash.
    gc.collect()
    assert library.store.course("c").title == "Photography"
