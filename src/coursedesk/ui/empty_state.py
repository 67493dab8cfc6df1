"""What an empty view paints: a faint picture, a headline and a line of advice.

The same look as the media library's empty grid, for the chapter tree, the Trash and the
uploads. Colours come from the widget's palette, so it follows the light and the dark theme.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

Glyph = Callable[[QPainter, QRectF, QColor], None]

GLYPH_WIDTH = 76.0
GLYPH_HEIGHT = 50.0


def paint_empty_state(
    painter: QPainter,
    palette: QPalette,
    area: QRectF,
    font: QFont,
    headline: str,
    detail: str,
    glyph: Glyph | None = None,
) -> None:
    """Paint the hint centred in ``area`` (a little above the middle)."""
    subtle = palette.color(QPalette.ColorRole.PlaceholderText)
    outline = QColor(subtle)
    outline.setAlpha(150)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    heading = QFont(font)
    heading.setPointSizeF(font.pointSizeF() * 1.15)
    heading.setWeight(QFont.Weight.DemiBold)
    painter.setFont(heading)
    line = painter.fontMetrics().height()
    # Small areas (a short dock) drop the picture first.
    show_glyph = glyph is not None and area.height() >= GLYPH_HEIGHT + 3 * line + 48
    top = area.center().y() - (40 if show_glyph else line)
    if show_glyph and glyph is not None:
        frame = QRectF(
            area.center().x() - GLYPH_WIDTH / 2,
            top - GLYPH_HEIGHT / 2,
            GLYPH_WIDTH,
            GLYPH_HEIGHT,
        )
        painter.setPen(QPen(outline, 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(frame, 8, 8)
        glyph(painter, frame, outline)
        top = frame.bottom() + 16
    flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
    text_rect = QRectF(area.left() + 16, top, max(0.0, area.width() - 32), line)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    painter.drawText(text_rect, flags, headline)
    painter.setFont(font)
    painter.setPen(subtle)
    detail_rect = QRectF(text_rect.left(), text_rect.bottom() + 4, text_rect.width(), 3 * line)
    painter.drawText(detail_rect, flags | Qt.TextFlag.TextWordWrap, detail)
    painter.restore()


class HintingTreeView(QTreeView):
    """A flat, read-only list of rows, selected whole and several at a time, with a context
    menu, that says what it is for (``headline``, ``detail``) while it has no rows."""

    def __init__(
        self,
        headline: str,
        detail: str,
        glyph: Glyph | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._hint = (headline, detail)
        self._glyph = glyph
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def empty_hint(self) -> tuple[str, str] | None:
        model = self.model()
        if model is not None and model.rowCount() > 0:
            return None
        return self._hint

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        hint = self.empty_hint()
        if hint is not None:
            painter = QPainter(self.viewport())
            area = QRectF(self.viewport().rect())
            paint_empty_state(painter, self.palette(), area, self.font(), *hint, self._glyph)
            painter.end()


def outline_glyph(painter: QPainter, frame: QRectF, colour: QColor) -> None:
    """Three indented rows with bullets: a chapter outline."""
    painter.setPen(QPen(colour, 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.setBrush(colour)
    left = frame.left() + 16
    for row, indent in enumerate((0.0, 10.0, 10.0)):
        y = frame.top() + 14 + row * 11
        painter.drawEllipse(QPointF(left + indent, y), 1.8, 1.8)
        painter.drawLine(QPointF(left + indent + 8, y), QPointF(frame.right() - 16, y))


def trash_glyph(painter: QPainter, frame: QRectF, colour: QColor) -> None:
    """A bin with a lid."""
    painter.setPen(
        QPen(colour, 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    )
    painter.setBrush(Qt.BrushStyle.NoBrush)
    cx = frame.center().x()
    top = frame.top() + 12
    painter.drawLine(QPointF(cx - 13, top), QPointF(cx + 13, top))
    painter.drawLine(QPointF(cx - 4, top - 3), QPointF(cx + 4, top - 3))
    body = QPainterPath()
    body.moveTo(cx - 10, top + 3)
    body.lineTo(cx - 8, frame.bottom() - 10)
    body.lineTo(cx + 8, frame.bottom() - 10)
    body.lineTo(cx + 10, top + 3)
    painter.drawPath(body)
    for dx in (-4.0, 0.0, 4.0):
        painter.drawLine(QPointF(cx + dx, top + 8), QPointF(cx + dx, frame.bottom() - 15))
