"""The course editor window: course switcher, chapter tree, media library, undo."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QInputDialog,
    QLabel,
    QListView,
    QMainWindow,
    QSplitter,
    QStatusBar,
    QToolBar,
    QTreeView,
    QWidget,
)

from coursedesk.domain.operations import CreateCourse
from coursedesk.editing.session import EditSession
from coursedesk.persistence.errors import LibraryError
from coursedesk.persistence.library import Library
from coursedesk.ui.chapter_tree_model import ChapterTreeModel, Column

STATUS_MESSAGE_MS = 6000

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str) -> W:
    """Give a widget the objectName that tests and automation find it by."""
    widget.setObjectName(object_name)
    return widget


class MainWindow(QMainWindow):
    def __init__(
        self,
        library: Library,
        session: EditSession,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.session = session
        self.settings = settings
        self.setWindowTitle("CourseDesk")
        self.resize(1100, 700)

        self.course_switcher = named(QComboBox(), "courseSwitcher")
        self.course_switcher.setAccessibleName("Course")
        self.course_switcher.setMinimumWidth(260)
        self.tree_model = ChapterTreeModel(library.store, None, self)
        self.chapter_tree = named(QTreeView(), "chapterTree")
        self.chapter_tree.setAccessibleName("Chapters")
        self.chapter_tree.setModel(self.tree_model)
        self.chapter_tree.setUniformRowHeights(True)
        self.chapter_tree.header().setStretchLastSection(False)
        self.chapter_tree.setColumnWidth(Column.TITLE, 320)
        self.library_view = named(QListView(), "libraryView")
        self.library_view.setAccessibleName("Media library")
        self.library_view.setViewMode(QListView.ViewMode.IconMode)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.chapter_tree)
        splitter.addWidget(self.library_view)
        splitter.setSizes([520, 580])
        self.setCentralWidget(splitter)

        status = named(QStatusBar(), "statusBar")
        self.setStatusBar(status)
        self.library_label = QLabel()
        status.addPermanentWidget(self.library_label)
        if library.path is not None:
            self.library_label.setText(f"Library: {library.path}")

        self._build_actions()
        session.refused.connect(self.show_problem)
        self.course_switcher.currentIndexChanged.connect(self._course_chosen)
        self._fill_course_switcher()
        last = str(settings.value("lastCourseId", "", type=str))
        self.open_course(last if last and library.store.has_course(last) else None)

    def _build_actions(self) -> None:
        new_course = QAction("&New Course…", self)
        new_course.setShortcut(QKeySequence.StandardKey.New)
        new_course.triggered.connect(self.new_course)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        undo = self.session.group.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.session.group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(new_course)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.addWidget(self.course_switcher)
        toolbar.addAction(new_course)
        toolbar.addSeparator()
        toolbar.addAction(undo)
        toolbar.addAction(redo)
        self.addToolBar(toolbar)
        self.undo_action, self.redo_action = undo, redo

    # ------------------------------------------------------------------ courses

    def _fill_course_switcher(self) -> None:
        self.course_switcher.blockSignals(True)
        self.course_switcher.clear()
        courses = sorted(self.library.store.courses(), key=lambda c: c.title.casefold())
        for course in courses:
            self.course_switcher.addItem(course.title, course.id)
        self.course_switcher.blockSignals(False)

    def _course_chosen(self, row: int) -> None:
        if row >= 0:
            self.open_course(self.course_switcher.itemData(row))

    def open_course(self, course_id: str | None) -> None:
        if course_id is None:
            courses = self.library.store.courses()
            course_id = courses[0].id if courses else None
        if course_id is not None:
            try:
                self.library.open_course(course_id)
            except LibraryError as exc:
                self.show_problem(str(exc))
                course_id = None
        self.tree_model.set_course(course_id)
        self.session.activate(course_id)
        self.chapter_tree.expandAll()
        if course_id is not None:
            self.settings.setValue("lastCourseId", course_id)
            row = self.course_switcher.findData(course_id)
            self.course_switcher.blockSignals(True)
            self.course_switcher.setCurrentIndex(row)
            self.course_switcher.blockSignals(False)
            self.setWindowTitle(f"{self.library.store.course(course_id).title} — CourseDesk")

    def new_course(self) -> None:
        title, ok = QInputDialog.getText(self, "New course", "Course title:")
        if not ok:
            return
        self.create_course(title)

    def create_course(self, title: str) -> str | None:
        operation = CreateCourse(title)
        if self.session.apply_untracked(operation) is None:
            return None
        self._fill_course_switcher()
        self.open_course(operation.course_id)
        return operation.course_id

    def show_problem(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)
