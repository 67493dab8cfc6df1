"""Asking where a deleted chapter's videos go: back to the library (the default) or to the
Trash with the chapter. Either way the whole deletion is one undo step."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.model import VideosGo
from coursedesk.editing.labels import counted


class DeleteChapterDialog(QDialog):
    """Delete / Cancel, with a choice of where the videos go; Enter deletes with the choice
    shown, Escape cancels, Alt+L / Alt+T pick the choice."""

    def __init__(self, titles: list[str], video_count: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("deleteChapterDialog")
        single = len(titles) == 1
        self.setWindowTitle("Delete chapter" if single else f"Delete {len(titles)} chapters")
        what = f"the chapter “{titles[0]}”" if single else f"{len(titles)} chapters"
        holds = "It holds" if single else "They hold"
        question = QLabel(f"Delete {what}? {holds} {counted(video_count, 'video')}.")
        question.setWordWrap(True)

        self.to_library = QRadioButton("Keep the videos in the &library")
        self.to_library.setObjectName("videosToLibrary")
        self.to_trash = QRadioButton("Move the videos to the &Trash too")
        self.to_trash.setObjectName("videosToTrash")
        self.to_library.setChecked(True)
        choices = QButtonGroup(self)
        choices.addButton(self.to_library)
        choices.addButton(self.to_trash)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        delete = buttons.button(QDialogButtonBox.StandardButton.Ok)
        delete.setText("&Delete")
        delete.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.to_library)
        layout.addWidget(self.to_trash)
        layout.addWidget(buttons)
        self.to_library.setFocus()

    def videos_go(self) -> VideosGo:
        return VideosGo.TO_TRASH if self.to_trash.isChecked() else VideosGo.TO_LIBRARY

    @classmethod
    def ask(cls, titles: list[str], video_count: int, parent: QWidget | None) -> VideosGo | None:
        """Where the videos go, or None if the instructor cancelled."""
        dialog = cls(titles, video_count, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.videos_go()
        finally:
            dialog.deleteLater()
