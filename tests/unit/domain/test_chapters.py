"""Chapters: add at a position, rename, move, trash (videos to the library or the Trash),
restore with the videos that went to the Trash with them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.support.builders import (
    CourseIds,
    apply_checked,
    apply_undo_redo,
    assert_refused,
    chapter_titles,
    make_course,
)
from tests.support.mirror import EventLog

from coursedesk.domain.errors import InvalidState, MoveRefused, NotFound
from coursedesk.domain.model import VideosGo
from coursedesk.domain.operations import (
    AddChapter,
    MoveChapter,
    Operation,
    RenameChapter,
    RestoreChapter,
    RestoreVideos,
    TrashChapter,
    TrashVideos,
)
from coursedesk.domain.steps import ChapterMoved, ChapterTrashed, VideoMoved, VideoTrashed
from coursedesk.domain.store import Store


def course(
    chapters: int = 3, videos_per_chapter: int = 3, library: int = 1
) -> tuple[Store, CourseIds]:
    store = Store()
    return store, make_course(
        store, chapters=chapters, videos_per_chapter=videos_per_chapter, library=library
    )


# ------------------------------------------------------------------ adding


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, ["New", "Chapter 1", "Chapter 2", "Chapter 3"]),
        (1, ["Chapter 1", "New", "Chapter 2", "Chapter 3"]),
        (3, ["Chapter 1", "Chapter 2", "Chapter 3", "New"]),
        (None, ["Chapter 1", "Chapter 2", "Chapter 3", "New"]),
    ],
)
def test_new_chapter_lands_at_the_asked_position(index: int | None, expected: list[str]) -> None:
    store, ids = course()
    apply_checked(store, AddChapter(ids.course_id, "New", index=index, chapter_id="new"))
    assert chapter_titles(store, ids.course_id) == expected
    assert list(store.video_ids("new")) == []
    assert store.chapter_index("new") == expected.index("New")


def test_first_chapter_of_an_empty_course_is_its_only_chapter() -> None:
    store, ids = course(chapters=0, library=0)
    apply_checked(store, AddChapter(ids.course_id, "Welcome", chapter_id="w"))
    assert list(store.chapter_ids(ids.course_id)) == ["w"]


@pytest.mark.parametrize("index", [-1, 4, 10])
def test_new_chapter_at_a_position_that_does_not_exist_is_refused(index: int) -> None:
    store, ids = course()
    assert_refused(store, AddChapter(ids.course_id, "New", index=index), InvalidState)


def test_new_chapter_in_a_missing_course_is_refused() -> None:
    store, _ = course()
    assert_refused(store, AddChapter("nope", "New"), NotFound)


def test_new_chapter_with_an_id_in_use_is_refused() -> None:
    store, ids = course()
    assert_refused(store, AddChapter(ids.course_id, "New", chapter_id=ids.chapter(2)), InvalidState)


# ------------------------------------------------------------------ renaming


def test_renaming_a_chapter_keeps_its_place_and_videos() -> None:
    store, ids = course()
    apply_checked(store, RenameChapter(ids.chapter(2), "Exposure"))
    assert chapter_titles(store, ids.course_id) == ["Chapter 1", "Exposure", "Chapter 3"]
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)


def test_renaming_a_chapter_to_its_own_title_announces_nothing() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    assert not apply_checked(store, RenameChapter(ids.chapter(2), "Chapter 2")).changed
    assert log.calls == []


def test_renaming_a_missing_chapter_is_refused() -> None:
    store, _ = course()
    assert_refused(store, RenameChapter("nope", "Exposure"), NotFound)


# ------------------------------------------------------------------ moving


@pytest.mark.parametrize(
    ("number", "index", "expected"),
    [
        (1, 3, ["Chapter 2", "Chapter 3", "Chapter 1"]),
        (1, 2, ["Chapter 2", "Chapter 1", "Chapter 3"]),
        (3, 0, ["Chapter 3", "Chapter 1", "Chapter 2"]),
        (3, 1, ["Chapter 1", "Chapter 3", "Chapter 2"]),
        (2, 0, ["Chapter 2", "Chapter 1", "Chapter 3"]),
    ],
)
def test_moved_chapter_lands_before_the_chapter_at_the_index(
    number: int, index: int, expected: list[str]
) -> None:
    store, ids = course()
    apply_checked(store, MoveChapter(ids.chapter(number), index))
    assert chapter_titles(store, ids.course_id) == expected
    assert list(store.video_ids(ids.chapter(number))) == ids.videos_of(number)


@pytest.mark.parametrize("index", [1, 2])
def test_moving_a_chapter_onto_its_own_place_announces_nothing(index: int) -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    assert not apply_checked(store, MoveChapter(ids.chapter(2), index)).changed
    assert log.calls == []


def test_moving_a_chapter_announces_one_move_with_its_old_and_new_index() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, MoveChapter(ids.chapter(1), 3))
    assert log.steps == [ChapterMoved(ids.chapter(1), ids.course_id, 0, 2)]


@pytest.mark.parametrize("index", [-1, 4])
def test_moving_a_chapter_to_a_position_that_does_not_exist_is_refused(index: int) -> None:
    store, ids = course()
    assert_refused(store, MoveChapter(ids.chapter(1), index), InvalidState)


def test_moving_a_chapter_in_the_trash_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(1)))
    assert_refused(store, MoveChapter(ids.chapter(1), 0), MoveRefused, match="in the Trash")


def test_moving_a_missing_chapter_is_refused() -> None:
    store, _ = course()
    assert_refused(store, MoveChapter("nope", 0), NotFound)


# ------------------------------------------------------------------ trashing


def test_trashed_chapter_leaves_the_course_and_its_videos_go_to_the_library() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(2), at=50.0))
    assert chapter_titles(store, ids.course_id) == ["Chapter 1", "Chapter 3"]
    assert list(store.trashed_chapter_ids(ids.course_id)) == [ids.chapter(2)]
    assert set(store.library_ids(ids.course_id)) == {*ids.library_ids, *ids.videos_of(2)}
    for vid in ids.videos_of(2):
        assert store.video(vid).chapter_id is None
        assert store.video(vid).deleted_at is None
    assert store.chapter(ids.chapter(2)).deleted_at == 50.0
    assert store.chapter_index(ids.chapter(2)) is None


def test_trashing_a_chapter_with_its_videos_puts_them_in_the_trash() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH, at=50.0))
    assert set(store.trashed_video_ids(ids.course_id)) == set(ids.videos_of(2))
    assert set(store.library_ids(ids.course_id)) == set(ids.library_ids)
    for index, vid in enumerate(ids.videos_of(2)):
        video = store.video(vid)
        assert (video.deleted_at, video.trash_chapter_id, video.trash_index) == (
            50.0,
            ids.chapter(2),
            index,
        )


def test_trashing_a_chapter_announces_each_video_leaving_then_the_chapter() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, TrashChapter(ids.chapter(2), at=50.0))
    moves = log.steps[:-1]
    assert [type(s) for s in moves] == [VideoMoved] * 3
    assert all(isinstance(s, VideoMoved) and s.to_chapter_id is None for s in moves)
    assert log.steps[-1] == ChapterTrashed(ids.chapter(2), ids.course_id, 1, 50.0, 1)


def test_trashing_a_chapter_with_its_videos_announces_each_video_trashed() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH, at=50.0))
    assert len(log.of_type(VideoTrashed)) == 3
    assert len(log.of_type(ChapterTrashed)) == 1


def test_trashing_a_chapter_twice_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(2)))
    assert_refused(store, TrashChapter(ids.chapter(2)), InvalidState, match="already")


def test_trashing_a_missing_chapter_is_refused() -> None:
    store, _ = course()
    assert_refused(store, TrashChapter("nope"), NotFound)


# ------------------------------------------------------------------ restoring


def test_restored_chapter_returns_to_its_place_with_its_trashed_videos_in_order() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH, at=50.0))
    apply_checked(store, RestoreChapter(ids.chapter(2)))
    assert list(store.chapter_ids(ids.course_id)) == list(ids.chapter_ids)
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)
    assert list(store.trashed_video_ids(ids.course_id)) == []
    assert store.chapter(ids.chapter(2)).deleted_at is None
    assert store.chapter(ids.chapter(2)).trash_index is None


def test_restored_chapter_leaves_the_videos_it_gave_to_the_library_there() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(2), at=50.0))
    apply_checked(store, RestoreChapter(ids.chapter(2)))
    assert list(store.video_ids(ids.chapter(2))) == []
    assert set(ids.videos_of(2)) <= set(store.library_ids(ids.course_id))


def test_restored_chapter_leaves_videos_trashed_on_their_own_in_the_trash() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(2, 1),), at=40.0))
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH, at=50.0))
    apply_checked(store, RestoreChapter(ids.chapter(2)))
    assert list(store.video_ids(ids.chapter(2))) == [ids.video(2, 2), ids.video(2, 3)]
    assert list(store.trashed_video_ids(ids.course_id)) == [ids.video(2, 1)]


def test_video_trashed_on_its_own_goes_back_into_its_restored_chapter() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(2, 1),), at=40.0))
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH, at=50.0))
    apply_checked(store, RestoreChapter(ids.chapter(2)))
    apply_checked(store, RestoreVideos((ids.video(2, 1),)))
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)


def test_restored_chapter_goes_to_the_end_if_its_place_no_longer_exists() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(3), at=50.0))
    apply_checked(store, TrashChapter(ids.chapter(2), at=51.0))
    apply_checked(store, RestoreChapter(ids.chapter(3)))
    assert list(store.chapter_ids(ids.course_id)) == [ids.chapter(1), ids.chapter(3)]


def test_restoring_a_live_chapter_is_refused() -> None:
    store, ids = course()
    assert_refused(store, RestoreChapter(ids.chapter(1)), InvalidState, match="not in the Trash")


def test_restoring_a_missing_chapter_is_refused() -> None:
    store, _ = course()
    assert_refused(store, RestoreChapter("nope"), NotFound)


# ------------------------------------------------------------------ undo


@pytest.mark.parametrize(
    "make_operation",
    [
        lambda ids: AddChapter(ids.course_id, "New", index=1, chapter_id="n", created_at=2.0),
        lambda ids: RenameChapter(ids.chapter(2), "Exposure"),
        lambda ids: MoveChapter(ids.chapter(1), 3),
        lambda ids: MoveChapter(ids.chapter(3), 0),
        lambda ids: TrashChapter(ids.chapter(2), at=5.0),
        lambda ids: TrashChapter(ids.chapter(2), VideosGo.TO_TRASH, at=5.0),
    ],
    ids=["add", "rename", "move down", "move up", "trash to library", "trash with videos"],
)
def test_chapter_edits_undo_and_redo_exactly(
    make_operation: Callable[[CourseIds], Operation],
) -> None:
    store, ids = course()
    apply_undo_redo(store, make_operation(ids))


@pytest.mark.parametrize("videos_go", list(VideosGo))
def test_restoring_a_chapter_undoes_and_redoes_exactly(videos_go: VideosGo) -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(2), videos_go, at=5.0))
    apply_undo_redo(store, RestoreChapter(ids.chapter(2)))


def test_undoing_a_chapter_trash_puts_its_videos_back_in_order() -> None:
    store, ids = course()
    before = store.snapshot()
    applied = apply_checked(store, TrashChapter(ids.chapter(1), at=5.0))
    apply_checked(store, applied.inverse)
    assert list(store.video_ids(ids.chapter(1))) == ids.videos_of(1)
    assert store.snapshot() == before
