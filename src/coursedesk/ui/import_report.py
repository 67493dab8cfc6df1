"""What a drop did, told to the instructor when it needs their eyes: the files refused and
why, duplicates skipped, pre-flight notes per video, and possible re-edits of videos already
in the course with "Replace" and "Not a duplicate". It does not block the window.
"""

from __future__ import annotations

import textwrap

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.store import Store
from coursedesk.services.ingest.importer import ImportReport, PossibleDuplicate
from coursedesk.ui.format import format_duration
from coursedesk.ui.icons import notes_icon

# Long messages are wrapped at this many characters, so a row shows all of its message.
MESSAGE_WRAP_CHARS = 56


def _wrapped(message: str) -> str:
    return textwrap.fill(message, MESSAGE_WRAP_CHARS)


def counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def needs_attention(report: ImportReport) -> bool:
    """Whether the report has more to say than how many videos came in."""
    return bool(
        report.refused or report.skipped_duplicates or report.notes or report.possible_duplicates
    )


def summary(report: ImportReport) -> str:
    """One line: 'Imported 42 videos', then what else happened."""
    parts = [f"Imported {counted(len(report.imported), 'video')}"]
    if report.replaced:
        parts.append(f"replaced {counted(len(report.replaced), 'video')}")
    if report.refused:
        parts.append(f"{len(report.refused)} not imported")
    if report.skipped_duplicates:
        parts.append(f"{counted(len(report.skipped_duplicates), 'duplicate')} skipped")
    if report.possible_duplicates:
        parts.append(f"{counted(len(report.possible_duplicates), 'possible duplicate')}")
    text = ", ".join(parts)
    return f"Import cancelled — {text[:1].lower()}{text[1:]}" if report.cancelled else text


class ImportReportDialog(QDialog):
    """The report of one drop. Acting on a possible duplicate emits ``replace_requested`` or
    ``not_duplicate_requested`` (new video id, existing video id); the row then says what was
    done."""

    replace_requested = Signal(str, str)
    not_duplicate_requested = Signal(str, str)

    def __init__(self, report: ImportReport, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReport")
        self.setWindowTitle("Import Report")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._store = store
        self.report = report

        style = self.style()
        sign = QLabel()
        kind = (
            QStyle.StandardPixmap.SP_MessageBoxWarning
            if report.refused
            else QStyle.StandardPixmap.SP_MessageBoxInformation
        )
        sign.setPixmap(style.standardIcon(kind).pixmap(32, 32))
        sign.setAlignment(Qt.AlignmentFlag.AlignTop)
        headline = QLabel(summary(report) + ".")
        headline.setObjectName("importReportSummary")
        font = QFont(headline.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        headline.setFont(font)
        advice = QLabel(self._advice())
        advice.setWordWrap(True)
        advice.setForegroundRole(advice.palette().ColorRole.PlaceholderText)
        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(headline)
        heading.addWidget(advice)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(sign)
        top.addLayout(heading, 1)

        self.tree = QTreeWidget()
        self.tree.setObjectName("importReportTree")
        self.tree.setAccessibleName("Import report")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["File or video", "What happened", ""])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnWidth(0, 210)
        self._fill()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        if close is not None:
            close.setDefault(True)
            close.setFocus()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(900, 480)

    def _advice(self) -> str:
        report = self.report
        lines = []
        if report.refused:
            lines.append("Files that were not imported left nothing behind in the course.")
        if report.notes:
            lines.append("Notes do not stop a video from being used; they are worth a look.")
        if report.possible_duplicates:
            lines.append("Some new videos look like new versions of videos you already have.")
        return " ".join(lines)

    # ------------------------------------------------------------------ contents

    def _section(self, title: str, count: int) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [f"{title} ({count})"])
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setExpanded(True)
        return item

    def _title(self, video_id: str) -> str:
        if not self._store.has_video(video_id):
            return "(removed)"
        video = self._store.video(video_id)
        duration = format_duration(video.duration_s)
        return f"{video.title} ({duration})" if duration else video.title

    def _place(self, video_id: str) -> str:
        store = self._store
        if not store.has_video(video_id):
            return "removed"
        video = store.video(video_id)
        if video.deleted_at is not None:
            return "in the Trash"
        if video.chapter_id is None:
            return "in the library"
        return f"in “{store.chapter(video.chapter_id).title}”"

    def _fill(self) -> None:
        report = self.report
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        if report.refused:
            section = self._section("Not imported", len(report.refused))
            for refused in report.refused:
                row = QTreeWidgetItem(
                    section, [refused.name or "(the drop)", _wrapped(refused.message)]
                )
                row.setIcon(0, warning)
                row.setToolTip(1, refused.message)
        if report.possible_duplicates:
            section = self._section("Possible duplicates", len(report.possible_duplicates))
            for pair in report.possible_duplicates:
                self._possible_duplicate_row(section, pair)
        if report.skipped_duplicates:
            section = self._section("Duplicates skipped", len(report.skipped_duplicates))
            for name in report.skipped_duplicates:
                QTreeWidgetItem(section, [name, "Already in the course; left out."])
        if report.notes:
            section = self._section("Notes", len(report.notes))
            for video_id, messages in report.notes.items():
                text = "\n".join(_wrapped(m) for m in messages)
                row = QTreeWidgetItem(section, [self._title(video_id), text])
                row.setIcon(0, notes_icon())
                row.setToolTip(1, "\n".join(messages))

    def _possible_duplicate_row(self, section: QTreeWidgetItem, pair: PossibleDuplicate) -> None:
        row = QTreeWidgetItem(
            section,
            [
                self._title(pair.new_video_id),
                f"Looks like a new version of “{self._title(pair.existing_video_id)}”"
                f" ({self._place(pair.existing_video_id)})",
            ],
        )
        actions = QWidget()
        actions.setObjectName("possibleDuplicateActions")
        box = QHBoxLayout(actions)
        box.setContentsMargins(4, 2, 4, 2)
        box.setSpacing(6)
        replace = QPushButton("Replace")
        replace.setObjectName("replaceDuplicateButton")
        replace.setToolTip(
            "The existing video takes this file's content, keeping its title and place; "
            "the new row goes to the Trash"
        )
        dismiss = QPushButton("Not a Duplicate")
        dismiss.setObjectName("notDuplicateButton")
        dismiss.setToolTip("Keep both and don't ask about this pair again")
        box.addWidget(replace)
        box.addWidget(dismiss)
        self.tree.setItemWidget(row, 2, actions)

        new_id, existing_id = pair.new_video_id, pair.existing_video_id

        def replace_it() -> None:
            self.replace_requested.emit(new_id, existing_id)
            settled("Replaced: the existing video now has this file")

        def keep_both() -> None:
            self.not_duplicate_requested.emit(new_id, existing_id)
            settled("Kept both: not a duplicate")

        def settled(text: str) -> None:
            replace.setEnabled(False)
            dismiss.setEnabled(False)
            row.setText(1, text)

        replace.clicked.connect(replace_it)
        dismiss.clicked.connect(keep_both)

    def texts(self) -> list[str]:
        """Every row as 'first column — second column' (for tests and screen readers)."""
        found: list[str] = []
        root = self.tree.invisibleRootItem()
        for section in (root.child(i) for i in range(root.childCount())):
            if section is None:
                continue
            found.append(section.text(0))
            for item in (section.child(i) for i in range(section.childCount())):
                if item is not None:
                    message = item.text(1).replace("\n", " ")
                    found.append(f"{item.text(0)} — {message}")
        return found
