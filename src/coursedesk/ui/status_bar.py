"""The window's status bar, whose messages are never cut off.

Qt paints a status message on one line and clips it where the permanent widgets (import
progress, course totals, the uploads' summary) begin, so the end of a long refusal ("… was
applied over it — Undo to restore.") could be lost. Here a message too long for one line
wraps onto a second (the bar grows while it shows). If two lines are not enough, the widgets
marked ``COVERABLE`` (the totals and the summary, shown again when the message goes) make
room, as Qt hides the bar's other widgets for any message; a message longer still ends in "…"
and the bar's tooltip holds all of it. Longer messages also stay longer, to leave time to read
them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent, QTextLayout
from PySide6.QtWidgets import QSizeGrip, QStatusBar, QStyle, QStyleOption, QWidget

MAX_LINES = 2
# A permanent widget with this property set to True may be hidden while a message needs its
# room (information shown elsewhere too, like the course totals).
COVERABLE = "coverableByMessages"
# A message stays at least as long as its caller asks, and long ones longer: about the time
# it takes to read them.
READING_MS_PER_CHAR = 60
_LEFT_PX = 6
_GAP_PX = 4
_VERTICAL_MARGIN_PX = 3


def wrapped_lines(text: str, font: QFont, width: int, max_lines: int) -> list[str]:
    """``text`` broken at spaces into lines at most ``width`` wide; beyond ``max_lines``,
    the last line ends in an ellipsis."""
    if width <= 0:
        return [text]
    metrics = QFontMetrics(font)
    layout = QTextLayout(text, font)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    if len(spans) <= max_lines:
        return [text[start : start + length].strip() for start, length in spans]
    lines = [text[start : start + length].strip() for start, length in spans[: max_lines - 1]]
    rest = text[spans[max_lines - 1][0] :].strip()
    lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return lines


class MessageStatusBar(QStatusBar):
    """A status bar that wraps a long message onto a second line instead of cutting it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[str] = []
        self._tooltip = ""
        self._covered: list[QWidget] = []
        self._laying_out = False
        self.messageChanged.connect(self._lay_out_message)

    def showMessage(self, text: str, /, timeout: int | None = 0) -> None:
        if timeout:
            timeout = max(timeout, len(text) * READING_MS_PER_CHAR)
        super().showMessage(text, timeout or 0)

    def shown_lines(self) -> list[str]:
        """The message as painted, line by line (empty: no message)."""
        return list(self._lines)

    # ------------------------------------------------------------------ layout

    def message_rect(self) -> QRect:
        """Where the message goes: from the left edge to the first permanent widget."""
        right = self.width() - 12
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            # While a message shows, Qt hides the bar's other widgets: the visible ones are
            # the permanent widgets on the right (and the size grip).
            if child.isVisible() and not isinstance(child, QSizeGrip) and child.x() > _LEFT_PX:
                right = min(right, child.x() - _GAP_PX)
        return QRect(_LEFT_PX, 0, max(0, right - _LEFT_PX), self.height())

    def covered(self) -> list[QWidget]:
        """The widgets hidden to make room for the message shown now."""
        return list(self._covered)

    def _lay_out_message(self, _message: str = "") -> None:
        if self._laying_out:
            return
        self._laying_out = True
        try:
            message = self.currentMessage()
            self._uncover()
            lines = self._wrap(message)
            if self._is_cut(message, lines) and self._cover():
                lines = self._wrap(message)
            self._lines = lines
            tooltip = message if self._is_cut(message, lines) else ""
            if tooltip != self._tooltip:
                self._tooltip = tooltip
                self.setToolTip(tooltip)
            spacing = self.fontMetrics().lineSpacing()
            wanted = len(lines) * spacing + 2 * _VERTICAL_MARGIN_PX if len(lines) > 1 else 0
            if self.minimumHeight() != wanted:
                self.setMinimumHeight(wanted)
            self.update()
        finally:
            self._laying_out = False

    def _wrap(self, message: str) -> list[str]:
        if not message:
            return []
        return wrapped_lines(message, self.font(), self.message_rect().width(), MAX_LINES)

    @staticmethod
    def _is_cut(message: str, lines: list[str]) -> bool:
        return bool(lines) and " ".join(lines) != " ".join(message.split())

    def _cover(self) -> bool:
        """Hide the coverable widgets; True if any was hidden."""
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child.property(COVERABLE) is True and child.isVisible():
                child.hide()
                self._covered.append(child)
        if not self._covered:
            return False
        self._settle()
        return True

    def _uncover(self) -> None:
        covered, self._covered = self._covered, []
        for child in covered:
            child.show()
        if covered:
            self._settle()

    def _settle(self) -> None:
        """Place the widgets now, so the message's room can be measured."""
        layout = self.layout()
        if layout is not None:
            layout.activate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.currentMessage():
            self._lay_out_message()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._lay_out_message()

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.currentMessage():
            super().paintEvent(event)
            return
        # What QStatusBar paints, but the message wrapped instead of clipped.
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        style = self.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, self)
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child.isVisible() and not isinstance(child, QSizeGrip):
                frame = QStyleOption()
                frame.rect = child.geometry().adjusted(-2, -1, 2, 1)
                frame.palette = self.palette()
                frame.state = QStyle.StateFlag.State_None
                style.drawPrimitive(
                    QStyle.PrimitiveElement.PE_FrameStatusBarItem, frame, painter, child
                )
        rect = self.message_rect()
        spacing = self.fontMetrics().lineSpacing()
        top = rect.top() + (rect.height() - len(self._lines) * spacing) / 2
        painter.setPen(self.palette().windowText().color())
        flags = int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        for number, line in enumerate(self._lines):
            row = QRectF(rect.left(), top + number * spacing, rect.width(), spacing)
            painter.drawText(row, flags, line)
        painter.end()
