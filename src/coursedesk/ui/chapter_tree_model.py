"""The chapter tree's item model: chapters of one course, each with its videos in order.

A thin model over the store: it keeps no copy of the data, only a small map from chapter id
to a stable integer key (Qt indexes carry an int, not a Python object). Store steps become
``beginInsertRows``/``beginMoveRows``/``beginRemoveRows``/``dataChanged``, never a reset for
a single edit.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from coursedesk.domain.model import Video
from coursedesk.domain.steps import (
    ChapterChanged,
    ChapterCreated,
    ChapterMoved,
    ChapterPurged,
    ChapterRestored,
    ChapterTrashed,
    Step,
    VideoChanged,
    VideoCreated,
    VideoMoved,
    VideoPurged,
    VideoRestored,
    VideoTrashed,
)
from coursedesk.domain.store import Store
from coursedesk.ui.format import format_duration, format_size

AnyIndex = QModelIndex | QPersistentModelIndex

# Custom roles, as named constants (views and tests ask for these).
VideoIdRole = Qt.ItemDataRole.UserRole + 1
ChapterIdRole = Qt.ItemDataRole.UserRole + 2
IsChapterRole = Qt.ItemDataRole.UserRole + 3
StatusRole = Qt.ItemDataRole.UserRole + 4


class Column(IntEnum):
    TITLE = 0
    DURATION = 1
    SIZE = 2
    STATUS = 3


_HEADERS = {
    Column.TITLE: "Title",
    Column.DURATION: "Duration",
    Column.SIZE: "Size",
    Column.STATUS: "Status",
}

# internalId of a chapter row; video rows carry their chapter's key (always > 0).
_TOP = 0


class ChapterTreeModel(QAbstractItemModel):
    """Chapters (top level) and their videos (children) of one course."""

    def __init__(self, store: Store, course_id: str | None, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self._course_id = course_id
        self._keys: dict[str, int] = {}
        self._chapters_by_key: dict[int, str] = {}
        self._next_key = 1
        self._pending_move_refused = False
        store.subscribe(self)

    # ------------------------------------------------------------------ course

    @property
    def course_id(self) -> str | None:
        return self._course_id

    def set_course(self, course_id: str | None) -> None:
        """Show another course (a reset: this is not a single edit)."""
        self.beginResetModel()
        self._course_id = course_id
        self._keys.clear()
        self._chapters_by_key.clear()
        self.endResetModel()

    def detach(self) -> None:
        self._store.unsubscribe(self)

    # ------------------------------------------------------------------ lookups

    def _key(self, chapter_id: str) -> int:
        key = self._keys.get(chapter_id)
        if key is None:
            key = self._next_key
            self._next_key += 1
            self._keys[chapter_id] = key
            self._chapters_by_key[key] = chapter_id
        return key

    def _chapter_ids(self) -> Any:
        if self._course_id is None:
            return ()
        return self._store.chapter_ids(self._course_id)

    def chapter_index(self, chapter_id: str, column: int = 0) -> QModelIndex:
        row = self._chapter_ids().index(chapter_id)
        return self.createIndex(row, column, _TOP)

    def video_index(self, video_id: str, column: int = 0) -> QModelIndex:
        video = self._store.video(video_id)
        if video.chapter_id is None:
            return QModelIndex()
        row = self._store.video_ids(video.chapter_id).index(video_id)
        return self.createIndex(row, column, self._key(video.chapter_id))

    def chapter_id_of(self, index: AnyIndex) -> str | None:
        """The chapter a row is (for chapter rows) or belongs to (for video rows)."""
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return str(self._chapter_ids()[index.row()])
        return self._chapters_by_key[index.internalId()]

    def video_id_of(self, index: AnyIndex) -> str | None:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        chapter_id = self._chapters_by_key[index.internalId()]
        return str(self._store.video_ids(chapter_id)[index.row()])

    # ------------------------------------------------------------------ Qt model API

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(Column) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._chapter_ids()):
                return QModelIndex()
            return self.createIndex(row, column, _TOP)
        if parent.internalId() != _TOP:
            return QModelIndex()
        chapter_id = self._chapter_ids()[parent.row()]
        if row >= len(self._store.video_ids(chapter_id)):
            return QModelIndex()
        return self.createIndex(row, column, self._key(chapter_id))

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        chapter_id = self._chapters_by_key[index.internalId()]
        return self.createIndex(self._chapter_ids().index(chapter_id), 0, _TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._chapter_ids())
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        return len(self._store.video_ids(self._chapter_ids()[parent.row()]))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(Column)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS.get(Column(section))
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == Column.TITLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._chapter_data(index, role)
        video_id = self.video_id_of(index)
        assert video_id is not None
        return self._video_data(self._store.video(video_id), index, role)

    def _chapter_data(self, index: AnyIndex, role: int) -> Any:
        chapter_id = self._chapter_ids()[index.row()]
        column = index.column()
        if role == ChapterIdRole:
            return chapter_id
        if role == IsChapterRole:
            return True
        if role == Qt.ItemDataRole.EditRole and column == Column.TITLE:
            return self._store.chapter(chapter_id).title
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        totals = self._store.chapter_totals(chapter_id)
        if column == Column.TITLE:
            return f"{index.row() + 1}  {self._store.chapter(chapter_id).title}"
        if column == Column.DURATION:
            return format_duration(totals.duration_s)
        if column == Column.SIZE:
            return format_size(totals.size_bytes)
        if column == Column.STATUS:
            return f"{totals.count} video" + ("" if totals.count == 1 else "s")
        return None

    def _video_data(self, video: Video, index: AnyIndex, role: int) -> Any:
        column = index.column()
        if role == VideoIdRole:
            return video.id
        if role == ChapterIdRole:
            return video.chapter_id
        if role == IsChapterRole:
            return False
        if role == StatusRole:
            return video.status
        if role == Qt.ItemDataRole.EditRole and column == Column.TITLE:
            return video.title
        if role == Qt.ItemDataRole.ToolTipRole and video.error:
            return video.error
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == Column.TITLE:
            return f"{index.row() + 1}  {video.title}"
        if column == Column.DURATION:
            return format_duration(video.duration_s)
        if column == Column.SIZE:
            return format_size(video.size_bytes)
        if column == Column.STATUS:
            return video.status.value.capitalize()
        return None

    # ------------------------------------------------------------------ store events

    def _mine(self, course_id: str) -> bool:
        return course_id == self._course_id

    def _chapter_row(self, chapter_id: str) -> QModelIndex:
        return self.chapter_index(chapter_id)

    def before(self, step: Step) -> None:
        root = QModelIndex()
        match step:
            case ChapterCreated(chapter=chapter, index=index) if (
                self._mine(chapter.course_id) and chapter.deleted_at is None
            ):
                assert index is not None
                self.beginInsertRows(root, index, index)
            case ChapterRestored(course_id=course_id, index=index) if self._mine(course_id):
                self.beginInsertRows(root, index, index)
            case ChapterPurged(chapter=chapter, index=index) if (
                self._mine(chapter.course_id) and chapter.deleted_at is None
            ):
                assert index is not None
                self.beginRemoveRows(root, index, index)
            case ChapterTrashed(course_id=course_id, index=index) if self._mine(course_id):
                self.beginRemoveRows(root, index, index)
            case ChapterMoved(course_id=course_id, from_index=src, to_index=dst) if self._mine(
                course_id
            ):
                target = dst + 1 if dst > src else dst
                self._pending_move_refused = not self.beginMoveRows(root, src, src, root, target)
            case VideoCreated(video=video, index=index) if (
                self._mine(video.course_id)
                and video.chapter_id is not None
                and video.deleted_at is None
            ):
                assert index is not None
                self.beginInsertRows(self._chapter_row(video.chapter_id), index, index)
            case VideoRestored(course_id=course_id, chapter_id=chapter_id, index=index) if (
                self._mine(course_id) and chapter_id is not None
            ):
                assert index is not None
                self.beginInsertRows(self._chapter_row(chapter_id), index, index)
            case VideoPurged(video=video, index=index) if (
                self._mine(video.course_id)
                and video.chapter_id is not None
                and video.deleted_at is None
            ):
                assert index is not None
                self.beginRemoveRows(self._chapter_row(video.chapter_id), index, index)
            case VideoTrashed(course_id=course_id, chapter_id=chapter_id, index=index) if (
                self._mine(course_id) and chapter_id is not None
            ):
                assert index is not None
                self.beginRemoveRows(self._chapter_row(chapter_id), index, index)
            case VideoMoved() if self._mine(step.course_id):
                self._before_video_moved(step)
            case _:
                pass

    def _before_video_moved(self, step: VideoMoved) -> None:
        src, dst = step.from_chapter_id, step.to_chapter_id
        if src is not None and dst is not None:
            assert step.from_index is not None and step.to_index is not None
            target = step.to_index
            if src == dst and step.to_index > step.from_index:
                target += 1
            self._pending_move_refused = not self.beginMoveRows(
                self._chapter_row(src),
                step.from_index,
                step.from_index,
                self._chapter_row(dst),
                target,
            )
        elif src is not None:
            assert step.from_index is not None
            self.beginRemoveRows(self._chapter_row(src), step.from_index, step.from_index)
        elif dst is not None:
            assert step.to_index is not None
            self.beginInsertRows(self._chapter_row(dst), step.to_index, step.to_index)

    def after(self, step: Step) -> None:
        match step:
            case ChapterCreated(chapter=chapter) if (
                self._mine(chapter.course_id) and chapter.deleted_at is None
            ):
                self.endInsertRows()
                self._renumber_chapters()
            case ChapterRestored(course_id=course_id) if self._mine(course_id):
                self.endInsertRows()
                self._renumber_chapters()
            case ChapterPurged(chapter=chapter) if (
                self._mine(chapter.course_id) and chapter.deleted_at is None
            ):
                self.endRemoveRows()
                self._forget(chapter.id)
                self._renumber_chapters()
            case ChapterTrashed(course_id=course_id, chapter_id=chapter_id) if self._mine(
                course_id
            ):
                self.endRemoveRows()
                self._forget(chapter_id)
                self._renumber_chapters()
            case ChapterMoved(course_id=course_id) if self._mine(course_id):
                self._end_move()
                self._renumber_chapters()
            case ChapterChanged(chapter_id=chapter_id):
                chapter = self._store.chapter(chapter_id)
                if self._mine(chapter.course_id) and chapter.deleted_at is None:
                    self._row_changed(self._chapter_row(chapter_id))
            case VideoCreated(video=video) if (
                self._mine(video.course_id)
                and video.chapter_id is not None
                and video.deleted_at is None
            ):
                self.endInsertRows()
                self._after_chapter_content(video.chapter_id)
            case VideoRestored(course_id=course_id, chapter_id=chapter_id) if (
                self._mine(course_id) and chapter_id is not None
            ):
                self.endInsertRows()
                self._after_chapter_content(chapter_id)
            case VideoPurged(video=video) if (
                self._mine(video.course_id)
                and video.chapter_id is not None
                and video.deleted_at is None
            ):
                self.endRemoveRows()
                self._after_chapter_content(video.chapter_id)
            case VideoTrashed(course_id=course_id, chapter_id=chapter_id) if (
                self._mine(course_id) and chapter_id is not None
            ):
                self.endRemoveRows()
                self._after_chapter_content(chapter_id)
            case VideoMoved() if self._mine(step.course_id):
                self._after_video_moved(step)
            case VideoChanged(video_id=video_id):
                video = self._store.video(video_id)
                if self._mine(video.course_id) and video.chapter_id is not None:
                    self._row_changed(self.video_index(video_id))
                    self._row_changed(self._chapter_row(video.chapter_id))
            case _:
                pass

    def _after_video_moved(self, step: VideoMoved) -> None:
        src, dst = step.from_chapter_id, step.to_chapter_id
        if src is not None and dst is not None:
            self._end_move()
        elif src is not None:
            self.endRemoveRows()
        elif dst is not None:
            self.endInsertRows()
        for chapter_id in {src, dst} - {None}:
            assert chapter_id is not None
            self._after_chapter_content(chapter_id)

    def _end_move(self) -> None:
        if self._pending_move_refused:
            self._pending_move_refused = False
            self.layoutChanged.emit()
        else:
            self.endMoveRows()

    def _forget(self, chapter_id: str) -> None:
        key = self._keys.pop(chapter_id, None)
        if key is not None:
            del self._chapters_by_key[key]

    def _row_changed(self, index: QModelIndex) -> None:
        if index.isValid():
            self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(len(Column) - 1))

    def _after_chapter_content(self, chapter_id: str) -> None:
        """Positions after an insert/remove shift, and the chapter's totals change."""
        chapter_row = self._chapter_row(chapter_id)
        self._row_changed(chapter_row)
        count = len(self._store.video_ids(chapter_id))
        if count:
            key = self._key(chapter_id)
            self.dataChanged.emit(
                self.createIndex(0, Column.TITLE, key),
                self.createIndex(count - 1, Column.TITLE, key),
                [Qt.ItemDataRole.DisplayRole],
            )

    def _renumber_chapters(self) -> None:
        count = len(self._chapter_ids())
        if count:
            self.dataChanged.emit(
                self.createIndex(0, Column.TITLE, _TOP),
                self.createIndex(count - 1, Column.TITLE, _TOP),
                [Qt.ItemDataRole.DisplayRole],
            )
