"""The chapter tree in a real window: drag and drop, keys, inline renames, menus and deletes.
After each edit the store, the rows the view shows and a fresh load of the database agree,
and one Ctrl+Z puts everything back."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QMainWindow,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot
from tests.support.tree_course import COURSE, build_course, chapter_id, video_id

from coursedesk.domain.model import VideosGo
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.chapter_tree_model import ChapterTreeModel, VideoIdRole
from coursedesk.ui.chapter_tree_view import ChapterTreeView
from coursedesk.ui.delete_chapter_dialog import DeleteChapterDialog
from coursedesk.ui.mime import VIDEO_IDS_MIME, decode_ids, encode_ids

# The offscreen platform can't raise a tooltip or let a popup menu grab the keyboard.
OFFSCREEN_POPUP_NOISE = r"This plugin does not support (raise|grabbing the keyboard)"

ALT = Qt.KeyboardModifier.AltModifier
MOVE = Qt.DropAction.MoveAction


class Harness:
    def __init__(self, library: Library, library_path: Path, qtbot: QtBot) -> None:
        build_course(library, chapters=3, videos=5)
        library.open_course(COURSE)
        self.library = library
        self.library_path = library_path
        self.session = EditSession(library)
        self.session.activate(COURSE)
        self.model = ChapterTreeModel(library.store, COURSE, session=self.session)
        self.window = QMainWindow()
        self.view = ChapterTreeView(self.session, self.model)
        self.window.setCentralWidget(self.view)
        self.messages: list[str] = []
        self.view.status_message.connect(self._show)
        self.session.refused.connect(self._show)
        self.window.resize(700, 800)
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.activateWindow()
        qtbot.waitActive(self.window)
        self.view.setFocus()

    def _show(self, message: str) -> None:
        self.messages.append(message)
        self.window.statusBar().showMessage(message)

    @property
    def store_rows(self) -> dict[str, list[str]]:
        store = self.library.store
        return {c: list(store.video_ids(c)) for c in store.chapter_ids(COURSE)}

    def view_rows(self) -> dict[str, list[str]]:
        model = self.view.model()
        rows: dict[str, list[str]] = {}
        for r in range(model.rowCount()):
            chapter = model.index(r, 0)
            rows[self.model.chapter_id_of(chapter) or ""] = [
                model.index(v, 0, chapter).data(VideoIdRole) for v in range(model.rowCount(chapter))
            ]
        return rows

    def saved_rows(self) -> dict[str, list[str]]:
        fresh = Library.open(self.library_path)
        try:
            fresh.open_course(COURSE)
            store = fresh.store
            return {c: list(store.video_ids(c)) for c in store.chapter_ids(COURSE)}
        finally:
            fresh.close()

    def assert_agree(self) -> dict[str, list[str]]:
        rows = self.store_rows
        assert self.view_rows() == rows
        assert self.saved_rows() == rows
        return rows

    def undo_restores(self, before: dict[str, list[str]], label: str) -> None:
        stack = self.session.stack(COURSE)
        assert stack.undoText() == label
        stack.undo()
        assert self.assert_agree() == before

    def video(self, chapter: int, number: int) -> QModelIndex:
        return self.model.video_index(video_id(chapter, number))

    def chapter(self, number: int) -> QModelIndex:
        return self.model.chapter_index(chapter_id(number))

    def select(self, *indexes: QModelIndex) -> None:
        view = self.view
        view.clearSelection()
        view.setCurrentIndex(indexes[0])
        for index in indexes[1:]:
            view.selectionModel().select(
                index,
                view.selectionModel().SelectionFlag.Select
                | view.selectionModel().SelectionFlag.Rows,
            )


@pytest.fixture
def tree(library: Library, library_path: Path, qtbot: QtBot) -> Iterator[Harness]:
    harness = Harness(library, library_path, qtbot)
    yield harness
    harness.window.close()
    harness.model.detach()


# ------------------------------------------------------------------ drag and drop


def drop(view: ChapterTreeView, data: QMimeData, target: QModelIndex, where: str) -> bool:
    """Deliver a real drag enter / move / drop to the viewport at ``target``'s row:
    ``above`` or ``below`` its edge, or ``on`` it. True if the view accepted the drop."""
    rect = view.visualRect(target)
    x = rect.center().x()
    y = {"above": rect.top() + 1, "below": rect.bottom() - 1, "on": rect.center().y()}[where]
    point = QPoint(x, y)
    buttons = Qt.MouseButton.LeftButton
    mods = Qt.KeyboardModifier.NoModifier
    viewport = view.viewport()
    with warnings.catch_warnings():
        # Qt 6.12 deprecates the QPoint constructors of drag events; PySide6 offers no other.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point, MOVE, data, buttons, mods)
        move = QDragMoveEvent(point, MOVE, data, buttons, mods)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted(), "the tree refused the drag"
    QApplication.sendEvent(viewport, move)
    if not move.isAccepted():
        return False
    dropped = QDropEvent(point.toPointF(), MOVE, data, buttons, mods)
    QApplication.sendEvent(viewport, dropped)
    return dropped.isAccepted()


def test_dragging_a_video_up_within_its_chapter_reorders_it(tree: Harness) -> None:
    before = tree.assert_agree()
    data = tree.model.mimeData([tree.video(2, 4)])
    assert drop(tree.view, data, tree.video(2, 2), "above")
    rows = tree.assert_agree()
    assert rows[chapter_id(2)] == [video_id(2, n) for n in (1, 4, 2, 3, 5)]
    assert tree.view.selected_video_ids() == [video_id(2, 4)]
    tree.undo_restores(before, "Move video")


def test_dragging_a_video_down_below_a_row_lands_after_it(tree: Harness) -> None:
    data = tree.model.mimeData([tree.video(1, 1)])
    assert drop(tree.view, data, tree.video(1, 3), "below")
    assert tree.assert_agree()[chapter_id(1)] == [video_id(1, n) for n in (2, 3, 1, 4, 5)]


def test_dropping_videos_on_another_chapter_appends_them_as_one_step(tree: Harness) -> None:
    before = tree.assert_agree()
    data = tree.model.mimeData(
        [tree.video(1, 2), tree.video(1, 4), tree.video(1, 4).siblingAtColumn(2)]
    )
    assert decode_ids(data, VIDEO_IDS_MIME) == [video_id(1, 2), video_id(1, 4)]
    assert drop(tree.view, data, tree.chapter(3), "on")
    rows = tree.assert_agree()
    assert rows[chapter_id(3)][-2:] == [video_id(1, 2), video_id(1, 4)]
    assert tree.view.selected_video_ids() == [video_id(1, 2), video_id(1, 4)]
    tree.undo_restores(before, "Move 2 videos")


def test_dropping_between_rows_of_another_chapter_inserts_there(tree: Harness) -> None:
    data = tree.model.mimeData([tree.video(3, 5)])
    assert drop(tree.view, data, tree.video(1, 2), "above")
    assert tree.assert_agree()[chapter_id(1)][:3] == [
        video_id(1, 1),
        video_id(3, 5),
        video_id(1, 2),
    ]


def test_videos_dragged_from_the_library_grid_are_assigned_where_dropped(tree: Harness) -> None:
    before = tree.assert_agree()
    data = encode_ids(VIDEO_IDS_MIME, ["lib1", "lib2"])
    assert drop(tree.view, data, tree.video(2, 1), "below")
    rows = tree.assert_agree()
    assert rows[chapter_id(2)][:3] == [video_id(2, 1), "lib1", "lib2"]
    assert not tree.library.store.library_ids(COURSE)
    tree.undo_restores(before, "Move 2 videos")
    assert set(tree.library.store.library_ids(COURSE)) == {"lib1", "lib2"}


def test_a_dragged_chapter_moves_to_the_drop_position(tree: Harness) -> None:
    before = tree.assert_agree()
    data = tree.model.mimeData([tree.chapter(3)])
    assert drop(tree.view, data, tree.chapter(1), "above")
    assert list(tree.assert_agree()) == [chapter_id(3), chapter_id(1), chapter_id(2)]
    tree.undo_restores(before, "Move chapter")
    assert list(before) == list(tree.store_rows)


# ------------------------------------------------------------------ keys


def test_alt_down_moves_the_selection_and_repeated_presses_are_one_undo_step(
    tree: Harness, qtbot: QtBot
) -> None:
    before = tree.assert_agree()
    tree.select(tree.video(1, 1), tree.video(1, 2))
    qtbot.keyClick(tree.view, Qt.Key.Key_Down, ALT)
    qtbot.keyClick(tree.view, Qt.Key.Key_Down, ALT)
    rows = tree.assert_agree()
    assert rows[chapter_id(1)] == [video_id(1, n) for n in (3, 4, 1, 2, 5)]
    assert tree.view.selected_video_ids() == [video_id(1, 1), video_id(1, 2)]
    assert tree.session.stack(COURSE).count() == 1
    tree.undo_restores(before, "Move 2 videos down")


def test_alt_up_on_one_video_is_labelled_move_video_up(tree: Harness, qtbot: QtBot) -> None:
    before = tree.assert_agree()
    tree.select(tree.video(2, 3))
    qtbot.keyClick(tree.view, Qt.Key.Key_Up, ALT)
    assert tree.assert_agree()[chapter_id(2)][1] == video_id(2, 3)
    assert tree.view.currentIndex().data(VideoIdRole) == video_id(2, 3)
    tree.undo_restores(before, "Move video up")


def test_alt_home_and_end_move_the_selection_to_the_top_and_the_end(
    tree: Harness, qtbot: QtBot
) -> None:
    before = tree.assert_agree()
    tree.select(tree.video(2, 4))
    qtbot.keyClick(tree.view, Qt.Key.Key_Home, ALT)
    assert tree.assert_agree()[chapter_id(2)][0] == video_id(2, 4)
    qtbot.keyClick(tree.view, Qt.Key.Key_End, ALT)
    assert tree.assert_agree()[chapter_id(2)][-1] == video_id(2, 4)
    assert tree.view.selected_video_ids() == [video_id(2, 4)]
    tree.undo_restores(tree_rows_after_home(before), "Move video to the end")


def tree_rows_after_home(before: dict[str, list[str]]) -> dict[str, list[str]]:
    rows = {k: list(v) for k, v in before.items()}
    rows[chapter_id(2)].remove(video_id(2, 4))
    rows[chapter_id(2)].insert(0, video_id(2, 4))
    return rows


def test_videos_selected_with_shift_click_stay_selected_when_an_undo_reorders_them(
    tree: Harness, qtbot: QtBot
) -> None:
    tree.select(tree.video(1, 3))
    qtbot.keyClick(tree.view, Qt.Key.Key_End, ALT)
    assert tree.assert_agree()[chapter_id(1)] == [video_id(1, n) for n in (1, 2, 4, 5, 3)]
    viewport = tree.view.viewport()
    left = Qt.MouseButton.LeftButton
    qtbot.mouseClick(viewport, left, pos=tree.view.visualRect(tree.video(1, 2)).center())
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.mouseClick(viewport, left, shift, tree.view.visualRect(tree.video(1, 3)).center())
    selected = [video_id(1, n) for n in (2, 4, 5, 3)]
    assert tree.view.selected_video_ids() == selected
    tree.session.stack(COURSE).undo()
    assert tree.assert_agree()[chapter_id(1)] == [video_id(1, n) for n in range(1, 6)]
    assert sorted(tree.view.selected_video_ids()) == sorted(selected)
    assert tree.view.currentIndex().data(VideoIdRole) == video_id(1, 3)
    # Rows 2-5, side by side again, are held as one range (as a shift-click makes them).
    assert tree.view.selectionModel().selection().count() == 1


def test_the_same_keys_move_a_selected_chapter(tree: Harness, qtbot: QtBot) -> None:
    before = tree.assert_agree()
    tree.select(tree.chapter(1))
    qtbot.keyClick(tree.view, Qt.Key.Key_Down, ALT)
    assert list(tree.assert_agree()) == [chapter_id(2), chapter_id(1), chapter_id(3)]
    qtbot.keyClick(tree.view, Qt.Key.Key_End, ALT)
    assert list(tree.assert_agree()) == [chapter_id(2), chapter_id(3), chapter_id(1)]
    assert tree.view.selected_chapter_ids() == [chapter_id(1)]
    tree.session.stack(COURSE).undo()
    tree.undo_restores(before, "Move chapter")


# ------------------------------------------------------------------ inline rename


def press_enter(qtbot: QtBot, view: ChapterTreeView, editor: QLineEdit) -> None:
    """Enter in the editor; the delegate commits on the next turn of the event loop."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def editor_of(view: ChapterTreeView) -> QLineEdit:
    editor = view.findChild(QLineEdit, "titleEditor")
    assert editor is not None and editor.isVisible()
    return editor


def test_f2_opens_the_bare_title_and_enter_renames(tree: Harness, qtbot: QtBot) -> None:
    before_title = tree.library.store.video(video_id(1, 3)).title
    tree.select(tree.video(1, 3))
    qtbot.keyClick(tree.view, Qt.Key.Key_F2)
    editor = editor_of(tree.view)
    assert editor.text() == before_title
    editor.selectAll()
    qtbot.keyClicks(editor, "Metering for skies")
    press_enter(qtbot, tree.view, editor)
    assert tree.library.store.video(video_id(1, 3)).title == "Metering for skies"
    assert tree.video(1, 3).data() == "Metering for skies"
    fresh = Library.open(tree.library_path)
    try:
        fresh.open_course(COURSE)
        assert fresh.store.video(video_id(1, 3)).title == "Metering for skies"
    finally:
        fresh.close()
    assert tree.session.stack(COURSE).undoText() == "Rename video"
    tree.session.stack(COURSE).undo()
    assert tree.video(1, 3).data() == before_title


def test_a_rename_is_committed_when_focus_moves_away(tree: Harness, qtbot: QtBot) -> None:
    other = QLineEdit()
    tree.window.statusBar().addWidget(other)
    tree.view.setCurrentIndex(tree.chapter(2))
    tree.view.edit(tree.chapter(2))
    editor = editor_of(tree.view)
    editor.selectAll()
    qtbot.keyClicks(editor, "Exposure, properly")
    other.setFocus()
    qtbot.waitUntil(lambda: tree.library.store.chapter(chapter_id(2)).title == "Exposure, properly")
    assert tree.session.stack(COURSE).undoText() == "Rename chapter"


@pytest.mark.qt_log_ignore(OFFSCREEN_POPUP_NOISE)
def test_an_empty_title_is_refused_with_a_message_and_the_old_title_stays(
    tree: Harness, qtbot: QtBot
) -> None:
    old = tree.library.store.chapter(chapter_id(1)).title
    tree.select(tree.chapter(1))
    qtbot.keyClick(tree.view, Qt.Key.Key_F2)
    editor = editor_of(tree.view)
    editor.selectAll()
    qtbot.keyClicks(editor, "   ")
    press_enter(qtbot, tree.view, editor)
    assert tree.library.store.chapter(chapter_id(1)).title == old
    assert tree.chapter(1).data() == old
    assert "can't be empty" in tree.window.statusBar().currentMessage()
    assert tree.session.stack(COURSE).count() == 0


# ------------------------------------------------------------------ delete


def test_delete_moves_the_selected_videos_to_the_trash_as_one_step(
    tree: Harness, qtbot: QtBot
) -> None:
    before = tree.assert_agree()
    tree.select(tree.video(1, 2), tree.video(3, 1))
    qtbot.keyClick(tree.view, Qt.Key.Key_Delete)
    rows = tree.assert_agree()
    assert video_id(1, 2) not in rows[chapter_id(1)]
    assert video_id(3, 1) not in rows[chapter_id(3)]
    assert set(tree.library.store.trashed_video_ids(COURSE)) == {video_id(1, 2), video_id(3, 1)}
    assert tree.messages[-1] == "Moved 2 videos to the Trash — Ctrl+Z to undo"
    # The selection moves on to the row that took the first deleted one's place.
    assert tree.view.selected_video_ids() == [video_id(1, 3)]
    tree.undo_restores(before, "Delete 2 videos")


def test_deleting_a_chapter_asks_and_keeps_its_videos_in_the_library_by_default(
    tree: Harness, qtbot: QtBot
) -> None:
    before = tree.assert_agree()
    seen: list[str] = []

    def accept_default() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, DeleteChapterDialog)
        try:
            seen.append(dialog.windowTitle())
            assert dialog.videos_go() == VideosGo.TO_LIBRARY
            qtbot.keyClick(dialog, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.reject()  # never leave the test waiting on a modal dialog

    tree.select(tree.chapter(2))
    QTimer.singleShot(0, accept_default)
    qtbot.keyClick(tree.view, Qt.Key.Key_Delete)
    assert seen == ["Delete chapter"]
    rows = tree.assert_agree()
    assert chapter_id(2) not in rows
    assert set(before[chapter_id(2)]) <= set(tree.library.store.library_ids(COURSE))
    assert "went to the library" in tree.messages[-1]
    tree.undo_restores(before, "Delete chapter")


def test_deleting_a_chapter_can_send_its_videos_to_the_trash_by_keyboard(
    tree: Harness, qtbot: QtBot
) -> None:
    before = tree.assert_agree()

    def choose_trash() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, DeleteChapterDialog)
        try:
            qtbot.keyClick(dialog.to_trash, Qt.Key.Key_Space)
            assert dialog.videos_go() == VideosGo.TO_TRASH
            qtbot.keyClick(dialog, Qt.Key.Key_Return)
        finally:
            if dialog.isVisible():
                dialog.reject()  # never leave the test waiting on a modal dialog

    tree.select(tree.chapter(1))
    QTimer.singleShot(0, choose_trash)
    tree.view.delete_action.trigger()
    rows = tree.assert_agree()
    assert chapter_id(1) not in rows
    assert set(before[chapter_id(1)]) <= set(tree.library.store.trashed_video_ids(COURSE))
    tree.undo_restores(before, "Delete chapter")


def test_cancelling_the_chapter_question_changes_nothing(
    tree: Harness, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree.assert_agree()
    monkeypatch.setattr(tree.view, "ask_where_videos_go", lambda titles, count: None)
    tree.select(tree.chapter(1))
    qtbot.keyClick(tree.view, Qt.Key.Key_Delete)
    assert tree.assert_agree() == before
    assert tree.session.stack(COURSE).count() == 0


# ------------------------------------------------------------------ menus and bulk


def menu_action(menu: QMenu, text: str) -> object:
    for action in menu.actions():
        if action.text().replace("&", "") == text:
            return action
    raise AssertionError(f"no {text!r} in {[a.text() for a in menu.actions()]}")


def test_move_to_library_from_the_context_menu(tree: Harness) -> None:
    before = tree.assert_agree()
    tree.select(tree.video(3, 2), tree.video(3, 3), tree.video(1, 5))
    menu = tree.view.context_menu()
    move_to = menu_action(menu, "Move To")
    submenu = move_to.menu()  # type: ignore[attr-defined]
    menu_action(submenu, "Library").trigger()  # type: ignore[attr-defined]
    tree.assert_agree()
    assert {video_id(3, 2), video_id(3, 3), video_id(1, 5)} <= set(
        tree.library.store.library_ids(COURSE)
    )
    assert tree.messages[-1] == "Moved 3 videos to the library — Ctrl+Z to undo"
    tree.undo_restores(before, "Move 3 videos")


def test_select_all_then_move_to_a_chapter_is_one_step(tree: Harness, qtbot: QtBot) -> None:
    before = tree.assert_agree()
    tree.view.setCurrentIndex(tree.video(1, 1))
    qtbot.keyClick(tree.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(tree.view.selected_video_ids()) == 15
    tree.view.move_selected_to(chapter_id(2))
    rows = tree.assert_agree()
    assert len(rows[chapter_id(2)]) == 15 and not rows[chapter_id(1)]
    # A move this large is one layout change: the selection and the open chapters stay.
    assert tree.view.selected_video_ids() == list(rows[chapter_id(2)])
    assert all(tree.view.isExpanded(tree.chapter(n)) for n in (1, 2, 3))
    tree.undo_restores(before, "Move 15 videos")
    assert all(tree.view.isExpanded(tree.chapter(n)) for n in (1, 2, 3))


@pytest.mark.qt_log_ignore(OFFSCREEN_POPUP_NOISE)
def test_shift_f10_opens_the_context_menu_at_the_current_row(tree: Harness, qtbot: QtBot) -> None:
    opened: list[str] = []

    def close_menu() -> None:
        popup = QApplication.activePopupWidget()
        assert isinstance(popup, QMenu)
        try:
            opened.append(popup.objectName())
        finally:
            popup.close()

    tree.select(tree.video(1, 1))
    QTimer.singleShot(50, close_menu)
    qtbot.keyClick(tree.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert opened == ["chapterTreeMenu"]


def test_add_chapter_by_keyboard_then_type_its_title(tree: Harness, qtbot: QtBot) -> None:
    tree.select(tree.chapter(1))
    qtbot.keyClick(
        tree.view,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    chapters = list(tree.library.store.chapter_ids(COURSE))
    assert len(chapters) == 4
    new = chapters[1]
    assert tree.session.stack(COURSE).undoText() == "Add chapter"
    editor = editor_of(tree.view)
    editor.selectAll()
    qtbot.keyClicks(editor, "Seeing light")
    press_enter(qtbot, tree.view, editor)
    assert tree.library.store.chapter(new).title == "Seeing light"
    assert tree.saved_rows().keys() == tree.store_rows.keys()
    tree.session.stack(COURSE).undo()
    tree.session.stack(COURSE).undo()
    assert len(tree.assert_agree()) == 3


def test_the_view_names_itself_for_automation(tree: Harness) -> None:
    assert tree.view.objectName() == "chapterTree"
    assert tree.window.findChild(QWidget, "chapterTree") is tree.view
    assert tree.view.uniformRowHeights()


def test_a_course_with_every_status_renders(library: Library, qtbot: QtBot, tmp_path: Path) -> None:
    build_course(library, chapters=3, videos=7)
    library.open_course(COURSE)
    session = EditSession(library)
    model = ChapterTreeModel(library.store, COURSE, session=session)
    window = QMainWindow()
    view = ChapterTreeView(session, model)
    window.setCentralWidget(view)
    window.resize(640, 760)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    view.select_videos([video_id(2, 3), video_id(2, 4)])
    shot = view.grab()
    assert not shot.isNull()
    assert shot.save(str(tmp_path / "tree.png"))
    model.detach()
