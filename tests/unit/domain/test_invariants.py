"""``check_invariants`` notices a broken store.

These tests break the store's private structures on purpose, since no operation can."""

from __future__ import annotations

import dataclasses

import pytest
from tests.support.builders import CourseIds, make_course

from coursedesk.domain.errors import InvariantViolation
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import TrashVideos
from coursedesk.domain.store import Store


def course() -> tuple[Store, CourseIds]:
    store = Store()
    return store, make_course(store, chapters=2, videos_per_chapter=3, library=1)


def test_a_store_built_by_operations_keeps_its_invariants() -> None:
    store, ids = course()
    store.apply(TrashVideos((ids.video(1, 1),)))
    check_invariants(store)


def test_a_video_listed_in_two_chapters_is_caught() -> None:
    store, ids = course()
    store._chapter_videos[ids.chapter(2)].append(ids.video(1, 1))
    with pytest.raises(InvariantViolation, match="two places"):
        check_invariants(store)


def test_a_video_listed_twice_in_one_chapter_is_caught() -> None:
    store, ids = course()
    store._chapter_videos[ids.chapter(1)].append(ids.video(1, 1))
    with pytest.raises(InvariantViolation):
        check_invariants(store)


def test_a_trashed_video_still_in_its_chapter_is_caught() -> None:
    store, ids = course()
    vid = ids.video(1, 2)
    store._videos[vid] = dataclasses.replace(store.video(vid), deleted_at=1.0)
    with pytest.raises(InvariantViolation, match="not live"):
        check_invariants(store)


def test_a_video_that_is_nowhere_is_caught() -> None:
    store, ids = course()
    del store._chapter_videos[ids.chapter(1)][0]
    with pytest.raises(InvariantViolation, match="nowhere"):
        check_invariants(store)


def test_a_video_both_in_a_chapter_and_the_library_is_caught() -> None:
    store, ids = course()
    store._library[ids.course_id][ids.video(1, 1)] = None
    with pytest.raises(InvariantViolation):
        check_invariants(store)


def test_stale_chapter_totals_are_caught() -> None:
    store, ids = course()
    store._chapter_tally[ids.chapter(1)].size_bytes += 1
    with pytest.raises(InvariantViolation, match="totals"):
        check_invariants(store)


def test_stale_library_totals_are_caught() -> None:
    store, ids = course()
    store._library_tally[ids.course_id].count += 1
    with pytest.raises(InvariantViolation, match="library totals"):
        check_invariants(store)


def test_a_search_index_behind_a_title_is_caught() -> None:
    store, ids = course()
    store._folded_titles[ids.video(1, 1)] = "something else"
    with pytest.raises(InvariantViolation, match="old title"):
        check_invariants(store)


def test_a_live_video_missing_from_the_course_list_is_caught() -> None:
    store, ids = course()
    del store._live[ids.course_id][ids.video(2, 3)]
    with pytest.raises(InvariantViolation, match="live videos"):
        check_invariants(store)


def test_a_live_chapter_remembering_a_trash_position_is_caught() -> None:
    store, ids = course()
    chapter = store.chapter(ids.chapter(1))
    store._chapters[chapter.id] = dataclasses.replace(chapter, trash_index=0)
    with pytest.raises(InvariantViolation, match="Trash position"):
        check_invariants(store)
