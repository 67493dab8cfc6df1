"""Two stores on one library file (two windows, each with its own ``Library``): whoever saves
last wins, the one who saved over the other's change is told once and by name, undo never
clobbers the other's change, and afterwards both stores show exactly what the file holds."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.support.sync_helpers import Writer, assert_converged
from tests.unit.persistence.library_helpers import BuiltCourse, build_course

from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    MoveVideos,
    RenameChapter,
    RenameVideo,
    ShiftVideos,
    TrashChapter,
    TrashVideos,
    new_video,
)
from coursedesk.domain.steps import Step, VideoCreated
from coursedesk.persistence.library import Library


@pytest.fixture
def course(library: Library) -> BuiltCourse:
    return build_course(library, chapters=3, videos_per_chapter=5, unassigned=2)


@pytest.fixture
def first(library: Library) -> Writer:
    return Writer(library)


@pytest.fixture
def second(open_at: Callable[..., Library], library_path: Path, course: BuiltCourse) -> Writer:
    other = open_at(library_path)
    other.open_course(course.id)
    return Writer(other)


def _video(course: BuiltCourse, chapter: int, index: int) -> str:
    return course.videos_by_chapter[course.chapter_ids[chapter]][index]


def test_renames_of_one_video_last_wins_and_the_later_writer_is_told_once(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    clip = _video(course, 0, 0)
    first.edit(RenameVideo(clip, "Welcome"))
    second.edit(RenameVideo(clip, "Hello"))

    assert first.notices == []
    assert second.notices == [
        "'Clip 1.1' was renamed to 'Welcome' in another window; your rename to 'Hello' was "
        "applied over it — Undo to restore."
    ]
    assert_converged(library_path, first.library, second.library)
    assert first.library.store.video(clip).title == "Hello"


def test_undo_after_a_conflict_restores_the_other_windows_change(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    clip = _video(course, 0, 0)
    first.edit(RenameVideo(clip, "Welcome"))
    applied = second.edit(RenameVideo(clip, "Hello"))
    assert applied is not None

    second.edit(applied.inverse)

    assert second.library.store.video(clip).title == "Welcome"
    assert_converged(library_path, first.library, second.library)
    assert len(second.notices) == 1


@pytest.mark.parametrize("looked_first", [True, False], ids=["store-updated", "store-stale"])
def test_undoing_an_edit_whose_video_was_renamed_elsewhere_is_refused(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path, looked_first: bool
) -> None:
    clip = _video(course, 1, 2)
    applied = first.edit(RenameVideo(clip, "Mine"))
    assert applied is not None
    second.library.refresh()
    second.edit(RenameVideo(clip, "Theirs"))
    if looked_first:
        first.library.refresh()

    assert first.edit(applied.inverse) is None

    assert first.notices == [
        "'Mine' was renamed to 'Theirs' in another window (That video has changed since.)"
    ]
    assert first.library.store.video(clip).title == "Theirs"
    assert_converged(library_path, first.library, second.library)


def test_moves_of_one_video_to_different_chapters_last_wins_with_one_notice(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    clip = _video(course, 0, 1)
    first.edit(MoveVideos((clip,), course.chapter_ids[1], 0))
    second.edit(MoveVideos((clip,), course.chapter_ids[2], 2))

    assert second.notices == [
        "'Clip 1.2' was moved to 'Chapter 2' in another window; your move was applied over it"
        " — Undo to restore."
    ]
    assert_converged(library_path, first.library, second.library)
    assert first.library.store.video_ids(course.chapter_ids[2])[2] == clip


def test_two_videos_moved_into_the_same_place_both_arrive_without_a_notice(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    target = course.chapter_ids[2]
    mine, theirs = _video(course, 0, 0), _video(course, 1, 0)
    first.edit(MoveVideos((mine,), target, 1))
    second.edit(MoveVideos((theirs,), target, 1))

    assert first.notices == second.notices == []
    assert_converged(library_path, first.library, second.library)
    order = list(first.library.store.video_ids(target))
    assert order[1:3] == [theirs, mine]


def test_unassigned_videos_dropped_into_one_place_in_both_windows_keep_a_clean_order(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    target = course.chapter_ids[0]
    first.edit(MoveVideos((course.library_video_ids[0],), target, 2))
    second.edit(MoveVideos((course.library_video_ids[1],), target, 2))

    assert_converged(library_path, first.library, second.library)
    assert len(first.library.store.video_ids(target)) == 7


def test_deleting_a_video_another_window_just_moved_deletes_it_from_there(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    clip = _video(course, 0, 3)
    first.edit(MoveVideos((clip,), course.chapter_ids[2], 0))
    applied = second.edit(TrashVideos((clip,)))
    assert applied is not None

    assert second.notices == [
        "'Clip 1.4' was moved to 'Chapter 3' in another window; your delete was applied over"
        " it — Undo to restore."
    ]
    assert_converged(library_path, first.library, second.library)
    second.edit(applied.inverse)
    assert second.library.store.video_ids(course.chapter_ids[2])[0] == clip
    assert_converged(library_path, first.library, second.library)


def test_moving_a_video_another_window_just_deleted_is_refused_naming_the_delete(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    clip = _video(course, 0, 3)
    first.edit(TrashVideos((clip,)))
    second.edit(MoveVideos((clip,), course.chapter_ids[2], 0))

    assert second.notices == [
        "'Clip 1.4' was moved to the Trash in another window "
        "('Clip 1.4' is in the Trash; restore it first.)"
    ]
    assert_converged(library_path, first.library, second.library)
    assert second.library.store.video(clip).deleted_at is not None


def test_a_bulk_move_racing_a_reorder_of_the_same_chapter(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    source, target = course.chapter_ids[0], course.chapter_ids[1]
    videos = course.videos_by_chapter[source]
    first.edit(ShiftVideos((videos[1], videos[3]), -1))
    second.edit(MoveVideos(videos[:4], target, 2))

    assert first.notices == []
    assert len(second.notices) == 1
    assert second.notices[0].startswith("'Clip 1.2' was moved within 'Chapter 1' in another window")
    assert "(and 1 more change)" in second.notices[0]
    assert_converged(library_path, first.library, second.library)
    # The selection keeps its order as the other window left it.
    moved = list(first.library.store.video_ids(target))[2:6]
    assert moved == [videos[1], videos[0], videos[3], videos[2]]


def test_a_reorder_racing_a_bulk_move_out_of_the_chapter(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    source, target = course.chapter_ids[0], course.chapter_ids[1]
    videos = course.videos_by_chapter[source]
    first.edit(MoveVideos(videos[:3], target, 0))
    second.edit(MoveVideos((videos[2], videos[4]), source, 0))

    assert len(second.notices) == 1
    assert_converged(library_path, first.library, second.library)
    # The moved selection keeps its order in the course as it is now: Clip 1.5 is still in
    # Chapter 1, Clip 1.3 already in Chapter 2.
    assert list(first.library.store.video_ids(source)) == [videos[4], videos[2], videos[3]]


def test_edits_of_different_videos_are_both_kept_without_a_notice(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    first.edit(RenameVideo(_video(course, 0, 0), "Welcome"))
    second.edit(RenameVideo(_video(course, 0, 1), "Gear"))
    second.edit(RenameChapter(course.chapter_ids[0], "Getting started"))
    first.edit(MoveVideos((_video(course, 2, 4),), course.chapter_ids[2], 0))

    assert first.notices == second.notices == []
    assert_converged(library_path, first.library, second.library)


def test_a_chapter_deleted_elsewhere_takes_its_videos_to_the_library_here(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    chapter = course.chapter_ids[1]
    first.edit(TrashChapter(chapter))
    second.library.refresh()

    assert second.library.store.chapter(chapter).deleted_at is not None
    assert set(course.videos_by_chapter[chapter]) <= set(
        second.library.store.library_ids(course.id)
    )
    assert_converged(library_path, first.library, second.library)


def test_other_writers_changes_arrive_as_the_same_steps_as_local_edits(
    first: Writer, second: Writer, course: BuiltCourse
) -> None:
    heard: list[Step] = []

    class Listener:
        def before(self, step: Step) -> None:
            pass

        def after(self, step: Step) -> None:
            heard.append(step)

    second.library.store.subscribe(Listener())
    chapter = course.chapter_ids[0]
    clips = tuple(new_video(course.id, f"New {i}", f"/new/{i}.mp4") for i in range(3))
    first.edit(AddVideos(clips, chapter))
    first.edit(RenameVideo(clips[0].id, "Opening"))
    first.edit(MoveVideos((clips[2].id,), chapter, 0))

    changes = second.library.refresh()

    # Rows are read as they are now: each video arrives once, renamed and in its place.
    assert [type(step) for step in heard] == [VideoCreated] * 3
    assert sorted(c.text for c in changes) == [
        "'New 1' was added",
        "'New 2' was added",
        "'Opening' was added",
    ]
    assert second.library.store.video_ids(chapter)[0] == clips[2].id


def test_a_course_made_elsewhere_arrives_with_its_content(
    first: Writer, second: Writer, library_path: Path
) -> None:
    built = build_course(first.library, title="Astronomy", chapters=2, videos_per_chapter=2)
    second.library.refresh()

    assert second.library.store.is_loaded(built.id)
    assert list(second.library.store.chapter_ids(built.id)) == list(built.chapter_ids)
    assert_converged(library_path, first.library, second.library)


def test_a_write_never_overwrites_a_row_changed_behind_the_feeds_back(
    first: Writer, course: BuiltCourse, library_path: Path
) -> None:
    clip = _video(course, 0, 0)
    # Something that does not keep the feed (an old CourseDesk, a hand edit) changes a row.
    with sqlite3.connect(library_path) as raw:
        raw.execute(
            "UPDATE videos SET title = 'Edited by hand', revision = revision + 1 WHERE id = ?",
            (clip,),
        )

    first.edit(RenameVideo(clip, "Welcome"))

    assert first.notices == [
        "'Clip 1.1' was renamed to 'Edited by hand' in another program; your rename to "
        "'Welcome' was applied over it — Undo to restore."
    ]
    assert_converged(library_path, first.library)


def test_nothing_new_costs_one_look_and_changes_nothing(first: Writer, course: BuiltCourse) -> None:
    before = first.library.store.snapshot()
    assert first.library.refresh() == []
    assert first.library.store.snapshot() == before


def test_a_new_chapter_elsewhere_lands_in_its_place(
    first: Writer, second: Writer, course: BuiltCourse, library_path: Path
) -> None:
    first.edit(AddChapter(course.id, "Bonus", 1, chapter_id="bonus"))
    second.library.refresh()
    assert list(second.library.store.chapter_ids(course.id))[1] == "bonus"
    assert_converged(library_path, first.library, second.library)
