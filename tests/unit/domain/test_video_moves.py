"""Moving videos: within a chapter, between chapters, to and from the library, and one place
up or down. A selection moves as one block and keeps its order in the course."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.support.builders import (
    CourseIds,
    apply_checked,
    apply_undo_redo,
    assert_refused,
    make_course,
    video_titles,
)
from tests.support.mirror import EventLog, StoreMirror

from coursedesk.domain.errors import InvalidState, MoveRefused, NotFound
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.operations import (
    MoveVideos,
    ShiftVideos,
    TrashChapter,
    TrashVideos,
    UpdateVideo,
)
from coursedesk.domain.steps import VideoMoved
from coursedesk.domain.store import Store


def course(
    chapters: int = 3, videos_per_chapter: int = 5, library: int = 2
) -> tuple[Store, CourseIds]:
    store = Store()
    return store, make_course(
        store, chapters=chapters, videos_per_chapter=videos_per_chapter, library=library
    )


def numbers(store: Store, chapter_id: str) -> list[str]:
    """A chapter's videos by their "n.m" numbers, e.g. ["1.2", "1.1", "1.3"]."""
    return [title.removeprefix("Video ") for title in video_titles(store, chapter_id)]


# ------------------------------------------------------------------ within a chapter


@pytest.mark.parametrize(
    ("number", "index", "expected"),
    [
        (2, 4, ["1.1", "1.3", "1.4", "1.2", "1.5"]),
        (2, 5, ["1.1", "1.3", "1.4", "1.5", "1.2"]),
        (2, None, ["1.1", "1.3", "1.4", "1.5", "1.2"]),
        (4, 0, ["1.4", "1.1", "1.2", "1.3", "1.5"]),
        (4, 1, ["1.1", "1.4", "1.2", "1.3", "1.5"]),
        (5, 0, ["1.5", "1.1", "1.2", "1.3", "1.4"]),
        (1, 5, ["1.2", "1.3", "1.4", "1.5", "1.1"]),
    ],
)
def test_moved_video_lands_before_the_video_at_the_index(
    number: int, index: int | None, expected: list[str]
) -> None:
    store, ids = course()
    apply_checked(store, MoveVideos((ids.video(1, number),), ids.chapter(1), index))
    assert numbers(store, ids.chapter(1)) == expected


def test_moving_last_video_to_the_top_leaves_chapter_dense() -> None:
    store, ids = course()
    apply_checked(store, MoveVideos((ids.video(1, 5),), ids.chapter(1), 0))
    order = store.video_ids(ids.chapter(1))
    assert [store.video_index(vid) for vid in order] == [0, 1, 2, 3, 4]
    assert len(set(order)) == 5


@pytest.mark.parametrize("index", [1, 2])
def test_moving_a_video_onto_its_own_place_announces_nothing(index: int) -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    assert not apply_checked(store, MoveVideos((ids.video(1, 2),), ids.chapter(1), index)).changed
    assert log.calls == []


def test_moving_one_video_announces_one_move_with_its_old_and_new_index() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, MoveVideos((ids.video(1, 2),), ids.chapter(1), 4))
    assert log.steps == [
        VideoMoved(ids.video(1, 2), ids.course_id, ids.chapter(1), 1, ids.chapter(1), 3)
    ]


def test_contiguous_selection_moves_as_one_block() -> None:
    store, ids = course()
    selection = (ids.video(1, 2), ids.video(1, 3))
    apply_checked(store, MoveVideos(selection, ids.chapter(1), 5))
    assert numbers(store, ids.chapter(1)) == ["1.1", "1.4", "1.5", "1.2", "1.3"]


def test_scattered_selection_is_gathered_in_its_course_order() -> None:
    store, ids = course()
    selection = (ids.video(1, 1), ids.video(1, 3), ids.video(1, 5))
    apply_checked(store, MoveVideos(selection, ids.chapter(1), 2))
    assert numbers(store, ids.chapter(1)) == ["1.2", "1.1", "1.3", "1.5", "1.4"]


def test_selection_keeps_its_course_order_whatever_order_the_ids_come_in() -> None:
    store, ids = course()
    clicked = (ids.video(1, 5), ids.video(1, 1), ids.video(1, 3))
    apply_checked(store, MoveVideos(clicked, ids.chapter(1), 0))
    assert numbers(store, ids.chapter(1)) == ["1.1", "1.3", "1.5", "1.2", "1.4"]


def test_a_video_selected_twice_moves_once() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, MoveVideos((ids.video(1, 1), ids.video(1, 1)), ids.chapter(1), 5))
    assert numbers(store, ids.chapter(1)) == ["1.2", "1.3", "1.4", "1.5", "1.1"]
    assert len(log.steps) == 1


def test_moving_a_selection_onto_its_own_place_announces_nothing() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    selection = (ids.video(1, 3), ids.video(1, 2))
    assert not apply_checked(store, MoveVideos(selection, ids.chapter(1), 3)).changed
    assert log.calls == []


def test_bulk_move_announces_at_most_one_move_per_video() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    selection = (ids.video(1, 5), ids.video(2, 1), ids.video(1, 1), ids.library_ids[0])
    apply_checked(store, MoveVideos(selection, ids.chapter(1), 2))
    assert 0 < len(log.steps) <= len(selection)
    assert all(isinstance(s, VideoMoved) for s in log.steps)


# ------------------------------------------------------------------ between chapters


def test_video_moved_to_another_chapter_lands_at_the_position_and_leaves_its_chapter_dense() -> (
    None
):
    store, ids = course()
    apply_checked(store, MoveVideos((ids.video(1, 2),), ids.chapter(2), 1))
    assert numbers(store, ids.chapter(1)) == ["1.1", "1.3", "1.4", "1.5"]
    assert numbers(store, ids.chapter(2)) == ["2.1", "1.2", "2.2", "2.3", "2.4", "2.5"]
    assert store.video(ids.video(1, 2)).chapter_id == ids.chapter(2)


def test_video_moved_to_another_chapter_without_a_position_goes_to_the_end() -> None:
    store, ids = course()
    apply_checked(store, MoveVideos((ids.video(1, 2),), ids.chapter(2)))
    assert numbers(store, ids.chapter(2))[-1] == "1.2"


def test_video_moved_into_an_empty_chapter_is_its_only_video() -> None:
    store, ids = course()
    apply_checked(store, MoveVideos(tuple(ids.videos_of(3)), ids.chapter(2), 0))
    apply_checked(store, MoveVideos((ids.video(1, 4),), ids.chapter(3), 0))
    assert numbers(store, ids.chapter(3)) == ["1.4"]


def test_selection_from_several_chapters_lands_in_chapter_order() -> None:
    store, ids = course()
    clicked = (ids.video(3, 1), ids.video(1, 4), ids.video(2, 2))
    apply_checked(store, MoveVideos(clicked, ids.chapter(2), 0))
    assert numbers(store, ids.chapter(2)) == ["1.4", "2.2", "3.1", "2.1", "2.3", "2.4", "2.5"]


def test_moving_to_another_chapter_announces_one_move_with_both_indexes() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, MoveVideos((ids.video(1, 2),), ids.chapter(2), 3))
    assert log.steps == [
        VideoMoved(ids.video(1, 2), ids.course_id, ids.chapter(1), 1, ids.chapter(2), 3)
    ]


# ------------------------------------------------------------------ the library


def test_unassigned_video_moved_into_a_chapter_leaves_the_library() -> None:
    store, ids = course()
    apply_checked(store, MoveVideos((ids.library_ids[1],), ids.chapter(1), 0))
    assert store.video_ids(ids.chapter(1))[0] == ids.library_ids[1]
    assert list(store.library_ids(ids.course_id)) == [ids.library_ids[0]]


def test_unassigning_videos_puts_them_in_the_library_and_closes_the_gaps() -> None:
    store, ids = course()
    apply_checked(store, MoveVideos((ids.video(1, 2), ids.video(2, 5)), None))
    assert numbers(store, ids.chapter(1)) == ["1.1", "1.3", "1.4", "1.5"]
    assert numbers(store, ids.chapter(2)) == ["2.1", "2.2", "2.3", "2.4"]
    assert set(store.library_ids(ids.course_id)) == {
        *ids.library_ids,
        ids.video(1, 2),
        ids.video(2, 5),
    }
    assert store.video(ids.video(1, 2)).chapter_id is None


def test_unassigning_a_video_already_in_the_library_announces_nothing() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    assert not apply_checked(store, MoveVideos((ids.library_ids[0],), None)).changed
    assert log.calls == []


def test_selection_with_unassigned_videos_puts_them_after_the_chapters_videos() -> None:
    store, ids = course()
    clicked = (ids.library_ids[0], ids.video(2, 2))
    apply_checked(store, MoveVideos(clicked, ids.chapter(1), 0))
    assert list(store.video_ids(ids.chapter(1)))[:2] == [ids.video(2, 2), ids.library_ids[0]]


# ------------------------------------------------------------------ refusals


def test_moving_into_a_chapter_of_another_course_is_refused() -> None:
    store, ids = course()
    other = make_course(store, course_id="c2", chapters=1, videos_per_chapter=2, library=0)
    error = assert_refused(store, MoveVideos((ids.video(1, 1),), other.chapter(1), 0), MoveRefused)
    assert "Video 1.1" in str(error)


def test_moving_a_mixed_selection_into_either_course_is_refused() -> None:
    store, ids = course()
    other = make_course(store, course_id="c2", chapters=1, videos_per_chapter=2, library=0)
    selection = (ids.video(1, 1), other.video(1, 1))
    assert_refused(store, MoveVideos(selection, ids.chapter(2)), MoveRefused)
    assert_refused(store, MoveVideos(selection, other.chapter(1)), MoveRefused)
    assert_refused(store, MoveVideos(selection, None), MoveRefused)


def test_moving_a_video_in_the_trash_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    selection = (ids.video(1, 2), ids.video(1, 1))
    assert_refused(store, MoveVideos(selection, ids.chapter(2), 0), MoveRefused, match="Trash")
    assert_refused(store, MoveVideos(selection, None), MoveRefused)


def test_moving_into_a_chapter_in_the_trash_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashChapter(ids.chapter(3)))
    assert_refused(store, MoveVideos((ids.video(1, 1),), ids.chapter(3)), MoveRefused)


@pytest.mark.parametrize("index", [-1, 6])
def test_moving_to_a_position_that_does_not_exist_is_refused(index: int) -> None:
    store, ids = course()
    assert_refused(store, MoveVideos((ids.video(2, 1),), ids.chapter(1), index), InvalidState)


def test_moving_to_a_position_in_the_library_is_refused() -> None:
    store, ids = course()
    assert_refused(store, MoveVideos((ids.video(1, 1),), None, 0), InvalidState)


def test_moving_missing_videos_or_into_a_missing_chapter_is_refused() -> None:
    store, ids = course()
    assert_refused(store, MoveVideos((ids.video(1, 1), "nope"), ids.chapter(2)), NotFound)
    assert_refused(store, MoveVideos(("nope",), None), NotFound)
    assert_refused(store, MoveVideos((ids.video(1, 1),), "nope"), NotFound)


# ------------------------------------------------------------------ one place up or down


@pytest.mark.parametrize(
    ("selected", "step", "expected"),
    [
        ((3,), -1, ["1.1", "1.3", "1.2", "1.4", "1.5"]),
        ((3,), +1, ["1.1", "1.2", "1.4", "1.3", "1.5"]),
        ((1,), -1, ["1.1", "1.2", "1.3", "1.4", "1.5"]),
        ((5,), +1, ["1.1", "1.2", "1.3", "1.4", "1.5"]),
        ((2, 3), -1, ["1.2", "1.3", "1.1", "1.4", "1.5"]),
        ((2, 4), +1, ["1.1", "1.3", "1.2", "1.5", "1.4"]),
        ((1, 2, 4), -1, ["1.1", "1.2", "1.4", "1.3", "1.5"]),
        ((4, 5, 2), +1, ["1.1", "1.3", "1.2", "1.4", "1.5"]),
    ],
    ids=[
        "up",
        "down",
        "top blocked",
        "bottom blocked",
        "block up",
        "scattered down",
        "blocked block up, rest moves",
        "blocked block down, rest moves",
    ],
)
def test_shifting_moves_each_video_one_place_unless_an_edge_blocks_it(
    selected: tuple[int, ...], step: int, expected: list[str]
) -> None:
    store, ids = course()
    apply_checked(store, ShiftVideos(tuple(ids.video(1, n) for n in selected), step))
    assert numbers(store, ids.chapter(1)) == expected


def test_shifting_announces_one_move_per_video_that_moves() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    apply_checked(store, ShiftVideos((ids.video(1, 1), ids.video(1, 3), ids.video(1, 4)), -1))
    moves = [(s.from_index, s.to_index) for s in log.of_type(VideoMoved)]
    assert moves == [(2, 1), (3, 2)]
    assert len(log.steps) == 2


def test_shifting_a_video_against_the_edge_announces_nothing() -> None:
    store, ids = course()
    log = EventLog()
    store.subscribe(log)
    assert not apply_checked(store, ShiftVideos((ids.video(1, 1),), -1)).changed
    assert log.calls == []


def test_shifting_works_in_each_chapter_of_the_selection_and_ignores_the_library() -> None:
    store, ids = course()
    selection = (ids.video(1, 2), ids.video(2, 5), ids.library_ids[0])
    apply_checked(store, ShiftVideos(selection, -1))
    assert numbers(store, ids.chapter(1)) == ["1.2", "1.1", "1.3", "1.4", "1.5"]
    assert numbers(store, ids.chapter(2)) == ["2.1", "2.2", "2.3", "2.5", "2.4"]
    assert set(store.library_ids(ids.course_id)) == set(ids.library_ids)


@pytest.mark.parametrize("step", [0, 2, -2])
def test_shifting_by_other_than_one_place_is_refused(step: int) -> None:
    store, ids = course()
    assert_refused(store, ShiftVideos((ids.video(1, 2),), step), InvalidState)


def test_shifting_a_video_in_the_trash_or_a_missing_one_is_refused() -> None:
    store, ids = course()
    apply_checked(store, TrashVideos((ids.video(1, 1),)))
    assert_refused(store, ShiftVideos((ids.video(1, 3), ids.video(1, 1)), -1), MoveRefused)
    assert_refused(store, ShiftVideos((ids.video(1, 3), "nope"), 1), NotFound)


# ------------------------------------------------------------------ undo


@pytest.mark.parametrize(
    ("selected", "target", "index"),
    [
        (((1, 2),), 1, 4),
        (((1, 5), (1, 1), (1, 3)), 1, 2),
        (((3, 1), (1, 4), (2, 2)), 2, 0),
        (((1, 2), (2, 5)), None, None),
        (((2, 2),), 3, None),
    ],
    ids=["one within", "scattered within", "across chapters", "unassign", "to the end"],
)
def test_moves_undo_and_redo_exactly(
    selected: tuple[tuple[int, int], ...], target: int | None, index: int | None
) -> None:
    store, ids = course()
    chapter = None if target is None else ids.chapter(target)
    apply_undo_redo(store, MoveVideos(tuple(ids.video(c, v) for c, v in selected), chapter, index))


@pytest.mark.parametrize("step", [-1, 1])
def test_shifts_undo_and_redo_exactly(step: int) -> None:
    store, ids = course()
    selection = (ids.video(1, 1), ids.video(1, 3), ids.video(1, 5), ids.video(2, 2))
    apply_undo_redo(store, ShiftVideos(selection, step))


# ------------------------------------------------------------------ against a plain model


def expected_move(
    store: Store, course_id: str, selection: Sequence[str], target: str | None, index: int | None
) -> tuple[dict[str, list[str]], set[str]]:
    """Chapter orders and library after the move, worked out the obvious (slow) way."""
    chapters = {cid: list(store.video_ids(cid)) for cid in store.chapter_ids(course_id)}
    library = set(store.library_ids(course_id))
    chosen = list(dict.fromkeys(selection))
    position = {
        vid: (c, i) for c, cid in enumerate(chapters) for i, vid in enumerate(chapters[cid])
    }
    block = sorted(chosen, key=lambda vid: position.get(vid, (len(chapters), chosen.index(vid))))
    if target is None:
        for cid in chapters:
            chapters[cid] = [v for v in chapters[cid] if v not in chosen]
        return chapters, library | set(chosen)
    point = len(chapters[target]) if index is None else index
    head = [v for v in chapters[target][:point] if v not in chosen]
    tail = [v for v in chapters[target][point:] if v not in chosen]
    for cid in chapters:
        chapters[cid] = [v for v in chapters[cid] if v not in chosen]
    chapters[target] = head + block + tail
    return chapters, library - set(chosen)


def expected_shift(order: list[str], selected: set[str], step: int) -> list[str]:
    result = list(order) if step < 0 else list(reversed(order))
    for i in range(1, len(result)):
        if result[i] in selected and result[i - 1] not in selected:
            result[i - 1], result[i] = result[i], result[i - 1]
    return result if step < 0 else list(reversed(result))


def shapes() -> st.SearchStrategy[tuple[list[int], int]]:
    return st.tuples(st.lists(st.integers(0, 5), min_size=1, max_size=4), st.integers(0, 3))


def build(chapter_sizes: Iterable[int], library: int) -> tuple[Store, list[str], list[str]]:
    """A course with chapters of the given sizes; returns the store, chapter ids, video ids."""
    store = Store()
    sizes = list(chapter_sizes)
    ids = make_course(store, chapters=len(sizes), videos_per_chapter=max(sizes), library=library)
    for chapter_id, size in zip(ids.chapter_ids, sizes, strict=True):
        surplus = ids.videos[chapter_id][size:]
        if surplus:
            store.apply(TrashVideos(surplus))
    videos = [v for cid in ids.chapter_ids for v in store.video_ids(cid)] + list(ids.library_ids)
    return store, list(ids.chapter_ids), videos


@settings(max_examples=150, deadline=None)
@given(shape=shapes(), data=st.data())
def test_any_move_matches_the_plain_model_and_undoes_exactly(
    shape: tuple[list[int], int], data: st.DataObject
) -> None:
    store, chapter_ids, videos = build(*shape)
    if not videos:
        return
    selection = data.draw(st.lists(st.sampled_from(videos), min_size=1, max_size=6))
    target = data.draw(st.sampled_from([None, *chapter_ids]))
    index = None
    if target is not None:
        index = data.draw(st.none() | st.integers(0, len(store.video_ids(target))))
    chapters, library = expected_move(store, "c1", selection, target, index)
    mirror = StoreMirror(store)
    log = EventLog()
    store.subscribe(mirror)
    store.subscribe(log)
    before = store.snapshot()

    applied = store.apply(MoveVideos(tuple(selection), target, index))

    check_invariants(store)
    assert {cid: list(store.video_ids(cid)) for cid in chapter_ids} == chapters
    assert set(store.library_ids("c1")) == library
    assert len(log.steps) <= len(set(selection))
    mirror.assert_matches(store)
    store.apply(applied.inverse)
    assert store.snapshot() == before
    mirror.assert_matches(store)


@settings(max_examples=100, deadline=None)
@given(shape=shapes(), step=st.sampled_from([-1, 1]), data=st.data())
def test_any_shift_matches_the_plain_model(
    shape: tuple[list[int], int], step: int, data: st.DataObject
) -> None:
    store, chapter_ids, videos = build(*shape)
    if not videos:
        return
    selection = data.draw(st.lists(st.sampled_from(videos), min_size=1, max_size=6))
    expected = {
        cid: expected_shift(list(store.video_ids(cid)), set(selection), step) for cid in chapter_ids
    }
    mirror = StoreMirror(store)
    store.subscribe(mirror)

    store.apply(ShiftVideos(tuple(selection), step))

    check_invariants(store)
    assert {cid: list(store.video_ids(cid)) for cid in chapter_ids} == expected
    mirror.assert_matches(store)


def test_a_moved_video_keeps_every_field_but_its_chapter() -> None:
    store, ids = course()
    video_id = ids.video(1, 2)
    store.apply(UpdateVideo(video_id, {"width": 1920, "height": 1080, "notes": ("No audio",)}))
    before = store.video(video_id)
    apply_checked(store, MoveVideos((video_id,), ids.chapter(3), 1))
    after = store.video(video_id)
    assert after.chapter_id == ids.chapter(3)
    assert after == dataclasses.replace(before, chapter_id=ids.chapter(3))
    assert hash(after) == hash(dataclasses.replace(before, chapter_id=ids.chapter(3)))
    apply_checked(store, MoveVideos((video_id,), None))
    assert store.video(video_id) == dataclasses.replace(before, chapter_id=None)


@pytest.mark.parametrize(("target", "index"), [(2, 0), (2, 7), (2, None), (4, 3), (None, None)])
def test_a_bulk_move_from_many_places_matches_the_plain_model_and_undoes_exactly(
    target: int | None, index: int | None
) -> None:
    store, ids = course(chapters=5, videos_per_chapter=12, library=6)
    # Runs and single videos from every chapter (the target's own among them), scattered
    # library videos, in an order of their own.
    selection = [
        *ids.videos_of(1)[2:9],
        ids.video(2, 1),
        *ids.videos_of(2)[4:11],
        *ids.videos_of(3),
        ids.library_ids[4],
        *ids.videos_of(4)[::3],
        ids.library_ids[1],
        *ids.videos_of(5)[5:],
    ][::-1]
    chapter_id = None if target is None else ids.chapter(target)
    chapters, library = expected_move(store, "c1", selection, chapter_id, index)
    mirror = StoreMirror(store)
    store.subscribe(mirror)
    before = store.snapshot()

    applied = store.apply(MoveVideos(tuple(selection), chapter_id, index))

    check_invariants(store)
    assert {cid: list(store.video_ids(cid)) for cid in ids.chapter_ids} == chapters
    assert set(store.library_ids("c1")) == library
    mirror.assert_matches(store)
    redo = store.apply(applied.inverse).inverse
    assert store.snapshot() == before
    store.apply(redo)
    assert {cid: list(store.video_ids(cid)) for cid in ids.chapter_ids} == chapters
    mirror.assert_matches(store)


class _Meddler:
    """A listener that moves one video elsewhere after the first step it hears."""

    def __init__(self, store: Store, video_id: str, chapter_id: str) -> None:
        self.store = store
        self.move = MoveVideos((video_id,), chapter_id, 0)
        self.done = False

    def before(self, step: object) -> None:
        pass

    def after(self, step: object) -> None:
        if not self.done:
            self.done = True
            self.store.apply(self.move)


def test_an_undo_changed_under_it_half_way_is_refused_rather_than_misapplied() -> None:
    store, ids = course(chapters=3, videos_per_chapter=10, library=0)
    applied = store.apply(MoveVideos(tuple(ids.videos_of(1)), ids.chapter(2), 0))
    # The undo moves video 1.10 back first and video 1.1 last; 1.1 goes elsewhere between.
    store.subscribe(_Meddler(store, ids.video(1, 1), ids.chapter(3)))

    with pytest.raises(InvalidState, match="moved since"):
        store.apply(applied.inverse)

    check_invariants(store)
    assert store.video(ids.video(1, 1)).chapter_id == ids.chapter(3)
    assert store.video_ids(ids.chapter(3))[0] == ids.video(1, 1)


def test_an_undo_after_other_changes_keeps_those_changes() -> None:
    store, ids = course(chapters=3, videos_per_chapter=10, library=0)
    moving = tuple(ids.videos_of(1)[:6])
    applied = store.apply(MoveVideos(moving, ids.chapter(2), 0))
    store.apply(UpdateVideo(moving[3], {"width": 1280, "height": 720}))

    store.apply(applied.inverse)

    assert store.video_ids(ids.chapter(1))[:6] == list(moving)
    assert (store.video(moving[3]).width, store.video(moving[3]).height) == (1280, 720)
    check_invariants(store)
