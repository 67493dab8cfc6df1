"""Upload status glyphs, drawn in code so they stay crisp at every scale and need no files.

A status always reads as a shape *and* a colour (a check, a cross, an arrow ...), never colour
alone, so it survives colour blindness and greyscale. File icons (toolbar, menus) come from
``resources`` instead; these are the small per-row signs of the chapter tree and the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from coursedesk.domain.model import VideoStatus

# Colours picked to read on light and dark palettes alike.
_GREEN = QColor("#2e9d4f")
_BLUE = QColor("#1f6fd1")
_GREY = QColor("#8a8f98")
_RED = QColor("#d93a3a")
_AMBER = QColor("#d98a00")
_WHITE = QColor("#ffffff")

# Pixel sizes rendered into each icon, so views at 1x and 2x both get a sharp one.
_SIZES = (16, 24, 32)

Painter = Callable[[QPainter, float], None]


def _disc(painter: QPainter, size: float, colour: QColor) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    inset = size * 0.06
    painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))


def _stroke(painter: QPainter, size: float, colour: QColor, width: float = 0.12) -> None:
    pen = QPen(colour, size * width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _polyline(painter: QPainter, size: float, *points: tuple[float, float]) -> None:
    path = QPainterPath(QPointF(points[0][0] * size, points[0][1] * size))
    for x, y in points[1:]:
        path.lineTo(x * size, y * size)
    painter.drawPath(path)


def _processing(painter: QPainter, size: float) -> None:
    # An open ring, like a spinner caught mid-turn.
    _stroke(painter, size, _GREY, 0.13)
    inset = size * 0.16
    painter.drawArc(QRectF(inset, inset, size - 2 * inset, size - 2 * inset), 90 * 16, 270 * 16)


def _ready(painter: QPainter, size: float) -> None:
    # A ring with a dot: probed and ready, not uploaded yet.
    _stroke(painter, size, _BLUE, 0.11)
    inset = size * 0.14
    painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_BLUE)
    painter.drawEllipse(QPointF(size / 2, size / 2), size * 0.16, size * 0.16)


def _queued(painter: QPainter, size: float) -> None:
    # A clock face: waiting its turn.
    _stroke(painter, size, _GREY, 0.11)
    inset = size * 0.14
    painter.drawEllipse(QRectF(inset, inset, size - 2 * inset, size - 2 * inset))
    _polyline(painter, size, (0.5, 0.28), (0.5, 0.52), (0.66, 0.62))


def _uploading(painter: QPainter, size: float) -> None:
    _disc(painter, size, _BLUE)
    _stroke(painter, size, _WHITE, 0.12)
    _polyline(painter, size, (0.5, 0.74), (0.5, 0.28))
    _polyline(painter, size, (0.32, 0.45), (0.5, 0.27), (0.68, 0.45))


def _uploaded(painter: QPainter, size: float) -> None:
    _disc(painter, size, _GREEN)
    _stroke(painter, size, _WHITE, 0.13)
    _polyline(painter, size, (0.28, 0.52), (0.44, 0.68), (0.72, 0.36))


def _failed(painter: QPainter, size: float) -> None:
    _disc(painter, size, _RED)
    _stroke(painter, size, _WHITE, 0.13)
    _polyline(painter, size, (0.34, 0.34), (0.66, 0.66))
    _polyline(painter, size, (0.66, 0.34), (0.34, 0.66))


def _missing(painter: QPainter, size: float) -> None:
    # A warning triangle with an exclamation mark: the source file is gone.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_AMBER)
    path = QPainterPath(QPointF(size * 0.5, size * 0.08))
    path.lineTo(size * 0.95, size * 0.88)
    path.lineTo(size * 0.05, size * 0.88)
    path.closeSubpath()
    painter.drawPath(path)
    _stroke(painter, size, _WHITE, 0.11)
    _polyline(painter, size, (0.5, 0.36), (0.5, 0.6))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_WHITE)
    painter.drawEllipse(QPointF(size * 0.5, size * 0.75), size * 0.06, size * 0.06)


_PAINTERS: dict[VideoStatus, Painter] = {
    VideoStatus.PROCESSING: _processing,
    VideoStatus.READY: _ready,
    VideoStatus.QUEUED: _queued,
    VideoStatus.UPLOADING: _uploading,
    VideoStatus.UPLOADED: _uploaded,
    VideoStatus.FAILED: _failed,
    VideoStatus.MISSING: _missing,
}


def _render(paint: Painter, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint(painter, float(size))
    finally:
        painter.end()
    return pixmap


# Signs drawn as a coloured line only: on a selected row they turn white, or a blue ring
# would vanish into the selection's blue.
_OUTLINED = frozenset({VideoStatus.PROCESSING, VideoStatus.READY, VideoStatus.QUEUED})


def _silhouette(pixmap: QPixmap, colour: QColor) -> QPixmap:
    result = QPixmap(pixmap)
    painter = QPainter(result)
    try:
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
        painter.fillRect(result.rect(), colour)
    finally:
        painter.end()
    return result


@cache
def status_icon(status: VideoStatus) -> QIcon:
    """The sign for a video's upload status (needs a QGuiApplication; cached per status)."""
    icon = QIcon()
    for size in _SIZES:
        pixmap = _render(_PAINTERS[status], size)
        icon.addPixmap(pixmap)
        # Filled signs keep their colours when selected (Qt would tint them blue).
        selected = _silhouette(pixmap, _WHITE) if status in _OUTLINED else pixmap
        icon.addPixmap(selected, QIcon.Mode.Selected)
    return icon


@cache
def blank_icon() -> QIcon:
    """A transparent sign, so rows without a status keep their text in line with the rest."""
    icon = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        icon.addPixmap(pixmap)
    return icon


def _notes(painter: QPainter, size: float) -> None:
    # An amber disc with an exclamation mark: the file imported, with something to look at.
    _disc(painter, size, _AMBER)
    _stroke(painter, size, _WHITE, 0.13)
    _polyline(painter, size, (0.5, 0.27), (0.5, 0.56))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(_WHITE)
    painter.drawEllipse(QPointF(size * 0.5, size * 0.74), size * 0.07, size * 0.07)


@cache
def notes_icon() -> QIcon:
    """The sign of a video with pre-flight notes (high bitrate, no audio ...): import UI."""
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_render(_notes, size))
    return icon


def status_label(status: VideoStatus) -> str:
    """The status as an instructor reads it next to the sign."""
    return _LABELS[status]


_LABELS: dict[VideoStatus, str] = {
    VideoStatus.PROCESSING: "Processing",
    VideoStatus.READY: "Ready",
    VideoStatus.QUEUED: "Queued",
    VideoStatus.UPLOADING: "Uploading",
    VideoStatus.UPLOADED: "Uploaded",
    VideoStatus.FAILED: "Failed",
    VideoStatus.MISSING: "File missing",
}
