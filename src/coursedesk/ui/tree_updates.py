"""How the store's steps become the chapter tree's row signals.

``TreeUpdates`` listens to the store on behalf of a ``ChapterTreeModel`` and tells its views
what changed, as precisely and as cheaply for them as it can:

* A video moving within its chapter changes no row's place in the tree, only what some rows
  show: one ``dataChanged`` over the rows it passed, with the persistent indexes (selection,
  current row) moved along with their videos. ``QTreeView`` lays out every expanded row again
  after any row is inserted, removed or moved, which in a course of thousands of open rows
  costs far more than the edit; a reorder in place costs only the repaint. Moves within
  chapters are gathered over the whole operation: moving 500 videos to the top of their
  chapter, or undoing it, is one ``dataChanged``.
* Any other single change is ``beginInsertRows``/``beginMoveRows``/``beginRemoveRows``/
  ``dataChanged``: never a reset for a single edit.
* A bulk edit (an operation of many steps) that changes rows is one layout change instead of
  hundreds of row signals: the persistent indexes are noted by id when it starts and put back
  on their chapters and videos once it is over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex

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
from coursedesk.ui.tree_roles import COLUMNS, POSITION_ROLES, TOP

if TYPE_CHECKING:
    from coursedesk.ui.chapter_tree_model import ChapterTreeModel

# An operation expected to take more steps than this is a bulk edit.
BULK_STEPS = 8

_TITLE = 0

# Steps that may insert, remove or move rows of the tree.
_ROW_STEPS = (
    ChapterCreated,
    ChapterPurged,
    ChapterRestored,
    ChapterTrashed,
    ChapterMoved,
    VideoCreated,
    VideoPurged,
    VideoRestored,
    VideoTrashed,
    VideoMoved,
)

# Steps after which chapter rows are numbered differently.
_CHAPTER_ORDER_STEPS = (
    ChapterCreated,
    ChapterRestored,
    ChapterPurged,
    ChapterTrashed,
    ChapterMoved,
)


@dataclass(slots=True)
class _Reorder:
    """A chapter whose videos are being reordered in place: the persistent indexes on its
    rows with the video each showed, and the span of rows that may show another video."""

    chapter_id: str
    held: list[QModelIndex]
    videos: list[str]
    first: int
    last: int


@dataclass(slots=True)
class _Remembered:
    """Persistent indexes at the start of a layout change, with what each showed:
    (is a chapter row, chapter or video id, column)."""

    indexes: list[QModelIndex]
    places: list[tuple[bool, str, int]] = field(default_factory=list)


class TreeUpdates:
    """The store listener behind one ``ChapterTreeModel``."""

    def __init__(self, model: ChapterTreeModel, store: Store) -> None:
        self._model = model
        self._store = store
        # Nesting of the store's operation brackets; whether the operation is a bulk edit.
        self._operations = 0
        self._bulk = False
        # A layout change under way (a bulk edit that changes rows), else None.
        self._layout: _Remembered | None = None
        # Chapters reordered in place and not yet announced, by chapter key.
        self._reorders: dict[int, _Reorder] = {}
        self._move_refused = False

    # ------------------------------------------------------------------ operations

    def operation_started(self, expected_steps: int) -> None:
        """The store is about to apply one operation of about ``expected_steps`` steps."""
        self._operations += 1
        if self._operations == 1:
            self._bulk = expected_steps > BULK_STEPS

    def operation_finished(self) -> None:
        self._operations -= 1
        if self._operations:
            return
        self._bulk = False
        self._announce_reorders()
        self._end_layout()

    # ------------------------------------------------------------------ steps

    def _mine(self, course_id: str) -> bool:
        return course_id == self._model.course_id and course_id is not None

    def _in_place(self, step: Step) -> bool:
        return (
            isinstance(step, VideoMoved)
            and step.from_chapter_id is not None
            and step.from_chapter_id == step.to_chapter_id
            and self._mine(step.course_id)
        )

    # The steps it follows (a StoreListener's narrowing): rows change before and after the
    # steps that insert, remove or move them; a field change repaints after it; a course's
    # own steps show in no row.
    before_kinds: frozenset[type] = frozenset(_ROW_STEPS)
    after_kinds: frozenset[type] = STEP_KINDS - {CourseCreated, CoursePurged, CourseChanged}

    def before(self, step: Step) -> None:
        if self._layout is not None:
            return  # one layout change for the whole operation
        if isinstance(step, VideoMoved) and self._in_place(step):
            assert step.from_chapter_id is not None
            assert step.from_index is not None and step.to_index is not None
            self._reorder(step.from_chapter_id, step.from_index, step.to_index)
            return
        if not self._changes_rows(step):
            return
        # Rows are about to come, go or move: the reorders so far are announced first, so
        # the views see each change against the rows they already know.
        self._announce_reorders()
        if self._bulk:
            self._begin_layout()
            return
        self._begin_rows(step)

    def after(self, step: Step) -> None:
        if self._layout is not None:  # the rest of a bulk edit: rows are found again at its end
            if type(step) is VideoMoved:  # hundreds of these in a bulk edit
                return
            model = self._model
            if isinstance(step, _CHAPTER_ORDER_STEPS):
                model.chapter_order_changed()
                if isinstance(step, ChapterPurged):
                    model.forget_chapter(step.chapter.id)
                elif isinstance(step, ChapterTrashed):
                    model.forget_chapter(step.chapter_id)
            return
        model = self._model
        if isinstance(step, _CHAPTER_ORDER_STEPS):
            model.chapter_order_changed()
        if self._in_place(step):
            return  # announced once the operation is over
        if self._changes_rows(step):
            self._end_rows(step)
            return
        match step:
            case ChapterChanged(chapter_id=chapter_id):
                chapter = self._store.chapter(chapter_id)
                if self._mine(chapter.course_id) and chapter.deleted_at is None:
                    self._row_changed(model.chapter_index(chapter_id))
            case VideoChanged(video_id=video_id):
                video = self._store.video(video_id)
                if self._mine(video.course_id) and video.chapter_id is not None:
                    self._row_changed(model.video_index(video_id))
                    self._row_changed(model.chapter_index(video.chapter_id))
            case _:
                pass

    def _changes_rows(self, step: Step) -> bool:
        """Whether ``step`` inserts, removes or moves rows of this tree."""
        match step:
            case ChapterCreated(chapter=chapter) | ChapterPurged(chapter=chapter):
                return self._mine(chapter.course_id) and chapter.deleted_at is None
            case (
                ChapterRestored(course_id=course_id)
                | ChapterTrashed(course_id=course_id)
                | ChapterMoved(course_id=course_id)
            ):
                return self._mine(course_id)
            case VideoCreated(video=video) | VideoPurged(video=video):
                return (
                    self._mine(video.course_id)
                    and video.chapter_id is not None
                    and video.deleted_at is None
                )
            case (
                VideoRestored(course_id=course_id, chapter_id=chapter_id)
                | VideoTrashed(course_id=course_id, chapter_id=chapter_id)
            ):
                return self._mine(course_id) and chapter_id is not None
            case VideoMoved(course_id=course_id):
                return self._mine(course_id)
            case _:
                return False

    # ------------------------------------------------------------------ single changes

    def _begin_rows(self, step: Step) -> None:
        model = self._model
        root = QModelIndex()
        match step:
            case ChapterCreated(index=index) | ChapterRestored(index=index):
                assert index is not None
                model.beginInsertRows(root, index, index)
            case ChapterPurged(index=index) | ChapterTrashed(index=index):
                assert index is not None
                model.beginRemoveRows(root, index, index)
            case ChapterMoved(from_index=src, to_index=dst):
                target = dst + 1 if dst > src else dst
                self._move_refused = not model.beginMoveRows(root, src, src, root, target)
            case VideoCreated(video=video, index=index):
                assert video.chapter_id is not None and index is not None
                model.beginInsertRows(model.chapter_index(video.chapter_id), index, index)
            case VideoRestored(chapter_id=chapter_id, index=index):
                assert chapter_id is not None and index is not None
                model.beginInsertRows(model.chapter_index(chapter_id), index, index)
            case VideoPurged(video=video, index=index):
                assert video.chapter_id is not None and index is not None
                model.beginRemoveRows(model.chapter_index(video.chapter_id), index, index)
            case VideoTrashed(chapter_id=chapter_id, index=index):
                assert chapter_id is not None and index is not None
                model.beginRemoveRows(model.chapter_index(chapter_id), index, index)
            case VideoMoved():
                self._begin_video_move(step)
            case _:
                pass

    def _begin_video_move(self, step: VideoMoved) -> None:
        """A move between chapters, into one from the library, or out to the library."""
        model = self._model
        src, dst = step.from_chapter_id, step.to_chapter_id
        if src is not None and dst is not None:
            assert step.from_index is not None and step.to_index is not None
            self._move_refused = not model.beginMoveRows(
                model.chapter_index(src),
                step.from_index,
                step.from_index,
                model.chapter_index(dst),
                step.to_index,
            )
        elif src is not None:
            assert step.from_index is not None
            model.beginRemoveRows(model.chapter_index(src), step.from_index, step.from_index)
        elif dst is not None:
            assert step.to_index is not None
            model.beginInsertRows(model.chapter_index(dst), step.to_index, step.to_index)

    def _end_rows(self, step: Step) -> None:
        model = self._model
        match step:
            case ChapterCreated() | ChapterRestored():
                model.endInsertRows()
                self._renumber_chapters()
            case ChapterPurged(chapter=chapter):
                model.endRemoveRows()
                model.forget_chapter(chapter.id)
                self._renumber_chapters()
            case ChapterTrashed(chapter_id=chapter_id):
                model.endRemoveRows()
                model.forget_chapter(chapter_id)
                self._renumber_chapters()
            case ChapterMoved():
                self._end_move()
                self._renumber_chapters()
            case VideoCreated(video=video) | VideoPurged(video=video):
                if isinstance(step, VideoCreated):
                    model.endInsertRows()
                else:
                    model.endRemoveRows()
                assert video.chapter_id is not None
                self._chapter_content_changed(video.chapter_id)
            case VideoRestored(chapter_id=chapter_id):
                model.endInsertRows()
                assert chapter_id is not None
                self._chapter_content_changed(chapter_id)
            case VideoTrashed(chapter_id=chapter_id):
                model.endRemoveRows()
                assert chapter_id is not None
                self._chapter_content_changed(chapter_id)
            case VideoMoved(from_chapter_id=src, to_chapter_id=dst):
                if src is not None and dst is not None:
                    self._end_move()
                elif src is not None:
                    model.endRemoveRows()
                else:
                    model.endInsertRows()
                for chapter_id in (src, dst):
                    if chapter_id is not None:
                        self._chapter_content_changed(chapter_id)
            case _:
                pass

    def _end_move(self) -> None:
        if self._move_refused:
            # Qt refuses a move onto the row's own place: nothing moved.
            self._move_refused = False
        else:
            self._model.endMoveRows()

    def _row_changed(self, index: QModelIndex) -> None:
        if index.isValid():
            self._model.dataChanged.emit(
                index.siblingAtColumn(0), index.siblingAtColumn(COLUMNS - 1)
            )

    def _chapter_content_changed(self, chapter_id: str) -> None:
        """Positions after an insert/remove shift, and the chapter's totals change."""
        model = self._model
        self._row_changed(model.chapter_index(chapter_id))
        count = len(self._store.video_ids(chapter_id))
        if count:
            key = model.key_of(chapter_id)
            model.dataChanged.emit(
                model.createIndex(0, _TITLE, key),
                model.createIndex(count - 1, _TITLE, key),
                POSITION_ROLES,
            )

    def _renumber_chapters(self) -> None:
        model = self._model
        count = model.rowCount()
        if count:
            model.dataChanged.emit(
                model.createIndex(0, _TITLE, TOP),
                model.createIndex(count - 1, _TITLE, TOP),
                POSITION_ROLES,
            )

    # ------------------------------------------------------------------ reorders in place

    def _reorder(self, chapter_id: str, from_index: int, to_index: int) -> None:
        """Note a video moving within ``chapter_id`` (the store has not moved it yet)."""
        model = self._model
        key = model.key_of(chapter_id)
        pending = self._reorders.get(key)
        if pending is None:
            # Views keep a selection as ranges of rows; a range over several rows would no
            # longer cover the same videos once they are reordered.
            model.rows_reordering.emit(model.chapter_index(chapter_id))
            held = [p for p in model.persistentIndexList() if p.internalId() == key]
            order = self._store.video_ids(chapter_id)
            videos = [order[p.row()] for p in held]
            pending = _Reorder(chapter_id, held, videos, from_index, from_index)
            self._reorders[key] = pending
        pending.first = min(pending.first, from_index, to_index)
        pending.last = max(pending.last, from_index, to_index)

    def _announce_reorders(self) -> None:
        """Tell the views about the reorders noted so far: persistent indexes follow their
        videos, and the rows passed over show what they show now."""
        if not self._reorders:
            return
        model = self._model
        reorders, self._reorders = self._reorders, {}
        for key, pending in reorders.items():
            order = self._store.video_ids(pending.chapter_id)
            if pending.held:
                rows = (
                    {vid: r for r, vid in enumerate(order)}
                    if len(pending.held) > BULK_STEPS
                    else None
                )
                found = [
                    model.createIndex(
                        rows[vid] if rows is not None else order.index(vid), held.column(), key
                    )
                    for held, vid in zip(pending.held, pending.videos, strict=True)
                ]
                model.changePersistentIndexList(pending.held, found)
            model.dataChanged.emit(
                model.createIndex(pending.first, 0, key),
                model.createIndex(pending.last, COLUMNS - 1, key),
            )
            model.rows_reordered.emit(model.chapter_index(pending.chapter_id))

    # ------------------------------------------------------------------ bulk edits

    def _begin_layout(self) -> None:
        # Listeners make their own persistent indexes when they hear this: emit first.
        self._model.layoutAboutToBeChanged.emit()
        self._layout = self._remember()

    def _end_layout(self) -> None:
        remembered, self._layout = self._layout, None
        if remembered is None:
            return
        model = self._model
        model.chapter_order_changed()
        model.changePersistentIndexList(remembered.indexes, self._find_again(remembered))
        model.layoutChanged.emit()

    def _remember(self) -> _Remembered:
        """What each persistent index shows, by id, while the store still shows it."""
        model = self._model
        indexes = model.persistentIndexList()
        remembered = _Remembered(indexes)
        for index in indexes:
            key = index.internalId()
            chapter_id = model.chapter_id_of(index)
            assert chapter_id is not None
            if key == TOP:
                remembered.places.append((True, chapter_id, index.column()))
            else:
                video_id = self._store.video_ids(chapter_id)[index.row()]
                remembered.places.append((False, video_id, index.column()))
        return remembered

    def _find_again(self, remembered: _Remembered) -> list[QModelIndex]:
        """The rows the remembered chapters and videos are on now (invalid where gone)."""
        model = self._model
        store = self._store
        chapter_rows = model.chapter_rows()
        video_rows: dict[str, dict[str, int]] = {}
        found: list[QModelIndex] = []
        for is_chapter, item_id, column in remembered.places:
            if is_chapter:
                row = chapter_rows.get(item_id)
                found.append(QModelIndex() if row is None else model.createIndex(row, column, TOP))
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
            found.append(model.createIndex(rows[item_id], column, model.key_of(chapter_id)))
        return found
