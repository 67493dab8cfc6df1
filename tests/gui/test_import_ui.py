"""Importing from the window: real drops from a file manager onto the chapter tree and the
media library, File ▸ Import…, the duplicate question, the report, Cancel and undo.

Drops are delivered as the file manager sends them (``text/uri-list`` in drag enter, move and
drop events on the views' viewports). Each test waits for the importer's ``finished`` and then
checks that the store, the views and a freshly loaded copy of the library agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from tests.support.clips import make_clip, make_not_a_video, make_truncated
from tests.support.manual_runner import ManualRunner
from tests.support.window_driving import activate, drop, file_urls

from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import AddChapter, AddVideos, CreateCourse, new_video
from coursedesk.editing.session import EditSession
from coursedesk.paths import CACHE_DIR_ENV
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.importer import (
    DuplicateAnswer,
    DuplicateChoice,
    DuplicateQuestion,
    Importer,
    ImportReport,
)
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.ui import duplicate_dialog
from coursedesk.ui.chapter_tree_model import Column, VideoIdRole
from coursedesk.ui.duplicate_dialog import DuplicateDialog
from coursedesk.ui.icons import notes_icon
from coursedesk.ui.import_controller import ImportServices
from coursedesk.ui.import_report import ImportReportDialog
from coursedesk.ui.library_model import NotesRole, ThumbnailRole
from coursedesk.ui.main_window import MainWindow

COURSE = "course"
BASICS = "basics"
CTRL = Qt.KeyboardModifier.ControlModifier
COPY = Qt.DropAction.CopyAction
IMPORT_TIMEOUT_MS = 60_000


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    return folder / "thumbnails"


@pytest.fixture
def course(library: Library) -> str:
    """A course with one chapter "Basics" of two ready videos."""
    library.apply(CreateCourse("Photography", course_id=COURSE))
    library.apply(AddChapter(COURSE, "Basics", chapter_id=BASICS))
    library.apply(
        AddVideos(
            tuple(
                new_video(
                    COURSE,
                    f"Old {n}",
                    f"/old/{n}.mp4",
                    video_id=f"old{n}",
                    status=VideoStatus.READY,
                    size_bytes=1,
                )
                for n in (1, 2)
            ),
            BASICS,
        )
    )
    return COURSE


WindowMaker = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, library: Library, course: str, cache: Path, tmp_path: Path
) -> Iterator[WindowMaker]:
    windows: list[MainWindow] = []

    def build(imports: ImportServices | None = None) -> MainWindow:
        session = EditSession(library)
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(library, session, settings, imports=imports)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.open_course(COURSE)
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window: WindowMaker) -> MainWindow:
    return make_window()


@pytest.fixture
def clips(tmp_path: Path) -> Path:
    folder = tmp_path / "Recordings"
    folder.mkdir()
    make_clip(folder / "10 outro.mp4", seconds=1.0)
    make_clip(folder / "2 intro.mov", seconds=1.5)
    return folder


def importer_of(window: MainWindow) -> Importer:
    return window.importing.importer


def drop_files(viewport: QWidget, paths: Sequence[Path], point: QPoint) -> bool:
    """What a file manager sends: drag enter, move and drop with ``text/uri-list``."""
    return drop(viewport, file_urls(paths), point, COPY)


def drop_and_wait(
    qtbot: QtBot, window: MainWindow, viewport: QWidget, paths: Sequence[Path], point: QPoint
) -> ImportReport:
    with qtbot.waitSignal(importer_of(window).finished, timeout=IMPORT_TIMEOUT_MS) as done:
        assert drop_files(viewport, paths, point)
    report = done.args[0] if done.args else None
    assert isinstance(report, ImportReport)
    return report


def tree_row_point(window: MainWindow, index: QModelIndex) -> QPoint:
    return window.chapter_tree.visualRect(index).center()


def below_the_rows(window: MainWindow) -> QPoint:
    viewport = window.chapter_tree.viewport()
    return QPoint(viewport.width() // 2, viewport.height() - 4)


def titles(library: Library, chapter_id: str) -> list[str]:
    store = library.store
    return [store.video(v).title for v in store.video_ids(chapter_id)]


def assert_agrees(window: MainWindow, library: Library) -> None:
    """Store, both views and the database on disk tell the same story; nothing half-done."""
    store = library.store
    check_invariants(store)
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        fresh.open_course(COURSE)
        assert fresh.store.snapshot() == store.snapshot()
    finally:
        fresh.close()
    tree = window.tree_model
    chapters = list(store.chapter_ids(COURSE))
    assert [tree.index(r, 0).data(Qt.ItemDataRole.EditRole) for r in range(tree.rowCount())] == [
        store.chapter(c).title for c in chapters
    ]
    for row, chapter_id in enumerate(chapters):
        parent = tree.index(row, 0)
        shown = [
            tree.index(r, 0, parent).data(Qt.ItemDataRole.EditRole)
            for r in range(tree.rowCount(parent))
        ]
        assert shown == titles(library, chapter_id)
    grid = window.library_pane.model
    assert sorted(grid.video_ids()) == sorted(store.live_video_ids(COURSE))
    live = [store.video(v) for v in store.live_video_ids(COURSE)]
    assert all(v.status is not VideoStatus.PROCESSING for v in live)


def wait_for_thumbnails(qtbot: QtBot, window: MainWindow, video_ids: Sequence[str]) -> None:
    grid = window.library_pane.model

    def shown() -> bool:
        for video_id in video_ids:
            row = grid.row_of(video_id)
            assert row is not None
            if not isinstance(grid.index(row, 0).data(ThumbnailRole), QImage):
                return False
        return True

    qtbot.waitUntil(shown, timeout=IMPORT_TIMEOUT_MS)


# ---------------------------------------------------------------------- drops


def test_files_dropped_on_a_chapter_row_join_it_and_show_thumbnails_in_the_grid(
    window: MainWindow, library: Library, clips: Path, qtbot: QtBot, cache: Path
) -> None:
    chapter_row = window.tree_model.chapter_index(BASICS)
    files = sorted(clips.iterdir())
    report = drop_and_wait(
        qtbot, window, window.chapter_tree.viewport(), files, tree_row_point(window, chapter_row)
    )
    assert titles(library, BASICS) == ["Old 1", "Old 2", "intro", "outro"]
    assert len(report.imported) == 2 and not report.refused
    new = [library.store.video(v) for v in report.imported]
    assert all(v.status is VideoStatus.READY and v.sha1 for v in new)
    assert all(ThumbnailCache(cache).has_pictures(v.sha1 or "") for v in new)
    assert window.statusBar().currentMessage() == "Imported 2 videos"
    assert window.importing.report_dialog is None  # a clean drop shows no report
    assert not window.importing.bar.isVisible()
    wait_for_thumbnails(qtbot, window, report.imported)
    assert_agrees(window, library)


def test_a_folder_of_folders_dropped_below_the_chapters_makes_a_chapter_of_each(
    window: MainWindow, library: Library, tmp_path: Path, qtbot: QtBot
) -> None:
    course_folder = tmp_path / "Course"
    for chapter, names in {"01 Light": ["2 b.mp4", "10 c.mp4"], "02 Colour": ["a.mkv"]}.items():
        (course_folder / chapter).mkdir(parents=True)
        for name in names:
            make_clip(course_folder / chapter / name, seconds=1.0)
    report = drop_and_wait(
        qtbot, window, window.chapter_tree.viewport(), [course_folder], below_the_rows(window)
    )
    assert len(report.imported) == 3
    store = library.store
    chapters = list(store.chapter_ids(COURSE))
    assert [store.chapter(c).title for c in chapters] == ["Basics", "Light", "Colour"]
    assert titles(library, chapters[1]) == ["b", "c"]
    assert titles(library, chapters[2]) == ["a"]
    assert window.tree_model.rowCount() == 3
    assert_agrees(window, library)

    # The whole drop is one step: Ctrl+Z takes both chapters and their videos away.
    assert window.session.stack(COURSE).undoText() == "Import 3 videos"
    window.chapter_tree.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert [store.chapter(c).title for c in store.chapter_ids(COURSE)] == ["Basics"]
    assert window.tree_model.rowCount() == 1
    assert_agrees(window, library)


def test_a_folder_dropped_again_below_the_chapters_adds_its_new_files_to_its_chapter(
    window: MainWindow,
    library: Library,
    clips: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tree = window.chapter_tree
    drop_and_wait(qtbot, window, tree.viewport(), [clips], below_the_rows(window))
    store = library.store
    recordings = store.chapter_ids(COURSE)[-1]
    assert titles(library, recordings) == ["intro", "outro"]

    make_clip(clips / "11 credits.mp4", seconds=0.8)
    make_clip(clips / "3 gear.mp4", seconds=1.2)
    asked: list[str] = []

    def skip(question: DuplicateQuestion) -> DuplicateAnswer:
        asked.append(question.path.name)
        return DuplicateAnswer(DuplicateChoice.SKIP, apply_to_all=True)

    monkeypatch.setattr(duplicate_dialog, "ask_about_duplicate", skip)
    report = drop_and_wait(qtbot, window, tree.viewport(), [clips], below_the_rows(window))

    assert asked == ["2 intro.mov"]  # asked once, answered for both known files
    assert sorted(report.skipped_duplicates) == ["10 outro.mp4", "2 intro.mov"]
    assert [store.chapter(c).title for c in store.chapter_ids(COURSE)] == ["Basics", "Recordings"]
    assert titles(library, recordings) == ["intro", "outro", "gear", "credits"]
    assert window.tree_model.rowCount() == 2
    assert_agrees(window, library)

    # With the report (it names the skipped files) still open, Ctrl+Z takes back only the
    # second drop.
    dialog = window.importing.report_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.session.stack(COURSE).undoText() == "Import 2 videos"
    qtbot.keyClick(tree, Qt.Key.Key_Z, CTRL)
    assert titles(library, recordings) == ["intro", "outro"]
    assert dialog.isVisible()
    assert_agrees(window, library)


def drop_with_a_report(qtbot: QtBot, window: MainWindow, clips: Path) -> ImportReportDialog:
    """Drop ``clips`` (with a file that is no video) on the tree, from the keyboard's
    point of view: the tree has focus while the import runs."""
    activate(qtbot, window)
    tree = window.chapter_tree
    tree.setFocus()
    make_not_a_video(clips / "handout.mp4")
    drop_and_wait(qtbot, window, tree.viewport(), [clips], below_the_rows(window))
    dialog = window.importing.report_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def test_the_import_report_leaves_the_keyboard_with_the_window_so_ctrl_z_undoes_at_once(
    window: MainWindow, library: Library, clips: Path, qtbot: QtBot
) -> None:
    dialog = drop_with_a_report(qtbot, window, clips)
    tree = window.chapter_tree
    qtbot.wait(50)  # a platform's activation of the new window would arrive meanwhile

    assert QApplication.activeWindow() is window
    assert QApplication.focusWidget() is tree
    assert len(library.store.chapter_ids(COURSE)) == 2
    qtbot.keyClick(tree, Qt.Key.Key_Z, CTRL)

    assert [library.store.chapter(c).title for c in library.store.chapter_ids(COURSE)] == ["Basics"]
    assert dialog.isVisible()  # read it at leisure
    assert_agrees(window, library)


def test_with_the_import_report_in_front_the_window_shortcuts_still_work(
    window: MainWindow, library: Library, clips: Path, qtbot: QtBot
) -> None:
    dialog = drop_with_a_report(qtbot, window, clips)
    store = library.store
    activate(qtbot, dialog)  # the instructor clicks into the report
    dialog.tree.setFocus()

    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, CTRL)
    assert len(store.chapter_ids(COURSE)) == 1
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [store.chapter(c).title for c in store.chapter_ids(COURSE)] == [
        "Basics",
        "Recordings",
    ]
    assert dialog.isVisible() and QApplication.activeWindow() is dialog
    # The report's own keys are its own: Escape closes it and nothing else.
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.importing.report_dialog is None)
    assert len(store.chapter_ids(COURSE)) == 2
    assert_agrees(window, library)


def test_a_folder_dropped_on_the_library_imports_unassigned_and_names_the_bad_file(
    window: MainWindow, library: Library, clips: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    make_not_a_video(clips / "handout.mp4")
    make_truncated(clips / "2 intro.mov", clips / "broken.mp4", keep_fraction=0.02)
    view = window.library_view
    report = drop_and_wait(qtbot, window, view.viewport(), [clips], view.viewport().rect().center())
    store = library.store
    assert sorted(store.video(v).title for v in store.library_ids(COURSE)) == ["intro", "outro"]
    refused = {r.name for r in report.refused}
    assert {"handout.mp4", "broken.mp4"} <= refused
    dialog = window.importing.report_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    rows = dialog.texts()
    assert any(row.startswith("Not imported") for row in rows)
    assert any(row.startswith("handout.mp4 — ") for row in rows)
    assert any(row.startswith("broken.mp4 — ") for row in rows)
    assert "2 not imported" in window.statusBar().currentMessage()
    wait_for_thumbnails(qtbot, window, report.imported)
    assert_agrees(window, library)


def test_missing_thumbnails_are_made_again_from_the_video_file(
    make_window: WindowMaker, library: Library, clips: Path, qtbot: QtBot, cache: Path
) -> None:
    window = make_window()
    view = window.library_view
    report = drop_and_wait(qtbot, window, view.viewport(), [clips], view.viewport().rect().center())
    window.close()
    for picture in cache.iterdir():
        picture.unlink()
    again = make_window()
    wait_for_thumbnails(qtbot, again, report.imported)
    for video_id in report.imported:
        sha1 = library.store.video(video_id).sha1
        assert sha1 is not None and ThumbnailCache(cache).thumbnail(sha1).is_file()


# ---------------------------------------------------------------------- menu


def test_file_import_puts_the_chosen_files_into_the_selected_chapter_in_one_undo_step(
    window: MainWindow,
    library: Library,
    clips: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = library.store.snapshot()
    chosen = [str(p) for p in sorted(clips.iterdir())]
    asked: list[str] = []

    def pick(parent: QWidget, caption: str, folder: str, filters: str) -> tuple[list[str], str]:
        asked.append(caption)
        return chosen, filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(pick))
    tree = window.chapter_tree
    tree.setFocus()
    tree.setCurrentIndex(window.tree_model.chapter_index(BASICS))
    with qtbot.waitSignal(importer_of(window).finished, timeout=IMPORT_TIMEOUT_MS):
        qtbot.keyClick(tree, Qt.Key.Key_I, CTRL)
    assert asked == ["Import Videos into “Basics”"]
    assert titles(library, BASICS) == ["Old 1", "Old 2", "intro", "outro"]
    assert_agrees(window, library)

    stack = window.session.stack(COURSE)
    assert stack.undoText() == "Import 2 videos"
    qtbot.keyClick(tree, Qt.Key.Key_Z, CTRL)
    assert library.store.snapshot() == before
    assert_agrees(window, library)


def test_import_folder_from_the_menu_goes_to_the_library_when_the_grid_has_focus(
    window: MainWindow,
    library: Library,
    clips: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *_args: str(clips))
    )
    window.library_view.setFocus()
    with qtbot.waitSignal(importer_of(window).finished, timeout=IMPORT_TIMEOUT_MS):
        window.importing.import_folder_action.trigger()
    titles_in_library = sorted(
        library.store.video(v).title for v in library.store.library_ids(COURSE)
    )
    assert titles_in_library == ["intro", "outro"]
    assert_agrees(window, library)


# ---------------------------------------------------------------------- duplicates


def test_a_duplicate_is_asked_about_and_skipping_it_is_reported(
    window: MainWindow,
    library: Library,
    clips: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = window.library_view
    centre = view.viewport().rect().center()
    first = drop_and_wait(qtbot, window, view.viewport(), [clips / "2 intro.mov"], centre)
    original = first.imported[0]
    copy = tmp_path / "intro again.mov"
    copy.write_bytes((clips / "2 intro.mov").read_bytes())

    questions: list[DuplicateQuestion] = []

    def answer(question: DuplicateQuestion) -> DuplicateAnswer:
        questions.append(question)
        return DuplicateAnswer(DuplicateChoice.SKIP)

    monkeypatch.setattr(duplicate_dialog, "ask_about_duplicate", answer)
    report = drop_and_wait(qtbot, window, view.viewport(), [copy], centre)
    assert [q.existing_video_id for q in questions] == [original]
    assert report.skipped_duplicates == ["intro again.mov"]
    assert list(library.store.library_ids(COURSE)) == [original]
    dialog = window.importing.report_dialog
    assert dialog is not None
    assert "intro again.mov — Already in the course; left out." in dialog.texts()
    assert_agrees(window, library)


def test_replacing_a_duplicate_keeps_the_existing_video_in_its_place(
    window: MainWindow,
    library: Library,
    clips: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tree = window.chapter_tree
    row = window.tree_model.chapter_index(BASICS)
    first = drop_and_wait(
        qtbot, window, tree.viewport(), [clips / "2 intro.mov"], tree_row_point(window, row)
    )
    original = first.imported[0]
    copy = tmp_path / "intro take 2.mov"
    copy.write_bytes((clips / "2 intro.mov").read_bytes())
    monkeypatch.setattr(
        duplicate_dialog,
        "ask_about_duplicate",
        lambda _q: DuplicateAnswer(DuplicateChoice.REPLACE, apply_to_all=True),
    )
    view = window.library_view
    report = drop_and_wait(qtbot, window, view.viewport(), [copy], view.viewport().rect().center())
    assert report.replaced == [original]
    video = library.store.video(original)
    assert (video.chapter_id, video.title, video.source_path) == (BASICS, "intro", str(copy))
    assert titles(library, BASICS) == ["Old 1", "Old 2", "intro"]
    assert_agrees(window, library)


def test_the_duplicate_dialog_answers_from_the_keyboard(qtbot: QtBot, tmp_path: Path) -> None:
    question = DuplicateQuestion(tmp_path / "intro.mov", "v1", "Intro", False, remaining=3)
    dialog = DuplicateDialog(question)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.apply_to_all.text() == "&Apply to all remaining (3)"
    dialog.apply_to_all.setFocus()
    qtbot.keyClick(dialog.apply_to_all, Qt.Key.Key_Space)
    dialog.keep_button.setFocus()
    qtbot.keyClick(dialog.keep_button, Qt.Key.Key_Space)
    assert dialog.result() == DuplicateDialog.DialogCode.Accepted
    assert dialog.answer() == DuplicateAnswer(DuplicateChoice.KEEP_BOTH, apply_to_all=True)

    # Esc skips, and the last duplicate of a drop offers no "apply to all".
    last = DuplicateDialog(DuplicateQuestion(tmp_path / "b.mov", "v2", "B", True, remaining=0))
    qtbot.addWidget(last)
    last.show()
    qtbot.waitExposed(last)
    assert not last.apply_to_all.isVisible()
    qtbot.keyClick(last, Qt.Key.Key_Escape)
    assert last.answer() == DuplicateAnswer(DuplicateChoice.SKIP, apply_to_all=False)


def test_a_possible_duplicate_can_replace_the_older_recording_or_be_dismissed(
    window: MainWindow, library: Library, tmp_path: Path, qtbot: QtBot
) -> None:
    view = window.library_view
    centre = view.viewport().rect().center()
    (tmp_path / "take1").mkdir()
    old_take = make_clip(tmp_path / "take1" / "Welcome.mp4", seconds=2.0)
    first = drop_and_wait(qtbot, window, view.viewport(), [old_take], centre)
    (tmp_path / "take2").mkdir()
    new_take = make_clip(tmp_path / "take2" / "Welcome.mp4", seconds=2.0, noise=True)
    report = drop_and_wait(qtbot, window, view.viewport(), [new_take], centre)
    new_id, existing_id = report.imported[0], first.imported[0]
    assert [(p.new_video_id, p.existing_video_id) for p in report.possible_duplicates] == [
        (new_id, existing_id)
    ]
    dialog = window.importing.report_dialog
    assert dialog is not None
    buttons = dialog.findChildren(QWidget, "replaceDuplicateButton")
    assert len(buttons) == 1
    qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    store = library.store
    assert store.video(existing_id).source_path == str(new_take)
    assert store.video(new_id).deleted_at is not None  # the new row went to the Trash
    assert window.session.stack(COURSE).undoText() == "Replace video"
    assert_agrees(window, library)

    window.session.stack(COURSE).undo()
    assert store.video(existing_id).source_path == str(old_take)
    dismiss = dialog.findChildren(QWidget, "notDuplicateButton")[0]
    assert not dismiss.isEnabled()  # acted on already
    window.importing.not_a_duplicate(new_id, existing_id)
    assert library.is_dismissed(existing_id, new_id)


# ---------------------------------------------------------------------- replace video


def test_replace_video_from_the_grid_menu_gives_it_the_new_file_and_undo_brings_back_the_old(
    window: MainWindow,
    library: Library,
    clips: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = window.library_view
    first = drop_and_wait(
        qtbot, window, view.viewport(), [clips / "2 intro.mov"], view.viewport().rect().center()
    )
    video_id = first.imported[0]
    before = library.store.video(video_id)
    new_file = make_clip(tmp_path / "intro v2.mp4", seconds=3.0, width=640, height=360)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(new_file), ""))
    )
    grid = window.library_pane.model
    row = grid.row_of(video_id)
    assert row is not None
    view.setFocus()
    view.setCurrentIndex(grid.index(row, 0))
    assert window.importing.replace_action in view.actions()
    with qtbot.waitSignal(importer_of(window).finished, timeout=IMPORT_TIMEOUT_MS):
        window.importing.replace_action.trigger()
    after = library.store.video(video_id)
    assert (after.title, after.chapter_id, after.width) == (before.title, None, 640)
    assert after.sha1 != before.sha1
    assert window.session.stack(COURSE).undoText() == "Replace video"
    wait_for_thumbnails(qtbot, window, [video_id])
    assert_agrees(window, library)
    window.session.stack(COURSE).undo()
    assert library.store.video(video_id).sha1 == before.sha1
    assert_agrees(window, library)


# ---------------------------------------------------------------------- progress, cancel


def test_cancel_keeps_the_videos_fully_imported_and_removes_the_half_done_rows(
    qtbot: QtBot,
    library: Library,
    course: str,
    cache: Path,
    tmp_path: Path,
    clips: Path,
) -> None:
    make_clip(clips / "3 middle.mp4", seconds=1.0)
    session = EditSession(library)
    runner = ManualRunner()
    importer = Importer(session, runner, ThumbnailCache(cache))
    services = ImportServices(importer, runner, ThumbnailCache(cache))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(library, session, settings, imports=services)
    qtbot.addWidget(window)
    window.show()
    window.open_course(COURSE)

    row = window.tree_model.chapter_index(BASICS)
    assert drop_files(window.chapter_tree.viewport(), [clips], tree_row_point(window, row))
    qtbot.waitUntil(lambda: len(runner.waiting) == 1)  # the deferred start planned the drop
    runner.run_next()  # plan: three rows appear at once, processing
    store = library.store
    assert titles(library, BASICS)[2:] == ["intro", "middle", "outro"]
    assert {store.video(v).status for v in store.video_ids(BASICS)[2:]} == {VideoStatus.PROCESSING}
    assert len(runner.waiting) == 3
    runner.run_next()  # "intro" is read
    bar = window.importing.bar
    assert bar.isVisible()
    assert bar.label.text().startswith("Importing 2 of 3 videos · ")

    with qtbot.waitSignal(importer.finished) as done:
        qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    report = done.args[0]
    assert report.cancelled and len(report.imported) == 1
    runner.run_all()  # the other files' work ends, and changes nothing
    assert titles(library, BASICS) == ["Old 1", "Old 2", "intro"]
    assert not bar.isVisible()
    assert window.statusBar().currentMessage().startswith("Import cancelled")
    assert_agrees(window, library)
    window.close()


def test_pre_flight_notes_show_as_a_sign_and_tooltip_in_the_tree_and_the_grid(
    window: MainWindow, library: Library, tmp_path: Path, qtbot: QtBot
) -> None:
    silent = make_clip(tmp_path / "silent.mp4", seconds=1.0, audio=False)
    tree = window.chapter_tree
    chapter_row = window.tree_model.chapter_index(BASICS)
    report = drop_and_wait(
        qtbot, window, tree.viewport(), [silent], tree_row_point(window, chapter_row)
    )
    video_id = report.imported[0]
    notes = library.store.video(video_id).notes
    assert notes == ("'silent.mp4' has no sound track.",)
    assert report.notes == {video_id: notes}
    dialog = window.importing.report_dialog
    assert dialog is not None
    assert "Notes (1)" in dialog.texts()
    assert f"silent (0:01) — {notes[0]}" in dialog.texts()

    in_tree = window.tree_model.index(2, Column.STATUS, chapter_row)
    assert in_tree.data(VideoIdRole) == video_id
    assert in_tree.data(Qt.ItemDataRole.DecorationRole).cacheKey() == notes_icon().cacheKey()
    assert in_tree.data(Qt.ItemDataRole.ToolTipRole) == notes[0]
    grid = window.library_pane.model
    row = grid.row_of(video_id)
    assert row is not None
    index = grid.index(row, 0)
    assert index.data(NotesRole) == notes
    assert notes[0] in index.data(Qt.ItemDataRole.ToolTipRole)
