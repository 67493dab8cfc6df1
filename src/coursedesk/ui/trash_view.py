"""The Trash panel: what was deleted, from where and when; restore it, or empty the Trash."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coursedesk.editing.session import EditSession
from coursedesk.ui import course_actions
from coursedesk.ui.empty_state import HintingTreeView, trash_glyph
from coursedesk.ui.resources import icon
from coursedesk.ui.trash_model import Column, TrashModel

EMPTY_HEADLINE = "Nothing in the Trash"
EMPTY_DETAIL = "Deleted videos, chapters and courses wait here until you empty the Trash"


class TrashPanel(QWidget):
    """A list of the Trash with Restore and Empty Trash; follows the store live."""

    status_message = Signal(str)

    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trashPanel")
        self.session = session
        self.model = TrashModel(session.store, None, self)

        self.view = HintingTreeView(EMPTY_HEADLINE, EMPTY_DETAIL, trash_glyph, self)
        self.view.setObjectName("trashView")
        self.view.setAccessibleName("Trash")
        self.view.setAccessibleDescription(
            "Deleted videos, chapters and courses. Enter restores the selection."
        )
        self.view.setModel(self.model)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.WAS_IN, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(Column.NAME, 360)
        self.view.setColumnWidth(Column.KIND, 90)
        self.view.setColumnWidth(Column.DELETED, 150)

        self.restore_action = QAction(icon("trash-restore"), "&Restore", self)
        self.restore_action.setToolTip("Put the selected items back where they were (Enter)")
        self.restore_action.triggered.connect(self.restore_selected)
        self.empty_action = QAction(icon("trash-empty"), "&Empty Trash…", self)
        self.empty_action.setToolTip("Delete everything in the Trash for good")
        self.empty_action.triggered.connect(self.empty_trash)
        # Enter and Return restore; the view's own Enter handling only emits activated().
        restore_keys = QAction(self)
        restore_keys.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        restore_keys.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        restore_keys.triggered.connect(self.restore_selected)
        self.view.addAction(restore_keys)
        self.view.doubleClicked.connect(lambda _index: self.restore_selected())
        self.view.customContextMenuRequested.connect(self._context_menu)

        restore_button = QToolButton()
        restore_button.setDefaultAction(self.restore_action)
        restore_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        empty_button = QToolButton()
        empty_button.setDefaultAction(self.empty_action)
        empty_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.summary = QLabel()
        self.summary.setObjectName("trashSummary")
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(restore_button)
        buttons.addWidget(empty_button)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)

        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._update_state)
        self.view.selectionModel().selectionChanged.connect(self._update_state)
        self._update_state()

    # ------------------------------------------------------------------ course

    @property
    def course_id(self) -> str | None:
        return self.model.course_id

    def set_course(self, course_id: str | None) -> None:
        self.model.set_course(course_id)

    def detach(self) -> None:
        self.model.detach()

    # ------------------------------------------------------------------ actions

    def selected_request(self) -> course_actions.RestoreRequest:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        entries = [self.model.entry(r) for r in rows]
        return course_actions.ids_by_kind((e.kind.value, e.item_id) for e in entries)

    def restore_selected(self) -> None:
        request = self.selected_request()
        if not request.count:
            self.status_message.emit("Select what to restore first.")
            return
        label = request.label(self.session)
        row = min((i.row() for i in self.view.selectionModel().selectedRows()), default=0)
        if course_actions.restore(self.session, request, self.course_id):
            self.status_message.emit(f"{label} — done. Ctrl+Z puts it back in the Trash.")
            self._select_row(row)

    def empty_trash(self) -> None:
        problem = course_actions.open_trashed_courses(self.session)
        if problem is not None:
            self.status_message.emit(problem)
            return
        contents = course_actions.trash_contents(self.session)
        if not contents.total:
            self.status_message.emit("The Trash is already empty.")
            return
        answer = QMessageBox.question(
            self,
            "Empty Trash",
            f"Delete {contents.describe()} for good?\n\n"
            f"This can't be undone: {counted_items(contents.total)} will be removed "
            "from your library.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        removed = course_actions.empty_trash(self.session)
        if removed is not None:
            self.status_message.emit(f"Emptied the Trash: {counted_items(removed)} deleted.")

    def _select_row(self, row: int) -> None:
        count = self.model.rowCount()
        if count:
            index = self.model.index(min(row, count - 1), 0)
            self.view.setCurrentIndex(index)

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.restore_action)
        menu.addSeparator()
        menu.addAction(self.empty_action)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def _update_state(self) -> None:
        counts = self.model.counts()
        self.restore_action.setEnabled(bool(self.view.selectionModel().selectedRows()))
        self.empty_action.setEnabled(counts.total > 0)
        if not counts.total:
            self.summary.setText("The Trash is empty")
            return
        parts = [
            f"{n} {noun}{'' if n == 1 else 's'}"
            for n, noun in (
                (counts.videos, "video"),
                (counts.chapters, "chapter"),
                (counts.courses, "course"),
            )
            if n
        ]
        self.summary.setText(" · ".join(parts))


def counted_items(count: int) -> str:
    return f"{count} item" if count == 1 else f"{count} items"
