"""Pieces the item delegates that paint part of a cell themselves share.

Such a delegate has the style paint the cell's background, selection and focus (so it keeps
the platform's look) and then draws its own text or bar over it; the upload bars of the
chapter tree and the Uploads panel are drawn alike.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

AnyIndex = QModelIndex | QPersistentModelIndex

_ITEM = QStyle.ControlElement.CE_ItemViewItem


def paint_cell_frame(
    delegate: QStyledItemDelegate,
    painter: QPainter,
    option: QStyleOptionViewItem,
    index: AnyIndex,
    *,
    keep_icon: bool = True,
) -> tuple[QStyleOptionViewItem, str]:
    """Paint the cell's background, selection and focus as the style does, without its text
    (nor its sign unless ``keep_icon``); return the cell's option and the text it had."""
    opt = QStyleOptionViewItem(option)
    delegate.initStyleOption(opt, index)
    text = opt.text
    opt.text = ""
    if not keep_icon:
        opt.icon = QIcon()
    widget = opt.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawControl(_ITEM, opt, painter, widget)
    return opt, text


def colour_group(enabled: bool, active: bool) -> QPalette.ColorGroup:
    """The palette group a view's items are painted with, as the styles pick it."""
    if not enabled:
        return QPalette.ColorGroup.Disabled
    return QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive


def paint_bar(
    painter: QPainter, track: QRectF, palette: QPalette, fraction: float, fill: QColor
) -> None:
    """A slim rounded progress bar: ``fraction`` (0 to 1) of ``track`` filled with ``fill``."""
    radius = track.height() / 2
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(palette.color(QPalette.ColorRole.Mid))
    painter.drawRoundedRect(track, radius, radius)
    done = min(max(fraction, 0.0), 1.0)
    if done > 0:
        filled = QRectF(track)
        filled.setWidth(max(track.width() * done, track.height()))
        painter.setBrush(fill)
        painter.drawRoundedRect(filled, radius, radius)
    painter.restore()
