"""Hover scrubbing in the library grid: moving the mouse across a card's thumbnail shows
frames from across the video, from the storyboard strip made at import (10 tiles side by
side, cached on disk next to the thumbnail).

``HoverScrubber(view, store, cache).install()`` tracks the mouse over the view and hands
the delegate the tile to paint through its ``scrub_frame_for(index)`` hook. Strips are read
off the GUI thread and kept split into tiles for the most recently hovered videos.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView

from coursedesk.domain.store import Store
from coursedesk.services.ingest.pipeline import STORYBOARD_FRAMES, ThumbnailCache
from coursedesk.services.tasks import TaskRunner
from coursedesk.ui.chapter_tree_model import VideoIdRole

AnyIndex = QModelIndex | QPersistentModelIndex

# How many videos keep their tiles in memory (a strip is ~10 small pictures).
CACHED_STRIPS = 64
# The thumbnail's place in a card: inset by the card's margin and padding, 16:9.
_THUMB_INSET = 9
_THUMB_RATIO = 9 / 16
_BAR_HEIGHT = 3


def split_storyboard(strip: QImage, count: int = STORYBOARD_FRAMES) -> list[QImage]:
    """The strip's ``count`` equal tiles, left to right, each marked with where it is in
    the video (a thin bar along its bottom edge)."""
    if strip.isNull() or count <= 0:
        return []
    tile_w = strip.width() // count
    if tile_w <= 0:
        return []
    tiles: list[QImage] = []
    for i in range(count):
        tile = strip.copy(i * tile_w, 0, tile_w, strip.height()).convertToFormat(
            QImage.Format.Format_RGB32
        )
        painter = QPainter(tile)
        bar_top = tile.height() - _BAR_HEIGHT
        painter.fillRect(0, bar_top, tile.width(), _BAR_HEIGHT, QColor(0, 0, 0, 140))
        filled = round(tile.width() * (i + 1) / count)
        painter.fillRect(0, bar_top, filled, _BAR_HEIGHT, QColor("#e5534b"))
        painter.end()
        tiles.append(tile)
    return tiles


def load_tiles(path: Path) -> list[QImage]:
    """Read and split a storyboard file; runs off the GUI thread. [] if it can't be read."""
    image = QImage(str(path))
    return split_storyboard(image)


def tile_at(fraction: float, count: int) -> int:
    """Which of ``count`` tiles a pointer ``fraction`` of the way across shows."""
    return max(0, min(count - 1, int(fraction * count)))


def thumbnail_area(cell: QRect) -> QRect:
    """Where the thumbnail sits in a grid cell (the delegate's card layout)."""
    width = cell.width() - 2 * _THUMB_INSET
    return QRect(
        cell.left() + _THUMB_INSET, cell.top() + _THUMB_INSET, width, round(width * _THUMB_RATIO)
    )


class HoverScrubber(QObject):
    """Tracks the pointer over ``view``'s thumbnails. Public: ``install()``,
    ``frame_for(index)`` (the tile to paint, or None for the thumbnail), ``hovered``
    ((video id, tile) or None), ``tiles_of(video_id)``."""

    def __init__(
        self,
        view: QAbstractItemView,
        store: Store,
        cache: ThumbnailCache,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or view)
        self._view = view
        self._store = store
        self._cache = cache
        self._runner = runner
        self._strips: OrderedDict[str, list[QImage]] = OrderedDict()
        self._loading: set[str] = set()
        self.hovered: tuple[str, int] | None = None
        self._hovered_index = QPersistentModelIndex()

    def install(self) -> None:
        """Watch the view's mouse moves and give its delegate the ``scrub_frame_for`` hook."""
        self._view.setMouseTracking(True)
        self._view.viewport().installEventFilter(self)
        delegate = self._view.itemDelegate()
        if hasattr(delegate, "scrub_frame_for"):
            hook: Callable[[AnyIndex], QImage | None] = self.frame_for
            delegate.scrub_frame_for = hook

    # ------------------------------------------------------------------ for the delegate

    def frame_for(self, index: AnyIndex) -> QImage | None:
        if self.hovered is None or not index.isValid():
            return None
        video_id, tile = self.hovered
        if index.data(VideoIdRole) != video_id:
            return None
        tiles = self._strips.get(video_id)
        return tiles[tile] if tiles else None

    def tiles_of(self, video_id: str) -> list[QImage] | None:
        """The tiles of a video's storyboard, if loaded."""
        return self._strips.get(video_id)

    # ------------------------------------------------------------------ the pointer

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            if event.buttons() == Qt.MouseButton.NoButton:
                self.hover_at(event.position().toPoint())
        elif kind in (QEvent.Type.Leave, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self._set_hovered(None, QModelIndex())
        return False

    def hover_at(self, point: QPoint) -> None:
        """Show the tile under ``point`` (viewport coordinates)."""
        index = self._view.indexAt(point)
        video_id = index.data(VideoIdRole) if index.isValid() else None
        if not isinstance(video_id, str):
            self._set_hovered(None, QModelIndex())
            return
        area = thumbnail_area(self._view.visualRect(index))
        if not area.contains(point) or area.width() <= 0:
            self._set_hovered(None, QModelIndex())
            return
        fraction = (point.x() - area.left()) / area.width()
        tiles = self._strips.get(video_id)
        if tiles is None:
            self._load(video_id)
        count = len(tiles) if tiles else STORYBOARD_FRAMES
        self._set_hovered((video_id, tile_at(fraction, count)), index)

    def _set_hovered(self, hovered: tuple[str, int] | None, index: QModelIndex) -> None:
        if hovered == self.hovered:
            return
        old = _plain(self._hovered_index)
        self.hovered = hovered
        self._hovered_index = QPersistentModelIndex(index)
        viewport = self._view.viewport()
        if old is not None:
            viewport.update(self._view.visualRect(old))
        if index.isValid():
            viewport.update(self._view.visualRect(index))

    # ------------------------------------------------------------------ strips

    def _load(self, video_id: str) -> None:
        if video_id in self._loading or not self._store.has_video(video_id):
            return
        sha1 = self._store.video(video_id).sha1
        if sha1 is None:
            return
        path = self._cache.storyboard(sha1)
        self._loading.add(video_id)
        self._runner.run(
            lambda: load_tiles(path),
            lambda tiles: self._loaded(video_id, tiles),
            lambda _error: self._loading.discard(video_id),
        )

    def _loaded(self, video_id: str, tiles: list[QImage]) -> None:
        self._loading.discard(video_id)
        if not tiles:
            return
        self._strips[video_id] = tiles
        self._strips.move_to_end(video_id)
        while len(self._strips) > CACHED_STRIPS:
            self._strips.popitem(last=False)
        hovered = _plain(self._hovered_index)
        if self.hovered is not None and self.hovered[0] == video_id and hovered is not None:
            self._view.viewport().update(self._view.visualRect(hovered))


def _plain(index: QPersistentModelIndex) -> QModelIndex | None:
    if not index.isValid():
        return None
    return index.model().index(index.row(), index.column(), index.parent())
