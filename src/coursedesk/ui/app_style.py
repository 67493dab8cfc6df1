"""CourseDesk's widget style: Qt's Fusion, with flat scroll bars.

Fusion draws a scroll bar with gradients, arrow buttons and soft edges, and that takes over a
millisecond each time one repaints: every bulk edit changes the tree's scroll range, so its
scroll bar repaints with it. The scroll bars here are drawn the way current desktops draw
them: a rounded handle on a plain track, no arrow buttons, darker while the mouse is over the
handle or drags it. They are opaque, so nothing beneath them is painted first.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QProxyStyle,
    QScrollBar,
    QStyle,
    QStyleFactory,
    QStyleOptionComplex,
    QStyleOptionSlider,
    QWidget,
)

# Room between the handle and the track's edges, across and along the bar.
HANDLE_INSET_PX = 3
HANDLE_END_INSET_PX = 2
# How far the handle's colour goes from the track's towards the text's.
_HANDLE_SHADE = {"normal": 0.28, "hover": 0.42, "pressed": 0.55, "disabled": 0.14}

_CC = QStyle.ComplexControl
_SC = QStyle.SubControl


def _mix(base: QColor, towards: QColor, amount: float) -> QColor:
    return QColor(
        round(base.red() + (towards.red() - base.red()) * amount),
        round(base.green() + (towards.green() - base.green()) * amount),
        round(base.blue() + (towards.blue() - base.blue()) * amount),
    )


class CourseDeskStyle(QProxyStyle):
    """Fusion, with the scroll bars drawn flat."""

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def polish(self, target: Any) -> Any:
        # Qt's three polish calls in one (a widget, the application, a palette to adjust).
        result = super().polish(target)
        if isinstance(target, QScrollBar):
            # The track is filled edge to edge: nothing beneath needs painting first.
            target.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        return result

    def drawComplexControl(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if control != _CC.CC_ScrollBar or not isinstance(option, QStyleOptionSlider):
            super().drawComplexControl(control, option, painter, widget)
            return
        palette = option.palette
        track = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(option.rect, track)
        if option.maximum == option.minimum:
            return  # nothing to scroll: the track alone
        handle = QRectF(self.subControlRect(control, option, _SC.SC_ScrollBarSlider, widget))
        if option.orientation == Qt.Orientation.Vertical:
            handle.adjust(
                HANDLE_INSET_PX, HANDLE_END_INSET_PX, -HANDLE_INSET_PX, -HANDLE_END_INSET_PX
            )
        else:
            handle.adjust(
                HANDLE_END_INSET_PX, HANDLE_INSET_PX, -HANDLE_END_INSET_PX, -HANDLE_INSET_PX
            )
        if handle.width() <= 0 or handle.height() <= 0:
            return
        state = option.state
        on_handle = bool(option.activeSubControls & _SC.SC_ScrollBarSlider)
        if not state & QStyle.StateFlag.State_Enabled:
            shade = _HANDLE_SHADE["disabled"]
        elif on_handle and state & QStyle.StateFlag.State_Sunken:
            shade = _HANDLE_SHADE["pressed"]
        elif on_handle and state & QStyle.StateFlag.State_MouseOver:
            shade = _HANDLE_SHADE["hover"]
        else:
            shade = _HANDLE_SHADE["normal"]
        radius = min(handle.width(), handle.height()) / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_mix(track, palette.color(QPalette.ColorRole.Text), shade))
        painter.drawRoundedRect(handle, radius, radius)
        painter.restore()

    def subControlRect(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        sub_control: QStyle.SubControl,
        widget: QWidget | None = None,
    ) -> QRect:
        if control != _CC.CC_ScrollBar or not isinstance(option, QStyleOptionSlider):
            return super().subControlRect(control, option, sub_control, widget)  # type: ignore[arg-type]
        rect = QRect(option.rect)
        vertical = option.orientation == Qt.Orientation.Vertical
        length = rect.height() if vertical else rect.width()
        if sub_control in (_SC.SC_ScrollBarAddLine, _SC.SC_ScrollBarSubLine):
            return QRect()  # no arrow buttons
        if sub_control == _SC.SC_ScrollBarGroove:
            return rect
        span = option.maximum - option.minimum
        minimum_px = self.pixelMetric(QStyle.PixelMetric.PM_ScrollBarSliderMin, option, widget)
        if span <= 0:
            handle_px = length
        else:
            handle_px = round(option.pageStep * length / (span + option.pageStep))
            handle_px = min(max(handle_px, minimum_px), length)
        start = QStyle.sliderPositionFromValue(
            option.minimum,
            option.maximum,
            option.sliderPosition,
            length - handle_px,
            option.upsideDown,
        )
        if sub_control == _SC.SC_ScrollBarSlider:
            first, size = start, handle_px
        elif sub_control == _SC.SC_ScrollBarSubPage:
            first, size = 0, start
        elif sub_control == _SC.SC_ScrollBarAddPage:
            first, size = start + handle_px, length - start - handle_px
        else:
            return super().subControlRect(control, option, sub_control, widget)  # type: ignore[arg-type]
        if vertical:
            return QRect(rect.left(), rect.top() + first, rect.width(), size)
        return QRect(rect.left() + first, rect.top(), size, rect.height())
