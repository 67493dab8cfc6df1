"""``coursedesk import``: files and folders into a course, from a terminal.

The same import the window does (plan, probe, hash, pictures, duplicate check), run headless:
the files are read on a small thread pool while the main thread saves each result and keeps a
progress line up to date. Edits are saved as they happen but are not undoable here.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO

from coursedesk.course_listing import CourseNotFound, find_course
from coursedesk.domain.errors import DomainError
from coursedesk.domain.operations import AddChapter, CreateCourse
from coursedesk.domain.store import Store
from coursedesk.persistence.errors import SaveFailed
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.headless import Drop, HeadlessEditor, run_drops
from coursedesk.services.ingest.importer import (
    DuplicateAnswer,
    DuplicateChoice,
    DuplicateQuestion,
    Importer,
    ImportProgress,
    ImportReport,
    ImportTarget,
)
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.tasks import PoolRunner

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130
# Two readers keep a disk busy and, with the main thread saving results, use two cores;
# more only make the readers of large files compete for the same disk.
READER_THREADS = 2
# How often, without a terminal, a plain progress line is written.
PLAIN_PROGRESS_INTERVAL_S = 5.0


class ImportUsageError(Exception):
    """The import cannot start as asked (a missing path, an ambiguous course); nothing changed."""


@dataclass(frozen=True, slots=True)
class ImportRequest:
    paths: tuple[Path, ...]
    course_title: str
    chapter_title: str | None = None
    duplicates: DuplicateChoice = DuplicateChoice.SKIP


@dataclass
class _Outcome:
    reports: list[ImportReport] = field(default_factory=list)
    duplicates: dict[Path, DuplicateQuestion] = field(default_factory=dict)
    skipped: set[Path] = field(default_factory=set)
    not_saved: list[str] = field(default_factory=list)
    cancelled: bool = False


class ProgressLine:
    """Import progress on a stream: one line rewritten in place on a terminal, otherwise a
    plain line every few seconds (logs and pipes get no carriage returns)."""

    def __init__(self, stream: TextIO, *, is_terminal: bool) -> None:
        self._stream = stream
        self._is_terminal = is_terminal
        self._last_plain_at = time.monotonic()
        self._shown = False

    def update(self, progress: ImportProgress) -> None:
        text = progress_text(progress)
        if self._is_terminal:
            self._stream.write(f"\r{text}\x1b[K")
            self._stream.flush()
            self._shown = True
        elif time.monotonic() - self._last_plain_at >= PLAIN_PROGRESS_INTERVAL_S:
            self._last_plain_at = time.monotonic()
            self._stream.write(text + "\n")
            self._stream.flush()

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False


def progress_text(progress: ImportProgress) -> str:
    """``Importing  37/120 files  1.2/3.4 GB  ETA 0:42``."""
    if progress.files_total == 0:
        return "Reading folders…"
    size = _size_pair(progress.bytes_done, progress.bytes_total)
    eta = "ETA " + (_clock(progress.eta_s) if progress.eta_s is not None else "--:--")
    files = f"{progress.files_done}/{progress.files_total} files"
    return f"Importing  {files}  {size}  {eta}"


def _size_pair(done: int, total: int) -> str:
    for unit, scale in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if total >= scale:
            return f"{done / scale:.1f}/{total / scale:.1f} {unit}"
    return f"{done}/{total} B"


def _clock(seconds: float) -> str:
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def run_import(
    library: Library,
    request: ImportRequest,
    thumbnails: ThumbnailCache,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    is_terminal: bool | None = None,
) -> int:
    """Import as ``request`` says and report on ``out``/``err``; returns the exit code.

    Raises :class:`ImportUsageError` before anything is changed if the request cannot be run.
    ``out``/``err`` default to the standard streams; the progress bar is drawn only if
    ``is_terminal`` (default: whether ``err`` is a terminal).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    missing = [p for p in request.paths if not os.path.lexists(p)]
    if missing:
        names = ", ".join(f"'{p}'" for p in missing)
        raise ImportUsageError(f"No such file or folder: {names}. Nothing was imported.")
    store = library.store
    course_id = _course_for(library, request.course_title, err)
    chapter_id = None
    if request.chapter_title is not None:
        chapter_id = _chapter_for(library, course_id, request.chapter_title, err)
    drops = _drops(request.paths, course_id, chapter_id)

    outcome = _Outcome()
    editor = HeadlessEditor(library, outcome.not_saved.append)
    choice = request.duplicates

    def resolve(question: DuplicateQuestion) -> DuplicateAnswer:
        # Answered one by one (not "apply to all") so that every duplicate can be named.
        outcome.duplicates[question.path] = question
        if choice is DuplicateChoice.SKIP:
            outcome.skipped.add(question.path)
        return DuplicateAnswer(choice)

    if is_terminal is None:
        is_terminal = err.isatty()
    line = ProgressLine(err, is_terminal=is_terminal)
    runner = PoolRunner(READER_THREADS)
    importer = Importer(editor, runner, thumbnails, resolve, library.is_dismissed)
    interrupted = False

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        nonlocal interrupted
        interrupted = True
        # A second Ctrl+C stops at once.
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous_handler = signal.signal(signal.SIGINT, on_interrupt)
    try:
        outcome.reports = run_drops(
            importer, runner, drops, on_progress=line.update, should_cancel=lambda: interrupted
        )
    finally:
        signal.signal(signal.SIGINT, previous_handler)
        line.close()
    outcome.cancelled = interrupted or any(r.cancelled for r in outcome.reports)
    return _report(store, course_id, outcome, out, err)


def _course_for(library: Library, title: str, err: TextIO) -> str:
    store = library.store
    try:
        course = find_course(store, title)
    except CourseNotFound as exc:
        folded = title.strip().casefold()
        if any(c.title.casefold() == folded for c in store.courses()):
            raise ImportUsageError(str(exc)) from exc
        operation = CreateCourse(title)
        try:
            library.apply(operation)
        except (DomainError, SaveFailed) as error:
            raise ImportUsageError(f"The course could not be created: {error}") from error
        err.write(f"Created the course '{store.course(operation.course_id).title}'.\n")
        return operation.course_id
    library.open_course(course.id)
    return course.id


def _chapter_for(library: Library, course_id: str, title: str, err: TextIO) -> str:
    store = library.store
    chapters = [store.chapter(c) for c in store.chapter_ids(course_id)]
    matches = [c for c in chapters if c.title == title] or [
        c for c in chapters if c.title.casefold() == title.strip().casefold()
    ]
    if len(matches) > 1:
        raise ImportUsageError(
            f"Several chapters are called '{title}'; rename one to tell them apart."
        )
    if matches:
        return matches[0].id
    operation = AddChapter(course_id, title)
    try:
        library.apply(operation)
    except (DomainError, SaveFailed) as error:
        raise ImportUsageError(f"The chapter could not be created: {error}") from error
    err.write(f"Created the chapter '{store.chapter(operation.chapter_id).title}'.\n")
    return operation.chapter_id


def _drops(paths: Sequence[Path], course_id: str, chapter_id: str | None) -> list[Drop]:
    """Where each path goes: all into the chapter if one was named; otherwise loose files
    into the library and each folder (and sub-folder) with videos into a chapter of its own."""
    if chapter_id is not None:
        return [Drop(tuple(paths), ImportTarget(course_id, chapter_id))]
    loose = tuple(p for p in paths if not p.is_dir())
    folders = tuple(p for p in paths if p.is_dir())
    drops: list[Drop] = []
    if loose:
        drops.append(Drop(loose, ImportTarget(course_id)))
    if folders:
        drops.append(Drop(folders, ImportTarget(course_id, make_chapters=True)))
    return drops


def _report(store: Store, course_id: str, outcome: _Outcome, out: TextIO, err: TextIO) -> int:
    imported = [v for r in outcome.reports for v in r.imported if store.has_video(v)]
    refused = [f for r in outcome.reports for f in r.refused]
    replaced = [v for r in outcome.reports for v in r.replaced]
    skipped = [q for q in outcome.duplicates.values() if q.path in outcome.skipped]
    for refusal in refused:
        name = f"{refusal.name} — " if refusal.name else ""
        err.write(f"refused: {name}{refusal.message}\n")
    for message in outcome.not_saved:
        err.write(f"not saved: {message}\n")
    for question in skipped:
        where = " (in the Trash)" if question.existing_in_trash else ""
        err.write(
            f"skipped duplicate: {question.path.name} — already in the course as "
            f"'{question.existing_title}'{where}\n"
        )
    for report in outcome.reports:
        for video_id, notes in report.notes.items():
            if store.has_video(video_id):
                for note in notes:
                    err.write(f"note: {store.video(video_id).title} — {note}\n")
        for pair in report.possible_duplicates:
            if store.has_video(pair.new_video_id) and store.has_video(pair.existing_video_id):
                err.write(
                    f"check: '{store.video(pair.new_video_id).title}' may be a re-edit of "
                    f"'{store.video(pair.existing_video_id).title}'\n"
                )
    course = store.course(course_id).title
    parts = [f"{_count(len(imported), 'video')} imported into '{course}'"]
    if replaced:
        parts.append(f"{len(replaced)} replaced")
    if skipped:
        parts.append(f"{_count(len(skipped), 'duplicate')} skipped")
    if refused:
        parts.append(f"{len(refused)} refused")
    if outcome.not_saved:
        parts.append(f"{_count(len(outcome.not_saved), 'edit')} not saved")
    summary = ", ".join(parts)
    if outcome.cancelled:
        out.write(f"Cancelled: {summary}; files not finished were not added.\n")
        return EXIT_CANCELLED
    out.write(f"{summary}.\n")
    return EXIT_REFUSED if refused or outcome.not_saved else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
