"""The welcome page: what the window shows while the library has no course.

A title, one paragraph on chapters and the library, and two ways in: create a course, or
open the sample course. While the sample is being made the buttons rest and a progress bar
says how far it is. Every colour comes from the palette, so it follows the theme.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coursedesk.ui.resources import app_icon

TITLE = "Welcome to CourseDesk"
TAGLINE = "Build a video course on your own computer; CourseDesk uploads it for you."
EXPLANATION = (
    "<b>Chapters</b> are your course's outline: the lessons students see, in order. "
    "The <b>library</b> holds every video of the course, whether it is in a chapter yet or "
    "not. Drag videos or whole folders from your file manager onto either one — a folder "
    "becomes a chapter — and CourseDesk uploads them to Backblaze B2 in the background "
    "while you keep working. Every edit is saved at once and can be undone."
)
CREATE_TEXT = "Create a course"
SAMPLE_TEXT = "Open sample course"
COLUMN_WIDTH = 600
ICON_SIZE = 72
BUTTON_HEIGHT = 44


class _Card(QFrame):
    """A rounded panel in the palette's base colour."""

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)
        painter.end()
        super().paintEvent(event)


class WelcomePage(QWidget):
    """``create_requested`` and ``sample_requested`` are the two buttons; the window decides."""

    create_requested = Signal()
    sample_requested = Signal()

    def __init__(self, create_keys: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.setAccessibleName("Welcome")

        self.logo = QLabel()
        self.logo.setObjectName("welcomeLogo")
        self.logo.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.logo.setPixmap(app_icon().pixmap(QSize(ICON_SIZE, ICON_SIZE)))
        self.title = QLabel(TITLE)
        self.title.setObjectName("welcomeTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title.setAccessibleName(TITLE)
        self.tagline = QLabel(TAGLINE)
        self.tagline.setObjectName("welcomeTagline")
        self.tagline.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.tagline.setWordWrap(True)
        self.tagline.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.explanation = QLabel(EXPLANATION)
        self.explanation.setObjectName("welcomeExplanation")
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setWordWrap(True)
        self.explanation.setForegroundRole(QPalette.ColorRole.Text)
        card = _Card()
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(22, 18, 22, 18)
        card_layout.addWidget(self.explanation)

        self.create_button = self._button(CREATE_TEXT, "createCourseButton")
        self.create_button.setToolTip(
            f"Start a new, empty course ({create_keys})" if create_keys else "Start a new course"
        )
        self.create_button.clicked.connect(self.create_requested)
        self.sample_button = self._button(SAMPLE_TEXT, "openSampleButton")
        self.sample_button.setToolTip(
            "Six short videos in three chapters, made on this computer, to try things out"
        )
        self.sample_button.clicked.connect(self.sample_requested)
        create_note = self._note(
            f"Start from scratch · {create_keys}" if create_keys else "Start from scratch"
        )
        sample_note = self._note("Six short videos in three chapters")
        buttons = QHBoxLayout()
        buttons.setSpacing(16)
        for button, note in ((self.create_button, create_note), (self.sample_button, sample_note)):
            column = QVBoxLayout()
            column.setSpacing(6)
            column.addWidget(button)
            column.addWidget(note)
            buttons.addLayout(column, 1)

        self.busy_label = QLabel()
        self.busy_label.setObjectName("welcomeBusyLabel")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.progress = QProgressBar()
        self.progress.setObjectName("welcomeProgress")
        self.progress.setAccessibleName("Making the sample course")
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        self.busy = QWidget()
        busy_layout = QVBoxLayout(self.busy)
        busy_layout.setContentsMargins(40, 4, 40, 0)
        busy_layout.setSpacing(6)
        busy_layout.addWidget(self.busy_label)
        busy_layout.addWidget(self.progress)
        self.busy.hide()
        # Keeps the page from jumping when the progress bar comes and goes.
        policy = self.busy.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.busy.setSizePolicy(policy)

        column_widget = QWidget()
        column_widget.setMaximumWidth(COLUMN_WIDTH)
        column_widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        column = QVBoxLayout(column_widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.logo)
        column.addSpacing(14)
        column.addWidget(self.title)
        column.addSpacing(6)
        column.addWidget(self.tagline)
        column.addSpacing(26)
        column.addWidget(card)
        column.addSpacing(26)
        column.addLayout(buttons)
        column.addSpacing(22)
        column.addWidget(self.busy)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column_widget, 100)
        row.addStretch(1)
        content = QWidget()
        content.setObjectName("welcomeContent")
        outer = QVBoxLayout(content)
        outer.setContentsMargins(32, 24, 32, 24)
        outer.addStretch(2)
        outer.addLayout(row)
        outer.addStretch(3)
        # A short window scrolls the page rather than squeezing the paragraph.
        scroll = QScrollArea()
        scroll.setObjectName("welcomeScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        scroll.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        content.setBackgroundRole(QPalette.ColorRole.Window)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)

        self.setTabOrder(self.create_button, self.sample_button)
        self._apply_fonts()
        self._apply_colours()

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAccessibleName(text)
        button.setMinimumHeight(BUTTON_HEIGHT)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Enter presses the focused button here too, not only in dialogs.
        button.setAutoDefault(True)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _note(self, text: str) -> QLabel:
        note = QLabel(text)
        note.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        return note

    def _apply_fonts(self) -> None:
        base = self.font()
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        title = QFont(base)
        title.setPointSizeF(size * 2.0)
        title.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(title)
        tagline = QFont(base)
        tagline.setPointSizeF(size * 1.1)
        self.tagline.setFont(tagline)
        body = QFont(base)
        body.setPointSizeF(size * 1.05)
        self.explanation.setFont(body)
        for button in (self.create_button, self.sample_button):
            strong = QFont(base)
            strong.setPointSizeF(size * 1.1)
            strong.setWeight(QFont.Weight.DemiBold)
            button.setFont(strong)

    def _apply_colours(self) -> None:
        """Both buttons drawn from the palette's colours; the main one in its accent.

        The style sheets sit on the buttons alone: a sheet on the page would pin the
        palette of everything on it, and a theme change would no longer reach it."""
        palette = self.palette()
        role = QPalette.ColorRole
        accent = palette.color(role.Highlight)
        face = palette.color(role.Button)
        dark_theme = palette.color(role.Window).lightness() < 128
        _style_button(
            self.create_button,
            face=accent,
            text=palette.color(role.HighlightedText),
            border=accent.darker(115),
            hover=accent.lighter(110),
            pressed=accent.darker(112),
            focus=palette.color(role.Text),
            palette=palette,
        )
        _style_button(
            self.sample_button,
            face=face,
            text=palette.color(role.ButtonText),
            border=palette.color(role.Mid),
            hover=face.lighter(108) if dark_theme else face.darker(104),
            pressed=palette.color(role.Midlight),
            focus=palette.color(role.Text),
            palette=palette,
        )

    # ------------------------------------------------------------------ busy

    def show_busy(self, text: str, done: int = 0, total: int = 0) -> None:
        """Rest the buttons and show ``text`` with a progress bar (busy when total is 0)."""
        self.create_button.setEnabled(False)
        self.sample_button.setEnabled(False)
        self.busy_label.setText(text)
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.busy.show()

    def show_idle(self) -> None:
        self.busy.hide()
        self.create_button.setEnabled(True)
        self.sample_button.setEnabled(True)

    @property
    def is_busy(self) -> bool:
        return not self.busy.isHidden()

    # ------------------------------------------------------------------ Qt hooks

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.create_button.isEnabled():
            self.create_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not hasattr(self, "sample_button"):
            return  # still being built
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_colours()
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._apply_fonts()


def _style_button(
    button: QPushButton,
    *,
    face: QColor,
    text: QColor,
    border: QColor,
    hover: QColor,
    pressed: QColor,
    focus: QColor,
    palette: QPalette,
) -> None:
    disabled = QPalette.ColorGroup.Disabled
    role = QPalette.ColorRole
    sheet = (
        "QPushButton { border-radius: 7px; padding: 6px 18px;"
        f" background: {face.name()}; color: {text.name()}; border: 1px solid {border.name()}; }}"
        f" QPushButton:hover {{ background: {hover.name()}; }}"
        f" QPushButton:pressed {{ background: {pressed.name()}; }}"
        f" QPushButton:focus {{ border: 2px solid {focus.name()}; }}"
        " QPushButton:disabled {"
        f" background: {palette.color(disabled, role.Button).name()};"
        f" color: {palette.color(disabled, role.ButtonText).name()};"
        f" border: 1px solid {palette.color(role.Mid).name()}; }}"
    )
    if sheet != button.styleSheet():
        button.setStyleSheet(sheet)
