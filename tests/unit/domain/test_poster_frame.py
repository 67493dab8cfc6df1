"""Poster frame: the instructor picks the moment a video's thumbnail shows; undoable."""

from __future__ import annotations

import math

import pytest
from tests.support.builders import apply_undo_redo, assert_refused, make_course

from coursedesk.domain.errors import InvalidState, NotFound
from coursedesk.domain.operations import SetPosterFrame, UpdateVideo
from coursedesk.domain.steps import VideoChanged
from coursedesk.domain.store import Store


def _course() -> tuple[Store, str]:
    store = Store()
    ids = make_course(store, chapters=1, videos_per_chapter=2, library=0)
    video_id = ids.video(1, 1)
    store.apply(UpdateVideo(video_id, {"duration_s": 12.0}))
    return store, video_id


def test_a_new_video_shows_the_picture_taken_at_import() -> None:
    store, video_id = _course()
    assert store.video(video_id).thumbnail_time_s is None


def test_choosing_a_poster_frame_is_one_undoable_change() -> None:
    store, video_id = _course()
    applied = apply_undo_redo(store, SetPosterFrame(video_id, 4.5))
    assert applied.steps == (
        VideoChanged(video_id, {"thumbnail_time_s": None}, {"thumbnail_time_s": 4.5}),
    )
    assert store.video(video_id).thumbnail_time_s == 4.5


def test_going_back_to_the_import_picture_is_undoable_too() -> None:
    store, video_id = _course()
    store.apply(SetPosterFrame(video_id, 3.0))
    apply_undo_redo(store, SetPosterFrame(video_id, None))
    assert store.video(video_id).thumbnail_time_s is None


def test_choosing_the_frame_already_chosen_changes_nothing() -> None:
    store, video_id = _course()
    store.apply(SetPosterFrame(video_id, 3.0))
    assert store.apply(SetPosterFrame(video_id, 3.0)).steps == ()


@pytest.mark.parametrize("time_s", [-1.0, math.nan, math.inf, 12.5])
def test_a_moment_outside_the_video_is_refused(time_s: float) -> None:
    store, video_id = _course()
    assert_refused(store, SetPosterFrame(video_id, time_s), InvalidState)


def test_a_poster_frame_for_an_unknown_video_is_refused() -> None:
    store, _ = _course()
    assert_refused(store, SetPosterFrame("nope", 1.0), NotFound)
