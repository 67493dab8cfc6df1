"""The chapter tree: the course's chapters and their videos, edited by keyboard, mouse and
drag and drop. Every edit goes through the edit session as one undo step."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QDropEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QTreeView,
    QWidget,
)

from coursedesk.domain.model import VideosGo
from coursedesk.domain.operations import AddChapter
from coursedesk.editing.labels import counted
from coursedesk.editing.session import EditSession
from coursedesk.ui import tree_edits
from coursedesk.ui.chapter_tree_model import ChapterTreeModel, Column
from coursedesk.ui.delete_chapter_dialog import DeleteChapterDialog
from coursedesk.ui.empty_state import outline_glyph, paint_empty_state
from coursedesk.ui.mime import CHAPTER_IDS_MIME, VIDEO_IDS_MIME, decode_ids
from coursedesk.ui.tree_delegate import TreeDelegate
from coursedesk.ui.tree_edits import Edit, Where, chapters, videos
from coursedesk.ui.tree_row_pictures import RowPictures

NEW_CHAPTER_TITLE = "New chapter"
TOOLTIP_MS = 5000
# Above this many videos in chapters, a course opens with only its first chapter expanded.
LARGE_COURSE_VIDEOS = 2_000
# macOS reserves Option+arrows for moving by word; its convention is Command+arrows.
_MOVE_MODIFIER = "Ctrl" if sys.platform == "darwin" else "Alt"


def _undo_hint() -> str:
    keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
    key = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else "Ctrl+Z"
    return f" — {key} to undo"


class ChapterTreeView(QTreeView):
    """The chapter tree of the course its model shows.

    Public surface, for the window:

    * ``status_message(str)``: a line for the status bar after an edit that makes rows go
      away ("Moved 3 videos to the Trash — Ctrl+Z to undo"). Refusals are the session's
      ``refused`` signal; the view also shows them as a tooltip at the row concerned.
    * Actions, shortcuts active while the tree (or its editor) has focus, for the menus:
      ``rename_action`` (F2), ``delete_action`` (Delete), ``move_up_action`` /
      ``move_down_action`` (Alt+Up/Down; Cmd on macOS), ``move_first_action`` /
      ``move_last_action`` (Alt+Home/End), ``add_chapter_action`` (Ctrl+Shift+N),
      ``move_to_action`` (Ctrl+Shift+M: pops up the "Move to" menu) and
      ``context_menu_action`` (Shift+F10; the Menu key works as well).
    * ``move_to_menu``: "Move to ▸ chapters / Library", refilled each time it opens;
      ``build_move_to_menu(menu)`` fills any menu the same way.
    * ``context_menu()``: the menu the tree pops up, built for the current selection, with
      ``extra_video_actions`` (enabled while videos are selected) before Delete.
    * ``selected_video_ids()`` / ``selected_chapter_ids()``: the selection in course order.
    * Edits as methods: ``rename_current()``, ``delete_selected()``, ``move_selected(where)``,
      ``move_selected_to(chapter_id | None)``, ``add_chapter()``.
    * ``ask_where_videos_go(titles, video_count)``: the question asked before deleting
      chapters that hold videos (a dialog; None when cancelled).
    """

    status_message = Signal(str)

    def __init__(
        self, session: EditSession, model: ChapterTreeModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self._model = model
        self._acting = False
        # Chapters whose selection is held row by row while their videos are reordered.
        self._split: set[str] = set()
        # Actions on the selected videos other features put in the context menu.
        self.extra_video_actions: list[QAction] = []
        self.setObjectName("chapterTree")
        self.setAccessibleName("Chapters")
        self.setModel(model)
        self.setItemDelegate(TreeDelegate(self))
        # Durations and sizes are painted the standard way: a delegate that is not a Python
        # subclass paints them without a call into Python per cell.
        self._plain_delegate = QStyledItemDelegate(self)
        for column in (Column.DURATION, Column.SIZE):
            self.setItemDelegateForColumn(column, self._plain_delegate)
        self.setUniformRowHeights(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setExpandsOnDoubleClick(False)  # a double-click renames
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAutoExpandDelay(700)
        self._set_up_columns()
        self._build_actions()

        # Chapters open when they first appear; after that the instructor decides. Only
        # chapter rows are expanded: expandAll() would keep a persistent index for every
        # video row too, and every row move updates them all.
        self._known_chapters: set[str] = set()
        model.modelReset.connect(self._expand_all_chapters)
        model.rowsInserted.connect(self._expand_new_chapters)
        model.layoutChanged.connect(self._expand_unknown_chapters)
        model.rows_reordering.connect(self._select_row_by_row)
        model.rows_reordered.connect(self._join_selected_rows)
        # Video rows as last painted (a row painted again unchanged is one copy of pixels).
        self._row_pictures = RowPictures(self, model)
        model.modelReset.connect(self._row_pictures.clear)
        session.refused.connect(self._show_refusal)
        self._expand_all_chapters()

    # ------------------------------------------------------------------ set-up

    def _set_up_columns(self) -> None:
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        padding = 3 * metrics.averageCharWidth()
        widths = {
            Column.DURATION: metrics.horizontalAdvance("10:00:00") + padding,
            Column.SIZE: metrics.horizontalAdvance("999.9 MB") + padding,
            Column.STATUS: metrics.horizontalAdvance("File missing") + 16 + 2 * padding,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        header.setMinimumSectionSize(metrics.horizontalAdvance("Size") + padding)

    def _action(self, text: str, name: str, keys: Sequence[QKeySequence | str]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        mod = _MOVE_MODIFIER
        self.rename_action = self._action("&Rename", "renameAction", ["F2"])
        self.rename_action.triggered.connect(self.rename_current)
        delete_keys: list[QKeySequence | str] = [QKeySequence(QKeySequence.StandardKey.Delete)]
        if sys.platform == "darwin":
            delete_keys.append("Ctrl+Backspace")
        self.delete_action = self._action("&Delete", "deleteAction", delete_keys)
        self.delete_action.triggered.connect(self.delete_selected)
        self.move_up_action = self._action("Move &Up", "moveUpAction", [f"{mod}+Up"])
        self.move_up_action.triggered.connect(partial(self.move_selected, "up"))
        self.move_down_action = self._action("Move Do&wn", "moveDownAction", [f"{mod}+Down"])
        self.move_down_action.triggered.connect(partial(self.move_selected, "down"))
        self.move_first_action = self._action("Move to &Top", "moveFirstAction", [f"{mod}+Home"])
        self.move_first_action.triggered.connect(partial(self.move_selected, "first"))
        self.move_last_action = self._action("Move to &End", "moveLastAction", [f"{mod}+End"])
        self.move_last_action.triggered.connect(partial(self.move_selected, "last"))
        self.add_chapter_action = self._action("Add &Chapter", "addChapterAction", ["Ctrl+Shift+N"])
        self.add_chapter_action.triggered.connect(self.add_chapter)
        self.move_to_action = self._action("Move T&o…", "moveToAction", ["Ctrl+Shift+M"])
        self.move_to_action.triggered.connect(self._pop_up_move_to_menu)
        self.context_menu_action = self._action("Context Menu", "contextMenuAction", ["Shift+F10"])
        self.context_menu_action.triggered.connect(self._pop_up_context_menu)

        self.move_to_menu = QMenu("Move &To", self)
        self.move_to_menu.setObjectName("moveToMenu")
        self.move_to_menu.aboutToShow.connect(lambda: self.build_move_to_menu(self.move_to_menu))

    # ------------------------------------------------------------------ selection

    def selected_video_ids(self) -> list[str]:
        """The selected videos, in course order."""
        return self._model.ids_in_order(self.selectionModel().selectedRows(0))[0]

    def selected_chapter_ids(self) -> list[str]:
        """The selected chapters, in course order."""
        return self._model.ids_in_order(self.selectionModel().selectedRows(0))[1]

    def select_videos(self, video_ids: Sequence[str]) -> None:
        """Select these videos (those in a chapter), make the first current and show it."""
        store = self.session.store
        wanted = set(video_ids)
        rows_by_chapter: dict[str, list[int]] = {}
        for chapter_id in {store.video(v).chapter_id for v in wanted if store.has_video(v)}:
            if chapter_id is None:
                continue
            order = store.video_ids(chapter_id)
            rows_by_chapter[chapter_id] = [r for r, v in enumerate(order) if v in wanted]
        selection = QItemSelection()
        first: QModelIndex | None = None
        last_column = self._model.columnCount() - 1
        for chapter_id, rows in rows_by_chapter.items():
            parent = self._model.chapter_index(chapter_id)
            self.expand(parent)
            start = previous = rows[0]
            for row in [*rows[1:], None]:
                if row is not None and row == previous + 1:
                    previous = row
                    continue
                top = self._model.index(start, 0, parent)
                selection.select(top, self._model.index(previous, last_column, parent))
                if first is None or (parent.row(), start) < (first.parent().row(), first.row()):
                    first = top
                if row is not None:
                    start = previous = row
        self._replace_selection(selection, first)

    def select_chapter(self, chapter_id: str) -> None:
        index = self._model.chapter_index(chapter_id)
        selection = QItemSelection(index, index.siblingAtColumn(self._model.columnCount() - 1))
        self._replace_selection(selection, index)

    def _select_row_by_row(self, parent: QModelIndex) -> None:
        """Before the videos of a chapter are reordered in place: a selected range of several
        of its rows becomes one range per row, so each row's selection follows its video."""
        model = self.selectionModel()
        selection = model.selection()
        ranges = [selection.at(i) for i in range(selection.count())]
        if not any(r.parent() == parent and r.height() > 1 for r in ranges):
            return
        chapter_id = self._model.chapter_id_of(parent)
        if chapter_id is not None:
            self._split.add(chapter_id)
        split = QItemSelection()
        for selected in ranges:
            if selected.parent() != parent or selected.height() == 1:
                split.select(selected.topLeft(), selected.bottomRight())
                continue
            for row in range(selected.top(), selected.bottom() + 1):
                split.select(
                    self._model.index(row, selected.left(), parent),
                    self._model.index(row, selected.right(), parent),
                )
        model.select(split, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _join_selected_rows(self, parent: QModelIndex) -> None:
        """After the reorder: neighbouring selected rows become one range again (every painted
        cell is checked against every range, so thousands of them would slow painting)."""
        chapter_id = self._model.chapter_id_of(parent)
        if chapter_id not in self._split:
            return
        self._split.discard(chapter_id)
        model = self.selectionModel()
        selection = model.selection()
        joined = QItemSelection()
        rows: dict[tuple[int, int], set[int]] = {}
        for i in range(selection.count()):
            selected = selection.at(i)
            if selected.parent() != parent:
                joined.select(selected.topLeft(), selected.bottomRight())
                continue
            span = rows.setdefault((selected.left(), selected.right()), set())
            span.update(range(selected.top(), selected.bottom() + 1))
        for (left, right), picked in rows.items():
            ordered = sorted(picked)
            start = previous = ordered[0]
            for row in [*ordered[1:], None]:
                if row is not None and row == previous + 1:
                    previous = row
                    continue
                joined.select(
                    self._model.index(start, left, parent),
                    self._model.index(previous, right, parent),
                )
                if row is not None:
                    start = previous = row
        model.select(joined, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _replace_selection(self, selection: QItemSelection, current: QModelIndex | None) -> None:
        model = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        if current is not None:
            model.setCurrentIndex(current, flags.NoUpdate)
            self.scrollTo(current)
        model.select(selection, flags.ClearAndSelect | flags.Rows)

    def _editing(self) -> bool:
        return self.state() == QAbstractItemView.State.EditingState

    # ------------------------------------------------------------------ edits

    def _run(self, edits: Sequence[Edit], label: str) -> bool:
        """Carry out ``edits`` as one undo step labelled ``label``; False if one was refused."""
        course_id = self._model.course_id
        if course_id is None or not edits:
            return False
        stack = self.session.stack(course_id)
        macro = len(edits) > 1
        if macro:
            stack.beginMacro(label)
        self._acting = True
        done = 0
        try:
            for edit in edits:
                applied = self.session.do(
                    edit.operation,
                    edit.label,
                    course_id,
                    merge_id=edit.merge_id,
                    merge_target=edit.merge_target,
                )
                if applied is None:
                    break
                done += 1
        finally:
            self._acting = False
            if macro:
                stack.endMacro()
                if done == 0:
                    # Nothing happened: drop the empty step rather than offer to undo it.
                    empty = stack.command(stack.index() - 1)
                    empty.setObsolete(True)
                    stack.undo()
        return done == len(edits)

    def rename_current(self) -> None:
        """Start editing the current row's title in place."""
        index = self.currentIndex()
        if not index.isValid() or self._editing():
            return
        title = index.siblingAtColumn(Column.TITLE)
        self.setCurrentIndex(title)
        self.edit(title)

    def move_selected(self, where: Where) -> None:
        """Selected videos (else the selected chapter) one place up or down, or to the top
        or the end; the selection follows them."""
        if self._editing():
            return
        store = self.session.store
        video_ids = self.selected_video_ids()
        if video_ids:
            if where in ("up", "down"):
                edit = tree_edits.shift_videos(video_ids, -1 if where == "up" else 1)
                self._run([edit], edit.label)
            else:
                edits = tree_edits.videos_to_edge(store, video_ids, first=where == "first")
                place = "to the top" if where == "first" else "to the end"
                self._run(edits, f"Move {videos(len(video_ids))} {place}")
            self.select_videos(video_ids)
            return
        chapter_ids = self.selected_chapter_ids()
        if len(chapter_ids) != 1:
            return
        chapter_edit = tree_edits.move_chapter(store, chapter_ids[0], where)
        if chapter_edit is not None:
            self._run([chapter_edit], chapter_edit.label)
        self.select_chapter(chapter_ids[0])

    def move_selected_to(self, chapter_id: str | None) -> None:
        """Selected videos to the end of ``chapter_id``, or to the library (None)."""
        video_ids = self.selected_video_ids()
        if not video_ids or self._editing():
            return
        edit = tree_edits.move_videos(video_ids, chapter_id, None)
        if not self._run([edit], edit.label):
            return
        if chapter_id is None:
            moved = counted(len(video_ids), "video")
            self.status_message.emit(f"Moved {moved} to the library{_undo_hint()}")
        else:
            self.select_videos(video_ids)

    def delete_selected(self) -> None:
        """Selected videos to the Trash; selected chapters too, after asking where their
        videos go. One undo step."""
        if self._editing():
            return
        store = self.session.store
        chapter_ids = self.selected_chapter_ids()
        video_ids = [
            v for v in self.selected_video_ids() if store.video(v).chapter_id not in chapter_ids
        ]
        if not chapter_ids and not video_ids:
            return
        landing = self._landing_after_delete(chapter_ids, video_ids)
        edits: list[Edit] = []
        label_parts: list[str] = []
        message_parts: list[str] = []
        note = ""
        if chapter_ids:
            held = sum(len(store.video_ids(c)) for c in chapter_ids)
            go = VideosGo.TO_LIBRARY
            if held:
                titles = [store.chapter(c).title for c in chapter_ids]
                answer = self.ask_where_videos_go(titles, held)
                if answer is None:
                    return
                go = answer
                if go == VideosGo.TO_LIBRARY:
                    note = f"; {counted(held, 'video')} went to the library"
            edits += tree_edits.trash_chapters(chapter_ids, go)
            label_parts.append(chapters(len(chapter_ids)))
            single = f"chapter “{store.chapter(chapter_ids[0]).title}”"
            message_parts.append(single if len(chapter_ids) == 1 else chapters(len(chapter_ids)))
        if video_ids:
            edits.append(tree_edits.trash_videos(video_ids))
            label_parts.append(videos(len(video_ids)))
            message_parts.append(counted(len(video_ids), "video"))
        if not self._run(edits, "Delete " + " and ".join(label_parts)):
            return
        moved = " and ".join(message_parts)
        self.status_message.emit(f"Moved {moved} to the Trash{note}{_undo_hint()}")
        self._select_landing(landing)

    def ask_where_videos_go(self, titles: list[str], video_count: int) -> VideosGo | None:
        return DeleteChapterDialog.ask(titles, video_count, self)

    def add_chapter(self) -> None:
        """A new chapter after the current one (or at the end), its title ready to type."""
        course_id = self._model.course_id
        if course_id is None or self._editing():
            return
        current = self._model.chapter_id_of(self.currentIndex())
        index = None
        if current is not None:
            row = self.session.store.chapter_index(current)
            index = None if row is None else row + 1
        operation = AddChapter(course_id, NEW_CHAPTER_TITLE, index)
        if not self._run([Edit(operation, "Add chapter")], "Add chapter"):
            return
        self.select_chapter(operation.chapter_id)
        self.edit(self._model.chapter_index(operation.chapter_id))

    # ------------------------------------------------------------------ after a delete

    def _landing_after_delete(
        self, chapter_ids: list[str], video_ids: list[str]
    ) -> tuple[str | None, int]:
        """Where the selection goes once the rows are gone: the row that takes the first
        deleted row's place, so pressing Delete again goes on down the list."""
        store = self.session.store
        if video_ids:
            first = video_ids[0]
            index = store.video_index(first)
            return store.video(first).chapter_id, index or 0
        row = store.chapter_index(chapter_ids[0])
        return None, row or 0

    def _select_landing(self, landing: tuple[str | None, int]) -> None:
        chapter_id, row = landing
        store = self.session.store
        course_id = self._model.course_id
        if course_id is None:
            return
        if chapter_id is not None and store.has_chapter(chapter_id):
            order = store.video_ids(chapter_id)
            if order:
                self.select_videos([order[min(row, len(order) - 1)]])
                return
            if store.chapter(chapter_id).deleted_at is None:
                self.select_chapter(chapter_id)
                return
        chapters_now = store.chapter_ids(course_id)
        if chapters_now:
            self.select_chapter(chapters_now[min(row, len(chapters_now) - 1)])

    # ------------------------------------------------------------------ menus

    def build_move_to_menu(self, menu: QMenu) -> QMenu:
        """Fill ``menu`` with the course's chapters and the library as move targets."""
        menu.clear()
        course_id = self._model.course_id
        store = self.session.store
        if course_id is not None:
            for row, chapter_id in enumerate(store.chapter_ids(course_id)):
                title = store.chapter(chapter_id).title.replace("&", "&&")
                number = f"&{row + 1}" if row < 9 else str(row + 1)
                action = menu.addAction(f"{number}  {title}")
                action.triggered.connect(partial(self.move_selected_to, chapter_id))
        menu.addSeparator()
        library = menu.addAction("&Library")
        library.setObjectName("moveToLibrary")
        library.triggered.connect(partial(self.move_selected_to, None))
        menu.setEnabled(bool(self.selected_video_ids()))
        return menu

    def context_menu(self) -> QMenu:
        """The tree's context menu for the current selection."""
        has_videos = bool(self.selected_video_ids())
        has_selection = has_videos or bool(self.selected_chapter_ids())
        menu = QMenu(self)
        menu.setObjectName("chapterTreeMenu")
        menu.addAction(self.rename_action)
        self.rename_action.setEnabled(self.currentIndex().isValid())
        menu.addMenu(self.build_move_to_menu(self.move_to_menu))
        menu.addSeparator()
        for action in (
            self.move_up_action,
            self.move_down_action,
            self.move_first_action,
            self.move_last_action,
        ):
            action.setEnabled(has_selection)
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.add_chapter_action)
        menu.addSeparator()
        if self.extra_video_actions:  # added by other features (Replace Video…)
            for action in self.extra_video_actions:
                action.setEnabled(has_videos)
                menu.addAction(action)
            menu.addSeparator()
        self.delete_action.setEnabled(has_selection)
        menu.addAction(self.delete_action)
        menu.aboutToHide.connect(self._enable_actions)
        return menu

    def _enable_actions(self) -> None:
        # Shortcuts stay live: each edit checks the selection itself.
        for action in (self.rename_action, self.delete_action, self.move_up_action):
            action.setEnabled(True)
        for action in (self.move_down_action, self.move_first_action, self.move_last_action):
            action.setEnabled(True)
        for action in self.extra_video_actions:
            action.setEnabled(True)

    def _current_item_point(self) -> QPoint:
        rect = self.visualRect(self.currentIndex())
        point = rect.bottomLeft() if rect.isValid() else QPoint(0, 0)
        return self.viewport().mapToGlobal(point)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        point = self._current_item_point() if keyboard else event.globalPos()
        self.context_menu().exec(point)

    def _pop_up_context_menu(self) -> None:
        self.context_menu().exec(self._current_item_point())

    def _pop_up_move_to_menu(self) -> None:
        if self.selected_video_ids():
            self.build_move_to_menu(self.move_to_menu).exec(self._current_item_point())

    # ------------------------------------------------------------------ Qt hooks

    def empty_hint(self) -> tuple[str, str] | None:
        """What the tree says while the open course has no chapters (None otherwise)."""
        if self._model.course_id is None or self._model.rowCount() > 0:
            return None
        keys = self.add_chapter_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        return (
            "Drag videos or folders here",
            f"Each folder becomes a chapter, or press {keys} to add one",
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        self._row_pictures.begin()
        super().paintEvent(event)
        hint = self.empty_hint()
        if hint is not None:
            painter = QPainter(self.viewport())
            area = QRectF(self.viewport().rect())
            paint_empty_state(painter, self.palette(), area, self.font(), *hint, outline_glyph)
            painter.end()

    def drawRow(
        self,
        painter: QPainter,
        options: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not self._row_pictures.paint(painter, options, index, partial(QTreeView.drawRow, self)):
            super().drawRow(painter, options, index)

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        video_ids = decode_ids(data, VIDEO_IDS_MIME)
        chapter_ids = decode_ids(data, CHAPTER_IDS_MIME)
        self._acting = True
        try:
            super().dropEvent(event)
        finally:
            self._acting = False
        if not event.isAccepted():
            return
        if video_ids:
            self.select_videos(video_ids)
        elif len(chapter_ids) == 1 and self.session.store.has_chapter(chapter_ids[0]):
            self.select_chapter(chapter_ids[0])

    def commitData(self, editor: QWidget) -> None:
        # A refused rename (an empty title) is shown at the row, even after focus moved on.
        self._acting = True
        try:
            super().commitData(editor)
        finally:
            self._acting = False

    def _show_refusal(self, message: str) -> None:
        if not (self._acting or self.hasFocus()) or not self.isVisible():
            return
        rect = self.visualRect(self.currentIndex())
        point = rect.bottomLeft() if rect.isValid() else QPoint(0, 0)
        QToolTip.showText(
            self.viewport().mapToGlobal(point), message, self.viewport(), rect, TOOLTIP_MS
        )

    def _expand_all_chapters(self) -> None:
        self._known_chapters.clear()
        course_id = self._model.course_id
        if course_id is not None:
            chapters = self.session.store.chapter_ids(course_id)
            videos = sum(len(self.session.store.video_ids(c)) for c in chapters)
            if videos > LARGE_COURSE_VIDEOS and chapters:
                # A big course opens with its chapters closed but the first: QTreeView lays
                # out every expanded row again whenever rows come, go or change chapter, so
                # thousands of open rows would make such edits slow (a reorder within a
                # chapter is not one of them). Opening a chapter is one click (or →).
                self._known_chapters.update(chapters)
                self.expand(self._model.chapter_index(chapters[0]))
                return
        self._expand_unknown_chapters()

    def _expand_new_chapters(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid():
            return
        for row in range(first, last + 1):
            self._expand_chapter(self._model.index(row, 0))

    def _expand_unknown_chapters(self) -> None:
        """Expand the chapters not seen before (a bulk edit, e.g. an undo, may bring some
        back without inserting rows one by one)."""
        course_id = self._model.course_id
        if course_id is None:
            return
        for chapter_id in self.session.store.chapter_ids(course_id):
            if chapter_id not in self._known_chapters:
                self._expand_chapter(self._model.chapter_index(chapter_id))

    def _expand_chapter(self, index: QModelIndex) -> None:
        chapter_id = self._model.chapter_id_of(index)
        if chapter_id is not None:
            self._known_chapters.add(chapter_id)
            self.expand(index)
