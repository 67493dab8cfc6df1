"""Importing a drop: rows appear at once, the files are read in the background.

``Importer.start`` plans the drop on a worker, asks about exact duplicates (content already
in the course, found cheaply: only files whose size matches an existing video are hashed
before asking), then adds every accepted file as a "processing" row in one undoable edit
("Import 42 videos"), and processes the files on the runner: probe, hash, pictures. A folder
dropped to make chapters joins the course's chapter of the same name when there is one
(appended at its end; see ``chapter_match``) instead of making a second one. Each
result is stored on its video outside the undo history; a file that turns out unreadable is
discarded and named in the report; cancelling discards the rows not finished yet.

The importer never touches widgets: it talks to the instructor through the ``Editor`` it is
given (edits, refusals), a duplicate resolver callback, and its signals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from coursedesk.domain.model import Video, VideoStatus, new_id
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    Batch,
    DiscardVideos,
    Operation,
    ReplaceVideoContent,
    UpdateVideo,
    new_video,
)
from coursedesk.domain.store import Applied, Store
from coursedesk.domain.text import fold_for_search
from coursedesk.media import Cancelled, MediaError, sha1_of_file
from coursedesk.services.ingest.chapter_match import ChapterMatcher
from coursedesk.services.ingest.pipeline import IngestedFile, ThumbnailCache, ingest_file
from coursedesk.services.ingest.scan import DropPlan, PlannedFile, plan_drop
from coursedesk.services.tasks import TaskRunner

log = logging.getLogger(__name__)

# Where loose files dropped on empty space in the chapter tree go: a chapter of their own.
LOOSE_FILES_CHAPTER = "Imported videos"
# Two recordings are possibly the same lesson re-edited if their titles match and their
# durations differ by at most this much.
POSSIBLE_DUPLICATE_DURATION_S = 1.0
# Progress signals at most this often, so the GUI thread is not flooded.
PROGRESS_INTERVAL_S = 0.1


class Editor(Protocol):
    """How the importer changes the course: the edit session satisfies this."""

    @property
    def store(self) -> Store: ...

    def do(self, operation: Operation, text: str, course_id: str) -> Applied | None: ...

    def apply_untracked(self, operation: Operation) -> Applied | None: ...


class DuplicateChoice(StrEnum):
    SKIP = "skip"
    KEEP_BOTH = "keep both"
    REPLACE = "replace"


@dataclass(frozen=True, slots=True)
class DuplicateQuestion:
    """A dropped file whose content is already in the course."""

    path: Path
    existing_video_id: str
    existing_title: str
    existing_in_trash: bool
    remaining: int  # further duplicates in this drop after this one


@dataclass(frozen=True, slots=True)
class DuplicateAnswer:
    choice: DuplicateChoice
    apply_to_all: bool = False


DuplicateResolver = Callable[[DuplicateQuestion], DuplicateAnswer]


def skip_duplicates(_question: DuplicateQuestion) -> DuplicateAnswer:
    return DuplicateAnswer(DuplicateChoice.SKIP, apply_to_all=True)


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """Where a drop goes: a chapter at an index, the library (chapter None), or, with
    ``make_chapters``, new chapters made from the dropped folders."""

    course_id: str
    chapter_id: str | None = None
    index: int | None = None
    make_chapters: bool = False


@dataclass(frozen=True, slots=True)
class ImportProgress:
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    eta_s: float | None


@dataclass(frozen=True, slots=True)
class PossibleDuplicate:
    """A new video that looks like a re-edit of an existing one (same title, ~same length)."""

    new_video_id: str
    existing_video_id: str


@dataclass(frozen=True, slots=True)
class Refused:
    name: str
    message: str


@dataclass
class ImportReport:
    """What a drop did, for the report the instructor sees at the end."""

    imported: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    skipped_duplicates: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    possible_duplicates: list[PossibleDuplicate] = field(default_factory=list)
    notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cancelled: bool = False

    @property
    def problems(self) -> int:
        return len(self.refused)


@dataclass
class _Job:
    target: ImportTarget
    report: ImportReport = field(default_factory=ImportReport)
    cancel_event: threading.Event = field(default_factory=threading.Event)
    pending: dict[str, Path] = field(default_factory=dict)  # video id → file being processed
    replacing: dict[str, Path] = field(default_factory=dict)  # existing video id → new file
    files_total: int = 0
    files_done: int = 0
    bytes_total: int = 0
    bytes_done_finished: int = 0
    bytes_in_flight: dict[str, int] = field(default_factory=dict)
    started_at: float = field(default_factory=time.monotonic)
    planned: bool = False
    finished: bool = False


class Importer(QObject):
    """Imports drops into courses; one drop at a time is tracked for progress and cancel."""

    progress = Signal(object)  # ImportProgress
    finished = Signal(object)  # ImportReport
    # A video's pictures were (re)made; views showing it should reload its thumbnail.
    pictures_ready = Signal(str)
    _bytes_read = Signal(str, int)  # from workers: video id (or path), bytes hashed so far

    def __init__(
        self,
        editor: Editor,
        runner: TaskRunner,
        thumbnails: ThumbnailCache,
        resolve_duplicate: DuplicateResolver = skip_duplicates,
        is_dismissed: Callable[[str, str], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._editor = editor
        self._runner = runner
        self.thumbnails = thumbnails
        self._resolve_duplicate = resolve_duplicate
        self._is_dismissed = is_dismissed or (lambda _a, _b: False)
        self._job: _Job | None = None
        self._last_progress_at = 0.0
        self._bytes_read.connect(self._on_bytes_read)

    @property
    def busy(self) -> bool:
        return self._job is not None and not self._job.finished

    # ------------------------------------------------------------------ starting

    def start(self, paths: Sequence[Path], target: ImportTarget) -> bool:
        """Begin importing ``paths``; False (and nothing done) if a drop is still running."""
        if self.busy:
            return False
        job = _Job(target)
        self._job = job
        self._emit_progress(job, force=True)
        self._runner.run(
            lambda: plan_drop(list(paths), make_chapters=target.make_chapters),
            lambda plan: self._planned(job, plan),
            lambda exc: self._failed(job, exc),
        )
        return True

    def cancel(self) -> None:
        """Stop the current drop: what is fully imported stays, unfinished rows go."""
        job = self._job
        if job is None or job.finished:
            return
        job.cancel_event.set()
        job.report.cancelled = True
        unfinished = tuple(vid for vid in job.pending if self._editor.store.has_video(vid))
        if unfinished:
            self._editor.apply_untracked(DiscardVideos(unfinished))
        job.pending.clear()
        job.replacing.clear()
        self._finish(job)

    def shut_down(self) -> None:
        """Stop reading files, leaving the course as it is (the application is quitting):
        rows still processing stay so, and ``resume`` carries on with them next time."""
        job = self._job
        if job is not None and not job.finished:
            job.cancel_event.set()
            job.finished = True

    def resume(self, course_id: str) -> int:
        """Process again the videos of a course left "processing" (e.g. by a crash).
        Returns how many were queued."""
        store = self._editor.store
        waiting = [
            store.video(vid)
            for vid in [*store.live_video_ids(course_id), *store.trashed_video_ids(course_id)]
            if store.video(vid).status is VideoStatus.PROCESSING
        ]
        if not waiting or self.busy:
            return 0
        job = _Job(ImportTarget(course_id))
        job.planned = True
        self._job = job
        for video in waiting:
            self._process(job, video.id, Path(video.source_path), video.size_bytes or 0)
        self._check_done(job)
        return len(waiting)

    def replace_file(self, video_id: str, path: Path) -> bool:
        """Read ``path`` in the background, then give video ``video_id`` its content (one
        undoable edit, "Replace video"). False if a drop is still running."""
        if self.busy:
            return False
        video = self._editor.store.video(video_id)
        job = _Job(ImportTarget(video.course_id))
        job.planned = True
        self._job = job
        self._replace(job, video_id, path, _size_of(path))
        self._check_done(job)
        return True

    # ------------------------------------------------------------------ planning

    def _planned(self, job: _Job, plan: DropPlan) -> None:
        if job.cancel_event.is_set():
            return
        job.report.refused.extend(Refused(r.path.name, r.message) for r in plan.refused)
        files = list(plan.files)
        suspects = self._size_matches(job.target.course_id, files)
        if not suspects:
            self._add(job, plan, {})
            return
        # Hash only the files whose size matches a video already in the course.
        self._runner.run(
            lambda: {
                f.path: sha1_of_file(f.path, should_cancel=job.cancel_event.is_set)
                for f in suspects
            },
            lambda hashes: self._add(job, plan, hashes),
            lambda exc: self._suspects_unreadable(job, plan, exc),
        )

    def _suspects_unreadable(self, job: _Job, plan: DropPlan, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            return
        # The per-file processing will refuse the unreadable file with its own message.
        log.info("hashing possible duplicates failed: %s", exc)
        self._add(job, plan, {})

    def _size_matches(self, course_id: str, files: list[PlannedFile]) -> list[PlannedFile]:
        store = self._editor.store
        sizes = {
            store.video(vid).size_bytes
            for vid in [*store.live_video_ids(course_id), *store.trashed_video_ids(course_id)]
        }
        return [f for f in files if f.size_bytes in sizes]

    def _existing_by_sha1(self, course_id: str) -> dict[str, Video]:
        store = self._editor.store
        found: dict[str, Video] = {}
        for vid in [*store.live_video_ids(course_id), *store.trashed_video_ids(course_id)]:
            video = store.video(vid)
            if video.sha1:
                found.setdefault(video.sha1, video)
        return found

    def _add(self, job: _Job, plan: DropPlan, hashes: dict[Path, str]) -> None:
        if job.cancel_event.is_set():
            return
        target = job.target
        existing = self._existing_by_sha1(target.course_id)
        duplicates = [
            (f, existing[hashes[f.path]]) for f in plan.files if hashes.get(f.path) in existing
        ]
        decisions = self._ask_about(duplicates)
        operations: list[Operation] = []
        added: list[tuple[str, Path, int]] = []
        index = target.index
        matcher = ChapterMatcher(self._editor.store, target.course_id)
        for group in plan.groups:
            chapter_id = target.chapter_id
            new_chapter: AddChapter | None = None
            if target.make_chapters:
                title = group.chapter_title or LOOSE_FILES_CHAPTER
                chapter_id = matcher.chapter_for(title, group.folder)
                if chapter_id is None:
                    chapter_id = new_id()
                    new_chapter = AddChapter(target.course_id, title, chapter_id=chapter_id)
                    operations.append(new_chapter)
                index = None
            videos: list[Video] = []
            for planned in group.files:
                choice = decisions.get(planned.path)
                if choice is DuplicateChoice.SKIP:
                    job.report.skipped_duplicates.append(planned.display_name)
                    continue
                if choice is DuplicateChoice.REPLACE:
                    original = existing[hashes[planned.path]]
                    job.replacing[original.id] = planned.path
                    continue
                video = new_video(
                    target.course_id,
                    planned.title,
                    str(planned.path),
                    size_bytes=planned.size_bytes,
                    status=VideoStatus.PROCESSING,
                )
                videos.append(video)
                added.append((video.id, planned.path, planned.size_bytes))
            if videos:
                operations.append(AddVideos(tuple(videos), chapter_id, index))
                if index is not None:
                    index += len(videos)
            elif new_chapter is not None:
                # Every file of the folder was left out: no empty chapter for it.
                operations.remove(new_chapter)
        if added:
            count = len(added)
            text = f"Import {count} video" + ("" if count == 1 else "s")
            if self._editor.do(Batch(tuple(operations)), text, target.course_id) is None:
                job.report.refused.extend(Refused(p.name, "not imported") for _, p, _ in added)
                added = []
        job.planned = True
        for video_id, path, size in added:
            self._process(job, video_id, path, size)
        for video_id, path in list(job.replacing.items()):
            self._replace(job, video_id, path, _size_of(path))
        self._check_done(job)

    def _ask_about(
        self, duplicates: list[tuple[PlannedFile, Video]]
    ) -> dict[Path, DuplicateChoice]:
        decisions: dict[Path, DuplicateChoice] = {}
        blanket: DuplicateChoice | None = None
        for position, (planned, original) in enumerate(duplicates):
            if blanket is None:
                answer = self._resolve_duplicate(
                    DuplicateQuestion(
                        planned.path,
                        original.id,
                        original.title,
                        original.deleted_at is not None,
                        len(duplicates) - position - 1,
                    )
                )
                if answer.apply_to_all:
                    blanket = answer.choice
                decisions[planned.path] = answer.choice
            else:
                decisions[planned.path] = blanket
        return decisions

    # ------------------------------------------------------------------ processing

    def _process(self, job: _Job, video_id: str, path: Path, size: int) -> None:
        job.pending[video_id] = path
        job.files_total += 1
        job.bytes_total += size
        cancelled = job.cancel_event.is_set
        report = self._bytes_read.emit

        def work() -> IngestedFile:
            return ingest_file(
                path,
                self.thumbnails,
                on_progress=lambda done: report(video_id, done),
                should_cancel=cancelled,
            )

        self._runner.run(
            work,
            lambda result: self._processed(job, video_id, result),
            lambda exc: self._not_processed(job, video_id, path, exc),
        )

    def _replace(self, job: _Job, video_id: str, path: Path, size: int) -> None:
        job.replacing[video_id] = path
        job.files_total += 1
        job.bytes_total += size
        key = f"replace:{video_id}"
        report = self._bytes_read.emit
        self._runner.run(
            lambda: ingest_file(
                path,
                self.thumbnails,
                on_progress=lambda done: report(key, done),
                should_cancel=job.cancel_event.is_set,
            ),
            lambda result: self._replaced(job, video_id, result),
            lambda exc: self._not_replaced(job, video_id, path, exc),
        )

    def _processed(self, job: _Job, video_id: str, result: IngestedFile) -> None:
        if job.cancel_event.is_set() or job.pending.pop(video_id, None) is None:
            return
        store = self._editor.store
        if store.has_video(video_id):
            self._editor.apply_untracked(UpdateVideo(video_id, result.video_fields()))
            job.report.imported.append(video_id)
            if result.notes:
                job.report.notes[video_id] = result.notes
            self._look_for_re_edits(job, video_id)
            self.pictures_ready.emit(video_id)
        self._count_done(job, video_id, result.info.size_bytes)

    def _not_processed(self, job: _Job, video_id: str, path: Path, exc: BaseException) -> None:
        if isinstance(exc, Cancelled) or job.pending.pop(video_id, None) is None:
            return
        message = exc.message if isinstance(exc, MediaError) else _unexpected(path, exc)
        job.report.refused.append(Refused(path.name, message))
        if self._editor.store.has_video(video_id):
            self._editor.apply_untracked(DiscardVideos((video_id,)))
        self._count_done(job, video_id, 0)

    def _replaced(self, job: _Job, video_id: str, result: IngestedFile) -> None:
        if job.cancel_event.is_set() or job.replacing.pop(video_id, None) is None:
            return
        store = self._editor.store
        if store.has_video(video_id):
            video = store.video(video_id)
            if self._editor.do(
                ReplaceVideoContent(video_id, result.video_fields()),
                "Replace video",
                video.course_id,
            ):
                job.report.replaced.append(video_id)
                self.pictures_ready.emit(video_id)
        self._count_done(job, f"replace:{video_id}", result.info.size_bytes)

    def _not_replaced(self, job: _Job, video_id: str, path: Path, exc: BaseException) -> None:
        if isinstance(exc, Cancelled) or job.replacing.pop(video_id, None) is None:
            return
        message = exc.message if isinstance(exc, MediaError) else _unexpected(path, exc)
        job.report.refused.append(Refused(path.name, message))
        self._count_done(job, f"replace:{video_id}", 0)

    def _look_for_re_edits(self, job: _Job, video_id: str) -> None:
        store = self._editor.store
        new = store.video(video_id)
        if new.duration_s is None:
            return
        title = fold_for_search(new.title)
        course_id = new.course_id
        for vid in [*store.live_video_ids(course_id), *store.trashed_video_ids(course_id)]:
            if vid == video_id or vid in job.pending:
                continue
            other = store.video(vid)
            if (
                other.duration_s is not None
                and other.sha1 != new.sha1
                and fold_for_search(other.title) == title
                and abs(other.duration_s - new.duration_s) <= POSSIBLE_DUPLICATE_DURATION_S
                and not self._is_dismissed(video_id, vid)
            ):
                job.report.possible_duplicates.append(PossibleDuplicate(video_id, vid))
                return

    # ------------------------------------------------------------------ progress

    def _on_bytes_read(self, key: str, done: int) -> None:
        job = self._job
        if job is None or job.finished:
            return
        job.bytes_in_flight[key] = done
        self._emit_progress(job)

    def _count_done(self, job: _Job, key: str, size: int) -> None:
        job.files_done += 1
        job.bytes_in_flight.pop(key, None)
        job.bytes_done_finished += size
        self._emit_progress(job, force=True)
        self._check_done(job)

    def _emit_progress(self, job: _Job, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_progress_at < PROGRESS_INTERVAL_S:
            return
        self._last_progress_at = now
        done = min(job.bytes_total, job.bytes_done_finished + sum(job.bytes_in_flight.values()))
        elapsed = now - job.started_at
        eta = None
        if done and job.bytes_total > done and elapsed > 0.5:
            eta = (job.bytes_total - done) / (done / elapsed)
        self.progress.emit(
            ImportProgress(job.files_done, job.files_total, done, job.bytes_total, eta)
        )

    def _check_done(self, job: _Job) -> None:
        if job.planned and not job.pending and not job.replacing and not job.finished:
            self._finish(job)

    def _finish(self, job: _Job) -> None:
        job.finished = True
        self._emit_progress(job, force=True)
        self.finished.emit(job.report)

    def _failed(self, job: _Job, exc: BaseException) -> None:
        log.error("planning a drop failed", exc_info=exc)
        job.report.refused.append(Refused("", f"The drop could not be read: {exc}"))
        job.planned = True
        self._check_done(job)


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _unexpected(path: Path, exc: BaseException) -> str:
    log.error("importing %s failed unexpectedly", path, exc_info=exc)
    return f"'{path.name}' could not be imported ({exc})."
