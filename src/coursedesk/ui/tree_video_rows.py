"""The chapter tree's video rows, painted straight from the store.

Qt paints a tree row cell by cell: for each of the four cells it asks the model for an index
and its roles, builds a style option and has the style lay out and draw it, and in this
application most of those steps are calls into Python. A bulk move brings a screenful of rows
never painted before, and painting them the standard way costs several milliseconds.

This painter draws a video row with what the standard painting would draw, in a handful of
calls: the selection fill, the position number and title, the duration, the size, and the
status sign and label. Where things go comes from the style itself (its text and decoration
rectangles, measured once per paint); the colours are the ones the style takes from the
palette, and the focus frame is drawn by the style as the tree draws it. Anything out of the
ordinary (right-to-left text, moved columns, alternating colours, hover, a video being
uploaded) is left to the standard painting.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QStyle,
    QStyleOptionFocusRect,
    QStyleOptionViewItem,
    QTreeView,
)

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.ui.chapter_tree_model import Column
from coursedesk.ui.format import format_duration, format_size
from coursedesk.ui.icons import notes_icon, status_icon, status_label
from coursedesk.ui.item_painting import colour_group
from coursedesk.ui.tree_delegate import paint_numbered_title, paint_progress

_ELIDE = Qt.TextElideMode.ElideRight
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_READY = VideoStatus.READY
_UPLOADING = VideoStatus.UPLOADING
_ROLE = QPalette.ColorRole


@dataclass(frozen=True, slots=True)
class _Cell:
    """A text cell of a video row, in row coordinates (the row's top at 0)."""

    text_rect: QRect  # where the text goes, inside the style's margins
    align: Qt.AlignmentFlag


@dataclass(slots=True)
class _Frame:
    """What every video row of one paint is painted with."""

    left: int  # where the selection fill starts (the branch area, if the style fills it)
    right: int  # where the last column ends
    height: int
    title: QRect  # the title cell, after the indentation
    duration: _Cell | None
    size: _Cell | None
    status: _Cell | None
    status_cell: QRect  # the whole status cell (an upload's progress bar fills it)
    icon_rect: QRect
    icon_align: Qt.AlignmentFlag
    font: QFont
    metrics: QFontMetrics
    palette: QPalette
    highlight: QBrush
    text: QColor
    highlighted_text: QColor
    icon_mode: QIcon.Mode
    focused: bool
    focus_left: int
    focus_width: int


class VideoRowPainter:
    """Paints the video rows of one chapter tree: ``begin`` once per paint, then ``paint``."""

    def __init__(self, view: QTreeView) -> None:
        self._view = view
        self._frame: _Frame | None = None

    def begin(self, row_height: int) -> bool:
        """Measure this paint's rows; False when they must be painted the standard way."""
        self._frame = None
        view = self._view
        header = view.header()
        viewport = view.viewport()
        if (
            view.isRightToLeft()
            or view.alternatingRowColors()
            or viewport.testAttribute(Qt.WidgetAttribute.WA_Hover)
            or view.treePosition() != 0
            or row_height <= 0
            or any(header.visualIndex(c) != c for c in range(header.count()))
            or header.isSectionHidden(Column.TITLE)
        ):
            return False
        style = view.style()
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        enabled = view.isEnabled()
        active = bool(option.state & QStyle.StateFlag.State_Active)
        group = colour_group(enabled, active)
        palette = QPalette(option.palette)
        # The title is painted with the row's own colour group, as the tree sets it.
        palette.setCurrentColorGroup(
            QPalette.ColorGroup.Active if enabled else QPalette.ColorGroup.Disabled
        )
        x0 = header.sectionViewportPosition(Column.TITLE)
        indent = view.indentation() * (2 if view.rootIsDecorated() else 1)
        title = QRect(x0 + indent, 0, header.sectionSize(Column.TITLE) - indent, row_height)
        decorated = bool(
            style.styleHint(QStyle.StyleHint.SH_ItemView_ShowDecorationSelected, option, view)
        )

        def cell(column: Column, align: Qt.AlignmentFlag, icon: bool) -> QStyleOptionViewItem:
            cell_option = QStyleOptionViewItem(option)
            cell_option.rect = QRect(
                header.sectionViewportPosition(column), 0, header.sectionSize(column), row_height
            )
            cell_option.displayAlignment = align
            cell_option.text = "0"
            features = QStyleOptionViewItem.ViewItemFeature.HasDisplay
            if icon:
                features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
                cell_option.icon = status_icon(_READY)
            cell_option.features = features
            return cell_option

        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1

        def text_cell(column: Column, align: Qt.AlignmentFlag) -> _Cell | None:
            if header.isSectionHidden(column):
                return None
            icon = column == Column.STATUS
            rect = style.subElementRect(
                QStyle.SubElement.SE_ItemViewItemText, cell(column, align, icon), view
            )
            return _Cell(rect.adjusted(margin, 0, -margin, 0), align)

        status = text_cell(Column.STATUS, _LEFT)
        icon_rect = QRect()
        icon_option = cell(Column.STATUS, _LEFT, True)
        if status is not None:
            icon_rect = style.subElementRect(
                QStyle.SubElement.SE_ItemViewItemDecoration, icon_option, view
            )
        last = max(range(header.count()), key=header.sectionViewportPosition)
        right = header.sectionViewportPosition(last) + header.sectionSize(last)
        # Copies: an option's members live only as long as the option.
        font = QFont(option.font)
        self._frame = _Frame(
            left=x0 if decorated else title.left(),
            right=right,
            height=row_height,
            title=title,
            duration=text_cell(Column.DURATION, _RIGHT),
            size=text_cell(Column.SIZE, _RIGHT),
            status=status,
            status_cell=QRect(icon_option.rect),
            icon_rect=icon_rect,
            icon_align=icon_option.decorationAlignment,
            font=font,
            metrics=QFontMetrics(font),
            palette=palette,
            highlight=QBrush(option.palette.brush(group, _ROLE.Highlight)),
            text=QColor(option.palette.color(group, _ROLE.Text)),
            highlighted_text=QColor(option.palette.color(group, _ROLE.HighlightedText)),
            icon_mode=QIcon.Mode.Disabled if not enabled else QIcon.Mode.Normal,
            focused=view.hasFocus(),
            focus_left=-header.offset(),
            focus_width=header.length(),
        )
        return True

    def paint(
        self,
        painter: QPainter,
        top: int,
        video: Video,
        row: int,
        selected: bool,
        current: bool,
        progress: float | None = None,
    ) -> None:
        """Paint ``video``'s row, at ``row`` of its chapter, with its top at ``top``; an upload's
        ``progress`` (0 to 1) shows as a bar instead of the status."""
        frame = self._frame
        assert frame is not None
        height = frame.height
        if selected:
            painter.fillRect(
                QRect(frame.left, top, frame.right - frame.left, height), frame.highlight
            )
        painter.save()
        painter.setFont(frame.font)
        paint_numbered_title(
            painter,
            frame.title.translated(0, top),
            frame.metrics,
            frame.palette,
            selected,
            row + 1,
            video.title,
        )
        painter.setPen(frame.highlighted_text if selected else frame.text)
        status = frame.status if progress is None else None
        for cell, text in (
            (frame.duration, format_duration(video.duration_s)),
            (frame.size, format_size(video.size_bytes)),
            (status, status_label(video.status)),
        ):
            if cell is None:
                continue
            rect = cell.text_rect.translated(0, top)
            painter.drawText(rect, cell.align, frame.metrics.elidedText(text, _ELIDE, rect.width()))
        if status is not None:
            icon = (
                notes_icon()
                if video.notes and video.status is _READY
                else status_icon(video.status)
            )
            mode = (
                QIcon.Mode.Selected
                if selected and frame.icon_mode is QIcon.Mode.Normal
                else frame.icon_mode
            )
            icon.paint(painter, frame.icon_rect.translated(0, top), frame.icon_align, mode)
        elif frame.status is not None and progress is not None:
            paint_progress(
                painter, frame.status_cell.translated(0, top), frame.palette, selected, progress
            )
        painter.restore()
        if current and frame.focused:
            self._paint_focus(painter, frame, top, selected)

    def _paint_focus(self, painter: QPainter, frame: _Frame, top: int, selected: bool) -> None:
        view = self._view
        focus = QStyleOptionFocusRect()
        focus.initFrom(view)
        focus.state |= QStyle.StateFlag.State_KeyboardFocusChange
        group = QPalette.ColorGroup.Normal if view.isEnabled() else QPalette.ColorGroup.Disabled
        focus.backgroundColor = view.palette().color(
            group, _ROLE.Highlight if selected else _ROLE.Window
        )
        focus.rect = QRect(frame.focus_left, top, frame.focus_width, frame.height)
        view.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus, painter)
