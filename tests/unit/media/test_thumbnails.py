"""Thumbnails and storyboards: the pictures the media library shows for each video."""

from pathlib import Path

import pytest
from tests.support import clips

from coursedesk.media import (
    RgbImage,
    grab_storyboard,
    grab_thumbnail,
    write_storyboard,
    write_thumbnail,
)

FRAME_S = 1 / 25


def rotated_counter_clockwise(image: RgbImage) -> RgbImage:
    """What a player shows for a frame stored with a 90° (counter-clockwise) rotation flag."""
    width, height = image.height, image.width
    rows = []
    for y in range(height):
        source_x = image.width - 1 - y
        rows.append(
            b"".join(
                image.data[(x * image.width + source_x) * 3 : (x * image.width + source_x) * 3 + 3]
                for x in range(width)
            )
        )
    return RgbImage(width, height, b"".join(rows))


def tile(board: RgbImage, index: int, tile_width: int) -> RgbImage:
    row_bytes = board.width * 3
    rows = (
        board.data[
            y * row_bytes + index * tile_width * 3 : y * row_bytes + (index + 1) * tile_width * 3
        ]
        for y in range(board.height)
    )
    return RgbImage(tile_width, board.height, b"".join(rows))


def assert_same_picture(actual: RgbImage, expected: RgbImage) -> None:
    """Equal up to the rounding of colour conversion (a few levels out of 255)."""
    assert (actual.width, actual.height) == (expected.width, expected.height)
    assert max(abs(a - b) for a, b in zip(actual.data, expected.data, strict=True)) <= 4


def test_generated_clips_start_with_a_black_frame(mp4_clip: Path) -> None:
    # The premise of the tests below: a thumbnail of frame 0 would be black.
    width, height, rgb = clips.read_picture(mp4_clip)

    assert RgbImage(width, height, rgb).mean_brightness() < 3


def test_thumbnail_asked_for_the_very_start_moves_past_a_black_frame(mp4_clip: Path) -> None:
    still = grab_thumbnail(mp4_clip, at_fraction=0.0)

    assert still.at_s > 0
    assert still.image.mean_brightness() > 40


def test_thumbnail_is_not_the_black_first_frame(mp4_clip: Path) -> None:
    still = grab_thumbnail(mp4_clip)

    assert still.image.mean_brightness() > 40


def test_thumbnail_shows_the_moment_at_a_tenth_of_the_video(mp4_clip: Path) -> None:
    assert grab_thumbnail(mp4_clip).at_s == pytest.approx(0.2, abs=FRAME_S)
    assert grab_thumbnail(mp4_clip, at_fraction=0.5).at_s == pytest.approx(1.0, abs=FRAME_S)


def test_later_thumbnail_is_brighter_because_the_test_clip_brightens(mp4_clip: Path) -> None:
    early = grab_thumbnail(mp4_clip, at_fraction=0.1).image.mean_brightness()
    late = grab_thumbnail(mp4_clip, at_fraction=0.9).image.mean_brightness()

    assert late > early + 50


def test_thumbnail_skips_a_black_fade_in(tmp_path: Path) -> None:
    path = clips.make_clip(tmp_path / "fade.mp4", black_until_s=0.4)

    still = grab_thumbnail(path)

    assert still.at_s > 0.4
    assert still.image.mean_brightness() > 40


@pytest.mark.parametrize(
    ("max_size", "expected"),
    [((320, 180), (240, 180)), ((100, 100), (100, 75)), ((1000, 1000), (320, 240))],
    ids=["default box", "square box", "never enlarged"],
)
def test_thumbnail_fits_the_box_and_keeps_its_shape(
    mp4_clip: Path, max_size: tuple[int, int], expected: tuple[int, int]
) -> None:
    image = grab_thumbnail(mp4_clip, max_size=max_size).image

    assert (image.width, image.height) == expected
    assert len(image.data) == image.width * image.height * 3


def test_portrait_phone_video_thumbnail_is_upright(mp4_clip: Path, portrait_clip: Path) -> None:
    # Both clips hold the same pictures; one only carries a rotation flag.
    stored = grab_thumbnail(mp4_clip, max_size=(400, 400)).image

    shown = grab_thumbnail(portrait_clip, max_size=(400, 400)).image

    assert (shown.width, shown.height) == (240, 320)
    assert_same_picture(shown, rotated_counter_clockwise(stored))


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_written_thumbnail_opens_as_the_same_picture(
    mp4_clip: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"thumb{suffix}"

    thumbnail = write_thumbnail(mp4_clip, out)

    width, height, rgb = clips.read_picture(out)
    assert (thumbnail.path, thumbnail.width, thumbnail.height) == (out, 240, 180)
    assert (width, height) == (240, 180)
    expected = grab_thumbnail(mp4_clip).image.mean_brightness()
    assert RgbImage(width, height, rgb).mean_brightness() == pytest.approx(expected, abs=3)


def test_jpeg_thumbnail_is_small_enough_to_store_many(mp4_clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "thumb.jpg"

    write_thumbnail(mp4_clip, out)

    assert out.read_bytes().startswith(b"\xff\xd8")
    assert out.stat().st_size < 30_000


def test_writing_a_thumbnail_leaves_no_temporary_files(mp4_clip: Path, tmp_path: Path) -> None:
    write_thumbnail(mp4_clip, tmp_path / "thumb.jpg")
    write_thumbnail(mp4_clip, tmp_path / "thumb.jpg")  # replacing an existing one

    assert [p.name for p in tmp_path.iterdir()] == ["thumb.jpg"]


def test_thumbnail_in_an_unsupported_picture_format_is_refused(
    mp4_clip: Path, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=r"\.gif"):
        write_thumbnail(mp4_clip, tmp_path / "thumb.gif")


def test_thumbnail_to_and_from_unicode_paths(tmp_path: Path) -> None:
    folder = tmp_path / "Kurs — Ünïcødé 🎬"
    folder.mkdir()
    path = clips.make_clip(folder / "Ünïcødé 🎬 clip.mkv")

    thumbnail = write_thumbnail(path, folder / "vorschau 🖼.jpg")

    assert clips.read_picture(thumbnail.path)[:2] == (240, 180)


def test_thumbnail_reads_only_around_its_moment(long_clip: Path) -> None:
    before = clips.bytes_read_by_this_process()
    assert before is not None, "counting bytes read needs Linux's /proc/self/io"

    grab_thumbnail(long_clip)

    read = (clips.bytes_read_by_this_process() or 0) - before
    assert read < long_clip.stat().st_size * 0.2


@pytest.mark.parametrize("count", [10, 4, 1])
def test_storyboard_has_the_requested_number_of_equal_tiles(mp4_clip: Path, count: int) -> None:
    board = grab_storyboard(mp4_clip, count=count)

    assert board.count == count
    assert (board.tile_width, board.tile_height) == (120, 90)
    assert (board.image.width, board.image.height) == (120 * count, 90)
    assert len(board.image.data) == board.image.width * board.image.height * 3


def test_storyboard_spreads_its_moments_evenly_over_the_video(mp4_clip: Path) -> None:
    board = grab_storyboard(mp4_clip, count=10)

    expected = [2.0 * (i + 0.5) / 10 for i in range(10)]
    assert board.times_s == pytest.approx(expected, abs=FRAME_S)


def test_storyboard_tiles_run_from_start_to_end_left_to_right(mp4_clip: Path) -> None:
    board = grab_storyboard(mp4_clip, count=10)

    brightness = [tile(board.image, i, board.tile_width).mean_brightness() for i in range(10)]
    assert brightness == sorted(brightness)
    assert brightness[-1] > brightness[0] + 50


def test_storyboard_with_keyframes_every_second(tmp_path: Path) -> None:
    # Real cameras put a keyframe every second or two; each tile then seeks.
    path = clips.make_clip(tmp_path / "camera.mp4", seconds=6.0, keyframe_interval=25)

    board = grab_storyboard(path, count=6)

    assert board.times_s == pytest.approx([0.5, 1.5, 2.5, 3.5, 4.5, 5.5], abs=FRAME_S)


def test_storyboard_of_a_portrait_video_has_portrait_tiles(portrait_clip: Path) -> None:
    board = grab_storyboard(portrait_clip, count=3)

    assert (board.tile_width, board.tile_height) == (68, 90)


def test_written_storyboard_is_one_strip_picture(mp4_clip: Path, tmp_path: Path) -> None:
    out = tmp_path / "board.jpg"

    board = write_storyboard(mp4_clip, out, count=10, tile_max_size=(64, 64))

    assert board.path == out
    assert clips.read_picture(out)[:2] == (10 * 64, 48)


def test_storyboard_needs_at_least_one_picture(mp4_clip: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        grab_storyboard(mp4_clip, count=0)
