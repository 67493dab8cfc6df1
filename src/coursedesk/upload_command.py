"""``coursedesk upload``: the window's upload queue, headless, with progress on stderr."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from coursedesk.course_listing import CourseNotFound, find_course
from coursedesk.domain.operations import Operation
from coursedesk.domain.store import Applied, Store
from coursedesk.persistence.library import Library
from coursedesk.persistence.uploads import JobRecord, JobState
from coursedesk.services.upload.account import KeyringUnavailable, credentials_for
from coursedesk.services.upload.errors import NoAccount
from coursedesk.services.upload.headless import HeadlessListener, Stopped, upload_headless
from coursedesk.services.upload.queue import JobProgress, UploadSettings
from coursedesk.services.upload.settings_file import STORAGE_FILE_NAME, load_upload_config
from coursedesk.ui.format import format_size

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_OFFLINE = 3
EXIT_CANCELLED = 130

UPLOAD_HELP = f"""\
What it does: every video of the course (every course without --course) whose content is
not in the bucket yet is uploaded, exactly as the window does it, resuming where an earlier
run or the window stopped. Progress goes to stderr: a progress bar on a terminal, else a
line every few seconds; each file that fails is named with the reason.

  without --wait   uploads until nothing is left, or until B2 can't be reached (then it
                   stops; the rest resumes next time CourseDesk or this command runs).
  with --wait      also waits out network outages, retrying until everything is uploaded.

Only with --course: uploads queued earlier for other courses wait for the next run.
The storage account is the one saved in Settings ▸ Storage… ({STORAGE_FILE_NAME} in the
data folder, the key in this computer's keyring).

Exit status: 0 everything is uploaded; 1 some file failed (each is named on stderr with
why); 2 the upload did not run (no storage account or key, an unknown course, a library
that cannot be opened, an account B2 refuses); 3 B2 could not be reached (without --wait);
130 cancelled (Ctrl+C; uploads resume next time).
"""


@dataclass(frozen=True, slots=True)
class UploadRequest:
    course_title: str | None = None
    wait: bool = False


class UploadUsageError(Exception):
    """The upload can't run; the message says why."""


class _Report:
    """Progress on stderr: one redrawn bar on a terminal, else a line every few seconds."""

    LINE_INTERVAL_S = 5.0

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.terminal = out.isatty()
        self.jobs: dict[str, JobRecord] = {}
        self.total_bytes = 0
        self.done_bytes = 0
        self.running: dict[str, JobProgress] = {}
        self.speed = 0.0
        self.uploaded = 0
        self.failed: dict[str, str] = {}
        self._last_line = 0.0
        self._bar_shown = False

    def start(self, jobs: dict[str, JobRecord]) -> None:
        self.jobs = jobs
        self.total_bytes = sum(job.size_bytes for job in jobs.values())
        if jobs:
            self.draw(force=True)

    def progress(self, reports: tuple[JobProgress, ...]) -> None:
        for report in reports:
            if report.video_id in self.jobs:
                self.running[report.video_id] = report
        self.speed = sum(r.bytes_per_s for r in self.running.values())
        self.draw()

    def job_changed(self, video_id: str, state: str, message: str) -> None:
        job = self.jobs.get(video_id)
        if job is None:
            return
        self.running.pop(video_id, None)
        name = Path(job.source_path).name
        if state == JobState.DONE.value:
            self.uploaded += 1
            self.done_bytes += job.size_bytes
            self.say(f"uploaded {name} ({format_size(job.size_bytes)})")
        elif state == JobState.FAILED.value:
            self.failed[video_id] = message
            self.say(f"failed {name}: {message}")
        elif state == JobState.QUEUED.value:
            self.failed.pop(video_id, None)
        self.draw(force=True)

    def say(self, line: str) -> None:
        self.clear_bar()
        print(line, file=self.out, flush=True)

    def status(self) -> tuple[str, float]:
        done = self.done_bytes + sum(r.bytes_done for r in self.running.values())
        total = max(self.total_bytes, 1)
        fraction = min(1.0, done / total)
        speed = f" · {format_size(round(self.speed))}/s" if self.running else ""
        return (
            f"{fraction:4.0%} {format_size(done)} of {format_size(self.total_bytes)}"
            f" · {self.uploaded} of {len(self.jobs)} files{speed}"
        ), fraction

    def draw(self, *, force: bool = False) -> None:
        text, fraction = self.status()
        if self.terminal:
            width = 28
            filled = round(fraction * width)
            bar = "█" * filled + "░" * (width - filled)
            self.out.write(f"\r\x1b[2K{bar} {text}")
            self.out.flush()
            self._bar_shown = True
            return
        now = time.monotonic()
        if force or now - self._last_line >= self.LINE_INTERVAL_S:
            self._last_line = now
            print(f"uploading: {text}", file=self.out, flush=True)

    def clear_bar(self) -> None:
        if self._bar_shown:
            self.out.write("\r\x1b[2K")
            self.out.flush()
            self._bar_shown = False


class _LibraryEditor:
    """The queue changes videos straight in the library: no window, no undo history."""

    def __init__(self, library: Library) -> None:
        self.library = library

    @property
    def store(self) -> Store:
        return self.library.store

    def apply_untracked(self, operation: Operation) -> Applied | None:
        return self.library.apply(operation)


def _open_courses(library: Library, title: str | None) -> set[str]:
    if title is not None:
        try:
            course = find_course(library.store, title)
        except CourseNotFound as exc:
            raise UploadUsageError(str(exc)) from None
        courses = [course.id]
    else:
        courses = [course.id for course in library.store.courses()]
    for course_id in courses:
        library.open_course(course_id)
    return set(courses)


def run_upload(
    library: Library,
    folder: Path,
    request: UploadRequest,
    *,
    err: TextIO | None = None,
    settings: UploadSettings | None = None,
) -> int:
    """Upload what needs uploading; the exit status as described in ``UPLOAD_HELP``.
    Raises ``UploadUsageError`` when the upload can't run at all."""
    out = err if err is not None else sys.stderr
    config = load_upload_config(folder)
    account = config.account
    if account is None:
        raise UploadUsageError(
            "no storage account is set up. Open CourseDesk and choose Settings ▸ Storage… "
            "to enter your Backblaze B2 key and bucket."
        )
    try:
        credentials_for(account)  # the key is in the keyring: say so now, not after a wait
    except (NoAccount, KeyringUnavailable) as exc:
        raise UploadUsageError(exc.message) from None
    scope = _open_courses(library, request.course_title)
    report = _Report(out)
    run = upload_headless(
        _LibraryEditor(library),
        library.database.engine,
        account,
        course_ids=scope,
        wait=request.wait,
        bandwidth_limit_bytes_per_s=config.bandwidth_limit_bytes_per_s,
        # Connections at once and part size as chosen in Settings.
        settings=config.applied_to(settings or UploadSettings()),
        listener=HeadlessListener(
            started=report.start,
            progress=report.progress,
            job_changed=report.job_changed,
            note=report.say,
        ),
    )
    report.clear_bar()
    if run.stopped is Stopped.NO_ACCOUNT:
        raise UploadUsageError(run.message)
    if run.stopped is Stopped.OFFLINE:
        print(f"coursedesk upload: stopped: {run.message} The rest goes next time.", file=out)
        return EXIT_OFFLINE
    if run.stopped is Stopped.CANCELLED:
        print("coursedesk upload: cancelled; the uploads resume next time.", file=out)
        return EXIT_CANCELLED
    failed = [job for job in run.jobs.values() if job.state is JobState.FAILED]
    if failed:
        print(f"coursedesk upload: {len(failed)} of {len(run.jobs)} failed:", file=out)
        for job in failed:
            print(f"  {Path(job.source_path).name}: {job.error or 'failed'}", file=out)
        return EXIT_FAILED
    if run.jobs:
        print(f"coursedesk upload: {len(run.jobs)} uploaded; all in the bucket.", file=out)
    else:
        print("coursedesk upload: nothing to upload; every video is in the bucket.", file=out)
    return EXIT_OK
