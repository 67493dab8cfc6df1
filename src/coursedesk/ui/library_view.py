"""The media library grid: a QListView in icon mode over a ``LibraryModel``.

It adds what a plain list view lacks here: drags that carry video ids, drops of videos from
the chapter tree (they go back to the library), a hook for files dropped from outside, the
Delete key, a friendly empty state, and a selection that survives a new search.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from coursedesk.ui.library_delegate import (
    CELL_WIDTH,
    LibraryDelegate,
    paint_play_glyph,
    placeholder_tile,
)
from coursedesk.ui.library_model import PLACE_ROLES, LibraryModel
from coursedesk.ui.mime import VIDEO_IDS_MIME, decode_ids

_PLACE_ROLES = frozenset(int(role) for role in PLACE_ROLES)
# A selection bigger than this is not carried across a new search (it would cost a frame).
_KEEP_SELECTION_MAX = 2000


class LibraryView(QListView):
    """The grid of video cards. Use ``set_library_model`` rather than ``setModel``."""

    # The instructor pressed Delete on a selection.
    delete_requested = Signal()
    # Videos dropped from a chapter went to the library; carries how many.
    videos_unassigned = Signal(int)
    # Files were dropped from outside (only while ``accept_files`` is set); local paths.
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accept_files = False
        self._library: LibraryModel | None = None
        self._saved: tuple[list[str], str | None] = ([], None)
        self._drop_highlight = False
        # The narrowest a card may be (Settings ▸ Thumbnail size); cells widen from there.
        self.card_width = CELL_WIDTH
        self.delegate = LibraryDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setViewMode(QListView.ViewMode.IconMode)
        # Static: cards sit in the grid; dragging carries ids instead of moving cards around.
        self.setMovement(QListView.Movement.Static)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.setUniformItemSizes(True)
        self.setSpacing(0)
        self._fit_cells()
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionRectVisible(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalScrollBar().setSingleStep(24)
        self.setMouseTracking(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setFrameShape(QListView.Shape.NoFrame)

    def _fit_cells(self) -> None:
        """Widen the cells a little so each row of cards fills the width, no ragged gap."""
        available = self.viewport().width() - 2
        columns = max(1, available // self.card_width)
        width = max(self.card_width, min(available // columns, self.card_width * 3 // 2))
        self.delegate.cell_width = width
        size = self.delegate.cell_size(self.font(), width)
        if size != self.gridSize():
            self.setGridSize(size)

    def set_card_width(self, width: int) -> None:
        """Show bigger or smaller cards (and thumbnails), at once."""
        if width != self.card_width:
            self.card_width = width
            self._fit_cells()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._fit_cells()
        super().resizeEvent(event)

    def set_library_model(self, model: LibraryModel) -> None:
        self._library = model
        self.setModel(model)
        model.modelAboutToBeReset.connect(self._save_selection)
        model.refiltered.connect(self._restore_selection)

    @property
    def library_model(self) -> LibraryModel:
        assert self._library is not None, "set_library_model first"
        return self._library

    def selected_video_ids(self) -> list[str]:
        """The selected videos, in the grid's order."""
        model = self.library_model
        rows: list[int] = []
        selection = self.selectionModel().selection()
        for i in range(selection.count()):
            selected = selection.at(i)
            rows.extend(range(selected.top(), selected.bottom() + 1))
        return [model.video_id_at(r) for r in sorted(set(rows))]

    # ------------------------------------------------------------------ selection across searches

    def _save_selection(self) -> None:
        current = self.currentIndex()
        current_id = self.library_model.video_id_at(current.row()) if current.isValid() else None
        selection = self.selectionModel().selection()
        count = sum(selection.at(i).height() for i in range(selection.count()))
        ids = self.selected_video_ids() if 0 < count <= _KEEP_SELECTION_MAX else []
        self._saved = (ids, current_id)

    def _restore_selection(self) -> None:
        ids, current_id = self._saved
        self._saved = ([], None)
        model = self.library_model
        rows = sorted(r for r in (model.row_of(v) for v in ids) if r is not None)
        selection = QItemSelection()
        start = previous = -2
        for row in [*rows, -2]:
            if row != previous + 1:
                if start >= 0:
                    selection.select(model.index(start, 0), model.index(previous, 0))
                start = row
            previous = row
        if not selection.isEmpty():
            self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)
        current_row = model.row_of(current_id) if current_id is not None else None
        if current_row is not None:
            self.selectionModel().setCurrentIndex(
                model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    # ------------------------------------------------------------------ keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Delete) or (
            event.key() == Qt.Key.Key_Backspace and not event.modifiers()
        ):
            if self.selectionModel().hasSelection():
                self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ dragging out

    def startDrag(self, supportedActions: Qt.DropAction) -> None:  # noqa: N803 (Qt's name)
        ids = self.selected_video_ids()
        if not ids:
            return
        model = self.library_model
        rows = [r for r in (model.row_of(v) for v in ids) if r is not None]
        drag = QDrag(self)
        drag.setMimeData(model.mimeData([model.index(r, 0) for r in rows]))
        drag.setPixmap(self._drag_pixmap(len(ids)))
        # Not QAbstractItemView's startDrag: a move must never remove rows from this model
        # (the drop target's edit changes the store, and the rows follow from that).
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)

    def _drag_pixmap(self, count: int) -> QPixmap:
        dpr = self.devicePixelRatioF()
        tile = placeholder_tile(QSize(112, 63), 0, dpr)
        if count > 1:
            painter = QPainter(tile)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            font = QFont(self.font())
            font.setWeight(QFont.Weight.Bold)
            painter.setFont(font)
            text = str(count)
            width = max(22.0, painter.fontMetrics().horizontalAdvance(text) + 12.0)
            badge = QRectF(112 - width - 4, 4, width, 22)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.palette().color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(badge, 11, 11)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
            painter.end()
        return tile

    # ------------------------------------------------------------------ dropping in

    def _wants(self, event: QDropEvent | QDragMoveEvent) -> bool:
        data = event.mimeData()
        if data.hasFormat(VIDEO_IDS_MIME):
            if event.source() is self:
                return False
            return self.library_model.canDropMimeData(
                data, Qt.DropAction.MoveAction, -1, -1, self.rootIndex()
            )
        return self.accept_files and data.hasUrls() and any(u.isLocalFile() for u in data.urls())

    def _set_drop_highlight(self, on: bool) -> None:
        if on != self._drop_highlight:
            self._drop_highlight = on
            self.viewport().update()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self.dragMoveEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._wants(event):
            if event.mimeData().hasFormat(VIDEO_IDS_MIME):
                event.setDropAction(Qt.DropAction.MoveAction)
                event.accept()
            else:
                event.acceptProposedAction()
            self._set_drop_highlight(True)
        else:
            event.ignore()
            self._set_drop_highlight(False)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_highlight(False)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drop_highlight(False)
        if not self._wants(event):
            event.ignore()
            return
        data = event.mimeData()
        if data.hasFormat(VIDEO_IDS_MIME):
            model = self.library_model
            count = len(model.assigned_among(decode_ids(data, VIDEO_IDS_MIME)))
            if model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, self.rootIndex()):
                event.setDropAction(Qt.DropAction.MoveAction)
                event.accept()
                self.videos_unassigned.emit(count)
            else:
                event.ignore()
            return
        paths = [u.toLocalFile() for u in data.urls() if u.isLocalFile()]
        event.acceptProposedAction()
        # Let the dragging application go before the import starts (as Picard does).
        QTimer.singleShot(0, lambda: self.files_dropped.emit(paths))

    # ------------------------------------------------------------------ painting

    def dataChanged(
        self,
        topLeft: QModelIndex | QPersistentModelIndex,  # noqa: N803 (Qt's names)
        bottomRight: QModelIndex | QPersistentModelIndex,  # noqa: N803
        roles: Sequence[int] = (),
    ) -> None:
        # Where videos are shows on each card only as its chapter line. When that changes for
        # many rows at once (a bulk move, a chapter renamed), repaint just the cards on screen
        # whose line is not the one they show, rather than every card (and skip measuring
        # thousands of cells again: their size does not change).
        shown = self.delegate.places_shown
        model = self._library
        if (
            shown is not None
            and model is not None
            and roles
            and topLeft.row() != bottomRight.row()
            and set(roles) <= _PLACE_ROLES
            and not QAccessible.isActive()
        ):
            for video_id, label in list(shown.items()):
                if model.chapter_label_of(video_id) != label:
                    row = model.row_of(video_id)
                    if row is not None:
                        self.update(model.index(row, 0))
            return
        super().dataChanged(topLeft, bottomRight, list(roles))

    def paintEvent(self, event: QPaintEvent) -> None:
        if event.rect().contains(self.viewport().rect()):
            # Every card on screen is painted now and notes its chapter line again.
            self.delegate.places_shown = {}
        super().paintEvent(event)
        model = self._library
        empty = model is None or model.rowCount() == 0
        if not empty and not self._drop_highlight:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        area = QRectF(self.viewport().rect())
        if self._drop_highlight:
            accent = palette.color(QPalette.ColorRole.Highlight)
            wash = QColor(accent)
            wash.setAlpha(22)
            painter.setBrush(wash)
            painter.setPen(QPen(accent, 2, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(area.adjusted(4, 4, -4, -4), 10, 10)
        if empty:
            self._paint_empty_state(painter, palette, area)
        painter.end()

    def _paint_empty_state(self, painter: QPainter, palette: QPalette, area: QRectF) -> None:
        headline, detail = self._library.empty_hint() if self._library is not None else ("", "")
        subtle = palette.color(QPalette.ColorRole.PlaceholderText)
        centre = QPointF(area.center().x(), area.center().y() - 40)
        frame = QRectF(centre.x() - 38, centre.y() - 25, 76, 50)
        outline = QColor(subtle)
        outline.setAlpha(150)
        painter.setPen(QPen(outline, 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(frame, 8, 8)
        paint_play_glyph(painter, centre, 12, outline)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        line = painter.fontMetrics().height()
        text_rect = QRectF(area.left() + 16, frame.bottom() + 16, area.width() - 32, line)
        flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        painter.drawText(text_rect, flags, headline)
        painter.setFont(self.font())
        painter.setPen(subtle)
        painter.drawText(text_rect.translated(0, line + 4), flags, detail)
