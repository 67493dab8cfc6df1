"""The values a bulk edit makes by the hundred without their constructors are the values
their constructors make: equal, hashing alike, frozen, of the real class."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest

from coursedesk.domain.model import VIDEO_FIELDS, Video, VideoStatus, in_chapter
from coursedesk.domain.quick_values import quick_builder
from coursedesk.domain.steps import VideoMoved, video_moved


def every_field_set() -> Video:
    """A video whose every field holds a value of its own, none of them a default."""
    return Video(
        id="v1",
        course_id="c1",
        title="Aperture",
        source_path="/clips/aperture.mp4",
        created_at=1.5,
        chapter_id="ch1",
        status=VideoStatus.UPLOADED,
        error="was slow",
        size_bytes=123_456,
        duration_s=61.25,
        width=1920,
        height=1080,
        container="mp4",
        video_codec="h264",
        audio_codec="aac",
        bitrate_bps=8_000_000,
        frame_rate=29.97,
        sha1="a" * 40,
        remote_file_id="4_z_file",
        remote_name="courses/c1/videos/v1/aperture.mp4",
        notes=("High bitrate",),
        source_mtime=2.5,
        deleted_at=None,
        trash_chapter_id="ch9",
        trash_index=7,
        thumbnail_time_s=3.0,
    )


def test_every_field_of_the_sample_video_differs_from_its_default() -> None:
    video = every_field_set()
    defaults = {f.name: f.default for f in dataclasses.fields(Video)}
    unset = [
        name
        for name in VIDEO_FIELDS
        if name != "deleted_at" and getattr(video, name) == defaults[name]
    ]
    assert unset == []


@pytest.mark.parametrize("chapter_id", ["ch2", None])
def test_a_video_placed_elsewhere_is_the_video_with_only_its_chapter_changed(
    chapter_id: str | None,
) -> None:
    video = every_field_set()

    placed = in_chapter(video, chapter_id)

    expected = dataclasses.replace(video, chapter_id=chapter_id)
    assert type(placed) is Video
    assert placed == expected
    assert hash(placed) == hash(expected)
    assert [getattr(placed, name) for name in VIDEO_FIELDS] == [
        getattr(expected, name) for name in VIDEO_FIELDS
    ]
    assert video.chapter_id == "ch1"
    with pytest.raises(dataclasses.FrozenInstanceError):
        placed.title = "Shutter"  # type: ignore[misc]


def test_a_quick_move_step_is_the_step_its_constructor_makes() -> None:
    step = video_moved("v1", "c1", "ch1", 3, None, None)

    expected = VideoMoved("v1", "c1", "ch1", 3, None, None)
    assert type(step) is VideoMoved
    assert step == expected
    assert hash(step) == hash(expected)
    assert repr(step) == repr(expected)
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.to_index = 4  # type: ignore[misc]


def test_a_move_steps_inverse_swaps_where_it_comes_from_and_goes_to() -> None:
    step = VideoMoved("v1", "c1", "ch1", 3, "ch2", 0)

    back = step.inverse()

    assert back == VideoMoved("v1", "c1", "ch2", 0, "ch1", 3)
    assert type(back) is VideoMoved
    assert back.inverse() == step


@dataclass(frozen=True, slots=True)
class _Point:
    x: int
    y: int


@dataclass(frozen=True)
class _Unslotted:
    x: int


def test_a_builder_sets_every_field_from_its_expressions() -> None:
    mirrored = quick_builder(_Point, "mirrored", ("p",), {"x": "p.y", "y": "p.x"})
    assert mirrored(_Point(1, 2)) == _Point(2, 1)


def test_a_builder_must_set_every_field_of_its_class() -> None:
    with pytest.raises(TypeError, match="exactly its fields"):
        quick_builder(_Point, "half", ("x",), {"x": "x"})
    with pytest.raises(TypeError, match="exactly its fields"):
        quick_builder(_Point, "extra", ("x", "y"), {"x": "x", "y": "y", "z": "x"})


def test_a_builder_refuses_a_class_that_keeps_its_fields_outside_slots() -> None:
    with pytest.raises(TypeError, match="outside its slots"):
        quick_builder(_Unslotted, "make", ("x",), {"x": "x"})
