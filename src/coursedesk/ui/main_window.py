"""The course editor window: course switcher, chapter tree, media library, Trash, undo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from coursedesk.domain.steps import (
    ChapterTrashed,
    CourseChanged,
    CourseCreated,
    CoursePurged,
    Step,
    VideoMoved,
    VideoTrashed,
)
from coursedesk.editing.session import EditSession
from coursedesk.paths import cache_dir, data_dir, log_dir
from coursedesk.persistence.errors import LibraryError
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.importer import ImportTarget
from coursedesk.ui import course_actions
from coursedesk.ui.chapter_tree_model import ChapterTreeModel
from coursedesk.ui.chapter_tree_view import ChapterTreeView
from coursedesk.ui.format import format_duration, format_size
from coursedesk.ui.help_dialogs import (
    SHORTCUT_LABEL,
    AboutDialog,
    ShortcutsDialog,
    window_shortcuts,
)
from coursedesk.ui.import_controller import ImportController, ImportServices
from coursedesk.ui.library_pane import LibraryPane
from coursedesk.ui.player.window_hookup import attach_player
from coursedesk.ui.resources import icon
from coursedesk.ui.sample_course import SAMPLE_COURSE_TITLE, SampleCourseMaker
from coursedesk.ui.settings_hookup import WindowSettings
from coursedesk.ui.status_bar import COVERABLE, MessageStatusBar
from coursedesk.ui.trash_view import TrashPanel
from coursedesk.ui.uploads.center import UploadCenter
from coursedesk.ui.uploads.window_hookup import attach_uploads
from coursedesk.ui.welcome import WelcomePage

STATUS_MESSAGE_MS = 6000
DEFAULT_SIZE = QSize(1280, 800)
TREE_MIN_WIDTH = 380
LIBRARY_MIN_WIDTH = 260

# QSettings keys.
KEY_LAST_COURSE = "lastCourseId"
KEY_GEOMETRY = "window/geometry"
KEY_STATE = "window/state"
KEY_SPLITTER = "window/editorSplitter"
KEY_LIBRARY_STATE = "library/paneState"

W = TypeVar("W", bound=QWidget)


def named(widget: W, object_name: str, accessible_name: str = "") -> W:
    """Give a widget the objectName tests and automation find it by, and a spoken name."""
    widget.setObjectName(object_name)
    if accessible_name:
        widget.setAccessibleName(accessible_name)
    return widget


class MainWindow(QMainWindow):
    """One library's courses: pick a course, edit its chapters and videos, undo, restore."""

    def __init__(
        self,
        library: Library,
        session: EditSession,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        imports: ImportServices | None = None,
        uploads: UploadCenter | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.uploads = uploads
        self.session = session
        self.settings = settings
        self.store = library.store
        self._course_id: str | None = None
        self._trashed_since_edit = 0
        self._other_windows: list[MainWindow] = []
        self.setWindowTitle("CourseDesk")
        self.resize(DEFAULT_SIZE)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )

        self.course_switcher = named(QComboBox(), "courseSwitcher", "Course")
        self.course_switcher.setToolTip("The course you are editing (Ctrl+O to switch)")
        self.course_switcher.setMinimumWidth(280)
        self.course_switcher.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._create_editor_views()
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "editorSplitter")
        self.splitter.setChildrenCollapsible(False)
        # Neither view may be squeezed out of use by a dock opening beside them.
        self.tree_pane.setMinimumWidth(TREE_MIN_WIDTH)
        self.library_pane.setMinimumWidth(LIBRARY_MIN_WIDTH)
        self.splitter.addWidget(self.tree_pane)
        self.splitter.addWidget(self.library_pane)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setSizes([560, 680])
        self.editor_page = named(QWidget(), "editorPage")
        layout = QVBoxLayout(self.editor_page)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(self.splitter)
        # The welcome page stands in for the editor while the library has no course.
        new_keys = QKeySequence(QKeySequence.StandardKey.New)
        self.welcome = WelcomePage(new_keys.toString(QKeySequence.SequenceFormat.NativeText))
        self.welcome.create_requested.connect(self.new_course)
        self.welcome.sample_requested.connect(self.open_sample_course)
        self.central_stack = named(QStackedWidget(), "centralStack")
        self.central_stack.addWidget(self.editor_page)
        self.central_stack.addWidget(self.welcome)
        self.setCentralWidget(self.central_stack)

        self.trash_panel = TrashPanel(session)
        self.trash_view = self.trash_panel.view
        self.trash_dock = self._dock(self.trash_panel, "Trash", "trashDock")
        self.undo_history = named(QUndoView(session.group), "undoHistory", "Undo history")
        self.undo_history.setEmptyLabel("<nothing to undo>")
        self.undo_history.setAlternatingRowColors(True)
        self.history_dock = self._dock(self.undo_history, "Undo History", "undoHistoryDock")
        # The history lists the stack while it can be seen: hidden (behind the Trash, or
        # closed), it would rebuild its list on every edit and undo for nobody.
        self.history_dock.visibilityChanged.connect(self._follow_history_visibility)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.trash_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.history_dock)
        self.tabifyDockWidget(self.trash_dock, self.history_dock)
        self.trash_dock.raise_()
        self.resizeDocks([self.trash_dock], [180], Qt.Orientation.Vertical)

        status = named(MessageStatusBar(), "statusBar", "Status")
        self.setStatusBar(status)
        self.totals_label = named(QLabel(), "courseTotals")
        self.totals_label.setContentsMargins(8, 0, 8, 0)
        self.totals_label.setProperty(COVERABLE, True)  # a long message may cover it a while
        status.addPermanentWidget(self.totals_label)
        # Importing: drops on both views, File ▸ Import…, progress (before the totals).
        self.importing = ImportController(
            self,
            library,
            session,
            imports or ImportServices.create(library, session),
            self.chapter_tree,
            self.tree_model,
            self.library_pane,
            owns_services=imports is None,
        )
        self.importing.status_message.connect(self.show_message)
        status.insertPermanentWidget(0, self.importing.bar)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()

        session.refused.connect(self.show_message)
        session.conflicted.connect(self.show_message)
        session.edited.connect(self._after_edit)
        self.trash_panel.status_message.connect(self.show_message)
        self.trash_panel.model.rowsInserted.connect(self._update_trash_title)
        self.trash_panel.model.rowsRemoved.connect(self._update_trash_title)
        self.trash_panel.model.modelReset.connect(self._update_trash_title)
        self.course_switcher.currentIndexChanged.connect(self._course_chosen)
        self._totals_due = False
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(0)
        self._totals_timer.timeout.connect(self._update_totals)
        self.store.subscribe(self)
        self._attached = True

        # Uploads: dock, Settings ▸ Storage…, status line, progress in the views (before the
        # saved layout is restored, so the Uploads dock gets its place back).
        self.window_uploads = attach_uploads(self, uploads) if uploads is not None else None
        # Settings ▸ Settings… (Ctrl+,), above Storage… when there are uploads; the saved
        # thumbnail size for the grid.
        self.window_settings = WindowSettings(self, uploads)
        # Preview: the Player dock, quick look (Space) and hover scrubbing in the grid.
        self.window_player = attach_player(self)
        # Help comes last in the menu bar, after the menus the hookups add.
        self._build_help_menu()
        # Shortcuts about the whole window, not a selection, work from the import report too.
        self.importing.report_shortcuts = [
            self.undo_action,
            self.redo_action,
            self.new_course_action,
            self.trash_toggle,
            self.history_toggle,
            self.shortcuts_action,
            self.quit_action,
        ]
        self.sample_maker = SampleCourseMaker(self.importing.services.runner, self)
        self.sample_maker.progress.connect(self._sample_progress)
        self.sample_maker.made.connect(self._import_sample)
        self.sample_maker.failed.connect(self._sample_failed)

        self._fill_course_switcher()
        self.restore_settings()
        last = str(settings.value(KEY_LAST_COURSE, "", type=str))
        live = {c.id for c in self.store.courses()}
        self.open_course(last if last in live else None)

    # ------------------------------------------------------------------ construction

    def _create_editor_views(self) -> None:
        """The one place the chapter tree and the media library are built."""
        self.tree_model = ChapterTreeModel(self.store, None, self, session=self.session)
        self.chapter_tree = ChapterTreeView(self.session, self.tree_model)
        self.chapter_tree.status_message.connect(self.show_message)
        self.tree_pane: QWidget = self.chapter_tree
        tree = self.chapter_tree
        self.chapter_actions: list[QAction | None] = [
            tree.add_chapter_action,
            tree.rename_action,
            tree.delete_action,
            None,
            tree.move_up_action,
            tree.move_down_action,
            tree.move_first_action,
            tree.move_last_action,
            tree.move_to_action,
        ]

        self.library_pane = LibraryPane(self.session)
        self.library_pane.status_message.connect(self.show_message)
        self.library_view = self.library_pane.view
        self.library_search = self.library_pane.search
        self.library_filter = self.library_pane.filter

    def _set_views_course(self, course_id: str | None) -> None:
        self.tree_model.set_course(course_id)
        self.library_pane.set_course(course_id)

    def _detach_views(self) -> None:
        self.tree_model.detach()

    def _library_state(self) -> dict[str, Any]:
        return self.library_pane.state()

    def _restore_library_state(self, state: dict[str, Any]) -> None:
        self.library_pane.restore_state(state)

    def _dock(self, widget: QWidget, title: str, object_name: str) -> QDockWidget:
        dock = named(QDockWidget(title, self), object_name, title)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _action(
        self,
        text: str,
        slot: Any,
        shortcut: QKeySequence | str | QKeySequence.StandardKey | None = None,
        icon_name: str | None = None,
        tip: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon_name is not None:
            action.setIcon(icon(icon_name))
        if tip is not None:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_course_action = self._action(
            "&New Course…",
            self.new_course,
            QKeySequence.StandardKey.New,
            "course-new",
            "Start a new, empty course (Ctrl+N)",
        )
        self.rename_course_action = self._action(
            "&Rename Course…", self.rename_course, "Shift+F2", "course-rename", "Rename this course"
        )
        self.delete_course_action = self._action(
            "&Delete Course…",
            self.delete_course,
            "Ctrl+Shift+Del",
            "course-delete",
            "Move this course to the Trash",
        )
        self.switch_course_action = self._action(
            "&Switch Course…", self.choose_course, "Ctrl+O", "course-switch"
        )
        self.next_course_action = self._action(
            "Ne&xt Course", lambda: self.step_course(1), "Ctrl+PgDown"
        )
        self.previous_course_action = self._action(
            "&Previous Course", lambda: self.step_course(-1), "Ctrl+PgUp"
        )
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.new_window_action = self._action(
            "New &Window",
            self.open_new_window,
            "Ctrl+Alt+N",
            tip="Another window on this library; both show every edit at once (Ctrl+Alt+N)",
        )

        undo = self.session.group.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        undo.setIcon(icon("edit-undo"))
        redo = self.session.group.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.setIcon(icon("edit-redo"))
        undo.setProperty(SHORTCUT_LABEL, "Undo")
        redo.setProperty(SHORTCUT_LABEL, "Redo")
        self.undo_action, self.redo_action = undo, redo
        self.find_action = self._action(
            "&Find Videos", self.focus_search, QKeySequence.StandardKey.Find
        )

        self.trash_toggle = self.trash_dock.toggleViewAction()
        self.trash_toggle.setText("&Trash")
        self.trash_toggle.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.trash_toggle.setIcon(icon("panel-trash"))
        self.trash_toggle.setToolTip("Show or hide the Trash (Ctrl+Shift+T)")
        self.history_toggle = self.history_dock.toggleViewAction()
        self.history_toggle.setText("Undo &History")
        self.history_toggle.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.history_toggle.setIcon(icon("panel-history"))
        self.history_toggle.setToolTip("Show or hide the undo history (Ctrl+Shift+H)")
        self.next_pane_action = self._action("Next &Pane", lambda: self.cycle_focus(1), "F6")
        self.previous_pane_action = self._action(
            "Previous Pa&ne", lambda: self.cycle_focus(-1), "Shift+F6"
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        imports = self.importing
        file_menu = bar.addMenu("&File")
        file_menu.addActions([imports.import_action, imports.import_folder_action])
        file_menu.addSeparator()
        file_menu.addAction(imports.replace_action)
        course = bar.addMenu("&Course")
        course.addActions(
            [self.new_course_action, self.rename_course_action, self.delete_course_action]
        )
        course.addSeparator()
        course.addActions(
            [self.switch_course_action, self.next_course_action, self.previous_course_action]
        )
        course.addSeparator()
        course.addAction(self.new_window_action)
        course.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addAction(self.find_action)
        # Alt+H is Help's.
        self.chapter_menu = bar.addMenu("Cha&pter")
        for action in self.chapter_actions:
            if action is None:
                self.chapter_menu.addSeparator()
            else:
                self.chapter_menu.addAction(action)
        view = bar.addMenu("&View")
        view.addActions([self.trash_toggle, self.history_toggle])
        view.addSeparator()
        view.addActions([self.next_pane_action, self.previous_pane_action])

    def _build_help_menu(self) -> None:
        self.shortcuts_action = self._action(
            "&Keyboard Shortcuts",
            self.show_shortcuts,
            None,
            tip="Every keyboard shortcut, with a search (F1)",
        )
        self.shortcuts_action.setObjectName("keyboardShortcutsAction")
        self.shortcuts_action.setShortcuts([QKeySequence("F1"), QKeySequence("Ctrl+/")])
        self.about_action = self._action(
            "&About CourseDesk", self.show_about, tip="Versions and where CourseDesk keeps files"
        )
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu = self.menuBar().addMenu("&Help")
        self.help_menu.setObjectName("helpMenu")
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addSeparator()
        self.help_menu.addAction(self.about_action)
        self.shortcuts_dialog: ShortcutsDialog | None = None

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        label = QLabel("&Course ")
        label.setBuddy(self.course_switcher)
        label.setContentsMargins(6, 0, 0, 0)
        toolbar.addWidget(label)
        toolbar.addWidget(self.course_switcher)
        toolbar.addActions(
            [self.new_course_action, self.rename_course_action, self.delete_course_action]
        )
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addActions([self.trash_toggle, self.history_toggle])
        self.addToolBar(toolbar)
        self.toolbar = toolbar

    # ------------------------------------------------------------------ courses

    @property
    def course_id(self) -> str | None:
        return self._course_id

    def _fill_course_switcher(self) -> None:
        self.course_switcher.blockSignals(True)
        try:
            self.course_switcher.clear()
            for course in course_actions.live_courses(self.session):
                self.course_switcher.addItem(course.title, course.id)
            self.course_switcher.setCurrentIndex(
                self.course_switcher.findData(self._course_id) if self._course_id else -1
            )
        finally:
            self.course_switcher.blockSignals(False)
        has_course = self._course_id is not None
        self.rename_course_action.setEnabled(has_course)
        self.delete_course_action.setEnabled(has_course)

    def _course_chosen(self, row: int) -> None:
        if row >= 0:
            self.open_course(str(self.course_switcher.itemData(row)))

    def open_course(self, course_id: str | None) -> None:
        """Show a course (None: the first one, if any); its undo stack becomes the active one."""
        if course_id is None:
            courses = course_actions.live_courses(self.session)
            course_id = courses[0].id if courses else None
        if course_id is not None:
            try:
                self.library.open_course(course_id)
            except LibraryError as exc:
                self.show_message(str(exc))
                course_id = None
        self._course_id = course_id
        self._set_views_course(course_id)
        self.trash_panel.set_course(course_id)
        self.session.activate(course_actions.stack_id_for(course_id))
        self._fill_course_switcher()
        if course_id is not None:
            self.settings.setValue(KEY_LAST_COURSE, course_id)
            title = self.store.course(course_id).title
            self.setWindowTitle(f"{title} — CourseDesk")
        else:
            self.setWindowTitle("CourseDesk")
        self._show_welcome_if_empty()
        self._update_totals()
        # Videos a crash or quit left half-imported carry on.
        self.importing.resume(course_id)
        if self.uploads is not None:
            self.uploads.course_opened(course_id)

    def choose_course(self) -> None:
        self.course_switcher.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.course_switcher.showPopup()

    def step_course(self, step: int) -> None:
        count = self.course_switcher.count()
        if count:
            row = (self.course_switcher.currentIndex() + step) % count
            self.course_switcher.setCurrentIndex(row)

    def new_course(self) -> None:
        title, ok = QInputDialog.getText(self, "New Course", "Title of the new course:")
        if ok:
            self.create_course(title)

    def create_course(self, title: str) -> str | None:
        course_id = course_actions.create_course(self.session, title)
        if course_id is not None:
            self.open_course(course_id)
            self.show_message(f"Created the course “{self.store.course(course_id).title}”.")
            self.chapter_tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return course_id

    def rename_course(self) -> None:
        if self._course_id is None:
            return
        old = self.store.course(self._course_id).title
        title, ok = QInputDialog.getText(
            self, "Rename Course", "New title of the course:", QLineEdit.EchoMode.Normal, old
        )
        if ok:
            course_actions.rename_course(self.session, self._course_id, title)

    def delete_course(self) -> None:
        course_id = self._course_id
        if course_id is None:
            return
        title = self.store.course(course_id).title
        count = self.store.course_totals(course_id).count
        answer = QMessageBox.question(
            self,
            "Delete Course",
            f"Move the course “{title}” and its {count} video{'' if count == 1 else 's'} "
            "to the Trash?\n\nYou can undo this, or restore the course from the Trash.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        others = [c.id for c in course_actions.live_courses(self.session) if c.id != course_id]
        shown_next = others[0] if others else None
        if course_actions.trash_course(self.session, course_id, shown_next):
            self.open_course(shown_next)
            self.show_message(f"Moved the course “{title}” to the Trash. Ctrl+Z brings it back.")

    # ------------------------------------------------------------------ store events

    # A StoreListener's narrowing: nothing is done before a step.
    before_kinds: frozenset[type] = frozenset()

    def before(self, step: Step) -> None:
        pass

    def after(self, step: Step) -> None:
        if type(step) is VideoMoved:  # the step of bulk edits, hundreds at a time
            # Looking a method up on a Qt object is not free: only the first step asks.
            if not self._totals_due:
                self._schedule_totals()
            return
        match step:
            case CourseCreated() | CoursePurged():
                self._fill_course_switcher()
                if self._course_id is None:
                    # A course made elsewhere (another window, the command line): show it.
                    QTimer.singleShot(0, self._follow_courses)
            case CourseChanged(course_id=course_id, after=after):
                self._fill_course_switcher()
                if "deleted_at" in after:
                    if after["deleted_at"] is not None:
                        self._trashed_since_edit += 1
                    # The shown course went to the Trash, or the first came back: follow.
                    QTimer.singleShot(0, self._follow_courses)
                elif course_id == self._course_id:
                    self.setWindowTitle(f"{self.store.course(course_id).title} — CourseDesk")
            case VideoTrashed() | ChapterTrashed():
                self._trashed_since_edit += 1
                self._schedule_totals()
            case _:
                self._schedule_totals()

    def _follow_history_visibility(self, visible: bool) -> None:
        group = self.session.group if visible else None
        if self.undo_history.group() is not group:
            self.undo_history.setGroup(group)  # type: ignore[arg-type]  # None lets go, as in Qt

    def _schedule_totals(self) -> None:
        # Once for a bulk edit's hundreds of steps: even asking a timer is not free.
        if not self._totals_due:
            self._totals_due = True
            self._totals_timer.start()

    def _follow_courses(self) -> None:
        shown = self._course_id
        if shown is None or self.store.course(shown).deleted_at is not None:
            self.open_course(None)

    # ------------------------------------------------------------------ first run

    def _show_welcome_if_empty(self) -> None:
        empty = not course_actions.live_courses(self.session)
        page = self.welcome if empty else self.editor_page
        if self.central_stack.currentWidget() is not page:
            self.central_stack.setCurrentWidget(page)

    @property
    def showing_welcome(self) -> bool:
        return self.central_stack.currentWidget() is self.welcome

    def _sample_folder(self) -> Path:
        """Where the sample course's videos are written: next to the library."""
        path = self.library.path
        return path.parent if path is not None else data_dir()

    def open_sample_course(self) -> None:
        """Make the sample course's videos in the background, then import them."""
        if self.sample_maker.busy:
            return
        if self.importing.importer.busy:
            self.show_message("An import is still running. Wait for it to finish, or cancel it.")
            return
        total = self.sample_maker.total
        self.welcome.show_busy("Making the sample course's videos…", 0, total)
        self.sample_maker.start(self._sample_folder())

    def _sample_progress(self, done: int, total: int) -> None:
        self.welcome.show_busy(f"Making the sample course's videos… {done} of {total}", done, total)

    def _import_sample(self, folders: list[Path]) -> None:
        self.welcome.show_idle()
        course_id = self.create_course(SAMPLE_COURSE_TITLE)
        if course_id is None:
            return
        if self.importing.start(folders, ImportTarget(course_id, make_chapters=True)):
            count = self.sample_maker.total
            self.show_message(f"Importing the sample course's {count} videos…")

    def _sample_failed(self, message: str) -> None:
        self.welcome.show_idle()
        QMessageBox.warning(self, "Sample Course", message)

    # ------------------------------------------------------------------ help

    def show_shortcuts(self) -> ShortcutsDialog:
        """Help ▸ Keyboard Shortcuts: the list, made from this window's actions now."""
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
        dialog = ShortcutsDialog(window_shortcuts(self), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: self._forget_shortcuts(dialog))
        self.shortcuts_dialog = dialog
        dialog.show()
        return dialog

    def _forget_shortcuts(self, dialog: ShortcutsDialog) -> None:
        if self.shortcuts_dialog is dialog:
            self.shortcuts_dialog = None

    def folders(self) -> list[tuple[str, str]]:
        """Where CourseDesk keeps its files, for About and bug reports."""
        path = self.library.path
        if path is not None:
            place = ("Data folder", str(path.parent))
        else:
            url = self.library.database.engine.url
            place = ("Library database", url.render_as_string(hide_password=True))
        return [place, ("Log folder", str(log_dir())), ("Cache folder", str(cache_dir()))]

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.folders(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_edit(self, course_id: str) -> None:
        if self._trashed_since_edit:
            what = self.session.group.undoText() or "Delete"
            self.show_message(f"{what} — done. Ctrl+Z undoes it; deleted items wait in the Trash.")
        self._trashed_since_edit = 0

    # ------------------------------------------------------------------ status

    def show_message(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MESSAGE_MS)

    def _update_totals(self) -> None:
        self._totals_due = False
        if self._course_id is None or not self.store.is_loaded(self._course_id):
            self.totals_label.setText("No course open")
            return
        totals = self.store.course_totals(self._course_id)
        chapters = len(self.store.chapter_ids(self._course_id))
        unassigned = len(self.store.library_ids(self._course_id))
        self.totals_label.setText(
            f"{chapters} chapter{'' if chapters == 1 else 's'} · "
            f"{totals.count} video{'' if totals.count == 1 else 's'} "
            f"({unassigned} unassigned) · {format_duration(totals.duration_s) or '0:00'} · "
            f"{format_size(totals.size_bytes) or '0 B'}"
        )

    def _update_trash_title(self) -> None:
        count = self.trash_panel.model.rowCount()
        self.trash_dock.setWindowTitle(f"Trash ({count})" if count else "Trash")

    # ------------------------------------------------------------------ keyboard

    def focus_search(self) -> None:
        self.library_search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.library_search.selectAll()

    def _focus_ring(self) -> list[QWidget]:
        return [self.chapter_tree, self.library_view, self.trash_view]

    def cycle_focus(self, step: int) -> None:
        """F6: chapter tree → media library → Trash → chapter tree (Shift+F6 backwards)."""
        ring = self._focus_ring()
        focused = self.focusWidget()
        current = -1
        for i, widget in enumerate(ring):
            owner = self.library_pane if widget is self.library_view else widget
            if focused is not None and (focused is owner or owner.isAncestorOf(focused)):
                current = i
        target = ring[(current + step) % len(ring)] if current >= 0 else ring[0]
        if target is self.trash_view:
            self.trash_dock.show()
            self.trash_dock.raise_()
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # ------------------------------------------------------------------ settings

    def save_settings(self) -> None:
        self.settings.setValue(KEY_GEOMETRY, self.saveGeometry())
        self.settings.setValue(KEY_STATE, self.saveState())
        self.settings.setValue(KEY_SPLITTER, self.splitter.saveState())
        self.settings.setValue(KEY_LIBRARY_STATE, json.dumps(self._library_state()))
        self.settings.sync()

    def restore_settings(self) -> None:
        geometry = self.settings.value(KEY_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value(KEY_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = self.settings.value(KEY_SPLITTER)
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        library_state = str(self.settings.value(KEY_LIBRARY_STATE, "", type=str))
        if library_state:
            try:
                loaded = json.loads(library_state)
            except ValueError:
                loaded = None
            if isinstance(loaded, dict):
                self._restore_library_state(loaded)

    # ------------------------------------------------------------------ more windows

    def open_new_window(self) -> MainWindow:
        """Another window on the same library: same store, same undo history."""
        window = MainWindow(
            self.library,
            self.session,
            self.settings,
            uploads=self.uploads,
            imports=self.importing.services,
        )
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.open_course(self._course_id)
        self._other_windows.append(window)
        window.destroyed.connect(lambda: self._other_windows.remove(window))
        window.show()
        return window

    def changeEvent(self, event: QEvent) -> None:
        # Undo and Redo follow the course of the window in front.
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.session.activate(course_actions.stack_id_for(self._course_id))
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self._detach()
        super().closeEvent(event)

    def _detach(self) -> None:
        """Stop following the store (a closed window must not hear later edits)."""
        if self._attached:
            self._attached = False
            self.store.unsubscribe(self)
            self.window_player.shut_down()
            self.sample_maker.cancel()
            self.importing.close()
            self.trash_panel.detach()
            self._detach_views()
