"""Every kind of bad file gets its own error, with a sentence an instructor can act on."""

import contextlib
import errno
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.support import clips

from coursedesk.media import (
    AudioOnly,
    CorruptVideo,
    EmptyFile,
    FileUnreadable,
    FileVanished,
    MediaError,
    NotAVideo,
    grab_storyboard,
    grab_thumbnail,
    probe,
    sha1_of_file,
    write_thumbnail,
)

Operation = Callable[[Path], Any]
PICTURE_OPERATIONS: dict[str, Operation] = {
    "probe": probe,
    "thumbnail": grab_thumbnail,
    "storyboard": grab_storyboard,
}
ALL_OPERATIONS: dict[str, Operation] = {**PICTURE_OPERATIONS, "hash": sha1_of_file}


def operations(table: dict[str, Operation]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("operation", list(table.values()), ids=list(table))


@operations(ALL_OPERATIONS)
def test_missing_file_has_vanished(tmp_path: Path, operation: Operation) -> None:
    with pytest.raises(FileVanished) as raised:
        operation(tmp_path / "gone.mp4")

    assert str(raised.value) == (
        "'gone.mp4' is no longer there; it may have been moved, renamed or deleted."
    )


@operations(ALL_OPERATIONS)
def test_file_whose_folder_became_a_file_has_vanished(tmp_path: Path, operation: Operation) -> None:
    (tmp_path / "lectures").write_bytes(b"not a folder")

    with pytest.raises(FileVanished):
        operation(tmp_path / "lectures" / "intro.mp4")


@operations(ALL_OPERATIONS)
def test_zero_byte_file_is_empty(tmp_path: Path, operation: Operation) -> None:
    path = clips.make_empty(tmp_path / "intro.mp4")

    with pytest.raises(EmptyFile, match=r"^'intro\.mp4' is empty \(0 bytes\)\.$"):
        operation(path)


@operations(ALL_OPERATIONS)
def test_folder_is_not_a_video(tmp_path: Path, operation: Operation) -> None:
    folder = tmp_path / "Week 1.mp4"
    folder.mkdir()

    with pytest.raises(NotAVideo, match=r"'Week 1\.mp4' is a folder, not a video file\."):
        operation(folder)


@operations(PICTURE_OPERATIONS)
def test_pipe_is_refused_rather_than_waited_on(tmp_path: Path, operation: Operation) -> None:
    fifo = tmp_path / "stream.mp4"
    os.mkfifo(fifo)

    with pytest.raises(NotAVideo):
        operation(fifo)


@operations(PICTURE_OPERATIONS)
@pytest.mark.parametrize("name", ["notes.pdf", "slides.key", "notes"])
def test_document_is_not_a_video(tmp_path: Path, operation: Operation, name: str) -> None:
    path = clips.make_not_a_video(tmp_path / name)

    with pytest.raises(NotAVideo) as raised:
        operation(path)

    assert str(raised.value) == f"'{name}' is not a video file."


@operations(PICTURE_OPERATIONS)
def test_text_file_is_not_a_video(tmp_path: Path, operation: Operation) -> None:
    # FFmpeg would happily "play" a .txt as ANSI art.
    path = tmp_path / "transcript.txt"
    path.write_text("Welcome to the course.\n" * 50, encoding="utf-8")

    with pytest.raises(NotAVideo):
        operation(path)


def test_typescript_source_is_not_a_video(tmp_path: Path) -> None:
    # ".ts" is also MPEG transport stream; a programming course's code must not read "damaged".
    path = tmp_path / "lesson.ts"
    path.write_text("export const answer: number = 42;\n", encoding="utf-8")

    with pytest.raises(NotAVideo):
        probe(path)


@operations(PICTURE_OPERATIONS)
@pytest.mark.parametrize("suffix", [".png", ".jpg"])
def test_still_picture_is_not_a_video(
    mp4_clip: Path, tmp_path: Path, operation: Operation, suffix: str
) -> None:
    picture = tmp_path / f"cover{suffix}"
    write_thumbnail(mp4_clip, picture)

    with pytest.raises(NotAVideo):
        operation(picture)


@operations(PICTURE_OPERATIONS)
@pytest.mark.parametrize("suffix", [".m4a", ".mp3", ".ogg"])
def test_sound_file_is_audio_only(tmp_path: Path, operation: Operation, suffix: str) -> None:
    path = clips.make_audio_only(tmp_path / f"podcast{suffix}")

    with pytest.raises(AudioOnly) as raised:
        operation(path)

    assert str(raised.value) == (
        f"'podcast{suffix}' has sound but no picture, so it cannot be a course video."
    )


@operations(PICTURE_OPERATIONS)
def test_half_copied_mp4_is_corrupt(mp4_clip: Path, tmp_path: Path, operation: Operation) -> None:
    # An MP4's index is written last, so an interrupted copy loses it.
    path = clips.make_truncated(mp4_clip, tmp_path / "lecture.mp4")

    with pytest.raises(CorruptVideo, match=r"^'lecture\.mp4' is damaged or incomplete"):
        operation(path)


@pytest.mark.parametrize("suffix", [".mkv", ".webm", ".mov"])
def test_half_copied_video_is_corrupt(
    clip_with_suffix: Callable[[str], Path], tmp_path: Path, suffix: str
) -> None:
    path = clips.make_truncated(clip_with_suffix(suffix), tmp_path / f"lecture{suffix}")

    with pytest.raises(CorruptVideo):
        probe(path)


def test_half_copied_web_optimised_mp4_is_corrupt(tmp_path: Path) -> None:
    # "Fast start" MP4s keep their index up front, so only the missing data gives them away.
    whole = clips.make_clip(tmp_path / "whole.mp4", faststart=True)
    path = clips.make_truncated(whole, tmp_path / "lecture.mp4")

    with pytest.raises(CorruptVideo):
        probe(path)


def test_file_cut_just_short_of_its_end_is_still_accepted(tmp_path: Path) -> None:
    # Losing a frame's worth of padding is not worth refusing a lecture over.
    whole = clips.make_clip(tmp_path / "whole.mkv")
    path = clips.make_truncated(whole, tmp_path / "lecture.mkv", keep_fraction=0.995)

    assert probe(path).duration_s == pytest.approx(2.0, abs=0.05)


def test_document_renamed_to_mp4_is_reported_as_a_damaged_video(tmp_path: Path) -> None:
    # The name says video, so "damaged" is the most useful thing to tell the instructor.
    path = clips.make_not_a_video(tmp_path / "lecture.mp4")

    with pytest.raises(CorruptVideo):
        probe(path)


def test_video_with_a_misleading_name_is_still_a_video(mp4_clip: Path, tmp_path: Path) -> None:
    path = tmp_path / "lecture.dat"
    shutil.copyfile(mp4_clip, path)

    assert probe(path).video_codec == "h264"


@operations(ALL_OPERATIONS)
def test_permission_denied_on_open_is_unreadable(
    mp4_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, operation: Operation
) -> None:
    # Works when the suite runs as root too, which no file permission stops.
    path = tmp_path / "lecture.mp4"
    shutil.copyfile(mp4_clip, path)
    real_open = os.open

    def denying_open(file: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denying_open)

    with pytest.raises(FileUnreadable) as raised:
        operation(path)

    assert str(raised.value) == (
        "'lecture.mp4' cannot be read. Check that you have permission to open it."
    )


def test_messages_name_the_file_but_not_the_folders_it_is_in(tmp_path: Path) -> None:
    folder = tmp_path / "Home of Ada"
    folder.mkdir()
    path = clips.make_not_a_video(folder / "notes.pdf")

    with pytest.raises(MediaError) as raised:
        probe(path)

    assert "notes.pdf" in str(raised.value)
    assert "Ada" not in str(raised.value)
    assert raised.value.path == path
    assert raised.value.message == str(raised.value)


def test_the_technical_cause_goes_to_the_log(
    mp4_clip: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = clips.make_truncated(mp4_clip, tmp_path / "lecture.mp4")

    with caplog.at_level(logging.INFO, logger="coursedesk.media"), pytest.raises(CorruptVideo):
        probe(path)

    assert any("lecture.mp4" in record.getMessage() for record in caplog.records)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    suffix=st.sampled_from([".mp4", ".mkv", ".webm"]),
    start=st.floats(min_value=0.0, max_value=0.95),
    length=st.floats(min_value=0.001, max_value=0.5),
    seed=st.integers(min_value=1, max_value=2**31 - 1),
)
def test_damaged_file_never_fails_with_anything_but_a_media_error(
    clip_with_suffix: Callable[[str], Path],
    tmp_path: Path,
    suffix: str,
    start: float,
    length: float,
    seed: int,
) -> None:
    original = clip_with_suffix(suffix).read_bytes()
    first = int(len(original) * start)
    last = min(len(original), first + max(1, int(len(original) * length)))
    garbage = clips.pseudo_random_bytes(last - first, seed)
    path = tmp_path / f"damaged{suffix}"
    path.write_bytes(original[:first] + garbage + original[last:])

    for operation in PICTURE_OPERATIONS.values():
        with contextlib.suppress(MediaError):
            operation(path)


@operations(PICTURE_OPERATIONS)
def test_recording_left_unfinished_by_a_crash_is_explained(
    tmp_path: Path, operation: Operation
) -> None:
    path = clips.make_clip(tmp_path / "lecture.mkv", unfinished=True)

    with pytest.raises(CorruptVideo, match="not finished properly"):
        operation(path)


def test_name_that_is_not_valid_utf8_still_gives_a_readable_message(tmp_path: Path) -> None:
    # Linux allows any bytes in names; an old camera's Latin-1 "café" is b"caf\xe9".
    path = tmp_path / os.fsdecode(b"caf\xe9 notes.pdf")
    clips.make_not_a_video(path)

    with pytest.raises(NotAVideo) as raised:
        probe(path)

    assert str(raised.value) == "'caf\ufffd notes.pdf' is not a video file."
    str(raised.value).encode("utf-8")  # safe to store and show


def test_braces_in_a_name_are_shown_as_they_are(tmp_path: Path) -> None:
    path = clips.make_empty(tmp_path / "lesson {name} {0}.mp4")

    with pytest.raises(EmptyFile, match=r"^'lesson \{name\} \{0\}\.mp4' is empty"):
        probe(path)
