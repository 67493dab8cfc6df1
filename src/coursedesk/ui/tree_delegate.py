"""How the chapter tree paints a row: the position number in a muted gutter before each
title, and a small progress bar for videos being uploaded.

Everything else is the style's standard painting (status signs come from the model's
DecorationRole), so rows keep the platform's look, selection and focus colours.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from coursedesk.domain.model import TITLE_MAX_CHARS
from coursedesk.ui.chapter_tree_model import Column, ProgressRole
from coursedesk.ui.item_painting import paint_bar, paint_cell_frame
from coursedesk.ui.theme import theme_colours

BAR_HEIGHT_PX = 6
ROW_PADDING_PX = 8
GUTTER_GAP_PX = 8
TEXT_MARGIN_PX = 3
BAR_MARGIN_PX = 6
PERCENT_WIDTH_PX = 38

AnyIndex = QModelIndex | QPersistentModelIndex

# Built once: every row's title is painted with these (Python enum arithmetic is slow).
_NUMBER_ALIGN = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TITLE_ALIGN = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_SELECTED = QStyle.StateFlag.State_Selected
_ITEM = QStyle.ControlElement.CE_ItemViewItem
_ELIDE = Qt.TextElideMode.ElideRight


class TreeDelegate(QStyledItemDelegate):
    """Paints upload progress in the status column; edits titles in a plain line edit."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        if index.column() == Column.TITLE:
            self._paint_title(painter, option, index)
            return
        progress = index.data(ProgressRole) if index.column() == Column.STATUS else None
        if progress is None:
            super().paint(painter, option, index)
            return
        self._paint_progress(painter, option, index, float(progress))

    @staticmethod
    def _gutter_px(option: QStyleOptionViewItem) -> int:
        return option.fontMetrics.horizontalAdvance("000") + GUTTER_GAP_PX

    def _paint_title(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        opt, title = paint_cell_frame(self, painter, option, index)
        painter.save()
        painter.setFont(opt.font)
        # The position is the row's (what PositionRole answers), without asking the model.
        paint_numbered_title(
            painter,
            opt.rect,
            opt.fontMetrics,  # of the row's own font (chapters are bold)
            opt.palette,
            bool(opt.state & _SELECTED),
            index.row() + 1,
            title,
        )
        painter.restore()

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        # The editor covers the title, not the position number in front of it.
        super().updateEditorGeometry(editor, option, index)
        if index.column() == Column.TITLE:
            gap = self._gutter_px(option) - TEXT_MARGIN_PX
            editor.setGeometry(editor.geometry().adjusted(gap, 0, 0, 0))

    def _paint_progress(
        self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex, progress: float
    ) -> None:
        opt, _text = paint_cell_frame(self, painter, option, index, keep_icon=False)
        paint_progress(
            painter,
            opt.rect,
            opt.palette,
            bool(opt.state & QStyle.StateFlag.State_Selected),
            progress,
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        # A little air between rows; the tree uses uniform heights, so this is asked rarely.
        size = super().sizeHint(option, index)
        size.setHeight(max(size.height(), option.fontMetrics.height() + ROW_PADDING_PX))
        return size

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = super().createEditor(parent, option, index)
        editor.setObjectName("titleEditor")
        if isinstance(editor, QLineEdit):
            editor.setAccessibleName("Title")
            editor.setMaxLength(TITLE_MAX_CHARS)
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        # Qt refills open editors whenever their row changes (an upload's status, a chapter's
        # totals); a title the instructor has started typing must survive that.
        if isinstance(editor, QLineEdit) and editor.isModified():
            return
        super().setEditorData(editor, index)


def paint_numbered_title(
    painter: QPainter,
    rect: QRect,
    metrics: QFontMetrics,
    palette: QPalette,
    selected: bool,
    number: int,
    title: str,
) -> None:
    """A title cell's text: the position number in a muted gutter, then the title, elided.

    ``painter`` has the row's font set; ``rect`` is the cell.
    """
    gutter = metrics.horizontalAdvance("000") + GUTTER_GAP_PX
    painter.setPen(
        palette.color(QPalette.ColorRole.HighlightedText)
        if selected
        else palette.color(QPalette.ColorRole.PlaceholderText)
    )
    number_rect = QRectF(rect.left(), rect.top(), gutter - GUTTER_GAP_PX, rect.height())
    painter.drawText(number_rect, _NUMBER_ALIGN, str(number))
    text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    painter.setPen(palette.color(text_role))
    text_rect = rect.adjusted(gutter, 0, -TEXT_MARGIN_PX, 0)
    painter.drawText(text_rect, _TITLE_ALIGN, metrics.elidedText(title, _ELIDE, text_rect.width()))


def paint_progress(
    painter: QPainter, rect: QRect, palette: QPalette, selected: bool, progress: float
) -> None:
    """A status cell's upload progress: a small rounded bar and the percentage after it."""
    fraction = min(max(progress, 0.0), 1.0)
    bar_width = max(rect.width() - 2 * BAR_MARGIN_PX - PERCENT_WIDTH_PX, 10)
    top = rect.top() + (rect.height() - BAR_HEIGHT_PX) / 2
    track = QRectF(rect.left() + BAR_MARGIN_PX, top, bar_width, BAR_HEIGHT_PX)
    fill = (
        palette.color(QPalette.ColorRole.HighlightedText)
        if selected
        else theme_colours(palette).accent
    )
    paint_bar(painter, track, palette, fraction, fill)
    painter.save()
    text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    painter.setPen(palette.color(text_role))
    text_rect = QRectF(track.right(), rect.top(), PERCENT_WIDTH_PX, rect.height())
    painter.drawText(
        text_rect,
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        f"{round(fraction * 100)}%",
    )
    painter.restore()
