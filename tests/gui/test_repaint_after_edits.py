"""What is on screen after an edit is what a full repaint would draw.

The chapter tree and the grid paint an unchanged row or card again from a picture of it, and
the grid repaints after a bulk move only the cards whose chapter line changed. Each would
leave a stale row or card on screen if it missed a change; these tests compare the window's
pixels (the offscreen platform's screen is the window's backing store) with a repaint from
scratch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMainWindow, QSplitter, QWidget
from pytestqt.qtbot import QtBot
from tests.support.tree_course import COURSE, build_course, chapter_id, video_id

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import (
    MoveVideos,
    RenameChapter,
    RenameVideo,
    ShiftVideos,
    UpdateVideo,
)
from coursedesk.editing.session import EditSession
from coursedesk.persistence.library import Library
from coursedesk.ui.chapter_tree_model import ChapterTreeModel
from coursedesk.ui.chapter_tree_view import ChapterTreeView
from coursedesk.ui.library_model import SCOPE_ALL
from coursedesk.ui.library_pane import LibraryPane
from coursedesk.ui.theme import dark_palette
from coursedesk.ui.tree_video_rows import VideoRowPainter


def settle() -> None:
    """Let the views lay out and repaint (some of it waits for a zero timer)."""
    QTest.qWait(30)


def on_screen(widget: QWidget) -> QImage:
    """The pixels the window shows where ``widget`` is (not a fresh rendering of it)."""
    window = widget.window()
    corner = widget.mapTo(window, widget.rect().topLeft())
    return (
        window.screen()
        .grabWindow(window.winId(), corner.x(), corner.y(), widget.width(), widget.height())
        .toImage()
    )


class Editor:
    """The chapter tree and the grid side by side over one course, as the window has them."""

    def __init__(self, library: Library, qtbot: QtBot) -> None:
        build_course(library, chapters=3, videos=8, library_videos=3)
        library.open_course(COURSE)
        self.store = library.store
        self.session = EditSession(library)
        self.session.activate(COURSE)
        self.model = ChapterTreeModel(library.store, COURSE, session=self.session)
        self.tree = ChapterTreeView(self.session, self.model)
        self.pane = LibraryPane(self.session)
        self.pane.set_course(COURSE)
        self.pane.model.set_scope(SCOPE_ALL)
        self.other = QLineEdit()
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.pane)
        self.window = QMainWindow()
        self.window.setCentralWidget(splitter)
        self.window.setMenuWidget(self.other)
        self.window.resize(1400, 800)
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.tree.setFocus()
        settle()

    def edit(self, operation: object) -> None:
        self.session.do(operation, "Edit", COURSE)  # type: ignore[arg-type]
        settle()

    def grid_from_scratch(self) -> QImage:
        """The grid as a full repaint with no kept card pictures draws it."""
        self.pane.view.delegate._pictures.clear()
        self.pane.view.viewport().repaint()
        return on_screen(self.pane.view.viewport())

    def tree_from_scratch(self) -> QImage:
        """The tree as a full repaint with no kept row pictures draws it."""
        self.tree._row_pictures.clear()
        self.tree.viewport().repaint()
        return on_screen(self.tree.viewport())

    def tree_painted_by_qt(self, monkeypatch: pytest.MonkeyPatch) -> QImage:
        """The tree as Qt's own row painting (cell by cell, through the model, the delegate
        and the style) draws it, with no kept row pictures."""
        with monkeypatch.context() as patch:
            patch.setattr(VideoRowPainter, "begin", lambda painter, height: False)
            return self.tree_from_scratch()

    def tree_painted_directly(self, monkeypatch: pytest.MonkeyPatch) -> tuple[QImage, int]:
        """The tree as the video row painter draws it, and how many rows it painted."""
        painted = 0
        paint = VideoRowPainter.paint

        def counted(*args: Any, **kwargs: Any) -> None:
            nonlocal painted
            painted += 1
            paint(*args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(VideoRowPainter, "paint", counted)
            return self.tree_from_scratch(), painted


@pytest.fixture
def editor(library: Library, qtbot: QtBot) -> Iterator[Editor]:
    yield Editor(library, qtbot)


def _rename(editor: Editor) -> None:
    editor.edit(RenameVideo(video_id(1, 3), "Reading the histogram"))


def _status(editor: Editor) -> None:
    editor.session.apply_untracked(UpdateVideo(video_id(1, 4), {"status": VideoStatus.FAILED}))
    settle()


def _shift(editor: Editor) -> None:
    editor.edit(ShiftVideos((video_id(1, 2),), 1))


def _select(editor: Editor) -> None:
    editor.tree.select_videos([video_id(1, 5), video_id(1, 6)])
    settle()


def _focus_elsewhere(editor: Editor) -> None:
    editor.tree.select_videos([video_id(1, 2)])
    settle()
    editor.other.setFocus()
    settle()


def _narrow_column(editor: Editor) -> None:
    header = editor.tree.header()
    header.resizeSection(1, header.sectionSize(1) + 60)
    settle()


def _new_palette(editor: Editor) -> None:
    palette = editor.tree.palette()
    palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.darkGray)
    palette.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.white)
    editor.tree.setPalette(palette)
    settle()


@pytest.mark.parametrize(
    "change",
    [_rename, _status, _shift, _select, _focus_elsewhere, _narrow_column, _new_palette],
    ids=["rename", "status", "shift", "select", "focus-elsewhere", "resize-column", "palette"],
)
def test_tree_rows_on_screen_show_every_change_as_a_full_repaint_would(
    editor: Editor, change: Callable[[Editor], None]
) -> None:
    before = on_screen(editor.tree.viewport())
    change(editor)
    after = on_screen(editor.tree.viewport())
    assert after != before, "the change did not show at all"
    assert after == editor.tree_from_scratch()


def test_an_upload_starting_and_moving_on_shows_as_a_full_repaint_would(editor: Editor) -> None:
    chapter = editor.store.video_ids(chapter_id(1))
    uploading = next(v for v in chapter if editor.store.video(v).status is VideoStatus.UPLOADING)
    progress: dict[str, float] = {}
    editor.model.progress_provider = progress.get
    # No progress known yet (the upload runs elsewhere, or has not sent a part).
    editor.tree.viewport().repaint()
    shown = [on_screen(editor.tree.viewport())]
    for fraction in (0.25, 0.75):
        # The video itself does not change: only how far its upload has got.
        progress[uploading] = fraction
        editor.model.refresh_video(uploading)
        settle()
        shown.append(on_screen(editor.tree.viewport()))
        assert shown[-1] != shown[-2], "the row still shows what it showed before"
        assert shown[-1] == editor.tree_from_scratch()


def test_a_tree_row_painted_again_unchanged_looks_the_same(editor: Editor) -> None:
    first = on_screen(editor.tree.viewport())
    editor.tree.viewport().repaint()
    assert on_screen(editor.tree.viewport()) == first
    assert first == editor.tree_from_scratch()


def _as_shown(editor: Editor) -> None:
    pass


def _selected_with_focus(editor: Editor) -> None:
    editor.tree.setFocus()
    editor.tree.select_videos([video_id(1, 2), video_id(1, 3), video_id(2, 1)])
    settle()


def _uploading(editor: Editor) -> None:
    # A video being uploaded shows a progress bar in its status cell.
    chapter = editor.store.video_ids(chapter_id(1))
    uploading = [v for v in chapter if editor.store.video(v).status is VideoStatus.UPLOADING]
    assert uploading
    editor.model.progress_provider = lambda vid: 0.42 if vid in uploading else None
    editor.tree.select_videos(uploading[:1])
    settle()


def _notes_and_long_title(editor: Editor) -> None:
    long_title = "A title far too long for the column it is shown in, so it ends in an ellipsis"
    editor.edit(RenameVideo(video_id(1, 5), long_title))
    editor.session.apply_untracked(
        UpdateVideo(video_id(1, 6), {"status": VideoStatus.READY, "notes": ("No audio",)})
    )
    settle()


def _disabled(editor: Editor) -> None:
    editor.tree.select_videos([video_id(1, 2)])
    editor.tree.setEnabled(False)
    settle()


def _dark(editor: Editor) -> None:
    editor.tree.setPalette(dark_palette())
    editor.tree.setFocus()
    editor.tree.select_videos([video_id(1, 4)])
    settle()


@pytest.mark.parametrize(
    "state",
    [
        _as_shown,
        _selected_with_focus,
        _focus_elsewhere,
        _uploading,
        _notes_and_long_title,
        _narrow_column,
        _disabled,
        _dark,
    ],
    ids=[
        "as-shown",
        "selected-with-focus",
        "focus-elsewhere",
        "uploading",
        "notes-long-title",
        "resized-column",
        "disabled",
        "dark",
    ],
)
def test_video_rows_painted_directly_look_exactly_as_qt_paints_them(
    editor: Editor, state: Callable[[Editor], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Video rows are painted straight from the store, not cell by cell through the model;
    # pixel for pixel, they must be what Qt's own painting of the same rows would be.
    state(editor)
    direct, painted = editor.tree_painted_directly(monkeypatch)
    assert painted >= 8, "the rows were not painted directly"
    assert direct == editor.tree_painted_by_qt(monkeypatch)


def test_after_a_bulk_move_the_cards_on_screen_show_where_their_videos_went(
    editor: Editor,
) -> None:
    grid = editor.pane.view.viewport()
    before = on_screen(grid)
    # Many videos at once: the grid hears one change for all of them.
    moving = (*[video_id(2, n) for n in range(1, 9)], *[video_id(3, n) for n in range(1, 5)])
    editor.edit(MoveVideos(moving, chapter_id(1), 0))
    after = on_screen(grid)
    assert after != before, "no card on screen shows its new chapter"
    assert after == editor.grid_from_scratch()
    # ... and back again with the undo.
    editor.session.stack(COURSE).undo()
    settle()
    undone = on_screen(grid)
    assert undone == editor.grid_from_scratch() == before


def test_a_renamed_chapter_shows_on_every_card_of_it_on_screen(editor: Editor) -> None:
    grid = editor.pane.view.viewport()
    before = on_screen(grid)
    editor.edit(RenameChapter(chapter_id(2), "Metering"))
    after = on_screen(grid)
    assert after != before
    assert after == editor.grid_from_scratch()


def _grid_rename(editor: Editor) -> None:
    # Renamed in place: still the first card by name.
    first = editor.pane.model.video_id_at(0)
    editor.edit(RenameVideo(first, "A " + editor.store.video(first).title))


def _grid_status(editor: Editor) -> None:
    first = editor.pane.model.video_id_at(0)
    status = VideoStatus.FAILED
    if editor.store.video(first).status is status:
        status = VideoStatus.READY
    editor.session.apply_untracked(UpdateVideo(first, {"status": status}))
    settle()


def _grid_select(editor: Editor) -> None:
    view = editor.pane.view
    view.setFocus()
    view.setCurrentIndex(view.model().index(2, 0))
    settle()


def _grid_thumbnail(editor: Editor) -> None:
    model = editor.pane.model
    picture = QImage(160, 90, QImage.Format.Format_RGB32)
    picture.fill(Qt.GlobalColor.darkCyan)
    shown = model.video_id_at(0)
    model.thumbnail_provider = lambda vid: picture if vid == shown else None
    model.refresh_video(shown)
    settle()


def _grid_chapter_renamed(editor: Editor) -> None:
    editor.edit(RenameChapter(chapter_id(1), "Metering"))


@pytest.mark.parametrize(
    "change",
    [_grid_rename, _grid_status, _grid_select, _grid_thumbnail, _grid_chapter_renamed],
    ids=["rename", "status", "select", "thumbnail", "chapter-renamed"],
)
def test_cards_on_screen_show_every_change_as_a_full_repaint_would(
    editor: Editor, change: Callable[[Editor], None]
) -> None:
    grid = editor.pane.view.viewport()
    before = on_screen(grid)
    change(editor)
    after = on_screen(grid)
    assert after != before, "the change did not show at all"
    assert after == editor.grid_from_scratch()
