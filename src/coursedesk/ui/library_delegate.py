"""How one video looks in the media library grid: a card with its thumbnail (or a placeholder
tile), duration badge, status mark or upload progress, title on up to two lines and its chapter.

Painting is on the keystroke path (a search repaints every visible card), so everything that
can be is cached: placeholder tiles per colour and size, scaled thumbnails, elided titles.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QTextLayout,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.ui.chapter_tree_model import StatusRole, VideoIdRole
from coursedesk.ui.icons import notes_icon
from coursedesk.ui.item_pictures import ItemPictures
from coursedesk.ui.library_model import (
    ChapterLabelRole,
    DurationTextRole,
    LibraryModel,
    NotesRole,
    ProgressRole,
    ThumbnailRole,
)

AnyIndex = QModelIndex | QPersistentModelIndex

CELL_WIDTH = 176
# Cards whose chapter line is remembered at most (a few screens' worth).
_PLACES_KEPT = 1_000
_MARGIN = 3  # between the cell and the card
_PAD = 6  # inside the card
_THUMB_RATIO = 9 / 16
_RADIUS = 6.0

# Muted dark tints for placeholder tiles: a video keeps its tint, neighbours differ.
_TINTS = (
    ("#39404f", "#23272f"),
    ("#3b4a4a", "#222b2c"),
    ("#4a3f4d", "#2a232c"),
    ("#4b4536", "#2b2820"),
    ("#36455a", "#1f2733"),
    ("#483a3a", "#2b2222"),
)

STATUS_COLOURS = {
    VideoStatus.PROCESSING: QColor("#9aa4b1"),
    VideoStatus.READY: QColor("#58a6ff"),
    VideoStatus.QUEUED: QColor("#e3b341"),
    VideoStatus.UPLOADING: QColor("#388bfd"),
    VideoStatus.UPLOADED: QColor("#3fb950"),
    VideoStatus.FAILED: QColor("#f85149"),
    VideoStatus.MISSING: QColor("#f0883e"),
}
STATUS_WORDS = {
    VideoStatus.PROCESSING: "Processing",
    VideoStatus.READY: "Ready",
    VideoStatus.QUEUED: "Queued",
    VideoStatus.UPLOADING: "Uploading",
    VideoStatus.UPLOADED: "Uploaded",
    VideoStatus.FAILED: "Failed",
    VideoStatus.MISSING: "Missing",
}
# Statuses that need the instructor: they get a labelled pill, not just a dot.
_LOUD = frozenset({VideoStatus.FAILED, VideoStatus.MISSING})

_CACHE_LIMIT = 2048
_SELECTED_ALPHA = 48
_HOVER_ALPHA = 16


def paint_play_glyph(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
    """A play button: a soft disc with a rounded triangle, in ``colour``."""
    disc = QColor(colour)
    disc.setAlpha(colour.alpha() // 4)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(disc)
    painter.drawEllipse(centre, radius, radius)
    side = radius * 0.95
    triangle = QPolygonF(
        [
            QPointF(centre.x() - side * 0.35, centre.y() - side * 0.5),
            QPointF(centre.x() - side * 0.35, centre.y() + side * 0.5),
            QPointF(centre.x() + side * 0.5, centre.y()),
        ]
    )
    painter.setBrush(colour)
    pen = QPen(colour, radius * 0.12)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.drawPolygon(triangle)


def blend(over: QColor, alpha: int, under: QColor) -> QColor:
    """``over`` at ``alpha`` (0-255) painted on the opaque ``under``."""
    a = alpha / 255
    return QColor(
        round(over.red() * a + under.red() * (1 - a)),
        round(over.green() * a + under.green() * (1 - a)),
        round(over.blue() * a + under.blue() * (1 - a)),
    )


def placeholder_tile(
    size: QSize, tint: int, device_pixel_ratio: float = 1.0, background: QColor | None = None
) -> QPixmap:
    """A rounded dark tile with film-strip perforations and a play glyph.

    With a ``background`` the corners are filled with it and the pixmap is opaque, which
    draws several times faster than one with an alpha channel.
    """
    width, height = size.width(), size.height()
    pixmap = QPixmap(round(width * device_pixel_ratio), round(height * device_pixel_ratio))
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    pixmap.fill(background if background is not None else Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(0, 0, width, height)
    path = QPainterPath()
    path.addRoundedRect(rect, _RADIUS, _RADIUS)
    top, bottom = _TINTS[tint % len(_TINTS)]
    gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
    gradient.setColorAt(0.0, QColor(top))
    gradient.setColorAt(1.0, QColor(bottom))
    painter.fillPath(path, gradient)
    painter.setClipPath(path)
    # Film-strip perforations along both long edges.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(255, 255, 255, 20))
    hole_w, hole_h, step = 7.0, 4.5, 13.0
    x = 5.0
    while x + hole_w < width - 3:
        painter.drawRoundedRect(QRectF(x, 4, hole_w, hole_h), 1.2, 1.2)
        painter.drawRoundedRect(QRectF(x, height - 4 - hole_h, hole_w, hole_h), 1.2, 1.2)
        x += step
    paint_play_glyph(painter, rect.center(), min(width, height) * 0.17, QColor(255, 255, 255, 215))
    painter.end()
    return pixmap


# The states a card's look depends on (selection, hover and focus are drawn; active and
# enabled pick the palette's colours).
_S = QStyle.StateFlag
_LOOK_STATES = (
    _S.State_Selected | _S.State_MouseOver | _S.State_HasFocus | _S.State_Active | _S.State_Enabled
)


def _group(state: int) -> QPalette.ColorGroup:
    if not state & _S.State_Enabled.value:
        return QPalette.ColorGroup.Disabled
    if state & _S.State_Active.value:
        return QPalette.ColorGroup.Active
    return QPalette.ColorGroup.Inactive


@dataclass(frozen=True, slots=True)
class _CardLook:
    """Everything a card shows and is painted with (see ``item_pictures``)."""

    video: Video
    thumbnail: int
    label: str | None
    width: int
    height: int
    state: int
    palette: int
    font: str
    pixel_ratio: float


class LibraryDelegate(QStyledItemDelegate):
    """Paints a video card; every card has the same size (the view's grid)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tiles: dict[tuple[int, int, int, float, int], QPixmap] = {}
        self._thumbs: dict[tuple[int, int, int, float, int], QPixmap] = {}
        self._titles: dict[tuple[str, int, str], tuple[str, ...]] = {}
        self._font_key = ""
        # Hover scrubbing (ui/player/scrub.py): a storyboard tile to paint instead of the
        # thumbnail while the pointer moves across it, or None.
        self.scrub_frame_for: Callable[[AnyIndex], QImage | None] | None = None
        # The view widens the cells so a row of cards fills its width.
        self.cell_width = CELL_WIDTH
        # The chapter line each card on screen shows, by video id (the view repaints only the
        # cards whose line changed after videos moved); None: not known.
        self.places_shown: dict[str, str | None] | None = {}
        # Cards as last painted (a card painted again unchanged is one copy of pixels).
        self._pictures = ItemPictures()
        self._font = QFont()
        self._small = QFont()
        self._badge = QFont()
        self._line_h = 0
        self._small_h = 0
        self._badge_metrics = QFontMetrics(self._badge)
        self._small_metrics = QFontMetrics(self._small)

    # ------------------------------------------------------------------ geometry

    def cell_size(self, font: QFont, width: int = CELL_WIDTH) -> QSize:
        """The grid cell for ``font`` and ``width``: the thumbnail, two title lines and the
        chapter line."""
        self._use_font(font)
        inner = width - 2 * (_MARGIN + _PAD)
        height = (
            2 * (_MARGIN + _PAD)
            + round(inner * _THUMB_RATIO)
            + 6
            + 2 * self._line_h
            + 4
            + self._small_h
            + 2
        )
        return QSize(width, height)

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return self.cell_size(option.font, self.cell_width)

    def _use_font(self, font: QFont) -> None:
        key = font.key()
        if key == self._font_key:
            return
        self._font_key = key
        self._font = QFont(font)
        self._small = QFont(font)
        self._small.setPointSizeF(max(font.pointSizeF() * 0.86, 7.0))
        self._badge = QFont(self._small)
        self._badge.setWeight(QFont.Weight.DemiBold)
        self._line_h = QFontMetrics(self._font).height()
        self._small_metrics = QFontMetrics(self._small)
        self._small_h = self._small_metrics.height()
        self._badge_metrics = QFontMetrics(self._badge)
        self._titles.clear()

    # ------------------------------------------------------------------ painting

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        look = self._look(option, index)
        if look is None:
            self._paint_now(painter, option, index)
            return
        opt: Any = option
        self._pictures.paint(
            painter,
            opt.rect,
            look.video.id,
            look,
            opt.palette.color(_group(look.state), QPalette.ColorRole.Base),
            look.pixel_ratio,
            lambda canvas: self._paint_now(canvas, option, index),
        )
        self._note_place(look.video.id, look.label)

    def _note_place(self, video_id: str, label: object) -> None:
        shown = self.places_shown
        if shown is None:
            return
        if len(shown) >= _PLACES_KEPT and video_id not in shown:
            self.places_shown = None  # scrolled far: the view repaints every card instead
        else:
            shown[video_id] = label if isinstance(label, str) else None

    def _look(self, option: QStyleOptionViewItem, index: AnyIndex) -> _CardLook | None:
        """What the card shows and is painted with, for its kept picture; None for a card
        that changes by itself (uploading, being scrubbed) or can't be told from the model."""
        model = index.model()
        if not isinstance(model, LibraryModel):
            return None
        video = model.video_at(index.row())
        if video is None or video.status is VideoStatus.UPLOADING:
            return None
        if self.scrub_frame_for is not None and self.scrub_frame_for(index) is not None:
            return None
        opt: Any = option
        thumbnail = model.thumbnail_of(video.id)
        device = opt.widget
        return _CardLook(
            video,
            thumbnail.cacheKey() if isinstance(thumbnail, QImage | QPixmap) else 0,
            model.chapter_label_of(video.id),
            opt.rect.width(),
            opt.rect.height(),
            (opt.state & _LOOK_STATES).value,
            opt.palette.cacheKey(),
            opt.font.key(),
            device.devicePixelRatioF() if device is not None else 1.0,
        )

    def _paint_now(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt: Any = option  # PySide's stubs omit QStyleOptionViewItem's inherited fields
        self._use_font(opt.font)
        palette: QPalette = opt.palette
        state = opt.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(opt.rect).adjusted(_MARGIN, _MARGIN, -_MARGIN, -_MARGIN)
        self._paint_card(painter, palette, card, selected, hovered, focused)
        under = self._card_colour(palette, selected, hovered)

        inner_w = card.width() - 2 * _PAD
        thumb = QRectF(
            card.left() + _PAD, card.top() + _PAD, inner_w, round(inner_w * _THUMB_RATIO)
        )
        video_id = index.data(VideoIdRole) or ""
        picture = index.data(ThumbnailRole)
        if self.scrub_frame_for is not None:
            picture = self.scrub_frame_for(index) or picture
        self._paint_thumbnail(painter, thumb, picture, video_id, under)
        duration = index.data(DurationTextRole)
        if duration:
            self._paint_duration(painter, thumb, duration)
        status = index.data(StatusRole)
        if isinstance(status, str) and status in STATUS_WORDS:  # a StrEnum arrives as str
            self._paint_status(painter, thumb, VideoStatus(status), index.data(ProgressRole))
        if index.data(NotesRole):
            # Import: pre-flight notes (high bitrate, no audio ...); the tooltip lists them.
            sign = QRectF(thumb.right() - 22, thumb.top() + 5, 17, 17)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 150))
            painter.drawEllipse(sign.adjusted(-1.5, -1.5, 1.5, 1.5))
            notes_icon().paint(painter, sign.toAlignedRect())

        text_top = thumb.bottom() + 6
        # The selection is a light tint of the card, so the title keeps the text colour.
        title_colour = palette.color(QPalette.ColorRole.Text)
        self._paint_title(painter, thumb.left(), text_top, inner_w, index.data(), title_colour)
        chapter_top = text_top + 2 * self._line_h + 4
        label = index.data(ChapterLabelRole)
        self._paint_chapter(
            painter, palette, QRectF(thumb.left(), chapter_top, inner_w, self._small_h), label
        )
        self._note_place(video_id, label)
        painter.restore()

    @staticmethod
    def _card_colour(palette: QPalette, selected: bool, hovered: bool) -> QColor:
        """The card's colour where the thumbnail's rounded corners let it show."""
        base = palette.color(QPalette.ColorRole.Base)
        if selected:
            return blend(palette.color(QPalette.ColorRole.Highlight), _SELECTED_ALPHA, base)
        if hovered:
            return blend(palette.color(QPalette.ColorRole.Text), _HOVER_ALPHA, base)
        return base

    def _paint_card(
        self,
        painter: QPainter,
        palette: QPalette,
        card: QRectF,
        selected: bool,
        hovered: bool,
        focused: bool,
    ) -> None:
        highlight = palette.color(QPalette.ColorRole.Highlight)
        if selected:
            fill = QColor(highlight)
            fill.setAlpha(_SELECTED_ALPHA)
            painter.setPen(QPen(highlight, 1.5))
            painter.setBrush(fill)
            painter.drawRoundedRect(card.adjusted(0.75, 0.75, -0.75, -0.75), 8, 8)
        elif hovered:
            fill = QColor(palette.color(QPalette.ColorRole.Text))
            fill.setAlpha(_HOVER_ALPHA)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 8, 8)
        if focused and not selected:
            ring = QColor(highlight)
            ring.setAlpha(140)
            painter.setPen(QPen(ring, 1.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(card.adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)

    def _paint_thumbnail(
        self, painter: QPainter, rect: QRectF, image: object, video_id: str, under: QColor
    ) -> None:
        device = painter.device()
        dpr = device.devicePixelRatioF() if device is not None else 1.0
        size = rect.size().toSize()
        pixmap: QPixmap | None = None
        if isinstance(image, QImage | QPixmap) and not image.isNull():
            pixmap = self._scaled_thumbnail(image, size, dpr, under)
        if pixmap is None:
            tint = zlib.crc32(video_id.encode()) % len(_TINTS)
            key = (tint, size.width(), size.height(), dpr, under.rgb())
            pixmap = self._tiles.get(key)
            if pixmap is None:
                if len(self._tiles) > _CACHE_LIMIT:
                    self._tiles.clear()
                pixmap = placeholder_tile(size, tint, dpr, under)
                self._tiles[key] = pixmap
        painter.drawPixmap(rect.topLeft(), pixmap)

    def _scaled_thumbnail(
        self, image: QImage | QPixmap, size: QSize, dpr: float, under: QColor
    ) -> QPixmap:
        key = (image.cacheKey(), size.width(), size.height(), dpr, under.rgb())
        cached = self._thumbs.get(key)
        if cached is not None:
            return cached
        if len(self._thumbs) > _CACHE_LIMIT:
            self._thumbs.clear()
        target = QSize(round(size.width() * dpr), round(size.height() * dpr))
        source = image if isinstance(image, QPixmap) else QPixmap.fromImage(image)
        scaled = source.scaled(
            target,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        # Centre-crop to the tile, then round its corners.
        x = (scaled.width() - target.width()) // 2
        y = (scaled.height() - target.height()) // 2
        cropped = scaled.copy(x, y, target.width(), target.height())
        result = QPixmap(target)
        result.fill(under)
        tile = QPainter(result)
        tile.setRenderHint(QPainter.RenderHint.Antialiasing)
        path = QPainterPath()
        path.addRoundedRect(
            QRectF(0, 0, target.width(), target.height()), _RADIUS * dpr, _RADIUS * dpr
        )
        tile.setClipPath(path)
        tile.drawPixmap(0, 0, cropped)
        tile.end()
        result.setDevicePixelRatio(dpr)
        self._thumbs[key] = result
        return result

    def _pill(
        self, painter: QPainter, rect: QRectF, fill: QColor, text: str, colour: QColor
    ) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2.6, rect.height() / 2.6)
        painter.setFont(self._badge)
        painter.setPen(colour)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_duration(self, painter: QPainter, thumb: QRectF, text: str) -> None:
        metrics = self._badge_metrics
        w = metrics.horizontalAdvance(text) + 10
        h = metrics.height() + 2
        rect = QRectF(thumb.right() - w - 5, thumb.bottom() - h - 5, w, h)
        self._pill(painter, rect, QColor(0, 0, 0, 175), text, QColor(255, 255, 255))

    def _paint_status(
        self, painter: QPainter, thumb: QRectF, status: VideoStatus, progress: object
    ) -> None:
        colour = STATUS_COLOURS[status]
        metrics = self._badge_metrics
        h = metrics.height() + 2
        if status is VideoStatus.UPLOADING and isinstance(progress, float | int):
            fraction = min(max(float(progress), 0.0), 1.0)
            bar = QRectF(thumb.left() + 6, thumb.bottom() - 9, thumb.width() - 12, 4)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 150))
            painter.drawRoundedRect(bar, 2, 2)
            if fraction > 0:
                painter.setBrush(colour)
                filled = QRectF(bar.left(), bar.top(), max(bar.width() * fraction, 4), 4)
                painter.drawRoundedRect(filled, 2, 2)
            text = f"{round(fraction * 100)}%"
            w = metrics.horizontalAdvance(text) + 10
            self._pill(
                painter,
                QRectF(thumb.left() + 5, thumb.top() + 5, w, h),
                QColor(0, 0, 0, 175),
                text,
                QColor(255, 255, 255),
            )
            return
        if status in _LOUD:
            text = STATUS_WORDS[status]
            w = metrics.horizontalAdvance(text) + 22
            rect = QRectF(thumb.left() + 5, thumb.top() + 5, w, h)
            self._pill(painter, rect, QColor(0, 0, 0, 190), "", colour)
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawEllipse(QPointF(rect.left() + 8, rect.center().y()), 3.5, 3.5)
            painter.setFont(self._badge)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(rect.adjusted(15, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, text)
            return
        centre = QPointF(thumb.left() + 12, thumb.top() + 12)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 150))
        painter.drawEllipse(centre, 7.0, 7.0)
        if status is VideoStatus.UPLOADED:
            painter.setBrush(colour)
            painter.drawEllipse(centre, 5.5, 5.5)
            pen = QPen(QColor(255, 255, 255), 1.6)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(centre.x() - 2.6, centre.y() + 0.1),
                        QPointF(centre.x() - 0.7, centre.y() + 2.0),
                        QPointF(centre.x() + 2.7, centre.y() - 2.1),
                    ]
                )
            )
            return
        painter.setBrush(colour)
        painter.drawEllipse(centre, 4.0, 4.0)

    def _paint_title(
        self,
        painter: QPainter,
        left: float,
        top: float,
        width: float,
        title: object,
        colour: QColor,
    ) -> None:
        if not isinstance(title, str):
            return
        lines = self._elided_title(title, int(width))
        painter.setFont(self._font)
        painter.setPen(colour)
        for n, line in enumerate(lines):
            painter.drawText(
                QRectF(left, top + n * self._line_h, width, self._line_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                line,
            )

    def _elided_title(self, title: str, width: int) -> tuple[str, ...]:
        key = (title, width, self._font_key)
        cached = self._titles.get(key)
        if cached is not None:
            return cached
        if len(self._titles) > _CACHE_LIMIT:
            self._titles.clear()
        metrics = QFontMetrics(self._font)
        if metrics.horizontalAdvance(title) <= width:
            lines: tuple[str, ...] = (title,)
        else:
            layout = QTextLayout(title, self._font)
            layout.beginLayout()
            first = layout.createLine()
            first.setLineWidth(width)
            end = first.textStart() + first.textLength()
            layout.endLayout()
            rest = title[end:].strip()
            head = title[:end].rstrip()
            tail = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
            lines = (head, tail) if rest else (head,)
        self._titles[key] = lines
        return lines

    def _paint_chapter(
        self, painter: QPainter, palette: QPalette, rect: QRectF, label: object
    ) -> None:
        subtle = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setFont(self._small)
        if isinstance(label, str):
            text = self._small_metrics.elidedText(
                label, Qt.TextElideMode.ElideRight, int(rect.width())
            )
            painter.setPen(subtle)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            return
        text = "Unassigned"
        w = self._small_metrics.horizontalAdvance(text) + 12
        chip = QRectF(rect.left(), rect.top(), w, rect.height()).adjusted(0, 0.5, 0, -0.5)
        accent = QColor(STATUS_COLOURS[VideoStatus.QUEUED])
        fill = QColor(accent)
        fill.setAlpha(34)
        border = QColor(accent)
        border.setAlpha(120)
        painter.setPen(QPen(border, 1.0))
        painter.setBrush(fill)
        painter.drawRoundedRect(chip, chip.height() / 2, chip.height() / 2)
        ink = palette.color(QPalette.ColorRole.Text)
        painter.setPen(ink)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
