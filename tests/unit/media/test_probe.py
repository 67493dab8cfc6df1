"""Probing: the facts an instructor sees about a video, read from headers and a few packets."""

import os
import shutil
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from tests.support import clips

from coursedesk.media import MediaInfo, probe

FRAME_S = 1 / 25

CONTAINERS = [
    # suffix, container, video codec, audio codec
    (".mp4", "mp4", "h264", "aac"),
    (".mov", "mov", "h264", "aac"),
    (".mkv", "matroska", "h264", "aac"),
    (".webm", "webm", "vp9", "opus"),
    (".avi", "avi", "mpeg4", "mp3"),
]


@pytest.mark.parametrize(("suffix", "container", "video_codec", "audio_codec"), CONTAINERS)
def test_probe_reports_what_a_player_would_show(
    clip_with_suffix: Callable[[str], Path],
    suffix: str,
    container: str,
    video_codec: str,
    audio_codec: str,
) -> None:
    path = clip_with_suffix(suffix)

    info = probe(path)

    assert info.path == path
    assert info.container == container
    assert info.duration_s == pytest.approx(2.0, abs=FRAME_S + 0.01)
    assert (info.width, info.height) == (320, 240)
    assert info.rotation_deg == 0
    assert info.video_codec == video_codec
    assert info.audio_codec == audio_codec
    assert info.has_audio
    assert info.frame_rate == Fraction(25)
    assert not info.variable_frame_rate
    assert info.size_bytes == path.stat().st_size
    assert info.bit_rate_bps == pytest.approx(info.size_bytes * 8 / info.duration_s, rel=0.1)


def test_probe_result_is_an_immutable_value(mp4_clip: Path) -> None:
    info = probe(mp4_clip)

    assert isinstance(info, MediaInfo)
    assert probe(mp4_clip) == info
    with pytest.raises(AttributeError):
        info.width = 1  # type: ignore[misc]


def test_clip_without_sound_track_has_no_audio(silent_clip: Path) -> None:
    info = probe(silent_clip)

    assert not info.has_audio
    assert info.audio_codec is None


def test_portrait_phone_video_reports_its_upright_size(portrait_clip: Path) -> None:
    info = probe(portrait_clip)

    assert (info.width, info.height) == (240, 320)
    assert info.rotation_deg == 90


@pytest.mark.parametrize("suffix", [".mp4", ".mkv"])
def test_screen_recording_with_variable_frame_rate_is_noticed(tmp_path: Path, suffix: str) -> None:
    path = clips.make_vfr_clip(tmp_path / f"screen{suffix}")

    assert probe(path).variable_frame_rate


def test_variable_frame_rate_clip_reports_its_average_rate(tmp_path: Path) -> None:
    # 48 frames: 32 of 20 ms and 16 of 100 ms, 2.24 s in all.
    path = clips.make_vfr_clip(tmp_path / "screen.mp4")

    info = probe(path)

    assert info.frame_rate is not None
    # FFmpeg divides by the time up to the last frame's start, so allow for that frame.
    assert float(info.frame_rate) == pytest.approx(48 / 2.24, rel=0.1)


def test_29_97_fps_rounding_is_not_mistaken_for_a_variable_rate(tmp_path: Path) -> None:
    # Matroska stores milliseconds, so NTSC frames alternate between 33 and 34 ms.
    path = tmp_path / "ntsc.mkv"
    clips.make_vfr_clip(path, frame_durations_ms=(33, 34, 33) * 20, audio=False)

    assert not probe(path).variable_frame_rate


def test_unusual_unicode_file_name_probes(tmp_path: Path) -> None:
    path = clips.make_clip(tmp_path / "Ünïcødé 🎬 clip — 第1課.mp4")

    info = probe(path)

    assert info.path.name == "Ünïcødé 🎬 clip — 第1課.mp4"
    assert info.duration_s == pytest.approx(2.0, abs=FRAME_S)


def test_probe_reads_only_the_start_and_end_of_a_long_file(long_clip: Path) -> None:
    # The whole file is read once, by the hash; probing must stay a glance.
    before = clips.bytes_read_by_this_process()
    assert before is not None, "counting bytes read needs Linux's /proc/self/io"

    probe(long_clip)

    read = (clips.bytes_read_by_this_process() or 0) - before
    assert read < long_clip.stat().st_size * 0.4


def test_name_that_is_not_valid_utf8_probes(mp4_clip: Path, tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"caf\xe9 lecture.mp4")
    shutil.copyfile(mp4_clip, path)

    assert probe(path).duration_s == pytest.approx(2.0, abs=FRAME_S)
