"""Videos: add to a chapter or the library, rename, trash, restore, and technical updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.builders import (
    CourseIds,
    apply_checked,
    apply_undo_redo,
    assert_refused,
    make_course,
    recount,
    video_titles,
    video_value,
)
from tests.support.mirror import EventLog

from coursedesk.domain.errors import InvalidState, InvalidTitle, MoveRefused, NotFound
from coursedesk.domain.model import Video, VideosGo, VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    Operation,
    RenameVideo,
    RestoreVideos,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    UpdateVideo,
)
from coursedesk.domain.steps import VideoChanged, VideoCreated, VideoTrashed
from coursedesk.domain.store import Store


def course(
    chapters: int = 3, videos_per_chapter: int = 3, library: int = 2
) -> tuple[Store, CourseIds]:
    store = Store()
    return store, make_course(
        store, chapters=chapters, videos_per_chapter=videos_per_chapter, library=library
    )


def new(ids: CourseIds, *names: str, **fields: Any) -> tuple[Video, ...]:
    return tuple(video_value(ids.course_id, name, video_id=name, **fields) for name in names)


# ------------------------------------------------------------------ adding


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, ["a", "b", "Video 1.1", "Video 1.2", "Video 1.3"]),
        (2, ["Video 1.1", "Video 1.2", "a", "b", "Video 1.3"]),
        (3, ["Video 1.1", "Video 1.2", "Video 1.3", "a", "b"]),
        (None, ["Video 1.1", "Video 1.2", "Video 1.3", "a", "b"]),
    ],
)
def test_added_videos_land_together_at_the_asked_position(
    index: int | None, expected: list[str]
) -> None:
    store, ids = course()
    apply_checked(store, AddVideos(new(ids, "a", "b"), ids.chapter(1), index))
    assert video_titles(store, ids.chapter(1)) == expected
    assert store.video("a").chapter_id == ids.chapter(1)


def test_videos_added_without_a_chapter_are_unassigned_in_the_library() -> None:
    store, ids = course()
    apply_checked(store, AddVideos(new(ids, "a", "b")))
    assert set(store.library_ids(ids.course_id)) == {*ids.library_ids, "a", "b"}
    assert store.video("a").chapter_id is None
    assert store.video_index("a") is None


def test_added_video_takes_the_place_the_operation_gives_whatever_it_claimed() -> None:
    store, ids = course()
    claims_a_chapter = video_value(ids.course_id, "a", video_id="a", chapter_id=ids.chapter(2))
    apply_checked(store, AddVideos((claims_a_chapter,)))
    assert store.video("a").chapter_id is None
    assert "a" in store.library_ids(ids.course_id)


def test_adding_announces_one_insertion_per_video_at_its_index() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, AddVideos(new(ids, "a", "b"), ids.chapter(1), 1))
    assert [(s.video.id, s.index) for s in log.of_type(VideoCreated)] == [("a", 1), ("b", 2)]
    assert len(log.steps) == 2


def test_adding_no_videos_changes_nothing() -> None:
    store, ids = course()
    assert not apply_checked(store, AddVideos((), ids.chapter(1))).changed


def test_adding_to_a_chapter_of_another_course_is_refused() -> None:
    store, ids = course()
    other = make_course(store, course_id="c2", chapters=1, videos_per_chapter=0, library=0)
    assert_refused(store, AddVideos(new(ids, "a"), other.chapter(1)), MoveRefused)


def test_adding_videos_of_two_courses_at_once_is_refused() -> None:
    store, ids = course()
    make_course(store, course_id="c2", chapters=0, library=0)
    mixed = (*new(ids, "a"), video_value("c2", "b", video_id="b"))
    assert_refused(store, AddVideos(mixed), MoveRefused)


@pytest.mark.parametrize("index", [-1, 4])
def test_adding_at_a_position_that_does_not_exist_is_refused(index: int) -> None:
    store, ids = course()
    assert_refused(store, AddVideos(new(ids, "a"), ids.chapter(1), index), InvalidState)


def test_adding_at_a_position_in_the_library_is_refused() -> None:
    store, ids = course()
    assert_refused(store, AddVideos(new(ids, "a"), None, 0), InvalidState, match="no positions")


def test_adding_a_video_whose_id_is_in_use_is_refused() -> None:
    store, ids = course()
    again = video_value(ids.course_id, "Again", video_id=ids.video(1, 1))
    assert_refused(store, AddVideos((again,)), InvalidState)


def test_adding_the_same_video_twice_in_one_go_is_refused() -> None:
    store, ids = course()
    assert_refused(store, AddVideos(new(ids, "a", "a")), InvalidState)


def test_adding_one_badly_titled_video_refuses_the_whole_batch() -> None:
    store, ids = course()
    batch = (*new(ids, "a"), video_value(ids.course_id, "  ", video_id="b"))
    assert_refused(store, AddVideos(batch, ids.chapter(1)), InvalidTitle)


def test_adding_to_a_chapter_in_the_trash_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(1)))
    assert_refused(store, AddVideos(new(ids, "a"), ids.chapter(1)), MoveRefused)


def test_adding_to_a_course_in_the_trash_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashCourse(ids.course_id))
    assert_refused(store, AddVideos(new(ids, "a")), InvalidState)


def test_adding_to_a_missing_course_or_chapter_is_refused() -> None:
    store, ids = course()
    assert_refused(store, AddVideos((video_value("nope", "a", video_id="a"),)), NotFound)
    assert_refused(store, AddVideos(new(ids, "a"), "nope"), NotFound)


def test_a_new_video_cannot_start_in_the_trash() -> None:
    store, ids = course()
    assert_refused(store, AddVideos(new(ids, "a", deleted_at=3.0)), InvalidState)


@pytest.mark.parametrize(
    "fields",
    [
        {"duration_s": float("nan")},
        {"duration_s": float("inf")},
        {"duration_s": -1.0},
        {"size_bytes": -5},
        {"status": "ready"},
    ],
    ids=["nan duration", "infinite duration", "negative duration", "negative size", "bad status"],
)
def test_adding_a_video_with_impossible_measurements_is_refused(fields: dict[str, Any]) -> None:
    store, ids = course()
    assert_refused(store, AddVideos(new(ids, "a", **fields), ids.chapter(1)), InvalidState)


# ------------------------------------------------------------------ renaming


def test_renamed_video_keeps_its_place() -> None:
    store, ids = course()
    apply_checked(store, RenameVideo(ids.video(1, 2), "Aperture"))
    assert video_titles(store, ids.chapter(1)) == ["Video 1.1", "Aperture", "Video 1.3"]


def test_renaming_a_video_announces_exactly_one_title_change() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, RenameVideo(ids.video(1, 2), "Aperture"))
    assert log.steps == [
        VideoChanged(ids.video(1, 2), {"title": "Video 1.2"}, {"title": "Aperture"})
    ]


def test_renaming_a_video_to_its_own_title_announces_nothing() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    assert not apply_checked(store, RenameVideo(ids.video(1, 2), "Video 1.2 ")).changed
    assert log.calls == []


def test_renaming_a_missing_video_is_refused() -> None:
    store, _ = course()
    assert_refused(store, RenameVideo("nope", "Aperture"), NotFound)


# ------------------------------------------------------------------ trashing


def test_trashing_a_video_leaves_its_chapter_dense() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 2),), at=7.0))
    assert list(store.video_ids(ids.chapter(1))) == [ids.video(1, 1), ids.video(1, 3)]
    assert [store.video_index(v) for v in store.video_ids(ids.chapter(1))] == [0, 1]
    assert list(store.trashed_video_ids(ids.course_id)) == [ids.video(1, 2)]


def test_trashed_video_remembers_where_it_stood() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 3), ids.video(1, 2)), at=7.0))
    for number in (2, 3):
        video = store.video(ids.video(1, number))
        assert video.chapter_id is None
        assert (video.deleted_at, video.trash_chapter_id, video.trash_index) == (
            7.0,
            ids.chapter(1),
            number - 1,
        )


def test_trashing_an_unassigned_video_takes_it_out_of_the_library() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.library_ids[0],)))
    assert list(store.library_ids(ids.course_id)) == [ids.library_ids[1]]
    assert store.video(ids.library_ids[0]).trash_chapter_id is None


def test_trashing_a_scattered_selection_announces_one_removal_each() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    selection = (ids.video(1, 1), ids.library_ids[0], ids.video(3, 2), ids.video(1, 3))
    apply_checked(store, TrashVideos(selection))
    assert sorted(s.video_id for s in log.of_type(VideoTrashed)) == sorted(selection)
    assert len(log.steps) == 4


def test_trashing_a_video_already_in_the_trash_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    selection = (ids.video(1, 2), ids.video(1, 1))
    assert_refused(store, TrashVideos(selection), InvalidState, match="already in the Trash")


def test_trashing_a_missing_video_is_refused_and_trashes_none_of_the_selection() -> None:
    store, ids = course()
    assert_refused(store, TrashVideos((ids.video(1, 1), "nope")), NotFound)


# ------------------------------------------------------------------ restoring


def test_restored_video_goes_back_where_it_was() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(2, 2),)))
    apply_checked(store, RestoreVideos((ids.video(2, 2),)))
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)
    video = store.video(ids.video(2, 2))
    assert (video.deleted_at, video.trash_chapter_id, video.trash_index) == (None, None, None)


def test_videos_restored_together_go_back_in_their_old_order_whatever_the_selection_order() -> None:
    store, ids = course(videos_per_chapter=5)
    trashed = (ids.video(2, 5), ids.video(2, 1), ids.video(2, 3))
    apply_checked(store, TrashVideos(trashed))
    apply_checked(store, RestoreVideos(trashed))
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)


def test_videos_trashed_one_after_another_come_back_in_their_old_order_together() -> None:
    store, ids = course(videos_per_chapter=4)
    apply_checked(store, TrashVideos((ids.video(2, 1),), at=5.0))
    apply_checked(store, TrashVideos((ids.video(2, 4),), at=6.0))
    apply_checked(store, RestoreVideos((ids.video(2, 1), ids.video(2, 4))))
    assert list(store.video_ids(ids.chapter(2))) == ids.videos_of(2)


@settings(max_examples=60, deadline=None)
@given(batches=st.lists(st.sets(st.integers(1, 6), min_size=1), min_size=1, max_size=4))
def test_restoring_all_that_left_a_chapter_in_one_go_puts_it_back_as_it_was(
    batches: list[set[int]],
) -> None:
    store, ids = course(chapters=1, videos_per_chapter=6, library=0)
    trashed: list[str] = []
    for at, batch in enumerate(batches):
        selection = tuple(ids.video(1, n) for n in batch if ids.video(1, n) not in trashed)
        if selection:
            apply_checked(store, TrashVideos(selection, at=float(at)))
            trashed += selection
    apply_checked(store, RestoreVideos(tuple(reversed(trashed))))
    assert list(store.video_ids(ids.chapter(1))) == ids.videos_of(1)


def test_unassigned_video_is_restored_to_the_library() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.library_ids[0],)))
    apply_checked(store, RestoreVideos((ids.library_ids[0],)))
    assert set(store.library_ids(ids.course_id)) == set(ids.library_ids)


def test_video_goes_to_the_end_of_its_chapter_if_its_place_no_longer_exists() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 3),)))
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    apply_checked(store, RestoreVideos((ids.video(1, 3),)))
    assert list(store.video_ids(ids.chapter(1))) == [ids.video(1, 2), ids.video(1, 3)]


def test_video_whose_chapter_is_in_the_trash_is_restored_to_the_library() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH))
    apply_checked(store, RestoreVideos((ids.video(2, 2),)))
    assert ids.video(2, 2) in store.library_ids(ids.course_id)
    assert store.video(ids.video(2, 2)).chapter_id is None


def test_video_whose_chapter_no_longer_exists_is_restored_to_the_library() -> None:
    store, ids = course()
    added = apply_checked(store, AddChapter(ids.course_id, "Draft", chapter_id="draft"))
    apply_checked(store, AddVideos(new(ids, "a"), "draft"))
    apply_checked(store, TrashVideos(("a",)))
    apply_checked(store, added.inverse)
    assert not store.has_chapter("draft")
    apply_checked(store, RestoreVideos(("a",)))
    assert "a" in store.library_ids(ids.course_id)


def test_restoring_a_live_video_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    selection = (ids.video(1, 1), ids.video(1, 2))
    assert_refused(store, RestoreVideos(selection), InvalidState, match="not in the Trash")


def test_restoring_a_missing_video_is_refused() -> None:
    store, _ = course()
    assert_refused(store, RestoreVideos(("nope",)), NotFound)


# ------------------------------------------------------------------ technical updates


def test_technical_update_sets_the_fields_and_keeps_the_place() -> None:
    store, ids = course()
    changes = {"status": VideoStatus.READY, "duration_s": 12.5, "width": 1920, "sha1": "ab"}
    apply_checked(store, UpdateVideo(ids.video(1, 1), changes))
    video = store.video(ids.video(1, 1))
    assert (video.status, video.duration_s, video.width, video.sha1) == (
        VideoStatus.READY,
        12.5,
        1920,
        "ab",
    )
    assert list(store.video_ids(ids.chapter(1))) == ids.videos_of(1)


def test_technical_update_announces_only_the_fields_that_changed() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    current = store.video(ids.video(1, 1))
    apply_checked(
        store,
        UpdateVideo(ids.video(1, 1), {"duration_s": current.duration_s, "height": 1080}),
    )
    assert log.steps == [VideoChanged(ids.video(1, 1), {"height": None}, {"height": 1080})]


def test_technical_update_with_nothing_new_announces_nothing() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    status = store.video(ids.video(1, 1)).status
    assert not apply_checked(store, UpdateVideo(ids.video(1, 1), {"status": status})).changed
    assert log.calls == []


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "Sneaky"},
        {"chapter_id": None},
        {"deleted_at": 1.0},
        {"course_id": "c2"},
        {"status": VideoStatus.READY, "title": "Sneaky"},
    ],
    ids=["title", "chapter", "deleted_at", "course", "mixed"],
)
def test_technical_update_of_a_non_technical_field_is_refused(changes: dict[str, Any]) -> None:
    store, ids = course()
    assert_refused(store, UpdateVideo(ids.video(1, 1), changes), InvalidState)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "ready"},
        {"duration_s": float("nan")},
        {"duration_s": float("-inf")},
        {"duration_s": -0.5},
        {"size_bytes": -1},
        {"size_bytes": 1.5},
        {"frame_rate": float("nan")},
        {"width": True},
    ],
    ids=["raw status", "nan", "-inf", "negative", "neg size", "fractional size", "nan fps", "bool"],
)
def test_technical_update_with_an_impossible_value_is_refused(changes: dict[str, Any]) -> None:
    store, ids = course()
    assert_refused(store, UpdateVideo(ids.video(1, 1), changes), InvalidState)


def test_technical_update_of_a_missing_video_is_refused() -> None:
    store, _ = course()
    assert_refused(store, UpdateVideo("nope", {"status": VideoStatus.READY}), NotFound)


def test_technical_update_reaches_a_video_in_the_trash_without_touching_totals() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    totals = store.course_totals(ids.course_id)
    apply_checked(store, UpdateVideo(ids.video(1, 1), {"duration_s": 999.0, "size_bytes": 9}))
    assert store.video(ids.video(1, 1)).duration_s == 999.0
    assert store.course_totals(ids.course_id) == totals


def test_undoing_an_add_after_the_probe_filled_in_metadata_removes_the_video() -> None:
    store, ids = course()
    added = apply_checked(store, AddVideos(new(ids, "a"), ids.chapter(1)))
    probed = {"status": VideoStatus.READY, "duration_s": 30.0, "size_bytes": 4096}
    apply_checked(store, UpdateVideo("a", probed))
    undone = apply_checked(store, added.inverse)
    assert not store.has_video("a")
    assert store.chapter_totals(ids.chapter(1)) == recount(store, ids.videos_of(1))
    apply_checked(store, undone.inverse)
    video = store.video("a")
    assert (video.status, video.duration_s, video.size_bytes) == (VideoStatus.READY, 30.0, 4096)


def test_undoing_an_add_after_a_rename_is_refused_and_changes_nothing() -> None:
    store, ids = course()
    added = apply_checked(store, AddVideos(new(ids, "a", "b"), ids.chapter(1)))
    apply_checked(store, RenameVideo("a", "Renamed"))
    assert_refused(store, added.inverse, InvalidState)


# ------------------------------------------------------------------ undo


VIDEO_EDITS: dict[str, Callable[[CourseIds], Operation]] = {
    "add to chapter": lambda ids: AddVideos(new(ids, "a", "b"), ids.chapter(2), 1),
    "add to library": lambda ids: AddVideos(new(ids, "a", "b")),
    "rename": lambda ids: RenameVideo(ids.video(2, 2), "Aperture"),
    "trash": lambda ids: TrashVideos((ids.video(2, 2), ids.library_ids[0], ids.video(1, 1)), 5.0),
    "update": lambda ids: UpdateVideo(ids.video(2, 2), {"duration_s": 1.5, "size_bytes": 7}),
}


@pytest.mark.parametrize("edit", sorted(VIDEO_EDITS))
def test_video_edits_undo_and_redo_exactly(edit: str) -> None:
    store, ids = course()
    apply_undo_redo(store, VIDEO_EDITS[edit](ids))


def test_restoring_videos_undoes_and_redoes_exactly() -> None:
    store, ids = course()
    trashed = (ids.video(2, 2), ids.library_ids[0], ids.video(1, 1), ids.video(1, 3))
    apply_checked(store, TrashVideos(trashed, at=5.0))
    apply_checked(store, TrashChapter(ids.chapter(1)))
    apply_undo_redo(store, RestoreVideos(trashed))
