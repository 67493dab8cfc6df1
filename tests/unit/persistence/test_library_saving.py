"""Every edit is saved as it happens, as one transaction, touching only the rows it changed."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError
from tests.unit.persistence.library_helpers import BuiltCourse, build_course, reload_snapshot

from coursedesk.domain.errors import DomainError
from coursedesk.domain.model import VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    Batch,
    CreateCourse,
    EmptyTrash,
    MoveChapter,
    MoveVideos,
    RenameChapter,
    RenameVideo,
    RestoreChapter,
    RestoreVideos,
    ShiftVideos,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    UpdateVideo,
    new_video,
)
from coursedesk.persistence.library import Library


def _rows_by_id(path: Path, table: str) -> dict[str, tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return {row[0]: row for row in connection.execute(f"SELECT * FROM {table}")}


def _changed_ids(before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


class _WriteCounter:
    """Counts transactions and the rows each kind of statement wrote on a library's engine
    (course content only: each edit's one change-feed entry is not counted)."""

    def __init__(self) -> None:
        self.commits = 0
        self.rows: dict[str, int] = {"INSERT": 0, "UPDATE": 0, "DELETE": 0}

    def on_commit(self, _connection: Any) -> None:
        self.commits += 1

    def after_execute(
        self, _conn: Any, cursor: Any, statement: str, *_args: Any, **_kwargs: Any
    ) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in self.rows and "change_log" not in statement:
            self.rows[verb] += max(cursor.rowcount, 0)


@pytest.fixture
def writes(library: Library) -> Iterator[_WriteCounter]:
    counter = _WriteCounter()
    engine = library.database.engine
    event.listen(engine, "commit", counter.on_commit)
    event.listen(engine, "after_cursor_execute", counter.after_execute)
    yield counter
    event.remove(engine, "commit", counter.on_commit)
    event.remove(engine, "after_cursor_execute", counter.after_execute)


@pytest.fixture
def long_chapter(library: Library) -> BuiltCourse:
    return build_course(library, chapters=2, videos_per_chapter=50, unassigned=0)


def test_library_runs_in_wal_mode_with_foreign_keys_enforced(library: Library) -> None:
    with library.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_an_edit_is_on_disk_as_soon_as_apply_returns(
    library: Library, course: BuiltCourse, library_path: Path
) -> None:
    video_id = course.videos_by_chapter[course.chapter_ids[0]][0]
    library.apply(RenameVideo(video_id, "Welcome"))

    # Read by another connection while the library is still open: nothing waits for a save.
    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        (title,) = connection.execute(
            "SELECT title FROM videos WHERE id = ?", (video_id,)
        ).fetchone()
    assert title == "Welcome"


def test_an_edit_of_many_steps_is_saved_in_one_transaction(
    library: Library, course: BuiltCourse, writes: _WriteCounter, library_path: Path
) -> None:
    chapter_id = course.chapter_ids[1]

    library.apply(TrashChapter(chapter_id, VideosGo.TO_TRASH))

    assert writes.commits == 1
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_moving_one_video_in_a_50_video_chapter_rewrites_only_that_video(
    library: Library, long_chapter: BuiltCourse, writes: _WriteCounter, library_path: Path
) -> None:
    chapter_id = long_chapter.chapter_ids[0]
    moved = long_chapter.videos_by_chapter[chapter_id][10]
    before = _rows_by_id(library_path, "videos")

    library.apply(MoveVideos((moved,), chapter_id, 40))

    assert _changed_ids(before, _rows_by_id(library_path, "videos")) == {moved}
    assert writes.rows == {"INSERT": 0, "UPDATE": 1, "DELETE": 0}
    assert list(library.store.video_ids(chapter_id)).index(moved) == 39
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_moving_a_video_to_another_chapter_rewrites_only_that_video(
    library: Library, long_chapter: BuiltCourse, writes: _WriteCounter, library_path: Path
) -> None:
    first, second = long_chapter.chapter_ids
    moved = long_chapter.videos_by_chapter[first][0]
    before = _rows_by_id(library_path, "videos")

    library.apply(MoveVideos((moved,), second, 25))

    assert _changed_ids(before, _rows_by_id(library_path, "videos")) == {moved}
    assert writes.rows["UPDATE"] == 1
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_a_bulk_move_rewrites_each_moved_video_once_and_no_other_row(
    library: Library, long_chapter: BuiltCourse, writes: _WriteCounter, library_path: Path
) -> None:
    first, second = long_chapter.chapter_ids
    moved = long_chapter.videos_by_chapter[first][5:35]
    before = _rows_by_id(library_path, "videos")

    applied = library.apply(MoveVideos(moved, second, 0))

    assert _changed_ids(before, _rows_by_id(library_path, "videos")) == set(moved)
    assert writes.rows == {"INSERT": 0, "UPDATE": len(moved), "DELETE": 0}
    assert reload_snapshot(library_path) == library.store.snapshot()
    library.apply(applied.inverse)
    assert reload_snapshot(library_path) == library.store.snapshot()
    assert list(library.store.video_ids(first)) == list(long_chapter.videos_by_chapter[first])


def test_videos_crossing_between_chapters_and_reordered_in_one_edit_keep_unique_places(
    library: Library, long_chapter: BuiltCourse, library_path: Path
) -> None:
    # New positions in a chapter may take the old ones of videos that leave it or move
    # within it in the same edit; the saved order must come out exactly as the store's.
    first, second = long_chapter.chapter_ids
    one, two = long_chapter.videos_by_chapter[first], long_chapter.videos_by_chapter[second]
    edit = Batch(
        (
            MoveVideos(one[:20], second, 10),
            MoveVideos(two[30:], first, 0),
            MoveVideos(one[40:], first, 0),
            MoveVideos(two[:5], second, None),
        )
    )
    applied = library.apply(edit)
    assert reload_snapshot(library_path) == library.store.snapshot()
    redo = library.apply(applied.inverse)
    assert reload_snapshot(library_path) == library.store.snapshot()
    assert list(library.store.video_ids(first)) == list(one)
    library.apply(redo.inverse)
    assert reload_snapshot(library_path) == library.store.snapshot()
    # Two chapters swapping all their videos: each chapter's new positions are the old ones.
    swap = library.apply(
        Batch(
            (
                MoveVideos(tuple(library.store.video_ids(first)), second, None),
                MoveVideos(tuple(library.store.video_ids(second)), first, None),
            )
        )
    )
    assert reload_snapshot(library_path) == library.store.snapshot()
    library.apply(swap.inverse)
    assert reload_snapshot(library_path) == library.store.snapshot()


@pytest.mark.parametrize("step", [-1, 1])
def test_shifting_a_video_one_place_rewrites_only_that_video(
    library: Library, long_chapter: BuiltCourse, library_path: Path, step: int
) -> None:
    chapter_id = long_chapter.chapter_ids[0]
    shifted = long_chapter.videos_by_chapter[chapter_id][20]
    before = _rows_by_id(library_path, "videos")

    library.apply(ShiftVideos((shifted,), step))

    assert _changed_ids(before, _rows_by_id(library_path, "videos")) == {shifted}
    assert library.store.video_index(shifted) == 20 + step
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_renaming_a_video_rewrites_only_that_video_and_counts_a_revision(
    library: Library, long_chapter: BuiltCourse, library_path: Path
) -> None:
    renamed = long_chapter.videos_by_chapter[long_chapter.chapter_ids[0]][7]
    before = _rows_by_id(library_path, "videos")

    library.apply(RenameVideo(renamed, "Depth of field"))

    after = _rows_by_id(library_path, "videos")
    assert _changed_ids(before, after) == {renamed}
    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        (revision,) = connection.execute(
            "SELECT revision FROM videos WHERE id = ?", (renamed,)
        ).fetchone()
    assert revision == 2


def test_moving_a_chapter_rewrites_only_that_chapter(library: Library, library_path: Path) -> None:
    course = build_course(library, chapters=20, videos_per_chapter=1, unassigned=0)
    moved = course.chapter_ids[3]
    chapters_before = _rows_by_id(library_path, "chapters")
    videos_before = _rows_by_id(library_path, "videos")

    library.apply(MoveChapter(moved, 15))

    assert _changed_ids(chapters_before, _rows_by_id(library_path, "chapters")) == {moved}
    assert _changed_ids(videos_before, _rows_by_id(library_path, "videos")) == set()
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_dropping_videos_again_and_again_at_one_spot_keeps_order_and_short_ranks(
    library: Library, library_path: Path
) -> None:
    course = build_course(library, chapters=1, videos_per_chapter=2, unassigned=0)
    chapter_id = course.chapter_ids[0]
    for i in range(150):
        clip = new_video(course.id, f"Insert {i}", f"/clips/insert-{i}.mp4")
        library.apply(AddVideos((clip,), chapter_id, 1))

    with contextlib.closing(sqlite3.connect(library_path)) as connection:
        longest = connection.execute("SELECT max(length(rank)) FROM videos").fetchone()[0]
    assert longest <= 48
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_a_chapter_can_hold_the_same_video_position_only_once(
    library: Library, course: BuiltCourse
) -> None:
    chapter_id = course.chapter_ids[0]
    with library.database.engine.connect() as connection:
        rank = connection.execute(
            text("SELECT rank FROM videos WHERE chapter_id = :c LIMIT 1"), {"c": chapter_id}
        ).scalar()
        with pytest.raises(IntegrityError, match="UNIQUE"):
            connection.execute(
                text(
                    "INSERT INTO videos (id, course_id, chapter_id, rank, title, source_path,"
                    " status, created_at, updated_at)"
                    " VALUES ('dup', :course, :chapter, :rank, 'Dup', '/d.mp4', 'ready', 0, 0)"
                ),
                {"course": course.id, "chapter": chapter_id, "rank": rank},
            )
        connection.rollback()


def test_a_course_can_hold_the_same_chapter_position_only_once(
    library: Library, course: BuiltCourse
) -> None:
    with library.database.engine.connect() as connection:
        rank = connection.execute(
            text("SELECT rank FROM chapters WHERE id = :c"), {"c": course.chapter_ids[0]}
        ).scalar()
        with pytest.raises(IntegrityError, match="UNIQUE"):
            connection.execute(
                text(
                    "INSERT INTO chapters (id, course_id, rank, title, created_at, updated_at)"
                    " VALUES ('dup', :course, :rank, 'Dup', 0, 0)"
                ),
                {"course": course.id, "rank": rank},
            )
        connection.rollback()


def test_a_video_can_not_point_at_a_chapter_that_does_not_exist(
    library: Library, course: BuiltCourse
) -> None:
    with library.database.engine.connect() as connection:
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            connection.execute(
                text(
                    "INSERT INTO videos (id, course_id, chapter_id, rank, title, source_path,"
                    " status, created_at, updated_at)"
                    " VALUES ('x', :course, 'no-such-chapter', 'a0', 'X', '/x.mp4', 'ready', 0, 0)"
                ),
                {"course": course.id},
            )
        connection.rollback()


def test_trashed_videos_and_chapters_stay_in_the_file_until_the_trash_is_emptied(
    library: Library, course: BuiltCourse, library_path: Path
) -> None:
    first, second, _third = course.chapter_ids
    trashed_video = course.videos_by_chapter[first][2]
    library.apply(TrashVideos((trashed_video,)))
    library.apply(TrashChapter(second, VideosGo.TO_TRASH))

    videos = _rows_by_id(library_path, "videos")
    chapters = _rows_by_id(library_path, "chapters")
    assert trashed_video in videos
    assert set(course.videos_by_chapter[second]) <= videos.keys()
    assert second in chapters
    assert reload_snapshot(library_path) == library.store.snapshot()

    library.apply(EmptyTrash())

    videos = _rows_by_id(library_path, "videos")
    assert trashed_video not in videos
    assert not set(course.videos_by_chapter[second]) & videos.keys()
    assert second not in _rows_by_id(library_path, "chapters")
    assert len(videos) == 3 * 5 + 2 - 1 - 5
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_a_restored_chapter_and_its_videos_come_back_in_their_places_after_a_reload(
    library: Library, course: BuiltCourse, library_path: Path
) -> None:
    chapter_id = course.chapter_ids[1]
    library.apply(TrashChapter(chapter_id, VideosGo.TO_TRASH))
    library.apply(RestoreChapter(chapter_id))

    snapshot = reload_snapshot(library_path)
    assert snapshot["chapter_order"][course.id] == course.chapter_ids
    assert snapshot["video_order"][chapter_id] == course.videos_by_chapter[chapter_id]
    assert snapshot == library.store.snapshot()


def test_a_restored_video_comes_back_after_a_reload(
    library: Library, course: BuiltCourse, library_path: Path
) -> None:
    chapter_id = course.chapter_ids[0]
    video_id = course.videos_by_chapter[chapter_id][3]
    library.apply(TrashVideos((video_id,)))
    library.apply(RestoreVideos((video_id,)))

    snapshot = reload_snapshot(library_path)
    assert snapshot["video_order"][chapter_id] == course.videos_by_chapter[chapter_id]
    assert snapshot == library.store.snapshot()


def test_emptying_the_trash_removes_a_trashed_course_with_everything_in_it(
    library: Library, library_path: Path
) -> None:
    kept = build_course(library, title="Kept")
    gone = build_course(library, title="Gone")
    library.apply(TrashVideos((gone.videos_by_chapter[gone.chapter_ids[0]][0],)))
    library.apply(TrashCourse(gone.id))

    library.apply(EmptyTrash())

    assert gone.id not in _rows_by_id(library_path, "courses")
    remaining_videos = _rows_by_id(library_path, "videos").values()
    remaining_chapters = _rows_by_id(library_path, "chapters").values()
    assert {row[1] for row in remaining_videos} == {kept.id}
    assert {row[1] for row in remaining_chapters} == {kept.id}
    assert reload_snapshot(library_path) == library.store.snapshot()


def test_undoing_an_edit_saves_the_state_before_it(
    library: Library, course: BuiltCourse, library_path: Path
) -> None:
    before = library.store.snapshot()
    first, second, _third = course.chapter_ids
    applied = library.apply(MoveVideos(course.videos_by_chapter[first][1:4], second, 2))

    library.apply(applied.inverse)

    assert library.store.snapshot() == before
    assert reload_snapshot(library_path) == before


def test_background_updates_to_a_video_are_saved(
    library: Library, course: BuiltCourse, library_path: Path
) -> None:
    video_id = course.library_video_ids[0]
    library.apply(
        UpdateVideo(
            video_id,
            {
                "status": VideoStatus.READY,
                "duration_s": 61.25,
                "size_bytes": 5_000_000_000,
                "width": 3840,
                "height": 2160,
                "video_codec": "h264",
                "sha1": "a" * 40,
            },
        )
    )

    reloaded = reload_snapshot(library_path)
    assert reloaded["videos"][video_id].status is VideoStatus.READY
    assert reloaded["videos"][video_id].size_bytes == 5_000_000_000
    assert reloaded == library.store.snapshot()


def test_a_refused_edit_writes_nothing(
    library: Library, course: BuiltCourse, writes: _WriteCounter
) -> None:
    with pytest.raises(DomainError):
        library.apply(RenameChapter(course.chapter_ids[0], "   "))

    assert writes.commits == 0


def test_a_new_course_with_chapters_and_videos_reloads_in_the_same_order(
    library: Library, library_path: Path
) -> None:
    create = CreateCourse("Exposure")
    library.apply(create)
    chapters = [AddChapter(create.course_id, f"Part {i}", index=0) for i in range(4)]
    for op in chapters:
        library.apply(op)

    reloaded = reload_snapshot(library_path)
    assert reloaded["chapter_order"][create.course_id] == tuple(
        op.chapter_id for op in reversed(chapters)
    )
    assert reloaded == library.store.snapshot()
