"""The window's side of importing: drops on the tree and the grid, File ▸ Import…, Replace
Video…, the progress bar, the duplicate question, the report, and the grid's thumbnails.

The work itself is the ``Importer``'s (services/ingest); this module only turns what the
instructor does into import targets and what the importer reports into things they see.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget

from coursedesk.domain.model import TECHNICAL_VIDEO_FIELDS
from coursedesk.domain.operations import Batch, ReplaceVideoContent, TrashVideos
from coursedesk.editing.session import EditSession
from coursedesk.paths import cache_dir
from coursedesk.persistence.errors import SaveFailed
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.importer import (
    DuplicateAnswer,
    DuplicateQuestion,
    Importer,
    ImportReport,
    ImportTarget,
)
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.services.ingest.scan import VIDEO_EXTENSIONS
from coursedesk.services.tasks import PoolRunner, TaskRunner
from coursedesk.ui import duplicate_dialog
from coursedesk.ui.chapter_tree_model import ChapterIdRole, ChapterTreeModel
from coursedesk.ui.chapter_tree_view import ChapterTreeView
from coursedesk.ui.import_bar import ImportBar
from coursedesk.ui.import_report import ImportReportDialog, needs_attention, summary
from coursedesk.ui.library_pane import LibraryPane
from coursedesk.ui.thumbnail_loader import ThumbnailLoader

log = logging.getLogger(__name__)

IMPORT_THREADS = 2
PICTURE_THREADS = 2
THUMBNAILS_FOLDER = "thumbnails"
VIDEO_FILE_FILTER = (
    "Videos (" + " ".join(f"*.{e}" for e in sorted(VIDEO_EXTENSIONS)) + ");;All files (*)"
)
# What a video takes from another one's file when it replaces its content with it.
_CONTENT_FIELDS = tuple(sorted(TECHNICAL_VIDEO_FIELDS - {"remote_file_id", "remote_name"}))


def _ask(question: DuplicateQuestion) -> DuplicateAnswer:
    # Looked up when asked, so one place (and tests) can put another question in its stead.
    return duplicate_dialog.ask_about_duplicate(question)


class StoppableRunner(TaskRunner, Protocol):
    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the work handed over so far has ended."""


@dataclass
class ImportServices:
    """The importer and what it runs on, shared by every window of one library."""

    importer: Importer
    runner: StoppableRunner
    pictures: ThumbnailCache
    # Whether opening a course carries on with the videos an earlier run left processing:
    # the application's own run says yes; a window built on its own (embedding, tests) no.
    resume_interrupted: bool = False

    @classmethod
    def create(
        cls,
        library: Library,
        session: EditSession,
        cache_root: Path | None = None,
        *,
        resume_interrupted: bool = False,
    ) -> ImportServices:
        pictures = ThumbnailCache(cache_root or cache_dir() / THUMBNAILS_FOLDER)
        runner = PoolRunner(IMPORT_THREADS)
        importer = Importer(
            session, runner, pictures, resolve_duplicate=_ask, is_dismissed=library.is_dismissed
        )
        return cls(importer, runner, pictures, resume_interrupted)

    def shut_down(self) -> None:
        """Stop reading files (unfinished rows resume at the next start) and let the
        workers end."""
        self.importer.shut_down()
        self.runner.wait()


class ImportController(QObject):
    """Importing for one window. ``bar`` goes in its status bar; ``import_action``,
    ``import_folder_action`` and ``replace_action`` in its menus."""

    status_message = Signal(str)

    def __init__(
        self,
        window: QWidget,
        library: Library,
        session: EditSession,
        services: ImportServices,
        tree: ChapterTreeView,
        tree_model: ChapterTreeModel,
        library_pane: LibraryPane,
        *,
        owns_services: bool,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.library = library
        self.session = session
        self.services = services
        self.importer = services.importer
        self.tree = tree
        self.tree_model = tree_model
        self.library_pane = library_pane
        self._owns_services = owns_services
        self._started_here = False
        self._closed = False
        self.last_report: ImportReport | None = None
        self.report_dialog: ImportReportDialog | None = None
        # The window's shortcuts that also work from the report (Ctrl+Z, …): the window
        # fills this in once it has built its actions.
        self.report_shortcuts: list[QAction] = []

        self.bar = ImportBar()
        self.bar.cancel_requested.connect(self.cancel)
        self._picture_runner = PoolRunner(PICTURE_THREADS)
        self.loader = ThumbnailLoader(session.store, services.pictures, self._picture_runner)
        grid = library_pane.model
        grid.thumbnail_provider = self.loader
        self.loader.picture_loaded.connect(grid.refresh_video)

        self.importer.progress.connect(self.bar.show_progress)
        self.importer.finished.connect(self._finished)
        self.importer.pictures_ready.connect(self._pictures_ready)
        tree_model.accept_files = True
        tree_model.files_dropped.connect(self._dropped_on_tree)
        library_pane.view.accept_files = True
        library_pane.files_dropped.connect(self._dropped_on_library)
        self._build_actions()

    def _build_actions(self) -> None:
        self.import_action = QAction("&Import Videos…", self.window)
        self.import_action.setObjectName("importAction")
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setStatusTip(
            "Import video files into the selected chapter, or into the library (Ctrl+I)"
        )
        self.import_action.triggered.connect(self.choose_files)
        self.import_folder_action = QAction("Import &Folder…", self.window)
        self.import_folder_action.setObjectName("importFolderAction")
        self.import_folder_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.import_folder_action.setStatusTip(
            "Import every video in a folder into the selected chapter, or into the library"
        )
        self.import_folder_action.triggered.connect(self.choose_folder)
        self.replace_action = QAction("Re&place Video…", self.window)
        self.replace_action.setObjectName("replaceVideoAction")
        self.replace_action.setStatusTip(
            "Give the selected video another file; it keeps its title and its place"
        )
        self.replace_action.triggered.connect(self.replace_selected)
        # The grid's context menu lists its actions; the tree's asks for extra ones.
        self.library_pane.view.addAction(self.replace_action)
        self.tree.extra_video_actions.append(self.replace_action)

    # ------------------------------------------------------------------ starting

    @property
    def course_id(self) -> str | None:
        return self.tree_model.course_id

    def start(self, paths: Sequence[str | Path], target: ImportTarget) -> bool:
        """Import ``paths`` into ``target``; False (and a message) if another import runs."""
        if self._closed:
            return False
        if self.importer.busy:
            self.status_message.emit(
                "An import is still running. Wait for it to finish, or cancel it."
            )
            return False
        self._started_here = True
        if not self.importer.start([Path(p) for p in paths], target):
            self._started_here = False
            return False
        return True

    def _dropped_on_tree(self, paths: list[str], chapter_id: str | None, index: int) -> None:
        course_id = self.course_id
        if course_id is None:
            return
        if chapter_id is None:
            target = ImportTarget(course_id, make_chapters=True)
        else:
            target = ImportTarget(course_id, chapter_id, None if index < 0 else index)
        # Let the file manager's drag end before anything else happens.
        QTimer.singleShot(0, lambda: self.start(paths, target))

    def _dropped_on_library(self, paths: list[str]) -> None:
        # The grid already let the drag end; its drops go to the library, folders flattened.
        course_id = self.course_id
        if course_id is not None:
            self.start(paths, ImportTarget(course_id))

    def menu_target(self) -> ImportTarget | None:
        """Where File ▸ Import… puts videos: the end of the chapter selected in the tree (or
        of the selected video's chapter) unless the grid has focus; else the library."""
        course_id = self.course_id
        if course_id is None:
            return None
        if not self.library_pane.isAncestorOf(self.window.focusWidget() or self.window):
            current = self.tree.currentIndex()
            chapter_id = current.data(ChapterIdRole) if current.isValid() else None
            if isinstance(chapter_id, str):
                return ImportTarget(course_id, chapter_id)
        return ImportTarget(course_id)

    def _where(self, target: ImportTarget) -> str:
        if target.chapter_id is None:
            return "the library"
        return f"“{self.session.store.chapter(target.chapter_id).title}”"

    def choose_files(self) -> None:
        target = self.menu_target()
        if target is None:
            self.status_message.emit("Open or create a course first.")
            return
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, f"Import Videos into {self._where(target)}", "", VIDEO_FILE_FILTER
        )
        if paths:
            self.start(paths, target)

    def choose_folder(self) -> None:
        target = self.menu_target()
        if target is None:
            self.status_message.emit("Open or create a course first.")
            return
        folder = QFileDialog.getExistingDirectory(
            self.window, f"Import a Folder into {self._where(target)}"
        )
        if folder:
            self.start([folder], target)

    def resume(self, course_id: str | None) -> None:
        """Carry on with the course's videos an earlier run left processing."""
        if course_id is None or self._closed or self.importer.busy:
            return
        if not self.services.resume_interrupted:
            return
        self._started_here = True
        count = self.importer.resume(course_id)
        if count:
            self.status_message.emit(f"Finishing the import of {_videos(count)}…")
        else:
            self._started_here = False

    def cancel(self) -> None:
        self.importer.cancel()

    # ------------------------------------------------------------------ replacing

    def _selected_video(self) -> str | None:
        focus = self.window.focusWidget()
        grid = self.library_pane.view
        in_grid = grid.selected_video_ids()
        in_tree = self.tree.selected_video_ids()
        if focus is not None and self.library_pane.isAncestorOf(focus) and in_grid:
            return in_grid[0]
        if in_tree:
            return in_tree[0]
        return in_grid[0] if in_grid else None

    def replace_selected(self) -> None:
        """Replace Video…: pick a file; the selected video takes its content (undoable)."""
        video_id = self._selected_video()
        if video_id is None:
            self.status_message.emit("Select the video whose file you want to replace.")
            return
        if self.importer.busy:
            self.status_message.emit(
                "An import is still running. Wait for it to finish, or cancel it."
            )
            return
        video = self.session.store.video(video_id)
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            f"Replace the File of “{video.title}”",
            str(Path(video.source_path).parent),
            VIDEO_FILE_FILTER,
        )
        if not path:
            return
        self._started_here = True
        if self.importer.replace_file(video_id, Path(path)):
            self.status_message.emit(f"Reading {Path(path).name}…")
        else:
            self._started_here = False

    def replace_with_new(self, new_video_id: str, existing_video_id: str) -> bool:
        """A possible duplicate confirmed: the existing video takes the new one's content
        (keeping its title and place) and the new row goes to the Trash — one undo step."""
        store = self.session.store
        if not (store.has_video(new_video_id) and store.has_video(existing_video_id)):
            return False
        new = store.video(new_video_id)
        changes = {name: getattr(new, name) for name in _CONTENT_FIELDS}
        operation = Batch(
            (ReplaceVideoContent(existing_video_id, changes), TrashVideos((new_video_id,)))
        )
        applied = self.session.do(operation, "Replace video", new.course_id)
        if applied is not None:
            self.status_message.emit(
                f"“{store.video(existing_video_id).title}” now has the new file. Ctrl+Z undoes it."
            )
        return applied is not None

    def not_a_duplicate(self, new_video_id: str, existing_video_id: str) -> None:
        try:
            self.library.dismiss_duplicate(new_video_id, existing_video_id)
        except SaveFailed as exc:
            self.status_message.emit(str(exc))

    # ------------------------------------------------------------------ results

    def _pictures_ready(self, video_id: str) -> None:
        self.loader.forget(video_id)
        self.library_pane.model.refresh_video(video_id)

    def _finished(self, report: ImportReport) -> None:
        self.bar.hide()
        if not self._started_here or self._closed:
            return
        self._started_here = False
        self.last_report = report
        self.status_message.emit(summary(report))
        if needs_attention(report):
            self.show_report(report)

    def show_report(self, report: ImportReport) -> ImportReportDialog:
        if self.report_dialog is not None:
            self.report_dialog.close()
        dialog = ImportReportDialog(report, self.session.store, self.window)
        dialog.replace_requested.connect(self.replace_with_new)
        dialog.not_duplicate_requested.connect(self.not_a_duplicate)
        dialog.destroyed.connect(lambda *_: self._forget_dialog(dialog))
        self.report_dialog = dialog
        # The report is the window's: with focus in it, Ctrl+Z still undoes the import.
        dialog.addActions(self.report_shortcuts)
        # It arrives when a background import ends, maybe mid-keystroke: it does not take
        # the keyboard from the window (the instructor clicks into it to read or act).
        window_in_front = self.window.isActiveWindow()
        dialog.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        dialog.show()
        if window_in_front:
            # Where the platform activates every new window all the same.
            self.window.activateWindow()
        return dialog

    def _forget_dialog(self, dialog: Any) -> None:
        if self.report_dialog is dialog:
            self.report_dialog = None

    def close(self) -> None:
        """The window is closing: stop showing pictures; stop importing if this window
        started the importer."""
        if self._closed:
            return
        self._closed = True
        self.importer.progress.disconnect(self.bar.show_progress)
        self.importer.finished.disconnect(self._finished)
        self.importer.pictures_ready.disconnect(self._pictures_ready)
        self.loader.close()
        self.library_pane.model.thumbnail_provider = None
        if self._owns_services:
            self.services.shut_down()
        self._picture_runner.wait()


def _videos(count: int) -> str:
    return f"{count} video" + ("" if count == 1 else "s")
