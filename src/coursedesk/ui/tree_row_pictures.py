"""Video rows of the chapter tree kept as pictures, so a row painted again unchanged is one
copy of pixels instead of four cells laid out and drawn.

Painting a row asks the model for every cell through Python (index, parent, flags, each cell's
roles) and shapes its text: about a hundred and fifty microseconds a row. A tree repaints the
same rows over and over (an edit elsewhere, a window uncovered, the other half of a split
repaint), and a video row looks exactly as its last picture as long as nothing it shows or
is painted with has changed:

* the video value itself (any change of a video makes a new value) and its position number;
* the row's size, whether it is selected, whether it is the current row of a focused tree;
* the painting context: columns, palette, font, style, pixel ratio, active window, indentation.

The context is checked once per paint; a different one drops every picture. Rows of videos
being uploaded (their progress bar moves without the video changing) and chapter rows (their
totals change without the chapter value changing) are never kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize
from PySide6.QtGui import QBrush, QPainter, QPixmap

from coursedesk.domain.model import Video

AnyIndex = QModelIndex | QPersistentModelIndex

# Pictures kept at most (a few screens of rows); past this the oldest half is dropped.
ROWS_KEPT = 400


@dataclass(frozen=True, slots=True)
class PaintContext:
    """What every row of one paint is painted with; rows painted with another are not reused."""

    columns: tuple[tuple[int, int], ...]
    palette_key: int
    font_key: str
    style_id: int
    pixel_ratio: float
    active: bool
    enabled: bool
    indentation: int
    focused: bool


@dataclass(frozen=True, slots=True)
class RowLook:
    """Everything a video row shows that its picture depends on."""

    video: Video
    row: int
    width: int
    height: int
    selected: bool
    current: bool


class RowPictures:
    """Pictures of video rows by video id, for one tree."""

    def __init__(self, limit: int = ROWS_KEPT) -> None:
        self._limit = limit
        self._context: PaintContext | None = None
        self._pictures: dict[str, tuple[RowLook, QPixmap]] = {}
        self._canvas: QPixmap | None = None

    def __len__(self) -> int:
        return len(self._pictures)

    def begin(self, context: PaintContext) -> None:
        """A paint starts: pictures painted in another context are of no use."""
        if context != self._context:
            self._pictures.clear()
            self._context = context

    def clear(self) -> None:
        self._pictures.clear()
        self._context = None
        self._canvas = None

    def paint(
        self,
        painter: QPainter,
        rect: QRect,
        look: RowLook,
        background: QBrush,
        draw: Callable[[QPainter], Any],
    ) -> None:
        """Paint the row at ``rect``: its kept picture if ``look`` is what it shows, else a
        new picture made by ``draw`` (which paints the row as the tree would, at ``rect``)."""
        video_id = look.video.id
        kept = self._pictures.get(video_id)
        if kept is not None and kept[0] == look:
            painter.drawPixmap(rect.topLeft(), kept[1])
            return
        context = self._context
        ratio = context.pixel_ratio if context is not None else 1.0
        size = QSize(round(rect.width() * ratio), round(rect.height() * ratio))
        canvas_picture = self._canvas
        if canvas_picture is None or canvas_picture.size() != size:
            # One canvas, painted again for each new row: a new paint device per row would
            # also mean a new paint engine per row, which costs more than the copy.
            canvas_picture = self._canvas = QPixmap(size)
            canvas_picture.setDevicePixelRatio(ratio)
        # Opaque, on the tree's own background: text is antialiased as it is on screen.
        canvas_picture.fill(background.color())
        canvas = QPainter(canvas_picture)
        try:
            canvas.translate(QPoint(-rect.x(), -rect.y()))
            draw(canvas)
        finally:
            canvas.end()
        picture = canvas_picture.copy()
        if kept is None and len(self._pictures) >= self._limit:
            for old in list(self._pictures)[: self._limit // 2]:
                del self._pictures[old]
        self._pictures[video_id] = (look, picture)
        painter.drawPixmap(rect.topLeft(), picture)
