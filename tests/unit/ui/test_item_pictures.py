"""Kept pictures of a view's items: reused while an item looks the same, made again when it
does not, dropped when the paint's context changes, and held within their pixel budget."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage, QPainter
from pytestqt.qtbot import QtBot

from coursedesk.ui.item_pictures import ItemPictures

WHITE = QColor("white")


class Canvas:
    """A target to paint on, and a count of the items drawn afresh."""

    def __init__(self) -> None:
        self.image = QImage(100, 100, QImage.Format.Format_RGB32)
        self.image.fill(WHITE)
        self.drawn: list[str] = []

    def paint(self, pictures: ItemPictures, item: str, look: object, colour: str, top: int) -> None:
        rect = QRect(0, top, 100, 10)

        def draw(canvas: QPainter) -> None:
            self.drawn.append(item)
            canvas.fillRect(rect, QColor(colour))

        painter = QPainter(self.image)
        try:
            pictures.paint(painter, rect, item, look, WHITE, 1.0, draw)
        finally:
            painter.end()


def test_an_item_is_painted_again_from_its_picture_until_its_look_changes(qtbot: QtBot) -> None:
    pictures, canvas = ItemPictures(), Canvas()
    pictures.begin("context")
    canvas.paint(pictures, "a", ("red",), "red", 0)
    canvas.paint(pictures, "a", ("red",), "red", 20)
    assert canvas.drawn == ["a"]
    assert canvas.image.pixelColor(50, 25) == QColor("red")
    canvas.paint(pictures, "a", ("blue",), "blue", 40)
    assert canvas.drawn == ["a", "a"]
    assert canvas.image.pixelColor(50, 45) == QColor("blue")


def test_a_new_context_drops_every_picture(qtbot: QtBot) -> None:
    pictures, canvas = ItemPictures(), Canvas()
    pictures.begin(("columns", 1))
    canvas.paint(pictures, "a", 1, "red", 0)
    pictures.begin(("columns", 1))
    canvas.paint(pictures, "a", 1, "red", 0)
    pictures.begin(("columns", 2))
    canvas.paint(pictures, "a", 1, "red", 0)
    assert canvas.drawn == ["a", "a"]


def test_pictures_stay_within_their_budget_keeping_the_latest(qtbot: QtBot) -> None:
    one = 100 * 10 * 4
    pictures, canvas = ItemPictures(limit_bytes=4 * one), Canvas()
    pictures.begin(None)
    for item in "abcdef":
        canvas.paint(pictures, item, 1, "green", 0)
    assert len(pictures) <= 4
    canvas.drawn.clear()
    canvas.paint(pictures, "f", 1, "green", 0)
    canvas.paint(pictures, "a", 1, "green", 0)
    assert canvas.drawn == ["a"]
