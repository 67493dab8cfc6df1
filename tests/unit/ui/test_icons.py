"""Status signs stay visible on a selected row."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from coursedesk.domain.model import VideoStatus
from coursedesk.ui.icons import status_icon


def _mean_lightness(picture: QIcon, mode: QIcon.Mode) -> float:
    image = picture.pixmap(32, 32, mode).toImage()
    seen = [
        image.pixelColor(x, y).lightness()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert seen, "the sign drew nothing"
    return sum(seen) / len(seen)


@pytest.mark.parametrize("status", [VideoStatus.READY, VideoStatus.QUEUED, VideoStatus.PROCESSING])
def test_line_signs_turn_white_on_a_selected_row(qapp: QApplication, status: VideoStatus) -> None:
    icon = status_icon(status)
    assert _mean_lightness(icon, QIcon.Mode.Normal) < 200
    assert _mean_lightness(icon, QIcon.Mode.Selected) > 245


def test_filled_signs_keep_their_colour_on_a_selected_row(qapp: QApplication) -> None:
    icon = status_icon(VideoStatus.FAILED)
    normal = icon.pixmap(32, 32, QIcon.Mode.Normal).toImage()
    selected = icon.pixmap(32, 32, QIcon.Mode.Selected).toImage()
    assert normal.pixelColor(6, 16) == selected.pixelColor(6, 16)
