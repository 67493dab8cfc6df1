"""What the player says about the video beside the picture: title, where it plays from when
that is the bucket, length, picture size, codecs, file size, SHA-1 (shortened, copyable) and
upload status, plus the file actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.model import Video, VideoStatus
from coursedesk.ui.format import format_duration, format_size

# The details column's width beside the picture, and Qt's "no limit" for widget sizes.
DETAILS_WIDTH = 250
NO_SIZE_LIMIT = (1 << 24) - 1

STATUS_TEXT = {
    VideoStatus.PROCESSING: ("Processing", "#9aa4b1"),
    VideoStatus.READY: ("Ready to upload", "#58a6ff"),
    VideoStatus.QUEUED: ("Queued for upload", "#e3b341"),
    VideoStatus.UPLOADING: ("Uploading", "#388bfd"),
    VideoStatus.UPLOADED: ("Uploaded", "#3fb950"),
    VideoStatus.FAILED: ("Upload failed", "#f85149"),
    VideoStatus.MISSING: ("File missing", "#f0883e"),
}


def short_sha1(sha1: str) -> str:
    """'3f2a9c1d…c0e81b': enough to recognise, short enough for a narrow panel."""
    return sha1 if len(sha1) <= 16 else f"{sha1[:8]}…{sha1[-6:]}"


def resolution_text(video: Video) -> str:
    if not video.width or not video.height:
        return "—"
    text = f"{video.width} \N{MULTIPLICATION SIGN} {video.height}"
    if video.frame_rate:
        text += f" · {video.frame_rate:.3g} fps"
    return text


def codecs_text(video: Video) -> str:
    parts = [p for p in (video.video_codec, video.audio_codec or "no sound") if p]
    text = " / ".join(parts) if video.video_codec else "—"
    if video.container:
        text += f" · {video.container}"
    return text


class InfoPanel(QFrame):
    """The details of one video; ``show_video(None)`` empties it."""

    def set_beside(self, beside: bool) -> None:
        """A fixed column beside the picture, or the pane's full width under it."""
        if beside:
            self.setFixedWidth(DETAILS_WIDTH)
        else:
            self.setMinimumWidth(0)
            self.setMaximumWidth(NO_SIZE_LIMIT)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playerInfo")
        self.set_beside(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._sha1 = ""

        self.title = QLabel()
        self.title.setObjectName("playerTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(font.Weight.DemiBold)
        self.title.setFont(font)

        self.source_note = QLabel("Playing from the bucket")
        self.source_note.setObjectName("playerSourceNote")
        self.source_note.setAccessibleName("Playing from the bucket")
        self.source_note.setToolTip(
            "The file isn't on this computer, so CourseDesk streams the uploaded copy. "
            "Locate the file to play it from the disk again."
        )
        self.source_note.setStyleSheet(
            "#playerSourceNote { color: #1f6feb; background: rgba(56, 139, 253, 0.12);"
            " border: 1px solid rgba(56, 139, 253, 0.45); border-radius: 9px;"
            " padding: 2px 9px; }"
        )
        self.source_note.hide()

        self.duration = self._value("playerDuration")
        self.resolution = self._value("playerResolution")
        self.codecs = self._value("playerCodecs")
        self.file_size = self._value("playerSize")
        self.sha1 = self._value("playerSha1")
        self.sha1.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.copy_sha1 = QToolButton()
        self.copy_sha1.setObjectName("copySha1Button")
        self.copy_sha1.setText("Copy")
        self.copy_sha1.setToolTip("Copy the full SHA-1")
        self.copy_sha1.setAutoRaise(True)
        self.copy_sha1.clicked.connect(self.copy_hash)
        sha1_row = QHBoxLayout()
        sha1_row.setContentsMargins(0, 0, 0, 0)
        sha1_row.addWidget(self.sha1, 1)
        sha1_row.addWidget(self.copy_sha1)
        self.status = self._value("playerStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            ("Length", self.duration),
            ("Picture", self.resolution),
            ("Codecs", self.codecs),
            ("File size", self.file_size),
            ("Upload", self.status),
        ):
            form.addRow(self._label(label), widget)
        form.addRow(self._label("SHA-1"), sha1_row)

        self.poster_button = QPushButton("Use this frame as thumbnail")
        self.poster_button.setObjectName("posterFrameButton")
        self.locate_button = QPushButton("Locate file…")
        self.locate_button.setObjectName("locateFileButton")
        self.locate_button.setToolTip("Point CourseDesk at the file if you moved or renamed it")
        self.locate_button.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.source_note, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.locate_button)
        layout.addWidget(self.poster_button)
        self.show_video(None)

    def _value(self, name: str) -> QLabel:
        label = QLabel("—")
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setForegroundRole(self.palette().ColorRole.PlaceholderText)
        return label

    def show_video(self, video: Video | None) -> None:
        if video is None:
            self.title.setText("No video")
            for label in (self.duration, self.resolution, self.codecs, self.file_size, self.status):
                label.setText("—")
            self._show_sha1("")
            return
        self.title.setText(video.title)
        self.duration.setText(format_duration(video.duration_s) or "—")
        self.resolution.setText(resolution_text(video))
        self.codecs.setText(codecs_text(video))
        self.file_size.setText(format_size(video.size_bytes) or "—")
        word, colour = STATUS_TEXT[video.status]
        self.status.setText(f'<span style="color:{colour}">●</span> {word}')
        self.status.setToolTip(video.error or (video.remote_name or ""))
        self._show_sha1(video.sha1 or "")

    def show_playing_from_bucket(self, remote: bool) -> None:
        """Say (or stop saying) that the picture comes from the bucket, not the disk."""
        self.source_note.setVisible(remote)

    def _show_sha1(self, sha1: str) -> None:
        self._sha1 = sha1
        self.sha1.setText(short_sha1(sha1) if sha1 else "—")
        self.sha1.setToolTip(sha1)
        self.copy_sha1.setEnabled(bool(sha1))

    def copy_hash(self) -> None:
        """Put the full SHA-1 on the clipboard."""
        if self._sha1:
            QGuiApplication.clipboard().setText(self._sha1)
