"""A new instructor's whole journey, in the real window composed as the application composes
it (``app.open_workspace``): create a course from the welcome page, drop a folder of clips in,
rearrange it by keyboard, by drag and through the menus, rename, quick-assign from the
library, delete and undo, connect storage on the loopback B2 emulator, watch every video
upload, empty the Trash (the bucket forgets the video too), leave a video in the Trash, quit,
and start again to find everything as it was left.

After every step the test looks at what the instructor sees (the chapter tree, the library
grid, the Trash, the status bar) and checks that a fresh load of the database agrees.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolButton,
)
from pytestqt.qtbot import QtBot
from tests.support.b2_emulator import B2Emulator
from tests.support.clips import make_clip
from tests.support.window_driving import (
    activate,
    answering,
    below_the_rows,
    click_row,
    drop,
    file_urls,
    row_point,
)

from coursedesk.app import Workspace, open_workspace
from coursedesk.domain.invariants import check_invariants
from coursedesk.domain.model import VideoStatus
from coursedesk.paths import CACHE_DIR_ENV
from coursedesk.persistence.library import Library
from coursedesk.persistence.uploads import JobState
from coursedesk.services.ingest.importer import ImportReport
from coursedesk.services.upload.settings_file import storage_file
from coursedesk.ui.chapter_tree_model import Column as TreeColumn
from coursedesk.ui.chapter_tree_model import StatusRole
from coursedesk.ui.library_model import ChapterLabelRole
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.uploads import closing
from coursedesk.ui.uploads.closing import CloseChoice
from coursedesk.ui.uploads.formatting import NO_ACCOUNT_HINT
from coursedesk.ui.uploads.jobs_model import Column as JobColumn
from coursedesk.ui.uploads.storage_dialog import StorageDialog

WAIT_MS = 30_000
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
TITLE = "Intro to Photography"

# The chapters and videos as the instructor sees them: (chapter, [video titles]) in order.
Outline = list[tuple[str, list[str]]]


# ---------------------------------------------------------------------- the application


@contextmanager
def running_app(qtbot: QtBot, folder: Path) -> Iterator[Workspace]:
    """Start CourseDesk on ``folder`` and show its window; stop everything afterwards, as
    the application does when its event loop ends."""
    workspace = open_workspace(folder)
    window = workspace.window
    try:
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        yield workspace
    finally:
        if window.isVisible():
            window.close()
        workspace.shut_down()
        window.deleteLater()


@pytest.fixture
def closing_questions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The question a window asks when closed mid-upload, answered "Pause and Quit";
    records how many uploads each question said were running."""
    asked: list[int] = []

    def ask(_parent: object, running: int) -> CloseChoice:
        asked.append(running)
        return CloseChoice.PAUSE_AND_QUIT

    monkeypatch.setattr(closing, "ask_about_running_uploads", ask)
    return asked


# ---------------------------------------------------------------------- what is shown


def tree_outline(window: MainWindow) -> Outline:
    tree = window.tree_model
    outline: Outline = []
    for row in range(tree.rowCount()):
        chapter = tree.index(row, 0)
        titles = [
            tree.index(r, 0, chapter).data(Qt.ItemDataRole.EditRole)
            for r in range(tree.rowCount(chapter))
        ]
        outline.append((chapter.data(Qt.ItemDataRole.EditRole), titles))
    return outline


def store_outline(library: Library, course_id: str) -> Outline:
    store = library.store
    return [
        (store.chapter(c).title, [store.video(v).title for v in store.video_ids(c)])
        for c in store.chapter_ids(course_id)
    ]


def grid_tiles(window: MainWindow) -> dict[str, str | None]:
    """Each card of the library grid: its title and the chapter label under it."""
    grid = window.library_pane.model
    return {
        grid.index(r, 0).data(): grid.index(r, 0).data(ChapterLabelRole)
        for r in range(grid.rowCount())
    }


def expected_tiles(outline: Outline, unassigned: tuple[str, ...] = ()) -> dict[str, str | None]:
    tiles: dict[str, str | None] = dict.fromkeys(unassigned)
    for number, (chapter, titles) in enumerate(outline, start=1):
        tiles.update(dict.fromkeys(titles, f"{number} · {chapter}"))
    return tiles


def trash_names(window: MainWindow) -> list[str]:
    model = window.trash_panel.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def saved_outline(desk: Workspace, course_id: str) -> Outline:
    """The course as a fresh load of the database has it; it must match the open store."""
    assert desk.library.path is not None
    fresh = Library.open(desk.library.path)
    try:
        fresh.open_course(course_id)
        check_invariants(fresh.store)
        assert fresh.store.snapshot() == desk.library.store.snapshot()
        return store_outline(fresh, course_id)
    finally:
        fresh.close()


def assert_course_shows(
    desk: Workspace, course_id: str, outline: Outline, unassigned: tuple[str, ...] = ()
) -> None:
    """Tree, grid, store and the database on disk all hold ``outline``."""
    window = desk.window
    assert window.course_id == course_id
    # The status bar says why when an edit was refused.
    assert tree_outline(window) == outline, window.statusBar().currentMessage()
    assert store_outline(desk.library, course_id) == outline
    assert grid_tiles(window) == expected_tiles(outline, unassigned)
    assert saved_outline(desk, course_id) == outline


def tree_video(window: MainWindow, chapter: int, title: str) -> QModelIndex:
    """The tree row of the video titled ``title`` in the chapter at row ``chapter``."""
    tree = window.tree_model
    parent = tree.index(chapter, 0)
    for row in range(tree.rowCount(parent)):
        index = tree.index(row, 0, parent)
        if index.data(Qt.ItemDataRole.EditRole) == title:
            return index
    raise AssertionError(f"no {title!r} in chapter {chapter}: {tree_outline(window)}")


def video_id_titled(desk: Workspace, course_id: str, title: str) -> str:
    store = desk.library.store
    (found,) = [v for v in store.live_video_ids(course_id) if store.video(v).title == title]
    return found


# ---------------------------------------------------------------------- the steps


def make_course_folder(root: Path) -> Path:
    """A folder of recordings as an instructor keeps them: one sub-folder per chapter.
    Lengths differ so no two files are the same recording."""
    folder = root / TITLE
    chapters = {
        "01 Getting started": ["1 Welcome.mp4", "2 Gear.mov", "3 Light meter.mp4"],
        "02 Exposure": ["1 Aperture.mp4", "2 Shutter speed.mkv"],
    }
    seconds = 1.0
    for chapter, names in chapters.items():
        (folder / chapter).mkdir(parents=True)
        for name in names:
            make_clip(folder / chapter / name, seconds=seconds)
            seconds += 0.2
    return folder


def create_course_from_welcome(qtbot: QtBot, window: MainWindow, title: str) -> None:
    """The welcome page's "Create a course", the title typed into the dialog, Enter."""
    button = window.findChild(QPushButton, "createCourseButton")
    assert button is not None and button.isVisible()

    def type_title(dialog: QInputDialog) -> None:
        editor = dialog.findChild(QLineEdit)
        assert editor is not None
        qtbot.keyClicks(editor, title)
        qtbot.keyClick(editor, Qt.Key.Key_Return)

    with answering(qtbot, QInputDialog, type_title) as asked:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert asked == ["New Course"]


def import_by_dropping(
    qtbot: QtBot, window: MainWindow, view: QAbstractItemView, point: QPoint, paths: list[Path]
) -> ImportReport:
    with qtbot.waitSignal(window.importing.importer.finished, timeout=WAIT_MS) as done:
        assert drop(view.viewport(), file_urls(paths), point, Qt.DropAction.CopyAction)
    report = done.args[0] if done.args else None
    assert isinstance(report, ImportReport)
    assert not report.refused and not report.possible_duplicates
    return report


def menu_named(window: MainWindow, title: str) -> QMenu:
    for action in window.menuBar().actions():
        menu = action.menu()
        if action.text().replace("&", "") == title and isinstance(menu, QMenu):
            return menu
    raise AssertionError(f"no {title!r} menu")


def menu_item(menu: QMenu, text: str) -> QAction:
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def tool_button_for(window: MainWindow, action: QAction) -> QToolButton:
    (button,) = [b for b in window.findChildren(QToolButton) if b.defaultAction() is action]
    return button


def fill_storage_dialog(qtbot: QtBot, dialog: StorageDialog, emulator: B2Emulator) -> None:
    """Type the account in, as from the B2 web page, and the emulator's endpoint."""
    qtbot.keyClicks(dialog.key_id_edit, emulator.key_id)
    qtbot.keyClicks(dialog.app_key_edit, emulator.app_key)
    qtbot.keyClicks(dialog.bucket_edit, emulator.bucket_name)
    dialog.advanced_toggle.setFocus()
    qtbot.keyClick(dialog.advanced_toggle, Qt.Key.Key_Space)
    assert dialog.realm_edit.isVisible()
    dialog.realm_edit.selectAll()
    qtbot.keyClicks(dialog.realm_edit, emulator.realm_url)


def wait_until_all_uploaded(
    qtbot: QtBot, desk: Workspace, course_id: str, emulator: B2Emulator
) -> None:
    store = desk.library.store
    hookup = desk.window.window_uploads
    assert hookup is not None

    def all_in_the_bucket() -> bool:
        videos = [store.video(v) for v in store.live_video_ids(course_id)]
        names = {f.file_name for f in emulator.files() if f.action == "upload"}
        return (
            all(v.status is VideoStatus.UPLOADED and v.remote_name in names for v in videos)
            and desk.uploads.queue.is_idle()
            and "0 queued · 0 running" in hookup.summary.text()
        )

    qtbot.waitUntil(all_in_the_bucket, timeout=WAIT_MS)


def assert_everything_uploaded(
    desk: Workspace, course_id: str, emulator: B2Emulator, *, listed: bool
) -> set[str]:
    """Every video of the course shows as uploaded in the tree and the grid (and, if
    ``listed``, in the Uploads panel, which lists only this run's uploads) and is in the
    bucket with its content; returns the names of the bucket's files."""
    store = desk.library.store
    window = desk.window
    live = list(store.live_video_ids(course_id))
    tree = window.tree_model
    grid = window.library_pane.model
    hookup = window.window_uploads
    assert hookup is not None
    panel = hookup.panel.model
    stored = {f.file_name: f for f in emulator.files(with_sha1=True)}
    for video_id in live:
        video = store.video(video_id)
        assert video.status is VideoStatus.UPLOADED, (video.title, video.error)
        assert tree.video_index(video_id, TreeColumn.STATUS).data(StatusRole) == (
            VideoStatus.UPLOADED
        )
        row = grid.row_of(video_id)
        assert row is not None and grid.index(row, 0).data(StatusRole) == VideoStatus.UPLOADED
        panel_row = panel.row_of(video_id)
        if listed:
            assert panel_row is not None
            assert panel.index(panel_row, JobColumn.STATE).data() == "Uploaded"
        else:
            assert panel_row is None
        assert desk.uploads.queue.jobs()[video_id].state is JobState.DONE
        assert video.remote_name is not None
        assert stored[video.remote_name].action == "upload"
        assert stored[video.remote_name].data_sha1 == video.sha1
    assert "0 queued · 0 running" in hookup.summary.text()
    return set(stored)


def test_a_new_instructor_builds_a_course_uploads_it_and_finds_it_again_after_a_restart(
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    b2_emulator: B2Emulator,
    closing_questions: list[int],
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "data"
    recordings = make_course_folder(tmp_path / "Recordings")
    (tmp_path / "Extras").mkdir()
    b_roll = make_clip(tmp_path / "Extras" / "Street b-roll.mp4", seconds=2.4)

    with running_app(qtbot, folder) as desk:
        window = desk.window
        tree = window.chapter_tree
        grid = window.library_view
        uploads = window.window_uploads
        assert uploads is not None

        # A first start: the welcome page, no course yet, and uploads wait for an account.
        assert window.showing_welcome
        assert window.course_id is None
        assert window.course_switcher.count() == 0
        assert window.totals_label.text() == "No course open"
        assert uploads.summary.text() == NO_ACCOUNT_HINT

        # "Create a course" on the welcome page, and the title dialog.
        create_course_from_welcome(qtbot, window, TITLE)
        assert not window.showing_welcome
        assert tree.isVisible() and grid.isVisible()
        course_id = window.course_id
        assert course_id is not None
        assert window.course_switcher.currentText() == TITLE
        assert window.windowTitle() == f"{TITLE} — CourseDesk"
        assert f"Created the course “{TITLE}”" in window.statusBar().currentMessage()
        assert_course_shows(desk, course_id, [])

        # A folder of two sub-folders dropped below the (no) chapters: two chapters.
        report = import_by_dropping(qtbot, window, tree, below_the_rows(tree), [recordings])
        assert len(report.imported) == 5
        outline: Outline = [
            ("Getting started", ["Welcome", "Gear", "Light meter"]),
            ("Exposure", ["Aperture", "Shutter speed"]),
        ]
        assert_course_shows(desk, course_id, outline)
        assert window.totals_label.text().startswith("2 chapters · 5 videos (0 unassigned)")

        # Alt+Down moves "Welcome" one place down.
        tree.setFocus()
        click_row(qtbot, tree, tree_video(window, 0, "Welcome"))
        qtbot.keyClick(tree, Qt.Key.Key_Down, ALT)
        outline[0] = ("Getting started", ["Gear", "Welcome", "Light meter"])
        assert_course_shows(desk, course_id, outline)
        assert tree.selected_video_ids() == [video_id_titled(desk, course_id, "Welcome")]

        # "Light meter" dragged above "Gear" goes first.
        dragged = window.tree_model.mimeData([tree_video(window, 0, "Light meter")])
        target = row_point(tree, tree_video(window, 0, "Gear"), "above")
        assert drop(tree.viewport(), dragged, target)
        outline[0] = ("Getting started", ["Light meter", "Gear", "Welcome"])
        assert_course_shows(desk, course_id, outline)
        assert window.undo_action.text().replace("&", "") == "Undo Move video"

        # F2 on "Gear", a new title typed, Enter.
        click_row(qtbot, tree, tree_video(window, 0, "Gear"))
        qtbot.keyClick(tree, Qt.Key.Key_F2)
        editor = tree.findChild(QLineEdit, "titleEditor")
        assert editor is not None and editor.isVisible()
        assert editor.text() == "Gear"
        editor.selectAll()
        qtbot.keyClicks(editor, "Choosing a camera")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tree.state() != QAbstractItemView.State.EditingState)
        outline[0] = ("Getting started", ["Light meter", "Choosing a camera", "Welcome"])
        assert_course_shows(desk, course_id, outline)

        # "Welcome" goes to the other chapter through the context menu's Move To.
        click_row(qtbot, tree, tree_video(window, 0, "Welcome"))
        menu = tree.context_menu()
        move_to = menu_item(menu, "Move To").menu()
        assert isinstance(move_to, QMenu)
        menu_item(move_to, "2  Exposure").trigger()
        outline = [
            ("Getting started", ["Light meter", "Choosing a camera"]),
            ("Exposure", ["Aperture", "Shutter speed", "Welcome"]),
        ]
        assert_course_shows(desk, course_id, outline)

        # A clip dropped on the library grid waits there, unassigned...
        import_by_dropping(qtbot, window, grid, grid.viewport().rect().center(), [b_roll])
        assert_course_shows(desk, course_id, outline, unassigned=("Street b-roll",))
        pane = window.library_pane
        pane.filter.setFocus()
        qtbot.keyClick(pane.filter, Qt.Key.Key_Down)
        assert pane.filter.currentText() == "Unassigned"
        assert grid_tiles(window) == {"Street b-roll": None}

        # ...until it is dragged from the grid onto a chapter.
        click_row(qtbot, grid, grid.model().index(0, 0))
        model = pane.model
        carried = model.mimeData(
            [
                model.index(row, 0)
                for v in grid.selected_video_ids()
                if (row := model.row_of(v)) is not None
            ]
        )
        chapter_row = window.tree_model.index(0, 0)
        assert drop(tree.viewport(), carried, row_point(tree, chapter_row, "on"))
        assert grid_tiles(window) == {}
        qtbot.keyClick(pane.filter, Qt.Key.Key_Up)
        assert pane.filter.currentText() == "All videos"
        outline[0] = ("Getting started", ["Light meter", "Choosing a camera", "Street b-roll"])
        assert_course_shows(desk, course_id, outline)

        # Delete sends a video to the Trash; Ctrl+Z brings it back to its place.
        tree.setFocus()
        click_row(qtbot, tree, tree_video(window, 1, "Shutter speed"))
        qtbot.keyClick(tree, Qt.Key.Key_Delete)
        assert trash_names(window) == ["Shutter speed  (0:02)"]
        assert "Ctrl+Z" in window.statusBar().currentMessage()
        assert_course_shows(
            desk,
            course_id,
            [outline[0], ("Exposure", ["Aperture", "Welcome"])],
        )
        qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
        assert trash_names(window) == []
        assert_course_shows(desk, course_id, outline)

        # Settings ▸ Storage…: the emulator's account, tested, then saved.
        storage_action = menu_item(menu_named(window, "Settings"), "Storage…")
        storage_action.trigger()
        dialog = window.findChild(StorageDialog)
        assert dialog is not None and dialog.isVisible()
        fill_storage_dialog(qtbot, dialog, b2_emulator)
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=WAIT_MS)
        assert "Connected" in dialog.result_label.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        activate(qtbot, window)  # what the window manager does when a dialog closes
        assert window.statusBar().currentMessage() == "Storage settings saved."
        assert b2_emulator.app_key not in storage_file(folder).read_text(encoding="utf-8")

        # Every video uploads; tree, grid, the Uploads panel and the bucket say so.
        wait_until_all_uploaded(qtbot, desk, course_id, b2_emulator)
        stored_before_quit = assert_everything_uploaded(desk, course_id, b2_emulator, listed=True)
        assert len(stored_before_quit) == 6

        # "Aperture" deleted, then the Trash emptied: the bucket forgets it, every version.
        aperture = video_id_titled(desk, course_id, "Aperture")
        aperture_object = desk.library.store.video(aperture).remote_name
        assert aperture_object in stored_before_quit
        click_row(qtbot, tree, tree_video(window, 1, "Aperture"))
        qtbot.keyClick(tree, Qt.Key.Key_Delete)
        assert trash_names(window) == ["Aperture  (0:02)"]
        empty_button = tool_button_for(window, window.trash_panel.empty_action)

        def say_yes(box: QMessageBox) -> None:
            assert box.text().startswith("Delete 1 video for good?")
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

        with answering(qtbot, QMessageBox, say_yes) as asked:
            qtbot.mouseClick(empty_button, Qt.MouseButton.LeftButton)
        assert asked == ["Empty Trash"]
        assert trash_names(window) == []
        assert window.statusBar().currentMessage() == "Emptied the Trash: 1 item deleted."
        assert not desk.library.store.has_video(aperture)
        outline[1] = ("Exposure", ["Shutter speed", "Welcome"])
        assert_course_shows(desk, course_id, outline)
        qtbot.waitUntil(
            lambda: aperture_object not in {f.file_name for f in b2_emulator.files()},
            timeout=WAIT_MS,
        )
        stored = {f.file_name for f in b2_emulator.files()}
        assert stored == stored_before_quit - {aperture_object}

        # "Street b-roll" deleted too, and left in the Trash (its upload stays in the bucket).
        click_row(qtbot, tree, tree_video(window, 0, "Street b-roll"))
        qtbot.keyClick(tree, Qt.Key.Key_Delete)
        assert window.undo_action.text().replace("&", "") == "Undo Delete video"
        outline[0] = ("Getting started", ["Light meter", "Choosing a camera"])
        assert_course_shows(desk, course_id, outline)
        assert trash_names(window) == ["Street b-roll  (0:02)"]

        # Quit: nothing is uploading, so closing asks nothing.
        window.close()
        assert not window.isVisible()
        assert closing_questions == []

    # Start again on the same data folder: everything as it was left.
    with running_app(qtbot, folder) as desk:
        window = desk.window
        assert window.course_id == course_id
        assert window.course_switcher.currentText() == TITLE
        assert window.windowTitle() == f"{TITLE} — CourseDesk"
        assert_course_shows(desk, course_id, outline)
        assert trash_names(window) == ["Street b-roll  (0:02)"]
        assert window.trash_dock.windowTitle() == "Trash (1)"
        qtbot.waitUntil(desk.uploads.queue.is_idle, timeout=WAIT_MS)
        assert assert_everything_uploaded(desk, course_id, b2_emulator, listed=False) == stored
        assert not window.undo_action.isEnabled()  # the undo history is this run's only

        # Restored from the Trash with Enter, the clip is back in its place, still uploaded.
        trash = window.trash_view
        trash.setFocus()
        click_row(qtbot, trash, trash.model().index(0, 0))
        qtbot.keyClick(trash, Qt.Key.Key_Return)
        outline[0] = ("Getting started", ["Light meter", "Choosing a camera", "Street b-roll"])
        assert_course_shows(desk, course_id, outline)
        assert trash_names(window) == []
        assert assert_everything_uploaded(desk, course_id, b2_emulator, listed=False) == stored
        assert {f.file_name for f in b2_emulator.files()} == stored

        window.close()
    assert closing_questions == []
