"""The media library pane: a search field, a filter and a sort above the grid of videos."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.steps import (
    ChapterChanged,
    ChapterCreated,
    ChapterMoved,
    ChapterPurged,
    ChapterRestored,
    ChapterTrashed,
    Step,
)
from coursedesk.domain.store import Store, StoreListener
from coursedesk.editing.labels import counted
from coursedesk.editing.session import EditSession
from coursedesk.ui.library_model import (
    SCOPE_ALL,
    SCOPE_UNASSIGNED,
    LibraryModel,
    SortKey,
    VideoIdRole,
)
from coursedesk.ui.library_view import LibraryView

SORT_LABELS = {
    SortKey.NAME: "Name",
    SortKey.ADDED: "Date added",
    SortKey.DURATION: "Duration",
    SortKey.SIZE: "Size",
}

_CHAPTER_STEPS = (
    ChapterChanged,
    ChapterCreated,
    ChapterMoved,
    ChapterPurged,
    ChapterRestored,
    ChapterTrashed,
)


def _search_icon(colour: QColor) -> QIcon:
    """A magnifying glass, drawn so it needs no icon theme."""
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(16 * scale, 16 * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour, 1.6)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawEllipse(3, 3, 7, 7)
        painter.drawLine(9, 9, 13, 13)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _order_icon(colour: QColor, descending: bool) -> QIcon:
    """An arrow with bars: short to long (ascending) or long to short (descending)."""
    icon = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(16 * scale, 16 * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(colour, 1.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        widths = [4, 7, 10] if not descending else [10, 7, 4]
        for n, width in enumerate(widths):
            y = 4 + n * 4
            painter.drawLine(2, y, 2 + width, y)
        if descending:
            painter.drawLine(14, 3, 14, 13)
            painter.drawLine(11, 10, 14, 13)
            painter.drawLine(14, 13, 17, 10)
        else:
            painter.drawLine(14, 3, 14, 13)
            painter.drawLine(11, 6, 14, 3)
            painter.drawLine(14, 3, 17, 6)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


def _videos(count: int) -> str:
    return "1 video" if count == 1 else f"{count:,} videos"


def _stop_listening(store: Store, *listeners: StoreListener) -> None:
    for listener in listeners:
        with contextlib.suppress(ValueError):  # already unsubscribed
            store.unsubscribe(listener)


class LibraryPane(QWidget):
    """The media library of the open course: search, filter, sort, and the grid of videos.

    Public parts:

    * ``view`` (a ``LibraryView``, objectName ``libraryView``), ``model`` (``LibraryModel``),
      ``search`` (``librarySearch``), ``filter`` (``libraryFilter``: "All videos",
      "Unassigned", then the course's chapters in order), ``sort`` (``librarySort``) and
      ``sort_order`` (``librarySortOrder``, checked for descending).
    * ``set_course(course_id | None)`` shows a course (or nothing).
    * ``state() -> dict`` / ``restore_state(dict)``: the filter and sort, for QSettings.
    * Signals: ``status_message(str)`` for the status bar (after Delete: "Moved 3 videos to
      the Trash — Ctrl+Z to undo"); ``activated_video(str)`` on double-click or Enter
      (to play it); ``files_dropped(list)`` with local paths dropped from outside, once
      ``view.accept_files`` is switched on by the import feature.

    Every edit (Delete, drops from the chapter tree) goes through the session's undo stack.
    """

    status_message = Signal(str)
    activated_video = Signal(str)
    files_dropped = Signal(list)

    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = LibraryModel(session.store, None, self, session=session)
        self._wanted_scope = SCOPE_ALL

        self.search = QLineEdit()
        self.search.setObjectName("librarySearch")
        self.search.setAccessibleName("Search videos")
        self.search.setPlaceholderText("Search videos")
        self.search.setClearButtonEnabled(True)
        subtle = self.palette().color(self.palette().ColorRole.PlaceholderText)
        self._search_sign = self.search.addAction(
            _search_icon(subtle), QLineEdit.ActionPosition.LeadingPosition
        )
        self.search.setMinimumWidth(140)

        self.filter = QComboBox()
        self.filter.setObjectName("libraryFilter")
        self.filter.setAccessibleName("Show")
        self.filter.setToolTip("Which videos to show")
        self.filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.filter.setMinimumContentsLength(10)

        self.sort = QComboBox()
        self.sort.setObjectName("librarySort")
        self.sort.setAccessibleName("Sort by")
        self.sort.setToolTip("Sort videos by")
        for key, label in SORT_LABELS.items():
            self.sort.addItem(label, key.value)

        self.sort_order = QToolButton()
        self.sort_order.setObjectName("librarySortOrder")
        self.sort_order.setAccessibleName("Descending order")
        self.sort_order.setCheckable(True)
        self.sort_order.setAutoRaise(True)
        self.sort_order.setIconSize(QSize(16, 16))

        self.count_label = QLabel()
        self.count_label.setObjectName("libraryCount")
        self.count_label.setForegroundRole(self.palette().ColorRole.PlaceholderText)

        self.view = LibraryView()
        self.view.setObjectName("libraryView")
        self.view.setAccessibleName("Media library")
        self.view.set_library_model(self.model)

        self.unassign_action = QAction("Move to Library", self.view)
        self.delete_action = QAction("Move to Trash", self.view)
        self.view.addActions([self.unassign_action, self.delete_action])
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 8, 8, 4)
        bar.setSpacing(6)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.filter)
        bar.addWidget(self.sort)
        bar.addWidget(self.sort_order)
        footer = QHBoxLayout()
        footer.setContentsMargins(10, 2, 10, 6)
        footer.addWidget(self.count_label)
        footer.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addLayout(footer)

        self.search.textChanged.connect(self.model.set_query)
        self.filter.currentIndexChanged.connect(self._filter_chosen)
        self.sort.currentIndexChanged.connect(self._sort_chosen)
        self.sort_order.toggled.connect(self._sort_chosen)
        self.view.activated.connect(self._activated)
        self.view.delete_requested.connect(self.delete_selected)
        self.view.files_dropped.connect(self.files_dropped)
        self.view.videos_unassigned.connect(self._report_unassigned)
        self.unassign_action.triggered.connect(self.unassign_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.refiltered):
            signal.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_actions)
        session.store.subscribe(self)
        # The store outlives the pane: stop hearing it once Qt has deleted the widgets.
        store = session.store
        listeners = (self, self.model)
        self.destroyed.connect(lambda: _stop_listening(store, *listeners))
        self._rebuild_filter()
        self._sync_sort_widgets()
        self._update_count()
        self._update_actions()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # The theme changed: the hand-drawn signs take the new palette's ink.
            subtle = self.palette().color(self.palette().ColorRole.PlaceholderText)
            self._search_sign.setIcon(_search_icon(subtle))
            self._sync_sort_widgets()

    # ------------------------------------------------------------------ public

    @property
    def course_id(self) -> str | None:
        return self.model.course_id

    def set_course(self, course_id: str | None) -> None:
        """Show the videos of ``course_id`` (None: no course open)."""
        self.model.set_course(course_id)
        if self._is_chapter_of_course(self._wanted_scope):
            self.model.set_scope(self._wanted_scope)
        self._rebuild_filter()
        enabled = course_id is not None
        for widget in (self.search, self.filter, self.sort, self.sort_order):
            widget.setEnabled(enabled)
        self._update_count()

    def state(self) -> dict[str, Any]:
        """The filter and sort to remember between sessions."""
        return {
            "filter": self.model.scope,
            "sort": self.model.sort_key.value,
            "descending": self.model.descending,
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Bring back a ``state()``; unknown or stale values fall back to the defaults."""
        try:
            key = SortKey(str(state.get("sort", SortKey.NAME.value)))
        except ValueError:
            key = SortKey.NAME
        descending = state.get("descending", False)
        if isinstance(descending, str):  # QSettings hands booleans back as text
            descending = descending.lower() == "true"
        self.model.set_sort(key, bool(descending))
        scope = str(state.get("filter", SCOPE_ALL) or SCOPE_ALL)
        # A chapter of a course not open yet is kept for when it opens.
        self._wanted_scope = scope
        if scope not in (SCOPE_ALL, SCOPE_UNASSIGNED) and not self._is_chapter_of_course(scope):
            scope = SCOPE_ALL
        self.model.set_scope(scope)
        self._rebuild_filter()
        self._sync_sort_widgets()

    def delete_selected(self) -> None:
        """Move the selected videos to the Trash (one undoable edit)."""
        ids = self.view.selected_video_ids()
        if not ids:
            return
        title = self.session.store.video(ids[0]).title
        count = self.model.trash(ids)
        if count:
            what = f"“{title}”" if count == 1 else counted(count, "video")
            self.status_message.emit(f"Moved {what} to the Trash — Ctrl+Z to undo")

    def unassign_selected(self) -> None:
        """Take the selected videos out of their chapters, into the library."""
        ids = self.model.assigned_among(self.view.selected_video_ids())
        if ids and self.model.unassign(ids):
            self._report_unassigned(len(ids))

    def _report_unassigned(self, count: int) -> None:
        self.status_message.emit(f"Moved {counted(count, 'video')} to the library — Ctrl+Z to undo")

    # ------------------------------------------------------------------ store events

    # The steps it follows (a StoreListener's narrowing: a bulk edit's hundreds of moves are
    # not announced to it).
    before_kinds: frozenset[type] = frozenset()
    after_kinds: frozenset[type] = frozenset(_CHAPTER_STEPS)

    def before(self, step: Step) -> None:
        pass

    def after(self, step: Step) -> None:
        if isinstance(step, _CHAPTER_STEPS) and self.model.course_id is not None:
            self._rebuild_filter()

    # ------------------------------------------------------------------ widgets

    def _rebuild_filter(self) -> None:
        """The filter's items: all, unassigned, then the course's chapters in order."""
        combo = self.filter
        store = self.session.store
        course_id = self.model.course_id
        items: list[tuple[str, str]] = [("All videos", SCOPE_ALL), ("Unassigned", SCOPE_UNASSIGNED)]
        if course_id is not None:
            for n, chapter_id in enumerate(store.chapter_ids(course_id), start=1):
                items.append((f"{n}. {store.chapter(chapter_id).title}", chapter_id))
        scope = self.model.scope
        if scope not in {data for _, data in items}:
            # The chapter shown went to the Trash (or the course changed): show everything.
            self.model.set_scope(SCOPE_ALL)
            scope = SCOPE_ALL
        combo.blockSignals(True)
        try:
            current = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
            if current != items:
                combo.clear()
                for text, data in items:
                    combo.addItem(text, data)
                    if data == SCOPE_UNASSIGNED and len(items) > 2:
                        combo.insertSeparator(combo.count())
            combo.setCurrentIndex(combo.findData(scope))
        finally:
            combo.blockSignals(False)

    def _filter_chosen(self, index: int) -> None:
        scope = self.filter.itemData(index)
        if isinstance(scope, str):
            self._wanted_scope = scope
            self.model.set_scope(scope)

    def _sort_chosen(self) -> None:
        key = SortKey(self.sort.currentData())
        self.model.set_sort(key, self.sort_order.isChecked())
        self._sync_sort_widgets()

    def _sync_sort_widgets(self) -> None:
        descending = self.model.descending
        for widget in (self.sort, self.sort_order):
            widget.blockSignals(True)
        self.sort.setCurrentIndex(self.sort.findData(self.model.sort_key.value))
        self.sort_order.setChecked(descending)
        for widget in (self.sort, self.sort_order):
            widget.blockSignals(False)
        ink = self.palette().color(self.palette().ColorRole.ButtonText)
        self.sort_order.setIcon(_order_icon(ink, descending))
        self.sort_order.setToolTip(
            "Descending (click for ascending)" if descending else "Ascending (click for descending)"
        )

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        if self.model.course_id is None:
            text = ""
        elif shown == total:
            text = _videos(total)
        else:
            text = f"{shown:,} of {_videos(total)}"
        self.count_label.setText(text)

    def _update_actions(self) -> None:
        selection = self.view.selectionModel()
        has = selection is not None and selection.hasSelection()
        self.delete_action.setEnabled(has)
        self.unassign_action.setEnabled(has)

    def _activated(self, index: QModelIndex) -> None:
        video_id = self.model.data(index, VideoIdRole)
        if isinstance(video_id, str):
            self.activated_video.emit(video_id)

    def _is_chapter_of_course(self, scope: str) -> bool:
        course_id = self.model.course_id
        return course_id is not None and scope in self.session.store.chapter_ids(course_id)
