"""Where each upload belongs, as the Uploads panel names it: the video's title, its course and
its chapter.

Videos of opened courses are read from the store when a row is painted (a few dict lookups).
The queue also uploads videos of courses not opened in this session; their titles and chapters
are read from the library on a worker the first time one of their rows is shown (one read for
all the rows wanted meanwhile), and kept. Store edits that change a place (renames, moves to
another chapter, the Trash) are announced once per edit, however many steps it has.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import Connection, Engine

from coursedesk.domain.steps import (
    ChapterChanged,
    CourseChanged,
    Step,
    VideoChanged,
    VideoMoved,
    VideoRestored,
    VideoTrashed,
)
from coursedesk.domain.store import Store
from coursedesk.persistence.repository import Repository
from coursedesk.services.tasks import PoolRunner

log = logging.getLogger(__name__)

# The fields whose change moves a video's place or renames it.
_VIDEO_FIELDS = frozenset({"title", "chapter_id", "deleted_at"})


@dataclass(frozen=True, slots=True)
class JobPlace:
    """A video's title and where it sits: its course and chapter (None: not in one)."""

    title: str
    course: str
    chapter: str | None = None
    in_trash: bool = False

    def where(self) -> str:
        """'Intro to Photography ▸ Exposure', 'Intro to Photography · unassigned'."""
        if self.in_trash:
            return f"{self.course} · in the Trash"
        if self.chapter is None:
            return f"{self.course} · unassigned"
        return f"{self.course} ▸ {self.chapter}"


@dataclass(frozen=True, slots=True)
class SavedPlace:
    """A video's place as the library holds it, for a course not read into the store."""

    title: str
    chapter: str | None
    in_trash: bool


def read_saved_places(connection: Connection, video_ids: Collection[str]) -> dict[str, SavedPlace]:
    """The saved title and chapter of each of ``video_ids`` still in the library."""
    repository = Repository()  # a fresh one: reading remembers nothing
    found = repository.read_rows(connection, video_ids=video_ids).videos
    chapter_ids = {v.chapter_id for v in found.values() if v.chapter_id is not None}
    chapters = repository.read_rows(connection, chapter_ids=chapter_ids).chapters
    places = {}
    for video in found.values():
        chapter = chapters.get(video.chapter_id) if video.chapter_id is not None else None
        places[video.id] = SavedPlace(
            video.title,
            chapter.title if chapter is not None else None,
            video.deleted_at is not None,
        )
    return places


class JobPlaces(QObject):
    """Looks up the place of an upload's video; says when places may have changed."""

    # Any number of places may have changed (one signal per edit or per read).
    changed = Signal()

    # The store's narrowing (see ``StoreListener``): a bulk move within a chapter costs a
    # call per step and nothing more.
    before_kinds: frozenset[type] = frozenset()
    after_kinds: frozenset[type] = frozenset(
        {VideoChanged, VideoMoved, VideoTrashed, VideoRestored, ChapterChanged, CourseChanged}
    )

    def __init__(self, store: Store, engine: Engine | None) -> None:
        super().__init__()
        self._store = store
        self._engine = engine
        self._runner = PoolRunner(max_threads=1)
        # Places read from the library; None: the video is no longer there.
        self._saved: dict[str, SavedPlace | None] = {}
        self._wanted: set[str] = set()
        self._reading = False
        self._closed = False
        self._announce_due = False
        store.subscribe(self)

    def place(self, video_id: str, course_id: str) -> JobPlace | None:
        """The video's place; None while it is being read, or when the video is gone."""
        store = self._store
        course = store.course(course_id).title if store.has_course(course_id) else ""
        if store.has_video(video_id):
            video = store.video(video_id)
            chapter_id = video.chapter_id
            chapter = (
                store.chapter(chapter_id).title
                if chapter_id is not None and store.has_chapter(chapter_id)
                else None
            )
            return JobPlace(video.title, course, chapter, video.deleted_at is not None)
        if store.is_loaded(course_id):
            return None  # purged: an opened course's store holds all its videos
        if video_id not in self._saved:
            self._want(video_id)
            return None
        saved = self._saved[video_id]
        if saved is None:
            return None
        return JobPlace(saved.title, course, saved.chapter, saved.in_trash)

    def course_title(self, course_id: str) -> str:
        store = self._store
        return store.course(course_id).title if store.has_course(course_id) else ""

    def close(self) -> None:
        """Stop following the store and reading (before the library closes)."""
        if self._closed:
            return
        self._closed = True
        self._store.unsubscribe(self)
        self._runner.wait()

    # ------------------------------------------------------------------ reading the library

    def _want(self, video_id: str) -> None:
        if self._engine is None or self._closed:
            self._saved[video_id] = None
            return
        self._wanted.add(video_id)
        if not self._reading:
            self._reading = True
            # Rows painted in the same pass are read together.
            QTimer.singleShot(0, self._read)

    def _read(self) -> None:
        wanted, self._wanted = self._wanted, set()
        engine = self._engine
        if self._closed or not wanted or engine is None:
            self._reading = False
            return

        def read() -> dict[str, SavedPlace]:
            with engine.connect() as connection:
                return read_saved_places(connection, wanted)

        self._runner.run(
            read,
            lambda found: self._read_done(wanted, found),
            lambda exc: self._read_failed(wanted, exc),
        )

    def _read_done(self, wanted: Iterable[str], found: dict[str, SavedPlace]) -> None:
        for video_id in wanted:
            self._saved[video_id] = found.get(video_id)
        self._reading = False
        if self._closed:
            return
        if self._wanted:
            self._reading = True
            self._read()
        self.changed.emit()

    def _read_failed(self, wanted: Iterable[str], exc: BaseException) -> None:
        # The panel goes on naming those uploads by their files (not read again each paint).
        log.warning("could not read where uploads belong", exc_info=exc)
        self._read_done(wanted, {})

    # ------------------------------------------------------------------ store events

    def before(self, step: Step) -> None:
        pass

    def after(self, step: Step) -> None:
        if self._announce_due:
            return  # the rest of a bulk edit: announced once already
        match step:
            case VideoMoved(from_chapter_id=old, to_chapter_id=new) if old == new:
                return
            case VideoChanged() | ChapterChanged() if not step.fields & _VIDEO_FIELDS:
                return
            case CourseChanged(after=after) if "title" not in after:
                return
        self._announce_due = True
        QTimer.singleShot(0, self._announce)

    def _announce(self) -> None:
        self._announce_due = False
        if not self._closed:
            self.changed.emit()
