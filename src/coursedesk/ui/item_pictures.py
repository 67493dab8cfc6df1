"""Items of a view kept as pictures, so an item painted again unchanged is one copy of pixels
instead of being laid out and drawn again.

A view repaints the same items over and over (an edit elsewhere in it, a window uncovered,
the rest of a split repaint), and in Python painting one costs far more than copying it:
every cell asks the model through Python and shapes its text. An item looks exactly as its
last picture as long as nothing it shows or is painted with has changed. The view says what
that is: a *look* per item (compared with ``==``: the values shown and the item's state) and
a *context* per paint (columns, palette, font, style ...; a different one drops every picture).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QPainter, QPixmap

# Pixels kept at most per view, in bytes (a few screens' worth on a large high-density
# display); past this the oldest pictures are dropped until half of it is left.
BYTES_KEPT = 32 * 1024 * 1024


class ItemPictures:
    """Pictures of one view's items, by item id."""

    def __init__(self, limit_bytes: int = BYTES_KEPT) -> None:
        self._limit = limit_bytes
        self._bytes = 0
        self._context: Hashable = None
        self._pictures: dict[str, tuple[object, QPixmap]] = {}

    def __len__(self) -> int:
        return len(self._pictures)

    def begin(self, context: Hashable) -> None:
        """Note what the items about to be painted are painted with: pictures painted with
        anything else are of no use any more."""
        if context != self._context:
            self.clear()
            self._context = context

    def clear(self) -> None:
        self._pictures.clear()
        self._bytes = 0
        self._context = None

    def paint(
        self,
        painter: QPainter,
        rect: QRect,
        item_id: str,
        look: object,
        background: QColor,
        pixel_ratio: float,
        draw: Callable[[QPainter], Any],
    ) -> None:
        """Paint the item at ``rect``: its kept picture if it was taken with this ``look``,
        else a new picture made by ``draw`` (which paints the item as the view would, at
        ``rect``) on ``background``."""
        kept = self._pictures.get(item_id)
        if kept is not None and kept[0] == look:
            painter.drawPixmap(rect.topLeft(), kept[1])
            return
        picture = QPixmap(round(rect.width() * pixel_ratio), round(rect.height() * pixel_ratio))
        picture.setDevicePixelRatio(pixel_ratio)
        # Opaque, on the view's own background: text is antialiased as it is on screen.
        picture.fill(background)
        canvas = QPainter(picture)
        try:
            canvas.translate(QPoint(-rect.x(), -rect.y()))
            draw(canvas)
        finally:
            canvas.end()
        if kept is not None:
            del self._pictures[item_id]
            self._bytes -= _size(kept[1])
        self._bytes += _size(picture)
        if self._bytes > self._limit:
            for old in list(self._pictures):
                if self._bytes <= self._limit // 2:
                    break
                self._bytes -= _size(self._pictures.pop(old)[1])
        self._pictures[item_id] = (look, picture)
        painter.drawPixmap(rect.topLeft(), picture)


def _size(picture: QPixmap) -> int:
    return picture.width() * picture.height() * 4
