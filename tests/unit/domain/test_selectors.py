"""What the views read: videos in order, the library, a course's videos, search and totals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.builders import CourseIds, apply_checked, make_course, recount, video_value

from coursedesk.domain.model import TITLE_MAX_CHARS, VideosGo
from coursedesk.domain.operations import (
    AddVideos,
    MoveVideos,
    Operation,
    RenameVideo,
    RestoreChapter,
    RestoreVideos,
    ShiftVideos,
    TrashChapter,
    TrashVideos,
    UpdateVideo,
)
from coursedesk.domain.store import Store, Totals


def course() -> tuple[Store, CourseIds]:
    store = Store()
    return store, make_course(store, chapters=3, videos_per_chapter=3, library=2)


# ------------------------------------------------------------------ ordering


def test_chapter_lists_its_videos_in_order_with_their_indexes() -> None:
    store, ids = course()
    apply_checked(store, MoveVideos((ids.video(2, 3),), ids.chapter(2), 0))
    order = list(store.video_ids(ids.chapter(2)))
    assert order == [ids.video(2, 3), ids.video(2, 1), ids.video(2, 2)]
    assert [store.video_index(v) for v in order] == [0, 1, 2]
    assert store.chapter_index(ids.chapter(2)) == 1


def test_library_lists_only_live_unassigned_videos() -> None:
    store, ids = course()
    apply_checked(store, MoveVideos((ids.video(1, 1),), None))
    apply_checked(store, TrashVideos((ids.library_ids[0],)))
    assert set(store.library_ids(ids.course_id)) == {ids.library_ids[1], ids.video(1, 1)}
    assert store.video_index(ids.video(1, 1)) is None


def test_course_lists_its_live_videos_chapter_by_chapter_then_the_library() -> None:
    store, ids = course()
    make_course(store, course_id="c2", chapters=1, videos_per_chapter=2, library=1)
    apply_checked(store, TrashVideos((ids.video(2, 2),)))
    listed = list(store.course_video_ids(ids.course_id))
    in_chapters = [*ids.videos_of(1), ids.video(2, 1), ids.video(2, 3), *ids.videos_of(3)]
    assert listed[: len(in_chapters)] == in_chapters
    assert set(listed[len(in_chapters) :]) == set(ids.library_ids)
    assert set(store.live_video_ids(ids.course_id)) == set(listed)


def test_chapter_in_the_trash_has_no_index_and_no_videos() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(1)))
    assert store.chapter_index(ids.chapter(1)) is None
    assert list(store.video_ids(ids.chapter(1))) == []
    assert store.chapter_index(ids.chapter(2)) == 0


# ------------------------------------------------------------------ search


@pytest.mark.parametrize("query", ["eclair", "Eclair", "ÉCLAIR", "éclair", " clai "])
def test_search_ignores_case_and_accents(query: str) -> None:
    store, ids = course()
    titles = {"a": "Éclair au chocolat", "b": "ÉCLAIR", "c": "Les éclairs", "d": "Croissant"}
    apply_checked(
        store,
        AddVideos(tuple(video_value(ids.course_id, t, video_id=k) for k, t in titles.items())),
    )
    assert sorted(store.search(ids.course_id, query)) == ["a", "b", "c"]


def test_search_finds_nothing_when_no_title_matches() -> None:
    store, ids = course()
    assert store.search(ids.course_id, "eclair") == []


def test_search_finds_a_renamed_video_under_its_new_title_only() -> None:
    store, ids = course()
    apply_checked(store, RenameVideo(ids.video(1, 1), "Crème brûlée"))
    assert store.search(ids.course_id, "creme brulee") == [ids.video(1, 1)]
    assert ids.video(1, 1) not in store.search(ids.course_id, "Video 1.1")


def test_search_leaves_out_videos_in_the_trash_and_other_courses() -> None:
    store, ids = course()
    other = make_course(store, course_id="c2", chapters=1, videos_per_chapter=3, library=0)
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    found = store.search(ids.course_id, "video 1.")
    assert sorted(found) == [ids.video(1, 2), ids.video(1, 3)]
    assert not set(found) & set(other.videos_of(1))


def test_empty_search_lists_every_live_video_of_the_course() -> None:
    store, ids = course()
    assert set(store.search(ids.course_id, "  ")) == set(store.live_video_ids(ids.course_id))


@settings(max_examples=200, deadline=None)
@given(
    title=st.text(min_size=1, max_size=40).filter(
        lambda t: t.strip() and len(t.strip()) <= TITLE_MAX_CHARS
    ),
    data=st.data(),
)
def test_any_part_of_a_title_finds_the_video_in_any_case(title: str, data: st.DataObject) -> None:
    store, ids = course()
    apply_checked(store, AddVideos((video_value(ids.course_id, title, video_id="x"),)))
    stored = store.video("x").title
    start = data.draw(st.integers(0, len(stored) - 1))
    end = data.draw(st.integers(start + 1, len(stored)))
    part = stored[start:end]
    assert "x" in store.search(ids.course_id, part)
    assert "x" in store.search(ids.course_id, part.upper())


# ------------------------------------------------------------------ totals


def assert_totals_match_a_recount(store: Store, ids: CourseIds) -> None:
    for chapter_id in store.chapter_ids(ids.course_id):
        assert store.chapter_totals(chapter_id) == recount(store, store.video_ids(chapter_id))
    assert store.library_totals(ids.course_id) == recount(store, store.library_ids(ids.course_id))
    assert store.course_totals(ids.course_id) == recount(store, store.live_video_ids(ids.course_id))


def test_totals_count_duration_and_size_per_chapter_library_and_course() -> None:
    store, ids = course()
    assert store.chapter_totals(ids.chapter(1)) == Totals(3, 61.25 + 62.25 + 63.25, 3_006_000)
    assert store.library_totals(ids.course_id) == Totals(2, 10.5 + 21.0, 1_500)
    assert store.course_totals(ids.course_id).count == 11
    assert_totals_match_a_recount(store, ids)


def test_totals_follow_moves_trash_restore_and_technical_updates() -> None:
    store, ids = course()
    edits: list[Operation] = [
        MoveVideos((ids.video(1, 1), ids.library_ids[0]), ids.chapter(2), 1),
        MoveVideos((ids.video(3, 2),), None),
        ShiftVideos((ids.video(2, 3),), -1),
        TrashVideos((ids.video(2, 2), ids.library_ids[1])),
        TrashChapter(ids.chapter(3), VideosGo.TO_TRASH),
        UpdateVideo(ids.video(1, 2), {"duration_s": 3_600.125, "size_bytes": 7}),
        UpdateVideo(ids.video(3, 2), {"duration_s": None, "size_bytes": None}),
        RestoreVideos((ids.video(2, 2),)),
        RestoreChapter(ids.chapter(3)),
        RestoreVideos((ids.library_ids[1],)),
    ]
    for edit in edits:
        applied = apply_checked(store, edit)
        assert_totals_match_a_recount(store, ids)
        apply_checked(store, applied.inverse)
        assert_totals_match_a_recount(store, ids)
        apply_checked(store, edit)
        assert_totals_match_a_recount(store, ids)


def test_updating_a_duration_changes_its_chapter_and_course_totals_by_the_difference() -> None:
    store, ids = course()
    chapter_before = store.chapter_totals(ids.chapter(1))
    course_before = store.course_totals(ids.course_id)
    apply_checked(store, UpdateVideo(ids.video(1, 1), {"duration_s": 100.25}))
    assert store.chapter_totals(ids.chapter(1)).duration_s == chapter_before.duration_s + 39.0
    assert store.course_totals(ids.course_id).duration_s == course_before.duration_s + 39.0


def test_videos_not_yet_probed_count_but_add_no_duration_or_size() -> None:
    store, ids = course()
    apply_checked(store, AddVideos((video_value(ids.course_id, "raw", video_id="raw"),)))
    assert store.library_totals(ids.course_id) == Totals(3, 31.5, 1_500)


def test_many_short_durations_add_up_without_drift() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=0, library=0)
    clips = tuple(
        video_value(ids.course_id, f"c{i}", video_id=f"c{i}", duration_s=0.1) for i in range(30)
    )
    apply_checked(store, AddVideos(clips, ids.chapter(1)))
    assert store.chapter_totals(ids.chapter(1)).duration_s == 3.0
    apply_checked(store, TrashVideos(tuple(f"c{i}" for i in range(29))))
    assert store.chapter_totals(ids.chapter(1)).duration_s == 0.1


def test_empty_chapter_totals_are_zero() -> None:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=0, library=0)
    assert store.chapter_totals(ids.chapter(1)) == Totals(0, 0.0, 0)
