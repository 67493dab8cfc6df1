"""The chapter tree's item model: chapters of one course, each with its videos in order.

A thin model over the store: it keeps no copy of the data, only a small map from chapter id
to a stable integer key (Qt indexes carry an int, not a Python object). How the store's
steps become row signals (never a reset for a single edit) is ``tree_updates``.

Qt calls the model from C++ for every row it lays out and every cell it paints, so the calls
it makes most (``index``, ``parent``, ``flags``, ``data``) do little, and a cell's roles are
answered in one call (``multiData``) rather than one call per role.

Edits (inline renames in ``setData``, drops in ``dropMimeData``) are built as operations and
handed to the edit session; the model never changes data itself, it follows the store's
events like any other change. Without a session the model is read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QMimeData,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.domain.store import Store
from coursedesk.ui import tree_edits
from coursedesk.ui.format import format_duration, format_size
from coursedesk.ui.icons import blank_icon, notes_icon, status_icon, status_label
from coursedesk.ui.mime import CHAPTER_IDS_MIME, VIDEO_IDS_MIME, encode_ids
from coursedesk.ui.tree_drops import URI_LIST_MIME, DropPlan, DropPlanner, DropSpot, FileDrop
from coursedesk.ui.tree_roles import (
    COLUMNS,
    TOP,
    ChapterIdRole,
    Column,
    IsChapterRole,
    PositionRole,
    ProgressRole,
    StatusRole,
    VideoIdRole,
)
from coursedesk.ui.tree_updates import BULK_STEPS, TreeUpdates

if TYPE_CHECKING:
    from coursedesk.editing.session import EditSession

__all__ = [
    "BULK_STEPS",
    "ChapterIdRole",
    "ChapterTreeModel",
    "Column",
    "IsChapterRole",
    "PositionRole",
    "ProgressRole",
    "StatusRole",
    "VideoIdRole",
]

AnyIndex = QModelIndex | QPersistentModelIndex

_HEADERS = {
    Column.TITLE: "Title",
    Column.DURATION: "Duration",
    Column.SIZE: "Size",
    Column.STATUS: "Status",
}

# A translucent shade sets chapter rows apart on light and dark palettes alike.
_CHAPTER_SHADE = QColor(127, 127, 127, 28)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# Plain ints: enum member lookups and comparisons are slow in calls made for every cell.
_TITLE, _DURATION, _SIZE, _STATUS = (int(c) for c in Column)
_RIGHT_ALIGNED = frozenset({_DURATION, _SIZE})
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_POSITION_ROLES = frozenset({int(PositionRole), _ACCESSIBLE})
# Roles a painted cell asks for that video rows never answer.
_NOTHING_FOR_VIDEOS = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
    )
)
_UPLOADING = VideoStatus.UPLOADING
_READY = VideoStatus.READY

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
    # The videos of a chapter (the index of its row) are about to be reordered in place: the
    # rows stay, what they show changes, and persistent indexes follow their videos. A view
    # that keeps ranges of rows (a selection) splits its ranges there into single rows.
    rows_reordering = Signal(QModelIndex)
    # ... and they have been: persistent indexes follow their videos, the rows repaint.
    rows_reordered = Signal(QModelIndex)

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
        # Each chapter row's chapter id and key, by row (index() needs them for every video
        # row a view lays out); rebuilt with the rows.
        self._entries: list[tuple[str, int]] | None = None
        self._updates = TreeUpdates(self, store)
        store.subscribe(self._updates)

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
        self._entries = None
        self.endResetModel()

    def detach(self) -> None:
        self._store.unsubscribe(self._updates)

    def refresh_video(self, video_id: str) -> None:
        """Repaint a video's status cell whose upload progress changed outside the store."""
        if not self._store.has_video(video_id):
            return
        video = self._store.video(video_id)
        if video.course_id == self._course_id and video.chapter_id is not None:
            index = self.video_index(video_id, Column.STATUS)
            self.dataChanged.emit(index, index, [ProgressRole])

    # ------------------------------------------------------------------ lookups

    def key_of(self, chapter_id: str) -> int:
        """The chapter's key: the internalId its video rows carry."""
        key = self._keys.get(chapter_id)
        if key is None:
            key = self._next_key
            self._next_key += 1
            self._keys[chapter_id] = key
            self._chapters_by_key[key] = chapter_id
        return key

    def forget_chapter(self, chapter_id: str) -> None:
        """The chapter left the course: its key is not used again."""
        key = self._keys.pop(chapter_id, None)
        if key is not None:
            del self._chapters_by_key[key]

    def chapter_order_changed(self) -> None:
        """Chapters came, went or moved: rows of chapters are looked up afresh."""
        self._rows = None
        self._entries = None

    def _chapter_ids(self) -> Sequence[str]:
        if self._course_id is None:
            return ()
        return self._store.chapter_ids(self._course_id)

    def chapter_rows(self) -> dict[str, int]:
        """Each live chapter's row."""
        rows = self._rows
        if rows is None:
            rows = self._rows = {cid: row for row, cid in enumerate(self._chapter_ids())}
        return rows

    def _chapter_entries(self) -> list[tuple[str, int]]:
        entries = self._entries
        if entries is None:
            key_of = self.key_of
            entries = self._entries = [(cid, key_of(cid)) for cid in self._chapter_ids()]
        return entries

    def _row_of(self, chapter_id: str) -> int:
        return self.chapter_rows()[chapter_id]

    def chapter_index(self, chapter_id: str, column: int = 0) -> QModelIndex:
        return self.createIndex(self._row_of(chapter_id), column, TOP)

    def video_index(self, video_id: str, column: int = 0) -> QModelIndex:
        video = self._store.video(video_id)
        if video.chapter_id is None:
            return QModelIndex()
        row = self._store.video_ids(video.chapter_id).index(video_id)
        return self.createIndex(row, column, self.key_of(video.chapter_id))

    def chapter_id_of(self, index: AnyIndex) -> str | None:
        """The chapter a row is (for chapter rows) or belongs to (for video rows)."""
        if not index.isValid():
            return None
        if index.internalId() == TOP:
            return str(self._chapter_ids()[index.row()])
        return self._chapters_by_key[index.internalId()]

    def video_at(self, index: AnyIndex) -> Video | None:
        """The video a row shows; None for a chapter row (or no row)."""
        key = index.internalId()
        if key == TOP or not index.isValid():
            return None
        return self._store.video(self._store.video_ids(self._chapters_by_key[key])[index.row()])

    def key_under(self, parent: AnyIndex) -> int | None:
        """The key the video rows under a chapter row carry; None for other rows."""
        if not parent.isValid() or parent.internalId() != TOP:
            return None
        entries = self._entries if self._entries is not None else self._chapter_entries()
        return entries[parent.row()][1]

    def video_id_of(self, index: AnyIndex) -> str | None:
        if not index.isValid() or index.internalId() == TOP:
            return None
        chapter_id = self._chapters_by_key[index.internalId()]
        return str(self._store.video_ids(chapter_id)[index.row()])

    # ------------------------------------------------------------------ Qt model API

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= COLUMNS or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._chapter_ids()):
                return QModelIndex()
            return self.createIndex(row, column, TOP)
        if parent.internalId() != TOP:
            return QModelIndex()
        entries = self._entries if self._entries is not None else self._chapter_entries()
        chapter_id, key = entries[parent.row()]
        if row >= len(self._store.video_ids(chapter_id)):
            return QModelIndex()
        return self.createIndex(row, column, key)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        key = index.internalId()
        if key == TOP or not index.isValid():
            return QModelIndex()
        rows = self._rows if self._rows is not None else self.chapter_rows()
        return self.createIndex(rows[self._chapters_by_key[key]], 0, TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._chapter_ids())
        if parent.internalId() != TOP or parent.column() != 0:
            return 0
        return len(self._store.video_ids(self._chapter_ids()[parent.row()]))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return COLUMNS

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
        if index.internalId() != TOP:  # a video row (the common case: checked first)
            return self._video_flags[index.column() == _TITLE]
        if not index.isValid():
            return self._root_flags
        return self._chapter_flags[index.column() == _TITLE]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column, key = index.row(), index.column(), index.internalId()
        if key == TOP:
            return self._chapter_data(self._chapter_ids()[row], row, column, role)
        video_id = self._store.video_ids(self._chapters_by_key[key])[row]
        return self._video_data(self._store.video(video_id), row, column, role)

    def multiData(
        self,
        index: AnyIndex,
        roleDataSpan: QModelRoleDataSpan | QModelRoleData,  # noqa: N803 (Qt's name)
    ) -> None:
        """Every role a view asks for at once (a painted cell asks for seven): one call into
        Python per cell instead of one per role."""
        if not index.isValid():
            return
        # A span is a sequence of QModelRoleData at run time (the stubs don't say so).
        roles = cast(
            "Iterable[QModelRoleData]",
            (roleDataSpan,) if isinstance(roleDataSpan, QModelRoleData) else roleDataSpan,
        )
        row, column, key = index.row(), index.column(), index.internalId()
        if key == TOP:
            chapter_id = self._chapter_ids()[row]
            for role_data in roles:
                role_data.setData(self._chapter_data(chapter_id, row, column, role_data.role()))
            return
        video = self._store.video(self._store.video_ids(self._chapters_by_key[key])[row])
        video_data = self._video_data
        for role_data in roles:
            role_data.setData(video_data(video, row, column, role_data.role()))

    def _chapter_data(self, chapter_id: str, row: int, column: int, role: int) -> Any:
        if role == _DISPLAY:
            if column == _TITLE:
                return self._store.chapter(chapter_id).title
            totals = self._store.chapter_totals(chapter_id)
            if column == _DURATION:
                return format_duration(totals.duration_s)
            if column == _SIZE:
                return format_size(totals.size_bytes)
            return f"{totals.count} video" + ("" if totals.count == 1 else "s")
        if role == _FONT:
            return self._bold_font()
        if role == _BACKGROUND:
            return _CHAPTER_SHADE
        if role == _DECORATION:
            return blank_icon() if column == _STATUS else None
        if role == _ALIGNMENT:
            return _RIGHT if column in _RIGHT_ALIGNED else None
        if role == ChapterIdRole:
            return chapter_id
        if role == IsChapterRole:
            return True
        if column == _TITLE:
            if role in _POSITION_ROLES:
                return self._position(row, role, self._store.chapter(chapter_id).title)
            if role == _EDIT:
                return self._store.chapter(chapter_id).title
        return None

    def _video_data(self, video: Video, row: int, column: int, role: int) -> Any:
        if role == _DISPLAY:
            if column == _TITLE:
                return video.title
            if column == _DURATION:
                return format_duration(video.duration_s)
            if column == _SIZE:
                return format_size(video.size_bytes)
            return status_label(video.status)
        if role == _DECORATION:
            if column != _STATUS:
                return None
            # Import: a ready video with pre-flight notes shows the notes sign instead.
            if video.notes and video.status is _READY:
                return notes_icon()
            return status_icon(video.status)
        if role in _NOTHING_FOR_VIDEOS:
            return None
        if role == _ALIGNMENT:
            return _RIGHT if column in _RIGHT_ALIGNED else None
        if role == ProgressRole:
            progress = self.progress_provider
            if progress is None or video.status is not _UPLOADING:
                return None
            return progress(video.id)
        if role == VideoIdRole:
            return video.id
        if role == ChapterIdRole:
            return video.chapter_id
        if role == IsChapterRole:
            return False
        if role == StatusRole:
            return video.status
        if column == _TITLE:
            if role in _POSITION_ROLES:
                return self._position(row, role, video.title)
            if role == _EDIT:
                return video.title
        if role == _TOOLTIP and (video.error or video.notes):
            return "\n".join(m for m in (video.error, *video.notes) if m)
        return None

    @staticmethod
    def _position(row: int, role: int, title: str) -> int | str:
        return row + 1 if role == PositionRole else f"{row + 1}  {title}"

    def _bold_font(self) -> QFont:
        if self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        return self._bold

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
            if index.internalId() == TOP:
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
        elif parent.internalId() == TOP:
            spot = DropSpot(row, chapter_row=parent.row())
        else:
            chapter_row = self._row_of(self._chapters_by_key[parent.internalId()])
            spot = DropSpot(row, chapter_row=chapter_row, video_row=parent.row())
        return self._drops.plan(data, spot, accept_files=self.accept_files)
