"""The chapter tree's video rows painted again from pictures (see ``item_pictures``).

A video row looks exactly as its last picture as long as these have not changed:

* the video value itself (any change of a video makes a new value) and its position number;
* the row's size, whether it is selected, whether it is the current row;
* the paint's context: columns, palette, font, style, pixel ratio, active window, focus and
  indentation.

Rows showing an upload's progress bar (it moves on without the video changing) and chapter
rows (their totals change without the chapter value changing) are never kept, nor any row
while the tree paints rows by where they stand (alternating colours) or where the mouse is
(hover).

Pictures are taken with the video row painter (``tree_video_rows``) where it can paint the
row; it also paints the progress bars, afresh each time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.ui.chapter_tree_model import ChapterTreeModel
from coursedesk.ui.item_painting import colour_group
from coursedesk.ui.item_pictures import ItemPictures
from coursedesk.ui.tree_video_rows import VideoRowPainter

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class PaintContext:
    """What every row of one paint is painted with."""

    columns: tuple[tuple[int, int], ...]
    palette_key: int
    font_key: str
    style_id: int
    pixel_ratio: float
    active: bool
    enabled: bool
    indentation: int
    focused: bool


@dataclass(frozen=True, slots=True)
class RowLook:
    """Everything a video row shows that its picture depends on."""

    video: Video
    row: int
    width: int
    height: int
    selected: bool
    current: bool


class RowPictures:
    """Pictures of one tree's video rows: ``begin`` once per paint, then ``paint`` per row."""

    def __init__(self, view: QTreeView, model: ChapterTreeModel) -> None:
        self._view = view
        self._model = model
        self._pictures = ItemPictures()
        self._background = QColor()
        self._pixel_ratio = 1.0
        # The selected rows as (chapter key, first row, last row); the current (key, row).
        self._selected: list[tuple[int, int, int]] = []
        self._current: tuple[int, int] | None = None
        self._kept = True
        # Paints a video row straight from the store; measured on the first row of a paint.
        self._rows = VideoRowPainter(view)
        self._rows_ready: bool | None = None

    def clear(self) -> None:
        self._pictures.clear()

    def begin(self) -> None:
        """Note what every row of the paint about to start is painted with."""
        view = self._view
        viewport = view.viewport()
        header = view.header()
        columns = tuple(
            (
                header.sectionViewportPosition(i),
                -1 if header.isSectionHidden(i) else header.sectionSize(i),
            )
            for i in range(header.count())
        )
        active = view.isActiveWindow()
        enabled = view.isEnabled()
        self._pixel_ratio = viewport.devicePixelRatioF()
        self._pictures.begin(
            PaintContext(
                columns,
                view.palette().cacheKey(),
                view.font().key(),
                id(view.style()),
                self._pixel_ratio,
                active,
                enabled,
                view.indentation(),
                view.hasFocus(),
            )
        )
        group = colour_group(enabled, active)
        self._background = viewport.palette().color(group, viewport.backgroundRole())
        spans: list[tuple[int, int, int]] = []
        selection = view.selectionModel().selection()
        for i in range(selection.count()):
            selected = selection.at(i)
            key = self._model.key_under(selected.parent())
            if key is not None:
                spans.append((key, selected.top(), selected.bottom()))
        self._selected = spans
        current = view.currentIndex()
        self._current = (current.internalId(), current.row()) if current.isValid() else None
        self._kept = not (
            view.alternatingRowColors() or viewport.testAttribute(Qt.WidgetAttribute.WA_Hover)
        )
        self._rows_ready = None

    def paint(
        self,
        painter: QPainter,
        options: QStyleOptionViewItem,
        index: AnyIndex,
        draw_row: Callable[[QPainter, QStyleOptionViewItem, AnyIndex], Any],
    ) -> bool:
        """Paint the video row of ``index``; False for a row this can't paint (a chapter row).

        A row is painted from its picture, or when there is none for its look, by the video
        row painter, or by ``draw_row`` (the tree's own row painting) where that can't. A row
        being uploaded is painted afresh each time.
        """
        video = self._model.video_at(index) if self._kept else None
        if video is None:
            return False
        key, row = index.internalId(), index.row()
        rect = options.rect
        selected = any(k == key and top <= row <= bottom for k, top, bottom in self._selected)
        current = self._current == (key, row)
        if self._rows_ready is None:
            self._rows_ready = self._rows.begin(rect.height())
        if video.status is VideoStatus.UPLOADING:
            if not self._rows_ready:
                return False
            provider = self._model.progress_provider
            progress = None if provider is None else provider(video.id)
            if progress is not None:
                # The bar moves on without the video changing: painted afresh each time.
                self._rows.paint(painter, rect.top(), video, row, selected, current, progress)
                return True
        look = RowLook(video, row, rect.width(), rect.height(), selected, current)
        if self._rows_ready:
            rows, top = self._rows, rect.top()

            def draw(canvas: QPainter) -> None:
                rows.paint(canvas, top, video, row, selected, current)

        else:

            def draw(canvas: QPainter) -> None:
                draw_row(canvas, options, index)

        self._pictures.paint(
            painter, rect, video.id, look, self._background, self._pixel_ratio, draw
        )
        return True
