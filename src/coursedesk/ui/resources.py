"""The window's icons: SVGs shipped in ``resources/icons``, else the desktop theme's.

One loader, so a missing file degrades to a theme icon (or none) instead of an error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_DIR = Path(__file__).resolve().parents[3] / "resources" / "icons"

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
