"""Emptying the Trash deletes for good what is in it: videos, chapters and whole courses."""

from __future__ import annotations

from tests.support.builders import (
    CourseIds,
    apply_checked,
    apply_undo_redo,
    assert_refused,
    make_course,
)
from tests.support.mirror import EventLog, StoreMirror

from coursedesk.domain.errors import InvalidState, NotFound
from coursedesk.domain.model import Course, VideosGo
from coursedesk.domain.operations import (
    EmptyTrash,
    RestoreVideos,
    TrashChapter,
    TrashCourse,
    TrashVideos,
)
from coursedesk.domain.steps import ChapterPurged, CoursePurged, VideoPurged
from coursedesk.domain.store import Store


def two_courses() -> tuple[Store, CourseIds, CourseIds]:
    store = Store()
    first = make_course(store, course_id="c1", chapters=3, videos_per_chapter=3, library=2)
    second = make_course(store, course_id="c2", chapters=2, videos_per_chapter=2, library=1)
    return store, first, second


def test_emptying_the_trash_deletes_trashed_videos_and_chapters_for_good() -> None:
    store, ids, _ = two_courses()
    apply_checked(store, TrashVideos((ids.video(1, 1), ids.library_ids[0])))
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH))
    apply_checked(store, EmptyTrash())
    for vid in (ids.video(1, 1), ids.library_ids[0], *ids.videos_of(2)):
        assert not store.has_video(vid)
    assert not store.has_chapter(ids.chapter(2))
    assert list(store.trashed_video_ids(ids.course_id)) == []
    assert list(store.trashed_chapter_ids(ids.course_id)) == []


def test_emptying_the_trash_leaves_live_videos_and_chapters_alone() -> None:
    store, ids, other = two_courses()
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    apply_checked(store, TrashChapter(ids.chapter(3)))
    apply_checked(store, EmptyTrash())
    assert list(store.chapter_ids(ids.course_id)) == [ids.chapter(1), ids.chapter(2)]
    assert list(store.video_ids(ids.chapter(1))) == ids.videos_of(1)[1:]
    assert set(store.library_ids(ids.course_id)) == {*ids.library_ids, *ids.videos_of(3)}
    assert list(store.video_ids(other.chapter(1))) == other.videos_of(1)


def test_emptying_the_trash_deletes_trashed_courses_with_everything_in_them() -> None:
    store, ids, other = two_courses()
    apply_checked(store, TrashVideos((ids.video(2, 2),)))
    apply_checked(store, TrashChapter(ids.chapter(3)))
    apply_checked(store, TrashCourse(ids.course_id))
    apply_checked(store, EmptyTrash())
    assert not store.has_course(ids.course_id)
    assert [c.id for c in store.courses(include_trashed=True)] == [other.course_id]
    for chapter_id in ids.chapter_ids:
        assert not store.has_chapter(chapter_id)
    for vid in (*ids.library_ids, *(v for c in ids.chapter_ids for v in ids.videos[c])):
        assert not store.has_video(vid)


def test_video_deleted_for_good_can_no_longer_be_restored() -> None:
    store, ids, _ = two_courses()
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    apply_checked(store, EmptyTrash())
    assert_refused(store, RestoreVideos((ids.video(1, 1),)), NotFound)


def test_emptying_the_trash_announces_each_deletion_and_a_mirror_follows() -> None:
    store, ids, _ = two_courses()
    apply_checked(store, TrashVideos((ids.video(1, 1), ids.library_ids[0])))
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH))
    apply_checked(store, TrashCourse("c2"))
    mirror = StoreMirror(store)
    log = EventLog()
    store.subscribe(mirror)
    store.subscribe(log)
    applied = apply_checked(store, EmptyTrash())
    mirror.assert_matches(store)
    assert log.steps == list(applied.steps)
    # Course c2: 2 chapters of 2 videos and 1 unassigned; course c1: 2 + 3 trashed videos.
    assert len(log.of_type(VideoPurged)) == 5 + 5
    assert len(log.of_type(ChapterPurged)) == 1 + 2
    assert [s.course.id for s in log.of_type(CoursePurged)] == ["c2"]


def test_emptying_an_empty_trash_changes_nothing() -> None:
    store, _, _ = two_courses()
    assert not apply_checked(store, EmptyTrash()).changed


def test_emptying_the_trash_with_a_trashed_course_not_yet_opened_is_refused() -> None:
    store, _, _ = two_courses()
    store.add_unloaded_course(Course("c9", "Archived", 1.0, deleted_at=2.0))
    assert_refused(store, EmptyTrash(), InvalidState, match="opened first")


def test_emptying_the_trash_passes_over_live_courses_not_yet_opened() -> None:
    store, ids, _ = two_courses()
    store.add_unloaded_course(Course("c9", "Archived", 1.0))
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    apply_checked(store, EmptyTrash())
    assert store.has_course("c9")
    assert not store.has_video(ids.video(1, 1))


def test_emptying_the_trash_undoes_and_redoes_exactly() -> None:
    store, ids, _ = two_courses()
    apply_checked(store, TrashVideos((ids.video(1, 1), ids.library_ids[0]), at=3.0))
    apply_checked(store, TrashChapter(ids.chapter(2), VideosGo.TO_TRASH, at=4.0))
    apply_checked(store, TrashChapter(ids.chapter(3), at=5.0))
    apply_checked(store, TrashCourse("c2", at=6.0))
    apply_undo_redo(store, EmptyTrash())
