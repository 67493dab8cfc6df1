"""The chapter tree's video rows painted again from pictures (see ``item_pictures``).

A video row looks exactly as its last picture as long as these have not changed:

* the video value itself (any change of a video makes a new value) and its position number;
* the row's size, whether it is selected, whether it is the current row;
* the paint's context: columns, palette, font, style, pixel ratio, active window, focus and
  indentation.

Rows of videos being uploaded (their progress bar moves without the video changing) and
chapter rows (their totals change without the chapter value changing) are never kept, nor
any row while the tree paints rows by where they stand (alternating colours) or where the
mouse is (hover).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.ui.chapter_tree_model import ChapterTreeModel
from coursedesk.ui.item_pictures import ItemPictures

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
        group = (
            QPalette.ColorGroup.Disabled
            if not enabled
            else QPalette.ColorGroup.Active
            if active
            else QPalette.ColorGroup.Inactive
        )
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

    def paint(
        self,
        painter: QPainter,
        options: QStyleOptionViewItem,
        index: AnyIndex,
        draw_row: Callable[[QPainter, QStyleOptionViewItem, AnyIndex], Any],
    ) -> bool:
        """Paint the row of ``index`` from its picture (made with ``draw_row``, the tree's
        own row painting, when there is none for its look); False for a row not kept."""
        video = self._model.video_at(index) if self._kept else None
        if video is None or video.status is VideoStatus.UPLOADING:
            return False
        key, row = index.internalId(), index.row()
        rect = options.rect
        look = RowLook(
            video,
            row,
            rect.width(),
            rect.height(),
            any(k == key and top <= row <= bottom for k, top, bottom in self._selected),
            self._current == (key, row),
        )
        self._pictures.paint(
            painter,
            rect,
            video.id,
            look,
            self._background,
            self._pixel_ratio,
            lambda canvas: draw_row(canvas, options, index),
        )
        return True
