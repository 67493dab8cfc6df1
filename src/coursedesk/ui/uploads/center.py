"""The process's one upload queue as the windows see it: saved settings, per-video progress
for the tree and the grid, the status bar's summary, and what closing the window means."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from sqlalchemy import Engine

from coursedesk.persistence.uploads import JobState
from coursedesk.services.upload.account import StorageSettings, load_application_key
from coursedesk.services.upload.parts import DEFAULT_PART_SIZE_BYTES
from coursedesk.services.upload.queue import (
    DEFAULT_CONNECTIONS,
    JobProgress,
    QueueState,
    QueueTotals,
    UploadQueue,
    UploadSettings,
    VideoEditor,
)
from coursedesk.services.upload.settings_file import (
    UploadConfig,
    forget_account,
    gateway_factory_for,
    load_upload_config,
    save_account,
    save_bandwidth_limit,
    save_transfer_settings,
)
from coursedesk.ui.uploads.formatting import summary_text
from coursedesk.ui.uploads.job_places import JobPlaces

_BUSY = (JobState.QUEUED, JobState.RUNNING)


class UploadCenter(QObject):
    """Owns the upload queue for the windows of one library (they share it)."""

    # Video ids whose progress, as the tree and grid show it (whole percents), changed.
    video_progress = Signal(object)
    # The status bar's line changed.
    summary_changed = Signal(str)
    # The storage account, bandwidth limit, connections or part size changed (any window).
    config_changed = Signal()

    def __init__(
        self,
        queue: UploadQueue,
        folder: Path,
        config: UploadConfig,
        places: JobPlaces,
        *,
        quit_app: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.queue = queue
        # Each upload's video title, course and chapter, for the Uploads panels.
        self.places = places
        self.folder = folder
        self._config = config
        self._quit_app = quit_app or QCoreApplication.quit
        self._progress: dict[str, JobProgress] = {}
        self._percents: dict[str, int] = {}
        self._totals = QueueTotals(0, 0, 0, 0, 0, 0.0, queue.state)
        self._message = ""
        self._summary = ""
        self._in_background = False
        self._shut = False
        queue.progress.connect(self._on_progress)
        queue.job_changed.connect(self._on_job_changed)
        queue.totals_changed.connect(self._on_totals)
        queue.state_changed.connect(self._on_state)
        self._update_summary()

    @classmethod
    def open(
        cls,
        editor: VideoEditor,
        engine: Engine,
        folder: Path,
        settings: UploadSettings | None = None,
        **options: Callable[[], None],
    ) -> UploadCenter:
        """A queue over ``engine`` with the account saved in ``folder`` (not started yet)."""
        config = load_upload_config(folder)
        account = config.account
        queue = UploadQueue(
            editor,
            engine,
            gateway_factory_for(account),
            name_prefix=account.name_prefix if account is not None else "",
            settings=config.applied_to(settings or UploadSettings()),
        )
        return cls(queue, folder, config, JobPlaces(editor.store, engine), **options)

    def start(self) -> None:
        """Resume the journal's uploads and queue every video of the library still to upload,
        whichever courses get opened."""
        self.queue.start()
        self.queue.enqueue_library()

    def course_opened(self, course_id: str | None) -> None:
        """A window opened a course: its videos' statuses catch up with their uploads."""
        self.queue.course_opened(course_id)

    def shutdown(self) -> None:
        self._shut = True
        self.queue.shutdown()
        self.places.close()

    # ------------------------------------------------------------------ settings

    @property
    def config(self) -> UploadConfig:
        return self._config

    @property
    def account(self) -> StorageSettings | None:
        return self._config.account

    def has_saved_key(self) -> bool:
        account = self._config.account
        if account is None:
            return False
        try:
            return bool(load_application_key(account.key_id))
        except Exception:  # a locked keyring reads as "no key"; the dialog asks again
            return False

    def save_account(self, account: StorageSettings, app_key: str | None) -> None:
        """Keep the account (the key in the keyring) and upload with it from now on.
        Raises ``KeyringUnavailable``."""
        self._config = save_account(self.folder, account, app_key)
        self.queue.set_account(gateway_factory_for(account), account.name_prefix)
        # Everything imported so far goes up with the account just connected.
        self.queue.enqueue_library()
        self.config_changed.emit()
        self._update_summary()

    def forget_account(self) -> None:
        self._config = forget_account(self.folder)
        self.queue.set_account(None)
        self.config_changed.emit()
        self._update_summary()

    def set_bandwidth_limit(self, bytes_per_s: int | None) -> None:
        """Limit all uploads together (None: as fast as the network goes); remembered."""
        if bytes_per_s == self._config.bandwidth_limit_bytes_per_s:
            return
        self._config = save_bandwidth_limit(self.folder, bytes_per_s)
        self.queue.set_bandwidth_limit(bytes_per_s)
        self.config_changed.emit()

    @property
    def connections(self) -> int:
        """How many parts are sent at once, over all uploads."""
        return self.queue.settings.parts_at_once

    @property
    def part_size_bytes(self) -> int:
        """The part size new uploads are cut into."""
        return self.queue.settings.part_size_bytes

    def set_transfer_settings(
        self, connections: int, part_size_bytes: int, bandwidth_limit_bytes_per_s: int | None
    ) -> None:
        """Keep all three in ``storage.json`` (one write) and upload with them from now on:
        new parts and new uploads use them, no restart needed. Raises ``ValueError`` (a value
        out of range) or ``OSError`` (the file can't be written); then nothing changed."""
        self._config = save_transfer_settings(
            self.folder,
            # The defaults are not written down, so a later version's better ones apply.
            connections=None if connections == DEFAULT_CONNECTIONS else connections,
            part_size_bytes=None if part_size_bytes == DEFAULT_PART_SIZE_BYTES else part_size_bytes,
            bandwidth_limit_bytes_per_s=bandwidth_limit_bytes_per_s,
        )
        self.queue.set_transfer(connections, part_size_bytes)
        self.queue.set_bandwidth_limit(self._config.bandwidth_limit_bytes_per_s)
        self.config_changed.emit()

    # ------------------------------------------------------------------ progress

    def fraction(self, video_id: str) -> float | None:
        """How much of the video is uploaded, 0.0 to 1.0, while it uploads; else None."""
        progress = self._progress.get(video_id)
        if progress is None or progress.bytes_total <= 0:
            return None
        return min(1.0, progress.bytes_done / progress.bytes_total)

    def progress_of(self, video_id: str) -> JobProgress | None:
        return self._progress.get(video_id)

    def _on_progress(self, reports: tuple[JobProgress, ...]) -> None:
        changed = []
        for report in reports:
            self._progress[report.video_id] = report
            total = report.bytes_total or 1
            percent = int(100 * report.bytes_done / total)
            if self._percents.get(report.video_id) != percent:
                self._percents[report.video_id] = percent
                changed.append(report.video_id)
        if changed:
            self.video_progress.emit(tuple(changed))

    def _on_job_changed(self, video_id: str, state: str, _message: str) -> None:
        if state != JobState.RUNNING.value and video_id in self._progress:
            del self._progress[video_id]
            self._percents.pop(video_id, None)
            self.video_progress.emit((video_id,))

    # ------------------------------------------------------------------ summary

    @property
    def totals(self) -> QueueTotals:
        return self._totals

    @property
    def state_message(self) -> str:
        return self._message

    def summary(self) -> str:
        return self._summary

    def _on_totals(self, totals: QueueTotals) -> None:
        self._totals = totals
        self._update_summary()

    def _on_state(self, state: str, message: str) -> None:
        self._message = message
        self._update_summary()
        if self._in_background and QueueState(state) is not QueueState.RUNNING:
            # Offline, no account or paused: nothing more finishes now; the rest resumes
            # next time CourseDesk starts.
            QTimer.singleShot(0, self._quit_app)

    def _update_summary(self) -> None:
        text = summary_text(
            self._totals, self._message, has_account=self._config.account is not None
        )
        if text != self._summary:
            self._summary = text
            self.summary_changed.emit(text)

    # ------------------------------------------------------------------ closing

    def uploads_running(self) -> int:
        """How many uploads would go on now if the window stayed open (0: close freely)."""
        if self._shut or self.queue.state is not QueueState.RUNNING:
            return 0
        return sum(1 for job in self.queue.jobs().values() if job.state in _BUSY)

    def finish_in_background(self) -> None:
        """The windows are closing: keep the process until the queue is idle, then quit."""
        self._in_background = True
        app = QCoreApplication.instance()
        if isinstance(app, QGuiApplication):
            app.setQuitOnLastWindowClosed(False)
        self.queue.idle.connect(self._quit_app)
        if self.queue.is_idle() or self.queue.state is not QueueState.RUNNING:
            QTimer.singleShot(0, self._quit_app)

    def pause_and_quit(self) -> None:
        """Stop uploading now; the jobs stay queued and resume next time."""
        self.queue.pause_all()
