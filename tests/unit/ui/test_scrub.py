"""Hover scrubbing: the storyboard made at import splits into its 10 tiles, the pointer's
place across a thumbnail picks the tile, and the grid's delegate is handed that tile."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tests.support.player_clips import COURSE, add_clip, start_course

from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.pipeline import STORYBOARD_FRAMES, ThumbnailCache
from coursedesk.services.tasks import ImmediateRunner
from coursedesk.ui.library_pane import LibraryPane
from coursedesk.ui.player.scrub import (
    HoverScrubber,
    load_tiles,
    split_storyboard,
    thumbnail_area,
    tile_at,
)


@pytest.fixture
def cache(tmp_path: Path) -> ThumbnailCache:
    return ThumbnailCache(tmp_path / "pictures")


@pytest.fixture
def session(library: Library, cache: ThumbnailCache, tmp_path: Path) -> EditSession:
    start_course(library)
    add_clip(library, cache, tmp_path / "Aperture.mp4", "v1", seconds=4, width=640, height=360)
    add_clip(library, cache, tmp_path / "Exposure.webm", "v2", seconds=2)
    session = EditSession(library)
    session.activate(COURSE)
    return session


@pytest.fixture
def pane(session: EditSession, qtbot: QtBot) -> LibraryPane:
    widget = LibraryPane(session)
    qtbot.addWidget(widget)
    widget.set_course(COURSE)
    widget.resize(700, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_storyboard_made_at_import_has_ten_equal_tiles(
    session: EditSession, cache: ThumbnailCache
) -> None:
    sha1 = session.store.video("v1").sha1
    assert sha1 is not None
    strip = QImage(str(cache.storyboard(sha1)))
    tiles = load_tiles(cache.storyboard(sha1))
    assert STORYBOARD_FRAMES == 10
    assert len(tiles) == 10
    assert {(t.width(), t.height()) for t in tiles} == {(strip.width() // 10, strip.height())}


def test_tiles_run_from_the_start_to_the_end_of_the_video(
    session: EditSession, cache: ThumbnailCache
) -> None:
    sha1 = session.store.video("v1").sha1
    assert sha1 is not None
    tiles = load_tiles(cache.storyboard(sha1))

    def brightness(tile: QImage) -> float:
        # The generated clip brightens steadily with time (its background is a clock).
        colour = tile.pixelColor(tile.width() - 3, tile.height() // 4)
        return colour.redF() + colour.greenF() + colour.blueF()

    values = [brightness(t) for t in tiles]
    assert values == sorted(values)
    assert values[-1] > values[0]


def test_a_strip_that_is_not_a_picture_gives_no_tiles(tmp_path: Path) -> None:
    bad = tmp_path / "nothing.storyboard.jpg"
    bad.write_bytes(b"not a jpeg")
    assert load_tiles(bad) == []
    assert split_storyboard(QImage()) == []


@pytest.mark.parametrize(
    ("fraction", "tile"), [(0.0, 0), (0.05, 0), (0.1, 1), (0.55, 5), (0.999, 9), (1.0, 9), (-1, 0)]
)
def test_the_pointer_fraction_picks_the_tile(fraction: float, tile: int) -> None:
    assert tile_at(fraction, 10) == tile


def move_to(pane: LibraryPane, point: QPoint) -> None:
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(pane.view.viewport().mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(pane.view.viewport(), event)


def test_moving_across_a_thumbnail_shows_frames_from_across_the_video(
    pane: LibraryPane, session: EditSession, cache: ThumbnailCache
) -> None:
    scrubber = HoverScrubber(pane.view, session.store, cache, ImmediateRunner())
    scrubber.install()
    assert pane.view.delegate.scrub_frame_for == scrubber.frame_for
    row = pane.model.row_of("v1")
    assert row is not None
    index = pane.model.index(row, 0)
    area = thumbnail_area(pane.view.visualRect(index))
    seen = []
    for step in range(10):
        x = area.left() + round((step + 0.5) * area.width() / 10)
        move_to(pane, QPoint(x, area.center().y()))
        assert scrubber.hovered == ("v1", step)
        frame = scrubber.frame_for(index)
        assert frame is not None
        seen.append(frame.cacheKey())
    assert len(set(seen)) == 10
    tiles = scrubber.tiles_of("v1")
    assert tiles is not None and len(tiles) == 10
    # Another card's thumbnail is not affected; leaving the view puts the thumbnail back.
    other = pane.model.index(pane.model.row_of("v2") or 0, 0)
    assert scrubber.frame_for(other) is None
    QApplication.sendEvent(pane.view.viewport(), QEvent(QEvent.Type.Leave))
    assert scrubber.hovered is None
    assert scrubber.frame_for(index) is None


def test_the_title_under_the_thumbnail_does_not_scrub(
    pane: LibraryPane, session: EditSession, cache: ThumbnailCache
) -> None:
    scrubber = HoverScrubber(pane.view, session.store, cache, ImmediateRunner())
    scrubber.install()
    index = pane.model.index(pane.model.row_of("v1") or 0, 0)
    cell = pane.view.visualRect(index)
    move_to(pane, QPoint(cell.center().x(), cell.bottom() - 4))
    assert scrubber.hovered is None
