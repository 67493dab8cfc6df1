"""The media library pane in a real window: typing filters, the filter and sort menus, drops
from the chapter tree, Delete and undo, and what it remembers."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from tests.support.tree_course import COURSE, build_course

from coursedesk.domain.operations import AddChapter, RenameChapter, RenameVideo, TrashChapter
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.library_model import SCOPE_ALL, SCOPE_UNASSIGNED, SortKey
from coursedesk.ui.library_pane import LibraryPane
from coursedesk.ui.library_view import LibraryView
from coursedesk.ui.mime import VIDEO_IDS_MIME, encode_ids


@pytest.fixture
def session(library: Library, qtbot: QtBot) -> EditSession:
    build_course(library, chapters=3, videos=5, library_videos=4)
    session = EditSession(library)
    session.activate(COURSE)
    return session


@pytest.fixture
def pane(session: EditSession, qtbot: QtBot) -> Iterator[LibraryPane]:
    widget = LibraryPane(session)
    qtbot.addWidget(widget)
    widget.set_course(COURSE)
    widget.resize(900, 640)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def shown(pane: LibraryPane) -> list[str]:
    view = pane.view
    model = view.model()
    return [model.index(r, 0).data(Qt.ItemDataRole.UserRole + 1) for r in range(model.rowCount())]


def titles(pane: LibraryPane) -> list[str]:
    model = pane.view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_widgets_are_found_by_their_names(pane: LibraryPane) -> None:
    assert pane.findChild(LibraryView, "libraryView") is pane.view
    for name, widget in [
        ("librarySearch", pane.search),
        ("libraryFilter", pane.filter),
        ("librarySort", pane.sort),
    ]:
        assert widget.objectName() == name
        assert widget.accessibleName()
    assert pane.view.accessibleName() == "Media library"
    assert pane.search.placeholderText() == "Search videos"
    assert pane.search.isClearButtonEnabled()
    assert pane.view.viewMode() == pane.view.ViewMode.IconMode
    assert pane.view.uniformItemSizes()


def test_typing_in_the_search_field_filters_as_you_type(
    pane: LibraryPane, session: EditSession, qtbot: QtBot
) -> None:
    session.do(RenameVideo("v2.1", "Éclairage en studio"), "Rename video", COURSE)
    assert len(shown(pane)) == 19
    qtbot.keyClicks(pane.search, "ECLAIR")
    assert shown(pane) == ["v2.1"]
    pane.search.clear()
    qtbot.keyClicks(pane.search, "aperture")
    assert sorted(shown(pane)) == sorted(session.store.search(COURSE, "aperture"))
    assert shown(pane)
    qtbot.keyClicks(pane.search, "zzz")
    assert shown(pane) == []
    assert pane.model.empty_hint()[0] == "No videos match “aperturezzz”"
    pane.view.viewport().repaint()  # the empty state paints without error


def test_the_filter_lists_chapters_and_follows_chapter_edits(
    pane: LibraryPane, session: EditSession
) -> None:
    combo = pane.filter
    items = [combo.itemText(i) for i in range(combo.count()) if combo.itemData(i)]
    assert items == [
        "All videos",
        "Unassigned",
        "1. Getting started",
        "2. Exposure",
        "3. Composition",
    ]
    combo.setCurrentIndex(combo.findData(SCOPE_UNASSIGNED))
    assert sorted(shown(pane)) == ["lib1", "lib2", "lib3", "lib4"]
    combo.setCurrentIndex(combo.findData("ch2"))
    assert sorted(shown(pane)) == [f"v2.{m}" for m in range(1, 6)]

    session.do(RenameChapter("ch2", "Light"), "Rename chapter", COURSE)
    session.do(AddChapter(COURSE, "Editing", chapter_id="ch9"), "Add chapter", COURSE)
    assert combo.itemText(combo.findData("ch2")) == "2. Light"
    assert combo.itemText(combo.findData("ch9")) == "4. Editing"
    assert combo.currentData() == "ch2"

    session.do(TrashChapter("ch2"), "Delete chapter", COURSE)
    assert combo.findData("ch2") == -1
    assert combo.currentData() == SCOPE_ALL
    assert len(shown(pane)) == 19


def test_sorting_by_duration_and_descending(pane: LibraryPane, session: EditSession) -> None:
    pane.sort.setCurrentIndex(pane.sort.findData(SortKey.DURATION.value))
    store = session.store
    durations = [store.video(v).duration_s for v in shown(pane)]
    known = [d for d in durations if d is not None]
    assert known == sorted(known)
    assert durations[-4:] == [None] * 4  # unknown durations last
    pane.sort_order.click()
    assert pane.model.descending
    assert [store.video(v).duration_s for v in shown(pane)][4:] == sorted(known, reverse=True)
    pane.sort.setCurrentIndex(pane.sort.findData(SortKey.NAME.value))
    assert titles(pane) == sorted(titles(pane), key=str.casefold, reverse=True)


def test_filter_and_sort_are_remembered(session: EditSession, qtbot: QtBot) -> None:
    first = LibraryPane(session)
    qtbot.addWidget(first)
    first.set_course(COURSE)
    first.filter.setCurrentIndex(first.filter.findData("ch3"))
    first.sort.setCurrentIndex(first.sort.findData(SortKey.SIZE.value))
    first.sort_order.setChecked(True)
    state = first.state()
    assert state == {"filter": "ch3", "sort": "size", "descending": True}

    second = LibraryPane(session)
    qtbot.addWidget(second)
    # As QSettings gives it back, before any course is open.
    second.restore_state({"filter": "ch3", "sort": "size", "descending": "true"})
    second.set_course(COURSE)
    assert second.state() == state
    assert second.filter.currentData() == "ch3"
    assert second.sort.currentData() == "size"
    assert second.sort_order.isChecked()
    assert shown(second) == shown(first)
    second.restore_state({"filter": "gone", "sort": "colour"})
    assert second.state() == {"filter": SCOPE_ALL, "sort": "name", "descending": False}


def _drop(view: LibraryView, data: QMimeData) -> QDropEvent:
    """Drag ``data`` over the grid and let go, as Qt delivers a real drag: enter, move, drop.

    Qt delivers the drop only to a widget that accepted the drag's entry."""
    centre = view.viewport().rect().center()
    point = QPointF(centre)
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():
        # PySide 6.12 binds only the QPoint constructors of the drag events, marked deprecated.
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(centre, actions, data, buttons, keys)
        move = QDragMoveEvent(centre, actions, data, buttons, keys)
    QApplication.sendEvent(view.viewport(), enter)
    if enter.isAccepted():
        QApplication.sendEvent(view.viewport(), move)
        assert move.isAccepted()
    drop = QDropEvent(point, actions, data, buttons, keys)
    QApplication.sendEvent(view.viewport(), drop)
    return drop


def test_dropping_videos_from_the_tree_unassigns_them_and_saves(
    pane: LibraryPane, session: EditSession, library_path: Path, qtbot: QtBot
) -> None:
    pane.filter.setCurrentIndex(pane.filter.findData(SCOPE_UNASSIGNED))
    moved = ["v1.2", "v3.4", "v3.5"]
    data = encode_ids(VIDEO_IDS_MIME, moved)
    with qtbot.waitSignal(pane.status_message) as message:
        event = _drop(pane.view, data)
    assert message.args == ["Moved 3 videos to the library — Ctrl+Z to undo"]
    assert event.isAccepted()
    assert event.dropAction() == Qt.DropAction.MoveAction
    store = session.store
    assert all(store.video(v).chapter_id is None for v in moved)
    assert set(moved) <= set(shown(pane))
    assert sorted(shown(pane)) == sorted(store.library_ids(COURSE))
    assert session.stack(COURSE).text(session.stack(COURSE).count() - 1) == (
        "Move 3 videos to the library"
    )
    fresh = Library.open(library_path)
    try:
        fresh.open_course(COURSE)
        assert sorted(fresh.store.library_ids(COURSE)) == sorted(shown(pane))
        assert list(fresh.store.video_ids("ch3")) == ["v3.1", "v3.2", "v3.3"]
    finally:
        fresh.close()

    session.stack(COURSE).undo()
    assert sorted(shown(pane)) == ["lib1", "lib2", "lib3", "lib4"]
    assert list(store.video_ids("ch3")) == [f"v3.{m}" for m in range(1, 6)]


def test_drops_that_change_nothing_or_files_are_refused_for_now(
    pane: LibraryPane, session: EditSession, qtbot: QtBot
) -> None:
    before = session.store.snapshot()
    assert not _drop(pane.view, encode_ids(VIDEO_IDS_MIME, ["lib1", "lib2"])).isAccepted()
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile("/tmp/new clip.mp4")])
    with qtbot.assertNotEmitted(pane.files_dropped):
        assert not _drop(pane.view, files).isAccepted()
    assert session.store.snapshot() == before

    pane.view.accept_files = True  # what the import feature will switch on
    with qtbot.waitSignal(pane.files_dropped) as dropped:
        assert _drop(pane.view, files).isAccepted()
    assert dropped.args == [["/tmp/new clip.mp4"]]
    assert session.store.snapshot() == before


def test_delete_moves_the_selection_to_the_trash_and_undo_brings_it_back(
    pane: LibraryPane, session: EditSession, qtbot: QtBot
) -> None:
    view = pane.view
    model = view.model()
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        view.visualRect(model.index(2, 0)).center(),
    )
    doomed = view.selected_video_ids()
    assert doomed == shown(pane)[:3]
    with qtbot.waitSignal(pane.status_message) as message:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert message.args == ["Moved 3 videos to the Trash — Ctrl+Z to undo"]
    store = session.store
    assert all(store.video(v).deleted_at is not None for v in doomed)
    assert not set(doomed) & set(shown(pane))
    assert session.stack(COURSE).undoText() == "Delete 3 videos"

    session.stack(COURSE).undo()
    assert set(doomed) <= set(shown(pane))
    assert all(store.video(v).deleted_at is None for v in doomed)


def test_ctrl_a_selects_everything_shown(pane: LibraryPane, qtbot: QtBot) -> None:
    qtbot.keyClicks(pane.search, "b-roll")
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert pane.view.selected_video_ids() == shown(pane)
    assert len(shown(pane)) == 4


def test_selection_survives_a_search_that_keeps_the_videos(pane: LibraryPane, qtbot: QtBot) -> None:
    view = pane.view
    row = shown(pane).index("lib2")
    view.selectionModel().select(
        view.model().index(row, 0), view.selectionModel().SelectionFlag.ClearAndSelect
    )
    qtbot.keyClicks(pane.search, "b-roll")
    assert view.selected_video_ids() == ["lib2"]


def test_double_click_asks_to_play_the_video(pane: LibraryPane, qtbot: QtBot) -> None:
    view = pane.view
    index = view.model().index(1, 0)
    centre = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with qtbot.waitSignal(pane.activated_video) as activated:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert activated.args == [shown(pane)[1]]


def test_no_course_open_shows_an_empty_disabled_pane(pane: LibraryPane) -> None:
    pane.set_course(None)
    assert shown(pane) == []
    assert not pane.search.isEnabled()
    assert pane.model.empty_hint()[0] == "No course is open"
    pane.view.viewport().repaint()
