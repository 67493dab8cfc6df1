"""How the chapter tree paints a row: the position number in a muted gutter before each
title, and a small progress bar for videos being uploaded.

Everything else is the style's standard painting (status signs come from the model's
DecorationRole), so rows keep the platform's look, selection and focus colours.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QIcon, QPainter, QPalette, QStaticText, QTransform
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from coursedesk.domain.model import TITLE_MAX_CHARS
from coursedesk.ui.chapter_tree_model import Column, ProgressRole
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


_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText
_PLACEHOLDER_TEXT = QPalette.ColorRole.PlaceholderText
_TEXT = QPalette.ColorRole.Text
# Laid-out titles kept per font; past this many the oldest half is dropped.
_TEXTS_KEPT = 4_000


class _LaidOut:
    """Titles and position numbers laid out in one font, kept for repainting: a tree paints
    the same few dozen titles over and over, and laying text out (shaping it, eliding it) is
    most of what painting it costs."""

    def __init__(self, font: QFont) -> None:
        self._font = font
        self._metrics = QFontMetricsF(font)
        self.line_height = self._metrics.height()
        self.gutter = self._metrics.horizontalAdvance("000") + GUTTER_GAP_PX
        self._numbers: dict[int, QStaticText] = {}
        self._titles: dict[tuple[str, float], QStaticText] = {}

    def _static(self, text: str) -> QStaticText:
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(QTransform(), self._font)
        return static

    def number(self, position: int) -> QStaticText:
        static = self._numbers.get(position)
        if static is None:
            static = self._numbers[position] = self._static(str(position))
        return static

    def title(self, title: str, width: float) -> QStaticText:
        key = (title, width)
        static = self._titles.get(key)
        if static is None:
            if len(self._titles) >= _TEXTS_KEPT:
                for old in list(self._titles)[: _TEXTS_KEPT // 2]:
                    del self._titles[old]
            elided = self._metrics.elidedText(title, _ELIDE, width)
            static = self._titles[key] = self._static(elided)
        return static


class _TextCache:
    """``_LaidOut`` per font (a tree paints in two: plain for videos, bold for chapters)."""

    def __init__(self) -> None:
        self._by_font: dict[str, _LaidOut] = {}

    def for_font(self, font: QFont) -> _LaidOut:
        key = font.key()
        laid_out = self._by_font.get(key)
        if laid_out is None:
            laid_out = self._by_font[key] = _LaidOut(QFont(font))
        return laid_out


class TreeDelegate(QStyledItemDelegate):
    """Paints upload progress in the status column; edits titles in a plain line edit."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = _TextCache()

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
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(_ITEM, opt, painter, widget)

        rect = opt.rect
        font = opt.font  # the row's own font (chapters are bold)
        texts = self._texts.for_font(font)
        gutter = texts.gutter
        selected = bool(opt.state & _SELECTED)
        palette: QPalette = opt.palette
        top = rect.top() + (rect.height() - texts.line_height) / 2
        painter.save()
        painter.setFont(font)
        painter.setPen(palette.color(_HIGHLIGHTED_TEXT if selected else _PLACEHOLDER_TEXT))
        number = texts.number(index.row() + 1)
        painter.drawStaticText(
            QPointF(rect.left() + gutter - GUTTER_GAP_PX - number.size().width(), top), number
        )
        painter.setPen(palette.color(_HIGHLIGHTED_TEXT if selected else _TEXT))
        width = rect.width() - gutter - TEXT_MARGIN_PX
        painter.drawStaticText(QPointF(rect.left() + gutter, top), texts.title(title, width))
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
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        opt.icon = QIcon()
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        # Background, selection and focus as the style draws them, without text or sign.
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        rect = opt.rect
        fraction = min(max(progress, 0.0), 1.0)
        bar_width = max(rect.width() - 2 * BAR_MARGIN_PX - PERCENT_WIDTH_PX, 10)
        top = rect.top() + (rect.height() - BAR_HEIGHT_PX) / 2
        track = QRectF(rect.left() + BAR_MARGIN_PX, top, bar_width, BAR_HEIGHT_PX)
        radius = BAR_HEIGHT_PX / 2
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(track, radius, radius)
        if fraction > 0:
            filled = QRectF(track)
            filled.setWidth(max(track.width() * fraction, BAR_HEIGHT_PX))
            colour = (
                palette.color(QPalette.ColorRole.HighlightedText)
                if selected
                else theme_colours(palette).accent
            )
            painter.setBrush(colour)
            painter.drawRoundedRect(filled, radius, radius)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(text_role))
        text_rect = QRectF(track.right(), rect.top(), PERCENT_WIDTH_PX, rect.height())
        painter.drawText(
            text_rect,
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            f"{round(fraction * 100)}%",
        )
        painter.restore()

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
