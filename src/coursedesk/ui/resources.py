"""The window's icons: SVGs shipped in ``resources/icons``, else the desktop theme's.

One loader, so a missing file degrades to a theme icon (or none) instead of an error. The SVGs
are drawn for light windows; each icon is drawn anew in the application's current palette
(``theme.icon_recolouring``), so it stays visible when the theme turns dark, live.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from coursedesk.ui.theme import icon_recolouring


def _resource_dir() -> Path:
    # The packaged app carries resources/ in its bundle folder (packaging/coursedesk.spec);
    # a checkout has it at the repository's top.
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[3] / "resources"


RESOURCE_DIR = _resource_dir()
ICON_DIR = RESOURCE_DIR / "icons"
APP_ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)

# Our icon name -> the freedesktop theme name to fall back on.
_THEME_NAMES = {
    "course-new": "document-new",
    "course-rename": "edit-rename",
    "course-delete": "edit-delete",
    "course-switch": "go-jump",
    "edit-undo": "edit-undo",
    "edit-redo": "edit-redo",
    "trash-restore": "edit-undo",
    "trash-empty": "edit-delete",
    "panel-trash": "user-trash",
    "panel-history": "document-open-recent",
    "settings": "preferences-system",
    "settings-appearance": "preferences-desktop-theme",
    "settings-library": "folder",
}


_DISABLED_OPACITY = 0.38
_PIXMAP_CACHE_LIMIT = 64


class ThemedSvgEngine(QIconEngine):
    """Draws one SVG in the colours of the application's palette at the time of drawing."""

    def __init__(self, svg: str) -> None:
        super().__init__()
        self._svg = svg
        self._renderers: dict[tuple[tuple[str, str], ...], QSvgRenderer] = {}
        self._pixmaps: dict[tuple[object, ...], QPixmap] = {}

    def _colours(self, mode: QIcon.Mode) -> tuple[tuple[str, str], ...]:
        palette = QGuiApplication.palette()
        if mode is QIcon.Mode.Selected:
            # On the selection's colour every stroke takes the selected text's colour.
            ink = palette.color(QPalette.ColorRole.HighlightedText).name()
            found = re.findall(r"#[0-9a-fA-F]{6}\b", self._svg)
            return tuple(sorted({colour: ink for colour in found if colour != "#ffffff"}.items()))
        return tuple(sorted(icon_recolouring(palette).items()))

    def _renderer(self, colours: tuple[tuple[str, str], ...]) -> QSvgRenderer:
        renderer = self._renderers.get(colours)
        if renderer is None:
            text = self._svg
            for old, new in colours:
                text = text.replace(old, new)
            renderer = QSvgRenderer(QByteArray(text.encode("utf-8")))
            self._renderers[colours] = renderer
        return renderer

    def _draw(
        self,
        painter: QPainter,
        rect: QRectF,
        mode: QIcon.Mode,
        colours: tuple[tuple[str, str], ...],
    ) -> None:
        if mode is QIcon.Mode.Disabled:
            painter.setOpacity(_DISABLED_OPACITY)
        self._renderer(colours).render(painter, rect)

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        self._draw(painter, QRectF(rect), mode, self._colours(mode))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        colours = self._colours(mode)
        key = (size.width(), size.height(), mode, scale, colours)
        cached = self._pixmaps.get(key)
        if cached is not None:
            return cached
        if len(self._pixmaps) > _PIXMAP_CACHE_LIMIT:
            self._pixmaps.clear()
        device = QSize(round(size.width() * scale), round(size.height() * scale))
        result = QPixmap(device)
        result.fill(Qt.GlobalColor.transparent)
        painter = QPainter(result)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._draw(painter, QRectF(QRect(QPoint(0, 0), device)), mode, colours)
        finally:
            painter.end()
        result.setDevicePixelRatio(scale)
        self._pixmaps[key] = result
        return result

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return size

    def clone(self) -> QIconEngine:
        return ThemedSvgEngine(self._svg)

    def key(self) -> str:
        return "coursedesk-themed-svg"


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name`` (a file stem in ``resources/icons``), drawn in the current
    theme's colours."""
    path = ICON_DIR / f"{name}.svg"
    try:
        svg = path.read_text(encoding="utf-8")
    except OSError:
        return QIcon.fromTheme(_THEME_NAMES.get(name, name))
    return QIcon(ThemedSvgEngine(svg))


@cache
def app_icon() -> QIcon:
    """CourseDesk's own icon: the SVG, with the rendered PNGs for the small sizes."""
    app_dir = ICON_DIR / "app"
    result = QIcon()
    for size in APP_ICON_SIZES:
        png = app_dir / f"coursedesk-{size}.png"
        if png.is_file():
            result.addFile(str(png), QSize(size, size))
    svg = app_dir / "coursedesk.svg"
    if result.isNull() and svg.is_file():
        result.addFile(str(svg))
    return result
