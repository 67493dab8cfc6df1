"""When an edit can't be saved, the instructor is told why and nothing changed: not the
course on screen, not the file."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.unit.persistence.library_helpers import (
    BuiltCourse,
    Disk,
    build_course,
    reload_snapshot,
    table_rows,
)

from coursedesk.domain.model import VideosGo
from coursedesk.domain.operations import (
    AddVideos,
    MoveVideos,
    Operation,
    RenameVideo,
    TrashChapter,
    new_video,
)
from coursedesk.persistence.errors import SaveFailed
from coursedesk.persistence.library import Library
from coursedesk.persistence.repository import Repository


@pytest.fixture(autouse=True)
def _quiet_save_warnings(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="coursedesk.persistence.library")


@pytest.fixture
def faulty_course(faulty_library: Library) -> BuiltCourse:
    return build_course(faulty_library, chapters=3, videos_per_chapter=8)


def _many_new_videos(course: BuiltCourse) -> AddVideos:
    # Long paths so the new rows can't fit in the pages the file already has.
    clips = tuple(
        new_video(course.id, f"Take {i}", f"/footage/{'day-one/' * 40}take-{i}.mp4")
        for i in range(300)
    )
    return AddVideos(clips, course.chapter_ids[0], 3)


@contextlib.contextmanager
def _held_by_another_program(path: Path) -> Iterator[None]:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def _edits(course: BuiltCourse) -> dict[str, Callable[[], Operation]]:
    first, second, _third = course.chapter_ids
    return {
        "rename": lambda: RenameVideo(course.videos_by_chapter[first][0], "Welcome"),
        "move": lambda: MoveVideos(course.videos_by_chapter[first][1:3], second, 4),
        "delete chapter": lambda: TrashChapter(second, VideosGo.TO_TRASH),
        "add videos": lambda: _many_new_videos(course),
    }


def _assert_nothing_changed(
    library: Library,
    path: Path,
    edit: Operation,
    store_before: dict[str, object],
    rows_before: dict[str, object],
) -> SaveFailed:
    with pytest.raises(SaveFailed) as failure:
        library.apply(edit)
    assert library.store.snapshot() == store_before
    assert table_rows(path) == rows_before
    return failure.value


def test_an_edit_on_a_full_disk_is_undone_and_reported(
    faulty_library: Library, faulty_course: BuiltCourse, disk: Disk, library_path: Path
) -> None:
    store_before = faulty_library.store.snapshot()
    rows_before = table_rows(library_path)
    disk.fill()

    failure = _assert_nothing_changed(
        faulty_library, library_path, _many_new_videos(faulty_course), store_before, rows_before
    )

    assert "disk is full" in str(failure)
    assert "Nothing was changed" in str(failure)
    disk.free()
    assert reload_snapshot(library_path) == store_before


@pytest.mark.parametrize("edit", ["rename", "move", "delete chapter", "add videos"])
def test_an_edit_while_another_program_locks_the_library_is_undone_and_reported(
    faulty_library: Library, faulty_course: BuiltCourse, library_path: Path, edit: str
) -> None:
    store_before = faulty_library.store.snapshot()
    rows_before = table_rows(library_path)

    with _held_by_another_program(library_path):
        failure = _assert_nothing_changed(
            faulty_library,
            library_path,
            _edits(faulty_course)[edit](),
            store_before,
            rows_before,
        )

    assert "locked" in str(failure)
    assert reload_snapshot(library_path) == store_before


@pytest.mark.parametrize("edit", ["rename", "move", "delete chapter", "add videos"])
def test_an_edit_to_a_read_only_library_is_undone_and_reported(
    faulty_library: Library,
    faulty_course: BuiltCourse,
    disk: Disk,
    library_path: Path,
    edit: str,
) -> None:
    store_before = faulty_library.store.snapshot()
    rows_before = table_rows(library_path)
    disk.make_read_only()

    failure = _assert_nothing_changed(
        faulty_library, library_path, _edits(faulty_course)[edit](), store_before, rows_before
    )

    assert "read-only" in str(failure)
    disk.make_writable()
    assert reload_snapshot(library_path) == store_before


def test_the_same_edit_saves_once_the_disk_has_room_again(
    faulty_library: Library, faulty_course: BuiltCourse, disk: Disk, library_path: Path
) -> None:
    edit = _many_new_videos(faulty_course)
    disk.fill()
    with pytest.raises(SaveFailed):
        faulty_library.apply(edit)

    disk.free()
    faulty_library.apply(edit)

    assert len(faulty_library.store.video_ids(faulty_course.chapter_ids[0])) == 8 + 300
    assert reload_snapshot(library_path) == faulty_library.store.snapshot()


def test_edits_after_a_failed_save_are_saved_in_the_right_order(
    faulty_library: Library, faulty_course: BuiltCourse, library_path: Path
) -> None:
    first, second, third = faulty_course.chapter_ids
    with _held_by_another_program(library_path), pytest.raises(SaveFailed):
        # Positions computed for this move must not leak into the next edits.
        faulty_library.apply(MoveVideos(faulty_course.videos_by_chapter[first][:4], second, 1))

    faulty_library.apply(MoveVideos(faulty_course.videos_by_chapter[third][:2], second, 1))
    faulty_library.apply(MoveVideos(faulty_course.videos_by_chapter[first][:4], second, 1))

    assert reload_snapshot(library_path) == faulty_library.store.snapshot()


def test_listeners_see_a_failed_edit_undone(
    faulty_library: Library, faulty_course: BuiltCourse, library_path: Path
) -> None:
    heard: list[str] = []

    class Listener:
        def before(self, step: object) -> None:
            pass

        def after(self, step: object) -> None:
            heard.append(type(step).__name__)

    video_id = faulty_course.videos_by_chapter[faulty_course.chapter_ids[0]][0]
    faulty_library.store.subscribe(Listener())
    with _held_by_another_program(library_path), pytest.raises(SaveFailed):
        faulty_library.apply(RenameVideo(video_id, "Welcome"))

    # A view that showed the new title is told to show the old one again.
    assert heard == ["VideoChanged", "VideoChanged"]
    assert faulty_library.store.video(video_id).title == "Clip 1.1"


def test_an_edit_waits_for_a_short_lock_instead_of_failing(
    open_at: Callable[..., Library], library_path: Path
) -> None:
    library = open_at(library_path, busy_timeout_ms=5000)
    course = build_course(library, chapters=1, videos_per_chapter=2)
    other = sqlite3.connect(library_path, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN EXCLUSIVE")
        release = threading.Timer(0.2, other.execute, ("ROLLBACK",))
        release.start()
        library.apply(RenameVideo(course.videos_by_chapter[course.chapter_ids[0]][0], "Welcome"))
        release.join()
    finally:
        other.close()

    assert reload_snapshot(library_path) == library.store.snapshot()


def test_an_unexpected_error_while_saving_undoes_the_edit_and_is_not_swallowed(
    library: Library, course: BuiltCourse, library_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_before = library.store.snapshot()
    rows_before = table_rows(library_path)

    def broken_write(*_args: object) -> None:
        raise RuntimeError("a bug while preparing the rows")

    monkeypatch.setattr(Repository, "write", broken_write)
    first, second, _third = course.chapter_ids
    with pytest.raises(RuntimeError, match="a bug"):
        library.apply(MoveVideos(course.videos_by_chapter[first][:2], second, 0))

    assert library.store.snapshot() == store_before
    assert table_rows(library_path) == rows_before
