"""The application's look: Qt's Fusion style with a calm light palette, the same everywhere."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_ROLES: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.Window: "#f3f4f6",
    QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f7f8fa",
    QPalette.ColorRole.ToolTipBase: "#fffbe6",
    QPalette.ColorRole.ToolTipText: "#1f2328",
    QPalette.ColorRole.PlaceholderText: "#8a8f98",
    QPalette.ColorRole.Text: "#1f2328",
    QPalette.ColorRole.Button: "#eceef1",
    QPalette.ColorRole.ButtonText: "#1f2328",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#2f6fd0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#1f6fd1",
    QPalette.ColorRole.Mid: "#c9cdd3",
    QPalette.ColorRole.Midlight: "#e3e6ea",
    QPalette.ColorRole.Dark: "#a3a8b0",
    QPalette.ColorRole.Shadow: "#6b7078",
}

_DISABLED: dict[QPalette.ColorRole, str] = {
    QPalette.ColorRole.WindowText: "#9aa0a8",
    QPalette.ColorRole.Text: "#9aa0a8",
    QPalette.ColorRole.ButtonText: "#9aa0a8",
    QPalette.ColorRole.Highlight: "#b7c3d6",
}


def palette() -> QPalette:
    result = QPalette()
    for role, colour in _ROLES.items():
        result.setColor(role, QColor(colour))
    for role, colour in _DISABLED.items():
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return result


def apply_theme(app: QApplication) -> None:
    """Fusion with CourseDesk's palette (call once, before the first window is shown)."""
    style = QStyleFactory.create("Fusion")
    if style is not None:
        app.setStyle(style)
    app.setPalette(palette())
