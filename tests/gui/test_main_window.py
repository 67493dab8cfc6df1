"""The real editor window: courses, undo/redo, the Trash, keyboard and remembered layout.

Every test drives the window built as ``app.run_gui`` builds it (a library on disk, an edit
session, a QSettings file) and ends by checking that the store, the views and a freshly
reopened copy of the database agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QStatusBar,
    QUndoView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coursedesk.domain.model import VideosGo
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    MoveVideos,
    RenameCourse,
    RenameVideo,
    TrashChapter,
    TrashVideos,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui import course_actions
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.status_bar import MessageStatusBar
from coursedesk.ui.trash_model import Kind

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

WindowFactory = Callable[[], MainWindow]


@pytest.fixture
def photography(library: Library) -> str:
    """Course c1: chapters c1:ch1..3 with videos c1:v<ch>.<n> (4 each), 2 unassigned."""
    library.apply(CreateCourse("Photography", course_id="c1", created_at=1_000.0))
    for n in range(1, 4):
        chapter_id = f"c1:ch{n}"
        library.apply(AddChapter("c1", f"Chapter {n}", chapter_id=chapter_id))
        videos = tuple(
            new_video(
                "c1",
                f"Video {n}.{m}",
                f"/clips/{n}.{m}.mp4",
                video_id=f"c1:v{n}.{m}",
                duration_s=60.0 * n + m,
                size_bytes=1_000_000 * m,
            )
            for m in range(1, 5)
        )
        library.apply(AddVideos(videos, chapter_id))
    loose = tuple(
        new_video("c1", f"B-roll {m}", f"/clips/b{m}.mp4", video_id=f"c1:lib{m}")
        for m in range(1, 3)
    )
    library.apply(AddVideos(loose))
    library.apply(CreateCourse("Astronomy", course_id="c2", created_at=2_000.0))
    return "c1"


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def make_window(qtbot: QtBot, library: Library, settings_path: Path) -> Iterator[WindowFactory]:
    """Build windows the way ``run_gui`` does; each shares the library and settings file."""
    sessions: list[EditSession] = []

    def build() -> MainWindow:
        session = EditSession(library)
        sessions.append(session)
        settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
        window = MainWindow(library, session, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    yield build


@pytest.fixture
def window(make_window: WindowFactory, photography: str) -> MainWindow:
    built = make_window()
    assert built.course_id is not None
    return built


def answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    """Make QMessageBox.question answer ``button``; returns the questions asked."""
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_args: Any) -> Any:
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def type_into_dialog(monkeypatch: pytest.MonkeyPatch, text: str, ok: bool = True) -> None:
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (text, ok))


def plain(text: str) -> str:
    """An action's text without its mnemonic marker."""
    return text.replace("&", "")


def assert_agrees(window: MainWindow, library: Library) -> None:
    """Store, views and the database on disk tell the same story."""
    store = library.store
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        for course in store.courses(include_trashed=True):
            if store.is_loaded(course.id):
                fresh.open_course(course.id)
        assert fresh.store.snapshot() == store.snapshot()
    finally:
        fresh.close()

    switcher = window.course_switcher
    offered = [switcher.itemData(i) for i in range(switcher.count())]
    assert offered == [c.id for c in course_actions.live_courses(window.session)]
    assert switcher.currentData() == window.course_id

    course_id = window.course_id
    tree = window.tree_model
    if course_id is None:
        assert tree.rowCount() == 0
    else:
        chapters = list(store.chapter_ids(course_id))
        assert tree.rowCount() == len(chapters)
        for row, chapter_id in enumerate(chapters):
            parent = tree.index(row, 0)
            assert tree.chapter_id_of(parent) == chapter_id
            count = tree.rowCount(parent)
            shown = [tree.video_id_of(tree.index(r, 0, parent)) for r in range(count)]
            assert shown == list(store.video_ids(chapter_id))

    expected = {(Kind.COURSE, c.id) for c in store.courses(include_trashed=True) if c.deleted_at}
    if course_id is not None:
        expected |= {(Kind.VIDEO, v) for v in store.trashed_video_ids(course_id)}
        expected |= {(Kind.CHAPTER, c) for c in store.trashed_chapter_ids(course_id)}
    listed = {(e.kind, e.item_id) for e in window.trash_panel.model.entries()}
    assert listed == expected
    assert window.trash_view.model().rowCount() == len(expected)


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key, modifiers: Any = None) -> None:
    if modifiers is None:
        qtbot.keyClick(widget, key)
    else:
        qtbot.keyClick(widget, key, modifiers)


# ---------------------------------------------------------------------- the shell


def test_every_named_widget_is_in_the_window_with_an_accessible_name(
    window: MainWindow,
) -> None:
    for name, kind in [
        ("chapterTree", QAbstractItemView),
        ("libraryView", QAbstractItemView),
        ("librarySearch", QLineEdit),
        ("libraryFilter", QWidget),
        ("courseSwitcher", QComboBox),
        ("trashView", QAbstractItemView),
        ("undoHistory", QUndoView),
        ("statusBar", QStatusBar),
    ]:
        found = window.findChild(kind, name)  # type: ignore[arg-type]
        assert found is not None, name
        assert found.accessibleName(), name


def test_menus_have_mnemonics_and_the_common_actions_have_shortcuts(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions() if a.isVisible()]
    assert all("&" in t for t in titles), titles
    assert window.new_course_action.shortcut().toString() == "Ctrl+N"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert [s.toString() for s in window.redo_action.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.next_pane_action.shortcut().toString() == "F6"
    for action in window.toolbar.actions():
        if action.isSeparator() or not action.text():
            continue
        assert not action.icon().isNull(), action.text()


# ---------------------------------------------------------------------- courses


def test_the_last_course_shown_opens_again_in_a_new_window(
    make_window: WindowFactory, photography: str, library: Library
) -> None:
    first = make_window()
    assert first.course_id == "c2"  # alphabetically first: Astronomy
    first.course_switcher.setCurrentIndex(first.course_switcher.findData("c1"))
    assert first.course_id == "c1"
    first.close()

    second = make_window()
    assert second.course_id == "c1"
    assert second.course_switcher.currentText() == "Photography"
    assert "Photography" in second.windowTitle()
    assert_agrees(second, library)


def test_new_course_with_ctrl_n_is_created_saved_and_shown(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    type_into_dialog(monkeypatch, "Video Editing 101")
    press(qtbot, window, Qt.Key.Key_N, CTRL)

    course_id = window.course_id
    assert course_id is not None and course_id not in ("c1", "c2")
    assert window.course_switcher.currentText() == "Video Editing 101"
    assert window.tree_model.rowCount() == 0
    # Creating stays outside the undo history: the new course's stack is empty.
    assert window.session.stack(course_id).count() == 0
    assert_agrees(window, library)


def test_a_new_course_without_a_title_is_refused_with_a_message(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    type_into_dialog(monkeypatch, "   ")
    # Away from the tree, which also shows refusals as a tooltip (offscreen can't raise one).
    window.course_switcher.setFocus()
    window.new_course_action.trigger()
    assert window.course_switcher.count() == 2
    assert window.statusBar().currentMessage()
    assert_agrees(window, library)


def test_renaming_a_course_is_undoable_on_its_own_stack(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    window.open_course("c1")
    type_into_dialog(monkeypatch, "Portrait Photography")
    window.rename_course_action.trigger()

    assert library.store.course("c1").title == "Portrait Photography"
    assert window.course_switcher.currentText() == "Portrait Photography"
    assert "Portrait Photography" in window.windowTitle()
    assert plain(window.undo_action.text()) == "Undo Rename course “Photography”"
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert library.store.course("c1").title == "Photography"
    assert window.course_switcher.currentText() == "Photography"
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Y, CTRL)
    assert library.store.course("c1").title == "Portrait Photography"
    assert_agrees(window, library)


def test_delete_course_asks_first_and_no_keeps_it(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    window.open_course("c1")
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    window.delete_course_action.trigger()
    assert asked and "Photography" in asked[0] and "14 videos" in asked[0]
    assert library.store.course("c1").deleted_at is None
    assert window.course_id == "c1"
    assert_agrees(window, library)


def test_deleted_course_goes_to_the_trash_and_ctrl_z_brings_it_back(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    window.open_course("c1")
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.delete_course_action.trigger()

    assert library.store.course("c1").deleted_at is not None
    assert window.course_id == "c2"
    assert window.course_switcher.findData("c1") == -1
    assert window.trash_panel.model.row_of(Kind.COURSE, "c1") is not None
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    assert plain(window.undo_action.text()) == "Undo Delete course “Photography”"
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert library.store.course("c1").deleted_at is None
    assert window.course_switcher.findData("c1") >= 0
    assert window.trash_panel.model.row_of(Kind.COURSE, "c1") is None
    assert_agrees(window, library)


def test_deleting_the_last_course_leaves_an_empty_window_that_undo_refills(
    make_window: WindowFactory, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    library.apply(CreateCourse("Only course", course_id="only"))
    window = make_window()
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.delete_course_action.trigger()
    assert window.course_id is None
    assert window.course_switcher.count() == 0
    assert not window.rename_course_action.isEnabled()
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: window.course_id == "only")
    assert_agrees(window, library)


def test_a_deleted_course_is_restored_from_the_trash_with_enter(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    window.open_course("c1")
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.delete_course_action.trigger()
    row = window.trash_panel.model.row_of(Kind.COURSE, "c1")
    assert row is not None

    window.trash_view.setFocus()
    window.trash_view.setCurrentIndex(window.trash_panel.model.index(row, 0))
    press(qtbot, window.trash_view, Qt.Key.Key_Return)

    assert library.store.course("c1").deleted_at is None
    assert window.course_switcher.findData("c1") >= 0
    assert plain(window.undo_action.text()) == "Undo Restore course “Photography”"
    assert_agrees(window, library)

    window.undo_action.trigger()
    assert library.store.course("c1").deleted_at is not None
    assert_agrees(window, library)


def test_courses_switch_by_keyboard(window: MainWindow, qtbot: QtBot, library: Library) -> None:
    assert window.course_id == "c2"
    press(qtbot, window, Qt.Key.Key_PageDown, CTRL)
    assert window.course_id == "c1"
    press(qtbot, window, Qt.Key.Key_PageUp, CTRL)
    assert window.course_id == "c2"
    window.course_switcher.setFocus()
    press(qtbot, window.course_switcher, Qt.Key.Key_Down)
    assert window.course_id == "c1"
    assert_agrees(window, library)


# ---------------------------------------------------------------------- undo


def test_undo_and_redo_follow_the_keyboard_and_say_what_they_undo(
    window: MainWindow, qtbot: QtBot, library: Library
) -> None:
    window.open_course("c1")
    store = library.store
    moving = ("c1:v1.1", "c1:v1.2", "c1:v2.1")
    window.session.do(MoveVideos(moving, "c1:ch3", 0), "Move 3 videos", "c1")
    assert list(store.video_ids("c1:ch3"))[:3] == list(moving)
    assert plain(window.undo_action.text()) == "Undo Move 3 videos"
    assert window.tree_model.rowCount(window.tree_model.chapter_index("c1:ch3")) == 7
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert list(store.video_ids("c1:ch1"))[:2] == ["c1:v1.1", "c1:v1.2"]
    assert window.tree_model.rowCount(window.tree_model.chapter_index("c1:ch3")) == 4
    assert plain(window.redo_action.text()) == "Redo Move 3 videos"
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert list(store.video_ids("c1:ch3"))[:3] == list(moving)
    assert_agrees(window, library)


def test_undo_history_lists_the_edits_and_the_view_menu_toggles_it(
    window: MainWindow, library: Library, qtbot: QtBot
) -> None:
    window.open_course("c1")
    session = window.session
    history = window.undo_history

    def shown() -> bool:
        return history.group() is session.group

    window.trash_dock.raise_()
    qtbot.waitUntil(lambda: not shown())
    session.do(MoveVideos(("c1:v1.1",), "c1:ch2", 0), "Move video", "c1")
    session.do(RenameCourse("c1", "Photo Basics"), "Rename course", "c1")

    def labels() -> list[str]:
        return [history.model().index(r, 0).data() for r in range(history.model().rowCount())]

    # Behind the Trash it follows nothing; brought forward, it lists every edit so far.
    window.history_dock.raise_()
    qtbot.waitUntil(shown)
    assert labels() == ["<nothing to undo>", "Move video", "Rename course"]
    assert history.currentIndex().row() == 2
    session.stack("c1").undo()
    assert history.currentIndex().row() == 1
    window.trash_dock.raise_()
    qtbot.waitUntil(lambda: not shown())
    session.do(RenameCourse("c1", "Photo Essentials"), "Rename again", "c1")
    window.history_dock.raise_()
    qtbot.waitUntil(shown)
    assert labels() == ["<nothing to undo>", "Move video", "Rename again"]

    window.history_toggle.trigger()
    assert window.history_dock.isHidden() != window.history_toggle.isChecked()
    was_visible = window.history_toggle.isChecked()
    window.history_toggle.trigger()
    assert window.history_toggle.isChecked() != was_visible
    assert_agrees(window, library)


def test_refused_edits_show_in_the_status_bar(window: MainWindow, library: Library) -> None:
    window.course_switcher.setFocus()
    window.session.do(RenameCourse("c2", "   "), "Rename course", "c2")
    assert "course title can't be empty" in window.statusBar().currentMessage()
    assert_agrees(window, library)


# ---------------------------------------------------------------------- the Trash


def test_deleted_videos_show_in_the_trash_at_once_and_come_back_where_they_were(
    window: MainWindow, qtbot: QtBot, library: Library
) -> None:
    window.open_course("c1")
    store = library.store
    before = list(store.video_ids("c1:ch2"))
    window.session.do(TrashVideos(("c1:v2.2", "c1:v2.3")), "Delete 2 videos", "c1")

    model = window.trash_panel.model
    assert {e.item_id for e in model.entries()} == {"c1:v2.2", "c1:v2.3"}
    assert window.trash_dock.windowTitle() == "Trash (2)"
    where = model.index(0, 2).data()
    assert where.startswith("Chapter 2, #")
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    assert_agrees(window, library)

    window.trash_view.setFocus()
    window.trash_view.selectAll()
    press(qtbot, window.trash_view, Qt.Key.Key_Enter)
    assert list(store.video_ids("c1:ch2")) == before
    assert model.rowCount() == 0
    assert plain(window.undo_action.text()) == "Undo Restore 2 videos"
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert model.rowCount() == 2
    assert_agrees(window, library)


def test_a_chapter_deleted_with_its_videos_is_restored_with_them(
    window: MainWindow, library: Library
) -> None:
    window.open_course("c1")
    store = library.store
    window.session.do(TrashChapter("c1:ch1", VideosGo.TO_TRASH), "Delete chapter", "c1")
    model = window.trash_panel.model
    assert model.rowCount() == 5
    assert window.tree_model.rowCount() == 2
    assert_agrees(window, library)

    row = model.row_of(Kind.CHAPTER, "c1:ch1")
    assert row is not None
    window.trash_view.setCurrentIndex(model.index(row, 0))
    window.trash_panel.restore_action.trigger()
    assert store.chapter_ids("c1")[0] == "c1:ch1"
    assert list(store.video_ids("c1:ch1")) == [f"c1:v1.{m}" for m in range(1, 5)]
    assert model.rowCount() == 0
    assert_agrees(window, library)


def test_empty_trash_asks_with_the_count_and_no_deletes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    window.open_course("c1")
    window.session.do(TrashVideos(("c1:v3.1",)), "Delete video", "c1")
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    window.trash_panel.empty_action.trigger()
    assert asked and "1 video" in asked[0]
    assert library.store.has_video("c1:v3.1")
    assert window.trash_panel.model.rowCount() == 1
    assert_agrees(window, library)


def test_empty_trash_deletes_for_good_from_the_database(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    window.open_course("c1")
    session = window.session
    session.do(TrashVideos(("c1:v3.1", "c1:lib1")), "Delete 2 videos", "c1")
    session.do(TrashChapter("c1:ch2", VideosGo.TO_TRASH), "Delete chapter", "c1")
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.delete_course_action.trigger()  # Photography goes; Astronomy is shown
    assert window.course_id == "c2"
    library.apply(CreateCourse("Scratch", course_id="c3"))
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.trash_panel.empty_action.trigger()

    assert asked and "1 course" in asked[0]
    assert not library.store.has_course("c1")
    assert window.trash_panel.model.rowCount() == 0
    assert window.session.stack("c2").count() == 0  # the history named purged things
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        assert not fresh.store.has_course("c1")
        assert {c.id for c in fresh.store.courses(include_trashed=True)} == {"c2", "c3"}
    finally:
        fresh.close()
    assert_agrees(window, library)


def test_empty_trash_removes_only_trashed_rows_of_a_live_course(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    window.open_course("c1")
    window.session.do(TrashVideos(("c1:v1.1", "c1:v1.2")), "Delete 2 videos", "c1")
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window.trash_panel.empty_action.trigger()
    assert asked and "2 videos" in asked[0]
    assert library.path is not None
    fresh = Library.open(library.path)
    try:
        fresh.open_course("c1")
        assert not fresh.store.has_video("c1:v1.1")
        assert not fresh.store.has_video("c1:v1.2")
        assert fresh.store.has_video("c1:v1.3")
    finally:
        fresh.close()
    assert window.session.stack("c1").count() == 0
    assert not window.undo_action.isEnabled()
    assert_agrees(window, library)


# ---------------------------------------------------------------------- keyboard and layout


def test_f6_cycles_focus_between_tree_library_and_trash_and_ctrl_f_searches(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.trash_dock.hide()
    window.chapter_tree.setFocus()
    qtbot.waitUntil(window.chapter_tree.hasFocus)
    press(qtbot, window, Qt.Key.Key_F6)
    assert window.library_pane.isAncestorOf(window.focusWidget())
    press(qtbot, window, Qt.Key.Key_F6)
    assert window.focusWidget() is window.trash_view
    assert window.trash_dock.isVisible()
    press(qtbot, window, Qt.Key.Key_F6)
    assert window.focusWidget() is window.chapter_tree
    press(qtbot, window, Qt.Key.Key_F6, SHIFT)
    assert window.focusWidget() is window.trash_view

    press(qtbot, window, Qt.Key.Key_F, CTRL)
    assert window.focusWidget() is window.library_search


def test_geometry_splitter_and_docks_are_remembered(
    make_window: WindowFactory, photography: str
) -> None:
    first = make_window()
    # Within the offscreen screen (800x600): restoreGeometry keeps windows on screen.
    first.resize(720, 540)
    first.splitter.setSizes([250, 420])
    sizes = first.splitter.sizes()
    first.history_dock.raise_()
    first.trash_dock.hide()
    first.close()

    second = make_window()
    assert (second.size().width(), second.size().height()) == (720, 540)
    assert second.splitter.sizes() == sizes
    assert second.trash_dock.isHidden()
    assert not second.trash_toggle.isChecked()


# ---------------------------------------------------------------------- through the chapter tree


def test_videos_deleted_in_the_tree_appear_in_the_trash_and_undo_takes_them_out(
    window: MainWindow, qtbot: QtBot, library: Library
) -> None:
    window.open_course("c1")
    tree = window.chapter_tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    tree.select_videos(["c1:v1.2", "c1:v3.4"])
    press(qtbot, tree, Qt.Key.Key_Delete)

    model = window.trash_panel.model
    assert {e.item_id for e in model.entries()} == {"c1:v1.2", "c1:v3.4"}
    assert plain(window.undo_action.text()) == "Undo Delete 2 videos"
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    assert_agrees(window, library)

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert model.rowCount() == 0
    assert library.store.video_ids("c1:ch1")[1] == "c1:v1.2"
    assert_agrees(window, library)


def test_the_chapter_menu_adds_a_chapter_with_ctrl_shift_n(
    window: MainWindow, qtbot: QtBot, library: Library
) -> None:
    window.open_course("c1")
    titles = [plain(a.text()) for a in window.chapter_menu.actions() if not a.isSeparator()]
    assert "Add Chapter" in titles and "Delete" in titles and "Move Up" in titles
    window.chapter_tree.setFocus()
    qtbot.waitUntil(window.chapter_tree.hasFocus)
    press(qtbot, window.chapter_tree, Qt.Key.Key_N, CTRL | SHIFT)
    assert len(library.store.chapter_ids("c1")) == 4
    press(qtbot, window.chapter_tree, Qt.Key.Key_Escape)  # leave the title editor
    assert plain(window.undo_action.text()) == "Undo Add chapter"
    assert_agrees(window, library)


def test_the_library_filter_and_sort_are_remembered(
    make_window: WindowFactory, photography: str, qtbot: QtBot
) -> None:
    first = make_window()
    first.open_course("c1")
    pane = first.library_pane
    pane.filter.setFocus()
    press(qtbot, pane.filter, Qt.Key.Key_Down)  # All videos -> Unassigned
    pane.filter.activated.emit(pane.filter.currentIndex())
    pane.sort.setCurrentIndex(pane.sort.count() - 1)
    pane.sort.activated.emit(pane.sort.count() - 1)
    pane.sort_order.setChecked(True)
    remembered = pane.state()
    assert remembered["descending"] is True
    assert first.library_view.model().rowCount() == 2  # the two unassigned videos
    first.close()

    second = make_window()
    assert second.course_id == "c1"
    assert second.library_pane.state() == remembered
    assert second.library_filter.currentText() == pane.filter.currentText()
    assert second.library_view.model().rowCount() == 2


# ---------------------------------------------------------------------- the status bar


def test_a_long_refusal_naming_another_windows_change_is_shown_whole_in_the_status_bar(
    window: MainWindow, library: Library, qtbot: QtBot
) -> None:
    assert library.path is not None
    other = Library.open(library.path)  # another window, saving first
    try:
        other.open_course("c1")
        other.apply(
            RenameVideo("c1:v1.1", "Choosing a lens for portraits, landscapes and street scenes")
        )
    finally:
        other.close()
    window.open_course("c1")
    window.resize(900, 600)
    bar = window.statusBar()
    assert isinstance(bar, MessageStatusBar)
    one_line = bar.height()
    totals = window.totals_label
    assert totals.isVisible()
    tree = window.chapter_tree
    tree.setFocus()
    tree.select_videos(["c1:v1.1"])

    qtbot.keyClick(tree, Qt.Key.Key_F2)
    editor = tree.findChild(QLineEdit, "titleEditor")
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "Lenses for every kind of photograph you will take, indoors or out")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tree.state() != QAbstractItemView.State.EditingState)

    message = bar.currentMessage()
    assert "in another window" in message and message.endswith("Undo to restore.")
    # Far wider than the bar: it takes two lines, the course totals make room for a while,
    # and nothing is cut off.
    assert bar.fontMetrics().horizontalAdvance(message) > bar.width()
    qtbot.waitUntil(lambda: len(bar.shown_lines()) == 2)
    assert " ".join(bar.shown_lines()) == message
    assert not totals.isVisible() and bar.covered() == [totals]
    qtbot.waitUntil(lambda: bar.height() >= 2 * bar.fontMetrics().lineSpacing() > one_line)
    assert bar.toolTip() == ""

    # Narrower still: the second line ends in "…" and the tooltip holds the whole message.
    window.resize(window.minimumSizeHint().width(), 600)
    qtbot.waitUntil(lambda: bar.shown_lines()[-1].endswith("…"))
    assert bar.toolTip() == message

    bar.clearMessage()  # the message's time is up
    assert bar.shown_lines() == [] and bar.toolTip() == ""
    assert totals.isVisible()
    qtbot.waitUntil(lambda: bar.height() == one_line)
    assert_agrees(window, library)


def test_a_short_message_leaves_the_status_bar_as_it_was(
    window: MainWindow, library: Library
) -> None:
    bar = window.statusBar()
    assert isinstance(bar, MessageStatusBar)
    height = bar.height()
    window.session.do(RenameCourse("c2", "   "), "Rename course", "c2")
    assert bar.shown_lines() == [bar.currentMessage()]
    assert window.totals_label.isVisible() and bar.height() == height
