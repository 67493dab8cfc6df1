"""The import's progress in the status bar: files, bytes and time left for the whole drop,
and a Cancel button. Hidden while nothing is being imported."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from coursedesk.services.ingest.importer import ImportProgress
from coursedesk.ui.format import format_size

BAR_WIDTH_PX = 200
# The bar's range when bytes are counted in KB (a QProgressBar holds a C int).
_UNIT_BYTES = 1024


def format_eta(seconds: float | None) -> str:
    """'about 5 s left', 'about 3 min left', 'about 1 h 20 min left'; empty when unknown."""
    if seconds is None:
        return ""
    total = max(1, round(seconds))
    if total < 60:
        return f"about {total} s left"
    minutes = round(total / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    hours, rest = divmod(minutes, 60)
    return f"about {hours} h {rest} min left" if rest else f"about {hours} h left"


def progress_text(progress: ImportProgress) -> str:
    """'Importing 3 of 42 videos · 120.5 MB of 1.2 GB · about 2 min left'."""
    total = progress.files_total
    if total == 0:
        return "Looking at the dropped files…"
    noun = "video" if total == 1 else "videos"
    parts = [f"Importing {min(progress.files_done + 1, total)} of {total} {noun}"]
    if progress.bytes_total:
        parts.append(f"{format_size(progress.bytes_done)} of {format_size(progress.bytes_total)}")
    eta = format_eta(progress.eta_s)
    if eta:
        parts.append(eta)
    return " · ".join(parts)


class ImportBar(QWidget):
    """Shows ``ImportProgress``; ``cancel_requested`` when the instructor clicks Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importBar")
        self.setAccessibleName("Import progress")
        self.label = QLabel()
        self.label.setObjectName("importProgressText")
        self.bar = QProgressBar()
        self.bar.setObjectName("importProgressBar")
        self.bar.setAccessibleName("Import progress")
        self.bar.setFixedWidth(BAR_WIDTH_PX)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("importCancelButton")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip(
            "Stop importing: videos already imported stay, the rest are left out"
        )
        self.cancel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 4, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()

    def show_progress(self, progress: ImportProgress) -> None:
        self.label.setText(progress_text(progress))
        if progress.bytes_total:
            self.bar.setRange(0, max(1, progress.bytes_total // _UNIT_BYTES))
            self.bar.setValue(progress.bytes_done // _UNIT_BYTES)
        elif progress.files_total:
            self.bar.setRange(0, progress.files_total)
            self.bar.setValue(progress.files_done)
        else:
            self.bar.setRange(0, 0)  # busy: the drop is still being looked at
        self.bar.setAccessibleDescription(self.label.text())
        self.show()
