"""The chapter tree's item model: chapters of one course, each with its videos in order.

A thin model over the store: it keeps no copy of the data, only a small map from chapter id
to a stable integer key (Qt indexes carry an int, not a Python object). Store steps become
``beginInsertRows``/``beginMoveRows``/``beginRemoveRows``/``dataChanged``, never a reset for
a single edit. A bulk edit (an operation of many steps, such as moving 500 videos or undoing
that) is one layout change instead: a view relayouts every expanded row after each row move,
so hundreds of row moves would cost hundreds of relayouts.

Edits (inline renames in ``setData``, drops in ``dropMimeData``) are built as operations and
handed to the edit session; the model never changes data itself, it follows the store's
events like any other change. Without a session the model is read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from coursedesk.domain.model import Video, VideoStatus
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
from coursedesk.ui import tree_edits
from coursedesk.ui.format import format_duration, format_size
from coursedesk.ui.icons import blank_icon, notes_icon, status_icon, status_label
from coursedesk.ui.mime import CHAPTER_IDS_MIME, VIDEO_IDS_MIME, encode_ids
from coursedesk.ui.tree_drops import URI_LIST_MIME, DropPlan, DropPlanner, DropSpot, FileDrop

if TYPE_CHECKING:
    from coursedesk.editing.session import EditSession

AnyIndex = QModelIndex | QPersistentModelIndex

# Custom roles, as named constants (views and tests ask for these).
VideoIdRole = Qt.ItemDataRole.UserRole + 1
ChapterIdRole = Qt.ItemDataRole.UserRole + 2
IsChapterRole = Qt.ItemDataRole.UserRole + 3
StatusRole = Qt.ItemDataRole.UserRole + 4
# Upload progress of a video, 0.0 to 1.0, or None when there is none to show (then the
# delegate shows the status sign). ``progress_provider`` supplies it while a video uploads.
ProgressRole = Qt.ItemDataRole.UserRole + 5
# A row's place in its chapter (or a chapter's in the course), counting from 1. The title
# column shows the bare title; the delegate paints the number in front of it, and assistive
# technology reads "3  Title" (AccessibleTextRole).
PositionRole = Qt.ItemDataRole.UserRole + 6
_POSITION_ROLES = [PositionRole, Qt.ItemDataRole.AccessibleTextRole]
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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

# A translucent shade sets chapter rows apart on light and dark palettes alike.
_CHAPTER_SHADE = QColor(127, 127, 127, 28)

_RIGHT_ALIGNED = frozenset({Column.DURATION, Column.SIZE})
_COLUMNS = len(Column)
_TITLE = int(Column.TITLE)  # a plain int: enum member lookups are slow in per-row calls

# internalId of a chapter row; video rows carry their chapter's key (always > 0).
_TOP = 0

# An operation expected to take more steps than this is shown as one layout change.
BULK_STEPS = 8

# Flags are asked for every row on each relayout of the view: built once, not per call.
# Videos never have children; saying so spares the view a hasChildren() call per row.
_F = Qt.ItemFlag
_READ_ONLY_CHAPTER = _F.ItemIsEnabled | _F.ItemIsSelectable
_READ_ONLY_VIDEO = _READ_ONLY_CHAPTER | _F.ItemNeverHasChildren
_CHAPTER_FLAGS = (
    _READ_ONLY_CHAPTER | _F.ItemIsDragEnabled | _F.ItemIsDropEnabled,  # other columns
    _READ_ONLY_CHAPTER | _F.ItemIsDragEnabled | _F.ItemIsDropEnabled | _F.ItemIsEditable,
)
_VIDEO_FLAGS = (
    _READ_ONLY_VIDEO | _F.ItemIsDragEnabled,
    _READ_ONLY_VIDEO | _F.ItemIsDragEnabled | _F.ItemIsEditable,
)


class ChapterTreeModel(QAbstractItemModel):
    """Chapters (top level) and their videos (children) of one course.

    Drags carry the selected video ids (course order) under ``VIDEO_IDS_MIME`` and chapter ids
    under ``CHAPTER_IDS_MIME``. Dropped video ids are moved: onto a chapter row to its end,
    between video rows to that place, between chapter rows to the end of the chapter above.
    Dropped chapter ids move the chapter. Files (``text/uri-list``) are the importer's: they
    are accepted only once ``accept_files`` is set, and announced by ``files_dropped``.
    """

    # Files dropped from outside: (paths, target chapter id, index in it or -1 for the end);
    # the chapter is None for a drop on the empty space below the rows (new chapters).
    files_dropped = Signal(list, object, int)

    def __init__(
        self,
        store: Store,
        course_id: str | None,
        parent: QObject | None = None,
        *,
        session: EditSession | None = None,
    ):
        super().__init__(parent)
        self._store = store
        self._course_id = course_id
        self._session = session
        # The import feature switches this on when it connects to ``files_dropped``.
        self.accept_files = False
        # Uploads: a video id -> its upload progress; call ``refresh_video`` when it moves.
        self.progress_provider: Callable[[str], float | None] | None = None
        self._bold: QFont | None = None
        # Flags by (other columns, title column); without a session the tree is read-only.
        # Dropping onto a chapter appends to it; video rows only take drops between them.
        editable = session is not None
        self._root_flags = _F.ItemIsDropEnabled if editable else _F.NoItemFlags
        self._chapter_flags = _CHAPTER_FLAGS if editable else (_READ_ONLY_CHAPTER,) * 2
        self._video_flags = _VIDEO_FLAGS if editable else (_READ_ONLY_VIDEO,) * 2
        self._drops = DropPlanner(store, course_id)
        self._keys: dict[str, int] = {}
        self._chapters_by_key: dict[int, str] = {}
        self._next_key = 1
        # Chapter id -> row, rebuilt after chapters come, go or move (parent() needs it).
        self._rows: dict[str, int] | None = None
        self._pending_move_refused = False
        # Nesting of the store's operation brackets, and the persistent indexes a bulk edit
        # remaps once it is over (None while no bulk edit is under way).
        self._operations = 0
        self._bulk: _Remembered | None = None
        store.subscribe(self)

    # ------------------------------------------------------------------ course

    @property
    def course_id(self) -> str | None:
        return self._course_id

    def set_course(self, course_id: str | None) -> None:
        """Show another course (a reset: this is not a single edit)."""
        self.beginResetModel()
        self._course_id = course_id
        self._drops = DropPlanner(self._store, course_id)
        self._keys.clear()
        self._chapters_by_key.clear()
        self._rows = None
        self.endResetModel()

    def detach(self) -> None:
        self._store.unsubscribe(self)

    def refresh_video(self, video_id: str) -> None:
        """Repaint a video's status cell whose upload progress changed outside the store."""
        if not self._store.has_video(video_id):
            return
        video = self._store.video(video_id)
        if video.course_id == self._course_id and video.chapter_id is not None:
            index = self.video_index(video_id, Column.STATUS)
            self.dataChanged.emit(index, index, [ProgressRole])

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

    def _chapter_rows(self) -> dict[str, int]:
        rows = self._rows
        if rows is None:
            rows = self._rows = {cid: row for row, cid in enumerate(self._chapter_ids())}
        return rows

    def _row_of(self, chapter_id: str) -> int:
        return self._chapter_rows()[chapter_id]

    def chapter_index(self, chapter_id: str, column: int = 0) -> QModelIndex:
        return self.createIndex(self._row_of(chapter_id), column, _TOP)

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
        if column < 0 or column >= _COLUMNS or row < 0:
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
        return self.createIndex(self._row_of(self._chapters_by_key[index.internalId()]), 0, _TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._chapter_ids())
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        return len(self._store.video_ids(self._chapter_ids()[parent.row()]))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return _COLUMNS

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS.get(Column(section))
        if role == Qt.ItemDataRole.TextAlignmentRole and section in _RIGHT_ALIGNED:
            return _RIGHT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return self._root_flags
        rows = self._chapter_flags if index.internalId() == _TOP else self._video_flags
        return rows[index.column() == _TITLE]

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
        if column == Column.TITLE and role in _POSITION_ROLES:
            return self._position(index.row(), role, self._store.chapter(chapter_id).title)
        if role == Qt.ItemDataRole.EditRole and column == Column.TITLE:
            return self._store.chapter(chapter_id).title
        if role == Qt.ItemDataRole.FontRole:
            return self._bold_font()
        if role == Qt.ItemDataRole.BackgroundRole:
            return _CHAPTER_SHADE
        if role == Qt.ItemDataRole.DecorationRole and column == Column.STATUS:
            return blank_icon()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT_ALIGNED:
            return _RIGHT
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        totals = self._store.chapter_totals(chapter_id)
        if column == Column.TITLE:
            return self._store.chapter(chapter_id).title
        if column == Column.DURATION:
            return format_duration(totals.duration_s)
        if column == Column.SIZE:
            return format_size(totals.size_bytes)
        if column == Column.STATUS:
            return f"{totals.count} video" + ("" if totals.count == 1 else "s")
        return None

    @staticmethod
    def _position(row: int, role: int, title: str) -> int | str:
        return row + 1 if role == PositionRole else f"{row + 1}  {title}"

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold

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
        if role == ProgressRole:
            progress = self.progress_provider
            if progress is None or video.status is not VideoStatus.UPLOADING:
                return None
            return progress(video.id)
        if column == Column.TITLE and role in _POSITION_ROLES:
            return self._position(index.row(), role, video.title)
        if role == Qt.ItemDataRole.EditRole and column == Column.TITLE:
            return video.title
        if role == Qt.ItemDataRole.DecorationRole and column == Column.STATUS:
            # Import: a ready video with pre-flight notes shows the notes sign instead.
            if video.notes and video.status is VideoStatus.READY:
                return notes_icon()
            return status_icon(video.status)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _RIGHT_ALIGNED:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and (video.error or video.notes):
            return "\n".join(m for m in (video.error, *video.notes) if m)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == Column.TITLE:
            return video.title
        if column == Column.DURATION:
            return format_duration(video.duration_s)
        if column == Column.SIZE:
            return format_size(video.size_bytes)
        if column == Column.STATUS:
            return status_label(video.status)
        return None

    # ------------------------------------------------------------------ editing

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """A title typed in the tree: a rename through the session (a refusal is reported
        by the session and the old title stays)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != 0:
            return False
        edit = tree_edits.rename(
            chapter_id=self.chapter_id_of(index),
            video_id=self.video_id_of(index),
            title=str(value),
        )
        return self._do(edit)

    def _do(self, edit: tree_edits.Edit) -> bool:
        if self._session is None or self._course_id is None:
            return False
        applied = self._session.do(
            edit.operation,
            edit.label,
            self._course_id,
            merge_id=edit.merge_id,
            merge_target=edit.merge_target,
        )
        return applied is not None

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:
        # Moves happen in dropMimeData; after a move-drag Qt asks the source to remove the
        # dragged rows, which must never delete anything.
        return False

    # ------------------------------------------------------------------ drag and drop

    def mimeTypes(self) -> list[str]:
        return [VIDEO_IDS_MIME, CHAPTER_IDS_MIME, URI_LIST_MIME]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        # Ids are always moved (a video is in one place); files from outside are copied in.
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """The dragged videos in course order, and the dragged chapters in course order."""
        video_ids, chapter_ids = self.ids_in_order(indexes)
        data = QMimeData()
        if video_ids:
            encode_ids(VIDEO_IDS_MIME, video_ids, data)
        if chapter_ids:
            encode_ids(CHAPTER_IDS_MIME, chapter_ids, data)
        return data

    def ids_in_order(
        self, indexes: Sequence[QModelIndex | QPersistentModelIndex]
    ) -> tuple[list[str], list[str]]:
        """The videos and the chapters the rows of ``indexes`` show, each in course order."""
        chapter_rows: set[int] = set()
        video_places: dict[str, tuple[int, int]] = {}
        row_of = self._row_of
        for index in indexes:
            if not index.isValid():
                continue
            if index.internalId() == _TOP:
                chapter_rows.add(index.row())
                continue
            chapter_id = self._chapters_by_key[index.internalId()]
            video_id = self._store.video_ids(chapter_id)[index.row()]
            video_places[video_id] = (row_of(chapter_id), index.row())
        chapters = self._chapter_ids()
        return (
            sorted(video_places, key=video_places.__getitem__),
            [chapters[row] for row in sorted(chapter_rows)],
        )

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        return self._plan_drop(data, row, parent) is not None

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: AnyIndex,
    ) -> bool:
        plan = self._plan_drop(data, row, parent)
        if isinstance(plan, tree_edits.Edit):
            return self._do(plan)
        if isinstance(plan, FileDrop):
            index = -1 if plan.index is None else plan.index
            self.files_dropped.emit(plan.paths, plan.chapter_id, index)
            return True
        return False

    def _plan_drop(self, data: QMimeData, row: int, parent: AnyIndex) -> DropPlan:
        if self._session is None or self._course_id is None:
            return None
        if not parent.isValid():
            spot = DropSpot(row)
        elif parent.internalId() == _TOP:
            spot = DropSpot(row, chapter_row=parent.row())
        else:
            chapter_row = self._row_of(self._chapters_by_key[parent.internalId()])
            spot = DropSpot(row, chapter_row=chapter_row, video_row=parent.row())
        return self._drops.plan(data, spot, accept_files=self.accept_files)

    # ------------------------------------------------------------------ store events

    def _mine(self, course_id: str) -> bool:
        return course_id == self._course_id

    def _chapter_row(self, chapter_id: str) -> QModelIndex:
        return self.chapter_index(chapter_id)

    def operation_started(self, expected_steps: int) -> None:
        """The store is about to apply one operation of about ``expected_steps`` steps."""
        self._operations += 1
        if self._operations == 1 and expected_steps > BULK_STEPS and self._course_id is not None:
            # Listeners make their own persistent indexes when they hear this: emit first.
            self.layoutAboutToBeChanged.emit()
            self._bulk = self._remember()

    def operation_finished(self) -> None:
        self._operations -= 1
        if self._operations or self._bulk is None:
            return
        remembered, self._bulk = self._bulk, None
        self._rows = None
        self.changePersistentIndexList(remembered.indexes, self._find_again(remembered))
        self.layoutChanged.emit()

    def _remember(self) -> _Remembered:
        """What each persistent index shows, by id, while the store still shows it."""
        indexes = self.persistentIndexList()
        chapters = self._chapter_ids()
        places: list[tuple[bool, str, int]] = []
        for index in indexes:
            key = index.internalId()
            if key == _TOP:
                places.append((True, chapters[index.row()], index.column()))
            else:
                video_ids = self._store.video_ids(self._chapters_by_key[key])
                places.append((False, video_ids[index.row()], index.column()))
        return _Remembered(indexes, places)

    def _find_again(self, remembered: _Remembered) -> list[QModelIndex]:
        """The rows the remembered chapters and videos are on now (invalid where gone)."""
        store = self._store
        chapter_rows = self._chapter_rows()
        video_rows: dict[str, dict[str, int]] = {}
        found: list[QModelIndex] = []
        for is_chapter, item_id, column in remembered.places:
            if is_chapter:
                row = chapter_rows.get(item_id)
                found.append(QModelIndex() if row is None else self.createIndex(row, column, _TOP))
                continue
            chapter_id = store.video(item_id).chapter_id if store.has_video(item_id) else None
            if chapter_id is None or chapter_id not in chapter_rows:
                found.append(QModelIndex())
                continue
            rows = video_rows.get(chapter_id)
            if rows is None:
                rows = video_rows[chapter_id] = {
                    vid: r for r, vid in enumerate(store.video_ids(chapter_id))
                }
            found.append(self.createIndex(rows[item_id], column, self._key(chapter_id)))
        return found

    def before(self, step: Step) -> None:
        if self._bulk is not None:
            return  # one layout change for the whole operation
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
        if isinstance(step, _CHAPTER_ORDER_STEPS):
            self._rows = None
        if self._bulk is not None:
            if isinstance(step, (ChapterPurged, ChapterTrashed)):
                self._forget(
                    step.chapter.id if isinstance(step, ChapterPurged) else step.chapter_id
                )
            return
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
            self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(_COLUMNS - 1))

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
                _POSITION_ROLES,
            )

    def _renumber_chapters(self) -> None:
        count = len(self._chapter_ids())
        if count:
            self.dataChanged.emit(
                self.createIndex(0, Column.TITLE, _TOP),
                self.createIndex(count - 1, Column.TITLE, _TOP),
                _POSITION_ROLES,
            )


# Steps after which chapter rows are numbered differently.
_CHAPTER_ORDER_STEPS = (
    ChapterCreated,
    ChapterRestored,
    ChapterPurged,
    ChapterTrashed,
    ChapterMoved,
)


@dataclass(frozen=True, slots=True)
class _Remembered:
    """Persistent indexes at the start of a bulk edit, with what each showed:
    (is a chapter row, chapter or video id, column)."""

    indexes: list[QModelIndex]
    places: list[tuple[bool, str, int]]
