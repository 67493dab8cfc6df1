"""The media library grid's item model: the videos of one course, filtered and sorted.

Like Anki's card browser, the model holds only the ids of the rows it shows, in order; the
filtering (all / unassigned / one chapter, plus a title search) and the sorting are computed
here in plain Python over a per-course index kept in sort order, so a search keystroke costs one
list comprehension and no Python call per row from Qt.

The rows live in the C++ list of a ``QStringListModel`` (one id per row) so that ``rowCount``
and ``index`` stay in C++: a ``QListView`` asks for every row's index on each layout, which a
Python model would answer 100,000 times per keystroke. ``data`` reads the id from there and
everything else from the store. A Python mirror of the ids (always updated just before the C++
list) serves lookups by binary search.

Store steps become single-row inserts, removals, moves and ``dataChanged``; a new search,
filter or sort replaces the whole list (a reset: it is not a single edit).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable
from enum import StrEnum
from itertools import compress
from typing import Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QPixmap

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.domain.operations import MoveVideos, TrashVideos
from coursedesk.domain.steps import (
    ChapterChanged,
    ChapterCreated,
    ChapterMoved,
    ChapterPurged,
    ChapterRestored,
    ChapterTrashed,
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
from coursedesk.domain.text import fold_for_search
from coursedesk.editing.labels import counted
from coursedesk.editing.session import EditSession
from coursedesk.ui.chapter_tree_model import ChapterIdRole, ProgressRole, StatusRole, VideoIdRole
from coursedesk.ui.format import format_duration, format_size
from coursedesk.ui.mime import VIDEO_IDS_MIME, decode_ids, encode_ids
from coursedesk.ui.tree_updates import BULK_STEPS

AnyIndex = QModelIndex | QPersistentModelIndex
Thumbnail = QImage | QPixmap

__all__ = [
    "PLACE_ROLES",
    "SCOPE_ALL",
    "SCOPE_UNASSIGNED",
    "ChapterIdRole",
    "ChapterLabelRole",
    "DurationTextRole",
    "LibraryModel",
    "NotesRole",
    "ProgressRole",
    "SortKey",
    "StatusRole",
    "ThumbnailRole",
    "VideoIdRole",
]

# Roles of the grid. VideoIdRole, ChapterIdRole, StatusRole and ProgressRole (upload progress
# 0.0 to 1.0 from ``progress_provider`` while uploading, else None) are the tree's.
ThumbnailRole = Qt.ItemDataRole.UserRole + 20
"""A QImage/QPixmap from ``thumbnail_provider``, or None (the delegate draws a placeholder)."""
DurationTextRole = Qt.ItemDataRole.UserRole + 22
"""'12:04', or '' when the duration is not known yet."""
ChapterLabelRole = Qt.ItemDataRole.UserRole + 23
"""'2 · Exposure' for a video in a chapter, None for an unassigned one."""
NotesRole = Qt.ItemDataRole.UserRole + 24
"""The video's pre-flight notes from its import (a tuple of messages, often empty)."""

# The filter's two fixed scopes; any other scope is a chapter id.
SCOPE_ALL = "all"
SCOPE_UNASSIGNED = "unassigned"


class SortKey(StrEnum):
    NAME = "name"
    ADDED = "added"
    DURATION = "duration"
    SIZE = "size"


SortTuple = tuple[Any, ...]
_DIGITS = re.compile(r"(\d+)")


def natural_key(folded: str) -> tuple[str | int, ...]:
    """'video 10' after 'video 9': text and numbers alternate, numbers compare as numbers."""
    parts = _DIGITS.split(folded)
    if len(parts) == 1:
        return (folded,)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def _sort_tuple(sort: SortKey, video: Video, natural: tuple[str | int, ...]) -> SortTuple:
    # Every key ends with the id, so the order is total and binary search finds one row.
    if sort is SortKey.NAME:
        return (natural, video.title, video.id)
    if sort is SortKey.ADDED:
        return (video.created_at, natural, video.id)
    if sort is SortKey.DURATION:
        return (video.duration_s is None, video.duration_s or 0.0, natural, video.id)
    return (video.size_bytes is None, video.size_bytes or 0, natural, video.id)


# What a card shows of the video's place (a move between chapters changes only these).
PLACE_ROLES = [
    ChapterLabelRole,
    ChapterIdRole,
    int(Qt.ItemDataRole.ToolTipRole),
    int(Qt.ItemDataRole.AccessibleTextRole),
]

# The video fields each sort reads (a change to another field keeps the row where it is).
_SORT_FIELDS = {
    SortKey.NAME: frozenset({"title"}),
    SortKey.ADDED: frozenset({"title"}),
    SortKey.DURATION: frozenset({"title", "duration_s"}),
    SortKey.SIZE: frozenset({"title", "size_bytes"}),
}


class _Descending:
    """A sort tuple compared the other way round (for binary search in a descending list)."""

    __slots__ = ("key",)

    def __init__(self, key: SortTuple) -> None:
        self.key = key

    def __lt__(self, other: _Descending) -> bool:
        return bool(other.key < self.key)


def unassign_label(count: int) -> str:
    return "Unassign video" if count == 1 else f"Move {counted(count, 'video')} to the library"


def delete_label(count: int) -> str:
    return "Delete video" if count == 1 else f"Delete {counted(count, 'video')}"


class LibraryModel(QStringListModel):
    """The videos of one course the grid shows: filtered by scope and search, sorted.

    ``thumbnail_provider`` and ``progress_provider`` are hooks for the import and upload
    features: each takes a video id; call ``refresh_video`` when what they return changes.
    """

    # The rows were replaced by a new search, filter, sort or course.
    refiltered = Signal()

    def __init__(
        self,
        store: Store,
        course_id: str | None,
        parent: QObject | None = None,
        session: EditSession | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._course_id = course_id
        self._session = session
        self.thumbnail_provider: Callable[[str], Thumbnail | None] | None = None
        self.progress_provider: Callable[[str], float | None] | None = None
        self._query = ""
        self._needle = ""
        self._scope = SCOPE_ALL
        self._sort = SortKey.NAME
        self._descending = False
        # Rows shown, in display order (the mirror of the C++ list).
        self._ids: list[str] = []
        # The course's live videos in ascending sort order, with their folded titles.
        self._order: list[str] = []
        self._order_folded: list[str] = []
        self._keys: dict[str, SortTuple] = {}
        # The last search: needle, matching ids and their folded titles, in ascending order.
        self._hits: tuple[str, list[str], list[str]] | None = None
        self._natural: dict[str, tuple[str | int, ...]] = {}
        # A video whose sort key changes: its row before the step, seen again after it.
        self._pending: tuple[str, int | None] | None = None
        # Nesting of the store's operation brackets; during a bulk edit, the videos that
        # moved between chapters and kept their rows (repainted once it is over).
        self._operations = 0
        self._moved: set[str] | None = None
        # The same set while every video shows: then any video of the course that moves
        # keeps its row, so moves are gathered with no questions asked (the course's are
        # picked out at the end).
        self._gathering: set[str] | None = None
        store.subscribe(self)
        self._rebuild()

    # ------------------------------------------------------------------ what is shown

    @property
    def course_id(self) -> str | None:
        return self._course_id

    @property
    def query(self) -> str:
        return self._query

    @property
    def scope(self) -> str:
        """SCOPE_ALL, SCOPE_UNASSIGNED or a chapter id."""
        return self._scope

    @property
    def sort_key(self) -> SortKey:
        return self._sort

    @property
    def descending(self) -> bool:
        return self._descending

    def set_course(self, course_id: str | None) -> None:
        """Show another course (a reset: this is not a single edit)."""
        self._course_id = course_id
        if self._scope not in (SCOPE_ALL, SCOPE_UNASSIGNED) and not self._is_live_chapter(
            self._scope
        ):
            self._scope = SCOPE_ALL
            self._gathering = self._moved
        self._rebuild()

    def set_query(self, text: str) -> None:
        """Show only videos whose title contains ``text``, ignoring case and accents."""
        needle = fold_for_search(text.strip())
        self._query = text
        if needle != self._needle:
            self._needle = needle
            self._refilter()

    def set_scope(self, scope: str) -> None:
        """SCOPE_ALL, SCOPE_UNASSIGNED or a chapter id of the course."""
        if scope != self._scope:
            self._scope = scope
            self._gathering = self._moved if scope == SCOPE_ALL else None
            self._refilter()

    def set_sort(self, key: SortKey, descending: bool = False) -> None:
        if key is not self._sort:
            self._sort = key
            self._descending = descending
            self._rebuild()
        elif descending != self._descending:
            self._descending = descending
            self._refilter()

    def video_ids(self) -> list[str]:
        """The ids shown, in row order (a copy)."""
        return list(self._ids)

    def video_id_at(self, row: int) -> str:
        return self._ids[row]

    def video_at(self, row: int) -> Video | None:
        """The video a row shows (None while a row is being inserted)."""
        video_id = self._ids[row] if 0 <= row < len(self._ids) else None
        if video_id is None or not self._store.has_video(video_id):
            return None
        return self._store.video(video_id)

    def thumbnail_of(self, video_id: str) -> Thumbnail | None:
        """What ``ThumbnailRole`` answers for the video."""
        provider = self.thumbnail_provider
        return provider(video_id) if provider is not None else None

    def row_of(self, video_id: str) -> int | None:
        """The row showing ``video_id``, or None if it is not shown (a binary search)."""
        return self._find(self._ids, video_id, self._descending)

    def refresh_video(self, video_id: str) -> None:
        """Repaint a video whose thumbnail or progress changed outside the store."""
        row = self.row_of(video_id)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [ThumbnailRole, ProgressRole])

    def detach(self) -> None:
        self._store.unsubscribe(self)

    def empty_hint(self) -> tuple[str, str]:
        """What the grid says when it shows nothing: a headline and a line of advice."""
        if self._course_id is None:
            return ("No course is open", "Choose or create a course to see its videos")
        if self._needle:
            return (f"No videos match “{self._query.strip()}”", "Try another word")
        if self._scope == SCOPE_UNASSIGNED and self._store.live_video_ids(self._course_id):
            return (
                "Every video is in a chapter",
                "Drag a video here to take it out of its chapter",
            )
        if self._scope not in (SCOPE_ALL, SCOPE_UNASSIGNED):
            return ("No videos in this chapter yet", "Drag videos onto the chapter to add them")
        return ("Drag videos or folders here", "They join this course's library")

    def total_count(self) -> int:
        """How many live videos the course has (shown or not)."""
        return len(self._order)

    # ------------------------------------------------------------------ edits

    def unassign(self, video_ids: Iterable[str]) -> bool:
        """Move the given videos that are in chapters to the library, as one undoable edit."""
        ids = self.assigned_among(video_ids)
        if not ids or self._session is None or self._course_id is None:
            return False
        applied = self._session.do(
            MoveVideos(tuple(ids), None), unassign_label(len(ids)), self._course_id
        )
        return applied is not None

    def assigned_among(self, video_ids: Iterable[str]) -> list[str]:
        """Those of ``video_ids`` that are live videos of this course, in a chapter."""
        return [v for v in dict.fromkeys(video_ids) if self._is_assigned(v)]

    def trash(self, video_ids: Iterable[str]) -> int:
        """Move the given videos to the Trash as one undoable edit; how many went."""
        ids = [v for v in dict.fromkeys(video_ids) if v in self._keys]
        if not ids or self._session is None or self._course_id is None:
            return 0
        applied = self._session.do(TrashVideos(tuple(ids)), delete_label(len(ids)), self._course_id)
        return len(ids) if applied is not None else 0

    # ------------------------------------------------------------------ Qt model API

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        # The C++ list, not the mirror: it is what the signals being delivered describe.
        video_id = QStringListModel.data(self, index, Qt.ItemDataRole.DisplayRole)
        if not video_id or not self._store.has_video(video_id):
            return None  # a row being inserted, before its id is set
        if role == VideoIdRole:
            return video_id
        video = self._store.video(video_id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return video.title
        if role == StatusRole:
            return video.status
        if role == DurationTextRole:
            return format_duration(video.duration_s)
        if role == ChapterLabelRole:
            return self._chapter_label(video.chapter_id)
        if role == ChapterIdRole:
            return video.chapter_id
        if role == NotesRole:
            return video.notes
        if role == ThumbnailRole:
            provider = self.thumbnail_provider
            return provider(video_id) if provider is not None else None
        if role == ProgressRole:
            progress = self.progress_provider
            if progress is None or video.status is not VideoStatus.UPLOADING:
                return None
            return progress(video_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(video)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            chapter = self._chapter_label(video.chapter_id) or "Unassigned"
            duration = format_duration(video.duration_s)
            return ", ".join(p for p in (video.title, duration, video.status.value, chapter) if p)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False  # the rows are ids; renaming goes through the undo stack elsewhere

    def setItemData(self, index: AnyIndex, roles: dict[int, Any]) -> bool:
        return False

    def clearItemData(self, index: AnyIndex) -> bool:
        return False

    def insertRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:
        return False  # rows follow the store; views must not add or drop any

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:
        return False

    def moveRows(
        self,
        source_parent: AnyIndex,
        source_row: int,
        count: int,
        destination_parent: AnyIndex,
        destination_child: int,
    ) -> bool:
        return False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.set_sort(self._sort, order == Qt.SortOrder.DescendingOrder)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [VIDEO_IDS_MIME]

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_ids(VIDEO_IDS_MIME, (self._ids[r] for r in rows))

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Videos dragged in from a chapter can be dropped here: they go to the library."""
        if self._session is None or not action & self.supportedDropActions():
            return False
        return any(self._is_assigned(v) for v in decode_ids(data, VIDEO_IDS_MIME))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        return self.unassign(decode_ids(data, VIDEO_IDS_MIME))

    # ------------------------------------------------------------------ store events

    def operation_started(self, expected_steps: int) -> None:
        """The store is about to apply one operation of about ``expected_steps`` steps."""
        self._operations += 1
        if self._operations == 1 and expected_steps > BULK_STEPS:
            self._moved = set()
            if self._scope == SCOPE_ALL:
                self._gathering = self._moved

    def operation_finished(self) -> None:
        self._operations -= 1
        if self._operations or self._moved is None:
            return
        moved = self._keys.keys() & self._moved  # of this course, and still in it
        self._moved = self._gathering = None
        if not moved or not self._ids:
            return
        # One signal for the lot: the chapter each card names changed. Finding hundreds of
        # rows would cost more than the view spends on a span that is too wide.
        first, last = 0, len(self._ids) - 1
        if len(moved) <= BULK_STEPS * 8:
            rows = [r for r in map(self.row_of, moved) if r is not None]
            if not rows:
                return
            first, last = min(rows), max(rows)
        self.dataChanged.emit(self.index(first, 0), self.index(last, 0), PLACE_ROLES)

    # The steps it follows (a StoreListener's narrowing): what before() and after() look at.
    before_kinds: frozenset[type] = frozenset({VideoPurged, VideoTrashed, VideoChanged})
    after_kinds: frozenset[type] = frozenset(
        {
            VideoCreated,
            VideoRestored,
            VideoMoved,
            VideoChanged,
            ChapterChanged,
            ChapterCreated,
            ChapterMoved,
            ChapterPurged,
            ChapterRestored,
            ChapterTrashed,
            CoursePurged,
        }
    )

    def before(self, step: Step) -> None:
        match step:
            case VideoPurged(video=video) if video.id in self._keys:
                self._forget(video.id)
            case VideoTrashed(video_id=video_id) if video_id in self._keys:
                self._forget(video_id)
            case VideoChanged(video_id=video_id) if video_id in self._keys and (
                step.fields & _SORT_FIELDS[self._sort]
            ):
                self._pending = (video_id, self.row_of(video_id))
                self._leave_order(video_id)
            case _:
                pass

    def after(self, step: Step) -> None:
        if type(step) is VideoMoved:  # the step of bulk edits, hundreds at a time
            # Each look at an attribute of a Qt object costs: a bulk edit takes one.
            gathering = self._gathering
            if gathering is not None:
                gathering.add(step.video_id)
            elif step.video_id in self._keys:
                self._moved_in_course(step.video_id)
            return
        match step:
            case VideoCreated(video=video) if self._is_mine_live(video.id):
                self._admit(video.id)
            case VideoRestored(video_id=video_id) if self._is_mine_live(video_id):
                self._admit(video_id)
            case VideoChanged(video_id=video_id):
                pending, self._pending = self._pending, None
                if pending is not None and pending[0] == video_id:
                    if "title" in step.fields:
                        self._natural.pop(video_id, None)
                    self._enter_order(video_id)
                    self._settle(video_id, pending[1])
                elif video_id in self._keys:
                    self._row_changed(self.row_of(video_id))
            case (
                ChapterChanged()
                | ChapterCreated()
                | ChapterMoved()
                | ChapterPurged()
                | ChapterRestored()
                | ChapterTrashed()
            ):
                # Chapter numbers and titles show on every assigned video.
                if self._ids and self._is_my_chapter_step(step):
                    self.dataChanged.emit(
                        self.index(0, 0),
                        self.index(len(self._ids) - 1, 0),
                        [ChapterLabelRole, Qt.ItemDataRole.ToolTipRole],
                    )
            case CoursePurged(course=course) if course.id == self._course_id:
                self.set_course(None)
            case _:
                pass

    # ------------------------------------------------------------------ keeping rows

    def _rebuild(self) -> None:
        """Recompute the course's sorted index, then the rows."""
        store = self._store
        live: Collection[str] = ()
        if self._course_id is not None and store.is_loaded(self._course_id):
            live = store.live_video_ids(self._course_id)
        if self._natural.keys() - live:
            self._natural = {v: n for v, n in self._natural.items() if v in live}
        keys = {vid: self._sort_tuple(vid) for vid in live}
        self._keys = keys
        self._order = sorted(keys, key=keys.__getitem__)
        self._order_folded = [store.folded_title(v) for v in self._order]
        self._hits = None
        self._refilter(force=True)

    def _refilter(self, *, force: bool = False) -> None:
        ids = self._matching_ids()
        if ids == self._ids and not force:
            return
        # A reset: Qt reads the new rows from the C++ list; the mirror follows, then views
        # that carry state across (the selection) hear ``refiltered``.
        QStringListModel.setStringList(self, ids)
        self._ids = ids
        self.refiltered.emit()

    def _matching_ids(self) -> list[str]:
        if self._course_id is None:
            return []
        scope = self._scope
        hits = self._search_hits()
        if scope == SCOPE_ALL:
            ids = list(hits)
        else:
            member: Collection[str] = ()
            if scope == SCOPE_UNASSIGNED:
                member = self._store.library_ids(self._course_id)
            elif self._is_live_chapter(scope):
                member = set(self._store.video_ids(scope))
            ids = [v for v in hits if v in member]
        if self._descending:
            ids.reverse()
        return ids

    def _search_hits(self) -> list[str]:
        """The course's videos whose folded title contains the needle, in ascending order.

        Typing on narrows the previous result, so only the first keystroke scans everything.
        """
        needle = self._needle
        if not needle:
            return self._order
        last = self._hits
        if last is not None and last[0] == needle:
            return last[1]
        ids, folded = self._order, self._order_folded
        if last is not None and last[0] in needle:
            ids, folded = last[1], last[2]
        mask = [needle in title for title in folded]
        hits = list(compress(ids, mask))
        self._hits = (needle, hits, list(compress(folded, mask)))
        return hits

    def _accepts(self, video_id: str) -> bool:
        if self._needle and self._needle not in self._store.folded_title(video_id):
            return False
        if self._scope == SCOPE_ALL:
            return True
        chapter_id = self._store.video(video_id).chapter_id
        if self._scope == SCOPE_UNASSIGNED:
            return chapter_id is None
        return chapter_id == self._scope

    def _admit(self, video_id: str) -> None:
        self._enter_order(video_id)
        if self._accepts(video_id):
            self._insert_row(self._position(self._ids, video_id, self._descending), video_id)

    def _forget(self, video_id: str) -> None:
        row = self.row_of(video_id)
        if row is not None:
            self._remove_row(row)
        self._leave_order(video_id)
        self._natural.pop(video_id, None)

    def _settle(self, video_id: str, old_row: int | None) -> None:
        """Put a changed video's row where it now belongs, if anywhere."""
        wanted = self._accepts(video_id)
        if old_row is None:
            if wanted:
                self._insert_row(self._position(self._ids, video_id, self._descending), video_id)
            return
        if not wanted:
            self._remove_row(old_row)
            return
        ids = self._ids
        del ids[old_row]
        new_row = self._position(ids, video_id, self._descending)
        ids.insert(old_row, video_id)
        if new_row != old_row:
            del ids[old_row]
            ids.insert(new_row, video_id)
            target = new_row + 1 if new_row > old_row else new_row
            QStringListModel.moveRows(self, QModelIndex(), old_row, 1, QModelIndex(), target)
        self._row_changed(new_row)

    def _moved_in_course(self, video_id: str) -> None:
        """A video changed chapter: no sort reads the chapter, so a row it keeps stays where
        it is; the scope may take the video in or leave it out."""
        if self._moved is not None and self._scope == SCOPE_ALL:
            self._moved.add(video_id)  # shown or not, it stays so: repainted once at the end
            return
        row = self.row_of(video_id)
        wanted = self._accepts(video_id)
        if row is None:
            if wanted:
                self._insert_row(self._position(self._ids, video_id, self._descending), video_id)
        elif not wanted:
            self._remove_row(row)
        elif self._moved is not None:
            self._moved.add(video_id)
        else:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, PLACE_ROLES)

    def _insert_row(self, row: int, video_id: str) -> None:
        self._ids.insert(row, video_id)
        QStringListModel.insertRows(self, row, 1)
        QStringListModel.setData(self, self.index(row, 0), video_id)

    def _remove_row(self, row: int) -> None:
        del self._ids[row]
        QStringListModel.removeRows(self, row, 1)

    def _row_changed(self, row: int | None) -> None:
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def _enter_order(self, video_id: str) -> None:
        key = self._sort_tuple(video_id)
        self._keys[video_id] = key
        pos = bisect_left(self._order, key, key=self._keys.__getitem__)
        self._order.insert(pos, video_id)
        self._order_folded.insert(pos, self._store.folded_title(video_id))
        self._hits = None

    def _leave_order(self, video_id: str) -> None:
        pos = self._find(self._order, video_id, False)
        if pos is not None:
            del self._order[pos]
            del self._order_folded[pos]
        del self._keys[video_id]
        self._hits = None

    def _position(self, ids: list[str], video_id: str, descending: bool) -> int:
        keys = self._keys
        if descending:
            return bisect_left(ids, _Descending(keys[video_id]), key=lambda v: _Descending(keys[v]))
        return bisect_left(ids, keys[video_id], key=keys.__getitem__)

    def _find(self, ids: list[str], video_id: str, descending: bool) -> int | None:
        if video_id not in self._keys:
            return None
        pos = self._position(ids, video_id, descending)
        return pos if pos < len(ids) and ids[pos] == video_id else None

    def _sort_tuple(self, video_id: str) -> SortTuple:
        natural = self._natural.get(video_id)
        if natural is None:
            natural = natural_key(self._store.folded_title(video_id))
            self._natural[video_id] = natural
        return _sort_tuple(self._sort, self._store.video(video_id), natural)

    # ------------------------------------------------------------------ lookups

    def _is_mine_live(self, video_id: str) -> bool:
        video = self._store.video(video_id)
        return video.course_id == self._course_id and video.deleted_at is None

    def _is_my_chapter_step(
        self,
        step: ChapterChanged
        | ChapterCreated
        | ChapterMoved
        | ChapterPurged
        | ChapterRestored
        | ChapterTrashed,
    ) -> bool:
        if isinstance(step, ChapterCreated | ChapterPurged):
            return step.chapter.course_id == self._course_id
        if isinstance(step, ChapterChanged):
            store = self._store
            return (
                store.has_chapter(step.chapter_id)
                and store.chapter(step.chapter_id).course_id == self._course_id
            )
        return step.course_id == self._course_id

    def _is_assigned(self, video_id: str) -> bool:
        if video_id not in self._keys:
            return False
        return self._store.video(video_id).chapter_id is not None

    def _is_live_chapter(self, chapter_id: str) -> bool:
        store = self._store
        if not store.has_chapter(chapter_id):
            return False
        chapter = store.chapter(chapter_id)
        return chapter.course_id == self._course_id and chapter.deleted_at is None

    def chapter_label_of(self, video_id: str) -> str | None:
        """The chapter line a video's card shows ('2 · Exposure'); None: unassigned."""
        if not self._store.has_video(video_id):
            return None
        return self._chapter_label(self._store.video(video_id).chapter_id)

    def _chapter_label(self, chapter_id: str | None) -> str | None:
        if chapter_id is None:
            return None
        number = self._store.chapter_index(chapter_id)
        title = self._store.chapter(chapter_id).title
        return title if number is None else f"{number + 1} · {title}"

    def _tooltip(self, video: Video) -> str:
        where = self._chapter_label(video.chapter_id) or "Unassigned"
        facts = [format_duration(video.duration_s), format_size(video.size_bytes)]
        lines = [video.title, " · ".join([where, *(f for f in facts if f)])]
        lines.append(f"Status: {video.status.value.capitalize()}")
        if video.error:
            lines.append(video.error)
        lines.extend(f"⚠ {note}" for note in video.notes)
        return "\n".join(lines)
