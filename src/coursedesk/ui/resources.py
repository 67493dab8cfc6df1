"""The window's icons: SVGs shipped in ``resources/icons``, else the desktop theme's.

One loader, so a missing file degrades to a theme icon (or none) instead of an error.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon


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
}


@cache
def icon(name: str) -> QIcon:
    """The icon called ``name`` (a file stem in ``resources/icons``)."""
    path = ICON_DIR / f"{name}.svg"
    if path.is_file():
        return QIcon(str(path))
    return QIcon.fromTheme(_THEME_NAMES.get(name, name))


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
