"""The light and dark palettes read well, accents and icons follow the palette, and the
keeper puts the chosen theme on the application."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from coursedesk.preferences import Theme
from coursedesk.ui.app_style import CourseDeskStyle
from coursedesk.ui.resources import ICON_DIR, icon
from coursedesk.ui.theme import (
    apply_theme,
    dark_palette,
    is_dark,
    light_palette,
    theme_colours,
    theme_keeper,
)

Role = QPalette.ColorRole


@pytest.fixture(autouse=True)
def _as_it_was(qapp: QApplication) -> Iterator[None]:
    palette = qapp.palette()
    yield
    keeper = theme_keeper(qapp)
    if keeper is not None:
        keeper.setParent(None)
        keeper.deleteLater()
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio, 1 (none) to 21 (black on white)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


PALETTES = {"light": light_palette, "dark": dark_palette}


@pytest.mark.parametrize("name", PALETTES)
def test_text_reads_easily_on_every_background(name: str) -> None:
    palette = PALETTES[name]()
    for text, background in [
        (Role.Text, Role.Base),
        (Role.Text, Role.AlternateBase),
        (Role.WindowText, Role.Window),
        (Role.ButtonText, Role.Button),
        (Role.HighlightedText, Role.Highlight),
        (Role.ToolTipText, Role.ToolTipBase),
    ]:
        ratio = contrast(palette.color(text), palette.color(background))
        assert ratio >= 4.5, f"{name}: {text.name} on {background.name} is {ratio:.1f}:1"
    hint = contrast(palette.color(Role.PlaceholderText), palette.color(Role.Base))
    assert hint >= 3.0, f"{name}: placeholder text is {hint:.1f}:1"
    link = contrast(palette.color(Role.Link), palette.color(Role.Base))
    assert link >= 4.5, f"{name}: links are {link:.1f}:1"


@pytest.mark.parametrize("name", PALETTES)
def test_disabled_text_is_dimmer_but_still_there(name: str) -> None:
    palette = PALETTES[name]()
    group = QPalette.ColorGroup
    active = palette.color(group.Active, Role.Text)
    disabled = palette.color(group.Disabled, Role.Text)
    base = palette.color(Role.Base)
    assert contrast(disabled, base) < contrast(active, base)
    assert contrast(disabled, base) >= 2.0


@pytest.mark.parametrize("name", PALETTES)
def test_accents_stand_out_from_the_views_they_are_drawn_on(name: str) -> None:
    palette = PALETTES[name]()
    colours = theme_colours(palette)
    for accent in (colours.accent, colours.success, colours.warning, colours.danger):
        assert contrast(accent, palette.color(Role.Base)) >= 3.0, accent.name()
        # Progress bars sit on a track of the Mid colour.
        assert contrast(accent, palette.color(Role.Mid)) >= 1.5, accent.name()


def test_the_palettes_know_which_is_which() -> None:
    assert is_dark(dark_palette())
    assert not is_dark(light_palette())
    assert theme_colours(dark_palette()) != theme_colours(light_palette())


def _ink_lightness(picture: QIcon) -> int:
    """How light the strokes of an icon are drawn (its most opaque pixels)."""
    image = picture.pixmap(QSize(48, 48)).toImage()
    strokes = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    assert strokes, "the icon drew nothing"
    return round(sum(c.lightness() for c in strokes) / len(strokes))


@pytest.mark.parametrize("name", sorted(p.stem for p in ICON_DIR.glob("*.svg")))
def test_every_icon_stays_visible_on_a_dark_window(qapp: QApplication, name: str) -> None:
    apply_theme(qapp, Theme.LIGHT)
    window = qapp.palette().color(Role.Window)
    light_ink = _ink_lightness(icon(name))
    apply_theme(qapp, Theme.DARK)
    dark_window = qapp.palette().color(Role.Window)
    dark_ink = _ink_lightness(icon(name))
    assert abs(light_ink - window.lightness()) > 80, "hard to see on the light window"
    assert abs(dark_ink - dark_window.lightness()) > 80, "hard to see on the dark window"


def test_follow_system_takes_the_desktops_scheme_and_its_changes(qapp: QApplication) -> None:
    keeper = apply_theme(qapp, Theme.SYSTEM)
    heard: list[bool] = []
    keeper.applied.connect(heard.append)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert keeper.dark and is_dark(qapp.palette())
    assert keeper.system_dark
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not keeper.dark and not is_dark(qapp.palette())
    assert heard == [True, False]


def test_applying_again_reuses_the_one_keeper(qapp: QApplication) -> None:
    first = apply_theme(qapp, Theme.DARK)
    second = apply_theme(qapp, Theme.LIGHT)
    assert first is second
    assert second.theme is Theme.LIGHT
    style = qapp.style()
    assert isinstance(style, CourseDeskStyle)
    assert style.baseStyle().name().lower() == "fusion"
