"""The question asked once per dropped file whose content is already in the course.

Skip (the default: nothing changes), Keep both, or Replace (the existing video keeps its
place, title and id and takes the new file's content), with "Apply to all remaining (N)" when
more duplicates follow in the same drop. Every choice has a mnemonic; Esc means Skip.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from coursedesk.services.ingest.importer import (
    DuplicateAnswer,
    DuplicateChoice,
    DuplicateQuestion,
)


class DuplicateDialog(QDialog):
    """Asks what to do with one duplicate; ``answer()`` after ``exec()``."""

    def __init__(self, question: DuplicateQuestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicateDialog")
        self.setWindowTitle("Duplicate Video")
        self.setModal(True)
        self._choice = DuplicateChoice.SKIP
        self._remaining = question.remaining

        where = "in the Trash" if question.existing_in_trash else "in this course"
        headline = QLabel(f"<b>“{question.path.name}” is already {where}.</b>")
        headline.setObjectName("duplicateHeadline")
        headline.setTextFormat(Qt.TextFormat.RichText)
        headline.setWordWrap(True)
        detail = QLabel(
            f"It has the same content as the video “{question.existing_title}”.\n"
            "Replace gives that video this file: it keeps its title and its place."
        )
        detail.setWordWrap(True)
        detail.setForegroundRole(detail.palette().ColorRole.PlaceholderText)
        style = self.style()
        sign = QLabel()
        size = style.pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        sign.setPixmap(
            style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxQuestion).pixmap(size, size)
        )
        sign.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.apply_to_all = QCheckBox(f"&Apply to all remaining ({question.remaining})")
        self.apply_to_all.setObjectName("applyToAll")
        self.apply_to_all.setVisible(question.remaining > 0)

        buttons = QDialogButtonBox()
        self.skip_button = self._button(buttons, "&Skip", DuplicateChoice.SKIP, "skipButton")
        self.keep_button = self._button(
            buttons, "&Keep Both", DuplicateChoice.KEEP_BOTH, "keepBothButton"
        )
        self.replace_button = self._button(
            buttons, "&Replace", DuplicateChoice.REPLACE, "replaceButton"
        )
        self.skip_button.setDefault(True)
        self.skip_button.setFocus()

        text = QVBoxLayout()
        text.setSpacing(6)
        text.addWidget(headline)
        text.addWidget(detail)
        text.addSpacing(6)
        text.addWidget(self.apply_to_all)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(sign)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.addLayout(top)
        layout.addSpacing(10)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _button(
        self, box: QDialogButtonBox, text: str, choice: DuplicateChoice, name: str
    ) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(True)
        box.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: DuplicateChoice) -> None:
        self._choice = choice
        self.accept()

    def reject(self) -> None:
        # Esc or closing the window: skip this file, change nothing.
        self._choice = DuplicateChoice.SKIP
        super().reject()

    def answer(self) -> DuplicateAnswer:
        everything = self._remaining > 0 and self.apply_to_all.isChecked()
        return DuplicateAnswer(self._choice, apply_to_all=everything)


def ask_about_duplicate(question: DuplicateQuestion) -> DuplicateAnswer:
    """The importer's duplicate resolver: a modal dialog over the active window."""
    parent = QApplication.activeWindow()
    dialog = DuplicateDialog(question, parent)
    try:
        dialog.exec()
        return dialog.answer()
    finally:
        dialog.deleteLater()
