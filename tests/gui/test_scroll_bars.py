"""The flat scroll bars of CourseDesk's style: drawn edge to edge, no arrow buttons, a handle
sized by how much of the content shows, and the mouse works on them as on any scroll bar."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollBar, QStyle, QStyleOptionSlider, QWidget
from pytestqt.qtbot import QtBot

from coursedesk.ui.app_style import CourseDeskStyle
from coursedesk.ui.theme import dark_palette, light_palette

SC = QStyle.SubControl


@pytest.fixture
def bar(qtbot: QtBot) -> Iterator[QScrollBar]:
    style = CourseDeskStyle()
    bar = QScrollBar(Qt.Orientation.Vertical)
    bar.setStyle(style)
    bar.setPalette(light_palette())
    bar.setRange(0, 300)
    bar.setPageStep(100)
    bar.resize(14, 400)
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    yield bar
    bar.close()


def _handle(bar: QScrollBar) -> tuple[int, int]:
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    rect = bar.style().subControlRect(
        QStyle.ComplexControl.CC_ScrollBar, option, SC.SC_ScrollBarSlider, bar
    )
    return rect.top(), rect.height()


def _render_over(bar: QScrollBar, colour: QColor) -> QImage:
    image = QImage(bar.size(), QImage.Format.Format_ARGB32)
    image.fill(colour)
    bar.render(image, QPoint(), renderFlags=QWidget.RenderFlag.DrawChildren)
    return image


def test_the_handle_shows_how_much_of_the_content_is_in_view(bar: QScrollBar) -> None:
    option = QStyleOptionSlider()
    bar.initStyleOption(option)
    style = bar.style()
    for arrow in (SC.SC_ScrollBarAddLine, SC.SC_ScrollBarSubLine):
        assert style.subControlRect(
            QStyle.ComplexControl.CC_ScrollBar, option, arrow, bar
        ).isEmpty()
    top, height = _handle(bar)
    # A page of 100 out of 400 in all: a quarter of the bar, at the top.
    assert (top, height) == (0, 100)
    bar.setValue(300)
    assert _handle(bar) == (300, 100)


def test_clicking_the_track_pages_and_dragging_the_handle_scrolls(
    bar: QScrollBar, qtbot: QtBot
) -> None:
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=QPoint(7, 350))
    qtbot.waitUntil(lambda: bar.value() == 100)
    top, height = _handle(bar)
    grab = QPoint(7, top + height // 2)
    QTest.mousePress(bar, Qt.MouseButton.LeftButton, pos=grab)
    QTest.mouseMove(bar, grab + QPoint(0, 60))
    QTest.mouseRelease(bar, Qt.MouseButton.LeftButton, pos=grab + QPoint(0, 60))
    # 60 px of the 300 px the handle can travel: a fifth of the range of 300.
    assert bar.value() == 160


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_bar_paints_every_pixel_itself(bar: QScrollBar, dark: bool) -> None:
    # Opaque: nothing beneath it is painted first, so it must leave nothing uncovered.
    if dark:
        bar.setPalette(dark_palette())
    assert bar.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
    over_magenta = _render_over(bar, QColor(255, 0, 255))
    assert over_magenta == _render_over(bar, QColor(0, 255, 0))
    track = over_magenta.pixelColor(7, 395)
    handle = over_magenta.pixelColor(7, 50)
    assert track == bar.palette().color(bar.palette().ColorRole.Base)
    assert abs(handle.lightness() - track.lightness()) > 30, "the handle is hard to see"


def test_the_handle_darkens_under_a_pressed_mouse(bar: QScrollBar, qtbot: QtBot) -> None:
    resting = _render_over(bar, QColor(0, 0, 0)).pixelColor(7, 50)
    QTest.mousePress(bar, Qt.MouseButton.LeftButton, pos=QPoint(7, 50))
    pressed = _render_over(bar, QColor(0, 0, 0)).pixelColor(7, 50)
    QTest.mouseRelease(bar, Qt.MouseButton.LeftButton, pos=QPoint(7, 50))
    assert pressed.lightness() < resting.lightness()
