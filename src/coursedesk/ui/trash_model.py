"""The Trash's item model: deleted videos and chapters of one course, and deleted courses.

Rows are kept newest first. The model keeps only (kind, id) pairs and the deletion times it
sorts by; everything shown is read from the store on demand. Store steps become single-row
inserts, removals and ``dataChanged``; only switching course resets it.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from coursedesk.domain.steps import (
    STEP_KINDS,
    ChapterChanged,
    ChapterCreated,
    ChapterMoved,
    ChapterPurged,
    ChapterRestored,
    ChapterTrashed,
    CourseChanged,
    CourseCreated,
    CoursePurged,
    Step,
    VideoChanged,
    VideoCreated,
    VideoMoved,
    VideoPurged,
    VideoRestored,
    VideoTrashed,
)
from coursedesk.domain.store import Store
from coursedesk.ui.format import format_duration

AnyIndex = QModelIndex | QPersistentModelIndex

ItemIdRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
DeletedAtRole = Qt.ItemDataRole.UserRole + 3


class Kind(StrEnum):
    VIDEO = "video"
    CHAPTER = "chapter"
    COURSE = "course"


class Column(IntEnum):
    NAME = 0
    KIND = 1
    WAS_IN = 2
    DELETED = 3


_HEADERS = {
    Column.NAME: "Name",
    Column.KIND: "Kind",
    Column.WAS_IN: "Was in",
    Column.DELETED: "Deleted",
}


@dataclass(frozen=True, slots=True)
class TrashEntry:
    kind: Kind
    item_id: str


@dataclass(frozen=True, slots=True)
class TrashCounts:
    videos: int = 0
    chapters: int = 0
    courses: int = 0

    @property
    def total(self) -> int:
        return self.videos + self.chapters + self.courses


def describe_deleted_at(at: float, now: float | None = None) -> str:
    """'Today 14:05', 'Yesterday 09:12', '3 Mar 2025 17:40' in local time."""
    when = datetime.fromtimestamp(at)
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    clock = when.strftime("%H:%M")
    if when.date() == today:
        return f"Today {clock}"
    if when.date() == today - timedelta(days=1):
        return f"Yesterday {clock}"
    return f"{when.day} {when.strftime('%b %Y')} {clock}"


class TrashModel(QAbstractTableModel):
    """What is in the Trash for one course (its videos and chapters) plus deleted courses."""

    def __init__(self, store: Store, course_id: str | None, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._course_id = course_id
        self._rows: list[TrashEntry] = []
        # Negated deletion times, ascending, parallel to _rows: newest first.
        self._sort_keys: list[float] = []
        self._fill()
        store.subscribe(self)

    # ------------------------------------------------------------------ course

    @property
    def course_id(self) -> str | None:
        return self._course_id

    def set_course(self, course_id: str | None) -> None:
        self.beginResetModel()
        self._course_id = course_id
        self._fill()
        self.endResetModel()

    def detach(self) -> None:
        self._store.unsubscribe(self)

    def _fill(self) -> None:
        store = self._store
        found: list[tuple[float, TrashEntry]] = []
        for course in store.courses(include_trashed=True):
            if course.deleted_at is not None:
                found.append((course.deleted_at, TrashEntry(Kind.COURSE, course.id)))
        if self._course_id is not None and store.is_loaded(self._course_id):
            for chapter_id in store.trashed_chapter_ids(self._course_id):
                deleted_at = store.chapter(chapter_id).deleted_at
                assert deleted_at is not None
                found.append((deleted_at, TrashEntry(Kind.CHAPTER, chapter_id)))
            for video_id in store.trashed_video_ids(self._course_id):
                deleted_at = store.video(video_id).deleted_at
                assert deleted_at is not None
                found.append((deleted_at, TrashEntry(Kind.VIDEO, video_id)))
        # Stable: equal times keep the store's order.
        found.sort(key=lambda pair: -pair[0])
        self._rows = [entry for _, entry in found]
        self._sort_keys = [-at for at, _ in found]

    # ------------------------------------------------------------------ lookups

    def entry(self, row: int) -> TrashEntry:
        return self._rows[row]

    def entries(self) -> list[TrashEntry]:
        return list(self._rows)

    def row_of(self, kind: Kind, item_id: str, deleted_at: float | None = None) -> int | None:
        """The row of an item, or None. Knowing when it was deleted narrows the search to
        the rows deleted at that moment (emptying a large Trash stays linear)."""
        wanted = TrashEntry(kind, item_id)
        low, high = 0, len(self._rows)
        if deleted_at is not None:
            low = bisect_left(self._sort_keys, -deleted_at)
            high = bisect_right(self._sort_keys, -deleted_at)
        for row in range(low, high):
            if self._rows[row] == wanted:
                return row
        return None

    def counts(self) -> TrashCounts:
        videos = sum(1 for e in self._rows if e.kind == Kind.VIDEO)
        chapters = sum(1 for e in self._rows if e.kind == Kind.CHAPTER)
        return TrashCounts(videos, chapters, len(self._rows) - videos - chapters)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS.get(Column(section))
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        if role == ItemIdRole:
            return entry.item_id
        if role == KindRole:
            return entry.kind.value
        if role == DeletedAtRole:
            return -self._sort_keys[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, Column(index.column()), -self._sort_keys[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                f"{self._display(entry, Column.NAME, 0)}, {entry.kind.value}, "
                f"was in {self._display(entry, Column.WAS_IN, 0)}"
            )
        return None

    def _display(self, entry: TrashEntry, column: Column, deleted_at: float) -> str:
        if column == Column.DELETED:
            return describe_deleted_at(deleted_at)
        if column == Column.KIND:
            return entry.kind.value.capitalize()
        store = self._store
        if entry.kind == Kind.VIDEO:
            video = store.video(entry.item_id)
            if column == Column.NAME:
                duration = format_duration(video.duration_s)
                return f"{video.title}  ({duration})" if duration else video.title
            return self._video_place(video.trash_chapter_id, video.trash_index)
        if entry.kind == Kind.CHAPTER:
            chapter = store.chapter(entry.item_id)
            if column == Column.NAME:
                return chapter.title
            position = (chapter.trash_index or 0) + 1
            return f"{store.course(chapter.course_id).title}, chapter {position}"
        course = store.course(entry.item_id)
        if column == Column.NAME:
            return course.title
        return "Your courses"

    def _video_place(self, chapter_id: str | None, index: int | None) -> str:
        store = self._store
        if chapter_id is None or not store.has_chapter(chapter_id):
            return "Library (unassigned)"
        chapter = store.chapter(chapter_id)
        place = f"{chapter.title}, #{(index or 0) + 1}"
        if chapter.deleted_at is not None:
            place += " (chapter deleted)"
        return place

    def _tooltip(self, entry: TrashEntry) -> str | None:
        if entry.kind == Kind.VIDEO:
            return self._store.video(entry.item_id).source_path
        if entry.kind == Kind.COURSE:
            return "Restoring the course brings back its chapters and videos as they were."
        return "Restoring the chapter brings back the videos deleted with it."

    # ------------------------------------------------------------------ store events

    # The steps it follows (a StoreListener's narrowing): rows are inserted and removed in
    # after(), and a move changes nothing in the Trash (a bulk move makes hundreds).
    before_kinds: frozenset[type] = frozenset()
    after_kinds: frozenset[type] = STEP_KINDS - {VideoMoved, ChapterMoved}

    def before(self, step: Step) -> None:
        pass

    def after(self, step: Step) -> None:
        mine = self._course_id
        match step:
            case VideoTrashed(video_id=video_id, course_id=course_id, deleted_at=at) if (
                course_id == mine
            ):
                self._insert(Kind.VIDEO, video_id, at)
            case VideoRestored(video_id=video_id, course_id=course_id, deleted_at=at) if (
                course_id == mine
            ):
                self._remove(Kind.VIDEO, video_id, at)
            case VideoCreated(video=video) if (
                video.course_id == mine and video.deleted_at is not None
            ):
                self._insert(Kind.VIDEO, video.id, video.deleted_at)
            case VideoPurged(video=video) if (
                video.course_id == mine and video.deleted_at is not None
            ):
                self._remove(Kind.VIDEO, video.id, video.deleted_at)
            case VideoChanged(video_id=video_id):
                self._changed(Kind.VIDEO, video_id, self._store.video(video_id).deleted_at)
            case ChapterTrashed(chapter_id=chapter_id, course_id=course_id, deleted_at=at) if (
                course_id == mine
            ):
                self._insert(Kind.CHAPTER, chapter_id, at)
                self._places_changed()
            case ChapterRestored(chapter_id=chapter_id, course_id=course_id, deleted_at=at) if (
                course_id == mine
            ):
                self._remove(Kind.CHAPTER, chapter_id, at)
                self._places_changed()
            case ChapterCreated(chapter=chapter) if (
                chapter.course_id == mine and chapter.deleted_at is not None
            ):
                self._insert(Kind.CHAPTER, chapter.id, chapter.deleted_at)
            case ChapterPurged(chapter=chapter) if chapter.course_id == mine:
                if chapter.deleted_at is not None:
                    self._remove(Kind.CHAPTER, chapter.id, chapter.deleted_at)
                self._places_changed()
            case ChapterChanged(chapter_id=chapter_id):
                self._changed(Kind.CHAPTER, chapter_id, self._store.chapter(chapter_id).deleted_at)
                self._places_changed()
            case CourseChanged(course_id=course_id, before=before, after=after):
                if "deleted_at" in after:
                    if after["deleted_at"] is None:
                        self._remove(Kind.COURSE, course_id, before["deleted_at"])
                    else:
                        self._insert(Kind.COURSE, course_id, after["deleted_at"])
                else:
                    self._changed(Kind.COURSE, course_id, self._store.course(course_id).deleted_at)
                    self._places_changed()
            case CourseCreated(course=course) if course.deleted_at is not None:
                self._insert(Kind.COURSE, course.id, course.deleted_at)
            case CoursePurged(course=course):
                if course.deleted_at is not None:
                    self._remove(Kind.COURSE, course.id, course.deleted_at)
            case _:
                pass

    def _insert(self, kind: Kind, item_id: str, deleted_at: float) -> None:
        key = -deleted_at
        row = bisect_right(self._sort_keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, TrashEntry(kind, item_id))
        self._sort_keys.insert(row, key)
        self.endInsertRows()

    def _remove(self, kind: Kind, item_id: str, deleted_at: float | None) -> None:
        row = self.row_of(kind, item_id, deleted_at)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._sort_keys[row]
        self.endRemoveRows()

    def _changed(self, kind: Kind, item_id: str, deleted_at: float | None) -> None:
        if deleted_at is None:
            return
        row = self.row_of(kind, item_id, deleted_at)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _places_changed(self) -> None:
        """Chapter titles show in the "Was in" column of every row."""
        if self._rows:
            self.dataChanged.emit(
                self.index(0, Column.NAME),
                self.index(len(self._rows) - 1, Column.WAS_IN),
                [Qt.ItemDataRole.DisplayRole],
            )
