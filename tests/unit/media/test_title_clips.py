"""Clips made from a title card: the sample course's lessons."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from av.video.frame import VideoFrame

from coursedesk.media import Cancelled, RgbImage, preflight_notes, probe, title_clips
from coursedesk.media.title_clips import (
    PROGRESS_LINE_PX,
    CannotEncode,
    chime_samples,
    write_title_clip,
)

WIDTH, HEIGHT = 320, 180
CARD_RGB = (30, 60, 120)


def card(width: int = WIDTH, height: int = HEIGHT) -> RgbImage:
    return RgbImage(width, height, bytes(CARD_RGB) * (width * height))


def decoded_frames(path: Path) -> list[VideoFrame]:
    with av.open(str(path)) as container:
        return list(container.decode(video=0))


def line_brightness(frame: VideoFrame, x: int) -> int:
    """The luma at column ``x`` in the middle of the progress line."""
    luma = frame.reformat(format="gray")
    plane = luma.planes[0]
    row = frame.height - PROGRESS_LINE_PX // 2 - 1
    return bytes(plane)[row * plane.line_size + x]


def test_a_title_clip_lasts_as_asked_with_picture_and_sound(tmp_path: Path) -> None:
    path = write_title_clip(tmp_path / "lesson.mp4", card(), seconds=3.0, fps=25)
    info = probe(path)
    assert info.width == WIDTH and info.height == HEIGHT
    assert info.duration_s == pytest.approx(3.0, abs=0.1)
    assert info.video_codec in ("h264", "mpeg4")
    assert info.audio_codec == "aac"
    assert preflight_notes(info) == []
    assert len(decoded_frames(path)) == 75


def test_the_progress_line_grows_from_left_to_right(tmp_path: Path) -> None:
    frames = decoded_frames(write_title_clip(tmp_path / "lesson.mp4", card(), seconds=2.0))
    first, middle, last = frames[0], frames[len(frames) // 2], frames[-1]
    right = WIDTH - 10
    # The line is white where it has reached and the card's colour where it has not.
    assert line_brightness(first, right) < 100
    assert line_brightness(middle, 10) > 200 and line_brightness(middle, right) < 100
    assert line_brightness(last, right) > 200


def test_without_h264_the_clip_is_mpeg4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(title_clips, "VIDEO_ENCODERS", ("no-such-encoder", "mpeg4"))
    info = probe(write_title_clip(tmp_path / "lesson.mp4", card(), seconds=1.0))
    assert info.video_codec == "mpeg4"
    assert info.duration_s == pytest.approx(1.0, abs=0.1)


def test_no_encoder_at_all_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(title_clips, "VIDEO_ENCODERS", ("no-such-encoder",))
    with pytest.raises(CannotEncode, match="can't write videos"):
        write_title_clip(tmp_path / "lesson.mp4", card(), seconds=1.0)
    assert not (tmp_path / "lesson.mp4").exists()


def test_cancelling_stops_between_frames(tmp_path: Path) -> None:
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 10

    with pytest.raises(Cancelled):
        write_title_clip(tmp_path / "lesson.mp4", card(), seconds=4.0, is_cancelled=cancelled)
    assert len(asked) == 11


@pytest.mark.parametrize("size", [(321, 180), (320, 181)])
def test_odd_sizes_are_refused(tmp_path: Path, size: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="even sides"):
        write_title_clip(tmp_path / "lesson.mp4", card(*size), seconds=1.0)


def test_the_chime_opens_the_sound_and_silence_follows() -> None:
    samples = chime_samples(2.0, rate_hz=8_000)
    assert len(samples) == 16_000
    opening = max(abs(s) for s in samples[:2_000])
    assert 0.05 < opening < 0.5
    assert max(abs(s) for s in samples[8_000:]) == 0.0
