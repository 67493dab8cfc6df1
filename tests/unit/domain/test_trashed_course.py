"""A course in the Trash is read-only until it is restored: every edit of it is refused with
one sentence, undo and redo included; restoring it, emptying the Trash and the services'
technical updates still work."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.support.builders import (
    CourseIds,
    apply_checked,
    apply_undo_redo,
    assert_refused,
    make_course,
    video_value,
)

from coursedesk.domain.errors import CourseInTrash
from coursedesk.domain.model import VideosGo, VideoStatus
from coursedesk.domain.operations import (
    COURSE_IN_TRASH,
    AddChapter,
    AddVideos,
    Batch,
    DiscardVideos,
    EmptyTrash,
    MoveChapter,
    MoveVideos,
    Operation,
    RenameChapter,
    RenameCourse,
    RenameVideo,
    ReplaceVideoContent,
    RestoreChapter,
    RestoreCourse,
    RestoreVideos,
    Revert,
    SetPosterFrame,
    ShiftVideos,
    TrashChapter,
    TrashCourse,
    TrashVideos,
    UpdateVideo,
)
from coursedesk.domain.steps import CourseChanged, VideoMoved
from coursedesk.domain.store import Store

TRASHED_AT = 50.0


def trashed_course() -> tuple[Store, CourseIds]:
    """Course c1 (3 chapters of 3, 2 unassigned) with chapter 3 and video 1.1 in its own
    Trash, then the whole course moved to the Trash; course c2 stays live."""
    store = Store()
    ids = make_course(store, videos_per_chapter=3)
    make_course(store, course_id="c2", chapters=1, videos_per_chapter=1, library=0)
    apply_checked(store, TrashVideos((ids.video(1, 1),), at=10.0))
    apply_checked(store, TrashChapter(ids.chapter(3), VideosGo.TO_TRASH, at=20.0))
    apply_checked(store, TrashCourse("c1", at=TRASHED_AT))
    return store, ids


EDITS: dict[str, Callable[[CourseIds], Operation]] = {
    "rename the course": lambda ids: RenameCourse("c1", "New title"),
    "add a chapter": lambda ids: AddChapter("c1", "Extra"),
    "rename a chapter": lambda ids: RenameChapter(ids.chapter(1), "Renamed"),
    "move a chapter": lambda ids: MoveChapter(ids.chapter(2), 0),
    "delete a chapter": lambda ids: TrashChapter(ids.chapter(1)),
    "restore a chapter from its Trash": lambda ids: RestoreChapter(ids.chapter(3)),
    "add videos to a chapter": lambda ids: AddVideos((video_value("c1", "New"),), ids.chapter(1)),
    "add videos to the library": lambda ids: AddVideos((video_value("c1", "New"),)),
    "rename a video": lambda ids: RenameVideo(ids.video(1, 2), "Renamed"),
    "move videos into a chapter": lambda ids: MoveVideos(
        (ids.video(1, 2), ids.library_ids[0]), ids.chapter(2), 0
    ),
    "reorder a chapter": lambda ids: MoveVideos((ids.video(2, 3),), ids.chapter(2), 0),
    "unassign videos": lambda ids: MoveVideos((ids.video(2, 1),), None),
    "shift videos": lambda ids: ShiftVideos((ids.video(2, 2),), -1),
    "delete videos": lambda ids: TrashVideos((ids.video(2, 2),)),
    "restore videos from its Trash": lambda ids: RestoreVideos((ids.video(1, 1),)),
    "replace a video's file": lambda ids: ReplaceVideoContent(
        ids.video(2, 1), {"source_path": "/clips/other.mp4", "sha1": "0" * 40}
    ),
    "choose a poster frame": lambda ids: SetPosterFrame(ids.video(2, 1), 1.0),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_every_edit_of_a_course_in_the_trash_is_refused_with_one_clear_reason(
    edit: Callable[[CourseIds], Operation],
) -> None:
    store, ids = trashed_course()
    error = assert_refused(store, edit(ids), CourseInTrash)
    assert str(error) == COURSE_IN_TRASH == "This course is in the Trash; restore it to edit it."


def test_an_edit_inside_a_batch_is_refused_and_the_batch_leaves_nothing_behind() -> None:
    store, ids = trashed_course()
    before = store.snapshot()
    batch = Batch((AddChapter("c2", "Fine"), RenameVideo(ids.video(2, 1), "Not fine")))
    with pytest.raises(CourseInTrash):
        store.apply(batch)
    assert store.snapshot() == before


def test_a_move_from_a_live_course_into_a_trashed_one_is_refused_too() -> None:
    store, ids = trashed_course()
    live_video = store.video_ids("c2:ch1")[0]
    assert_refused(store, MoveVideos((live_video,), ids.chapter(1)), CourseInTrash)


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_once_restored_the_course_takes_the_same_edits_again(
    edit: Callable[[CourseIds], Operation],
) -> None:
    store, ids = trashed_course()
    apply_checked(store, RestoreCourse("c1"))
    apply_undo_redo(store, edit(ids))


def test_undoing_an_edit_made_before_the_course_went_to_the_trash_is_refused() -> None:
    store = Store()
    ids = make_course(store)
    renamed = apply_checked(store, RenameVideo(ids.video(1, 1), "Welcome"))
    moved = apply_checked(store, MoveVideos((ids.video(2, 1),), ids.chapter(1), 0))
    apply_checked(store, TrashCourse("c1", at=TRASHED_AT))
    for applied in (renamed, moved):
        assert_refused(store, applied.inverse, CourseInTrash, match="restore it to edit it")
    apply_checked(store, RestoreCourse("c1"))
    apply_checked(store, moved.inverse)
    apply_checked(store, renamed.inverse)
    assert store.video(ids.video(1, 1)).title == "Video 1.1"


def test_deleting_and_restoring_the_course_undo_and_redo_freely() -> None:
    store = Store()
    make_course(store)
    apply_undo_redo(store, TrashCourse("c1", at=TRASHED_AT))
    apply_undo_redo(store, RestoreCourse("c1"))


def test_emptying_the_trash_purges_the_course_and_its_undo_puts_it_all_back() -> None:
    store, _ = trashed_course()
    applied = apply_undo_redo(store, EmptyTrash())
    assert applied.steps
    assert not store.has_course("c1")
    assert [c.id for c in store.courses(include_trashed=True)] == ["c2"]


def test_the_services_may_still_record_facts_about_its_files() -> None:
    store, ids = trashed_course()
    video_id = ids.video(2, 1)
    apply_checked(store, UpdateVideo(video_id, {"status": VideoStatus.UPLOADED}))
    assert store.video(video_id).status is VideoStatus.UPLOADED


def test_rows_of_an_unfinished_import_may_still_be_discarded() -> None:
    store = Store()
    make_course(store, chapters=1, videos_per_chapter=1, library=0)
    row = video_value("c1", "Half read", status=VideoStatus.PROCESSING)
    apply_checked(store, AddVideos((row,)))
    apply_checked(store, TrashCourse("c1", at=TRASHED_AT))
    apply_checked(store, DiscardVideos((row.id,)))
    assert not store.has_video(row.id)


def test_another_course_stays_editable() -> None:
    store, _ = trashed_course()
    apply_checked(store, RenameChapter("c2:ch1", "Still mine"))
    apply_checked(store, AddChapter("c2", "More"))
    assert [store.chapter(c).title for c in store.chapter_ids("c2")] == ["Still mine", "More"]


def test_a_replay_that_sends_the_course_to_the_trash_may_not_move_its_videos_after() -> None:
    store = Store()
    ids = make_course(store)
    steps = (
        VideoMoved(ids.video(1, 1), "c1", ids.chapter(1), 0, ids.chapter(2), 0),
        CourseChanged("c1", {"deleted_at": None}, {"deleted_at": TRASHED_AT}),
        VideoMoved(ids.video(1, 2), "c1", ids.chapter(1), 0, ids.chapter(2), 0),
    )
    assert_refused(store, Revert(steps), CourseInTrash, match="restore it to edit it")


def test_a_replay_that_brings_the_course_back_may_move_its_videos_after() -> None:
    store, ids = trashed_course()
    steps = (
        CourseChanged("c1", {"deleted_at": TRASHED_AT}, {"deleted_at": None}),
        VideoMoved(ids.video(1, 2), "c1", ids.chapter(1), 0, ids.chapter(2), 0),
        VideoMoved(ids.video(1, 3), "c1", ids.chapter(1), 0, ids.chapter(2), 0),
    )
    apply_checked(store, Revert(steps))
    assert store.video_ids(ids.chapter(2))[:2] == [ids.video(1, 3), ids.video(1, 2)]
