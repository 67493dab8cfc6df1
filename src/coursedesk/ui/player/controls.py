"""The transport bar under the picture: play/pause, frame steps, time and seek slider,
speed, mute and volume, full screen. It only shows state and reports intent; the pane
decides what a click does to the player."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QWidget,
)

from coursedesk.ui.resources import icon

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def format_clock(ms: int) -> str:
    """'0:07', '12:04', '1:02:33' from milliseconds."""
    total = max(0, ms) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def speed_label(rate: float) -> str:
    return f"{rate:g}\N{MULTIPLICATION SIGN}"


class TransportBar(QWidget):
    """Buttons and sliders; signals carry what the instructor asked for."""

    play_toggled = Signal()
    step_requested = Signal(int)  # -1: one frame back, +1: one frame forward
    seek_requested = Signal(int)  # milliseconds
    speed_chosen = Signal(float)
    volume_changed = Signal(float)  # 0.0 … 1.0
    mute_toggled = Signal(bool)
    full_screen_toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playerControls")
        # Our own signs, drawn in the theme's colours (the style's are dark grey on any theme).
        self._play_icon = icon("media-play")
        self._pause_icon = icon("media-pause")
        self._volume_icon = icon("media-volume")
        self._muted_icon = icon("media-volume-muted")

        self.play_button = self._button("playButton", "Play (Space)", self._play_icon)
        self.back_button = self._button(
            "frameBackButton",
            "One frame back (,)",
            icon("media-frame-back"),
        )
        self.forward_button = self._button(
            "frameForwardButton",
            "One frame forward (.)",
            icon("media-frame-forward"),
        )
        self.time_label = QLabel(self._clock_text(0, 0))
        self.time_label.setObjectName("playerTime")
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("00:00:00 / 00:00:00"))
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("playerSeek")
        self.slider.setAccessibleName("Position")
        self.slider.setRange(0, 0)
        self.slider.setSingleStep(1000)
        self.slider.setPageStep(5000)
        # The position is what the bar is for: it keeps room to aim at even in a narrow dock.
        self.slider.setMinimumWidth(96)
        self.speed = QComboBox()
        self.speed.setObjectName("playerSpeed")
        self.speed.setAccessibleName("Playback speed")
        self.speed.setToolTip("Playback speed (J slower, L faster)")
        for rate in SPEEDS:
            self.speed.addItem(speed_label(rate), rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mute_button = self._button("muteButton", "Mute (M)", self._volume_icon)
        self.mute_button.setCheckable(True)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setObjectName("playerVolume")
        self.volume.setAccessibleName("Volume")
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setFixedWidth(64)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.full_screen_button = self._button(
            "fullScreenButton",
            "Full screen (F)",
            icon("view-fullscreen"),
        )

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        for widget in (self.play_button, self.back_button, self.forward_button):
            layout.addWidget(widget)
        layout.addWidget(self.time_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.speed)
        layout.addWidget(self.mute_button)
        layout.addWidget(self.volume)
        layout.addWidget(self.full_screen_button)

        self.play_button.clicked.connect(self.play_toggled)
        self.back_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.forward_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.slider.sliderMoved.connect(self.seek_requested)
        self.slider.actionTriggered.connect(self._slider_action)
        self.speed.currentIndexChanged.connect(
            lambda i: self.speed_chosen.emit(float(self.speed.itemData(i)))
        )
        self.mute_button.toggled.connect(self._muted)
        self.volume.valueChanged.connect(lambda v: self.volume_changed.emit(v / 100))
        self.full_screen_button.clicked.connect(self.full_screen_toggled)

    def _button(self, name: str, tip: str, icon: object) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(tip.split(" (")[0])
        button.setIcon(icon)  # type: ignore[arg-type]  # a QIcon from the style
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    @staticmethod
    def _clock_text(position_ms: int, duration_ms: int) -> str:
        return f"{format_clock(position_ms)} / {format_clock(duration_ms)}"

    # ------------------------------------------------------------------ showing state

    def show_playing(self, playing: bool) -> None:
        self.play_button.setIcon(self._pause_icon if playing else self._play_icon)
        tip = "Pause (Space)" if playing else "Play (Space)"
        self.play_button.setToolTip(tip)
        self.play_button.setAccessibleName(tip.split(" (")[0])

    def show_position(self, position_ms: int) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(position_ms)
        self.time_label.setText(self._clock_text(position_ms, self.slider.maximum()))

    def show_duration(self, duration_ms: int) -> None:
        self.slider.setRange(0, max(0, duration_ms))
        self.time_label.setText(self._clock_text(self.slider.value(), duration_ms))

    def show_speed(self, rate: float) -> None:
        index = self.speed.findData(rate)
        if index >= 0 and index != self.speed.currentIndex():
            self.speed.blockSignals(True)
            self.speed.setCurrentIndex(index)
            self.speed.blockSignals(False)

    def show_muted(self, muted: bool) -> None:
        self.mute_button.blockSignals(True)
        self.mute_button.setChecked(muted)
        self.mute_button.blockSignals(False)
        self.mute_button.setIcon(self._muted_icon if muted else self._volume_icon)

    def _muted(self, muted: bool) -> None:
        self.show_muted(muted)
        self.mute_toggled.emit(muted)

    def _slider_action(self, action: int) -> None:
        # Clicks on the groove and keyboard steps move the slider without sliderMoved.
        if action != QSlider.SliderAction.SliderMove.value:
            self.seek_requested.emit(self.slider.sliderPosition())
