"""First run: the welcome page, creating a course from it, the sample course, and the empty
states of the chapter tree and the Trash.

The window is the real one, built on an empty library on disk; the sample course is really
encoded and really imported (probe, hash, thumbnails) on the import thread pool.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from coursedesk.domain.model import VideoStatus
from coursedesk.domain.operations import (
    AddChapter,
    AddVideos,
    CreateCourse,
    TrashVideos,
    new_video,
)
from coursedesk.editing.session import EditSession
from coursedesk.media import probe
from coursedesk.paths import CACHE_DIR_ENV
from coursedesk.persistence.library import Library
from coursedesk.services.ingest.pipeline import ThumbnailCache
from coursedesk.ui import sample_course
from coursedesk.ui.empty_state import HintingTreeView
from coursedesk.ui.library_model import ThumbnailRole
from coursedesk.ui.main_window import MainWindow
from coursedesk.ui.trash_view import EMPTY_HEADLINE

SAMPLE_TIMEOUT_MS = 90_000
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SAMPLE_CHAPTERS = ["Getting started", "Basics", "Sharing your course"]
SAMPLE_VIDEOS = [
    ["Welcome", "Chapters and the library"],
    ["Reordering lessons", "Quick look", "Undo anything"],
    ["Uploads"],
]

WindowFactory = Callable[[], MainWindow]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    return folder / "thumbnails"


@pytest.fixture
def make_window(
    qtbot: QtBot, library: Library, tmp_path: Path, cache: Path
) -> Iterator[WindowFactory]:
    windows: list[MainWindow] = []

    def build() -> MainWindow:
        session = EditSession(library)
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(library, session, settings)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield build
    for window in windows:
        window.close()


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window()


def welcome_page(window: MainWindow) -> QWidget:
    page = window.findChild(QWidget, "welcomePage")
    assert page is not None
    return page


def button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def type_title(monkeypatch: pytest.MonkeyPatch, text: str, ok: bool = True) -> list[str]:
    """Answer the title question with ``text``; returns the questions asked."""
    asked: list[str] = []

    def get_text(_parent: QWidget, title: str, *_args: Any, **_kwargs: Any) -> tuple[str, bool]:
        asked.append(title)
        return text, ok

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return asked


def shows_editor(window: MainWindow) -> bool:
    return window.chapter_tree.isVisible() and not welcome_page(window).isVisible()


# ---------------------------------------------------------------------- the welcome page


def test_an_empty_library_opens_on_the_welcome_page_with_both_ways_in(
    window: MainWindow, qtbot: QtBot
) -> None:
    page = welcome_page(window)
    assert page.isVisible()
    assert not window.chapter_tree.isVisible()
    assert not window.library_view.isVisible()
    create = button(window, "createCourseButton")
    sample = button(window, "openSampleButton")
    assert create.isVisible() and create.isEnabled() and create.text() == "Create a course"
    assert sample.isVisible() and sample.isEnabled() and sample.text() == "Open sample course"
    explanation = window.welcome.explanation.text()
    assert "<b>Chapters</b>" in explanation and "<b>library</b>" in explanation
    assert "in the background" in explanation
    # Keyboard: the main button has focus, Tab reaches the other one.
    qtbot.waitUntil(create.hasFocus)
    qtbot.keyClick(create, Qt.Key.Key_Tab)
    assert sample.hasFocus()


def test_create_a_course_asks_its_title_and_opens_the_editor(
    window: MainWindow, qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = type_title(monkeypatch, "Night Photography")
    qtbot.mouseClick(button(window, "createCourseButton"), Qt.MouseButton.LeftButton)
    assert asked == ["New Course"]
    assert [c.title for c in library.store.courses()] == ["Night Photography"]
    assert window.course_id == library.store.courses()[0].id
    assert shows_editor(window)
    assert window.course_switcher.currentText() == "Night Photography"
    assert window.chapter_tree.empty_hint() is not None


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Space])
def test_create_a_course_by_keyboard(
    window: MainWindow,
    qtbot: QtBot,
    library: Library,
    monkeypatch: pytest.MonkeyPatch,
    key: Qt.Key,
) -> None:
    type_title(monkeypatch, "Keyboard course")
    create = button(window, "createCourseButton")
    qtbot.waitUntil(create.hasFocus)
    qtbot.keyClick(create, key)
    assert [c.title for c in library.store.courses()] == ["Keyboard course"]
    assert shows_editor(window)


def test_cancelling_the_title_question_stays_on_the_welcome_page(
    window: MainWindow, qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_title(monkeypatch, "", ok=False)
    qtbot.mouseClick(button(window, "createCourseButton"), Qt.MouseButton.LeftButton)
    assert library.store.courses() == []
    assert welcome_page(window).isVisible()


def test_trashing_the_last_course_shows_the_welcome_again_and_undo_brings_it_back(
    window: MainWindow, qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_title(monkeypatch, "Short-lived")
    qtbot.mouseClick(button(window, "createCourseButton"), Qt.MouseButton.LeftButton)
    course_id = window.course_id
    assert course_id is not None and shows_editor(window)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    window.delete_course_action.trigger()
    qtbot.waitUntil(lambda: welcome_page(window).isVisible())
    assert window.course_id is None
    assert not window.chapter_tree.isVisible()
    # The course waits in the Trash, and Ctrl+Z takes the deletion back.
    assert window.trash_panel.model.rowCount() == 1
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shows_editor(window))
    assert window.course_id == course_id


def test_a_course_made_elsewhere_takes_the_welcome_page_s_place(
    window: MainWindow, qtbot: QtBot, library: Library
) -> None:
    assert welcome_page(window).isVisible()
    # As another window or the command line would: straight into the shared store.
    window.session.apply_untracked(CreateCourse("From the terminal", course_id="elsewhere"))
    qtbot.waitUntil(lambda: shows_editor(window))
    assert window.course_id == "elsewhere"


def test_a_library_with_courses_opens_on_the_editor(
    make_window: WindowFactory, library: Library
) -> None:
    library.apply(CreateCourse("Existing", course_id="c1"))
    window = make_window()
    assert shows_editor(window)
    assert window.course_id == "c1"


def test_the_welcome_page_follows_a_theme_change(window: MainWindow, qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    create = button(window, "createCourseButton")
    explanation = window.welcome.explanation

    def face_of(widget: QWidget) -> QColor:
        image = widget.grab().toImage()
        return image.pixelColor(6, image.height() // 2)

    dark = QPalette(before)
    for role, colour in (
        (QPalette.ColorRole.Window, "#1e1f22"),
        (QPalette.ColorRole.Base, "#2b2d30"),
        (QPalette.ColorRole.Text, "#e6e6e6"),
        (QPalette.ColorRole.WindowText, "#e6e6e6"),
        (QPalette.ColorRole.Highlight, "#c0392b"),
    ):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: face_of(create) == QColor("#c0392b"))
        assert explanation.palette().color(QPalette.ColorRole.Text) == QColor("#e6e6e6")
        assert window.welcome.palette().color(QPalette.ColorRole.Window) == QColor("#1e1f22")
    finally:
        app.setPalette(before)
    qtbot.waitUntil(lambda: face_of(create) == before.color(QPalette.ColorRole.Highlight))


# ---------------------------------------------------------------------- the sample course


def test_open_sample_course_makes_and_imports_three_chapters_with_thumbnails(
    window: MainWindow, qtbot: QtBot, library: Library, library_path: Path, cache: Path
) -> None:
    sample = button(window, "openSampleButton")
    qtbot.mouseClick(sample, Qt.MouseButton.LeftButton)
    # While the clips are being made the page says so and the buttons rest.
    assert window.welcome.is_busy
    assert window.welcome.busy_label.isVisible()
    assert not sample.isEnabled()
    assert not button(window, "createCourseButton").isEnabled()

    store = library.store

    def imported() -> bool:
        return window.course_id is not None and not window.importing.importer.busy

    qtbot.waitUntil(imported, timeout=SAMPLE_TIMEOUT_MS)
    course_id = window.course_id
    assert course_id is not None
    assert shows_editor(window)
    assert store.course(course_id).title == "Sample course"
    chapters = list(store.chapter_ids(course_id))
    assert [store.chapter(c).title for c in chapters] == SAMPLE_CHAPTERS
    videos = [[store.video(v) for v in store.video_ids(c)] for c in chapters]
    assert [[v.title for v in chapter] for chapter in videos] == SAMPLE_VIDEOS
    assert not store.library_ids(course_id)
    every = [v for chapter in videos for v in chapter]
    for video in every:
        assert video.status is VideoStatus.READY, video.error
        assert (video.width, video.height) == (640, 360)
        assert video.duration_s is not None and 2.0 <= video.duration_s <= 4.1
        assert video.sha1 and ThumbnailCache(cache).has_pictures(video.sha1)
        source = Path(video.source_path)
        assert source.is_file() and source.is_relative_to(library_path.parent)
        assert probe(source).audio_codec is not None
    # The tree shows it, and the grid shows every thumbnail.
    assert window.tree_model.rowCount() == 3
    grid = window.library_pane.model

    def thumbnails_shown() -> bool:
        for video in every:
            row = grid.row_of(video.id)
            assert row is not None
            if not isinstance(grid.index(row, 0).data(ThumbnailRole), QImage):
                return False
        return True

    qtbot.waitUntil(thumbnails_shown, timeout=SAMPLE_TIMEOUT_MS)
    # Nothing half-written is left next to the library.
    leftovers = [p.name for p in library_path.parent.iterdir() if p.name.endswith(".partial")]
    assert leftovers == []
    assert not window.welcome.is_busy


def test_a_failure_while_making_the_sample_says_why_and_leaves_nothing(
    window: MainWindow,
    qtbot: QtBot,
    library: Library,
    library_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_write = sample_course.write_title_clip
    written: list[Path] = []

    def disk_fills_up(path: Path, *args: Any, **kwargs: Any) -> Path:
        if len(written) == 2:
            path.write_bytes(b"half a video")
            raise OSError(errno.ENOSPC, "No space left on device", str(path.name))
        written.append(real_write(path, *args, **kwargs))
        return written[-1]

    monkeypatch.setattr(sample_course, "write_title_clip", disk_fills_up)
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *_a: warnings.append(text)
    )
    before = sorted(p.name for p in library_path.parent.iterdir())
    qtbot.mouseClick(button(window, "openSampleButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(warnings), timeout=SAMPLE_TIMEOUT_MS)

    assert len(warnings) == 1
    assert "couldn't make the sample course" in warnings[0]
    assert "No space left on device" in warnings[0]
    assert "Nothing was added" in warnings[0]
    assert len(written) == 2
    assert library.store.courses(include_trashed=True) == []
    assert sorted(p.name for p in library_path.parent.iterdir()) == before
    assert all(not p.exists() for p in written)
    # The page is ready for another try.
    assert welcome_page(window).isVisible()
    assert not window.welcome.is_busy
    assert button(window, "openSampleButton").isEnabled()
    assert button(window, "createCourseButton").isEnabled()


# ---------------------------------------------------------------------- empty states


def _ink_rows(image: QImage) -> set[int]:
    """The rows of ``image`` (a viewport's picture) with more than one colour in them."""
    rows: set[int] = set()
    for y in range(image.height()):
        first = image.pixel(0, y)
        if any(image.pixel(x, y) != first for x in range(0, image.width(), 2)):
            rows.add(y)
    return rows


def test_an_empty_course_s_chapter_tree_says_what_to_do(
    window: MainWindow, qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_title(monkeypatch, "Fresh")
    qtbot.mouseClick(button(window, "createCourseButton"), Qt.MouseButton.LeftButton)
    tree = window.chapter_tree
    assert tree.empty_hint() == (
        "Drag videos or folders here",
        "Each folder becomes a chapter, or press Ctrl+Shift+N to add one",
    )
    viewport = tree.viewport()
    middle = viewport.height() // 2
    assert any(abs(y - middle) < 80 for y in _ink_rows(viewport.grab().toImage()))

    # Ctrl+Shift+N adds a chapter with its title ready to type; the hint makes way.
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    qtbot.keyClick(tree, Qt.Key.Key_N, CTRL | SHIFT)
    assert window.tree_model.rowCount() == 1
    qtbot.keyClick(tree, Qt.Key.Key_Escape)  # leave the title editor
    assert tree.empty_hint() is None
    assert all(y < middle - 80 for y in _ink_rows(viewport.grab().toImage()))
    # Undo takes the chapter away, and the hint is back.
    qtbot.keyClick(tree, Qt.Key.Key_Z, CTRL)
    assert window.tree_model.rowCount() == 0
    assert tree.empty_hint() is not None


def test_the_empty_trash_says_what_it_is_for_until_something_is_deleted(
    window: MainWindow, qtbot: QtBot, library: Library
) -> None:
    library.apply(CreateCourse("Course", course_id="c1"))
    library.apply(AddChapter("c1", "One", chapter_id="ch1"))
    library.apply(AddVideos((new_video("c1", "Clip", "/clips/a.mp4", video_id="v1"),), "ch1"))
    qtbot.waitUntil(lambda: window.course_id == "c1")
    view = window.trash_view
    assert isinstance(view, HintingTreeView)
    window.trash_dock.show()
    window.trash_dock.raise_()
    qtbot.waitUntil(view.isVisible)
    assert view.empty_hint() is not None
    assert view.empty_hint()[0] == EMPTY_HEADLINE == "Nothing in the Trash"
    assert _ink_rows(view.viewport().grab().toImage())

    window.session.do(TrashVideos(("v1",)), "Delete", "c1")
    qtbot.waitUntil(lambda: view.model().rowCount() == 1)
    assert view.empty_hint() is None
