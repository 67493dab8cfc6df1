"""The upload queue: every video whose content is not in the bucket yet, uploaded in the
background, N files at a time with M parts each, resumable across restarts.

``UploadQueue`` lives on the GUI thread (or the command line's event loop) and never
touches widgets: it follows the store's events, keeps one job per video in the journal,
runs ``worker.run_upload`` on a QThreadPool, applies results to videos through the given
editor (``UpdateVideo``, outside the undo history) and reports through its signals:

- ``job_changed(video_id, state, message)``: a job was queued, started, paused, failed ...
  ``state`` is a ``JobState`` value; ``message`` is for the instructor (may be empty).
- ``progress(tuple[JobProgress, ...])``: the running jobs' bytes, speed and ETA, at most
  ten times a second.
- ``totals_changed(QueueTotals)``: counts per state, overall throughput, the queue state.
- ``state_changed(state, message)``: ``QueueState``: running, paused, offline, no account.
- ``idle()``: nothing left to upload or delete (the command line's ``--wait`` ends here).

Jobs follow the store: ``rescan`` gives a job to every video of the courses opened in it that
needs one. A course opened later (``course_opened``) is first looked over a slice at a time:
its videos get their jobs and their statuses catch up with jobs that went on while it was not
open. ``enqueue_library`` reads the videos of the courses not opened at all straight from the
database, off the GUI thread, and gives them jobs too, a slice at a time; their rows catch up
once their course is opened. Work handed over in slices keeps the window responsive while
thousands of videos are queued.

Methods for the Uploads panel: ``pause``/``resume`` (one job), ``pause_all``/``resume_all``,
``cancel``, ``retry``, ``set_bandwidth_limit``; ``set_account`` after the Storage dialog;
``set_transfer`` after Settings (connections at once, part size).
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from sqlalchemy import Connection, Engine

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.domain.operations import Batch, Operation, UpdateVideo
from coursedesk.domain.steps import (
    CourseChanged,
    VideoChanged,
    VideoCreated,
    VideoPurged,
    VideoRestored,
)
from coursedesk.domain.store import Applied, Store
from coursedesk.persistence import uploads as journal_db
from coursedesk.persistence.upload_backlog import SavedVideo, videos_to_upload
from coursedesk.persistence.uploads import JobRecord, JobState
from coursedesk.services.tasks import PoolRunner
from coursedesk.services.upload import deletions
from coursedesk.services.upload.errors import NoAccount, Offline, UploadProblem
from coursedesk.services.upload.gateway import B2Gateway
from coursedesk.services.upload.journal import JournalWriter
from coursedesk.services.upload.naming import object_name
from coursedesk.services.upload.parts import RateLimiter
from coursedesk.services.upload.retry import Clock, RealClock, RetryPolicy
from coursedesk.services.upload.sweep import sweep_orphans
from coursedesk.services.upload.upload_settings import (
    DEFAULT_CONNECTIONS,
    UploadSettings,
    with_connections,
)
from coursedesk.services.upload.worker import (
    Interrupted,
    JobControl,
    JobOutcome,
    UploadContext,
    run_upload,
)

__all__ = [
    "DEFAULT_CONNECTIONS",
    "JobProgress",
    "QueueState",
    "QueueTotals",
    "UploadQueue",
    "UploadSettings",
    "VideoEditor",
    "with_connections",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

_UPLOADABLE = {
    VideoStatus.READY,
    VideoStatus.QUEUED,
    VideoStatus.UPLOADING,
    VideoStatus.UPLOADED,
    VideoStatus.FAILED,
}
_WATCHED_FIELDS = {"sha1", "status", "source_path", "size_bytes", "deleted_at"}
# What a video's status says while its job is in each state.
_STATUS_OF_JOB = {
    JobState.QUEUED: VideoStatus.QUEUED,
    JobState.RUNNING: VideoStatus.UPLOADING,
    JobState.FAILED: VideoStatus.FAILED,
    JobState.PAUSED: VideoStatus.QUEUED,
    JobState.CANCELLED: VideoStatus.READY,
    JobState.DONE: VideoStatus.UPLOADED,
}
# Videos looked over per turn of the event loop, with one journal write and one store edit
# for the slice: of courses not open (cheap: a job each), or of open ones, whose rows on
# screen change too (about half a millisecond each). Either keeps a turn near 20 ms.
BACKLOG_SLICE = 200
OPEN_COURSE_SLICE = 40


@dataclass(frozen=True, slots=True)
class _InStore:
    """A video of a course being looked over since it was opened."""

    video_id: str


@dataclass(frozen=True, slots=True)
class _LookedOver:
    """Every video of the course before this in the backlog has been looked over."""

    course_id: str


_BacklogItem = SavedVideo | _InStore | _LookedOver


class VideoEditor(Protocol):
    """How the queue changes videos: the edit session satisfies this."""

    @property
    def store(self) -> Store: ...

    def apply_untracked(self, operation: Operation) -> Applied | None: ...


@dataclass
class _Pending:
    """Job records and video changes gathered to be written in one go."""

    jobs: list[JobRecord] = field(default_factory=list)
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)


class QueueState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"  # the instructor paused everything
    OFFLINE = "offline"  # waiting for the network; probed every few seconds
    NO_ACCOUNT = "no account"  # no storage set up, or the account refuses us


@dataclass(frozen=True, slots=True)
class JobProgress:
    video_id: str
    bytes_done: int
    bytes_total: int
    bytes_per_s: float
    eta_s: float | None


@dataclass(frozen=True, slots=True)
class QueueTotals:
    queued: int
    running: int
    paused: int
    failed: int
    done: int
    bytes_per_s: float
    state: QueueState


class _PartPool:
    """Runs a job's parts on a QThreadPool, handing back futures."""

    def __init__(self, threads: int) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)

    def run(self, work: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()

        def job() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(work())
            except BaseException as exc:  # handed to the waiting job thread
                future.set_exception(exc)

        self.pool.start(job)
        return future


@dataclass
class _Speed:
    last_bytes: int
    last_time: float
    bytes_per_s: float = 0.0


class UploadQueue(QObject):
    job_changed = Signal(str, str, str)
    progress = Signal(object)
    totals_changed = Signal(object)
    state_changed = Signal(str, str)
    idle = Signal()

    def __init__(
        self,
        editor: VideoEditor,
        engine: Engine,
        gateway_factory: Callable[[], B2Gateway] | None,
        *,
        name_prefix: str = "",
        settings: UploadSettings | None = None,
        clock: Clock | None = None,
        on_part_recorded: Callable[[str, int], None] | None = None,
    ) -> None:
        super().__init__()
        self._editor = editor
        self._settings = settings or UploadSettings()
        self._journal = JournalWriter(engine)
        self._gateway_factory = gateway_factory
        self._gateway: B2Gateway | None = None
        self._name_prefix = name_prefix
        self._clock = clock or RealClock()
        self._on_part_recorded = on_part_recorded
        self._limiter = RateLimiter(self._settings.bandwidth_limit_bytes_per_s)
        s = self._settings
        self._files = PoolRunner(max_threads=s.files_at_once)
        self._parts = _PartPool(s.parts_at_once)
        self._chores = PoolRunner(max_threads=1)
        self._reader = PoolRunner(max_threads=1)
        self._jobs: dict[str, JobRecord] = {}
        self._controls: dict[str, JobControl] = {}
        self._speeds: dict[str, _Speed] = {}
        self._restart: set[str] = set()
        self._state = QueueState.NO_ACCOUNT
        self._message = ""
        self._started = False
        self._closing = False
        self._sweeping = False
        self._deleting = False
        self._deletions_pending = False
        self._rescan_scheduled = False
        self._was_idle = False
        self._paused_all = False
        # Courses in the store whose videos were looked over (jobs made, statuses matched
        # with them) since they were opened, and those being looked over.
        self._synced: set[str] = set()
        self._syncing: set[str] = set()
        self._pending: _Pending | None = None
        self._backlog: deque[_BacklogItem] = deque()
        self._taking_backlog = False
        self._reading_backlog = False
        self._read_backlog_again = False
        self._tick = QTimer(self)
        self._tick.setInterval(int(s.progress_interval_s * 1000))
        self._tick.timeout.connect(self._report_progress)
        self._probe = QTimer(self)
        self._probe.setInterval(int(s.offline_probe_interval_s * 1000))
        self._probe.timeout.connect(self._probe_network)
        self._deletion_timer = QTimer(self)
        self._deletion_timer.setSingleShot(True)
        self._deletion_timer.setInterval(int(s.deletion_retry_interval_s * 1000))
        self._deletion_timer.timeout.connect(self._drain_deletions)
        editor.store.subscribe(self)

    # Life cycle

    def start(self) -> None:
        """Load the journal, tidy up after any crash, and start uploading."""
        if self._started:
            return
        self._started = True
        jobs = self._journal.read(journal_db.load_jobs)
        orphans = self._journal.read(journal_db.orphaned_jobs)
        for orphan in orphans:
            jobs.pop(orphan.video_id, None)
            self._journal.submit(deletions.forget_video_job(orphan))
        for job in jobs.values():
            if job.state is JobState.RUNNING:
                job = replace(job, state=JobState.QUEUED)
                self._journal.submit(_set_state(job.video_id, JobState.QUEUED, job.error))
            self._jobs[job.video_id] = job
        self._deletions_pending = True
        self._connect_account()
        # The courses open already are looked over at once: the caller may look at the jobs.
        with self._gathered():
            for course_id in self._loaded_courses():
                self._look_over(course_id, sync=True)
                self._synced.add(course_id)
        self._pump()

    def shutdown(self) -> None:
        """Stop every job (they resume next time) and release threads and connections."""
        if self._closing:
            return
        self._closing = True
        self._editor.store.unsubscribe(self)
        self._tick.stop()
        self._probe.stop()
        self._deletion_timer.stop()
        for control in self._controls.values():
            control.request("stopping")
        self._backlog.clear()
        self._files.wait()
        self._chores.wait()
        self._reader.wait()
        self._parts.pool.waitForDone()
        self._journal.close()
        if self._gateway is not None:
            self._gateway.close()
            self._gateway = None

    def set_account(
        self, gateway_factory: Callable[[], B2Gateway] | None, name_prefix: str = ""
    ) -> None:
        """Use another storage account (after the Storage dialog); failed jobs try again."""
        for control in self._controls.values():
            control.request("stopping")
        self._gateway_factory = gateway_factory
        self._name_prefix = name_prefix
        for job in list(self._jobs.values()):
            if job.state is JobState.FAILED:
                self._set_job(job.video_id, JobState.QUEUED, None)
        self._connect_account()

    def set_transfer(self, connections: int, part_size_bytes: int) -> None:
        """Send ``connections`` parts at once in all and cut new uploads into parts of
        ``part_size_bytes``. Parts on their way finish; uploads already cut into parts keep
        their size (so they resume where they were)."""
        self._settings = replace(
            with_connections(self._settings, connections), part_size_bytes=part_size_bytes
        )
        s = self._settings
        self._files.pool.setMaxThreadCount(s.files_at_once)
        self._parts.pool.setMaxThreadCount(s.parts_at_once)
        if self._started and not self._closing:
            self._pump()  # more files at once may start now

    @property
    def settings(self) -> UploadSettings:
        return self._settings

    # Queries

    @property
    def state(self) -> QueueState:
        return self._state

    def jobs(self) -> dict[str, JobRecord]:
        return dict(self._jobs)

    @property
    def reading_library(self) -> bool:
        """Whether ``enqueue_library`` is still reading or queueing the library's videos."""
        return self._reading_backlog or bool(self._backlog)

    def is_idle(self) -> bool:
        busy = {JobState.QUEUED, JobState.RUNNING}
        return (
            not self._controls
            and not any(job.state in busy for job in self._jobs.values())
            and not self._deleting
            and not self._deletions_pending
            and not self._deletion_timer.isActive()
            and not self._sweeping
            and not self.reading_library
        )

    # Control

    def pause(self, video_id: str) -> None:
        job = self._jobs.get(video_id)
        if job is None:
            return
        control = self._controls.get(video_id)
        if control is not None:
            control.request("paused")
        elif job.state is JobState.QUEUED:
            self._set_job(video_id, JobState.PAUSED, None)

    def resume(self, video_id: str) -> None:
        job = self._jobs.get(video_id)
        if job is not None and job.state is JobState.PAUSED:
            self._set_job(video_id, JobState.QUEUED, None)
            self._pump()

    def pause_all(self) -> None:
        self._paused_all = True
        self._set_queue_state(QueueState.PAUSED, "Uploads are paused.")
        # Stopped jobs go back in line (not paused one by one), so resume_all starts them.
        for control in self._controls.values():
            control.request("stopping")

    def resume_all(self) -> None:
        if self._paused_all:
            self._paused_all = False
            self._connect_account()

    def cancel(self, video_id: str) -> None:
        job = self._jobs.get(video_id)
        if job is None or job.state is JobState.DONE:
            return
        control = self._controls.get(video_id)
        if control is not None:
            control.request("cancelled")
        else:
            self._cancelled(job)

    def retry(self, video_id: str) -> None:
        job = self._jobs.get(video_id)
        if job is not None and job.state in (JobState.FAILED, JobState.CANCELLED):
            self._set_job(video_id, JobState.QUEUED, None)
            self._pump()

    def set_bandwidth_limit(self, bytes_per_s: int | None) -> None:
        """Limit all uploads together to ``bytes_per_s`` (None: no limit)."""
        self._limiter.set_rate(bytes_per_s)

    # Store events (StoreListener)

    def before(self, step: object) -> None:
        pass

    def after(self, step: object) -> None:
        if isinstance(step, VideoPurged):
            video = step.video
            # Checked once the edit is saved: a save that fails puts the video back.
            QTimer.singleShot(0, lambda: self._purged(video))
        elif (
            isinstance(step, VideoCreated | VideoRestored)
            or (isinstance(step, VideoChanged) and step.fields & _WATCHED_FIELDS)
            or (isinstance(step, CourseChanged) and "deleted_at" in step.after)
        ):
            self._schedule_rescan()

    def _schedule_rescan(self) -> None:
        if not self._rescan_scheduled and not self._closing:
            self._rescan_scheduled = True
            QTimer.singleShot(0, self.rescan)

    # Jobs

    def job(self, video_id: str) -> JobRecord | None:
        return self._jobs.get(video_id)

    def course_opened(self, course_id: str | None) -> None:
        """A course was opened (read into the store): its videos get their jobs, and their
        statuses catch up with jobs that went on while it was not open, a slice at a time."""
        store = self._editor.store
        if (
            course_id is None
            or self._closing
            or not self._started
            or not store.is_loaded(course_id)
            or store.course(course_id).deleted_at is not None
            or course_id in self._synced
            or course_id in self._syncing
        ):
            return
        self._syncing.add(course_id)
        self._backlog.extend(_InStore(v) for v in store.course_video_ids(course_id))
        self._backlog.append(_LookedOver(course_id))
        self._schedule_backlog()

    def rescan(self) -> None:
        """Give every video of the courses in the store that needs uploading a job."""
        self._rescan_scheduled = False
        if self._closing:
            return
        loaded = self._loaded_courses()
        self._synced &= loaded
        self._syncing &= loaded
        with self._gathered():
            for course_id in loaded:
                if course_id in self._synced:
                    self._look_over(course_id)
                else:
                    # Opened without a word (to empty the Trash, by another program's
                    # edits): looked over a slice at a time, like a course opened.
                    self.course_opened(course_id)
        self._pump()

    def _loaded_courses(self) -> set[str]:
        """The live courses read into the store (a course in the Trash gets no new jobs)."""
        store = self._editor.store
        return {c.id for c in store.courses() if store.is_loaded(c.id)}

    def _look_over(self, course_id: str, *, sync: bool = False) -> None:
        store = self._editor.store
        for video_id in list(store.course_video_ids(course_id)):
            self._consider(store.video(video_id), sync=sync)

    def enqueue_library(self) -> None:
        """Give a job to every video of every live course that needs one, whether its course
        is open in the store or not (those are read from the database on a worker)."""
        if self._closing:
            return
        if self._reading_backlog:
            self._read_backlog_again = True
            return
        self._reading_backlog = True
        read = self._journal.read
        self._reader.run(
            lambda: read(videos_to_upload), self._backlog_read, self._backlog_unreadable
        )

    def _backlog_read(self, videos: list[SavedVideo]) -> None:
        self._reading_backlog = False
        if self._closing:
            return
        self._backlog.extend(videos)
        if self._read_backlog_again:
            self._read_backlog_again = False
            self.enqueue_library()
        self._schedule_backlog()

    def _backlog_unreadable(self, exc: BaseException) -> None:
        self._reading_backlog = False
        log.error("could not read the videos waiting for an upload", exc_info=exc)
        self._check_idle()

    def _schedule_backlog(self) -> None:
        if not self._taking_backlog and self._backlog and not self._closing:
            self._taking_backlog = True
            QTimer.singleShot(0, self._take_backlog)

    def _take_backlog(self) -> None:
        self._taking_backlog = False
        if self._closing:
            return
        store = self._editor.store
        open_video_cost = BACKLOG_SLICE / OPEN_COURSE_SLICE
        spent = 0.0
        with self._gathered():
            while self._backlog and spent < BACKLOG_SLICE:
                item = self._backlog.popleft()
                in_store = isinstance(item, _InStore) or (
                    isinstance(item, SavedVideo) and store.is_loaded(item.course_id)
                )
                spent += open_video_cost if in_store else 1
                if isinstance(item, _LookedOver):
                    if item.course_id in self._syncing:
                        self._syncing.discard(item.course_id)
                        self._synced.add(item.course_id)
                        # Videos added to it meanwhile.
                        self._schedule_rescan()
                elif isinstance(item, _InStore):
                    if store.has_video(item.video_id):
                        self._consider(store.video(item.video_id), sync=True)
                elif not store.is_loaded(item.course_id):
                    self._consider(item)
                elif store.has_video(item.id):
                    # Opened since it was read: the store is the truth.
                    self._consider(store.video(item.id))
        self._schedule_backlog()
        self._pump()

    @contextmanager
    def _gathered(self) -> Iterator[None]:
        """Write the job records and video changes made inside in one go each."""
        if self._pending is not None:
            yield
            return
        pending = self._pending = _Pending()
        try:
            yield
        finally:
            self._pending = None
            if pending.jobs:
                self._journal.submit(_save_all(pending.jobs))
            self._apply_changes(pending.changes)

    def _consider(self, video: Video | SavedVideo, *, sync: bool = False) -> None:
        if video.deleted_at is not None or not video.sha1 or video.status not in _UPLOADABLE:
            return
        job = self._jobs.get(video.id)
        if job is None:
            if video.status is VideoStatus.UPLOADED and video.remote_file_id:
                return  # uploaded before the journal existed
            self._new_job(video, None)
            return
        if job.sha1 == video.sha1:
            if job.source_path != video.source_path and video.id not in self._controls:
                state = JobState.QUEUED if job.state is JobState.FAILED else job.state
                self._jobs[video.id] = replace(job, source_path=video.source_path, state=state)
                self._save_job(self._jobs[video.id])
            elif sync:
                self._match_status(video.id, job)
            return
        # New content (the file was replaced).
        if video.id in self._controls:
            self._restart.add(video.id)
            self._controls[video.id].request("cancelled")
            return
        self._new_job(video, job)

    def _match_status(self, video_id: str, job: JobRecord) -> None:
        """Bring a video's status (and, once uploaded, its remote ids) in line with its job."""
        changes: dict[str, Any] = {"status": _STATUS_OF_JOB[job.state], "error": job.error}
        if job.state is JobState.DONE:
            changes.update(
                error=None, remote_file_id=job.remote_file_id, remote_name=job.object_name
            )
        self._update_video(video_id, **changes)

    def _new_job(self, video: Video | SavedVideo, previous: JobRecord | None) -> None:
        name = object_name(
            self._name_prefix, video.course_id, video.id, Path(video.source_path).name
        )
        old_name = old_id = None
        if previous is not None:
            if previous.state is JobState.DONE:
                old_name, old_id = previous.object_name, previous.remote_file_id
            else:
                old_name, old_id = previous.old_object_name, previous.old_file_id
                if previous.large_file_id:
                    self._journal.submit(
                        deletions.enqueue(previous.object_name, None, previous.large_file_id)
                    )
                    self._deletions_pending = True
        job = JobRecord(
            video_id=video.id,
            course_id=video.course_id,
            sha1=video.sha1 or "",
            size_bytes=video.size_bytes or 0,
            source_mtime=video.source_mtime,
            source_path=video.source_path,
            object_name=name,
            large_file_id=None,
            part_size_bytes=None,
            state=JobState.QUEUED,
            error=None,
            attempts=0,
            remote_file_id=None,
            old_object_name=old_name,
            old_file_id=old_id,
        )
        self._jobs[video.id] = job
        self._save_job(job)
        self._update_video(video.id, status=VideoStatus.QUEUED, error=None)
        self.job_changed.emit(video.id, JobState.QUEUED.value, "")

    def _set_job(self, video_id: str, state: JobState, error: str | None) -> None:
        job = self._jobs.get(video_id)
        if job is None:
            return
        self._jobs[video_id] = replace(job, state=state, error=error)
        self._journal.submit(_set_state(video_id, state, error))
        self.job_changed.emit(video_id, state.value, error or "")
        if state is not JobState.DONE:
            self._update_video(video_id, status=_STATUS_OF_JOB[state], error=error)
        self._report_totals()

    def _save_job(self, job: JobRecord) -> None:
        if self._pending is not None:
            self._pending.jobs.append(job)
        else:
            self._journal.submit(_save(job))

    def _update_video(self, video_id: str, **changes: Any) -> None:
        store = self._editor.store
        if not store.has_video(video_id):
            return
        video = store.video(video_id)
        if all(getattr(video, key) == value for key, value in changes.items()):
            return
        if self._pending is not None:
            self._pending.changes.setdefault(video_id, {}).update(changes)
            return
        self._apply_changes({video_id: changes})

    def _apply_changes(self, changes: dict[str, dict[str, Any]]) -> None:
        """Set the videos' fields, many of them as one edit."""
        store = self._editor.store
        updates = [UpdateVideo(vid, new) for vid, new in changes.items() if store.has_video(vid)]
        if not updates:
            return
        operation: Operation = updates[0] if len(updates) == 1 else Batch(tuple(updates))
        try:
            self._editor.apply_untracked(operation)
        except Exception:  # the upload goes on; the next change will try again
            log.warning("could not update the upload status of videos", exc_info=True)

    def _pump(self) -> None:
        """Start queued jobs while there are free slots."""
        if self._closing or self._state is not QueueState.RUNNING or self._sweeping:
            self._check_idle()
            return
        for job in list(self._jobs.values()):
            if len(self._controls) >= self._settings.files_at_once:
                break
            if job.state is JobState.QUEUED and job.video_id not in self._controls:
                self._launch(job)
        if self._deletions_pending:
            self._drain_deletions()
        if self._controls and not self._tick.isActive():
            self._tick.start()
        self._check_idle()

    def _launch(self, job: JobRecord) -> None:
        gateway = self._gateway
        assert gateway is not None
        control = JobControl(job.video_id, job.size_bytes)
        self._controls[job.video_id] = control
        self._speeds[job.video_id] = _Speed(0, time.monotonic())
        self._set_job(job.video_id, JobState.RUNNING, None)
        s = self._settings
        context = UploadContext(
            gateway=gateway,
            journal=self._journal,
            run_part=self._parts.run,
            limiter=self._limiter,
            clock=self._clock,
            retry=RetryPolicy(s.retry_first_delay_s, s.retry_cap_s),
            parts_per_file=s.parts_per_file,
            preferred_part_bytes=s.part_size_bytes,
            on_part_recorded=self._on_part_recorded,
        )
        video_id = job.video_id
        self._files.run(
            lambda: run_upload(video_id, context, control),
            self._finished,
            lambda exc: self._stopped(video_id, exc),
        )

    def _finished(self, outcome: JobOutcome) -> None:
        video_id = outcome.video_id
        self._controls.pop(video_id, None)
        self._speeds.pop(video_id, None)
        job = self._jobs.get(video_id)
        if job is None:  # purged meanwhile: its object goes too
            self._journal.submit(deletions.enqueue(outcome.job.object_name, None, None))
            self._deletions_pending = True
            self._pump()
            return
        remote = outcome.remote
        self._jobs[video_id] = replace(
            outcome.job,
            state=JobState.DONE,
            error=None,
            remote_file_id=remote.file_id,
            large_file_id=None,
            old_object_name=None,
            old_file_id=None,
        )
        self._journal.submit(lambda c: journal_db.finish_job(c, video_id, remote.file_id))
        old_name, old_id = outcome.job.old_object_name, outcome.job.old_file_id
        if old_name and old_id != remote.file_id:
            # The replaced content goes once the new one is verified.
            same_name = old_name == outcome.job.object_name
            if not same_name or old_id:
                self._journal.submit(
                    deletions.enqueue(old_name, old_id if same_name else None, None)
                )
                self._deletions_pending = True
        changes: dict[str, Any] = {
            "status": VideoStatus.UPLOADED,
            "error": None,
            "remote_file_id": remote.file_id,
            "remote_name": remote.name,
        }
        store = self._editor.store
        if store.has_video(video_id) and store.video(video_id).sha1 != outcome.sha1:
            changes.update(
                sha1=outcome.sha1,
                size_bytes=outcome.size_bytes,
                source_mtime=outcome.source_mtime,
            )
        self._update_video(video_id, **changes)
        self.job_changed.emit(video_id, JobState.DONE.value, " ".join(outcome.notes))
        self._report_totals()
        self._pump()

    def _stopped(self, video_id: str, exc: BaseException) -> None:
        control = self._controls.pop(video_id, None)
        self._speeds.pop(video_id, None)
        job = self._jobs.get(video_id)
        if job is None:
            self._pump()
            return
        if video_id in self._restart:
            self._restart.discard(video_id)
            self._jobs[video_id] = replace(job, state=JobState.QUEUED)
            self._schedule_rescan()
        elif isinstance(exc, Interrupted):
            if exc.reason == "paused":
                self._set_job(video_id, JobState.PAUSED, None)
            elif exc.reason == "cancelled":
                self._cancelled(job)
            else:
                self._set_job(video_id, JobState.QUEUED, None)
        elif isinstance(exc, Offline):
            self._set_job(video_id, JobState.QUEUED, None)
            self._go_offline(exc.message)
        elif isinstance(exc, NoAccount):
            self._set_job(video_id, JobState.QUEUED, None)
            self._set_queue_state(QueueState.NO_ACCOUNT, exc.message)
        elif isinstance(exc, UploadProblem):
            message = exc.message
            if control is not None and control.notes:
                message = " ".join([*control.notes, message])
            self._set_job(video_id, JobState.FAILED, message)
        else:
            log.error("upload of %s failed unexpectedly", video_id, exc_info=exc)
            self._set_job(video_id, JobState.FAILED, f"The upload failed unexpectedly ({exc}).")
        self._pump()

    def _cancelled(self, job: JobRecord) -> None:
        video_id = job.video_id
        current = self._journal.read(lambda c: journal_db.load_job(c, video_id)) or job
        if current.large_file_id:
            self._journal.submit(
                deletions.enqueue(current.object_name, None, current.large_file_id)
            )
            self._deletions_pending = True
        self._journal.submit(lambda c: journal_db.set_large_file(c, video_id, None, None))
        self._jobs[video_id] = replace(job, large_file_id=None, part_size_bytes=None)
        self._set_job(video_id, JobState.CANCELLED, "Cancelled.")

    def _purged(self, video: Video) -> None:
        if self._closing or self._editor.store.has_video(video.id):
            return
        job = self._jobs.pop(video.id, None)
        control = self._controls.get(video.id)
        if control is not None:
            control.request("cancelled")
        if job is not None:
            self._journal.submit(deletions.forget_video_job(job))
        elif video.remote_name:
            self._journal.submit(deletions.enqueue(video.remote_name, None, None))
        self._deletions_pending = True
        self._pump()

    # Account, network, clean-up

    def _connect_account(self) -> None:
        if self._closing:
            return
        if self._gateway is not None:
            self._gateway.close()
            self._gateway = None
        if self._gateway_factory is None:
            self._set_queue_state(
                QueueState.NO_ACCOUNT,
                "Uploads wait until a storage account is set up (Storage settings).",
            )
            return
        try:
            self._gateway = self._gateway_factory()
        except UploadProblem as problem:
            self._set_queue_state(QueueState.NO_ACCOUNT, problem.message)
            return
        self._sweeping = True
        gateway, journal = self._gateway, self._journal
        prefix = self._name_prefix + "courses/"
        self._chores.run(
            lambda: sweep_orphans(gateway, journal, prefix), self._swept, self._sweep_failed
        )

    def _swept(self, cancelled: int) -> None:
        self._sweeping = False
        if cancelled:
            log.info("cancelled %d unfinished large files no upload owned", cancelled)
        if self._paused_all:
            self._set_queue_state(QueueState.PAUSED, "Uploads are paused.")
        else:
            self._set_queue_state(QueueState.RUNNING, "")
        self._pump()

    def _sweep_failed(self, exc: BaseException) -> None:
        self._sweeping = False
        if isinstance(exc, Offline) or (isinstance(exc, UploadProblem) and exc.transient):
            self._go_offline(exc.message)
        elif isinstance(exc, UploadProblem):
            self._set_queue_state(QueueState.NO_ACCOUNT, exc.message)
        else:
            log.error("checking the storage account failed", exc_info=exc)
            self._set_queue_state(QueueState.NO_ACCOUNT, f"Storage check failed ({exc}).")
        self._check_idle()

    def _go_offline(self, message: str) -> None:
        if self._state is QueueState.OFFLINE:
            return
        for control in self._controls.values():
            control.request("stopping")
        self._set_queue_state(QueueState.OFFLINE, f"{message} Uploads continue when it is back.")
        self._probe.start()

    def _probe_network(self) -> None:
        if self._state is not QueueState.OFFLINE or self._sweeping:
            self._probe.stop()
            return
        self._probe.stop()
        self._connect_account()

    def _drain_deletions(self) -> None:
        gateway = self._gateway
        if self._deleting or gateway is None or self._state is not QueueState.RUNNING:
            return
        self._deleting = True
        self._deletions_pending = False
        journal = self._journal
        self._chores.run(
            lambda: deletions.drain_deletions(gateway, journal), self._drained, self._drain_failed
        )

    def _drained(self, failed: int) -> None:
        self._deleting = False
        if failed:
            self._deletion_timer.start()
        if self._deletions_pending:
            self._drain_deletions()
        self._check_idle()

    def _drain_failed(self, exc: BaseException) -> None:
        self._deleting = False
        log.error("remote deletions failed", exc_info=exc)
        self._deletion_timer.start()
        self._check_idle()

    # Reporting

    def _set_queue_state(self, state: QueueState, message: str) -> None:
        if (state, message) == (self._state, self._message):
            return
        self._state, self._message = state, message
        self.state_changed.emit(state.value, message)
        self._report_totals()

    def _report_progress(self) -> None:
        now = time.monotonic()
        reports = []
        for video_id, control in self._controls.items():
            done = control.bytes_done()
            speed = self._speeds.setdefault(video_id, _Speed(done, now))
            elapsed = now - speed.last_time
            if elapsed > 0:
                current = max(0.0, (done - speed.last_bytes) / elapsed)
                speed.bytes_per_s = 0.7 * speed.bytes_per_s + 0.3 * current
            speed.last_bytes, speed.last_time = done, now
            remaining = control.total_bytes - done
            eta = remaining / speed.bytes_per_s if speed.bytes_per_s > 0 else None
            reports.append(JobProgress(video_id, done, control.total_bytes, speed.bytes_per_s, eta))
        if reports:
            self.progress.emit(tuple(reports))
        else:
            self._tick.stop()
        self._report_totals()

    def _report_totals(self) -> None:
        counts = dict.fromkeys(JobState, 0)
        for job in self._jobs.values():
            counts[job.state] += 1
        self.totals_changed.emit(
            QueueTotals(
                queued=counts[JobState.QUEUED],
                running=counts[JobState.RUNNING],
                paused=counts[JobState.PAUSED],
                failed=counts[JobState.FAILED],
                done=counts[JobState.DONE],
                bytes_per_s=sum(speed.bytes_per_s for speed in self._speeds.values()),
                state=self._state,
            )
        )

    def _check_idle(self) -> None:
        # Only on the way from busy to idle, so a listener hears "done" once per round.
        idle = self.is_idle() and not self._closing
        if idle and not self._was_idle:
            self.idle.emit()
        self._was_idle = idle


def _save(job: JobRecord) -> Callable[[Connection], None]:
    return lambda c: journal_db.save_job(c, job)


def _save_all(jobs: list[JobRecord]) -> Callable[[Connection], None]:
    def save(connection: Connection) -> None:
        for job in jobs:
            journal_db.save_job(connection, job)

    return save


def _set_state(video_id: str, state: JobState, error: str | None) -> Callable[[Connection], None]:
    return lambda c: journal_db.set_state(c, video_id, state, error)
