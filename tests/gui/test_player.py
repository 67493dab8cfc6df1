"""The player pane on generated clips: frames arrive for every container we import, seeking
and frame steps land on the right frame, the keys and controls drive the player, missing and
undecodable files get a message, a moved file is relinked by its hash, and the current frame
becomes the thumbnail as one undoable edit."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtMultimedia import QMediaPlayer
from pytestqt.qtbot import QtBot
from tests.support.clips import make_clip
from tests.support.player_clips import COURSE, MULTIMEDIA_NOISE, add_clip, start_course
from tests.support.player_teardown import retire_pane

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import UpdateVideo
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import ImmediateRunner
from coursedesk.services.upload.playback import PlaybackLink
from coursedesk.ui.player.player_pane import PlayerPane

pytestmark = pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE)

FPS = 25
FRAME_MS = 1000 / FPS


def _encodes(codec: str) -> bool:
    try:
        av.codec.Codec(codec, "w")
    except av.codec.codec.UnknownCodecError:
        return False
    return True


# (file name, codec): every container the importer takes, H.265 where the encoder exists.
FORMATS = [
    ("clip.mp4", None),
    ("clip.mov", None),
    ("clip.mkv", None),
    ("clip.webm", None),
    *([("clip-hevc.mp4", "libx265")] if _encodes("libx265") else []),
]


@pytest.fixture
def cache(tmp_path: Path) -> ThumbnailCache:
    return ThumbnailCache(tmp_path / "pictures")


@pytest.fixture
def session(library: Library) -> EditSession:
    start_course(library)
    session = EditSession(library)
    session.activate(COURSE)
    return session


@pytest.fixture
def pane(session: EditSession, cache: ThumbnailCache, qtbot: QtBot) -> Iterator[PlayerPane]:
    widget = PlayerPane(session, ImmediateRunner(), cache)
    qtbot.addWidget(widget)
    widget.resize(900, 420)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    retire_pane(qtbot, widget)


@pytest.fixture
def clip(session: EditSession, cache: ThumbnailCache, tmp_path: Path) -> str:
    """A 6 s 25 fps clip with a keyframe every half second."""
    return add_clip(
        session.library, cache, tmp_path / "Aperture.mp4", "v1", seconds=6, keyframe_interval=12
    )


def wait_for_frames(qtbot: QtBot, pane: PlayerPane, at_least: int = 1) -> None:
    qtbot.waitUntil(lambda: pane.picture.frame_count >= at_least, timeout=10_000)


def wait_until_loaded(qtbot: QtBot, pane: PlayerPane) -> None:
    """Wait for the player to finish opening the file (it opens it in the background)."""
    ready = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
    qtbot.waitUntil(lambda: pane.player.mediaStatus() in ready, timeout=10_000)


def frame_start_ms(pane: PlayerPane) -> float:
    frame = pane.picture.current_frame()
    assert frame is not None
    return frame.startTime() / 1000


def paused_at(qtbot: QtBot, pane: PlayerPane, target_ms: int) -> float:
    """Pause, seek to ``target_ms`` and wait for the frame shown there; its start (ms)."""
    pane.player.pause()
    before = pane.picture.frame_count
    pane.seek_to(target_ms)
    qtbot.waitUntil(
        lambda: (
            pane.picture.frame_count > before and abs(frame_start_ms(pane) - target_ms) <= FRAME_MS
        ),
        timeout=10_000,
    )
    return frame_start_ms(pane)


@pytest.mark.parametrize(("name", "codec"), FORMATS)
def test_frames_arrive_for_every_container(
    name: str,
    codec: str | None,
    pane: PlayerPane,
    session: EditSession,
    cache: ThumbnailCache,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    add_clip(session.library, cache, tmp_path / name, "v", seconds=2, codec=codec)
    frames: list[int] = []
    pane.picture.sink.videoFrameChanged.connect(lambda f: frames.append(f.startTime()))
    pane.show_video("v")
    qtbot.waitUntil(lambda: len(frames) >= 3, timeout=10_000)
    assert pane.picture.message == ""
    assert pane.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    assert frames == sorted(frames), "frames arrive in order"


@pytest.mark.parametrize("name", ["clip.mp4", "clip.webm"])
@pytest.mark.parametrize("target_ms", [1000, 2520, 4333])
def test_seeking_lands_within_a_frame_of_the_target(
    name: str,
    target_ms: int,
    pane: PlayerPane,
    session: EditSession,
    cache: ThumbnailCache,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    add_clip(session.library, cache, tmp_path / name, "v", seconds=6, keyframe_interval=12)
    pane.show_video("v")
    wait_for_frames(qtbot, pane)
    start = paused_at(qtbot, pane, target_ms)
    assert abs(start - target_ms) <= FRAME_MS
    assert pane.player.position() == target_ms


def test_frame_steps_show_the_next_and_previous_frame(
    pane: PlayerPane, clip: str, qtbot: QtBot
) -> None:
    pane.show_video(clip)
    wait_for_frames(qtbot, pane)
    start = paused_at(qtbot, pane, 2000)
    for direction, expected in (
        (+1, start + FRAME_MS),
        (+1, start + 2 * FRAME_MS),
        (-1, start + FRAME_MS),
    ):
        before = pane.picture.frame_count
        pane.step_frame(direction)
        qtbot.waitUntil(
            lambda e=expected, b=before: (
                pane.picture.frame_count > b and abs(frame_start_ms(pane) - e) < 1
            ),
            timeout=10_000,
        )
    assert pane.player.playbackState() == QMediaPlayer.PlaybackState.PausedState


def test_keys_play_pause_seek_change_speed_mute_and_go_full_screen(
    pane: PlayerPane, clip: str, qtbot: QtBot
) -> None:
    pane.show_video(clip, play=False)
    wait_until_loaded(qtbot, pane)
    pane.setFocus()
    player = pane.player
    qtbot.keyClick(pane, Qt.Key.Key_Space)
    assert player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    qtbot.keyClick(pane, Qt.Key.Key_K)
    assert player.playbackState() == QMediaPlayer.PlaybackState.PausedState
    qtbot.keyClick(pane, Qt.Key.Key_L)
    assert player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    assert player.playbackRate() == 1.0
    qtbot.keyClick(pane, Qt.Key.Key_L)
    qtbot.keyClick(pane, Qt.Key.Key_L)
    assert player.playbackRate() == 1.5
    assert pane.controls.speed.currentText() == "1.5\N{MULTIPLICATION SIGN}"
    qtbot.keyClick(pane, Qt.Key.Key_J)
    assert player.playbackRate() == 1.25
    player.pause()
    pane.seek_to(500)
    qtbot.keyClick(pane, Qt.Key.Key_Right)
    assert player.position() == 5500
    qtbot.keyClick(pane, Qt.Key.Key_Right)
    assert player.position() == player.duration(), "seeking stops at the end"
    qtbot.keyClick(pane, Qt.Key.Key_Left)
    assert player.position() == player.duration() - 5000
    qtbot.keyClick(pane, Qt.Key.Key_J)
    assert player.position() == player.duration() - 10000 or player.position() == 0
    qtbot.keyClick(pane, Qt.Key.Key_M)
    assert pane.audio.isMuted()
    assert pane.controls.mute_button.isChecked()
    qtbot.keyClick(pane, Qt.Key.Key_F)
    assert pane.is_full_screen
    assert pane.stage.window() is not pane.window()
    qtbot.keyClick(pane.stage.window(), Qt.Key.Key_Escape)
    assert not pane.is_full_screen
    assert pane.stage.window() is pane.window()


def test_double_click_on_the_picture_toggles_full_screen(
    pane: PlayerPane, clip: str, qtbot: QtBot
) -> None:
    pane.show_video(clip, play=False)
    qtbot.mouseDClick(pane.picture, Qt.MouseButton.LeftButton)
    assert pane.is_full_screen
    qtbot.mouseDClick(pane.picture, Qt.MouseButton.LeftButton)
    assert not pane.is_full_screen


def test_controls_set_speed_volume_and_mute(pane: PlayerPane, clip: str, qtbot: QtBot) -> None:
    pane.show_video(clip, play=False)
    wait_until_loaded(qtbot, pane)
    controls = pane.controls
    controls.speed.setCurrentIndex(controls.speed.findData(0.5))
    assert pane.player.playbackRate() == 0.5
    controls.speed.setCurrentIndex(controls.speed.findData(2.0))
    assert pane.player.playbackRate() == 2.0
    controls.volume.setValue(30)
    assert pane.audio.volume() == pytest.approx(0.3)
    controls.mute_button.click()
    assert pane.audio.isMuted()
    controls.play_button.click()
    assert pane.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    controls.play_button.click()
    assert pane.player.playbackState() == QMediaPlayer.PlaybackState.PausedState


def test_details_beside_the_picture(
    pane: PlayerPane, clip: str, session: EditSession, qtbot: QtBot
) -> None:
    pane.show_video(clip, play=False)
    info = pane.info
    video = session.store.video(clip)
    assert video.sha1 is not None
    assert info.title.text() == "Aperture"
    assert info.duration.text() == "0:06"
    assert info.resolution.text() == "320 \N{MULTIPLICATION SIGN} 240 · 25 fps"
    assert info.codecs.text() == "h264 / aac · mp4"
    assert info.file_size.text().endswith("KB")
    assert "Ready" in info.status.text()
    assert info.sha1.text() == f"{video.sha1[:8]}…{video.sha1[-6:]}"
    info.copy_sha1.click()
    assert QGuiApplication.clipboard().text() == video.sha1
    session.apply_untracked(UpdateVideo(clip, {"status": VideoStatus.UPLOADED}))
    assert "Uploaded" in info.status.text()


def test_a_narrow_pane_puts_the_details_under_the_picture(
    pane: PlayerPane, clip: str, qtbot: QtBot
) -> None:
    pane.show_video(clip, play=False)
    stage, info = pane.stage, pane.info

    def beside() -> bool:
        return info.geometry().left() >= stage.geometry().right()

    def under() -> bool:
        return info.geometry().top() >= stage.geometry().bottom()

    assert beside()
    pane.resize(460, 620)
    qtbot.waitUntil(under)
    # Under the picture the details use the pane's width, so nothing is cut off.
    assert info.width() == pane.width()
    assert info.title.text() == "Aperture"
    pane.resize(900, 420)
    qtbot.waitUntil(beside)


def test_a_missing_file_that_was_never_uploaded_gets_a_message(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path
) -> None:
    (tmp_path / "Aperture.mp4").unlink()
    pane.show_video(clip)
    assert pane.picture.message.startswith("This video's file is missing")
    assert "hasn't been uploaded" in pane.picture.message
    assert not pane.info.locate_button.isHidden()
    assert pane.player.source().isEmpty()


def test_a_missing_uploaded_file_without_an_account_says_so(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path
) -> None:
    session.apply_untracked(UpdateVideo(clip, {"remote_file_id": "4_z_f1"}))
    (tmp_path / "Aperture.mp4").unlink()
    pane.show_video(clip)
    assert "no storage account is connected" in pane.picture.message


def test_a_missing_uploaded_file_plays_from_the_url_the_remote_source_gives(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path, qtbot: QtBot
) -> None:
    bucket_copy = tmp_path / "bucket" / "Aperture.mp4"
    bucket_copy.parent.mkdir()
    shutil.move(tmp_path / "Aperture.mp4", bucket_copy)
    session.apply_untracked(UpdateVideo(clip, {"remote_file_id": "4_z_f1"}))
    asked: list[str] = []

    def remote_source(video: object) -> str:
        asked.append(getattr(video, "remote_file_id", ""))
        return bucket_copy.as_uri()

    pane.remote_source = remote_source
    pane.show_video(clip)
    wait_for_frames(qtbot, pane)
    assert asked == ["4_z_f1"]
    assert pane.picture.message == ""
    assert not pane.info.source_note.isHidden(), "it says the picture comes from the bucket"


def test_a_remote_source_without_a_url_gets_a_message(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path
) -> None:
    (tmp_path / "Aperture.mp4").unlink()
    session.apply_untracked(UpdateVideo(clip, {"remote_file_id": "4_z_f1"}))
    pane.remote_source = lambda video: None
    pane.show_video(clip)
    assert pane.picture.message.startswith("Can't play this video from the bucket")
    assert pane.info.source_note.isHidden()


def test_a_remote_source_that_says_why_gets_its_reason_shown(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path
) -> None:
    (tmp_path / "Aperture.mp4").unlink()
    session.apply_untracked(UpdateVideo(clip, {"remote_file_id": "4_z_f1"}))
    reason = "B2 can't be reached: this computer seems to be offline."
    pane.remote_source = lambda video: PlaybackLink(problem=reason)
    pane.show_video(clip)
    assert pane.picture.message == f"Can't play this video from the bucket\n{reason}"
    assert pane.source.isEmpty()


def test_switching_videos_quickly_plays_the_last_one_chosen(
    pane: PlayerPane,
    clip: str,
    session: EditSession,
    cache: ThumbnailCache,
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    other = add_clip(session.library, cache, tmp_path / "Other.mp4", "v2", seconds=2)
    for video_id in (clip, other, clip, other):
        pane.show_video(video_id)
    wait_for_frames(qtbot, pane, at_least=3)
    wanted = QUrl.fromLocalFile(str(tmp_path / "Other.mp4"))
    assert pane.source == wanted
    assert pane.player.source() == wanted
    assert pane.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    assert pane.info.title.text() == "Other"


@pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE, r"Could not open media")
def test_an_undecodable_file_gets_a_message_not_a_black_box(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path, qtbot: QtBot
) -> None:
    broken = tmp_path / "Broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 64)
    session.apply_untracked(UpdateVideo(clip, {"source_path": str(broken)}))
    pane.show_video(clip)
    qtbot.waitUntil(lambda: pane.picture.message != "", timeout=10_000)
    assert pane.picture.message.startswith("This video can't be played")
    assert "Broken.mp4" in pane.picture.message
    assert pane.picture.frame_count == 0


def test_a_moved_file_is_relinked_when_its_hash_matches(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path, qtbot: QtBot
) -> None:
    moved = tmp_path / "moved" / "Aperture (final).mp4"
    moved.parent.mkdir()
    shutil.move(tmp_path / "Aperture.mp4", moved)
    session.apply_untracked(UpdateVideo(clip, {"status": VideoStatus.MISSING}))
    stack = session.stack(COURSE)
    edits = stack.count()
    pane.show_video(clip)
    assert "missing" in pane.picture.message
    pane.choose_file = lambda video: moved
    pane.confirm_replacement = lambda video, path: pytest.fail("the same file needs no question")
    with qtbot.waitSignal(pane.status_message) as told:
        pane.locate_file()
    video = session.store.video(clip)
    assert video.source_path == str(moved)
    assert video.status is VideoStatus.READY
    assert stack.count() == edits, "relinking is not an edit to undo"
    assert "Found “Aperture” again" in told.args[0] or pane.picture.message == ""
    wait_for_frames(qtbot, pane)
    assert pane.info.locate_button.isHidden()


def test_a_different_file_is_only_used_as_a_replacement_once_confirmed(
    pane: PlayerPane, clip: str, session: EditSession, tmp_path: Path
) -> None:
    other = make_clip(tmp_path / "Other.mp4", seconds=1)
    (tmp_path / "Aperture.mp4").unlink()
    replaced: list[tuple[str, Path]] = []
    pane.replace_file = lambda video_id, path: replaced.append((video_id, path)) is None
    pane.choose_file = lambda video: other
    pane.show_video(clip)
    pane.confirm_replacement = lambda video, path: False
    pane.locate_file()
    assert replaced == []
    assert session.store.video(clip).source_path == str(tmp_path / "Aperture.mp4")
    pane.confirm_replacement = lambda video, path: True
    pane.locate_file()
    assert replaced == [(clip, other)]


def test_the_current_frame_becomes_the_thumbnail_undoably(
    pane: PlayerPane, clip: str, session: EditSession, cache: ThumbnailCache, qtbot: QtBot
) -> None:
    pane.show_video(clip)
    wait_for_frames(qtbot, pane)
    start = paused_at(qtbot, pane, 3000)
    stack = session.stack(COURSE)
    edits = stack.count()
    qtbot.waitUntil(pane.info.poster_button.isEnabled)
    pane.info.poster_button.click()
    video = session.store.video(clip)
    assert video.sha1 is not None
    assert video.thumbnail_time_s == pytest.approx(start / 1000)
    poster = cache.poster(video.sha1, video.thumbnail_time_s)
    assert poster.is_file()
    assert cache.picture_of(video) == poster
    assert stack.count() == edits + 1
    assert stack.undoText() == "Use frame as thumbnail"
    stack.undo()
    video = session.store.video(clip)
    assert video.thumbnail_time_s is None
    assert cache.picture_of(video) == cache.thumbnail(video.sha1)
    stack.redo()
    assert cache.picture_of(session.store.video(clip)) == poster
