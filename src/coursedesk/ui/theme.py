"""The application's look: Qt's Fusion style (with flat scroll bars, see ``app_style``) and
CourseDesk's calm light or dark palette.

``apply_theme(app, theme)`` sets it for the whole application; "Follow system" reads the
desktop's colour scheme (``QStyleHints.colorScheme``) and follows it when it changes. Views
that paint their own colours take them from the palette, or from ``theme_colours`` for the
few accents a palette has no role for (progress, success, warning, danger), so every view
reads well in both.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from coursedesk.preferences import Theme
from coursedesk.ui.app_style import CourseDeskStyle

Role = QPalette.ColorRole

_LIGHT: dict[QPalette.ColorRole, str] = {
    Role.Window: "#f3f4f6",
    Role.WindowText: "#1f2328",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f7f8fa",
    Role.ToolTipBase: "#fffbe6",
    Role.ToolTipText: "#1f2328",
    Role.PlaceholderText: "#8a8f98",
    Role.Text: "#1f2328",
    Role.Button: "#eceef1",
    Role.ButtonText: "#1f2328",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#2f6fd0",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1f6fd1",
    Role.LinkVisited: "#6f42c1",
    Role.Light: "#ffffff",
    Role.Midlight: "#e3e6ea",
    Role.Mid: "#c9cdd3",
    Role.Dark: "#a3a8b0",
    Role.Shadow: "#6b7078",
    Role.Accent: "#2f6fd0",
}

_LIGHT_DISABLED: dict[QPalette.ColorRole, str] = {
    Role.WindowText: "#9aa0a8",
    Role.Text: "#9aa0a8",
    Role.ButtonText: "#9aa0a8",
    Role.Highlight: "#b7c3d6",
}

# The same calm, slightly blue greys, turned down: views (Base) a step darker than the
# window around them, as on most dark desktops; text a soft white, not pure white.
_DARK: dict[QPalette.ColorRole, str] = {
    Role.Window: "#25272c",
    Role.WindowText: "#e3e5e8",
    Role.Base: "#1c1e22",
    Role.AlternateBase: "#222429",
    Role.ToolTipBase: "#30333a",
    Role.ToolTipText: "#e3e5e8",
    Role.PlaceholderText: "#8d939c",
    Role.Text: "#e3e5e8",
    Role.Button: "#31343a",
    Role.ButtonText: "#e3e5e8",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#3574d4",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#6ea8fe",
    Role.LinkVisited: "#b392f0",
    Role.Light: "#464a52",
    Role.Midlight: "#393c43",
    Role.Mid: "#4a4e56",
    Role.Dark: "#17181b",
    Role.Shadow: "#0c0d0f",
    Role.Accent: "#3574d4",
}

_DARK_DISABLED: dict[QPalette.ColorRole, str] = {
    Role.WindowText: "#6c717a",
    Role.Text: "#6c717a",
    Role.ButtonText: "#6c717a",
    Role.Button: "#2b2e33",
    Role.Highlight: "#35404f",
}


def _build(
    roles: dict[QPalette.ColorRole, str], disabled: dict[QPalette.ColorRole, str]
) -> QPalette:
    result = QPalette()
    for role, colour in roles.items():
        result.setColor(role, QColor(colour))
    for role, colour in disabled.items():
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return result


def light_palette() -> QPalette:
    return _build(_LIGHT, _LIGHT_DISABLED)


def dark_palette() -> QPalette:
    return _build(_DARK, _DARK_DISABLED)


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` is a dark one (light text on dark windows)."""
    return palette.color(Role.Window).lightness() < palette.color(Role.WindowText).lightness()


@dataclass(frozen=True, slots=True)
class ThemeColours:
    """Accents a palette has no role for, tuned to read on its windows and views."""

    accent: QColor  # progress bars, links drawn by hand
    success: QColor
    warning: QColor
    danger: QColor
    muted: QColor


_LIGHT_COLOURS = ThemeColours(
    accent=QColor("#1f6fd1"),
    success=QColor("#2e9d4f"),
    warning=QColor("#c27c00"),
    danger=QColor("#d93a3a"),
    muted=QColor("#8a8f98"),
)
_DARK_COLOURS = ThemeColours(
    accent=QColor("#4c8df0"),
    success=QColor("#3fb950"),
    warning=QColor("#e3a52a"),
    danger=QColor("#f85149"),
    muted=QColor("#8d939c"),
)


def theme_colours(palette: QPalette) -> ThemeColours:
    """The accents that go with ``palette`` (a widget's or a style option's)."""
    return _DARK_COLOURS if is_dark(palette) else _LIGHT_COLOURS


# The SVG icons in resources/ are drawn in one ink and a few accents for light windows; on a
# dark palette they are recoloured (see resources.icon) so they stay visible.
ICON_INK = "#37474f"
_DARK_ICON_ACCENTS = {
    "#1565c0": "#6ea8fe",
    "#1f6fd1": "#6ea8fe",
    "#2e7d32": "#56c26a",
    "#c62828": "#ff7b72",
}


def icon_recolouring(palette: QPalette) -> dict[str, str]:
    """SVG colour -> the colour to draw it in with ``palette`` (empty: as drawn)."""
    if not is_dark(palette):
        return {}
    return {ICON_INK: palette.color(Role.ButtonText).name(), **_DARK_ICON_ACCENTS}


class ThemeKeeper(QObject):
    """Keeps the application in the chosen theme; one per application (see ``apply_theme``)."""

    # The palette changed; carries whether it is the dark one.
    applied = Signal(bool)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("themeKeeper")
        self._app = app
        self._theme = Theme.SYSTEM
        self._system = app.styleHints().colorScheme()
        self._dark: bool | None = None
        app.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def dark(self) -> bool:
        """Whether the dark palette is in use now."""
        return bool(self._dark)

    @property
    def system_dark(self) -> bool:
        """Whether the desktop was last known to be dark."""
        return self._system is Qt.ColorScheme.Dark

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        hints = self._app.styleHints()
        if theme is Theme.SYSTEM:
            # Let the desktop decide again (an explicit choice may have overridden it).
            hints.unsetColorScheme()
            self._system = hints.colorScheme()
        else:
            # Window frames and native dialogs follow on platforms that allow it.
            hints.setColorScheme(
                Qt.ColorScheme.Dark if theme is Theme.DARK else Qt.ColorScheme.Light
            )
        self._apply()

    def _system_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self._theme is not Theme.SYSTEM:
            return  # our own explicit choice echoing back, or ignored while one holds
        self._system = scheme
        self._apply()

    def _wants_dark(self) -> bool:
        if self._theme is Theme.SYSTEM:
            return self._system is Qt.ColorScheme.Dark
        return self._theme is Theme.DARK

    def _apply(self) -> None:
        dark = self._wants_dark()
        if dark == self._dark:
            return
        self._dark = dark
        self._app.setPalette(dark_palette() if dark else light_palette())
        self.applied.emit(dark)


def theme_keeper(app: QApplication) -> ThemeKeeper | None:
    """The application's keeper, once ``apply_theme`` has run."""
    return app.findChild(ThemeKeeper, "themeKeeper", Qt.FindChildOption.FindDirectChildrenOnly)


def apply_theme(app: QApplication, theme: Theme = Theme.SYSTEM) -> ThemeKeeper:
    """Fusion with CourseDesk's palette for ``theme``: call before the first window is shown,
    and again whenever the instructor picks another theme."""
    if not isinstance(app.style(), CourseDeskStyle):
        app.setStyle(CourseDeskStyle())
    keeper = theme_keeper(app) or ThemeKeeper(app)
    keeper.set_theme(theme)
    return keeper


def application_is_dark() -> bool:
    """Whether the application's palette is a dark one now."""
    return is_dark(QGuiApplication.palette())
