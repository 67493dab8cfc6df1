"""The upload queue without a window: run it on an event loop of its own until nothing is
left (or it can't go on), for ``coursedesk upload``."""

from __future__ import annotations

import signal
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from sqlalchemy import Engine

from coursedesk.persistence.uploads import JobRecord, JobState
from coursedesk.services.upload.account import StorageSettings
from coursedesk.services.upload.queue import (
    JobProgress,
    QueueState,
    UploadQueue,
    VideoEditor,
)
from coursedesk.services.upload.settings_file import gateway_factory_for
from coursedesk.services.upload.upload_settings import UploadSettings

IDLE_POLL_MS = 200


class Stopped(StrEnum):
    DONE = "done"  # nothing left that can be uploaded (failed jobs wait for a retry)
    NO_ACCOUNT = "no account"  # the account is refused, or its key is missing
    OFFLINE = "offline"  # B2 can't be reached (only when not waiting)
    CANCELLED = "cancelled"  # Ctrl+C


@dataclass
class HeadlessListener:
    """What the caller hears while the queue runs (all on the calling thread)."""

    started: Callable[[dict[str, JobRecord]], None] = lambda _jobs: None
    progress: Callable[[tuple[JobProgress, ...]], None] = lambda _reports: None
    job_changed: Callable[[str, str, str], None] = lambda _v, _s, _m: None
    note: Callable[[str], None] = lambda _text: None


@dataclass
class HeadlessRun:
    stopped: Stopped
    message: str
    # The jobs in scope as they ended.
    jobs: dict[str, JobRecord] = field(default_factory=dict)


def upload_headless(
    editor: VideoEditor,
    engine: Engine,
    account: StorageSettings,
    *,
    course_ids: set[str] | None = None,
    wait: bool = False,
    bandwidth_limit_bytes_per_s: int | None = None,
    settings: UploadSettings | None = None,
    listener: HeadlessListener | None = None,
) -> HeadlessRun:
    """Upload the videos of ``course_ids`` (None: all) until done; with ``wait``, network
    outages are waited out instead of ending the run. Jobs of other courses stay queued."""
    hear = listener or HeadlessListener()
    _app = QCoreApplication.instance() or QCoreApplication([])
    queue = UploadQueue(
        editor,
        engine,
        gateway_factory_for(account),
        name_prefix=account.name_prefix,
        settings=replace(
            settings or UploadSettings(),
            bandwidth_limit_bytes_per_s=bandwidth_limit_bytes_per_s,
        ),
    )
    loop = QEventLoop()
    outcome: list[tuple[Stopped, str]] = []
    held: list[str] = []

    def in_scope(job: JobRecord) -> bool:
        return course_ids is None or job.course_id in course_ids

    def stop(why: Stopped, message: str = "") -> None:
        if not outcome:
            outcome.append((why, message))
        loop.quit()

    def state_changed(state: str, message: str) -> None:
        if state == QueueState.NO_ACCOUNT.value:
            stop(Stopped.NO_ACCOUNT, message)
        elif state == QueueState.OFFLINE.value:
            if wait:
                hear.note(f"waiting: {message}")
            else:
                stop(Stopped.OFFLINE, message)

    def check_idle() -> None:
        if queue.is_idle() and queue.state is QueueState.RUNNING:
            stop(Stopped.DONE)

    pending: dict[str, JobRecord] = {}
    try:
        queue.state_changed.connect(state_changed)
        queue.progress.connect(hear.progress)
        queue.job_changed.connect(hear.job_changed)
        queue.start()
        # Nothing runs before the account is checked (on a worker), so other courses'
        # queued uploads can still be held back.
        for job in queue.jobs().values():
            if not in_scope(job) and job.state is JobState.QUEUED:
                queue.pause(job.video_id)
                held.append(job.video_id)
        pending = {
            video_id: job
            for video_id, job in queue.jobs().items()
            if in_scope(job) and job.state is not JobState.DONE
        }
        hear.started(pending)
        queue.idle.connect(check_idle)
        poll = QTimer()
        poll.setInterval(IDLE_POLL_MS)  # a safety net: idle is announced once per busy spell
        poll.timeout.connect(check_idle)
        poll.start()
        previous = signal.getsignal(signal.SIGINT)
        signal.signal(signal.SIGINT, lambda _sig, _frame: stop(Stopped.CANCELLED))
        try:
            if not outcome:
                loop.exec()
        finally:
            signal.signal(signal.SIGINT, previous)
            poll.stop()
    finally:
        if held:
            queue.pause_all()  # so giving them back their place starts nothing now
            for video_id in held:
                queue.resume(video_id)
        queue.shutdown()
    why, message = outcome[0] if outcome else (Stopped.CANCELLED, "")
    jobs = queue.jobs()
    return HeadlessRun(why, message, {vid: jobs[vid] for vid in pending if vid in jobs})
