"""The player pane: a video's picture and sound with transport controls, its details beside
it, and the file actions (locate a missing file, use the current frame as thumbnail).

Keys (when the pane has focus): Space play/pause; K pause; L play, faster each press; J
slower, or five seconds back; Left/Right five seconds; , and . one frame; M mute; F or a
double-click full screen, Esc leaves it. In ``compact`` mode (quick look) Space, Esc and the
arrows are left to the window around it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Q_ARG, QMetaObject, QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent, QResizeEvent
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.domain.operations import SetPosterFrame, UpdateVideo
from coursedesk.domain.steps import Step, VideoChanged, VideoPurged
from coursedesk.editing.session import EditSession
from coursedesk.media import sha1_of_file
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import TaskRunner
from coursedesk.services.upload.playback import PlaybackLink
from coursedesk.ui.player.controls import SPEEDS, TransportBar
from coursedesk.ui.player.ffmpeg_log import quiet_ffmpeg
from coursedesk.ui.player.frame_view import FrameView
from coursedesk.ui.player.info_panel import InfoPanel
from coursedesk.ui.player.sources import RemoteSource, choose_source

log = logging.getLogger(__name__)

SEEK_STEP_MS = 5000
# A file that loads but gives no picture within this long gets a message, not a black box.
NO_PICTURE_AFTER_MS = 3000
# Narrower than this, the pane puts the details under the picture instead of beside it.
DETAILS_BESIDE_MIN_WIDTH = 700
FALLBACK_FRAME_RATE = 25.0
POSTER_MAX_SIZE = (320, 180)

# Replace a video's file through the import path: (video id, new file) → started?
ReplaceFile = Callable[[str, Path], bool]

NO_LINK = (
    "The storage account didn't give a download link. Locate the local file, or try again "
    "when you are online."
)


def write_poster(image: QImage, out_path: Path) -> Path:
    """Save ``image`` as a thumbnail JPEG (fitted to 320 by 180); runs off the GUI thread."""
    scaled = image.scaled(
        *POSTER_MAX_SIZE,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # The format follows the suffix (PySide's stubs and runtime disagree on its type).
    partial = out_path.with_name(out_path.stem + ".part.jpg")
    if not scaled.save(str(partial), None, 88):
        raise OSError(f"couldn't write {out_path.name}")
    partial.replace(out_path)
    return out_path


def hash_and_mtime(path: Path) -> tuple[str, float]:
    """A chosen file's SHA-1 and modification time (for relinking); off the GUI thread."""
    return sha1_of_file(path), path.stat().st_mtime


class PlayerPane(QWidget):
    """Plays one video at a time from the session's store.

    Public: ``show_video(video_id, play=True)``, ``stop()``, ``video_id``; ``player``
    (QMediaPlayer), ``audio`` (QAudioOutput), ``picture`` (FrameView: its ``sink`` receives
    the frames, ``message`` is what shows instead of a picture), ``controls`` and ``info``;
    actions ``step_frame(±1)``, ``seek_by(ms)``, ``toggle_play()``, ``toggle_full_screen()``,
    ``locate_file()`` and ``use_frame_as_thumbnail()``. ``choose_file`` and
    ``confirm_replacement`` are the dialogs, replaceable in tests. Signal ``status_message``.

    The player is told what to do through Qt's event loop whenever it may have to wait for
    its backend's threads (see ``stop``); ``source`` is what it has been told to play.
    """

    status_message = Signal(str)

    def __init__(
        self,
        session: EditSession,
        runner: TaskRunner,
        cache: ThumbnailCache | None = None,
        *,
        remote_source: RemoteSource | None = None,
        link_runner: TaskRunner | None = None,
        replace_file: ReplaceFile | None = None,
        compact: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("playerPane")
        self.setAccessibleName("Player")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.session = session
        self.runner = runner
        self.cache = cache
        self.remote_source = remote_source
        # Asking for a download link waits on the network: not behind a queue of file work.
        self.link_runner = link_runner or runner
        self.replace_file = replace_file
        self.compact = compact
        self.choose_file: Callable[[Video], Path | None] = self._ask_for_file
        self.confirm_replacement: Callable[[Video, Path], bool] = self._ask_to_replace
        self._video_id: str | None = None
        # Bumped on every new video, so late answers (URLs, hashes) for an old one are ignored.
        self._generation = 0
        self._full_screen: QWidget | None = None
        self._source = QUrl()
        # Commands handed to the player through the event loop and not yet carried out.
        self._queued = 0
        # The picture comes from the bucket (the file is not on this computer).
        self._from_bucket = False

        self.player = QMediaPlayer(self)
        quiet_ffmpeg()
        self.audio = QAudioOutput(self)
        self.audio.setVolume(0.8)
        # Sound goes out only while there is a device to play it on; without one the player
        # plays silently (FFmpeg's audio thread would only complain) until one appears.
        self.devices = QMediaDevices(self)
        self.devices.audioOutputsChanged.connect(self._connect_sound)
        self._connect_sound()
        self.picture = FrameView()
        self.player.setVideoSink(self.picture.sink)
        self.controls = TransportBar()
        self.info = InfoPanel()
        self.info.setVisible(not compact)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(NO_PICTURE_AFTER_MS)
        self._watchdog.timeout.connect(self._check_picture)

        self.stage = QWidget()
        self.stage.setObjectName("playerStage")
        stage_layout = QVBoxLayout(self.stage)
        stage_layout.setContentsMargins(0, 0, 0, 0)
        stage_layout.setSpacing(0)
        stage_layout.addWidget(self.picture, 1)
        stage_layout.addWidget(self.controls)
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        self._layout.addWidget(self.stage, 1)
        self._layout.addWidget(self.info)
        # As narrow as the transport bar allows: narrower than the details fit beside the
        # picture, they go under it (see resizeEvent), so the layout's own minimum, which
        # counts them beside, must not hold the pane wide.
        self.setMinimumWidth(self.controls.minimumSizeHint().width())

        player = self.player
        player.playbackStateChanged.connect(self._playback_changed)
        player.positionChanged.connect(self.controls.show_position)
        player.durationChanged.connect(self.controls.show_duration)
        player.playbackRateChanged.connect(self.controls.show_speed)
        player.errorOccurred.connect(self._player_failed)
        player.mediaStatusChanged.connect(self._status_changed)
        self.audio.mutedChanged.connect(self.controls.show_muted)
        self.picture.sink.videoFrameChanged.connect(self._picture_arrived)
        self.picture.double_clicked.connect(self.toggle_full_screen)
        self.controls.play_toggled.connect(self.toggle_play)
        self.controls.step_requested.connect(self.step_frame)
        self.controls.seek_requested.connect(self.seek_to)
        self.controls.speed_chosen.connect(self.player.setPlaybackRate)
        self.controls.volume_changed.connect(self.audio.setVolume)
        self.controls.mute_toggled.connect(self.audio.setMuted)
        self.controls.full_screen_toggled.connect(self.toggle_full_screen)
        self.info.locate_button.clicked.connect(self.locate_file)
        self.info.poster_button.clicked.connect(self.use_frame_as_thumbnail)

        store = session.store
        store.subscribe(self)
        self.destroyed.connect(lambda: _unsubscribe(store, self))
        self._show_nothing()

    # ------------------------------------------------------------------ choosing a video

    @property
    def video_id(self) -> str | None:
        return self._video_id

    def video(self) -> Video | None:
        store = self.session.store
        if self._video_id is None or not store.has_video(self._video_id):
            return None
        return store.video(self._video_id)

    @property
    def source(self) -> QUrl:
        """What the player plays (or has been told to, a moment before it does)."""
        return QUrl(self._source)

    def show_video(self, video_id: str | None, *, play: bool = True) -> None:
        """Load a video (None: nothing) and, with ``play``, start playing it at once."""
        self._generation += 1
        self._watchdog.stop()
        self._set_source(QUrl())
        self.picture.clear()
        self.controls.show_duration(0)
        self.controls.show_position(0)
        self.controls.setEnabled(False)  # until a source loads
        self._video_id = video_id
        video = self.video()
        self.info.show_video(video)
        self._show_from_bucket(False)
        self.info.locate_button.hide()
        self._update_poster_button()
        if video is None:
            self._show_nothing()
            return
        where = choose_source(video, self.remote_source)
        self.info.locate_button.setVisible(where.missing)
        if where.local_path is not None:
            self._load(QUrl.fromLocalFile(str(where.local_path)), play)
        elif where.remote and self.remote_source is not None:
            self.picture.set_message("Connecting to the bucket…", video.title, warning=False)
            generation, fetch = self._generation, self.remote_source
            self.link_runner.run(
                lambda: fetch(video),
                lambda link: self._remote_ready(generation, link, play),
                lambda error: self._remote_failed(generation, error),
            )
        else:
            self.picture.set_message("This video's file is missing", where.problem or "")

    def _connect_sound(self) -> None:
        has_device = bool(QMediaDevices.audioOutputs())
        if has_device and self.player.audioOutput() is None:
            self.player.setAudioOutput(self.audio)

    def stop(self) -> None:
        self._watchdog.stop()
        self._command("stop")

    def retire(self) -> None:
        """Stop for good before the pane goes away (window closing, application exit).

        The stop is queued (see ``_command``), so the pane may be deleted before it has run.
        The player therefore leaves the pane and outlives it: it is deleted by the event loop
        only after it has stopped and let go of its source, never in the middle of playing.
        """
        self._generation += 1
        self._watchdog.stop()
        self._video_id = None
        player = self.player
        if player.parent() is not self:
            return  # already retired
        self._source = QUrl()
        self._command("stop")
        self._command("setSource", Q_ARG(QUrl, QUrl()))
        # What it plays into goes with it: a sink deleted under a playing player crashes it.
        self.audio.setParent(player)
        self.picture.sink.setParent(player)
        player.setParent(None)
        _RETIRING.add(player)
        player.destroyed.connect(partial(_RETIRING.discard, player))
        QMetaObject.invokeMethod(player, "deleteLater", Qt.ConnectionType.QueuedConnection)

    def _command(self, slot: str, *args: Any) -> None:
        """Have the player run ``slot``, after the commands handed over before it.

        Stopping and changing the source wait for the FFmpeg backend's threads, and one of
        them may be waiting for the Python lock (tearing down a connection to one of our Qt
        objects): calling them from Python, which holds that lock, can deadlock. Queued, Qt's
        event loop calls the C++ slot itself, with the lock free. Other commands go the
        same way while any are queued, so they keep their order.
        """
        QMetaObject.invokeMethod(self.player, slot, Qt.ConnectionType.QueuedConnection, *args)
        self._queued += 1
        QMetaObject.invokeMethod(self, "_command_done", Qt.ConnectionType.QueuedConnection)

    @Slot()
    def _command_done(self) -> None:
        self._queued -= 1

    def _set_source(self, url: QUrl) -> None:
        if url.isEmpty() and self._source.isEmpty() and not self._queued:
            return  # nothing to stop or unload
        self._source = QUrl(url)
        self._command("stop")
        self._command("setSource", Q_ARG(QUrl, url))

    def _play(self) -> None:
        if self._queued:
            self._command("play")
        else:
            self.player.play()

    def _pause(self) -> None:
        if self._queued:
            self._command("pause")
        else:
            self.player.pause()

    def _show_nothing(self) -> None:
        self.picture.set_message(
            "No video selected", "Double-click a video, or press Enter, to play it.", warning=False
        )
        self.controls.setEnabled(False)

    def _load(self, url: QUrl, play: bool) -> None:
        self.picture.clear_message()
        self.controls.setEnabled(True)
        self._set_source(url)
        if play:
            self._play()
            self._watchdog.start()
        else:
            self._pause()

    def _remote_ready(self, generation: int, link: PlaybackLink | str | None, play: bool) -> None:
        if generation != self._generation:
            return
        if isinstance(link, str):
            link = PlaybackLink(url=link)
        if link is None or not link.url:
            problem = link.problem if link is not None and link.problem else NO_LINK
            self.picture.set_message("Can't play this video from the bucket", problem)
            return
        self._show_from_bucket(True)
        self._load(QUrl(link.url), play)

    def _show_from_bucket(self, remote: bool) -> None:
        self._from_bucket = remote
        self.info.show_playing_from_bucket(remote)
        self._update_badge()

    def _update_badge(self) -> None:
        """Where the details are not shown (quick look, full screen), the picture itself
        says it comes from the bucket."""
        details_hidden = self.compact or self._full_screen is not None
        note = self.info.source_note
        if self._from_bucket and details_hidden:
            self.picture.set_badge(note.text(), note.toolTip())
        else:
            self.picture.set_badge("")

    def _remote_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        log.info("no download URL: %s", error)
        self.picture.set_message(
            "Can't play this video from the bucket", f"{error} Locate the local file instead."
        )

    # ------------------------------------------------------------------ transport

    def toggle_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self._pause()
        elif not self._source.isEmpty():
            self._play()

    def seek_to(self, position_ms: int) -> None:
        duration = self.player.duration()
        upper = duration if duration > 0 else position_ms
        target = max(0, min(position_ms, upper))
        if self._queued:
            self._command("setPosition", Q_ARG("qint64", target))
        else:
            self.player.setPosition(target)

    def seek_by(self, delta_ms: int) -> None:
        self.seek_to(self.player.position() + delta_ms)

    def frame_ms(self) -> float:
        """How long one frame shows, from the probed frame rate (or the player's)."""
        video = self.video()
        rate = video.frame_rate if video is not None and video.frame_rate else None
        if rate is None:
            from PySide6.QtMultimedia import QMediaMetaData

            value = self.player.metaData().value(QMediaMetaData.Key.VideoFrameRate)
            rate = float(value) if isinstance(value, int | float) and value > 0 else None
        return 1000.0 / (rate or FALLBACK_FRAME_RATE)

    def step_frame(self, direction: int) -> None:
        """Pause and show the next (+1) or previous (-1) frame."""
        if self._source.isEmpty():
            return
        self._pause()
        frame = self.picture.current_frame()
        here = frame.startTime() / 1000 if frame is not None and frame.startTime() >= 0 else None
        if here is None:
            here = float(self.player.position())
        length = self.frame_ms()
        # Aim at the middle of the neighbouring frame, so rounding can't land on this one.
        target = here + 1.5 * length if direction > 0 else here - 0.5 * length
        self.seek_to(round(target))

    def change_speed(self, step: int) -> None:
        rate = self.player.playbackRate()
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - rate))
        self.player.setPlaybackRate(SPEEDS[max(0, min(len(SPEEDS) - 1, index + step))])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        """Carry out a player key; False if the key is not the player's (left to parents)."""
        key = event.key()
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        if self.compact and key in (
            Qt.Key.Key_Space,
            Qt.Key.Key_Escape,
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
        ):
            return False
        if key == Qt.Key.Key_Space:
            self.toggle_play()
        elif key == Qt.Key.Key_K:
            self._pause()
        elif key == Qt.Key.Key_L:
            if playing:
                self.change_speed(+1)
            else:
                self.player.setPlaybackRate(1.0)
                self._play()
        elif key == Qt.Key.Key_J:
            if playing and self.player.playbackRate() > 1.0:
                self.change_speed(-1)
            else:
                self.seek_by(-SEEK_STEP_MS)
        elif key == Qt.Key.Key_Left:
            self.seek_by(-SEEK_STEP_MS)
        elif key == Qt.Key.Key_Right:
            self.seek_by(SEEK_STEP_MS)
        elif key == Qt.Key.Key_Comma:
            self.step_frame(-1)
        elif key == Qt.Key.Key_Period:
            self.step_frame(+1)
        elif key == Qt.Key.Key_M:
            self.audio.setMuted(not self.audio.isMuted())
        elif key == Qt.Key.Key_F or (key == Qt.Key.Key_Escape and self.is_full_screen):
            self.toggle_full_screen()
        else:
            return False
        event.accept()
        return True

    # ------------------------------------------------------------------ full screen

    @property
    def is_full_screen(self) -> bool:
        return self._full_screen is not None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The details sit beside the picture, or under it when the pane is narrow."""
        super().resizeEvent(event)
        narrow = event.size().width() < DETAILS_BESIDE_MIN_WIDTH
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
            self.info.set_beside(not narrow)

    def toggle_full_screen(self) -> None:
        """Move the picture and controls into a full-screen window, or back."""
        if self._full_screen is None:
            window = _FullScreenWindow(self)
            window.take(self.stage)
            self._full_screen = window
            self._update_badge()
            window.showFullScreen()
            window.activateWindow()
            return
        host, self._full_screen = self._full_screen, None
        self._layout.insertWidget(0, self.stage, 1)
        self.stage.show()
        host.close()
        host.deleteLater()
        self._update_badge()
        self.setFocus()

    # ------------------------------------------------------------------ player reports

    def _playback_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.controls.show_playing(playing)
        if not playing:
            self._watchdog.stop()
        elif self.picture.frame_count == 0:
            self._watchdog.start()

    def _picture_arrived(self) -> None:
        self._watchdog.stop()
        self._update_poster_button()

    def _check_picture(self) -> None:
        if self.picture.frame_count or self.picture.message:
            return
        if not self.player.hasVideo() and self.player.hasAudio():
            return  # told already by _status_changed
        video = self.video()
        self.picture.set_message(
            "No picture from this file",
            f"“{video.title if video else 'This video'}” loaded, but no frame could be "
            "decoded. The file may be damaged, or its format isn't supported here.",
        )

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        loaded = status == QMediaPlayer.MediaStatus.LoadedMedia
        if loaded and self.player.hasAudio() and not self.player.hasVideo():
            self.picture.set_message(
                "Sound only", "This file has no picture to show.", warning=False
            )

    def _player_failed(self, error: QMediaPlayer.Error, text: str) -> None:
        if error == QMediaPlayer.Error.NoError:
            return
        self._watchdog.stop()
        video = self.video()
        name = Path(video.source_path).name if video is not None else "this file"
        log.info("player error %s on %s: %s", error, name, text)
        self.picture.set_message(
            "This video can't be played",
            f"“{name}” couldn't be decoded ({text or error.name}). The file may be damaged, "
            "or its format isn't supported on this computer.",
        )
        self.controls.setEnabled(False)

    # ------------------------------------------------------------------ store events

    # The steps it follows (a StoreListener's narrowing: a bulk edit's hundreds of moves are
    # not announced to it).
    before_kinds: frozenset[type] = frozenset()
    after_kinds: frozenset[type] = frozenset({VideoChanged, VideoPurged})

    def before(self, step: Step) -> None:
        pass

    def after(self, step: Step) -> None:
        if isinstance(step, VideoChanged) and step.video_id == self._video_id:
            video = self.video()
            self.info.show_video(video)
            if video is not None and "source_path" in step.after:
                self.show_video(video.id, play=False)
        elif isinstance(step, VideoPurged) and step.video.id == self._video_id:
            self.show_video(None)

    # ------------------------------------------------------------------ relinking

    def locate_file(self) -> None:
        """Ask for the moved file; it is hashed off the GUI thread, then relinked."""
        video = self.video()
        if video is None:
            return
        path = self.choose_file(video)
        if path is None:
            return
        self.status_message.emit(f"Checking “{path.name}”…")
        self.runner.run(
            lambda: hash_and_mtime(path),
            lambda found: self._relink(video.id, path, *found),
            lambda error: self._tell(f"Couldn't read “{path.name}”: {error}"),
        )

    def _relink(self, video_id: str, path: Path, sha1: str, mtime: float) -> None:
        store = self.session.store
        if not store.has_video(video_id):
            return
        video = store.video(video_id)
        if video.sha1 is not None and sha1 == video.sha1:
            changes: dict[str, object] = {"source_path": str(path), "source_mtime": mtime}
            if video.status is VideoStatus.MISSING:
                changes["status"] = (
                    VideoStatus.UPLOADED if video.remote_file_id else VideoStatus.READY
                )
            if self.session.apply_untracked(UpdateVideo(video_id, changes)) is not None:
                self._tell(f"Found “{video.title}” again at {path}.")
                if video_id == self._video_id:
                    # The store event has already loaded the file; just start it.
                    self._play()
            return
        if not self.confirm_replacement(video, path):
            return
        if self.replace_file is None or not self.replace_file(video_id, path):
            self._tell(f"Couldn't replace “{video.title}” now; try again after the import.")
            return
        self._tell(f"Replacing “{video.title}” with “{path.name}”…")

    def _ask_for_file(self, video: Video) -> Path | None:
        start = str(Path(video.source_path).parent) if video.source_path else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            f"Locate “{video.title}”",
            start,
            "Videos (*.mp4 *.mov *.mkv *.webm *.m4v *.avi);;All files (*)",
        )
        return Path(chosen) if chosen else None

    def _ask_to_replace(self, video: Video, path: Path) -> bool:
        answer = QMessageBox.question(
            self,
            "Not the same file",
            f"“{path.name}” has different content from “{video.title}”.\n\n"
            "Use it as the video's new file? (You can undo this.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ poster frame

    def _update_poster_button(self) -> None:
        video = self.video()
        enabled = (
            video is not None
            and video.sha1 is not None
            and self.cache is not None
            and self.picture.current_frame() is not None
        )
        self.info.poster_button.setEnabled(enabled)

    def use_frame_as_thumbnail(self) -> None:
        """Make the frame on screen the video's thumbnail (one undoable edit)."""
        video = self.video()
        frame = self.picture.current_frame()
        image = self.picture.current_image()
        if (
            video is None
            or video.sha1 is None
            or self.cache is None
            or frame is None
            or image is None
        ):
            self._tell("There is no frame to use yet.")
            return
        time_s = max(0.0, frame.startTime() / 1_000_000)
        if video.duration_s is not None:
            time_s = min(time_s, video.duration_s)
        out = self.cache.poster(video.sha1, time_s)
        copy = image.copy()
        video_id, course_id = video.id, video.course_id
        self.runner.run(
            lambda: write_poster(copy, out),
            lambda _path: self._poster_written(video_id, course_id, time_s),
            lambda error: self._tell(f"Couldn't save the thumbnail: {error}"),
        )

    def _poster_written(self, video_id: str, course_id: str, time_s: float) -> None:
        if not self.session.store.has_video(video_id):
            return
        self.session.do(SetPosterFrame(video_id, time_s), "Use frame as thumbnail", course_id)

    def _tell(self, message: str) -> None:
        self.status_message.emit(message)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)


class _FullScreenWindow(QWidget):
    """Holds the pane's stage while it is full screen; its keys go to the pane."""

    def __init__(self, pane: PlayerPane) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("playerFullScreen")
        self.setWindowTitle("CourseDesk player")
        self._pane = pane
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.setStyleSheet("#playerFullScreen { background: #000; }")

    def take(self, stage: QWidget) -> None:
        self._layout.addWidget(stage)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._pane.is_full_screen:
            self._pane.toggle_full_screen()
            return
        if not self._pane.handle_key(event):
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._pane.is_full_screen:
            # Closed by the window manager: put the stage back first.
            QTimer.singleShot(0, self._pane.toggle_full_screen)
        super().closeEvent(event)


# Players of panes that went away, kept until the event loop has stopped and deleted them.
_RETIRING: set[QObject] = set()


def _unsubscribe(store: object, listener: object) -> None:
    with contextlib.suppress(ValueError):
        store.unsubscribe(listener)  # type: ignore[attr-defined]
