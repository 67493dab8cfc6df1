"""``write_pictures``: the thumbnail and the storyboard from one pass over the file are the
very pictures the two separate functions make."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.support.clips import make_clip, read_picture

from coursedesk.media import (
    CorruptVideo,
    NotAVideo,
    write_pictures,
    write_storyboard,
    write_thumbnail,
)


def assert_same_pictures(video: Path, folder: Path, count: int = 10) -> None:
    thumbnail, board = write_pictures(
        video, folder / "one.jpg", folder / "one.storyboard.png", count=count
    )
    alone = write_thumbnail(video, folder / "alone.jpg")
    alone_board = write_storyboard(video, folder / "alone.storyboard.png", count=count)
    assert (thumbnail.width, thumbnail.height, thumbnail.at_s) == (
        alone.width,
        alone.height,
        alone.at_s,
    )
    assert (folder / "one.jpg").read_bytes() == (folder / "alone.jpg").read_bytes()
    assert board.times_s == alone_board.times_s
    assert (board.tile_width, board.tile_height) == (
        alone_board.tile_width,
        alone_board.tile_height,
    )
    assert board.image == alone_board.image
    assert read_picture(folder / "one.storyboard.png") == read_picture(
        folder / "alone.storyboard.png"
    )


@pytest.mark.parametrize("keyframe_interval", [None, 5, 25])
def test_one_pass_makes_the_same_pictures_as_two(
    tmp_path: Path, keyframe_interval: int | None
) -> None:
    video = make_clip(tmp_path / "clip.mp4", seconds=3.0, keyframe_interval=keyframe_interval)
    assert_same_pictures(video, tmp_path)


def test_one_pass_skips_a_black_fade_in_as_the_thumbnail_does(tmp_path: Path) -> None:
    video = make_clip(tmp_path / "fade.mp4", seconds=4.0, black_until_s=1.2, keyframe_interval=10)
    assert_same_pictures(video, tmp_path)


def test_one_pass_of_a_portrait_video(tmp_path: Path) -> None:
    video = make_clip(tmp_path / "portrait.mkv", seconds=2.0, rotation_deg=90)
    assert_same_pictures(video, tmp_path, count=4)


def test_one_pass_refuses_what_the_separate_functions_refuse(tmp_path: Path) -> None:
    document = tmp_path / "notes.mp4"
    document.write_bytes(b"not a video at all" * 100)
    with pytest.raises((CorruptVideo, NotAVideo)):
        write_pictures(document, tmp_path / "t.jpg", tmp_path / "s.jpg")
    assert not (tmp_path / "t.jpg").exists() and not (tmp_path / "s.jpg").exists()
    with pytest.raises(ValueError, match="at least one picture"):
        write_pictures(document, tmp_path / "t.jpg", tmp_path / "s.jpg", count=0)
