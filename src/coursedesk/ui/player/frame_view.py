"""The picture: frames from a QVideoSink painted letterboxed, or a message in their place,
and a small badge in its corner when there is something to say about the picture itself.

Painting the sink's frames ourselves (rather than a native QVideoWidget window) keeps the
picture part of the widget tree: it can carry a message over it, be grabbed for a screenshot
and counted in tests, and it behaves the same on every platform plugin.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtMultimedia import QVideoFrame, QVideoSink
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

_BACKDROP = QColor("#111318")
_PANEL = QColor(255, 255, 255, 18)
_TEXT = QColor("#e8eaed")
_SUBTLE = QColor("#9aa0a8")
_WARN = QColor("#f0883e")
_BADGE_MARGIN_PX = 10
# Light on a dark veil: readable over any picture, light or dark.
_BADGE_STYLE = (
    "#playerBadge { color: #e8eaed; background: rgba(17, 19, 24, 0.78);"
    " border: 1px solid rgba(88, 166, 255, 0.75); border-radius: 9px; padding: 2px 9px; }"
)


class FrameView(QWidget):
    """Shows the frames its ``sink`` receives; ``set_message`` covers them with words."""

    double_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playerPicture")
        self.setAccessibleName("Video picture")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 135)
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._frame_arrived)
        self._frame: QVideoFrame | None = None
        self._image: QImage | None = None
        self._title = ""
        self._text = ""
        self._warning = False
        # Frames received since the last ``clear``; read by the no-picture watchdog and tests.
        self.frame_count = 0
        self.badge = QLabel(self)
        self.badge.setObjectName("playerBadge")
        self.badge.setStyleSheet(_BADGE_STYLE)
        self.badge.hide()

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    # ------------------------------------------------------------------ state

    @property
    def message(self) -> str:
        """The message shown instead of the picture ("" when the picture shows)."""
        return f"{self._title}\n{self._text}".strip()

    def set_message(self, title: str, text: str = "", *, warning: bool = True) -> None:
        self._title, self._text, self._warning = title, text, warning
        self.setAccessibleDescription(self.message)
        self.update()

    def set_badge(self, text: str, tooltip: str = "") -> None:
        """Show ``text`` in a small badge in the picture's top-left corner ("": none)."""
        self.badge.setText(text)
        self.badge.setToolTip(tooltip)
        self.badge.setAccessibleName(text)
        self.badge.adjustSize()
        self.badge.setVisible(bool(text))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.badge.move(_BADGE_MARGIN_PX, _BADGE_MARGIN_PX)

    def clear_message(self) -> None:
        self.set_message("", "", warning=False)

    def clear(self) -> None:
        """Forget the picture (a new video is about to load)."""
        self._frame = None
        self._image = None
        self.frame_count = 0
        self.update()

    def current_frame(self) -> QVideoFrame | None:
        return self._frame

    def current_image(self) -> QImage | None:
        """The frame on screen as an image (converted once per frame, when first asked)."""
        if self._image is None and self._frame is not None and self._frame.isValid():
            image = self._frame.toImage()
            self._image = None if image.isNull() else image
        return self._image

    def _frame_arrived(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return
        self._frame = frame
        self._image = None
        self.frame_count += 1
        self.update()

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BACKDROP)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        image = None if self._title else self.current_image()
        if image is not None:
            painter.drawImage(self._fitted(image.size()), image)
        elif self._title:
            self._paint_message(painter)
        painter.end()

    def _fitted(self, size: QSize) -> QRectF:
        area = QRectF(self.rect())
        if size.isEmpty():
            return area
        scale = min(area.width() / size.width(), area.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        return QRectF(area.center().x() - w / 2, area.center().y() - h / 2, w, h)

    def _paint_message(self, painter: QPainter) -> None:
        width = min(self.width() - 40, 460)
        title_font = QFont(self.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.2)
        title_font.setWeight(QFont.Weight.DemiBold)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter
        painter.setFont(title_font)
        title_box = painter.boundingRect(QRectF(0, 0, width, 1000), flags, self._title)
        painter.setFont(self.font())
        text_box = painter.boundingRect(QRectF(0, 0, width, 1000), flags, self._text)
        gap = 8 if self._text else 0
        mark = 34 if self._warning else 0
        height = mark + title_box.height() + gap + text_box.height()
        panel = QRectF(
            (self.width() - width) / 2 - 18,
            (self.height() - height) / 2 - 16,
            width + 36,
            height + 32,
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_PANEL)
        painter.drawRoundedRect(panel, 10, 10)
        top = panel.top() + 16
        if self._warning:
            self._paint_warning_mark(painter, panel.center().x(), top + 12)
            top += mark
        painter.setPen(_TEXT)
        painter.setFont(title_font)
        painter.drawText(
            QRectF(panel.left() + 18, top, width, title_box.height()), flags, self._title
        )
        top += title_box.height() + gap
        painter.setPen(_SUBTLE)
        painter.setFont(self.font())
        painter.drawText(
            QRectF(panel.left() + 18, top, width, text_box.height()), flags, self._text
        )

    @staticmethod
    def _paint_warning_mark(painter: QPainter, x: float, y: float) -> None:
        painter.setPen(QPen(_WARN, 2.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(x - 11, y - 11, 22, 22))
        painter.drawLine(
            QRectF(x - 0.5, y - 6, 1, 7).topLeft(), QRectF(x - 0.5, y - 6, 1, 7).bottomLeft()
        )
        painter.setBrush(_WARN)
        painter.drawEllipse(QRectF(x - 1.4, y + 3.5, 2.8, 2.8))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)
